"""Score incident building on the development corpus against ../shared/gold/dev/incidents.json.

    python eval/score_dev.py              # writes out/dev.jsonl (records of seeds and dev articles)
    python eval/incidents_eval.py [--records out/dev.jsonl] [--verbose] [--json]

Running totals are no incidents: they are readings of toll series.  The gold still groups the
reports of a running total made within days of each other as an incident of its own (ids with
``cumulative``), so three views are printed:

* **all gold incidents** - predicted incidents plus, for each series scope (what a total counts,
  whatever its source), its readings chained by as-of days at most :data:`ROUND_DAYS` apart:
  the figure comparable with the scores before toll series existed;
* **incidents** - gold running-total incidents left out, toll series left out;
* **running totals** - gold running-total figures found as readings of a series.

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
ROUND_DAYS = 7


def _rounds(series: list[dict]) -> list[dict]:
    """Each scope's readings (all sources) chained by as-of days at most ROUND_DAYS apart, as
    incident-like groups for the gold's running-total incidents."""
    from datetime import date

    by_scope: dict[str, list[dict]] = {}
    for s in series:
        by_scope.setdefault(s["scope_id"], []).extend(s["readings"])
    out = []
    for readings in by_scope.values():
        readings.sort(key=lambda r: r["as_of"])
        cur: list[dict] = []
        for r in readings:
            if cur and (date.fromisoformat(r["as_of"]) - date.fromisoformat(cur[-1]["as_of"])).days > ROUND_DAYS:
                out.append(cur)
                cur = []
            cur.append(r)
        if cur:
            out.append(cur)
    return [{"articles": sorted({r["article"] for r in g}), "date": g[0]["as_of"], "date_start": g[0]["as_of"],
             "date_end": g[-1]["as_of"], "figures": [{k: r[k] for k in ("article", "status", "count")} for r in g]}
            for g in out]


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
    from trucewatch.incidents import build_all
    from trucewatch.incidents.scoring import score

    records = [json.loads(line) for line in a.records.read_text().splitlines() if line.strip()]
    gold = json.loads((a.shared / "gold" / "dev" / "incidents.json").read_text())
    built = build_all(records)
    pred, series = built["incidents"], built["series"]
    universe = {r["id"] for r in records}
    running = [g for g in gold if "cumulative" in g["incident_id"]]
    result = {
        "all": score(gold, pred + _rounds(series), universe=universe),
        "incidents": score([g for g in gold if g not in running], pred, universe=universe),
        "running_totals": score(running, _rounds(series), universe=universe)["figures"],
        "series": len(series),
    }
    if a.json:
        print(json.dumps(result, indent=1, default=str))
        return 0
    print(f"incidents: {len(pred)} predicted, {len(gold)} gold ({len(running)} of them running totals); "
          f"{len(series)} toll series")
    for name, title in (("all", "all gold incidents (series read by scope and week)"),
                        ("incidents", "incidents (running totals left out)")):
        pw, im, fg = result[name]["pairwise"], result[name]["incident_match"], result[name]["figures"]
        print(f"{title}:")
        print(f"  pairwise   P {pw['precision']:.3f}  R {pw['recall']:.3f}  F1 {pw['f1']:.3f}  "
              f"(gold pairs {pw['gold_pairs']}, predicted {pw['pred_pairs']}, true {pw['true_pairs']})")
        print(f"  incident match: mean best Jaccard {im['mean_best_jaccard']:.3f}, "
              f"{im['found_at_0.5']}/{im['gold_incidents']} gold incidents found at >= 0.5")
        print(f"  figures: {fg['found']}/{fg['total']} in the matching incident's table; "
              f"conflicting {fg['conflicting_found']}/{fg['conflicting_total']}")
    rt = result["running_totals"]
    print(f"running totals: {rt['found']}/{rt['total']} gold figures found as readings of a toll series")
    if a.verbose:
        pw, fg = result["all"]["pairwise"], result["all"]["figures"]
        print("false pairs:", pw["false_pairs"])
        print("missed pairs:", pw["missed_pairs"])
        for m in fg["missing"]:
            print("  missing figure", m)
        for inc in pred:
            print(f"  {inc['incident_id']} {inc['type']:<12} {inc['date']:<21} {','.join(inc['places'])[:40]:<40} "
                  f"{inc['articles']} figs={len(inc['figures'])} conflicts={[c['field'] for c in inc['conflicts']]}")
        for s in series:
            print(f"  {s['series_id']} {s['label']:<50} {s['source']['name'][:30]:<30} "
                  f"{[(r['article'], r['count'], r['as_of']) for r in s['readings']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
