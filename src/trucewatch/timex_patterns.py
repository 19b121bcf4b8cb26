"""The time-expression patterns (``patterns/times.yaml``) as a spaCy ``Matcher``.

Each entry of the pattern file has an id, a rationale, examples and spaCy token patterns; its
matches are candidate TIMEX3 spans.  :func:`find` returns the longest match at each place of a
``Doc`` (one entry's match inside another's longer one is dropped) without the spans an
``exclude`` entry (ages) overlaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

PATTERNS = Path(__file__).parent / "patterns" / "times.yaml"


@dataclass(frozen=True)
class Entry:
    id: str
    rationale: str
    examples: tuple[tuple[str, str], ...]
    patterns: tuple
    exclude: bool = False


class _Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: only true/false (YAML 1.1 also reads the word "on" as a boolean)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


@lru_cache(maxsize=4)
def load_entries(path: str | None = None) -> tuple[Entry, ...]:
    """The entries of the pattern file (the package's own by default)."""
    data = yaml.load(Path(path or PATTERNS).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    out = []
    for e in data["entries"]:
        out.append(Entry(id=e["id"], rationale=e["rationale"],
                         examples=tuple((x["text"], x["match"]) for x in e.get("examples") or []),
                         patterns=tuple(e["patterns"]), exclude=bool(e.get("exclude"))))
    return tuple(out)


def build_matcher(vocab: Vocab, entries: tuple[Entry, ...] | None = None) -> Matcher:
    matcher = Matcher(vocab, validate=True)
    for e in entries if entries is not None else load_entries():
        matcher.add(e.id, [list(p) for p in e.patterns], greedy="LONGEST")
    return matcher


_MATCHERS: dict[int, tuple[Vocab, Matcher]] = {}


def _matcher(vocab: Vocab) -> Matcher:
    got = _MATCHERS.get(id(vocab))
    if got is None or got[0] is not vocab:
        got = (vocab, build_matcher(vocab))
        _MATCHERS[id(vocab)] = got
    return got[1]


@lru_cache(maxsize=1)
def _excluded_ids() -> frozenset[str]:
    return frozenset(e.id for e in load_entries() if e.exclude)


_LEADING = frozenset({"on", "in", "at", "by", "since", "until", "till", "during", "over", "within", "through",
                      "throughout", "from", "for", "of", "to", "into", "between", "after", "before"})
_KEEP_WITH_PREPOSITION = frozenset({"present", "now", "the moment"})
_TRAILING = frozenset({",", ";", ":", "(", "-", "--", "and", "or", "to", ".", "that", "follow", "come", "of", "on"})
_SHIFT = frozenset({"last", "next", "this", "past", "coming"})
_HOUR_WORDS = frozenset({"hour", "hours", "minute", "minutes", "moment", "moments", "second", "seconds"})
_QUANTIFIER_START = frozenset({"least", "most", "than", "to"})


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A match without the prepositions TimeML leaves outside a TIMEX3 and trailing punctuation."""
    while end - start > 1 and (doc[end - 1].lower_ in _TRAILING or doc[end - 1].lower_ in ("after", "before") and
                               doc[end - 2].lower_ not in _HOUR_WORDS):
        end -= 1  # "three days after": the duration; "hours after" stays whole (a moment of that day)
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


@lru_cache(maxsize=1)
def _anchors() -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """Words (and token regexes) one of which every match of the pattern file contains.

    Read from the patterns themselves: of each pattern's required tokens, the one whose words
    are the least common (a token regex counts as rare unless it accepts a common word).
    """
    words: set[str] = set()
    regexes: list[re.Pattern] = []
    for e in load_entries():
        if e.exclude:
            continue
        for pattern in e.patterns:
            best: tuple[float, int, int, set[str], re.Pattern | None] | None = None
            for pos, tok in enumerate(pattern):
                if tok.get("OP") in ("?", "*", "!"):
                    continue
                for key in ("LOWER", "ORTH", "TEXT", "NORM"):
                    v = tok.get(key)
                    lits: set[str] = set()
                    rx = None
                    if isinstance(v, str):
                        lits = {v.lower()}
                    elif isinstance(v, dict) and "IN" in v:
                        lits = {str(x).lower() for x in v["IN"]}
                    elif isinstance(v, dict) and "REGEX" in v:
                        rx = re.compile(v["REGEX"], re.I)
                    else:
                        continue
                    bad = len(lits & _COMMON) / len(lits) if rx is None else \
                        float(any(rx.search(w) for w in _COMMON))
                    cand = (bad, -pos, 0, lits - _COMMON or lits, rx)  # ties: the later word, the phrase's head
                    if best is None or cand[:2] < best[:2]:
                        best = cand
            if best is None:
                raise ValueError(f"time pattern {e.id!r} has no required word or token regex: {pattern}")
            words.update(best[3])
            if best[4] is not None:
                regexes.append(best[4])
    return frozenset(words), tuple(dict.fromkeys(regexes))


_ANCHOR_CACHE: dict[str, tuple[int, int] | None] = {}
_REGEX_REACH = (4, 7)  # a digit anchor (year, day, clock) heads short expressions: "the end of 2001", "8 p.m. on Sunday"


def _reach(lower: str) -> tuple[int, int] | None:
    """How far left and right of this word a match may reach, or None if no match needs it."""
    got = _ANCHOR_CACHE.get(lower, False)
    if got is False:
        words, regexes = _anchors()
        got = (_LEFT, _RIGHT) if lower in words else _REGEX_REACH if any(rx.search(lower) for rx in regexes) \
            else None
        if len(_ANCHOR_CACHE) < 200_000:
            _ANCHOR_CACHE[lower] = got
    return got


def _windows(doc: Doc) -> list[tuple[int, int]]:
    """Stretches of the Doc around words a time expression needs (the Matcher runs only there)."""
    out: list[list[int]] = []
    n = len(doc)
    for tok in doc:
        reach = _reach(tok.lower_)
        if reach is not None:
            a, b = max(0, tok.i - reach[0]), min(n, tok.i + reach[1] + 1)
            if out and a <= out[-1][1]:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
    return [(a, b) for a, b in out]


def _matches(doc: Doc, matcher: Matcher) -> list[tuple[int, int, int]]:
    found = []
    for a, b in _windows(doc):
        found.extend((key, a + s, a + e) for key, s, e in matcher(doc[a:b]))
    return found


def find(doc: Doc, matcher: Matcher | None = None, keep=None) -> list[tuple[int, int, str]]:
    """(start token, end token, entry id) of every time expression: the longest match at each place, trimmed.

    ``keep(doc, start, end, rule)``, if given, is asked about every trimmed match before the
    longest are chosen (a match it refuses leaves room for a shorter one).
    """
    matcher = matcher or _matcher(doc.vocab)
    strings = doc.vocab.strings
    excluded = _excluded_ids()
    spans, vetoes = [], []
    for key, start, end in _matches(doc, matcher):
        rule = strings[key]
        if rule in excluded:
            vetoes.append((start, end, rule))
        elif keep is None or keep(doc, *trim(doc, start, end), rule):
            spans.append((start, end, rule))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken = [False] * len(doc)
    for a, b, _ in vetoes:
        for i in range(a, b):
            taken[i] = True
    out = []
    for a, b, rule in spans:
        if any(taken[a:b]):
            continue
        for i in range(a, b):
            taken[i] = True
        a, b = trim(doc, a, b)
        out.append((a, b, rule))
    out.sort()
    return out
