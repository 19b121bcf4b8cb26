"""The compiled KB matcher: finds actors, people, outlets and places in a parsed text.

Names are compared by :func:`trucewatch.kb.names.match_key` (case, accents, apostrophes,
hyphens, Arabic articles, doubled letters, transliterated endings).

Two guards keep the looseness from inventing matches: an alias written with a capital letter
in the KB only matches text that starts with a capital letter (``Gaza`` the place, not a
common word), and an all-lowercase alias (``health ministry``) matches any case.

The matcher is a plain dictionary from key to entries plus a set of the keys' first words,
so scanning costs one cached key computation and one set lookup per token.  It is built once
per KB (:func:`compiled`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SPACY
from spacy.tokens import Doc

from trucewatch.kb import KnowledgeBase, Mention
from trucewatch.kb.names import ARTICLES, fold, match_key

MAX_TOKENS = 8


@dataclass(frozen=True)
class _Target:
    kind: str
    entry_id: str
    needs_capital: bool


class CompiledMatcher:
    """Longest-match dictionary matcher over the tokens of a spaCy ``Doc``."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.index: dict[str, list[_Target]] = {}
        self.first_words: set[str] = set()
        self.last_words: set[str] = set()
        self.max_len = 1
        for kind, table in (("actor", kb.actors), ("person", kb.people), ("outlet", kb.outlets),
                            ("place", kb.places)):
            for entry in table.values():
                for alias in dict.fromkeys((entry.name, *entry.aliases)):
                    key = match_key(alias)
                    if not key:
                        continue
                    target = _Target(kind, entry.id, alias != alias.lower())
                    bucket = self.index.setdefault(key, [])
                    if not any(t.kind == kind and t.entry_id == entry.id for t in bucket):
                        bucket.append(target)
                    elif not target.needs_capital:
                        bucket[:] = [t if not (t.kind == kind and t.entry_id == entry.id) else target for t in bucket]
                    words = key.split()
                    self.first_words.add(words[0])
                    self.last_words.add(words[-1])
                    self.max_len = max(self.max_len, len(words))
        self.max_len = min(self.max_len, MAX_TOKENS)

    def find(self, doc: Doc, text: str | None = None) -> list[Mention]:
        """Every KB mention, longest first, never overlapping another mention of the same kind.

        ``text`` is the text the doc was parsed from, when the caller has it (``Doc.text``
        rebuilds it by joining every token).
        """
        if text is None:
            text = doc.text
        # Token attributes as columns: creating a Token object per token is the costly part.
        arr = doc.to_array([ORTH, IDX, LENGTH, IS_PUNCT, IS_SPACE, SPACY, IS_ALPHA])
        strings = doc.vocab.strings
        keys = [_token_key(strings[o]) for o in arr[:, 0].tolist()]
        starts = arr[:, 1].tolist()
        ends = (arr[:, 1] + arr[:, 2]).tolist()
        spaces = arr[:, 4].astype(bool).tolist()
        flags = list(zip(((arr[:, 3] | arr[:, 4]) != 0).tolist(), (arr[:, 5] == 0).tolist(), strict=True))
        alpha = arr[:, 6].astype(bool).tolist()
        for k, a in enumerate(alpha):  # a word with an apostrophe inside ("Shuja'iyya") is a word too
            if not a and not flags[k][0] and text[starts[k]:starts[k] + 1].isalpha():
                alpha[k] = True
        glued_before = [0, *numpy.cumsum(arr[:, 5] == 0).tolist()]  # glued tokens before each index
        # where a name may end: a word that ends some alias, or any word glued to the one before
        last_words = self.last_words
        may_end = [k + 1 for k in range(len(keys)) if not flags[k][0] and
                   (keys[k] in last_words or (k >= 1 and flags[k - 1][1]))]
        out: list[Mention] = []
        n = len(doc)
        i = 0
        while i < n:
            punct, glued = flags[i]
            attached = glued and i + 1 < n and not spaces[i + 1]
            if punct or (keys[i] not in self.first_words and not attached):
                # "al-Mawasi", "Shuja'iyya": a word glued to the next may start a name
                i += 1
                continue
            found = self._longest(n, text, keys, starts, ends, flags, alpha, glued_before, may_end, i)
            if not found:
                i += 1
                continue
            end, targets = found
            a, b = starts[i], ends[end - 1]
            for t in targets:
                out.append(Mention(a, b, text[a:b], t.kind, t.entry_id))
            i = end
        return out

    def _longest(self, n: int, text: str, keys: list[str], starts: list[int], ends: list[int],
                 flags: list[tuple[bool, bool]], alpha: list[bool], glued_before: list[int], may_end: list[int],
                 i: int):
        lo, hi = bisect_right(may_end, i), bisect_right(may_end, min(n, i + self.max_len * 2))
        for end in reversed(may_end[lo:hi]):
            if keys[end - 1] not in self.last_words and not (end - 2 >= i and flags[end - 2][1]):
                continue
            if glued_before[end - 1] > glued_before[i]:
                # glued tokens ("al-", "Shuja'iyya"): fold the text itself
                key = match_key(text[starts[i]:ends[end - 1]])
            else:  # words apart: the tokens' keys, articles dropped except a last word
                words = [k for k in keys[i:end] if k]
                key = " ".join(w for j, w in enumerate(words) if not (w in ARTICLES and j < len(words) - 1))
            if not key or key.count(" ") >= self.max_len:
                continue
            targets = self.index.get(key)
            if not targets:
                continue
            first = _first_word(text, starts, ends, alpha, i, end)
            capital = first is not None and first[:1].isupper()
            ok = [t for t in targets if capital or not t.needs_capital]
            if ok:
                return end, ok
        return None


def _first_word(text: str, starts: list[int], ends: list[int], alpha: list[bool], i: int, end: int) -> str | None:
    for j in range(i, end):
        if alpha[j]:
            word = text[starts[j]:ends[j]]
            if fold(word) not in ARTICLES:
                return word
    return None


@lru_cache(maxsize=200_000)
def _token_key(text: str) -> str:
    return match_key(text)


_COMPILED: dict[int, CompiledMatcher] = {}


def compiled(kb: KnowledgeBase) -> CompiledMatcher:
    """The matcher of this KB, built on first use and kept."""
    m = _COMPILED.get(id(kb))
    if m is None or getattr(m, "_kb", None) is not kb:
        m = CompiledMatcher(kb)
        m._kb = kb  # type: ignore[attr-defined]
        _COMPILED[id(kb)] = m
    return m
