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
* ``modality`` - asserted (the default when a record has none), denied, planned, postponed;
  conditional and hypothetical items (threats, "if ...") are not reports of anything that
  happened and make no mention.  A denial is the event it denies, asserted by the denier.
  Planned and postponed items link like others (a postponement is news of the same story);
  their figures are never compared with what happened;
* ``chain`` - who it passes through: the quoted source, then what that source cites (see
  :mod:`trucewatch.incidents.sources`);
* for figures, the casualty fields the incident's figure table shows and the victims they
  count (a people's country and a class: people, combatants, children ...).

A figure dated by an interval ("2023-10-07/2025-01-15") or worded as a running total ("since
the war began") is a **running total**: it belongs to a toll series, never to the day's
incident, and the event that only narrates it ("killed since the ceasefire took effect") is not
an incident either.
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
    r"\bsince (?:fighting|hostilities|strikes|combat|the war|the offensive) (?:resumed|restarted)\b|"
    r"\bsince\b[^.;]{0,60}?\b(?:resum\w*|restart\w*|renew\w*)\b|"
    r"\b(?:hours|minutes) (?:before|after|since)\b",
    re.I)
SINCE_TRUCE = re.compile(r"\b(?:since|during) the (?:truce|pause|ceasefire|agreement)\b|"
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


# Words for the victims a figure counts.  General words count everyone; combatant words count
# fighters of any party; any other head word (children, women, journalists, hostages ...) is a
# part that is only compared with the same part.
GENERAL_VICTIMS = frozenset(
    "people persons person individuals citizens residents inhabitants nationals martyrs victims dead deaths "
    "casualties bodies others those total members member family families relatives".split())
COMBATANT_VICTIMS = frozenset(
    "soldier soldiers troops troop reservist reservists officer officers fighter fighters militant militants "
    "gunman gunmen terrorist terrorists operative operatives commander commanders combatants combatant "
    "member-of-armed".split())
_SINGULAR = {"children": "child", "women": "woman", "men": "man", "journalists": "journalist",
             "medics": "medic", "paramedics": "paramedic", "hostages": "hostage", "captives": "captive",
             "prisoners": "prisoner", "detainees": "detainee", "civilians": "civilian", "minors": "minor",
             "doctors": "doctor", "nurses": "nurse", "students": "student", "policemen": "policeman",
             "workers": "worker"}
# "28 of the dead were brought to ...", "among them 46 children": a part of a total.
PART_AFTER = re.compile(r"^[\w,.\-]+\s+(?:of (?:the|them|those|whom)\b)", re.I)
PART_BEFORE = re.compile(r"\b(?:among them|including|of whom|of them|of those)\s+$", re.I)
HOSPITAL_FEATURES = frozenset({"hospital"})
MODALITIES = frozenset({"asserted", "denied", "planned", "postponed", "conditional", "hypothetical"})
NOT_HAPPENED = frozenset({"conditional", "hypothetical"})


@dataclass(slots=True)
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
    modality: str = "asserted"    # asserted | denied | planned | postponed
    target: str | None = None
    actor_basis: str | None = None  # "agreement": the actor was inferred from a provision
    actor_auth: str | None = None   # the authority of the actor (see sources.top_actor)
    source_auth: str | None = None  # the authority of who asserts it
    chain: tuple[str, ...] = ()     # quoted source, then what it cites (empty: the outlet's voice)
    since: date | None = None       # running totals: the day the count starts from
    victims: tuple[str | None, str] = (None, "people")  # (people's country, class) of a figure
    headline: bool = False          # evidence inside the headline
    part: bool = False              # a breakdown of a larger figure ("28 of the dead", "17 to Nasser Hospital")
    sentence: tuple[int, int] = (0, 0)

    @property
    def denied(self) -> bool:
        return self.modality == "denied"

    @property
    def running(self) -> bool:
        return self.group.startswith("toll")

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


def victims(kb: KnowledgeBase, who: str | None) -> tuple[str | None, str]:
    """(people's country, class) of a figure's victims: "40 Palestinians" -> (PS, people),
    "two Israeli soldiers" -> (IL, combatants), "12 children" -> (None, child)."""
    if not who:
        return (None, "people")
    words = fold(who).split()
    country = None
    for n in (2, 1):
        for i in range(len(words) - n + 1):
            phrase = " ".join(words[i:i + n])
            if phrase in kb.demonyms:
                country = country or kb.demonyms[phrase]
    if country is None:
        actor = kb.actor(who) or next((a for w in words if len(w) > 2 and (a := kb.actor(w))), None)
        if actor is not None:
            country = actor.country
    cls = "people"
    for w in reversed(words):  # the head noun comes last
        if w in COMBATANT_VICTIMS:
            cls = "combatants"
            break
        if w in GENERAL_VICTIMS or w in kb.demonyms:
            break
        if w.isalpha() and len(w) > 2 and w not in ("and", "the", "other", "more", "least"):
            # A plural names a part of the dead ("children", "women"); a singular describes the
            # victim ("a man"): the toll of people; a name ("Abdullah Darwish") is one person
            # of a toll, never a version of it.
            if w in _SINGULAR or (w.endswith("s") and not w.endswith("ss") and who[-1:].islower()):
                cls = _SINGULAR.get(w, w[:-1])
            elif _NAME.match(who.strip()) and country is None:
                cls = "named person"
            break
    return (country, cls)


_NAME = re.compile(r"^(?:[A-Z][\w'\-]+)(?:\s+(?:al-|el-|bin |ibn |abu |de |van )?[A-Z][\w'\-]+)+$")


def authority_of(kb: KnowledgeBase, name: str | None) -> str | None:
    """The independence key of a name (see :mod:`trucewatch.incidents.sources`)."""
    from trucewatch.incidents.sources import resolve

    src = resolve(kb, name)
    return src.authority if src is not None else None


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
    specific -= nested
    if len(specific) >= BROAD_PLACES:
        # "strikes on Jabalia, Deir al-Balah, Rafah and Khan Younis": a wave across the
        # territory, not an incident at each of them (nor a bridge between their incidents).
        chains = {i: [a for a in ancestors(kb, i) if _is_generic(kb, a)] for i in specific}
        roots = {_root(kb, i) for i in specific}
        if len(roots) >= 2 and all(chains.values()):
            generic |= {c[0] for c in chains.values()}
            specific = set()
    return frozenset(specific), frozenset(generic)


BROAD_PLACES = 3


def _part(text: str, span: tuple[int, int]) -> bool:
    return bool(PART_AFTER.match(text[span[0]:span[0] + 40]) or PART_BEFORE.search(text[max(0, span[0] - 20):span[0]]))


def _at_hospital(kb: KnowledgeBase, specific: frozenset[str]) -> bool:
    """A figure placed at a hospital counts the victims brought there, not an attack on it."""
    return bool(specific) and all((kb.places[p].feature if p in kb.places else "") in HOSPITAL_FEATURES
                                  for p in specific)


def _is_generic(kb: KnowledgeBase, pid: str) -> bool:
    entry = kb.places.get(pid)
    return entry is not None and (entry.feature or "") in GENERIC_FEATURES


def _root(kb: KnowledgeBase, pid: str) -> str:
    """The outermost place above ``pid`` that is not a country or territory."""
    chain = [pid, *(a for a in ancestors(kb, pid) if not _is_generic(kb, a))]
    return chain[-1]


def _background(d: tuple[date, date, bool], pub: date | None) -> bool:
    """Explicitly dated days before publication and not a period reaching it: a recalled event."""
    return bool(d[2] and pub is not None and d[1] < pub - 3 * DAY)


GROUP_OF_TYPE = {"attack": "violence", "exchange": "exchange", "detention": "detention"}


def _windows(text: str, casualties: list[dict]) -> list[str]:
    """Each figure's own words: its sentence, cut at the figures before and after it in that
    sentence ("X was killed, bringing to 71 the journalists killed since October 7": the
    "since" is the 71's, not X's)."""
    spans = [tuple(c.get("evidence") or (0, 0)) for c in casualties]
    out = []
    for i, span in enumerate(spans):
        s, e = _sentence(text, span)
        semi = text.rfind(";", s, span[0])
        s = semi + 1 if semi != -1 else s
        semi = text.find(";", span[1], e)
        e = semi if semi != -1 else e
        lo, hi = s, e
        for j, other in enumerate(spans):
            if j == i or other == span or not (s <= other[0] < e):
                continue
            if other[1] <= span[0]:
                lo = max(lo, other[1])
            elif other[0] >= span[1]:
                hi = min(hi, other[0])
        # With a figure beside it, a figure's words end at the clause between them ("killed 12
        # on Sunday, raising the toll since the war began to 47,035").
        if lo > s:
            comma = text.rfind(", ", lo, span[0])
            lo = comma + 2 if comma != -1 else lo
        if hi < e:
            comma = text.find(", ", span[1], hi)
            hi = comma if comma != -1 else hi
        out.append(text[lo:hi])
    return out


def _period_host(record: dict, span: tuple[int, int]) -> tuple[date, date] | None:
    """The interval of an event whose evidence holds the figure's and that the record dates by
    an interval longer than a day (a tally of violations "since the ceasefire")."""
    title = record.get("title") or ""
    title_end = len(title) if title and (record.get("text") or "").startswith(title) else 0
    for ev in record.get("events") or []:
        es = ev.get("evidence") or (0, 0)
        if es[0] < title_end:
            continue  # a headline's event spans every figure of the headline
        if es[0] <= span[0] and span[1] <= es[1] and (ev.get("modality") or "asserted") == "asserted":
            iv = _interval(ev.get("date"))
            if iv is not None and iv[1] - iv[0] > DAY:
                return iv
    return None


def _host_event(record: dict, span: tuple[int, int], group: str) -> tuple[date, date, bool] | None:
    for ev in record.get("events") or []:
        es = ev.get("evidence") or (0, 0)
        if es[0] <= span[0] and span[1] <= es[1] and GROUP_OF_TYPE.get(ev.get("type") or "") == group:
            iv = _interval(ev.get("date"))
            if iv is not None:
                return iv[0], iv[1], True
    return None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _has_modality(record: dict) -> bool:
    return any("modality" in item for key in ("events", "casualties") for item in record.get(key) or [])


def _denials(record: dict, kb: KnowledgeBase) -> list[tuple[tuple[int, int], str | None]]:
    """Content spans of the record's denial claims with the denier's authority: for records
    written before items carried a modality, an item inside a denial by its own source is
    denied (the record's own evidence, nothing guessed from the words)."""
    out = []
    for c in record.get("claims") or []:
        if c.get("kind") == "denial" and c.get("content_span"):
            out.append((tuple(c["content_span"]), authority_of(kb, c.get("speaker_affiliation") or c.get("speaker"))))
    return out


def _modality(item: dict, span: tuple[int, int], denials, kb: KnowledgeBase, modern: bool) -> str:
    """The item's modality; in a record without modalities, a violent act inside a denial by
    the very party said to have done it ("X denied any role in the shooting") is denied."""
    m = item.get("modality") or item.get("status")  # events said "planned"/"postponed" in ``status`` before
    if m in MODALITIES:
        return m
    if not modern and denials and (item.get("type") == "attack" or item.get("subtype") in VIOLENT_CEASEFIRE):
        who = authority_of(kb, item.get("asserted_by"))
        if who is not None and who == authority_of(kb, item.get("actor")) and any(
                auth == who and _overlaps(ds, span) for ds, auth in denials):
            return "denied"
    return "asserted"


def mentions_from_record(record: dict, kb: KnowledgeBase) -> list[Mention]:
    """Every event and casualty figure of one record that can belong to an incident or a toll
    series (running totals)."""
    aid = record["id"]
    text = record.get("text") or ""
    pub = _pub_day(record)
    published = record.get("published_at") or record.get("published")
    dl = record.get("dateline") or {}
    dl_span = dl.get("span")
    dl_names = _dateline_names(record)
    title = record.get("title") or ""
    title_end = len(title) if title and text.startswith(title) else 0
    modern = _has_modality(record)
    denials = _denials(record, kb)
    claims = [(c["content_span"][0], c["content_span"][1], c.get("speaker") or "",
               text[c["content_span"][0]:c["content_span"][1]])
              for c in record.get("claims") or [] if c.get("content_span")]
    out: list[Mention] = []

    def date_of(value: str | None) -> tuple[date, date, bool] | None:
        iv = _interval(value)
        if iv is not None:
            return iv[0], iv[1], True
        if pub is None:
            return None
        return pub, pub, False

    from trucewatch.incidents.sources import back_reference, chain

    named = [n for n in {*(x.get("asserted_by") for key in ("events", "casualties") for x in record.get(key) or []),
                         *(c[2] for c in claims)} if n and n != "author"]

    def said_by(item: dict) -> str | None:
        who = item.get("asserted_by")
        return (back_reference(kb, who, named) or who) if who and who != "author" else who

    def chain_of(item: dict, span: tuple[int, int], sent: tuple[int, int]) -> tuple[str, ...]:
        links = chain(kb, item.get("asserted_by"), claims, span, text[sent[0]:sent[1]])
        # "the ministry said": the ministry the article named before, when only one fits
        return tuple(back_reference(kb, n, named) or n for n in links)

    # Running totals first: the events that only narrate them are left out below.
    figures: list[tuple[int, dict, tuple[int, int], tuple[int, int], str, tuple[date, date, bool], date | None]] = []
    casualties = record.get("casualties") or []
    windows = _windows(text, casualties)
    for i, c in enumerate(casualties):
        span = tuple(c.get("evidence") or (0, 0))
        s = _sentence(text, span)
        words = windows[i]  # the figure's own words: its sentence, up to the figures beside it
        group = STATUS_GROUPS.get(c.get("status") or "", "violence")
        raw = _interval(c.get("date"))
        d = date_of(c.get("date"))
        if d is None:
            continue
        since = None
        interval = raw is not None and raw[1] - raw[0] > DAY
        day_toll = bool(DAY_TOLL.search(words))
        if group == "violence" and interval and not day_toll:
            group = "toll-truce" if SINCE_TRUCE.search(words) else "toll"
            since = raw[0]
        elif group == "violence" and not interval and not day_toll and (
                period := _period_host(record, span)) is not None:
            # "these violations [since 10 October] had caused the killing of 211": the toll of a
            # period the record dates, however the figure itself is dated.
            group, since, raw, interval = "toll-truce", period[0], period, True
        elif group == "violence" and interval and day_toll:
            d = (raw[1], raw[1], True)  # "70 killed since the truce ended": the day's toll, as of its end
        else:
            if d[2] is False or d[1] - d[0] > DAY:
                # An undated figure inside an event's clause takes that event's date ("240
                # prisoners released during the truce" takes the truce's dates).
                host = _host_event(record, span, group)
                if host is not None:
                    d = host
            one_past_day = d[0] == d[1] and _background(d, pub)  # "1,200 killed on 7 October"
            if group == "violence" and not day_toll and (
                    (CUMULATIVE.search(words) and not one_past_day) or d[1] - d[0] > DAY):
                group = "toll-truce" if SINCE_TRUCE.search(words) else "toll"
                since = d[0] if d[1] - d[0] > DAY else None
        if group.startswith("toll") or c.get("status") in STATE_STATUSES:
            # Running totals and states ("17 are still held") are dated by the report: the
            # figure held on the publication day (or the interval's last day).
            end = raw[1] if interval else pub
            d = (end, end, False) if end else d
        figures.append((i, c, span, s, group, d, since))
    toll_sentences = [s for _, _, _, s, group, _, _ in figures if group.startswith("toll")]
    toll_starts = {since for *_, group, _, since in figures if group.startswith("toll") and since}

    events = record.get("events") or []
    reacting = {(ev.get("asserted_by"), ev.get("subtype")) for ev in events
                if ev.get("asserted_by") not in (None, "author")
                and REACTION.search(text[slice(*(ev.get("evidence") or (0, 0)))])}
    for i, ev in enumerate(events):
        span = tuple(ev.get("evidence") or (0, 0))
        modality = _modality(ev, span, denials, kb, modern)
        if modality in NOT_HAPPENED:
            continue
        d = date_of(ev.get("date"))
        if d is None:
            continue
        s = _sentence(text, span)
        if any(_overlaps(s, ts) for ts in toll_sentences) and (
                d[1] - d[0] > DAY or d[0] in toll_starts or _background(d, pub)):
            continue  # "killed 97 since the ceasefire took effect": the toll's story, not an incident
        group = EVENT_GROUPS.get(ev.get("type") or "", "other")
        if ev.get("type") == "ceasefire" and ev.get("subtype") in VIOLENT_CEASEFIRE:
            group = "violence"
        if (ev.get("asserted_by"), ev.get("subtype")) in reacting:
            group = "reaction"
        drop = dl_names if dl_span and span[0] <= dl_span[0] < span[1] else set()
        specific, generic = _places(kb, ev.get("places") or [], drop)
        basis = ev.get("actor_basis")
        out.append(Mention(
            key=f"{aid}#e{i}", article=aid, outlet=record.get("outlet"), published=published, kind="event",
            group=group, type=ev.get("type") or "other", subtype=ev.get("subtype"), start=d[0], end=d[1],
            specific=specific, generic=generic, actor=ev.get("actor"), asserted_by=ev.get("asserted_by"),
            evidence=span, text=text[span[0]:span[1]], tokens=tokens(text[s[0]:s[1]]), dated=d[2],
            source=source_key(kb, said_by(ev), record.get("outlet")),
            background=_background(d, pub), modality=modality, target=ev.get("target"), actor_basis=basis,
            actor_auth=None if basis == "agreement" else authority_of(kb, ev.get("actor")),
            source_auth=authority_of(kb, said_by(ev)), chain=chain_of(ev, span, s),
            headline=span[0] < title_end, sentence=s))

    for i, c, span, s, group, d, since in figures:
        modality = _modality(c, span, denials, kb, modern)
        if modality in NOT_HAPPENED:
            continue
        sentence = text[s[0]:s[1]]
        specific, generic = _places(kb, [c.get("place")], set())
        ctype = {"violence": "attack", "exchange": "exchange", "detention": "detention"}.get(group.split(":")[0],
                                                                                            "toll")
        out.append(Mention(
            key=f"{aid}#c{i}", article=aid, outlet=record.get("outlet"), published=published, kind="figure",
            group=group, type=ctype, subtype=c.get("status"), start=d[0], end=d[1],
            specific=specific, generic=generic, actor=c.get("perpetrator"), asserted_by=c.get("asserted_by"),
            evidence=span, text=text[span[0]:span[1]], tokens=tokens(sentence), dated=d[2],
            source=source_key(kb, said_by(c), record.get("outlet")),
            background=_background(d, pub), modality=modality,
            actor_auth=authority_of(kb, c.get("perpetrator")), source_auth=authority_of(kb, said_by(c)),
            chain=chain_of(c, span, s), since=since, victims=victims(kb, c.get("who")),
            headline=span[0] < title_end, sentence=s,
            part=_part(text, span) or _at_hospital(kb, specific),
            figure={"status": c.get("status"), "count": c.get("count"), "count_max": c.get("count_max"),
                    "qualifier": c.get("qualifier"), "who": c.get("who"), "place": c.get("place"),
                    "perpetrator": c.get("perpetrator"), "asserted_by": c.get("asserted_by")}))
    return out
