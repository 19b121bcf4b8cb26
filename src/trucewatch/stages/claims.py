"""Claims and voice: who said what, and which sentences speak in the outlet's own voice."""

from __future__ import annotations

from trucewatch.context import Context
from trucewatch.models import Claim, SentenceVoice


def extract(ctx: Context) -> tuple[list[Claim], list[SentenceVoice]]:
    return [], []
