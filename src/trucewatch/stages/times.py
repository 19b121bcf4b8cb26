"""Times: every date or time expression with a TIMEX3 value resolved against publication.

Candidates are spaCy ``DATE``/``TIME`` entities, widened to the words that change their
meaning ("late on Friday", "by Saturday", "since January"), plus expressions the model
misses ("overnight", "earlier in the day", "hours after ...").  Each is normalised on its own
by :func:`trucewatch.timex.normalise`; the sentence decides whether a bare weekday looks
forward ("will", "is due", "expected") or back.  An expression the normaliser cannot read, a
bare number or a recurring set ("daily") is dropped.  Every occurrence stays on the context
(later stages date events by the time in their own clause); the record lists each distinct
expression once, at its first occurrence (:func:`distinct`).
"""

from __future__ import annotations

import re

from trucewatch.context import Context
from trucewatch.literals import Prefiltered
from trucewatch.models import TimeExpr
from trucewatch.timex import normalise

_PREFIX = re.compile(r"(?:\b(?:late|early|by late|by early|late on|early on|by|since|until|in|through|mid-)\s*)$",
                     re.I)
_KEEP_PREFIX = re.compile(r"^(?:late|early|by late|by early|late on|early on|by|since|mid-)", re.I)
_EXTRA = re.compile(
    r"\b(?:\d{4}\s*(?:GMT|UTC)|\d{1,2}(?::\d{2})?\s*[ap]\.m\.(?:\s+(?:local time|GMT|UTC))?|day one|"
    r"the (?:morning|afternoon|evening)|(?:week|day|month|year)-long|(?:one|two|three|four|five|\d+) more "
    r"(?:days?|weeks?|hours?)|for (?:months|weeks|years)|(?:an|one|two|\d+) hours? before the \w+|overnight|"
    r"earlier in the (?:day|morning|evening|afternoon)|later in the day|the same day|"
    r"(?:an|one|two|three|several|a few|\d+) hours? (?:after|before|later|earlier)|hours (?:after|before|later)|"
    r"minutes (?:after|before)|by (?:nightfall|dawn|mid-?afternoon|midday|noon|dusk)|last night|this (?:morning|"
    r"afternoon|evening)|late (?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b", re.I)
_FUTURE = re.compile(r"\b(?:will|'ll|would|is due|are due|due to|expected to|scheduled|set to|planned|plans to|"
                     r"to be (?:released|freed|handed)|next|upcoming|deadline)\b", re.I)
_EXTRA_SCAN = Prefiltered(_EXTRA)  # same spans, about twice as fast (see trucewatch.literals)
_SET = re.compile(r"^(?:daily|weekly|monthly|annually|every\b|each\b)", re.I)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_BARE_NUMBER = re.compile(r"^(?:between\s+)?[\d,.\s]+(?:and\s+[\d,.]+)?$", re.I)


def extract(ctx: Context) -> list[TimeExpr]:
    text = ctx.text
    anchor = ctx.article.published
    spans: list[tuple[int, int]] = [(m.start(), m.end()) for m in _EXTRA_SCAN.finditer(text)]
    for ent in ctx.doc.ents:
        if ent.label_ in ("DATE", "TIME"):
            start, end = ent.start_char, ent.end_char
            m = _PREFIX.search(text[max(0, start - 12):start])
            if m and _KEEP_PREFIX.match(m.group(0)):
                start -= len(m.group(0))
            if text[end:end + 2] in ("'s", "\u2019s"):
                end += 2
            if not any(a < end and start < b for a, b in spans):
                spans.append((start, end))
    spans = _merge(text, sorted(spans))
    out: list[TimeExpr] = []
    for start, end in spans:
        mention = text[start:end].strip()
        if not mention or _SET.match(mention) or (_BARE_NUMBER.match(mention) and not _YEAR.match(mention)):
            continue
        found = normalise(mention, anchor, _future(ctx, start, end))
        if found is None:
            continue
        kind, value = found
        out.append(TimeExpr(mention=mention, value=value, span=(start, start + len(mention)),
                            type=kind))  # type: ignore[arg-type]
    return out


_JOIN = re.compile(r"^(?:\s+|\s+on\s+|,\s+|\s+at\s+)$")


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join neighbours that form one expression: "Tuesday" + "morning", "20:00" + "on 23 November"."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s >= out[-1][1] and _JOIN.match(text[out[-1][1]:s]) and "\n" not in text[out[-1][1]:s]:
            out[-1] = (out[-1][0], e)
        elif not out or s >= out[-1][1]:
            out.append((s, e))
    return out


def _future(ctx: Context, start: int, end: int) -> bool:
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    sent = span.sent
    # only the clause around the expression: from the last comma/semicolon before it
    left = ctx.text[sent.start_char:start]
    cut = max(left.rfind(","), left.rfind(";"), left.rfind(" and "))
    window = ctx.text[sent.start_char + cut + 1 if cut >= 0 else sent.start_char:end + 12]
    return bool(_FUTURE.search(window))


def distinct(times: list[TimeExpr]) -> list[TimeExpr]:
    """Each distinct expression once (same words without "late"/"by"/"since", same value), first occurrence."""
    out: list[TimeExpr] = []
    seen: set[tuple[str, str | None]] = set()
    for t in times:
        key = (_KEEP_PREFIX.sub("", t.mention.lower()).strip(), t.value)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def story_day(ctx: Context) -> str | None:
    """The day the article is about: its most frequent day-valued time not after publication."""
    pub = ctx.article.published.isoformat() if ctx.article.published else None
    counts: dict[str, int] = {}
    for t in ctx.times:
        if t.value and re.match(r"\d{4}-\d{2}-\d{2}", t.value) and (pub is None or t.value[:10] <= pub):
            day = t.value[:10]
            if pub is None or day >= _minus_days(pub, 3):
                counts[day] = counts.get(day, 0) + 1
    if not counts:
        return pub
    return max(counts, key=lambda d: (counts[d], d))


def _minus_days(day: str, n: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=n)).isoformat()
