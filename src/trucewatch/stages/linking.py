"""Recognition and linking: mentions of KB actors, people, places and outlets."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.kb import Mention


def extract(ctx: Context) -> list[Mention]:
    return ctx.kb.find_mentions(ctx.doc, ctx.text)
