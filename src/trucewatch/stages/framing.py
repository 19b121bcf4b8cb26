"""Framing: evaluative terms from a two-sided lexicon, and whose voice uses them.

The lexicon is data (``kb/data/framing.yaml``: term, category, leaning), so analysts can
compare outlets' framing by the same list for every side.  Every occurrence of a term is
listed with its span, category and leaning, and with ``voice``: ``author`` when the sentence
is in the outlet's own voice, ``attributed`` when it lies in a claim's content (the source's
words).  Quoted scare terms (``"crimes"``) in the author's sentence count as the author's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from trucewatch.context import Context
from trucewatch.kb import _data_dirs
from trucewatch.models import FramingTerm


@lru_cache(maxsize=1)
def lexicon() -> tuple[re.Pattern, dict[str, tuple[str, str | None]]]:
    entries: dict[str, tuple[str, str | None]] = {}
    for d in _data_dirs():
        path = Path(d) / "framing.yaml"
        if path.exists():
            for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                entries[row["term"].lower()] = (row.get("category", "other"), row.get("leaning"))
    terms = sorted(entries, key=len, reverse=True)
    rx = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])", re.I) if terms \
        else re.compile(r"(?!x)x")
    return rx, entries


def extract(ctx: Context) -> list[FramingTerm]:
    rx, entries = lexicon()
    claims = [c.content_span for c in ctx.claims]
    out: list[FramingTerm] = []
    for m in rx.finditer(ctx.text):
        category, leaning = entries[m.group(0).lower()]
        inside = any(a <= m.start() < b for a, b in claims)
        out.append(FramingTerm(term=m.group(0), span=(m.start(), m.end()), category=category, leaning=leaning,
                               voice="attributed" if inside else "author"))
    return out

