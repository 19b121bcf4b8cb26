"""Necessary literals of a regular expression: a cheap test before a costly scan.

The stages keep their rules as readable regular expressions, and some run dozens of them over
every article (the event triggers).  Most rules match nowhere in a given article, yet each scan
still walks the whole text: the ``re`` engine can only skip ahead quickly when a pattern starts
with a plain character, and rules starting with ``\\b`` never do.

:func:`necessary_literals` reads a pattern and returns strings at least one of which appears in
every text the pattern matches (for ``\\b(?:truce|pause) over`` that is ``{"truce", "pause",
" over"}`` narrowed to the best single choice, here ``{" over"}``).  A substring test (``in``)
for those strings is many times faster than the scan, so :class:`Prefiltered` runs the pattern
only on texts that hold one of them.  The result is exactly the pattern's own: the test only
skips texts where the pattern cannot match.  When a pattern has no such strings (a rule that
can match digits or any word) the pattern always runs.

The pattern is read with the standard library's regular expression parser (``re._parser``,
the module behind ``re.compile``); it is private, so any failure to read a pattern falls back
to always running it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # the parser re.compile itself uses (Python 3.11+)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without it: no prefilter, same results
    _sre_parse = None

_MIN_LEN = 3  # shorter literals ("at", "an") are in nearly every text: no use as a filter


def necessary_literals(pattern: str | re.Pattern) -> frozenset[str] | None:
    """Strings one of which is in every match of ``pattern``, or None if none are known.

    Case-insensitive patterns return None (the test would have to fold case as well); match
    lower-cased patterns against lower-cased text instead.
    """
    flags = 0
    if isinstance(pattern, re.Pattern):
        if pattern.flags & re.IGNORECASE:
            return None
        pattern, flags = pattern.pattern, pattern.flags & re.VERBOSE  # the flag that changes parsing
    if _sre_parse is None:
        return None
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply not filtered
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _sequence(list(parsed))
    if not found or min(len(s) for s in found) < _MIN_LEN:
        return None
    # a string holding another of the set adds nothing: "resum" is in every text "resume" is in
    return frozenset(s for s in found if not any(o != s and o in s for o in found))


def _sequence(items: list) -> set[str] | None:
    """Best necessary set of a sequence: its longest run of literals or one sub-part's set."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        sub = _item(name, av)
        if sub:
            candidates.append(sub)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(x) for x in s), -len(s)))


def _item(name: str, av) -> set[str] | None:
    if name == "SUBPATTERN":
        return _sequence(list(av[-1]))
    if name == "BRANCH":
        out: set[str] = set()
        for alternative in av[1]:
            sub = _sequence(list(alternative))
            if not sub:
                return None  # one alternative without a literal: the branch needs none
            out |= sub
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, _hi, body = av
        return _sequence(list(body)) if lo >= 1 else None
    if name == "ATOMIC_GROUP":
        return _sequence(list(av))
    return None  # character classes, anchors, look-arounds, back references


_LOWER_LETTER = re.compile(r"(?<!\\)[A-Z]")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


class Prefiltered:
    """A compiled pattern that skips texts holding none of its necessary literals.

    A case-insensitive pattern is turned into its lower-case form and run over the lower-cased
    text, which lets the filter work and is about twice as fast.  Its matches are then matches in
    the lower-cased text: positions are those of the original (when lower-casing would change a
    text's length, as a few letters such as "\u0130" do, the original pattern runs instead), the
    matched strings are lower-case.  (The one difference left: ``re``'s
    own case folding also equates a handful of rare letters, such as the long s, that
    ``str.lower`` does not.)
    """

    __slots__ = ("fold", "literals", "original", "regex")

    def __init__(self, regex: re.Pattern) -> None:
        self.original = regex
        self.fold = bool(regex.flags & re.IGNORECASE) and not _INLINE_FLAGS.search(regex.pattern)
        if self.fold:  # letters lowered, escapes such as \W, \S, \B kept
            regex = re.compile(_LOWER_LETTER.sub(lambda m: m.group().lower(), regex.pattern),
                               regex.flags & ~re.IGNORECASE)
        self.regex = regex
        self.literals = necessary_literals(regex)

    def possible(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in ``text``."""
        return self.literals is None or any(s in text for s in self.literals)

    def _text(self, text: str, lowered: str | None) -> str | None:
        """The text to scan with :attr:`regex`, or None when the original pattern must run."""
        if not self.fold:
            return text
        low = text.lower() if lowered is None else lowered
        return low if len(low) == len(text) else None

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match]:
        """Matches in ``text``; ``lowered`` is ``text.lower()`` when the caller runs many rules
        over one text and has lowered it once."""
        low = self._text(text, lowered)
        if low is None:
            yield from self.original.finditer(text)
        elif self.possible(low):
            yield from self.regex.finditer(low)

    def search(self, text: str, lowered: str | None = None) -> re.Match | None:
        low = self._text(text, lowered)
        if low is None:
            return self.original.search(text)
        return self.regex.search(low) if self.possible(low) else None
