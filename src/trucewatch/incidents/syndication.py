"""Syndicated copies: the same wire story lightly edited and republished by another outlet.

Two articles are copies when the word 5-gram shingles of their bodies overlap by at least
:data:`THRESHOLD` of the smaller article (containment, so a copy trimmed to half the story
still counts).  Only articles published within :data:`WINDOW_DAYS` of each other are compared,
and candidates are found through an inverted index of rare shingles, so the cost grows with the
number of articles that actually share text, not with all pairs.

The original of a group is the earliest published (ties: the article id); every other member
is recorded as a copy of it.  Corroboration counts a group once.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from datetime import date

from trucewatch.incidents.cluster import UnionFind

THRESHOLD = 0.5
WINDOW_DAYS = 3
SHINGLE = 5
_WORD = re.compile(r"\w+")
# Shingles seen in this many articles are boilerplate ("the Gaza Strip on Friday"), not evidence.
COMMON = 50


def shingles(text: str, n: int = SHINGLE) -> frozenset[int]:
    words = _WORD.findall(text.lower())
    return frozenset(zlib.crc32(" ".join(words[i:i + n]).encode()) for i in range(max(0, len(words) - n + 1)))


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def find_copies(articles: list[dict]) -> dict[str, str]:
    """``{copy article id: original article id}`` for the given records (``id``, ``text``,
    ``published``/``published_at``)."""
    info = []
    for rec in articles:
        sh = shingles(rec.get("text") or "")
        if len(sh) < 10:
            continue
        info.append((rec["id"], _day(rec.get("published_at") or rec.get("published")), sh,
                     str(rec.get("published_at") or rec.get("published") or "")))
    # The index is keyed by shingle and a bucket of WINDOW_DAYS days, so an article is only ever
    # compared with articles of its own and the neighbouring buckets (undated ones with each other).
    def bucket(d: date | None) -> int | None:
        return None if d is None else d.toordinal() // WINDOW_DAYS

    index: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for i, (_, day, sh, _) in enumerate(info):
        b = bucket(day)
        for h in sh:
            index[(h, b)].append(i)
    sets = UnionFind(len(info))
    for i, (_, day_i, sh_i, _) in enumerate(info):
        shared: dict[int, int] = defaultdict(int)
        b = bucket(day_i)
        near = (b,) if b is None else (b - 1, b, b + 1)
        for h in sh_i:
            for nb in near:
                posting = index.get((h, nb))
                if not posting or len(posting) > COMMON:
                    continue
                for j in posting:
                    if j > i:
                        shared[j] += 1
        for j, n in shared.items():
            day_j = info[j][1]
            if day_i and day_j and abs((day_i - day_j).days) > WINDOW_DAYS:
                continue
            if n / min(len(sh_i), len(info[j][2])) >= THRESHOLD:
                sets.union(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(info)):
        groups[sets.find(i)].append(i)
    copies: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda k: (info[k][3], info[k][0]))
        original = info[members[0]][0]
        for k in members[1:]:
            copies[info[k][0]] = original
    return copies
