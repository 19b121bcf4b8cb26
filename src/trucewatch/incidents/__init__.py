"""Incidents: reports of one real-world event merged across articles and outlets.

Pipeline (each step a function from data to data; storage lives in :mod:`trucewatch.ledger`):

1. :func:`~trucewatch.incidents.mentions.mentions_from_record` - events and figures of a record;
2. :func:`~trucewatch.incidents.syndication.find_copies` - wire copies, counted once;
3. :func:`~trucewatch.incidents.cluster.cluster` - blocked, scored, union-find clustering;
4. :func:`build_incident` - figure table per scope, ranges, latest per source, conflicts,
   allegations and denials, corroboration by outlets and by primary sources;
5. :mod:`~trucewatch.incidents.tolls` - running totals as toll series, apart from incidents.

:func:`build_incidents` runs them over a list of records (:func:`build_all` gives the toll
series too).  The ledger calls the same
functions over the date window that new articles touch (see ``Ledger.refresh_incidents``).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import cache, lru_cache

from trucewatch.incidents.cluster import cluster
from trucewatch.incidents.figures import analyse, figure_rows, scopes
from trucewatch.incidents.mentions import GENERIC_FEATURES, Mention, ancestors, mentions_from_record
from trucewatch.incidents.syndication import find_copies
from trucewatch.incidents.tolls import build_series, by_article, links_for, readings_of
from trucewatch.kb import KnowledgeBase, load_kb

GRACE_DAYS = 2


def incident_id(members: list[Mention]) -> str:
    first = min(m.start for m in members)
    anchor = min(m.key for m in members)
    return f"inc-{first.isoformat()}-{hashlib.sha1(anchor.encode()).hexdigest()[:8]}"


def period_of_agreements():
    """Bucket for period mentions and running tolls given to the clustering: the agreement in
    force (or ended at most GRACE_DAYS before) on a day, the earliest to take effect first."""
    from trucewatch.agreements import load_agreements

    agreements = sorted(load_agreements().values(), key=lambda a: a.in_force)

    @lru_cache(maxsize=4096)
    def period(day: date) -> str | None:
        return next((a.id for a in agreements if a.covers(day, GRACE_DAYS)), None)

    return period


def _place_names(kb: KnowledgeBase, ids: Iterable[str]) -> list[str]:
    out = []
    for pid in sorted(ids):
        entry = kb.places.get(pid)
        out.append(entry.name if entry else pid.split(":", 1)[-1])
    return out


def _date_label(members: list[Mention]) -> tuple[str, date, date]:
    points = [m for m in members if not m.period]
    pool = points or members
    days = Counter(m.start for m in pool if m.dated) or Counter(m.start for m in pool)
    start = min(m.start for m in pool)
    end = max(m.end for m in pool)
    if start == end:
        return start.isoformat(), start, end
    if points and len(days) == 1:
        d = next(iter(days))
        return d.isoformat(), start, end
    return f"{start.isoformat()}/{end.isoformat()}", start, end


def _outlet_entry(kb: KnowledgeBase, name: str | None, url: str | None):
    return kb.outlet(name, url) if (name or url) else None


def corroboration(articles: dict[str, dict], copies: dict[str, str], kb: KnowledgeBase) -> dict:
    """Independent outlets behind an incident, syndicated copies counted once, grouped by the
    KB's note on each outlet's affiliation (``unknown`` for an outlet the KB does not know,
    by name or by the domain of the article's URL)."""
    independent: dict[str, str] = {}
    syndicated = []
    for aid, meta in sorted(articles.items()):
        original = copies.get(aid)
        if original is not None and original in articles:
            syndicated.append({"article": aid, "copy_of": original})
            continue
        outlet = meta.get("outlet")
        if not outlet:  # no name in the record: the outlet of its web address, if the KB knows it
            entry = _outlet_entry(kb, None, meta.get("url"))
            outlet = entry.name if entry else "unknown"
        independent.setdefault(outlet, aid)
    by_aff: dict[str, list[str]] = {}
    known: dict[str, dict | None] = {}
    for outlet in sorted(independent):
        entry = _outlet_entry(kb, outlet if outlet != "unknown" else None, articles[independent[outlet]].get("url"))
        known[outlet] = None if entry is None else {
            "id": entry.id, "name": entry.name, "country": entry.country, "ownership": entry.ownership,
            "type": entry.type}
        aff = (entry.affiliation or entry.ownership or "unknown") if entry else "unknown"
        by_aff.setdefault(aff, []).append(outlet)
    return {"independent_outlets": len(independent), "outlets": sorted(independent),
            "by_affiliation": by_aff, "affiliations": len([a for a in by_aff if a != "unknown"]),
            "outlet_kb": known, "unknown_outlets": sorted(o for o, e in known.items() if e is None),
            "syndicated": syndicated}


def primary_sources(members: list[Mention], copies: dict[str, str], kb: KnowledgeBase) -> dict:
    """Who the incident's reports and figures come from in the end: each item's chain
    (outlet -> quoted source -> the authority it cites) resolved to its primary source.
    ``independent`` counts distinct authorities (a ministry and the movement that runs it are
    one); ``sides`` lists the KB sides they belong to; items stated in an outlet's own voice
    name no source and are listed under ``unattributed``.  Denials are counter-claims, not
    corroboration; syndicated copies add nothing their original does not."""
    from trucewatch.incidents.tolls import source_of

    found: dict[str, dict] = {}
    unattributed: set[str] = set()
    # a headline figure in the outlet's voice restating a figure its body attributes
    restated = {(m.article, m.subtype, m.figure.get("count")) for m in members
                if m.kind == "figure" and m.chain and not m.denied}
    for m in members:
        if m.denied:
            continue
        src = source_of(kb, m)
        if src["own_voice"]:
            if m.article not in copies and (m.article, m.subtype, m.figure.get("count")) not in restated:
                unattributed.add(m.outlet or "unknown")
            continue
        e = found.setdefault(src["key"], {**src, "items": 0, "via": set(), "chains": set()})
        e["items"] += 1
        e["via"].add(m.outlet or "unknown")
        e["chains"].add(" -> ".join([m.outlet or "unknown", *m.chain]))
    # "medics" and "medics at the Kuwaiti hospital" in one incident: one group of medics.
    from trucewatch.kb.names import fold

    def words(e: dict) -> list[str]:
        w = fold(e["name"]).split()
        return w[1:] if w[:1] in (["the"], ["a"], ["an"]) else w

    for key in sorted(found, key=lambda k: len(words(found[k]))):
        e = found[key]
        if e["kind"] != "unresolved" or len(words(e)) > 2:
            continue
        longer = [o for k, o in found.items() if k != key and o["kind"] == "unresolved"
                  and len(words(o)) > len(words(e)) and words(o)[:len(words(e))] == words(e)]
        if len(longer) == 1:
            target = longer[0]
            target["items"] += e["items"]
            target["via"] |= e["via"]
            target["chains"] |= e["chains"]
            del found[key]
    authorities: dict[str, str | None] = {}
    for e in found.values():
        authorities.setdefault(e["authority"], e["side"])
    sides: dict[str, list[str]] = defaultdict(list)
    for e in sorted(found.values(), key=lambda e: e["name"]):
        sides[e["side"] or "unknown"].append(e["name"])
    primary = [{**{k: v for k, v in e.items() if k not in ("via", "chains", "own_voice")},
                "via": sorted(e["via"]), "chains": sorted(e["chains"])}
               for e in sorted(found.values(), key=lambda e: (-e["items"], e["name"]))]
    return {"independent": len(authorities), "primary": primary, "sides": dict(sorted(sides.items())),
            "known_sides": sorted({s for s in authorities.values() if s}),
            "unattributed": sorted(unattributed)}


def build_incident(members: list[Mention], articles: dict[str, dict], copies: dict[str, str],
                   kb: KnowledgeBase, readings: dict[str, list[dict]] | None = None) -> dict:
    """One incident described; ``readings`` are the running totals by article, for the links
    to toll series."""
    reports = [m for m in members if not m.denied] or members
    label, start, end = _date_label(reports)
    events = [m for m in reports if m.kind == "event" and not m.denied]
    types = Counter(m.type for m in events) or Counter(m.type for m in reports)
    subtypes = Counter(m.subtype for m in reports if m.subtype)
    group = Counter(m.group for m in reports).most_common(1)[0][0]
    itype = "toll" if group.startswith("toll") else types.most_common(1)[0][0]
    located = [m for m in reports if not m.part] or reports  # not where the dead were taken
    specific = set().union(*(m.specific for m in located))
    generic = set().union(*(m.generic for m in located))
    place_ids = sorted(specific) or sorted(generic)
    arts = {m.article: articles.get(m.article, {"outlet": m.outlet, "published": m.published}) for m in members}
    reporting = {m.article for m in reports if not m.denied}
    scope_of = scopes(members, kb)
    rows = figure_rows(members, copies, scope_of)
    facts = analyse(members, rows, kb)
    corr = corroboration({a: arts[a] for a in sorted(reporting)} or arts, copies, kb)
    sources = primary_sources(members, copies, kb)
    corr["primary_sources"] = sources["independent"]
    corr["sides"] = sources["known_sides"]
    return {
        "incident_id": incident_id(members),
        "type": itype,
        "group": group,
        "subtypes": dict(subtypes.most_common()),
        "date": label,
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "places": _place_names(kb, place_ids),
        "place_ids": place_ids,
        "articles": sorted(arts),
        "outlets": sorted({a.get("outlet") or "unknown" for a in arts.values()}),
        "corroboration": corr,
        "sources": sources,
        "figures": rows,
        "ranges": facts["ranges"],
        "latest": facts["latest"],
        "updates": facts["updates"],
        "conflicts": facts["conflicts"],
        "allegations": facts["allegations"],
        "disputed": facts["disputed"],
        "denied_by": facts["denied_by"],
        "toll_series": links_for(arts, start, end, readings or {}),
        "events": [{"article": m.article, "type": m.type, "subtype": m.subtype, "actor": m.actor,
                    "target": m.target, "actor_basis": m.actor_basis,
                    "asserted_by": m.asserted_by or "author", "date": m.start.isoformat() if m.dated else None,
                    "modality": m.modality, "evidence": list(m.evidence), "text": m.text,
                    "chain": [m.outlet or "unknown", *m.chain]} for m in events],
        "mentions": [m.key for m in members],
    }


def article_meta(record: dict) -> dict:
    return {"outlet": record.get("outlet"), "published": record.get("published_at") or record.get("published"),
            "url": record.get("url")}


def mentions_of(records: Iterable[dict], kb: KnowledgeBase | None = None) -> list[Mention]:
    kb = kb or load_kb()
    out: list[Mention] = []
    for rec in records:
        out.extend(mentions_from_record(rec, kb))
    return out


def build_from_mentions(mentions: list[Mention], articles: dict[str, dict], copies: dict[str, str],
                        kb: KnowledgeBase | None = None, period_of=None,
                        readings: list[dict] | None = None) -> list[dict]:
    """Cluster mentions into incidents and describe each (no I/O).  Running totals are no
    incident: they are left out here (see :func:`build_tolls`); ``readings`` are the running
    totals the incidents may link to (by default those among ``mentions``)."""
    kb = kb or load_kb()
    if readings is None:
        readings = readings_of(mentions, kb, copies)
    mentions = [m for m in mentions if not m.running]
    # One speaker's statement that one outlet shows to be a reaction ("regrets that fighting
    # resumed") is that reaction in every outlet that reports it that day, however worded.
    reactions = {(m.source, m.subtype, m.start) for m in mentions if m.group == "reaction"}
    if reactions:
        mentions = [replace(m, group="reaction") if m.kind == "event" and not m.denied and m.group != "reaction"
                    and m.asserted_by not in (None, "author") and (m.source, m.subtype, m.start) in reactions
                    else m for m in mentions]

    @cache
    def anc(pid: str) -> tuple[str, ...]:
        return ancestors(kb, pid)

    def same_story(a: str, b: str) -> bool:
        return copies.get(a, a) == copies.get(b, b)

    def generic(pid: str) -> bool:
        entry = kb.places.get(pid)
        return entry is not None and (entry.feature or "") in GENERIC_FEATURES

    clusters = cluster(mentions, anc, period_of if period_of is not None else period_of_agreements(),
                       same_story, generic)
    indexed = by_article(readings)
    return [build_incident(members, articles, copies, kb, indexed) for members in clusters]


def build_incidents(records: list[dict], kb: KnowledgeBase | None = None) -> list[dict]:
    """Incidents over a list of article records (``trucewatch/article@1`` dicts)."""
    return build_all(records, kb)["incidents"]


def build_tolls(records: list[dict], kb: KnowledgeBase | None = None) -> list[dict]:
    """Toll series (running totals per source and scope) over a list of article records."""
    return build_all(records, kb)["series"]


def build_all(records: list[dict], kb: KnowledgeBase | None = None) -> dict:
    """``{"incidents": [...], "series": [...]}`` over a list of article records."""
    kb = kb or load_kb()
    copies = find_copies(records)
    articles = {r["id"]: article_meta(r) for r in records}
    mentions = mentions_of(records, kb)
    readings = readings_of(mentions, kb, copies)
    return {"incidents": build_from_mentions(mentions, articles, copies, kb, readings=readings),
            "series": build_series(readings)}


def filter_incidents(incidents: list[dict], *, since: date | None = None, until: date | None = None,
                     place: str | None = None, type: str | None = None, party: str | None = None,
                     kb: KnowledgeBase | None = None) -> list[dict]:
    """Incidents overlapping [``since``, ``until``], at ``place`` (or inside it: Gaza City finds
    Zeitoun), of a ``type``, involving a ``party`` as actor, perpetrator, source or denier (KB
    aliases: "IDF" finds the Israeli army)."""
    out = incidents
    if since is not None:
        out = [i for i in out if i["date_end"] >= since.isoformat()]
    if until is not None:
        out = [i for i in out if i["date_start"] <= until.isoformat()]
    if type:
        out = [i for i in out if i["type"] == type]
    if place or party:
        kb = kb or load_kb()
    if place:
        from trucewatch.incidents.mentions import place_id

        pid, _ = place_id(kb, place)
        out = [i for i in out if any(p == pid or pid in ancestors(kb, p) for p in i["place_ids"])]
    if party:
        from trucewatch.kb.names import fold

        entry, key = kb.actor(party), fold(party)

        def involved(name: str | None) -> bool:
            if not name:
                return False
            other = kb.actor(name)
            return (entry is not None and other is not None and other.id == entry.id) or key in fold(name)

        out = [i for i in out if any(involved(e.get("actor")) or involved(e.get("asserted_by")) for e in i["events"])
               or any(involved(f.get("asserted_by")) for f in i["figures"])
               or any(involved(d.get("denier")) for d in i.get("denied_by") or ())]
    return out
