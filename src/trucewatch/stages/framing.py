"""Framing: evaluative terms used in the author's own voice, from a two-sided lexicon."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.models import FramingTerm


def extract(ctx: Context) -> list[FramingTerm]:
    return []
