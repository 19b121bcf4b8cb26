"""Ingest throughput without NLP: reading, parsing and storing documents in SQLite.

    python bench/ingest_throughput.py [--docs 2000]

Generates synthetic plain-text and HTML articles in a temporary folder, then times
(1) parsing only and (2) the full ``ingest --no-nlp`` path into a fresh SQLite ledger, and
prints documents per second for each.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from trucewatch import api
from trucewatch.ingest import iter_documents, parse_document
from trucewatch.pipeline import Extractor

PLACES = ["Rafah", "Khan Younis", "Deir al-Balah", "Gaza City", "Jabalia", "Nuseirat", "Beit Hanoun"]
SOURCES = ["the health ministry", "the civil defence agency", "the Israeli military", "witnesses", "UN officials"]


def paragraph(rng: random.Random) -> str:
    return (f"{rng.randint(2, 60)} people were reported killed in {rng.choice(PLACES)} on "
            f"{rng.choice(['Monday', 'Tuesday', 'Friday'])}, {rng.choice(SOURCES)} said, as aid trucks "
            f"waited at the crossing and mediators met in Cairo to discuss the next phase of the truce.")


def generate(folder: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(n):
        title = f"Strikes reported in {rng.choice(PLACES)} as talks continue ({i})"
        paras = [paragraph(rng) for _ in range(rng.randint(6, 12))]
        if i % 2:
            body = "".join(f"<p>{p}</p>" for p in paras)
            (folder / f"a{i:06d}.html").write_text(
                f"<html><head><title>{title}</title><meta property='og:site_name' content='Bench Post'>"
                f"<meta property='article:published_time' content='2025-10-{1 + i % 28:02d}T08:00:00+03:00'>"
                f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
                f"</body></html>")
        else:
            (folder / f"a{i:06d}.txt").write_text(title + "\n\nGAZA (Bench Wire) - " + "\n\n".join(paras) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        generate(corpus, args.docs)
        size = sum(p.stat().st_size for p in corpus.iterdir())

        t0 = time.perf_counter()
        n = 0
        for unit in iter_documents([str(corpus)]):
            n += len(parse_document(unit))
        parse_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        summary = api.ingest([str(corpus)], db=f"sqlite:///{tmp}/bench.db", extractor=Extractor(use_nlp=False))
        ingest_s = time.perf_counter() - t0
        assert summary.stored == args.docs and summary.rejected == 0

        t0 = time.perf_counter()
        again = api.ingest([str(corpus)], db=f"sqlite:///{tmp}/bench.db", extractor=Extractor(use_nlp=False))
        reingest_s = time.perf_counter() - t0
        assert again.skipped == args.docs

    print(f"documents: {args.docs} ({size / 1e6:.1f} MB, half plain text, half HTML)")
    print(f"parse only:          {n / parse_s:8.1f} documents/s")
    print(f"ingest --no-nlp:     {args.docs / ingest_s:8.1f} documents/s  (parse + store in SQLite)")
    print(f"re-ingest (skipped): {args.docs / reingest_s:8.1f} documents/s")


if __name__ == "__main__":
    main()
