"""Rebuild TruceWatch's trained components (``make train``), or measure them by cross-validation.

    python -m trucewatch.train [--component NAME ...] [--cv K] [--out DIR]
                               [--shared ../shared] [--devdata eval/data/dev] [--corpus training/corpus]

Without ``--cv``: trains each component on all its sources and writes it to the package
(``src/trucewatch/weights/<name>/``, or ``--out``).  With ``--cv K``: splits the sources into K
folds, trains K times on the other folds, extracts each held-out article with the model that
never saw it, and scores the held-out records with the shared scorer per source (the honest
figure for sources the shipped model was trained on).  Every source must be present: the
command stops rather than train on less.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trucewatch.ml import WEIGHTS_DIR
from trucewatch.train import data as D
from trucewatch.train import events as EV
from trucewatch.train import kinds as KD
from trucewatch.train.spancat import train

ROOT = Path(__file__).resolve().parents[3]

# component -> (sources, example builder, training settings)
PLAN = {
    "tw_event_classifier": (("shared", "kit:acled-dev", "corpus"), EV.examples, {"epochs": 15}),
    "tw_claim_kinds": (("shared", "corpus"), KD.examples, {"epochs": 20}),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def load_sources(names: set[str], a: argparse.Namespace) -> list[D.Annotated]:
    items: list[D.Annotated] = []
    for name in sorted(names):
        if name == "shared":
            if not (a.shared / "gold" / "dev").is_dir():
                raise SystemExit(f"missing source: the shared development gold ({a.shared}/gold/dev)")
            items += D.shared_gold(a.shared)
        elif name.startswith("kit:"):
            kit = name.split(":", 1)[1]
            if not (a.devdata / kit / "gold").is_dir():
                raise SystemExit(f"missing source: development-kit set {kit} in {a.devdata} (build it: python3 "
                                 f"../shared/devdata/build.py --mirror MIRROR --out {a.devdata} {kit})")
            items += D.kit_set(a.devdata, kit)
        elif name == "corpus":
            if not any(a.corpus.glob("*.jsonl")):
                raise SystemExit(f"missing source: the team's annotated corpus ({a.corpus}/*.jsonl)")
            items += D.own_corpus(a.corpus)
    return items


def analyse(items: list[D.Annotated]):
    """Each article through the rule pipeline (no trained components): the training documents."""
    from trucewatch.nlp import load_nlp
    from trucewatch.pipeline import make_doc

    nlp = load_nlp.__wrapped__(trained=False)
    t0 = time.perf_counter()
    docs = list(nlp.pipe((make_doc(nlp, it.article) for it in items), batch_size=32))
    log(f"analysed {len(docs)} training articles in {time.perf_counter() - t0:.0f}s")
    return nlp, list(zip(items, docs, strict=True))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--component", action="append", choices=sorted(PLAN))
    ap.add_argument("--cv", type=int, default=0)
    ap.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--devdata", type=Path, default=ROOT / "eval" / "data" / "dev")
    ap.add_argument("--corpus", type=Path, default=ROOT / "training" / "corpus")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--without", action="append", default=[], metavar="SOURCE",
                    help="leave a source out (experiments only: `make train` uses every source)")
    a = ap.parse_args(argv)
    names = a.component or list(PLAN)
    sources = {s for n in names for s in PLAN[n][0]} - set(a.without)
    started = time.perf_counter()
    nlp, analysed = analyse(load_sources(sources, a))
    for name in names:
        srcs, build, settings = PLAN[name]
        srcs = tuple(s for s in srcs if s in sources)
        mine = [(it, doc) for it, doc in analysed if it.source in srcs]
        if a.cv:
            cross_validate(name, mine, build, settings, a, nlp)
            continue
        t0 = time.perf_counter()
        exs = build(mine)
        log(f"{name}: {len(exs)} training documents from {', '.join(srcs)}")
        model = train(name, exs, seed=a.seed, vocab_from=nlp, log=log, **settings)
        dest = a.out / name
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        model.to_disk(dest, exclude=["vocab", "tokenizer"])  # the pipeline's own vocabulary serves
        (dest / "meta.json").write_text(json.dumps({
            "lang": "en", "name": name, "version": "1.0.0", "description": f"TruceWatch {name}",
            "sources": list(srcs), "training_seconds": round(time.perf_counter() - t0, 1),
            "documents": len(exs)}, indent=1) + "\n")
        log(f"{name}: written to {dest} in {time.perf_counter() - t0:.0f}s")
    log(f"done in {time.perf_counter() - started:.0f}s")
    return 0


def cross_validate(name, mine, build, settings, a, nlp) -> None:
    """K-fold: each article extracted by a model trained without it; scored per source."""
    from trucewatch.record import record_of

    items = [it for it, _ in mine]
    docs = {id(it): doc for it, doc in mine}
    folds = D.folds(items, a.cv)
    records: dict[str, list[dict]] = {}
    for k, held in enumerate(folds):
        train_items = [(it, docs[id(it)]) for j, f in enumerate(folds) if j != k for it in f]
        model = train(name, build(train_items), seed=a.seed, vocab_from=nlp, log=None, **settings)
        proc = model.get_pipe(name)
        for it in held:
            doc = docs[id(it)]
            doc = proc(doc)
            for after in TRAINED_RERUN[name]:
                doc = nlp.get_pipe(after)(doc)
            records.setdefault(it.source, []).append(record_of(doc).to_json())
        log(f"{name} fold {k + 1}/{a.cv}: trained on {len(train_items)}, extracted {len(held)}")
    for source, recs in sorted(records.items()):
        gold = _gold_dir(source, a, [it for it in items if it.source == source])
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / "pred.jsonl"
            pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
            log(f"== {name}, {a.cv}-fold cross-validation, {source} ({len(recs)} articles)")
            subprocess.call([sys.executable, str(a.shared / "eval" / "score.py"), str(gold), str(pred)])


# the components that read a trained component's output and must run again after it
TRAINED_RERUN = {"tw_event_classifier": ("tw_events",), "tw_claim_kinds": ("tw_claim_kinds_apply",)}


def _gold_dir(source: str, a: argparse.Namespace, items: list[D.Annotated]) -> Path:
    if source == "shared":
        return a.shared / "gold" / "dev"
    if source.startswith("kit:"):
        return a.devdata / source.split(":", 1)[1] / "gold"
    # the corpus: its passages as gold records in a temporary folder
    folder = Path(tempfile.mkdtemp(prefix="tw-corpus-gold-"))
    for it in items:
        rec = {"schema": "trucewatch/article@1", "id": it.article.id, "scored": ["claims", "events", "casualties"],
               **{k: it.gold.get(k, []) for k in ("claims", "events", "casualties")}}
        (folder / f"{it.article.id}.json").write_text(json.dumps(rec))
    return folder


if __name__ == "__main__":
    sys.exit(main())
