"""Places: every place the text names, resolved to coordinates, with how the text uses it.

Finding the names (the detector), in order of trust:

1. the dateline (``GAZA/JERUSALEM (Reuters) -`` gives two places);
2. the team's gazetteer mentions found by the linking stage; the gazetteer overrides the
   model's label (spaCy may call Beersheba a PERSON).  A direction before the name
   (``northern Gaza``) or a settlement word (``Kibbutz Nir Oz``) joins the mention;
3. spaCy ``GPE``/``LOC``/``FAC`` entities, and ``NORP`` ones that are demonyms ("Turkish");
4. names of countries, US states and continents (and the states' AP abbreviations, "Ky.")
   that the model left out or took for something else ("Texas Forest Service" as one ORG).

What is not a place, whatever the model says: a name that is part of a person's name ("Ofer"
in "Ofer Kalderon"); an unknown name that qualifies an event ("the Nova music festival"); a
name after a personal title ("Rep. Cleaver"); a facility the gazetteers do not know (streets,
halls, schools: too many, too local); the outlet's own name in a byline.

Which place a name means is chosen by :mod:`trucewatch.kb.resolve` from the rest of the
article (containment, the story's countries and states, proximity), not by population alone.

Each place carries its ``role``, how the text uses the name: ``location`` (something is or
happens there), ``dateline`` (where the report was filed: not where its events happened unless
the text says so), ``actor`` (a country or state named as the one acting: "Ruritania accused
..."), ``modifier`` ("Texas Forest Service", "Gaza health ministry") or ``adjective``
("Turkish").  The record lists every use but two (see :func:`_listed`): demonyms and countries
qualifying a noun ("US envoy") name who, not where.  Stages that want where things happened
(events, casualties) should keep the ``location`` uses (and a ``dateline`` only when the text
puts the event there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from trucewatch.context import Context
from trucewatch.kb import GazetteerPlace, Mention, world
from trucewatch.kb.names import fold
from trucewatch.kb.resolve import Item, Option, resolve
from trucewatch.models import Place

_LABELS = {"GPE", "LOC", "FAC"}
_DIRECTIONS = re.compile(
    r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|upper|lower|greater|"
    r"occupied) +$", re.I)
_PREFIX = re.compile(r"(?:kibbutz|moshav|town of|city of|village of|camp of) +$", re.I)
_JUNK = re.compile(r"^(?:operation|the operation)\b", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
# nouns naming an event: an unknown name before one is the event's name, not a place
_EVENT_NOUNS = re.compile(
    r"^\W{0,2}(?:(?:music|dance|film|arts?|food|beer|wine|jazz|rock|trance|desert|nature|peace)\s+)?"
    r"(?:festival|fest|concert|rave|party|parade|marathon|games|fair|tournament|cup|awards?|gala|carnival|"
    r"show|expo|gathering|celebration)s?\b", re.I)
# personal titles: the name after one is a person's ("Rep. Cleaver", "Gen. Halevi")
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Rep|Sen|Gov|Gen|Lt|Col|Maj|Sgt|Capt|Rev|Prof|St)\.?\s*$|"
    r"\b(?:President|Minister|Senator|Governor|Mayor|Judge|Sheikh|King|Queen|Prince|Pope|Rabbi|Imam|"
    r"spokesman|spokeswoman|spokesperson|hostage|captive|prisoner|detainee)\s+$")
_DIRECTION_WORD = re.compile(r"^(?:north|south|east|west|northeast|northwest|southeast|southwest|central|"
                             r"downtown|midtown|uptown|district|county|city|state|region|area)$", re.I)
# nouns after a name that make it a place of the thing named, not a qualifier ("the Gaza border")
_PLACE_NOUNS = {"border", "city", "county", "state", "province", "region", "area", "coast", "strip", "camp",
                "district", "governorate", "town", "village", "side", "frontier", "crossing", "airport", "port",
                "capital", "neighbourhood", "neighborhood", "suburb", "valley", "river", "sea", "lake",
                "mountains", "desert", "peninsula", "island", "islands", "corridor", "enclave", "territory",
                "territories", "heights", "bay", "gulf", "harbor", "harbour", "beach"}
_ACTOR_DEPS = {"nsubj", "nsubjpass", "agent"}
_MODIFIER_DEPS = {"compound", "amod", "nmod"}
_SOVEREIGN = {"country", "state", "territory"}
_SCAN_MAX = 4  # longest country/state name scanned for, in tokens


@dataclass
class _Cand:
    start: int
    end: int
    options: list[Option]
    source: str                      # dateline | team | model | scan
    label: str = ""                  # the model's label, if any
    entry: GazetteerPlace | None = None
    name_start: int | None = None    # where the mention starts once a direction joins it ("northern Gaza")
    name: str | None = None          # the name to give when the team entry is chosen
    weight: float = 1.0
    demonym: bool = False
    container: int | None = None
    extra: dict = field(default_factory=dict)


def extract(ctx: Context) -> list[Place]:
    cands = _candidates(ctx)
    cands.sort(key=lambda c: (c.start, -c.end))
    _containment(ctx, cands)
    chosen = resolve([Item(options=c.options, container=c.container, weight=c.weight) for c in cands])
    out = [_place(ctx, c, o) for c, o in zip(cands, chosen, strict=True)]
    return sorted((p for p in out if p is not None and _listed(p)), key=lambda p: p.span)


def _listed(p: Place) -> bool:
    """Whether the record lists this use of a name among its places.  A demonym ("Ruritanian
    strike", "Turkish mediators") names a people or a government, and a country qualifying a
    noun ("US envoy", "Thai workers") names who, not where: neither is listed.  A state's or a
    town's name qualifying a noun still says where ("Texas Forest Service", "the Gainesville
    police") and is listed, as a ``modifier``."""
    if p.role == "adjective":
        return False
    return not (p.role == "modifier" and p.feature in ("country", "continent"))


# --------------------------------------------------------------------------- detection

def _candidates(ctx: Context) -> list[_Cand]:
    out: list[_Cand] = _dateline(ctx)
    covered = [(c.start, c.end) for c in out]
    outlet = _outlet_spans(ctx)
    persons = [(e.start_char, e.end_char, e) for e in ctx.doc.ents if e.label_ == "PERSON"]
    kb_spans = [(m.start, m.end) for m in ctx.mentions]
    for m in ctx.mentions:
        if m.kind != "place" or _overlaps(outlet, m.start, m.end) or _overlaps(covered, m.start, m.end):
            continue
        entry = ctx.kb.places.get(m.entry_id)
        if entry is None or _inside_person(ctx, persons, m.start, m.end):
            continue
        out.append(_from_kb(ctx, m, entry))
    covered = [(c.start, c.end) for c in out] + kb_spans + outlet
    for ent in ctx.doc.ents:
        if _overlaps(covered, ent.start_char, ent.end_char):
            continue
        c = _from_model(ctx, ent)
        if c is not None:
            out.append(c)
            covered.append((c.start, c.end))
    out += _scan(ctx, covered)
    return out


def _dateline(ctx: Context) -> list[_Cand]:
    dl = ctx.article.dateline
    if not dl or not dl.place or not dl.span:
        return []
    out = []
    pos = dl.span[0]
    for title in re.split(r"[/,]", dl.place):
        title = title.strip()
        i = ctx.text.lower().find(title.lower(), pos, dl.span[1])
        if not title or i < 0:
            continue
        pos = i + len(title)
        entry = ctx.kb.place(title)
        opts = _team_options(entry, title) if entry else _world_options(title, dotted="." in title)
        out.append(_Cand(i, pos, opts, "dateline", entry=entry, weight=2.0))
    return out


def _from_kb(ctx: Context, m: Mention, entry: GazetteerPlace) -> _Cand:
    start, name = m.start, entry.name
    before = ctx.text[max(0, start - 30):start]
    name_start = None
    d = _DIRECTIONS.search(before)
    if d:
        name_start = start - len(d.group(0))
        name = ctx.text[name_start:m.end]
        if d.group(0)[0].isupper() and name_start != _sentence_start(ctx, name_start):
            name = name[0].lower() + name[1:]
    else:
        p = _PREFIX.search(before)
        if p:
            name_start = start - len(p.group(0))
    return _Cand(m.start, m.end, _team_options(entry, m.text), "team", entry=entry, name_start=name_start, name=name)


def _team_options(entry: GazetteerPlace, mention: str) -> list[Option]:
    """The team's entry, and the world's namesakes far from it ("Paris, Texas" for a team entry
    of Paris, France): the resolver prefers the team's unless the story says otherwise."""
    feature = entry.feature or "place"
    population = _TEAM_POPULATION.get(feature, 10_000)
    namesakes: list[Option] = []
    if entry.lat is not None and entry.lon is not None and entry.country not in _REGION:
        for p, how in world.candidates(mention):
            if how not in (world.NAME, world.ALTERNATE) or p.lat is None or p.lon is None:
                continue
            if world.km((p.lat, p.lon), (entry.lat, entry.lon)) > 50:
                namesakes.append(Option(p, how))
            elif p.feature in ("capital", feature):  # the world's twin of the entry: its prominence
                population = max(population, p.population)
                feature = p.feature
    team = Option(world.WorldPlace(id=entry.id, name=entry.name, country=entry.country, lat=entry.lat,
                                   lon=entry.lon, feature=feature, population=population), team=True)
    return [team, *namesakes]


# the region the team's gazetteer covers in detail: its entries there have no namesakes to weigh
_REGION = {"IL", "PS", "LB", "SY", "JO", "EG"}
_TEAM_POPULATION = {"country": 10_000_000, "territory": 2_000_000, "city": 500_000, "state": 5_000_000}


def _world_options(text: str, *, dotted: bool = False, demonym: bool = False, after_comma: bool = False,
                   major_only: bool = False) -> list[Option]:
    hows = {world.NAME, world.ALTERNATE}
    if dotted:
        hows.add(world.DOTTED)
    if demonym:
        hows.add(world.DEMONYM)
    if after_comma:
        hows |= {world.AFTER_COMMA, world.DOTTED}
    out = [Option(p, how) for p, how in world.candidates(text) if how in hows]
    if major_only:
        out = [o for o in out if o.place.feature in ("country", "state", "continent")]
    return out


def _from_model(ctx: Context, ent) -> _Cand | None:
    label = ent.label_
    if label not in _LABELS and label not in ("NORP", "PERSON", "ORG"):
        return None
    raw = ent.text.strip()
    text = _POSSESSIVE.sub("", raw)
    start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
    lead = _LEADING_THE.match(text)
    if lead:
        text, start = text[lead.end():], start + lead.end()
    if not text or _JUNK.match(text) or not text[0].isupper():
        return None
    end = start + len(text)
    if label == "NORP":
        opts = [o for o in _world_options(text, demonym=True) if o.how == world.DEMONYM]
        return _Cand(start, end, opts, "model", label=label, demonym=True) if opts else None
    if label in ("PERSON", "ORG"):
        # the model's person or organisation that is a country, state or continent by name
        opts = _world_options(text, dotted=True, major_only=True)
        if not opts or _after_title(ctx, start) or len(text) < 4:
            return None
        return _Cand(start, end, opts, "model", label=label)
    if ctx.kb.actor(text) or ctx.kb.outlet(text) or ctx.kb.person(text):
        return None
    opts = _world_options(text, dotted="." in text)
    if not opts and label == "GPE":
        opts = [o for o in _world_options(text, demonym=True) if o.how == world.DEMONYM]
        if opts:  # the model's GPE "Kuwaiti"
            return _Cand(start, end, opts, "model", label=label, demonym=True)
    if not opts:
        if label == "FAC" or not _plausible_unknown(ctx, text, start, end):
            return None
    elif _EVENT_NOUNS.match(ctx.text[end:end + 30]) and not any(
            o.place.feature in ("country", "state", "continent") or o.place.population >= 100_000 for o in opts):
        return None  # "the Reading Festival": a small namesake town is no evidence of a place here
    return _Cand(start, end, opts, "model", label=label)


_STREET = re.compile(r"\b(?:street|st|road|rd|avenue|ave|drive|dr|lane|ln|boulevard|blvd|highway|hwy|court|"
                     r"courthouse|hall|school|church|restaurant|center|centre|building|way|place|pl|route|"
                     r"interstate)\.?$", re.I)


def _plausible_unknown(ctx: Context, text: str, start: int, end: int) -> bool:
    """Whether a name no gazetteer knows may still be a place the model found."""
    if _STREET.search(text):
        return False  # streets and buildings: too local for a gazetteer, not what a reader maps
    if text.isupper() and len(text) > 3:
        return False  # a shouted word the model took for a place ("MOVEMENT")
    if _DIRECTION_WORD.match(text) or _after_title(ctx, start):
        return False
    if _EVENT_NOUNS.match(ctx.text[end:end + 30]):
        return False  # "the Nova music festival"
    return True


def _after_title(ctx: Context, start: int) -> bool:
    return bool(_TITLE.search(ctx.text[max(0, start - 20):start]))


def _scan(ctx: Context, covered: list[tuple[int, int]]) -> list[_Cand]:
    """Names the model did not give as places: countries, states, continents, demonyms and
    abbreviations anywhere ("Texas Forest Service", "Ky."), and towns of ``SCAN_TOWN``+ people
    written as proper nouns ("a Gainesville restaurant", "the Alexandria police")."""
    doc = ctx.doc
    keys = _major_keys()
    w = world._world()
    people = [(e.start, e.end) for e in doc.ents if e.label_ not in ("GPE", "LOC", "FAC", "ORG", "NORP")]
    in_person = set()
    for a, b in people:
        in_person.update(range(a, b))
    folded = [fold(t.text) for t in doc]
    out: list[_Cand] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if not tok.text[:1].isupper() or i in in_person:
            i += 1
            continue
        hit = town = None
        for j in range(min(n, i + _SCAN_MAX), i, -1):
            if any(k in in_person for k in range(i, j)):
                continue
            key = " ".join(x for x in folded[i:j] if x)
            if key in keys:
                hit = doc[i:j]
                break
            least = SCAN_TOWN if j - i > 1 else SCAN_TOWN_ONE_WORD
            if all(t.pos_ == "PROPN" for t in doc[i:j]) and any(
                    x & 7 == 0 and int(w.rows[x >> 3].rsplit("\t", 1)[1]) >= least for x in _hits(w, key)):
                hit = town = doc[i:j]
                break
        if hit is None:
            i += 1
            continue
        s, e = hit.start_char, hit.end_char
        i = hit.end
        if _overlaps(covered, s, e) or _after_title(ctx, s):
            continue
        text = hit.text
        if town is not None:
            opts = _world_options(text)
            if opts and not _EVENT_NOUNS.match(ctx.text[e:e + 30]):
                out.append(_Cand(s, e, opts, "scan"))
                covered.append((s, e))
            continue
        after_comma = bool(re.search(r"[A-Za-z.],\s*$", ctx.text[max(0, s - 3):s]))
        opts = [o for o in _world_options(text, dotted=text.endswith("."), demonym=True, after_comma=after_comma,
                                          major_only=True)]
        if not opts:
            continue
        if opts[0].how == world.DOTTED and not text.endswith("."):
            continue
        opts = [o for o in opts if o.how != world.AFTER_COMMA or text.isupper()]  # "Austin, TX", not "Ms."
        if not opts:
            continue
        if len(text) < 4 and not after_comma and opts[0].how != world.NAME and "." not in text:
            continue
        demonym = all(o.how == world.DEMONYM for o in opts)
        out.append(_Cand(s, e, opts, "scan", demonym=demonym))
        covered.append((s, e))
    return out


# a town the model missed is taken when it has this many people (a one-word name: more, as
# many towns are named by a common word: "Police", "Union", "Enterprise")
SCAN_TOWN = 15_000
SCAN_TOWN_ONE_WORD = 100_000


def _hits(w, key: str) -> tuple[int, ...]:
    v = w.index.get(key)
    return () if v is None else v if isinstance(v, tuple) else (v,)


@lru_cache(maxsize=1)
def _major_keys() -> frozenset[str]:
    """The folded names of the world's countries, states and continents (and their demonyms
    and abbreviations): the few names worth looking for in every token."""
    w = world._world()
    keys = set()
    for key, v in w.index.items():
        for x in v if isinstance(v, tuple) else (v,):
            if w.rows[x >> 3].split("\t", 2)[1] not in ("city", "capital"):
                keys.add(key)
                break
    return frozenset(keys)


def _containment(ctx: Context, cands: list[_Cand]) -> None:
    """"Paris, Texas": a place followed by a comma and a state or country lies inside it."""
    for k, c in enumerate(cands[:-1]):
        nxt = cands[k + 1]
        if re.fullmatch(r"\s*,\s*", ctx.text[c.end:nxt.start]) and any(
                o.place.feature in ("state", "country") for o in nxt.options):
            c.container = k + 1


# --------------------------------------------------------------------------- the record

def _place(ctx: Context, c: _Cand, o: Option | None) -> Place | None:
    start, end = c.start, c.end
    mention = ctx.text[start:end]
    if o is None:
        if c.source != "model" or c.label not in ("GPE", "LOC"):
            return None
        return Place(mention=mention, name=mention, span=(start, end), role=_role(ctx, c, None))
    p = o.place
    name = p.name
    if o.team and c.name_start is not None:
        start = c.name_start
        mention = ctx.text[start:end]
        name = c.name or p.name
    elif o.team and c.name:
        name = c.name
    feature = c.entry.feature if o.team and c.entry is not None else p.feature
    if not o.team and p.feature == "country":  # the team's entry of a country, where it has one
        entry = ctx.kb.place(p.name)
        if entry is not None and entry.feature == "country" and entry.country == p.country:
            return Place(mention=mention, name=entry.name, country=entry.country, lat=entry.lat, lon=entry.lon,
                         span=(start, end), kb_id=entry.id, feature=entry.feature, role=_role(ctx, c, o))
    return Place(mention=mention, name=name, country=p.country, lat=p.lat, lon=p.lon, span=(start, end),
                 kb_id=p.id, feature=feature, role=_role(ctx, c, o))


def _role(ctx: Context, c: _Cand, o: Option | None) -> str:
    if c.source == "dateline":
        return "dateline"
    if c.demonym or (o is not None and o.how == world.DEMONYM):
        return "adjective"
    span = ctx.doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return "location"
    last = span[-1]
    sovereign = o is not None and o.place.feature in _SOVEREIGN
    if sovereign and span.end < len(ctx.doc) and ctx.doc[span.end].text in ("'s", "’s"):
        return "actor"  # "Ruritania's army"
    if last.dep_ in _MODIFIER_DEPS and last.head.i >= span.end and last.head.lower_ not in _PLACE_NOUNS:
        return "modifier"
    if sovereign and (last.dep_ in _ACTOR_DEPS or (last.dep_ == "pobj" and last.head.lower_ == "by")):
        return "actor"
    if sovereign and last.dep_ == "conj":
        head = last.head
        while head.dep_ == "conj":
            head = head.head
        if head.dep_ in _ACTOR_DEPS:
            return "actor"  # "Ruritania and Freedonia urged ..."
    return "location"


# --------------------------------------------------------------------------- helpers

def _inside_person(ctx: Context, persons, s: int, e: int) -> bool:
    """A gazetteer name that is part of a longer person's name ("Ofer" in "Ofer Kalderon")."""
    for a, b, _ent in persons:
        if a <= s and e <= b and (a, b) != (s, e):
            rest = (ctx.text[a:s] + " " + ctx.text[e:b]).strip()
            if not _DIRECTIONS.search(rest + " ") and not _PREFIX.search(rest + " ") and \
                    rest.lower() not in ("camp", "hospital", "crossing", "refugee camp"):
                return True
    return False


def _sentence_start(ctx: Context, char: int) -> int:
    span = ctx.doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent.start_char if span is not None else -1


def _outlet_spans(ctx: Context) -> list[tuple[int, int]]:
    """Where the outlet's own name appears (a byline's "Negev Courier staff" is not a place)."""
    name = ctx.article.outlet
    if not name or len(name) < 4:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(name), ctx.text)]


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)
