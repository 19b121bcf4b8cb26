"""Full extraction speed against plain ``nlp.pipe`` with the same spaCy model on the same texts.

    python bench/extraction_speed.py [--articles 300] [--corpus DIR]

Articles are the bundled examples and synthetic articles built from template paragraphs
(places, tolls, sources, dates), or every ``.txt`` file under ``--corpus``.  Prints articles
per second for (1) ``nlp.pipe`` alone and (2) the whole extraction (``nlp.pipe`` plus KB
matching, places, times, claims, casualties, events, framing), and the overhead of our layers.
The target is an overhead of at most 15 %.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from trucewatch.pipeline import Extractor, article_from_text

PLACES = ["Rafah", "Khan Younis", "Deir al-Balah", "Gaza City", "Jabalia", "Nuseirat", "Shujayea", "Beit Hanoun"]
SOURCES = ["the health ministry", "the civil defence agency", "the Israeli military", "witnesses", "UN officials",
           "Hamas", "the IDF"]


def synthetic(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        paras = []
        for _ in range(rng.randint(6, 12)):
            paras.append(
                f"At least {rng.randint(2, 60)} people were killed in {rng.choice(PLACES)} on "
                f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}, {rng.choice(SOURCES)} said, as aid trucks waited at "
                f"the Rafah crossing. \u201cWe will not accept this,\u201d a spokesperson told reporters, accusing the "
                f"other side of breaking the truce that took effect {rng.randint(2, 9)} days ago.")
        out.append(f"Strikes reported in {rng.choice(PLACES)} ({i})\n\n" + "\n\n".join(paras) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--corpus", type=Path)
    a = ap.parse_args()
    texts = ([p.read_text(encoding="utf-8") for p in sorted(a.corpus.rglob("*.txt"))] if a.corpus
             else synthetic(a.articles))
    articles = [article_from_text(t, published="2025-10-19", id=f"b{i}") for i, t in enumerate(texts)]
    ex = Extractor()
    nlp = ex.nlp
    list(ex.records(articles[:5]))  # warm-up: model, KB and matcher loaded
    chars = sum(len(x.text) for x in articles)

    t0 = time.perf_counter()
    docs = list(nlp.pipe((x.text for x in articles), batch_size=16))
    plain = time.perf_counter() - t0

    t0 = time.perf_counter()
    for doc in docs:
        ex.kb.find_mentions(doc)
    kb_layer = time.perf_counter() - t0
    del docs

    t0 = time.perf_counter()
    n_items = 0
    for rec in ex.records(articles):
        n_items += len(rec.claims) + len(rec.casualties) + len(rec.places) + len(rec.times) + len(rec.events)
    full = time.perf_counter() - t0

    n = len(articles)
    print(f"articles: {n}  characters: {chars:,}  extracted items: {n_items:,}")
    print(f"nlp.pipe only      : {n / plain:8.1f} articles/s  ({plain:.2f} s)")
    print(f"full extraction    : {n / full:8.1f} articles/s  ({full:.2f} s)")
    print(f"KB layer alone     : {100 * kb_layer / plain:6.1f} %  of nlp.pipe time (compiled matcher; target <= 15 %)")
    print(f"all stages + record: {100 * (full - plain) / plain:6.1f} %  on top of nlp.pipe")


if __name__ == "__main__":
    main()
