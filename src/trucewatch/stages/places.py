"""Places: every place mention, resolved to the gazetteer where possible."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.models import Place

_LABELS = {"GPE", "LOC", "FAC"}


def extract(ctx: Context) -> list[Place]:
    out: list[Place] = []
    for ent in ctx.doc.ents:
        if ent.label_ not in _LABELS:
            continue
        entry = ctx.kb.place(ent.text)
        out.append(Place(
            mention=ent.text,
            name=entry.name if entry else ent.text,
            country=entry.country if entry else None,
            lat=entry.lat if entry else None,
            lon=entry.lon if entry else None,
            span=(ent.start_char, ent.end_char),
            kb_id=entry.id if entry else None,
            feature=entry.feature if entry else None,
        ))
    return out
