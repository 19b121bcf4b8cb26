"""Toll series: running totals ("more than 15,000 since the war began", "97 since the ceasefire
took effect") kept apart from incidents, one series per primary source and scope.

A running total is a figure whose record date is an interval ``start/end`` (the count runs from
``start`` and holds on ``end``), or, in records that predate intervals, one worded as a running
total.  Each such figure is a **reading** of a series.  The **scope** says what the series
counts: the status (killed, injured), the victims (a people and a class: "Palestinians",
"soldiers", "children"), the place (a territory or a locality) and the day the count starts
from (``since``: the interval's start; without one, for a total "since the truce" the day the
agreement in force over its place took effect, for any other the start of the war over that
place, ``since_given: false``).  The **source** is the primary source at
the end of the figure's chain (the health ministry quoted by an outlet quoting a wire), or the
outlet itself when it states the total in its own voice.

Series of one scope from different sources are listed side by side (``scope_id``); a reading
lower than an earlier one of the same series is listed under ``revisions`` (a running total
only grows, so that is a correction or a different count, worth a look).

Incidents link to the series whose readings their articles report around the incident's days
(``toll_series`` in an incident).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from trucewatch.incidents.mentions import Mention
from trucewatch.incidents.sources import outlet_source, resolve
from trucewatch.kb import KnowledgeBase
from trucewatch.kb.names import fold


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def _about(m: Mention, kb: KnowledgeBase) -> set[str]:
    """Names of a reading's places and the places around them (to tell which agreement, which
    war, a total is about)."""
    from trucewatch.incidents.mentions import ancestors

    about = {m.figure["place"]} if m.figure.get("place") else set()
    for pid in m.places:
        for x in (pid, *ancestors(kb, pid)):
            if x in kb.places:
                about.add(kb.places[x].name)
    return about


def _since(m: Mention, kb: KnowledgeBase) -> tuple[str | None, bool]:
    """(ISO day the total counts from, whether the report gives it).  Without an interval, a
    total "since the truce" counts from the day the agreement in force over its place took
    effect, any other from the start of the war over that place (the ``conflict_start`` of
    the agreements naming it, as the extraction dates totals), marked not given."""
    if m.since is not None:
        return m.since.isoformat(), True
    from trucewatch.agreements import in_force_on, load_agreements

    about = _about(m, kb)
    if m.group == "toll-truce":
        agreement = in_force_on(m.end, about)
        if agreement is not None:
            return agreement.in_force.isoformat(), True
        return None, False
    starts = [a.conflict_start for a in load_agreements().values()
              if a.conflict_start is not None and a.conflict_start <= m.end
              and about & (set(a.regions) | set(a.parties))]
    return (max(starts).isoformat(), False) if starts else (None, False)


def _place(kb: KnowledgeBase, m: Mention) -> tuple[str | None, str | None, str | None]:
    """(place id, name, level) of a reading: a locality or a region (territory, country)."""
    ids = sorted(m.specific) or sorted(m.generic)
    if not ids:
        return None, None, None
    pid = ids[0]
    entry = kb.places.get(pid)
    level = "region" if not m.specific else "locality"
    return pid, (entry.name if entry else (m.figure.get("place") or pid)), level


def source_of(kb: KnowledgeBase, m: Mention) -> dict:
    """The primary source of a mention: the last link of its chain, or the outlet's own voice."""
    src = resolve(kb, m.chain[-1]) if m.chain else None
    if src is not None:
        return {**src.as_dict(), "own_voice": False}
    outlet = kb.outlet(m.outlet) if m.outlet else None
    if outlet is not None:
        return {**outlet_source(kb, outlet.id).as_dict(), "own_voice": True}
    key = "outlet-name:" + fold(m.outlet or "unknown")
    return {"key": key, "name": m.outlet or "unknown outlet", "kind": "outlet", "authority": key, "side": None,
            "own_voice": True}


def reading(m: Mention, kb: KnowledgeBase, copies: dict[str, str]) -> dict:
    """One running-total figure as a reading of its series."""
    since, given = _since(m, kb)
    pid, pname, level = _place(kb, m)
    country, cls = m.victims
    if country is None and cls == "people" and pid in kb.places:
        country = kb.places[pid].country  # "people killed in Gaza" count the people of the place
    src = source_of(kb, m)
    scope_key = "|".join([m.subtype or "?", country or "", cls, pid or "", since or ""])
    f = m.figure
    return {
        "series_id": "toll-" + _hash(scope_key + "#" + src["key"]),
        "scope_id": "scope-" + _hash(scope_key),
        "mention": m.key, "article": m.article, "outlet": m.outlet, "published": m.published,
        "as_of": m.end.isoformat(), "since": since, "since_given": given,
        "status": m.subtype, "count": f.get("count"), "count_max": f.get("count_max"),
        "qualifier": f.get("qualifier"), "who": f.get("who"), "victims": {"country": country, "class": cls},
        "place": pname, "place_id": pid, "place_level": level,
        "asserted_by": f.get("asserted_by") or "author", "chain": [m.outlet or "unknown", *m.chain],
        "source": src, "evidence": list(m.evidence), "text": m.text,
        "syndicated_from": copies.get(m.article),
    }


def readings_of(mentions: Iterable[Mention], kb: KnowledgeBase, copies: dict[str, str]) -> list[dict]:
    return [reading(m, kb, copies) for m in mentions if m.running and m.kind == "figure" and not m.denied]


def _label(r: dict) -> str:
    who = r["victims"]["class"]
    parts = [r["status"] or "?", who if who != "people" else "people"]
    if r["victims"]["country"]:
        parts[-1] += f" ({r['victims']['country']})"
    if r["place"]:
        parts.append(f"in {r['place']}")
    parts.append(f"since {r['since']}" if r["since"] else "start not given")
    return " ".join(parts)


def build_series(readings: Iterable[dict]) -> list[dict]:
    """Series from their readings (any order), sorted by scope then source."""
    by_id: dict[str, list[dict]] = defaultdict(list)
    for r in readings:
        by_id[r["series_id"]].append(r)
    out = []
    for sid, rs in by_id.items():
        rs.sort(key=lambda r: (r["as_of"], str(r["published"] or ""), r["article"], r["evidence"][0]))
        first = rs[0]
        revisions = []
        peak = None
        for r in rs:
            if r["count"] is None:
                continue
            if peak is not None and r["count"] < peak["count"] and r["as_of"] > peak["as_of"]:
                revisions.append({"from": peak["count"], "from_as_of": peak["as_of"], "from_article": peak["article"],
                                  "to": r["count"], "to_as_of": r["as_of"], "to_article": r["article"]})
            if peak is None or r["count"] >= peak["count"]:
                peak = r
        out.append({
            "series_id": sid, "scope_id": first["scope_id"], "label": _label(first),
            "scope": {"status": first["status"], "victims": first["victims"], "place": first["place"],
                      "place_id": first["place_id"], "place_level": first["place_level"],
                      "since": first["since"], "since_given": first["since_given"]},
            "source": first["source"],
            "first_as_of": rs[0]["as_of"], "last_as_of": rs[-1]["as_of"],
            "latest": {k: rs[-1][k] for k in ("count", "count_max", "qualifier", "as_of", "article", "outlet")},
            "articles": sorted({r["article"] for r in rs}),
            "outlets": sorted({r["outlet"] or "unknown" for r in rs}),
            "readings": rs, "revisions": revisions,
        })
    out.sort(key=lambda s: (s["scope"]["since"] or "", s["label"], s["source"]["name"], s["series_id"]))
    return out


def by_article(readings: Iterable[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in readings:
        out[r["article"]].append(r)
    return out


def links_for(articles: Iterable[str], start: date, end: date, readings: dict[str, list[dict]]) -> list[dict]:
    """The series an incident links to: readings its own articles report as of its days (or
    the day after, the morning's story); ``readings`` by article (:func:`by_article`)."""
    lo, hi = start.isoformat(), date.fromordinal(end.toordinal() + 1).isoformat()
    seen: dict[str, dict] = {}
    for r in (r for a in set(articles) for r in readings.get(a, ())):
        if lo <= r["as_of"] <= hi:
            cur = seen.get(r["series_id"])
            if cur is None or (r["as_of"], r["count"] or 0) > (cur["as_of"], cur["count"] or 0):
                seen[r["series_id"]] = {"series_id": r["series_id"], "label": _label(r),
                                        "source": r["source"]["name"], "count": r["count"],
                                        "count_max": r["count_max"], "qualifier": r["qualifier"],
                                        "as_of": r["as_of"], "article": r["article"]}
    return sorted(seen.values(), key=lambda x: (x["label"], x["source"]))
