"""The ceasefire ledger: article records held against the terms of one agreement.

:func:`build_report` is a pure function from records (``trucewatch/article@1`` dicts, e.g. the
ledger's latest revisions) and an :class:`~trucewatch.agreements.Agreement` to a report dict:

* **timeline** - the agreement's own milestones (data) and every reported ceasefire milestone
  (agreed, took effect, extended, ended, hostilities resumed) with who reported it;
* **provisions** - per provision, the events that touch it (:data:`EVENT_PROVISIONS`),
  split into supporting (compliance reported: aid entered, captives freed, crossing opened)
  and contradicting evidence (violation alleged, restriction, closure), each with its source;
* **violations** - alleged violations while the agreement was in force, counted per day by
  accused party and by accusing party, side by side: the same rules for every party;
* **exchanges** - captives and prisoners reported released per day (the largest figure any
  source gives for that day) against the agreed numbers;
* **tolls** - casualty figures reported in the period, each with who asserts it.

Renderers for Markdown and HTML are in :mod:`trucewatch.report`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

from trucewatch.agreements import Agreement
from trucewatch.kb import KnowledgeBase

SUPPORTING = {("humanitarian", "aid_entry"), ("exchange", "captive_release"), ("exchange", "prisoner_release"),
              ("exchange", "body_handover"), ("humanitarian", "crossing_opened"), ("movement", "withdrawal"),
              ("ceasefire", "took_effect"), ("ceasefire", "extended"), ("movement", "return")}
CONTRADICTING_TYPES = {"attack", "detention"}
CONTRADICTING = {("ceasefire", "violation_alleged"), ("humanitarian", "aid_restriction"),
                 ("humanitarian", "crossing_closed"), ("exchange", "offer_rejected"),
                 ("ceasefire", "hostilities_resumed")}
MILESTONES = ("agreed", "took_effect", "extended", "ended", "hostilities_resumed")
_CAPTIVES = re.compile(r"\b(?:hostages?|captives?|israelis|nationals|citizens)\b", re.I)
_PRISONERS = re.compile(r"\b(?:prisoners?|detainees?)\b", re.I)


def _day(v: str | None) -> date | None:
    if not v:
        return None
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?", v)
    if not m:
        return None
    return date.fromisoformat(m.group(2) or m.group(1))


def party_of(kb: KnowledgeBase, name: str | None, parties: tuple[str, ...]) -> str:
    """The party (or organisation) a source or actor speaks for: IDF -> Israel, Qassam -> Hamas."""
    if not name or name == "author":
        return "author"
    entry = kb.actor(name)
    if entry is None:
        person = kb.person(name)
        entry = kb.actors.get(person.affiliation or "") if person else None
    if entry is None:
        for alias_owner in kb.actors.values():  # "a senior Hamas official", "Gaza health officials"
            if re.search(r"\b" + re.escape(alias_owner.name) + r"\b", name):
                entry = alias_owner
                break
    seen = 0
    while entry is not None and entry.parent and entry.name not in parties and seen < 5:
        entry = kb.actors.get(entry.parent)
        seen += 1
    return entry.name if entry else name


def _source(rec: dict, item: dict) -> dict:
    text = rec.get("text") or ""
    ev = item.get("evidence") or [0, 0]
    return {"article": rec.get("id"), "outlet": rec.get("outlet"), "published": rec.get("published"),
            "asserted_by": item.get("asserted_by", "author"), "evidence": text[ev[0]:ev[1]][:300],
            "span": ev}


def build_report(records: list[dict], agreement: Agreement, kb: KnowledgeBase, margin_days: int = 7) -> dict:
    start = agreement.in_force - timedelta(days=margin_days)
    end = (agreement.ended or date.max - timedelta(days=margin_days)) + timedelta(days=margin_days)
    parties = agreement.parties

    def in_window(d: date | None) -> bool:
        return d is not None and start <= d <= end

    timeline: dict[tuple[str, str], dict] = {}
    for m in agreement.milestones:
        timeline[(m.date.isoformat(), m.kind)] = {"date": m.date.isoformat(), "kind": m.kind, "note": m.note,
                                                  "from_agreement": True, "reports": []}
    provisions = {p.id: {"id": p.id, "category": p.category, "summary": p.summary, "phase": p.phase,
                         "quantities": p.quantities, "verified": p.verified, "sources": list(p.sources),
                         "supporting": [], "contradicting": []} for p in agreement.provisions}
    violations: list[dict] = []
    by_accused: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_accuser: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    released: dict[str, dict[str, int]] = {"captives": defaultdict(int), "prisoners": defaultdict(int)}
    tolls: list[dict] = []

    for rec in records:
        for ev in rec.get("events") or []:
            day = _day(ev.get("date")) or _day(rec.get("published"))
            if not in_window(day):
                continue
            assert day is not None
            key = (ev.get("type"), ev.get("subtype"))
            src = _source(rec, ev) | {"type": key[0], "subtype": key[1], "actor": ev.get("actor"),
                                      "date": day.isoformat()}
            if key[0] == "ceasefire" and key[1] in MILESTONES:
                slot = timeline.setdefault((day.isoformat(), key[1]), {"date": day.isoformat(), "kind": key[1],
                                                                       "note": "", "from_agreement": False,
                                                                       "reports": []})
                slot["reports"].append(src)
            for p in agreement.provisions_for(key[0], key[1]):
                side = "supporting" if key in SUPPORTING else "contradicting" if (
                    key in CONTRADICTING or key[0] in CONTRADICTING_TYPES) else None
                if side:
                    provisions[p.id][side].append(src)
            in_force = agreement.covers(day) and not (agreement.ended and day >= agreement.ended
                                                      and key != ("ceasefire", "violation_alleged"))
            if in_force and (key == ("ceasefire", "violation_alleged") or key[0] in CONTRADICTING_TYPES):
                accused = party_of(kb, ev.get("actor"), parties) if ev.get("actor") else "unknown"
                accuser = party_of(kb, ev.get("asserted_by"), parties)
                if accuser == "author":
                    accuser = f"{rec.get('outlet') or 'outlet'} (own voice)"
                violations.append(src | {"accused": accused, "accuser": accuser})
                by_accused[accused][day.isoformat()] += 1
                by_accuser[accuser][day.isoformat()] += 1
        for c in rec.get("casualties") or []:
            day = _day(c.get("date")) or _day(rec.get("published"))
            if not in_window(day):
                continue
            assert day is not None
            who = c.get("who") or ""
            if c.get("status") == "released" and c.get("qualifier") in (None, "exact"):  # not running totals
                kind = "prisoners" if _PRISONERS.search(who) else "captives" if _CAPTIVES.search(who) else None
                if kind:
                    released[kind][day.isoformat()] = max(released[kind][day.isoformat()], int(c["count"]))
            if c.get("status") in ("killed", "injured"):
                tolls.append(_source(rec, c) | {"status": c["status"], "count": c["count"],
                                                "count_max": c.get("count_max"), "qualifier": c.get("qualifier"),
                                                "who": who, "place": c.get("place"), "date": day.isoformat(),
                                                "perpetrator": c.get("perpetrator")})

    agreed = {"captives": None, "prisoners": None}
    for p in agreement.provisions:
        q = p.quantities or {}
        if p.category == "captives_release" and agreed["captives"] is None:
            agreed["captives"] = q.get("hostages") or q.get("living")
        if p.category == "prisoner_release" and agreed["prisoners"] is None:
            agreed["prisoners"] = q.get("prisoners") or q.get("prisoners_total") or q.get("gaza_detainees")
    exchanges = {k: {"per_day": dict(sorted(v.items())), "reported_total": sum(v.values()), "agreed": agreed[k]}
                 for k, v in released.items()}
    for p in provisions.values():
        p["status"] = ("contested" if p["supporting"] and p["contradicting"] else
                       "violation alleged" if p["contradicting"] else
                       "compliance reported" if p["supporting"] else "no evidence")
    return {
        "agreement": {"id": agreement.id, "name": agreement.name, "parties": list(parties),
                      "mediators": list(agreement.mediators), "in_force": agreement.in_force.isoformat(),
                      "ended": agreement.ended.isoformat() if agreement.ended else None, "notes": agreement.notes},
        "articles": len(records),
        "timeline": sorted(timeline.values(), key=lambda t: (t["date"], MILESTONES.index(t["kind"])
                                                              if t["kind"] in MILESTONES else 9)),
        "provisions": list(provisions.values()),
        "violations": {"items": sorted(violations, key=lambda v: v["date"]),
                       "by_accused": {k: dict(sorted(v.items())) for k, v in sorted(by_accused.items())},
                       "by_accuser": {k: dict(sorted(v.items())) for k, v in sorted(by_accuser.items())}},
        "exchanges": exchanges,
        "tolls": sorted(tolls, key=lambda t: (t["date"], -t["count"])),
    }
