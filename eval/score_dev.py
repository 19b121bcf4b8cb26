"""Extract the team's development corpus and score it with the shared scorer.

    python eval/score_dev.py [--verbose] [--only dev-01,dev-02] [--out out/dev.jsonl] [--json]

Reads ../shared/corpus/{seeds,dev}/meta.jsonl relative to the repository (or --shared DIR),
writes the records to --out, and runs ../shared/eval/score.py on them.  Development aid only:
the shared material is not part of the repository.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "out" / "dev.jsonl")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--only")
    a = ap.parse_args()
    if not (a.shared / "eval" / "score.py").exists():
        print(f"no shared material at {a.shared}", file=sys.stderr)
        return 2
    a.out.parent.mkdir(parents=True, exist_ok=True)
    ex = Extractor()
    t0 = time.perf_counter()
    n = 0
    with a.out.open("w") as fh:
        for corpus in ("seeds", "dev"):
            for res in api.extract([], meta=a.shared / "corpus" / corpus / "meta.jsonl", extractor=ex):
                if res.rejection:
                    print(res.rejection.line(), file=sys.stderr)
                for rec in res.records:
                    fh.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
                    n += 1
    print(f"extracted {n} records in {time.perf_counter() - t0:.1f}s -> {a.out}", file=sys.stderr)
    cmd = [sys.executable, str(a.shared / "eval" / "score.py"), str(a.shared / "gold" / "dev"), str(a.out)]
    cmd += ["--verbose"] if a.verbose else []
    cmd += ["--json"] if a.json else []
    cmd += ["--only", a.only] if a.only else []
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
