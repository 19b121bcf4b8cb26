"""Events: attacks, ceasefire milestones, exchanges, diplomacy, humanitarian access, ..."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.models import Event


def extract(ctx: Context) -> list[Event]:
    return []
