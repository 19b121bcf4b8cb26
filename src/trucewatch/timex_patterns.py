"""Time expressions found with the pattern table ``patterns/times.jsonl`` (spaCy ``Matcher``).

Each entry of the table is a token pattern with an id, a label (the kind of expression:
``weekday``, ``duration``, ``quarter`` ...; ``not_a_time`` for ages, which veto any time they
overlap), a rationale and example sentences (``tests/test_patterns.py`` checks them).
:func:`find` returns the longest match at each place of a ``Doc``, trimmed as TimeML draws a
TIMEX3 ("on Thursday" is "Thursday").

Speed: most entries open with optional words ("at least the past three months"), which the
``Matcher`` tries at every token.  So every entry gets an anchor, read from the table itself (of
its required tokens, the one with the fewest common words: "months", a weekday, a year's digits),
entries sharing an anchor share a ``Matcher``, and each runs only on the stretches of the ``Doc``
around its anchor words (about a third of a news text).  The result is the same as one
``Matcher`` over the whole ``Doc`` (``tests/test_timex_patterns.py``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from trucewatch import patterns

TABLE = "times"
NOT_A_TIME = "not_a_time"


def entries() -> tuple[patterns.PatternEntry, ...]:
    return patterns.load(TABLE)


def table(vocab: Vocab) -> patterns.CompiledTable:
    return patterns.compiled(TABLE, vocab)


def label_of(vocab: Vocab, key: str) -> str:
    return table(vocab).entries[key].label


# Words TimeML leaves outside a TIMEX3 at its edges, and trailing punctuation.
_LEADING = frozenset({"on", "in", "at", "by", "since", "until", "till", "during", "over", "within", "through",
                      "throughout", "from", "for", "of", "to", "into", "between", "after", "before"})
_KEEP_WITH_PREPOSITION = frozenset({"present", "now", "the moment"})
_TRAILING = frozenset({",", ";", ":", "(", "-", "--", "and", "or", "to", ".", "that", "follow", "come", "of", "on"})
_QUANTIFIER_START = frozenset({"least", "most", "than", "to"})
_SHIFT = frozenset({"last", "next", "this", "past", "coming"})
_HOUR_WORDS = frozenset({"hour", "hours", "minute", "minutes", "moment", "moments", "second", "seconds"})


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A match without the prepositions TimeML leaves outside a TIMEX3 and trailing punctuation."""
    while end - start > 1 and (doc[end - 1].lower_ in _TRAILING or doc[end - 1].lower_ in ("after", "before") and
                               doc[end - 2].lower_ not in _HOUR_WORDS and
                               not (end - start == 3 and doc[start].lower_ == "the")):
        end -= 1  # "three days after": the duration; "hours after", "the day after" stay whole (a moment, a day)
    while end - start > 1 and doc[start].lower_ == "that" and doc[start + 1].lower_ in _SHIFT:
        start += 1  # "said that last week": a conjunction before the expression
    while end - start > 1 and doc[start].lower_ in _LEADING and \
            doc[start + 1:end].text.lower() not in _KEEP_WITH_PREPOSITION and \
            doc[start + 1].lower_ not in _QUANTIFIER_START and \
            not (doc[start].lower_ in ("after", "before") and doc[start + 1].lower_ in ("midnight", "noon")):
        start += 1
    return start, end


# Words too common to say that a time expression is near.
_COMMON = frozenset("the a an of on in at to and or for by this that these those its their his her - , . 's \u2019s "
                    "than least most about around over under just only some all each every early late more as after "
                    "before one two new time first second last next same part end start close rest long good large "
                    "many another period present current past ' \u2019 \u2013 \u2010 \u2011".split())
_LEFT, _RIGHT = 10, 8  # how far a match may reach from its anchor word (longer ones are cut from the left)
_REGEX_REACH = (4, 7)  # a digit anchor (year, day, clock) heads short ones: "the end of 2001", "8 p.m. on Sunday"


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[frozenset[str], re.Pattern | None, tuple[str, ...]], ...]:
    """The entries grouped by their anchor: (anchor words, anchor token regex, entry ids).

    Every match of an entry contains its anchor: of the pattern's required tokens, the one with
    the fewest common words (a token regex counts the common words it accepts); ties go to the
    later token, the head of the phrase.  Entries with the same anchor share a group.
    """
    groups: dict[tuple[frozenset[str], str | None], tuple[frozenset[str], re.Pattern | None, list[str]]] = {}
    for e in entries():
        if e.label == NOT_A_TIME or e.pattern is None:
            continue
        best: tuple[int, int, frozenset[str], re.Pattern | None] | None = None
        for pos, tok in enumerate(e.pattern):
            if tok.get("OP") in ("?", "*", "!"):
                continue
            for key in ("LOWER", "ORTH", "TEXT", "NORM"):
                v = tok.get(key)
                lits: frozenset[str] = frozenset()
                rx = None
                if isinstance(v, str):
                    lits = frozenset({v.lower()})
                elif isinstance(v, dict) and "IN" in v:
                    lits = frozenset(str(x).lower() for x in v["IN"])
                elif isinstance(v, dict) and "REGEX" in v:
                    rx = re.compile(v["REGEX"], re.I)
                else:
                    continue
                bad = len(lits & _COMMON) if rx is None else sum(1 for w in _COMMON if rx.search(w))
                cand = (bad, -pos, lits, rx)
                if best is None or cand[:2] < best[:2]:
                    best = cand
        if best is None:
            raise patterns.PatternError(f"{e.source} ({e.id}): no required word or token regex")
        key = (best[2], best[3].pattern if best[3] is not None else None)
        groups.setdefault(key, (best[2], best[3], []))[2].append(e.id)
    return tuple((words, rx, tuple(ids)) for words, rx, ids in groups.values())


@lru_cache(maxsize=1)
def _anchor_index() -> tuple[dict[str, frozenset[int]], tuple[tuple[re.Pattern, int], ...]]:
    words: dict[str, set[int]] = {}
    regexes = []
    for g, (ws, rx, _) in enumerate(_groups()):
        for w in ws:
            words.setdefault(w, set()).add(g)
        if rx is not None:
            regexes.append((rx, g))
    return {w: frozenset(gs) for w, gs in words.items()}, tuple(regexes)


_ANCHOR_CACHE: dict[str, tuple[int, int, frozenset[int]] | None] = {}


def _anchor(lower: str) -> tuple[int, int, frozenset[int]] | None:
    """How far left and right of this word a match may reach, and the groups it anchors (None: none)."""
    got = _ANCHOR_CACHE.get(lower, False)
    if got is False:
        words, regexes = _anchor_index()
        gs = set(words.get(lower, ()))
        reach = (_LEFT, _RIGHT) if gs else _REGEX_REACH
        gs.update(g for rx, g in regexes if rx.search(lower))
        got = (*reach, frozenset(gs)) if gs else None
        if len(_ANCHOR_CACHE) < 200_000:
            _ANCHOR_CACHE[lower] = got
    return got


def _windows(doc: Doc) -> list[tuple[int, int, frozenset[int]]]:
    """Stretches of the Doc around words a time expression needs, with the groups that may match there."""
    out: list[list] = []
    n = len(doc)
    for tok in doc:
        got = _anchor(tok.lower_)
        if got is not None:
            a, b = max(0, tok.i - got[0]), min(n, tok.i + got[1] + 1)
            if out and a <= out[-1][1]:
                out[-1][1] = max(out[-1][1], b)
                out[-1][2] = out[-1][2] | got[2]
            else:
                out.append([a, b, got[2]])
    return [(a, b, gs) for a, b, gs in out]


_GROUP_MATCHERS: dict[int, tuple[Vocab, list[Matcher]]] = {}


def _group_matchers(vocab: Vocab) -> list[Matcher]:
    """One Matcher per anchor group, and last one with the vetoes (ages), built once per vocabulary."""
    got = _GROUP_MATCHERS.get(id(vocab))
    if got is None or got[0] is not vocab:
        tab = table(vocab)
        vetoes = tuple(e.id for e in entries() if e.label == NOT_A_TIME)
        matchers = []
        for ids in [g[2] for g in _groups()] + [vetoes]:
            m = Matcher(vocab)
            for i in ids:
                m.add(i, [list(tab.entries[i].pattern)], greedy="LONGEST")
            matchers.append(m)
        got = _GROUP_MATCHERS[id(vocab)] = (vocab, matchers)
    return got[1]


def _matches(doc: Doc, matcher: Matcher | None = None) -> list[tuple[int, int, int]]:
    """Matches of the table (or of ``matcher``) in the windows: each window runs only the groups it anchors."""
    found = set()
    matchers = _group_matchers(doc.vocab)
    for a, b, gs in _windows(doc):
        span = doc[a:b]
        for m in ([matcher] if matcher is not None else [matchers[g] for g in sorted(gs)] + [matchers[-1]]):
            found.update((key, a + s, a + e) for key, s, e in m(span))
    return sorted(found, key=lambda x: (x[1], x[2], x[0]))


def find(doc: Doc, matcher: Matcher | None = None, keep=None) -> list[tuple[int, int, str]]:
    """(start token, end token, label) of every time expression: the longest match at each place, trimmed.

    ``keep(doc, start, end, label)``, if given, is asked about every trimmed match before the
    longest are chosen (a match it refuses leaves room for a shorter one).
    """
    tab = table(doc.vocab)
    strings = doc.vocab.strings
    spans, vetoes = [], []
    for key, start, end in _matches(doc, matcher):
        label = tab.entries[strings[key]].label
        if label == NOT_A_TIME:
            vetoes.append((start, end, label))
        elif keep is None or keep(doc, *trim(doc, start, end), label):
            spans.append((start, end, label))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken = [False] * len(doc)
    for a, b, _ in vetoes:
        for i in range(a, b):
            taken[i] = True
    out = []
    for a, b, label in spans:
        if any(taken[a:b]):
            continue
        for i in range(a, b):
            taken[i] = True
        a, b = trim(doc, a, b)
        out.append((a, b, label))
    out.sort()
    return out
