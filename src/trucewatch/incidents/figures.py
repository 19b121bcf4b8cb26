"""Per incident: the figure table, ranges, latest figure per original source, and conflicts.

* **figure table** - every casualty/exchange figure in the incident with its article, outlet,
  publication time, qualifier and who asserts it;
* **ranges** - lowest and highest count per status ("killed": 11 to 44);
* **latest** - per original source (the health ministry, the army, the outlet itself for its
  own voice) its newest figure per status.  A source whose toll rises through the day is
  *updating*, listed under ``updates``, not a conflict;
* **conflicts** - figures from different sources whose value ranges cannot both be true
  ("36" and "at least 44"; "more than 20" and "at least 70" are compatible), actors of the same
  kind of event told differently by different sources (who fired first), and explicit dates
  that differ between articles.

Sources are keyed through the KB (a person speaks for their affiliation; "Gaza health
officials" and "the health ministry in Gaza" are one source when the KB says so).
"""

from __future__ import annotations

import math
from collections import defaultdict

from trucewatch.incidents.mentions import Mention, source_key
from trucewatch.kb import KnowledgeBase


def value_range(count: int | None, count_max: int | None, qualifier: str | None) -> tuple[float, float]:
    """The values a figure allows: "at least 70" -> [70, inf), "about 100" -> [90, 110]."""
    if count is None:
        return (0.0, math.inf)
    lo = float(count)
    hi = float(count_max) if count_max is not None else lo
    q = qualifier or "exact"
    if q in ("at_least", "more_than"):
        return (lo + (1 if q == "more_than" else 0), math.inf)
    if q in ("at_most", "up_to", "fewer_than", "less_than"):
        return (0.0, hi - (1 if q in ("fewer_than", "less_than") else 0))
    if q in ("about", "approximately", "nearly", "almost"):
        return (lo * 0.9, hi * 1.1)
    return (lo, hi)


def compatible(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def figure_rows(members: list[Mention], copies: dict[str, str]) -> list[dict]:
    rows = []
    for m in members:
        if m.kind != "figure":
            continue
        f = m.figure
        rows.append({
            "article": m.article, "outlet": m.outlet, "status": f.get("status"), "count": f.get("count"),
            "count_max": f.get("count_max"), "qualifier": f.get("qualifier"), "who": f.get("who"),
            "asserted_by": f.get("asserted_by") or "author", "published": m.published,
            "place": f.get("place"), "date": m.start.isoformat() if m.dated else None,
            "evidence": list(m.evidence), "text": m.text, "syndicated_from": copies.get(m.article),
        })
    rows.sort(key=lambda r: (str(r["published"] or ""), r["article"], r["evidence"][0]))
    return rows


def analyse(members: list[Mention], rows: list[dict], kb: KnowledgeBase) -> dict:
    """Ranges, latest per source, updates and conflicts of one incident."""
    ranges: dict[str, dict] = {}
    for r in rows:
        if r["count"] is None:
            continue
        hi = r["count_max"] if r["count_max"] is not None else r["count"]
        cur = ranges.setdefault(r["status"], {"min": r["count"], "max": hi})
        cur["min"], cur["max"] = min(cur["min"], r["count"]), max(cur["max"], hi)

    # Latest figure per (status, source); an earlier, different figure of the same source is an update.
    by_source: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        by_source[(r["status"], source_key(kb, r["asserted_by"], r["outlet"]))].append(r)
    latest, updates = [], []
    for (status, src), items in sorted(by_source.items()):
        items.sort(key=lambda r: (str(r["published"] or ""), r["count"] or 0))
        last = items[-1]
        latest.append({"status": status, "source": src, "count": last["count"], "count_max": last["count_max"],
                       "qualifier": last["qualifier"], "asserted_by": last["asserted_by"],
                       "article": last["article"], "published": last["published"]})
        values = []
        peak: dict[str, dict] = {}  # one figure per publication: the largest (a part is not an update)
        for r in items:
            key = str(r["published"] or "")
            if key not in peak or (r["count"] or 0) > (peak[key]["count"] or 0):
                peak[key] = r
        for r in sorted(peak.values(), key=lambda r: str(r["published"] or "")):
            v = (r["count"], r["count_max"], r["qualifier"])
            if not values or values[-1]["value"] != v:
                values.append({"value": v, "published": r["published"], "article": r["article"]})
        if len(values) > 1:
            updates.append({"status": status, "source": src,
                            "series": [{"count": v["value"][0], "count_max": v["value"][1],
                                        "qualifier": v["value"][2], "published": v["published"],
                                        "article": v["article"]} for v in values]})

    conflicts: list[dict] = []
    by_status: dict[str, list[dict]] = defaultdict(list)
    for entry in latest:
        by_status[entry["status"]].append(entry)
    for status, entries in sorted(by_status.items()):
        clash = False
        for i, a in enumerate(entries):
            ra = value_range(a["count"], a["count_max"], a["qualifier"])
            for b in entries[i + 1:]:
                if a["article"] == b["article"]:
                    continue  # one article's different figures are parts ("90 freed, 69 of them women")
                if not compatible(ra, value_range(b["count"], b["count_max"], b["qualifier"])):
                    clash = True
        if clash:
            conflicts.append({"field": "count", "status": status, "values": [
                {k: e[k] for k in ("count", "count_max", "qualifier", "asserted_by", "source", "article")}
                for e in entries]})

    # Who did it: the same kind of act attributed to different actors by different sources.
    actors: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for m in members:
        if m.kind == "event" and m.actor and m.group == "violence":
            actors[m.subtype or m.type][m.actor].append({"asserted_by": m.asserted_by or "author",
                                                         "article": m.article, "evidence": list(m.evidence)})
    for subtype, table in sorted(actors.items()):
        if len(table) > 1:
            sources = {a: {source_key(kb, x["asserted_by"], None) for x in xs} for a, xs in table.items()}
            if len(set().union(*sources.values())) > 1:
                conflicts.append({"field": "actor", "subtype": subtype, "values": [
                    {"actor": a, "asserted_by": sorted({x["asserted_by"] for x in xs}),
                     "articles": sorted({x["article"] for x in xs})} for a, xs in sorted(table.items())]})

    days: dict[str, set[str]] = defaultdict(set)
    for m in members:
        if m.kind == "event" and m.dated and not m.period:
            days[m.start.isoformat()].add(m.article)
    if len(days) > 1 and len(set().union(*days.values())) > 1:
        conflicts.append({"field": "date", "values": [{"date": d, "articles": sorted(a)}
                                                      for d, a in sorted(days.items())]})
    return {"ranges": ranges, "latest": latest, "updates": updates, "conflicts": conflicts}


QUALIFIER_SIGNS = {"at_least": "\u2265", "more_than": ">", "about": "~", "up_to": "\u2264", "at_most": "\u2264"}


def figure_text(f: dict) -> str:
    """A figure as people write it: "\u226550", ">15000", "29\u201344" (for tables in the CLI and web)."""
    sign = QUALIFIER_SIGNS.get(f.get("qualifier") or "exact", "")
    n = f"{f['count']}\u2013{f['count_max']}" if f.get("count_max") else str(f.get("count"))
    return sign + n
