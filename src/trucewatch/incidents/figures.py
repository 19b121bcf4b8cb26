"""Per incident: the figure table, ranges, latest figure per original source, and conflicts.

* **scopes** - what a figure counts: its status, its victims (a people and a class: people,
  combatants, children ...), its place (a locality, a region, the hospital the dead were
  brought to) and whether it breaks down a larger figure.  Only figures of one scope are
  compared; the others are listed side by side;
* **figure table** - every casualty/exchange figure in the incident with its article, outlet,
  publication time, qualifier, who asserts it, its scope and its source chain;
* **ranges** - lowest and highest count per scope ("killed": 11 to 44);
* **latest** - per original source (the health ministry, the army, the outlet itself for its
  own voice) its newest figure per status.  A source whose toll rises through the day is
  *updating*, listed under ``updates``, not a conflict;
* **conflicts** - figures of one scope from different sources whose value ranges cannot both be true
  ("36" and "at least 44"; "more than 20" and "at least 70" are compatible), actors of the same
  kind of event told differently by different sources (who fired first), and explicit dates
  that differ between articles;
* **allegations** - who accuses whom; two parties accusing each other make the incident
  *disputed* (two allegations, not an actor conflict);
* **denied by** - denials attached to the incident as counter-claims.

Sources are keyed through the KB (a person speaks for their affiliation; "Gaza health
officials" and "the health ministry in Gaza" are one source when the KB says so).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from trucewatch.incidents.mentions import Mention, source_key
from trucewatch.kb import KnowledgeBase
from trucewatch.kb.names import fold


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


def _scope_key(m: Mention, kb: KnowledgeBase) -> tuple:
    """What a figure counts: status, victims (class, people), place scope, whether it is a
    breakdown of a larger figure, and its modality (a planned release is no version of one that
    happened).  Only figures of one key are compared."""
    from trucewatch.incidents.mentions import _root

    if m.part and m.specific and all((kb.places[p].feature if p in kb.places else "") == "hospital"
                                     for p in m.specific):
        place: tuple = ("hospital", *sorted(m.specific))
    elif m.specific:
        place = ("local", *sorted({_root(kb, p) for p in m.specific}))
    elif m.generic:
        place = ("region", *sorted(m.generic))
    else:
        place = ("unknown",)
    country, cls = m.victims
    return (m.subtype, cls, country, place, m.part, m.modality)


def _scope_label(key: tuple, kb: KnowledgeBase, places: set[frozenset[str]] | None = None) -> str:
    """``places``: the specific places the key's figures name; one set of them is named in the
    label ("in Khan Younis"), several by the district they share ("in southern Gaza")."""
    status, cls, country, place, part, modality = key
    words = [status or "?", cls + (f" ({country})" if country else "")]
    kind, *ids = place
    if kind == "local" and places and len(places) == 1:
        ids = sorted(next(iter(places)))
    names = [kb.places[i].name if i in kb.places else i.split(":", 1)[-1] for i in ids]
    if kind == "hospital":
        words.append("brought to " + ", ".join(names))
    elif kind == "local":
        words.append("in " + ", ".join(names))
    elif kind == "region":
        words.append("across " + ", ".join(names))
    else:
        words.append("(place not given)")
    if part and kind != "hospital":
        words.append("(part of a total)")
    if modality != "asserted":
        words.append(f"({modality})")  # "3 more are to be freed": not a version of the 3 freed
    return " ".join(words)


def scopes(members: list[Mention], kb: KnowledgeBase) -> dict[str, tuple[tuple, str]]:
    """``{mention key: (scope key, label)}`` for the figures of an incident.  A figure whose
    victims' people is not said joins the figures of the same kind that say it, when they all
    say the same people.  The scope most figures of a status count is labelled by the status
    alone ("killed"); the others say what sets them apart ("killed combatants (IL) in Rafah")."""
    figs = [m for m in members if m.kind == "figure" and not m.denied]
    keys = {m.key: _scope_key(m, kb) for m in figs}
    known: dict[tuple, set[str]] = defaultdict(set)
    for k in keys.values():
        if k[2] is not None:
            known[(k[0], k[1], k[3], k[4], k[5])].add(k[2])
    for mk, k in keys.items():
        if k[2] is None:
            peoples = known.get((k[0], k[1], k[3], k[4], k[5]), set())
            if len(peoples) == 1:
                keys[mk] = (k[0], k[1], next(iter(peoples)), k[3], k[4], k[5])
    counts: dict[str, Counter] = defaultdict(Counter)
    for k in keys.values():
        if k[5] == "asserted":  # a planned figure always says so
            counts[k[0]][k] += 1
    main = {status: max(c.items(), key=lambda kv: (kv[1], not kv[0][4], kv[0][3][0] != "unknown"))[0]
            for status, c in counts.items()}
    named: dict[tuple, set[frozenset[str]]] = defaultdict(set)
    for m in figs:
        named[keys[m.key]].add(m.specific)
    return {mk: (k, k[0] if main.get(k[0]) == k else _scope_label(k, kb, named[k])) for mk, k in keys.items()}


def figure_rows(members: list[Mention], copies: dict[str, str], scope_of: dict[str, tuple[tuple, str]] | None = None
                ) -> list[dict]:
    scope_of = scope_of or {}
    rows = []
    for m in members:
        if m.kind != "figure" or m.denied:
            continue
        f = m.figure
        rows.append({
            "article": m.article, "outlet": m.outlet, "status": f.get("status"), "count": f.get("count"),
            "count_max": f.get("count_max"), "qualifier": f.get("qualifier"), "who": f.get("who"),
            "asserted_by": f.get("asserted_by") or "author", "published": m.published,
            "place": f.get("place"), "date": m.start.isoformat() if m.dated else None,
            "evidence": list(m.evidence), "text": m.text, "syndicated_from": copies.get(m.article),
            "scope": scope_of[m.key][1] if m.key in scope_of else f.get("status"),
            "chain": [m.outlet or "unknown", *m.chain], "source": m.source,
        })
    rows.sort(key=lambda r: (str(r["published"] or ""), r["article"], r["evidence"][0]))
    return rows


def analyse(members: list[Mention], rows: list[dict], kb: KnowledgeBase) -> dict:
    """Ranges per scope, latest per source and scope, updates, conflicts, denials and the
    allegations of one incident."""
    ranges: dict[str, dict] = {}
    for r in rows:
        if r["count"] is None:
            continue
        hi = r["count_max"] if r["count_max"] is not None else r["count"]
        cur = ranges.setdefault(r["scope"], {"min": r["count"], "max": hi})
        cur["min"], cur["max"] = min(cur["min"], r["count"]), max(cur["max"], hi)

    # An outlet stating in its own voice (a headline) the figure its body attributes restates
    # that source: one source, not the outlet's own count.
    attributed = {(r["article"], r["scope"], r["count"], r["count_max"]): r["source"] for r in rows
                  if r["asserted_by"] != "author" and r.get("source")}

    def source_of(r: dict) -> str:
        src = r.get("source") or source_key(kb, r["asserted_by"], r["outlet"])
        if r["asserted_by"] == "author":
            return attributed.get((r["article"], r["scope"], r["count"], r["count_max"]), src)
        return src

    # Latest figure per (scope, source); an earlier, different figure of the same source is an update.
    by_source: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        by_source[(r["scope"], source_of(r))].append(r)
    latest, updates = [], []
    for (scope, src), items in sorted(by_source.items()):
        items.sort(key=lambda r: (str(r["published"] or ""), r["count"] or 0))
        last = items[-1]
        latest.append({"status": last["status"], "scope": scope, "source": src, "count": last["count"],
                       "count_max": last["count_max"], "qualifier": last["qualifier"],
                       "asserted_by": last["asserted_by"], "article": last["article"],
                       "published": last["published"]})
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
            updates.append({"status": last["status"], "scope": scope, "source": src,
                            "series": [{"count": v["value"][0], "count_max": v["value"][1],
                                        "qualifier": v["value"][2], "published": v["published"],
                                        "article": v["article"]} for v in values]})

    conflicts: list[dict] = []
    by_scope: dict[str, list[dict]] = defaultdict(list)
    for entry in latest:
        by_scope[entry["scope"]].append(entry)
    for scope, entries in sorted(by_scope.items()):
        clash = False
        for i, a in enumerate(entries):
            ra = value_range(a["count"], a["count_max"], a["qualifier"])
            for b in entries[i + 1:]:
                # One article giving two sources' counts reports their disagreement ("36, the
                # ministry said; at least 44, hospital sources said"); its own figures beside
                # attributed ones are mostly totals and parts ("24 freed ... 10 of them").
                if a["article"] == b["article"] and "author" in (a["asserted_by"], b["asserted_by"]):
                    continue
                if not compatible(ra, value_range(b["count"], b["count_max"], b["qualifier"])):
                    clash = True
        if clash:
            conflicts.append({"field": "count", "status": entries[0]["status"], "scope": scope, "values": [
                {k: e[k] for k in ("count", "count_max", "qualifier", "asserted_by", "source", "article")}
                for e in entries]})

    reports = [m for m in members if m.kind == "event" and not m.denied]
    allegations, disputed, explained = _allegations(reports)

    # Who did it: the same kind of act attributed to different actors by different sources -
    # unless the sources are the parties accusing each other (a dispute, listed as allegations).
    actors: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, set[str]] = defaultdict(set)
    for m in reports:
        if (m.actor and m.group == "violence" and m.actor_basis != "agreement" and m.key not in explained):
            who = m.actor_auth or fold(m.actor)
            names[who].add(m.actor)
            actors[m.subtype or m.type][who].append({"asserted_by": m.asserted_by or "author",
                                                     "article": m.article, "evidence": list(m.evidence)})
    for subtype, table in sorted(actors.items()):
        if len(table) > 1:
            sources = {a: {source_key(kb, x["asserted_by"], None) for x in xs} for a, xs in table.items()}
            if len(set().union(*sources.values())) > 1:
                conflicts.append({"field": "actor", "subtype": subtype, "values": [
                    {"actor": " / ".join(sorted(names[a])), "asserted_by": sorted({x["asserted_by"] for x in xs}),
                     "articles": sorted({x["article"] for x in xs})} for a, xs in sorted(table.items())]})

    days: dict[str, set[str]] = defaultdict(set)
    for m in reports:
        if m.dated and not m.period:
            days[m.start.isoformat()].add(m.article)
    if len(days) > 1 and len(set().union(*days.values())) > 1:
        conflicts.append({"field": "date", "values": [{"date": d, "articles": sorted(a)}
                                                      for d, a in sorted(days.items())]})

    denied_by = [{"denier": (m.asserted_by if m.asserted_by not in (None, "author") else m.outlet) or "unknown",
                  "source": m.source_auth or m.source,
                  "denies": m.subtype or m.type, "actor": m.actor, "article": m.article, "outlet": m.outlet,
                  "published": m.published, "evidence": list(m.evidence), "text": m.text}
                 for m in members if m.denied]
    return {"ranges": ranges, "latest": latest, "updates": updates, "conflicts": conflicts,
            "allegations": allegations, "disputed": disputed, "denied_by": denied_by}


def _allegations(reports: list[Mention]) -> tuple[list[dict], bool, set[str]]:
    """Accusations in an incident: who (the asserting source) accuses whom (the actor) of what,
    one entry per accuser and accused.  Two parties accusing each other make the incident
    *disputed*; those reports are not an actor conflict."""
    from trucewatch.incidents.cluster import mutual

    table: dict[tuple[str, str], dict] = {}
    explained: set[str] = set()
    accusing = [m for m in reports if m.actor and m.actor_auth and m.source_auth and m.actor_basis != "agreement"
                and m.actor_auth != m.source_auth and m.group == "violence"]
    for m in accusing:
        e = table.setdefault((m.source_auth, m.actor_auth), {
            "accuser": m.asserted_by, "accused": m.actor, "accuser_key": m.source_auth,
            "accused_key": m.actor_auth, "acts": set(), "articles": set(), "evidence": []})
        e["acts"].add(m.subtype or m.type)
        e["articles"].add(m.article)
        if len(m.asserted_by or "") > len(e["accuser"] or ""):  # "the health ministry" over "ministry"
            e["accuser"] = m.asserted_by
        if len(m.actor or "") > len(e["accused"] or ""):
            e["accused"] = m.actor
        e["evidence"].append({"article": m.article, "span": list(m.evidence), "text": m.text})
    for i, a in enumerate(accusing):
        for b in accusing[i + 1:]:
            if mutual(a, b):
                explained |= {a.key, b.key}
    disputed = bool(explained)
    out = []
    for (acc, accd), e in sorted(table.items()):
        out.append({**e, "acts": sorted(e["acts"]), "articles": sorted(e["articles"]),
                    "mutual": (accd, acc) in table})
    return out, disputed, explained


QUALIFIER_SIGNS = {"at_least": "\u2265", "more_than": ">", "about": "~", "up_to": "\u2264", "at_most": "\u2264"}


def figure_text(f: dict) -> str:
    """A figure as people write it: "\u226550", ">15000", "29\u201344" (for tables in the CLI and web)."""
    sign = QUALIFIER_SIGNS.get(f.get("qualifier") or "exact", "")
    n = f"{f['count']}\u2013{f['count_max']}" if f.get("count_max") else str(f.get("count"))
    return sign + n
