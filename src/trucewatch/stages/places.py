"""Places: every place mention, resolved to coordinates.

Sources, in order of trust:

1. the dateline (``GAZA/JERUSALEM (Reuters) -`` gives two places);
2. KB place mentions found by the linking stage; the KB overrides the model's label (spaCy
   may call Beersheba a PERSON).  A direction before the name (``northern Gaza``) or a
   settlement word (``Kibbutz Nir Oz``) joins the mention; the coordinates stay the KB's;
3. spaCy ``GPE``/``LOC``/``FAC`` entities that no KB mention covers, resolved through GeoNames
   (:mod:`trucewatch.kb.world`) or kept unresolved.

A country named only as a modifier (``US President``, ``Egyptian``-style usage ``US envoy``)
is not a place mention: it names a government, not a location.
"""

from __future__ import annotations

import re

from trucewatch.context import Context
from trucewatch.kb import GazetteerPlace, Mention, world
from trucewatch.models import Place

_LABELS = {"GPE", "LOC", "FAC"}
_DIRECTIONS = re.compile(
    r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|upper|lower|greater|"
    r"occupied) +$", re.I)
_PREFIX = re.compile(r"(?:kibbutz|moshav|town of|city of|village of|camp of) +$", re.I)
_JUNK = re.compile(r"^(?:operation|the operation)\b", re.I)
_LEADING_THE = re.compile(r"^the\s+", re.I)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


def extract(ctx: Context) -> list[Place]:
    out: list[Place] = []
    out += _dateline(ctx)
    covered = [(m.start, m.end) for m in ctx.mentions]
    outlet = _outlet_spans(ctx)
    covered += outlet
    for m in ctx.mentions:
        if m.kind != "place" or _overlaps(outlet, m.start, m.end):
            continue
        entry = ctx.kb.places.get(m.entry_id)
        if entry is None or _modifier_only(ctx, m, entry):
            continue
        out.append(_from_kb(ctx, m, entry))
    for ent in ctx.doc.ents:
        if ent.label_ not in _LABELS or _overlaps(covered, ent.start_char, ent.end_char):
            continue
        place = _from_model(ctx, ent)
        if place is not None:
            out.append(place)
    out.sort(key=lambda p: p.span)
    return out


def _dateline(ctx: Context) -> list[Place]:
    dl = ctx.article.dateline
    if not dl or not dl.place or not dl.span:
        return []
    out = []
    pos = dl.span[0]
    for title in dl.place.split("/"):
        title = title.strip()
        i = ctx.text.lower().find(title.lower(), pos, dl.span[1])
        if not title or i < 0:
            continue
        pos = i + len(title)
        entry = ctx.kb.place(title)
        wp = None if entry else world.lookup(title)
        found = entry or wp
        out.append(Place(mention=ctx.text[i:pos], name=found.name if found else title, span=(i, pos),
                         country=found.country if found else None, lat=found.lat if found else None,
                         lon=found.lon if found else None, kb_id=found.id if found else None,
                         feature=found.feature if found else None))
    return out


def _from_kb(ctx: Context, m: Mention, entry: GazetteerPlace) -> Place:
    start, name = m.start, entry.name
    before = ctx.text[max(0, start - 30):start]
    d = _DIRECTIONS.search(before)
    if d:
        start -= len(d.group(0))
        name = ctx.text[start:m.end]
        name = name[0].lower() + name[1:] if d.group(0)[0].isupper() and start != _sentence_start(ctx, start) \
            else name
    else:
        p = _PREFIX.search(before)
        if p:
            start -= len(p.group(0))
    mention = ctx.text[start:m.end]
    return Place(mention=mention, name=name, country=entry.country, lat=entry.lat, lon=entry.lon,
                 span=(start, m.end), kb_id=entry.id, feature=entry.feature)


def _sentence_start(ctx: Context, char: int) -> int:
    span = ctx.doc.char_span(char, char + 1, alignment_mode="expand")
    return span.sent.start_char if span is not None else -1


def _modifier_only(ctx: Context, m: Mention, entry: GazetteerPlace) -> bool:
    """``US President``, ``Qatar envoy``: a country used as a noun modifier."""
    if entry.feature not in ("country", "state"):
        return False
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    last = span[-1]
    if span.end < len(ctx.doc) and ctx.doc[span.end].text in ("'s", "’s"):
        return False
    return last.dep_ in ("compound", "amod", "nmod") and last.head.i > last.i


def _from_model(ctx: Context, ent) -> Place | None:
    text = _POSSESSIVE.sub("", ent.text.strip())
    start = ent.start_char
    lead = _LEADING_THE.match(text)
    if lead:
        text, start = text[lead.end():], start + lead.end()
    if not text or _JUNK.match(text) or not text[0].isupper():
        return None
    if text.isupper() and len(text) > 3 and world.lookup(text) is None:
        return None  # a shouted word the model took for a place ("MOVEMENT")
    if ctx.kb.actor(text) or ctx.kb.outlet(text) or ctx.kb.person(text):
        return None
    wp = world.lookup(text)
    return Place(mention=text, name=wp.name if wp else text, country=wp.country if wp else None,
                 lat=wp.lat if wp else None, lon=wp.lon if wp else None, span=(start, start + len(text)),
                 kb_id=wp.id if wp else None, feature=wp.feature if wp else None)


def _outlet_spans(ctx: Context) -> list[tuple[int, int]]:
    """Where the outlet's own name appears (a byline's "Negev Courier staff" is not a place)."""
    name = ctx.article.outlet
    if not name or len(name) < 4:
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(name), ctx.text)]


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)
