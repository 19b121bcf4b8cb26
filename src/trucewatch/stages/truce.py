"""Which ceasefire agreement an article is about (agreements are data: trucewatch.agreements)."""

from __future__ import annotations

from datetime import date

from trucewatch.agreements import Agreement, in_force_on
from trucewatch.context import Context

_KEY = "tw_about"


def about(ctx: Context) -> set[str]:
    """The names the article mentions: KB actors (with the states or groups they belong to) and
    gazetteer places (with the places that contain them)."""
    cached = ctx.doc.user_data.get(_KEY)
    if cached is not None:
        return set(cached)
    kb = ctx.kb
    names: set[str] = set()
    for m in ctx.mentions:
        if m.kind == "actor":
            a, hops = kb.actors.get(m.entry_id), 0
            while a is not None and hops < 5:
                names.add(a.name)
                a, hops = kb.actors.get(a.parent or ""), hops + 1
        elif m.kind == "place":
            p, hops = kb.places.get(m.entry_id), 0
            while p is not None and hops < 6:
                names.add(p.name)
                p, hops = kb.places.get(p.parent or ""), hops + 1
    names |= _signals_in(ctx.text)
    ctx.doc.user_data[_KEY] = sorted(names)
    return names


def _signals_in(text: str) -> set[str]:
    """The agreements' own signal words (``signals`` in the agreement data: "Gazans", "Litani")
    that the text uses."""
    import re

    from trucewatch.agreements import load_agreements

    words = {w for a in load_agreements().values() for w in a.signals}
    if not words:
        return set()
    rx = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    return set(rx.findall(text))


def agreement_on(ctx: Context, day: date | None) -> Agreement | None:
    """The agreement in force on ``day`` that this article is about, if any."""
    if day is None:
        return None
    return in_force_on(day, about(ctx))


def conflict_start(ctx: Context, day: date | None) -> date | None:
    """The day the war this article is about began (``conflict_start`` of its agreements): of the
    agreements the article names, the one whose war began last on or before ``day``."""
    from trucewatch.agreements import load_agreements, telling_names

    if day is None:
        return None
    names = about(ctx) & telling_names()
    starts = [a.conflict_start for a in load_agreements().values()
              if a.conflict_start is not None and a.conflict_start <= day
              and names & (set(a.parties) | set(a.regions) | set(a.signals))]
    return max(starts) if starts else None
