"""Rules as reviewed data: spaCy token and dependency patterns with provenance.

Each ``*.jsonl`` file in this folder is one table of rules, one entry per line::

    {"id": "ev-airstrike-noun", "label": "attack/airstrike",
     "rationale": "a noun naming a strike from the air",
     "pattern": [{"LEMMA": {"IN": ["airstrike", "air-strike"]}}],
     "examples": ["Two airstrikes hit the camp before dawn."],
     "counter": ["The airline resumed flights."]}

* ``id`` is unique within the file; ``label`` is what a match means to the component that
  reads the file (an event subtype, a claim kind, a cue type ...);
* ``rationale`` says in one line which general construction the entry catches;
* exactly one of ``pattern`` (a spaCy ``Matcher`` token pattern), ``dep_pattern`` (a
  ``DependencyMatcher`` pattern) or ``phrases`` (a list of lower-case phrases for a
  ``PhraseMatcher`` on ``LOWER``);
* ``examples`` are sentences written by the team in which the entry must match, and
  ``counter`` (optional) sentences in which it must not: ``tests/test_patterns.py`` checks
  every one of them through the full pipeline, so an entry cannot silently stop working.

Entries may carry more keys: ``head`` names the token a match stands for (for a dependency
pattern the ``RIGHT_ID`` of a node, for a token pattern the position of an element: the verb of
"the truce ... expired"), and the match is then that one token; ``attrs`` holds values a
component reads, such as a claim kind.

A user can add a folder of the same layout with ``TRUCEWATCH_PATTERNS_EXTRA`` (``:``-separated);
an entry with an existing id replaces it, one with ``"disabled": true`` removes it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

DATA_DIR = Path(__file__).parent


@dataclass(frozen=True)
class PatternEntry:
    id: str
    label: str
    rationale: str
    examples: tuple[str, ...]
    counter: tuple[str, ...] = ()
    pattern: tuple[dict[str, Any], ...] | None = None
    dep_pattern: tuple[dict[str, Any], ...] | None = None
    phrases: tuple[str, ...] | None = None
    head: str | int | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    source: str = ""


class PatternError(ValueError):
    pass


_KNOWN = {"id", "label", "rationale", "examples", "counter", "pattern", "dep_pattern", "phrases", "head", "attrs",
          "disabled"}


def _entry(row: dict[str, Any], where: str) -> PatternEntry:
    missing = [k for k in ("id", "label", "rationale", "examples") if not row.get(k)]
    if missing:
        raise PatternError(f"{where}: missing {', '.join(missing)}")
    unknown = set(row) - _KNOWN
    if unknown:
        raise PatternError(f"{where}: unknown keys {sorted(unknown)}")
    kinds = [k for k in ("pattern", "dep_pattern", "phrases") if row.get(k)]
    if len(kinds) != 1:
        raise PatternError(f"{where} ({row['id']}): needs exactly one of pattern, dep_pattern, phrases")
    return PatternEntry(
        id=row["id"], label=row["label"], rationale=row["rationale"], examples=tuple(row["examples"]),
        counter=tuple(row.get("counter") or ()),
        pattern=tuple(row["pattern"]) if row.get("pattern") else None,
        dep_pattern=tuple(row["dep_pattern"]) if row.get("dep_pattern") else None,
        phrases=tuple(p.lower() for p in row["phrases"]) if row.get("phrases") else None,
        head=row.get("head"), attrs=dict(row.get("attrs") or {}), source=where)


def _dirs() -> list[Path]:
    extra = os.environ.get("TRUCEWATCH_PATTERNS_EXTRA", "")
    return [DATA_DIR] + [Path(p) for p in extra.split(os.pathsep) if p]


def table_names() -> list[str]:
    return sorted(p.stem for p in DATA_DIR.glob("*.jsonl"))


@cache
def load(name: str) -> tuple[PatternEntry, ...]:
    """The entries of table ``name`` (``patterns/<name>.jsonl`` plus user folders), in file order."""
    entries: dict[str, PatternEntry] = {}
    found = False
    for d in _dirs():
        path = d / f"{name}.jsonl"
        if not path.exists():
            continue
        found = True
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            where = f"{path.name}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"{where}: not JSON ({exc.msg})") from None
            if row.get("disabled"):
                entries.pop(row.get("id"), None)
                continue
            entry = _entry(row, where)
            if entry.id in entries and entries[entry.id].source.split(":")[0] == path.name and d == DATA_DIR:
                raise PatternError(f"{where}: duplicate id {entry.id}")
            entries[entry.id] = entry
    if not found:
        raise PatternError(f"no pattern table named {name!r}")
    return tuple(entries.values())


class CompiledTable:
    """The matchers of one table; :meth:`spans` gives every match as a labelled ``Span``.

    A span's ``label_`` is the entry's label and its ``id_`` the entry's id.  Token patterns and
    phrases give the matched tokens; a dependency pattern gives the token of its ``head`` node
    (default: the first node).
    """

    def __init__(self, name: str, vocab: Vocab) -> None:
        self.name = name
        self.entries = {e.id: e for e in load(name)}
        self.matcher = Matcher(vocab, validate=True)
        self.phrase = PhraseMatcher(vocab, attr="LOWER")
        self.dep = DependencyMatcher(vocab, validate=True)
        self._heads: dict[str, int] = {}
        self._token_heads: dict[str, int] = {}
        self._tokenizer_vocab = vocab
        for e in self.entries.values():
            try:
                if e.pattern is not None:
                    self.matcher.add(e.id, [list(e.pattern)], greedy="LONGEST")
                    if e.head is not None:
                        if not isinstance(e.head, int) or not 0 <= e.head < len(e.pattern):
                            raise ValueError(f"head {e.head!r} is not a position in the pattern")
                        self._token_heads[e.id] = e.head
                elif e.dep_pattern is not None:
                    self.dep.add(e.id, [list(e.dep_pattern)])
                    ids = [n["RIGHT_ID"] for n in e.dep_pattern]
                    self._heads[e.id] = ids.index(e.head) if e.head else 0
            except ValueError as exc:
                raise PatternError(f"{e.source} ({e.id}): {exc}") from None
        self._phrase_entries = [e for e in self.entries.values() if e.phrases]
        self._phrases_ready = False

    def _add_phrases(self, doc: Doc) -> None:
        # PhraseMatcher patterns are Docs; they are made once, with the tokenizer of the first doc's
        # language (a blank English tokenizer is enough: only LOWER is compared)
        from spacy.lang.en import English

        make = English(vocab=self._tokenizer_vocab).make_doc
        for e in self._phrase_entries:
            self.phrase.add(e.id, [make(p) for p in e.phrases or ()])
        self._phrases_ready = True

    def spans(self, doc: Doc) -> list[Span]:
        if not self._phrases_ready:
            self._add_phrases(doc)
        strings = doc.vocab.strings
        out: list[Span] = []
        for match_id, start, end, align in (self.matcher(doc, with_alignments=True) if len(self.matcher) else ()):
            key = strings[match_id]
            head = self._token_heads.get(key)
            if head is not None and head in align:
                start = start + align.index(head)
                end = start + 1
            out.append(Span(doc, start, end, label=self.entries[key].label, span_id=key))
        for match_id, start, end in (self.phrase(doc) if len(self.phrase) else ()):
            key = strings[match_id]
            out.append(Span(doc, start, end, label=self.entries[key].label, span_id=key))
        if len(self.dep):
            for match_id, token_ids in self.dep(doc):
                key = strings[match_id]
                i = token_ids[self._heads[key]]
                out.append(Span(doc, i, i + 1, label=self.entries[key].label, span_id=key))
        out.sort(key=lambda s: (s.start, s.end, s.id_))
        return out


@cache
def _compiled(name: str, vocab_id: int, vocab: Vocab) -> CompiledTable:
    return CompiledTable(name, vocab)


def compiled(name: str, vocab: Vocab) -> CompiledTable:
    """The compiled table ``name`` for a vocabulary (built once per process and vocabulary)."""
    return _compiled(name, id(vocab), vocab)
