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

from dataclasses import dataclass
from functools import lru_cache

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
                    self.max_len = max(self.max_len, len(words))
        self.max_len = min(self.max_len, MAX_TOKENS)

    def find(self, doc: Doc) -> list[Mention]:
        """Every KB mention, longest first, never overlapping another mention of the same kind."""
        keys = [_token_key(t.text) for t in doc]
        out: list[Mention] = []
        taken: dict[str, int] = {}  # kind -> end token of its last mention
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            attached = tok.whitespace_ == "" and i + 1 < n and not doc[i + 1].is_space
            if tok.is_punct or tok.is_space or (keys[i] not in self.first_words and not attached):
                # "al-Mawasi", "Shuja'iyya": a word glued to the next may start a name
                i += 1
                continue
            found = self._longest(doc, keys, i, taken)
            if not found:
                i += 1
                continue
            end, targets = found
            span = doc[i:end]
            for t in targets:
                out.append(Mention(span.start_char, span.end_char, span.text, t.kind, t.entry_id))
                taken[t.kind] = end
            i = end
        return out

    def _longest(self, doc: Doc, keys: list[str], i: int, taken: dict[str, int]):
        n = len(doc)
        for end in range(min(n, i + self.max_len * 2), i, -1):
            if doc[end - 1].is_punct or doc[end - 1].is_space:
                continue
            key = match_key(doc.text[doc[i].idx:doc[end - 1].idx + len(doc[end - 1])])
            if not key or key.count(" ") >= self.max_len:
                continue
            targets = self.index.get(key)
            if not targets:
                continue
            first = _first_word(doc, i, end)
            capital = first is not None and first[:1].isupper()
            ok = [t for t in targets if capital or not t.needs_capital]
            if ok:
                return end, ok
        return None


def _first_word(doc: Doc, i: int, end: int) -> str | None:
    for tok in doc[i:end]:
        if tok.is_alpha and fold(tok.text) not in ARTICLES:
            return tok.text
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
