"""One table of development scores: the shared development gold and every development-kit set built.

    python eval/eval_dev.py [--shared ../shared] [--devdata eval/data/dev] [--sets a,b] [--out out/eval] [--json]

(`make eval-dev`.)  Each set is extracted with the current code and scored with the shared scorer
(``../shared/eval/score.py``); sets that are not built are listed with the command that builds
them.  Development aid only: nothing here is part of the package, and the kit never builds test
splits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from trucewatch import api
from trucewatch.pipeline import Extractor

ROOT = Path(__file__).resolve().parents[1]
KIT_SETS = ("polnear-dev", "timebank", "toponyms", "acled-dev")  # measured (polnear-train is for reading)
SECTIONS = ("claims", "events", "casualties", "places", "times")
# the attribute accuracies worth a column, per section
ATTRS = {"claims": ("speaker", "kind"), "events": ("subtype", "actor", "target", "modality"),
         "casualties": ("perpetrator", "asserted_by"), "places": ("within_25km",), "times": ("value",)}


def extract(meta_files: list[Path], out: Path, ex: Extractor) -> tuple[int, float]:
    out.parent.mkdir(parents=True, exist_ok=True)
    n, t0 = 0, time.perf_counter()
    with out.open("w", encoding="utf-8") as fh:
        for meta in meta_files:
            for res in api.extract([], meta=meta, extractor=ex):
                if res.rejection:
                    print(res.rejection.line(), file=sys.stderr)
                for rec in res.records:
                    fh.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
                    n += 1
    return n, time.perf_counter() - t0


def score(shared: Path, gold: Path, pred: Path) -> dict:
    cmd = [sys.executable, str(shared / "eval" / "score.py"), str(gold), str(pred), "--json"]
    return json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--devdata", type=Path, default=ROOT / "eval" / "data" / "dev")
    ap.add_argument("--sets", help="comma-separated: dev-gold and kit set names (default: all)")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "eval")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not (a.shared / "eval" / "score.py").exists():
        print(f"no shared material at {a.shared}", file=sys.stderr)
        return 2
    wanted = a.sets.split(",") if a.sets else ["dev-gold", *KIT_SETS]
    ex = Extractor()
    rows, missing = [], []
    for name in wanted:
        if name == "dev-gold":
            metas = [a.shared / "corpus" / c / "meta.jsonl" for c in ("seeds", "dev")]
            gold = a.shared / "gold" / "dev"
        else:
            metas = [a.devdata / name / "texts" / "meta.jsonl"]
            gold = a.devdata / name / "gold"
            if not metas[0].exists():
                missing.append(name)
                continue
        pred = a.out / f"{name}.jsonl"
        n, secs = extract(metas, pred, ex)
        result = score(a.shared, gold, pred)
        rows.append((name, n, secs, result))
        print(f"scored {name}: {n} articles in {secs:.0f}s", file=sys.stderr)
    if a.json:
        print(json.dumps({name: r for name, _n, _s, r in rows}, indent=1))
    else:
        print(table(rows))
    for name in missing:
        print(f"not built: {name} (build it: python3 {a.shared}/devdata/build.py --mirror MIRROR "
              f"--out {a.devdata} {name}; see {a.shared}/devdata/README.md)")
    return 0


def table(rows) -> str:
    lines = ["| set | articles | section | P | R | F1 | attributes |", "|---|---:|---|---:|---:|---:|---|"]
    for name, n, _secs, r in rows:
        scored = r.get("scored_sections") or list(SECTIONS)
        for sec in SECTIONS:
            if sec not in scored:
                continue
            s = r[sec]
            attrs = ", ".join(f"{k} {s[k + '_acc']:.2f}" for k in ATTRS[sec] if s.get(k + "_acc") is not None)
            lines.append(f"| {name} | {n} | {sec} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                         f"{attrs} |")
        lines.append(f"| {name} | | **macro F1** | | | **{r['macro_f1']:.3f}** | |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
