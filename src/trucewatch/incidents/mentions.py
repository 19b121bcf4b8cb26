"""Incident mentions: the events and casualty figures of one article record, reduced to what
clustering across outlets needs (a pure function of the record and the knowledge base).

A mention carries:

* ``group`` - the coarse kind of incident it can belong to (violence, ceasefire, exchange,
  humanitarian, diplomacy, movement, detention), or ``toll`` for running totals;
* ``start``/``end`` - its date interval; events without a date take the article's publication
  day (a report of "overnight" strikes dated the day before is within the ±1 day tolerance);
* ``specific``/``generic`` - KB place ids: neighbourhoods, towns, camps, crossings ... are
  specific, countries and territories generic ("Gaza", "Israel").  Places that only come from
  the article's dateline ("TEHRAN (PGP) -") are dropped;
* ``tokens`` - content words of the evidence, for text similarity;
* for figures, the casualty fields the incident's figure table shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from trucewatch.kb import KnowledgeBase
from trucewatch.kb.names import fold

GENERIC_FEATURES = frozenset({"country", "territory", "sea"})
EVENT_GROUPS = {
    "attack": "violence", "ceasefire": "ceasefire", "exchange": "exchange", "humanitarian": "humanitarian",
    "diplomacy": "diplomacy", "movement": "movement", "detention": "detention",
}
# Ceasefire subtypes that report violence rather than a milestone of the agreement.
VIOLENT_CEASEFIRE = frozenset({"violation_alleged", "hostilities_resumed"})
STATE_STATUSES = frozenset({"captive", "missing"})
STATUS_GROUPS = {"killed": "violence", "injured": "violence", "missing": "violence",
                 "released": "exchange", "captive": "exchange", "detained": "detention"}
CUMULATIVE = re.compile(
    r"\b(?:since|so far|in total|overall|total|cumulative|to date|death toll (?:has|had|rose|climbed|passed)|"
    r"raised to|brings? (?:the|its) (?:death )?toll|toll (?:has|had) (?:risen|reached|passed|climbed)|"
    r"throughout|during the (?:war|truce|pause|ceasefire)|before the (?:truce|pause|ceasefire)|the war)\b", re.I)
# "since this morning", "since the truce ran out": the toll of the day, not a running total.
DAY_TOLL = re.compile(
    r"\bsince (?:(?:this|that|early|late) )?(?:morning|afternoon|evening|dawn|daybreak|midnight|overnight)\b|"
    r"\bsince (?:the )?(?:truce|pause|ceasefire|lull)(?: \w+)? (?:ended|expired|collapsed|ran out|lapsed|"
    r"broke down|fell apart)\b|"
    r"\bsince (?:fighting|hostilities|strikes|combat|the war|the offensive) (?:resumed|restarted)\b",
    re.I)
SINCE_TRUCE = re.compile(r"\b(?:since|during|before) the (?:truce|pause|ceasefire|agreement)\b|"
                         r"\bceasefire (?:came|took|went) into (?:force|effect)\b", re.I)
# "regrets that operations resumed", "condemned the strike": a reaction to an event is a
# statement of its own (a diplomacy incident), not one more report of the event.
REACTION = re.compile(
    r"\b(?:regrett?\w*|deplor\w*|condemn\w*|welcom\w*|denounc\w*|lament\w*|mourn\w*|hail\w*|prais\w*|"
    r"decr(?:y|ied|ies)|criticis\w*|criticiz\w*|slam\w*)\b", re.I)
STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been has have had it its "
    "this that these those said says say told after before during while over into about than more least "
    "at also who which their there they he she his her we our you not no would could will can may".split())
_WORD = re.compile(r"[a-z][a-z'\-]{2,}")
DAY = timedelta(days=1)


@dataclass
class Mention:
    key: str                      # "<article>#e<idx>" or "<article>#c<idx>"
    article: str
    outlet: str | None
    published: str | None         # the article's publication timestamp or day
    kind: str                     # event | figure
    group: str
    type: str
    subtype: str | None
    start: date
    end: date
    specific: frozenset[str]
    generic: frozenset[str]
    actor: str | None
    asserted_by: str | None
    evidence: tuple[int, int]
    text: str
    tokens: frozenset[str]
    source: str = ""              # who asserts it, as a KB-backed key (see source_key)
    dated: bool = True            # False when the date was taken from publication
    background: bool = False      # recalled: explicitly dated days before publication
    figure: dict = field(default_factory=dict)

    @property
    def period(self) -> bool:
        return (self.end - self.start) > DAY

    @property
    def places(self) -> frozenset[str]:
        return self.specific | self.generic


def _interval(value: str | None) -> tuple[date, date] | None:
    if not value:
        return None
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:/(\d{4}-\d{2}-\d{2}))?", value)
    if not m:
        m2 = re.match(r"(\d{4})-(\d{2})$", value)
        if m2:  # a month
            first = date(int(m2.group(1)), int(m2.group(2)), 1)
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - DAY
            return first, last
        return None
    start = date.fromisoformat(m.group(1))
    end = date.fromisoformat(m.group(2)) if m.group(2) else start
    return (start, end) if start <= end else (end, start)


_DIRECTION = re.compile(r"^(?:the )?(?:north|south|east|west|central|northern|southern|eastern|western|"
                        r"north-?eastern|north-?western|south-?eastern|south-?western|outskirts of|centre of)\s+",
                        re.I)


def place_id(kb: KnowledgeBase, name: str) -> tuple[str, bool]:
    """KB id of a place name (``geo:<folded name>`` outside the gazetteer) and whether it is generic.
    "western Rafah" is Rafah when the gazetteer has no entry of its own for it."""
    entry = kb.place(name)
    if entry is None and _DIRECTION.match(name):
        entry = kb.place(_DIRECTION.sub("", name))
    if entry is not None:
        return entry.id, (entry.feature or "") in GENERIC_FEATURES
    from trucewatch.kb.world import lookup

    world = lookup(name)
    if world is not None:
        return world.id, world.feature == "country"
    return "geo:" + fold(name), False


def ancestors(kb: KnowledgeBase, pid: str) -> tuple[str, ...]:
    out: list[str] = []
    entry = kb.places.get(pid)
    while entry is not None and entry.parent and entry.parent not in out:
        out.append(entry.parent)
        entry = kb.places.get(entry.parent)
    return tuple(out)


def source_key(kb: KnowledgeBase, asserted_by: str | None, outlet: str | None) -> str:
    """Who a figure comes from, as a stable key: a KB actor id, or the folded name."""
    if not asserted_by or asserted_by == "author":
        return "outlet:" + fold(outlet or "unknown")
    return _source_key(kb, asserted_by)


_SOURCE_KEYS: dict[tuple[int, str], str] = {}


def _source_key(kb: KnowledgeBase, name: str) -> str:
    if (id(kb), name) in _SOURCE_KEYS:
        return _SOURCE_KEYS[(id(kb), name)]
    key = None
    actor = kb.actor(name)
    if actor is not None:
        key = actor.id
    else:
        person = kb.person(name)
        if person is not None:
            key = person.affiliation or person.id
    if key is None:
        best = 0
        for a in kb.actors.values():
            for alias in (a.name, *a.aliases):
                if len(alias) > best and len(alias) > 3 and re.search(r"\b" + re.escape(alias) + r"\b", name):
                    best, key = len(alias), a.id
    key = key or fold(re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I))
    if len(_SOURCE_KEYS) > 50_000:
        _SOURCE_KEYS.clear()
    _SOURCE_KEYS[(id(kb), name)] = key
    return key


def tokens(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in STOPWORDS)


def _sentence(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, span[0]), text.rfind("\n", 0, span[0])) + 1
    ends = [i for i in (text.find(". ", span[1]), text.find("\n", span[1])) if i != -1]
    return start, (min(ends) + 1 if ends else len(text))


def _dateline_names(record: dict) -> set[str]:
    dl = record.get("dateline") or {}
    span = dl.get("span")
    if not span:
        return set()
    return {p["name"] for p in record.get("places", []) if p.get("name") and span[0] <= p["span"][0] < span[1]}


def _pub_day(record: dict) -> date | None:
    for key in ("published_at", "published"):
        v = record.get(key)
        if v:
            try:
                return date.fromisoformat(str(v)[:10])
            except ValueError:
                continue
    return None


def _places(kb: KnowledgeBase, names, drop: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    names = [n for n in names if n]
    kept = [n for n in names if n not in drop] or ([] if drop else names)
    ids = [place_id(kb, n) for n in kept]
    specific = {i for i, g in ids if not g}
    generic = {i for i, g in ids if g}
    # Keep only the most specific of nested places: "Zeitoun, Gaza City" -> Zeitoun.
    nested = {a for i in specific for a in ancestors(kb, i)}
    return frozenset(specific - nested), frozenset(generic)


def _background(d: tuple[date, date, bool], pub: date | None) -> bool:
    """Explicitly dated days before publication and not a period reaching it: a recalled event."""
    return bool(d[2] and pub is not None and d[1] < pub - 3 * DAY)


GROUP_OF_TYPE = {"attack": "violence", "exchange": "exchange", "detention": "detention"}


def _host_event(record: dict, span: tuple[int, int], group: str) -> tuple[date, date, bool] | None:
    for ev in record.get("events") or []:
        es = ev.get("evidence") or (0, 0)
        if es[0] <= span[0] and span[1] <= es[1] and GROUP_OF_TYPE.get(ev.get("type") or "") == group:
            iv = _interval(ev.get("date"))
            if iv is not None:
                return iv[0], iv[1], True
    return None


def mentions_from_record(record: dict, kb: KnowledgeBase) -> list[Mention]:
    """Every event and casualty figure of one record that can belong to an incident."""
    aid = record["id"]
    text = record.get("text") or ""
    pub = _pub_day(record)
    published = record.get("published_at") or record.get("published")
    dl = record.get("dateline") or {}
    dl_span = dl.get("span")
    dl_names = _dateline_names(record)
    out: list[Mention] = []

    def date_of(value: str | None) -> tuple[date, date, bool] | None:
        iv = _interval(value)
        if iv is not None:
            return iv[0], iv[1], True
        if pub is None:
            return None
        return pub, pub, False

    events = record.get("events") or []
    reacting = {(ev.get("asserted_by"), ev.get("subtype")) for ev in events
                if ev.get("asserted_by") not in (None, "author")
                and REACTION.search(text[slice(*(ev.get("evidence") or (0, 0)))])}
    for i, ev in enumerate(events):
        span = tuple(ev.get("evidence") or (0, 0))
        d = date_of(ev.get("date"))
        if d is None:
            continue
        group = EVENT_GROUPS.get(ev.get("type") or "", "other")
        if ev.get("type") == "ceasefire" and ev.get("subtype") in VIOLENT_CEASEFIRE:
            group = "violence"
        if (ev.get("asserted_by"), ev.get("subtype")) in reacting:
            group = "reaction"
        drop = dl_names if dl_span and span[0] <= dl_span[0] < span[1] else set()
        specific, generic = _places(kb, ev.get("places") or [], drop)
        s = _sentence(text, span)
        out.append(Mention(
            key=f"{aid}#e{i}", article=aid, outlet=record.get("outlet"), published=published, kind="event",
            group=group, type=ev.get("type") or "other", subtype=ev.get("subtype"), start=d[0], end=d[1],
            specific=specific, generic=generic, actor=ev.get("actor"), asserted_by=ev.get("asserted_by"),
            evidence=span, text=text[span[0]:span[1]], tokens=tokens(text[s[0]:s[1]]), dated=d[2],
            source=source_key(kb, ev.get("asserted_by"), record.get("outlet")),
            background=_background(d, pub)))

    for i, c in enumerate(record.get("casualties") or []):
        span = tuple(c.get("evidence") or (0, 0))
        s = _sentence(text, span)
        sentence = text[s[0]:s[1]]
        group = STATUS_GROUPS.get(c.get("status") or "", "violence")
        d = date_of(c.get("date"))
        if d is None:
            continue
        if d[2] is False or d[1] - d[0] > DAY:
            # An undated figure inside an event's clause takes that event's date ("240 prisoners
            # released during the truce" takes the truce's dates).
            host = _host_event(record, span, group)
            if host is not None:
                d = host
        if group == "violence" and not DAY_TOLL.search(sentence) and (
                CUMULATIVE.search(sentence) or d[1] - d[0] > DAY):
            group = "toll-truce" if SINCE_TRUCE.search(sentence) else "toll"
        if group.startswith("toll") or c.get("status") in STATE_STATUSES:
            # Running totals and states ("17 are still held") are dated by the report: the
            # figure held on the publication day.
            d = (pub, pub, False) if pub else d
        specific, generic = _places(kb, [c.get("place")], set())
        ctype = {"violence": "attack", "exchange": "exchange", "detention": "detention"}.get(group, "toll")
        out.append(Mention(
            key=f"{aid}#c{i}", article=aid, outlet=record.get("outlet"), published=published, kind="figure",
            group=group, type=ctype, subtype=c.get("status"), start=d[0], end=d[1],
            specific=specific, generic=generic, actor=c.get("perpetrator"), asserted_by=c.get("asserted_by"),
            evidence=span, text=text[span[0]:span[1]], tokens=tokens(sentence), dated=d[2],
            source=source_key(kb, c.get("asserted_by"), record.get("outlet")),
            background=_background(d, pub),
            figure={"status": c.get("status"), "count": c.get("count"), "count_max": c.get("count_max"),
                    "qualifier": c.get("qualifier"), "who": c.get("who"), "place": c.get("place"),
                    "perpetrator": c.get("perpetrator"), "asserted_by": c.get("asserted_by")}))
    return out
