"""Scoring incidents against a gold grouping (``incidents.json``: a list of incidents with
``articles``, ``date`` and ``figures``), for the project's evaluation tooling.

* **pairwise** - over unordered article pairs: a pair is positive when both articles share at
  least one incident.  Precision and recall of predicted pairs against gold pairs.
* **incident match** - for each gold incident, the best Jaccard overlap of its article set with a
  predicted incident whose dates come within a day of the gold dates (a stricter view: it
  rewards finding each incident, not only linking the right articles).
* **figures** - a gold figure is found when a predicted incident sharing the gold incident's
  article and dates lists the same article, status and count in its figure table.  Figures of
  gold incidents whose counts disagree are the *conflicting* ones.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations


def _span(value: str) -> tuple[date, date]:
    parts = value.split("/")
    return date.fromisoformat(parts[0][:10]), date.fromisoformat(parts[-1][:10])


def article_pairs(incidents: list[dict], universe: set[str] | None = None) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for inc in incidents:
        arts = sorted(a for a in set(inc["articles"]) if universe is None or a in universe)
        pairs.update(combinations(arts, 2))
    return pairs


def _near(gold: dict, pred: dict, slack: int = 1) -> bool:
    gs, ge = _span(gold["date"])
    ps, pe = _span(pred.get("date_start", pred["date"])), _span(pred.get("date_end", pred["date"]))
    ps, pe = ps[0], pe[1]
    d = timedelta(days=slack)
    return ps <= ge + d and gs - d <= pe


def score(gold: list[dict], pred: list[dict], universe: set[str] | None = None) -> dict:
    universe = universe or {a for g in gold for a in g["articles"]}
    gp, pp = article_pairs(gold), article_pairs(pred, universe)
    tp = len(gp & pp)
    precision = tp / len(pp) if pp else 0.0
    recall = tp / len(gp) if gp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    best = []
    for g in gold:
        ga = set(g["articles"])
        scores = [len(ga & set(p["articles"])) / len(ga | (set(p["articles"]) & universe))
                  for p in pred if ga & set(p["articles"]) and _near(g, p)]
        best.append(max(scores, default=0.0))

    found = total = c_found = c_total = 0
    missing: list[dict] = []
    for g in gold:
        figs = g.get("figures") or []
        by_status: dict[str, set[int]] = {}
        for f in figs:
            by_status.setdefault(f["status"], set()).add(f["count"])
        candidates = [p for p in pred if set(g["articles"]) & set(p["articles"]) and _near(g, p)]
        for f in figs:
            hit = any(r["article"] == f["article"] and r["status"] == f["status"] and r["count"] == f["count"]
                      for p in candidates for r in p.get("figures", []))
            conflicting = len(by_status[f["status"]]) > 1
            total += 1
            found += hit
            if conflicting:
                c_total += 1
                c_found += hit
            if not hit:
                missing.append({"incident": g.get("incident_id"), "article": f["article"], "status": f["status"],
                                "count": f["count"], "conflicting": conflicting,
                                "evidence_text": f.get("evidence_text")})
    return {
        "pairwise": {"precision": precision, "recall": recall, "f1": f1, "gold_pairs": len(gp),
                     "pred_pairs": len(pp), "true_pairs": tp,
                     "false_pairs": sorted(pp - gp), "missed_pairs": sorted(gp - pp)},
        "incident_match": {"mean_best_jaccard": sum(best) / len(best) if best else 0.0,
                           "found_at_0.5": sum(1 for b in best if b >= 0.5), "gold_incidents": len(gold)},
        "figures": {"found": found, "total": total, "conflicting_found": c_found, "conflicting_total": c_total,
                    "missing": missing},
    }
