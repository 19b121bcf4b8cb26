"""Score incident building on the development corpus against ../shared/gold/dev/incidents.json.

    python eval/score_dev.py              # writes out/dev.jsonl (records of seeds and dev articles)
    python eval/incidents_eval.py [--records out/dev.jsonl] [--verbose] [--json]

The fictional outlets of the dev corpus are loaded as a user KB extension (their editorial type
as affiliation) from ../shared/corpus/fictional-outlets.json, never into the shipped KB.
Development aid only: the shared material is not part of the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _outlet_extension(shared: Path) -> str:
    src = shared / "corpus" / "fictional-outlets.json"
    tmp = Path(tempfile.mkdtemp(prefix="tw-kb-extra-"))
    (tmp / "outlets").mkdir()
    rows = json.loads(src.read_text()) if src.exists() else []
    lines = []
    for i, row in enumerate(rows):
        lines.append(f"- id: fictional-{i}\n  name: {json.dumps(row['outlet'])}\n"
                     f"  affiliation: {json.dumps(row['editorial_type'])}\n  type: fictional\n")
    (tmp / "outlets" / "fictional.yaml").write_text("".join(lines))
    return str(tmp)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--records", type=Path, default=ROOT / "out" / "dev.jsonl")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    os.environ["TRUCEWATCH_KB_EXTRA"] = _outlet_extension(a.shared)
    from trucewatch.incidents import build_incidents
    from trucewatch.incidents.scoring import score

    records = [json.loads(line) for line in a.records.read_text().splitlines() if line.strip()]
    gold = json.loads((a.shared / "gold" / "dev" / "incidents.json").read_text())
    pred = build_incidents(records)
    result = score(gold, pred, universe={r["id"] for r in records})
    if a.json:
        print(json.dumps(result, indent=1, default=str))
        return 0
    pw, im, fg = result["pairwise"], result["incident_match"], result["figures"]
    print(f"incidents: {len(pred)} predicted, {im['gold_incidents']} gold")
    print(f"pairwise   P {pw['precision']:.3f}  R {pw['recall']:.3f}  F1 {pw['f1']:.3f}  "
          f"(gold pairs {pw['gold_pairs']}, predicted {pw['pred_pairs']}, true {pw['true_pairs']})")
    print(f"incident match: mean best Jaccard {im['mean_best_jaccard']:.3f}, "
          f"{im['found_at_0.5']}/{im['gold_incidents']} gold incidents found at >= 0.5")
    print(f"figures: {fg['found']}/{fg['total']} in the matching incident's table; "
          f"conflicting {fg['conflicting_found']}/{fg['conflicting_total']}")
    if a.verbose:
        print("false pairs:", pw["false_pairs"])
        print("missed pairs:", pw["missed_pairs"])
        for m in fg["missing"]:
            print("  missing figure", m)
        for inc in pred:
            print(f"  {inc['incident_id']} {inc['type']:<12} {inc['date']:<21} {','.join(inc['places'])[:40]:<40} "
                  f"{inc['articles']} figs={len(inc['figures'])} conflicts={[c['field'] for c in inc['conflicts']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
