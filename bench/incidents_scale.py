"""Benchmark: building incidents from synthetic event records, at 10k and 100k events.

    python bench/incidents_scale.py                # sizes 10000 and 100000
    python bench/incidents_scale.py --sizes 1000 10000 100000

The generator draws "true" incidents (a day in one year, a gazetteer place, an attack or
exchange or aid subtype, a toll) and writes article records in the ``trucewatch/article@1``
shape that report one to three of that day's incidents, five mentions (events and figures) per
article, with the publication day, outlet, places by name and a short synthetic text; one
article in ten is a lightly edited copy of another (syndication).  Each size runs in a fresh
process so the peak resident memory printed is that size's own.

Coverage density is fixed (``--per-day`` articles a day, 55 by default: 100,000 events are a
year of coverage, 10,000 about five weeks), so the sizes differ in days covered, as archives
grow.  Near-linear scaling is the target: blocking by day and group means the work grows with
the mentions per day, not with all pairs.  Raising ``--per-day`` shows the cost of denser days.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

SUBTYPES = [("attack", "airstrike"), ("attack", "shelling"), ("attack", "gunfire"), ("attack", "rocket_fire"),
            ("exchange", "captive_release"), ("humanitarian", "aid_entry"), ("humanitarian", "crossing_closed"),
            ("diplomacy", "meeting")]
OUTLETS = [f"Synthetic Outlet {i:02d}" for i in range(40)]
WORDS = ("strike home family camp street neighbourhood rescue rubble night morning army ministry officials "
         "residents hospital wounded trucks crossing convoy talks envoy mediators fighters tanks drone").split()


def generate(n_events: int, per_day: int = 55, seed: int = 7) -> list[dict]:
    from trucewatch.kb import load_kb

    rng = random.Random(seed)
    places = sorted(p.name for p in load_kb().places.values() if p.feature not in ("country", "territory"))
    start = date(2024, 1, 1)
    per_article = 5
    n_articles = n_events // per_article
    incidents_per_day = max(3, per_day // 3)
    records = []
    day_incidents: dict[int, list[tuple]] = {}
    for k in range(n_articles):
        d = k // per_day
        day = start + timedelta(days=d)
        if d not in day_incidents:
            day_incidents[d] = [(rng.choice(places), *rng.choice(SUBTYPES), rng.randint(1, 60))
                                for _ in range(incidents_per_day)]
        if records and rng.random() < 0.1:  # a syndicated copy of a recent article
            src = rng.choice(records[-20:])
            rec = json.loads(json.dumps(src))
            rec["id"] = f"s-{k}"
            rec["outlet"] = rng.choice(OUTLETS)
            rec["text"] = rec["text"].replace("said", "stated", 1)
            records.append(rec)
            continue
        chosen = rng.sample(day_incidents[d], k=min(len(day_incidents[d]), rng.randint(1, 3)))
        text_parts, events, casualties = [], [], []
        for place, etype, subtype, toll in chosen:
            s0 = sum(len(p) + 1 for p in text_parts)
            sentence = (f"A {subtype.replace('_', ' ')} in {place} on {day.isoformat()} "
                        + " ".join(rng.choice(WORDS) for _ in range(25)) + ", officials said.")
            text_parts.append(sentence)
            events.append({"type": etype, "subtype": subtype, "actor": rng.choice(["Israel", "Hamas", None]),
                           "target": None, "places": [place], "date": day.isoformat(), "asserted_by": "author",
                           "evidence": [s0, s0 + len(sentence)], "claim": None, "status": None})
            if etype == "attack":
                casualties.append({"status": "killed", "count": toll + rng.choice([0, 0, 2, -1]),
                                   "count_max": None, "qualifier": rng.choice(["exact", "at_least"]),
                                   "who": "people", "place": place, "date": None, "perpetrator": None,
                                   "asserted_by": rng.choice(["author", "health ministry", "civil defence"]),
                                   "evidence": [s0, s0 + 20], "claim": None})
        while len(events) + len(casualties) < per_article:
            events.append(dict(events[0]))
        records.append({"schema": "trucewatch/article@1", "id": f"a-{k}", "outlet": rng.choice(OUTLETS),
                        "published": day.isoformat(), "published_at": None, "dateline": None,
                        "text": " ".join(text_parts), "events": events, "casualties": casualties, "places": []})
    return records


def child(n: int, per_day: int) -> dict:
    from functools import lru_cache

    from trucewatch.incidents import build_incidents, mentions_of, period_of_agreements
    from trucewatch.incidents.cluster import block_pairs
    from trucewatch.incidents.mentions import GENERIC_FEATURES, ancestors
    from trucewatch.kb import load_kb

    records = generate(n, per_day)
    t0 = time.perf_counter()
    incidents = build_incidents(records)
    elapsed = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The algorithmic work: candidate pairs the blocking lets through.
    kb = load_kb()
    mentions = mentions_of(records, kb)
    anc = lru_cache(maxsize=None)(lambda p: ancestors(kb, p))
    pairs = sum(1 for _ in block_pairs(mentions, period_of_agreements(), anc,
                                       lambda p: (kb.places[p].feature if p in kb.places else "") in GENERIC_FEATURES))
    return {"events_requested": n, "articles": len(records), "mentions": len(mentions), "incidents": len(incidents),
            "seconds": round(elapsed, 2), "mentions_per_s": round(len(mentions) / elapsed),
            "pairs_per_mention": round(pairs / len(mentions), 1), "peak_rss_mb": round(peak_kb / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--per-day", type=int, default=55, help="articles per day of coverage")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.per_day)))
        return 0
    rows = []
    for n in a.sizes:
        cmd = [sys.executable, __file__, "--child", str(n), "--per-day", str(a.per_day)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{a.per_day} articles per day of coverage")
    print(f"{'events':>8} {'articles':>8} {'mentions':>9} {'incidents':>9} {'seconds':>8} {'mentions/s':>10} "
          f"{'pairs/mention':>13} {'peak RSS MB':>11}")
    for r in rows:
        print(f"{r['events_requested']:>8} {r['articles']:>8} {r['mentions']:>9} {r['incidents']:>9} "
              f"{r['seconds']:>8} {r['mentions_per_s']:>10} {r['pairs_per_mention']:>13} {r['peak_rss_mb']:>11}")
    if len(rows) >= 2:
        a0, a1 = rows[0], rows[-1]
        ratio = (a1["seconds"] / a0["seconds"]) / (a1["mentions"] / a0["mentions"])
        print(f"time per mention at {a1['mentions']} vs {a0['mentions']}: x{ratio:.2f} (1.00 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
