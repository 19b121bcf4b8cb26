"""Training sources: annotated articles as (Article, gold record) pairs.

Three kinds of source, all outside the package (``make train`` names them):

* ``shared``: the team's development gold (``../shared``: corpus/{seeds,dev} and gold/dev);
* ``kit:<set>``: a set of the development kit built into ``eval/data/dev`` (``acled-dev``,
  ``polnear-train`` ...): texts/meta.jsonl and gold/<id>.json (never a test split: the kit
  does not build them);
* ``corpus``: the team's own annotated passages (``training/corpus/*.jsonl``).

A gold record quotes text (``evidence_text``, ``content``); :func:`locate` finds the quote in the
article's text the way the shared scorer does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from trucewatch.ingest import iter_documents, parse_document
from trucewatch.models import Article


@dataclass
class Annotated:
    source: str  # "shared", "kit:acled-dev", "corpus"
    article: Article
    gold: dict[str, Any]
    complete: bool  # every event/claim of the text is annotated (a clause without one is a negative)


def locate(text: str, needle: str | None, nth: int = 1) -> tuple[int, int] | None:
    """Span of the nth occurrence of ``needle`` in ``text``, tolerant of whitespace and quote styles."""
    if not needle or not text:
        return None
    i = text.find(needle)
    for _ in range(int(nth or 1) - 1):
        if i < 0:
            break
        i = text.find(needle, i + len(needle))
    if i >= 0:
        return i, i + len(needle)
    fold = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
    pattern = r"\s+".join(re.escape(w) for w in needle.translate(fold).split())
    for k, m in enumerate(re.finditer(pattern, text.translate(fold)), 1):
        if k == int(nth or 1):
            return m.start(), m.end()
    return None


def _articles(meta: Path) -> Iterator[Article]:
    for unit in iter_documents([], meta=meta):
        if hasattr(unit, "reason"):  # a rejection
            raise RuntimeError(f"training source unreadable: {unit.name}: {unit.reason}")
        yield from parse_document(unit)


def shared_gold(shared: Path) -> list[Annotated]:
    out = []
    for corpus in ("seeds", "dev"):
        for article in _articles(shared / "corpus" / corpus / "meta.jsonl"):
            path = shared / "gold" / "dev" / f"{article.id}.json"
            if path.exists():
                out.append(Annotated("shared", article, json.loads(path.read_text(encoding="utf-8")), True))
    return out


# development-kit sets a model may learn from: polnear-dev is kept for measuring (PolNeAR asks
# analysts to read and debug on its training split only); acled-dev is the only ACLED set, so its
# figures are reported by cross-validation; test splits are never built by the kit at all
TRAINABLE_KIT_SETS = ("acled-dev", "polnear-train", "timebank", "toponyms")


def kit_set(devdata: Path, name: str) -> list[Annotated]:
    if name not in TRAINABLE_KIT_SETS:
        raise ValueError(f"{name}: not a set to train on (allowed: {', '.join(TRAINABLE_KIT_SETS)})")
    folder = devdata / name
    out = []
    for article in _articles(folder / "texts" / "meta.jsonl"):
        gold = json.loads((folder / "gold" / f"{article.id}.json").read_text(encoding="utf-8"))
        out.append(Annotated(f"kit:{name}", article, gold, False))
    return out


def own_corpus(folder: Path) -> list[Annotated]:
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            published = date.fromisoformat(row["published"]) if row.get("published") else None
            article = Article(id=row["id"], text=row["text"], outlet=row.get("outlet"), published=published)
            out.append(Annotated("corpus", article, row, True))
    return out


def folds(items: list[Annotated], k: int) -> list[list[Annotated]]:
    """k folds, each source spread evenly over them (deterministic: by position in the source)."""
    out: list[list[Annotated]] = [[] for _ in range(k)]
    counters: dict[str, int] = {}
    for it in items:
        n = counters.get(it.source, 0)
        out[n % k].append(it)
        counters[it.source] = n + 1
    return out
