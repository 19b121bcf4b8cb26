"""Casualty figures: counts of killed, injured, missing, detained, captive and released people."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.models import Casualty


def extract(ctx: Context) -> list[Casualty]:
    return []
