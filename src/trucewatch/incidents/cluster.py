"""Clustering mentions into incidents (a pure function; no I/O).

**Blocking.** A mention is only ever compared with mentions of the same group whose dates are at
most one day apart and whose places can be compatible: point mentions are indexed by (group,
outermost specific place, day) - Zeitoun and Shujaiyya both under Gaza City, mentions naming
only "Gaza" under ``*`` - and compared with their own block and the next day's; period mentions
(intervals longer than two days, e.g. "during the truce") by (group, place, end day) within
:data:`PERIOD_SLACK` days; running tolls by (group, bucket), where the bucket is the agreement
period the toll was reported in (with a short grace after it ended) or else the ISO week. Cost
therefore grows with the mentions per day, not with all pairs.

**Linking.**  Within a block two mentions link when :func:`link_score` reaches
:data:`THRESHOLD`.  Places must be compatible: two sets of specific places (KB ids, so
Shujayea and Shijaiyah are one place) must share a place or a place and its ancestor (Zeitoun
lies in Gaza City); a specific place never links to a mention that only names a country or
territory, so "strikes across Gaza" and "a strike in Rafah" stay separate incidents.  Then the
same day, the same subtype, the same actor, the same article and the overlap of the evidence
sentences' words (Jaccard) add up.  Different actors only lower the score: two versions of who
fired first are a conflict to show inside one incident, not two incidents.

Linked mentions form incidents through union-find.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from trucewatch.incidents.mentions import Mention

THRESHOLD = 2.5
# Two mentions that only name a country or territory ("Gaza") share little: they need one more
# point of evidence (the same subtype, or words of the evidence in common).
GENERIC_THRESHOLD = 3.0
ADJACENT_PENALTY = 1.5
PERIOD_SLACK = 2
DAY = timedelta(days=1)


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def places_compatible(a: Mention, b: Mention, ancestors: Callable[[str], tuple[str, ...]]) -> float | None:
    """A place score, or None when the places rule the link out."""
    if a.specific and b.specific:
        if a.specific & b.specific:
            return 2.0
        for x in a.specific:
            ax = ancestors(x)
            for y in b.specific:
                if y in ax or x in ancestors(y):
                    return 0.5  # a place and a place inside it: much weaker than the same place
        return None
    if a.specific or b.specific:
        return None
    if a.generic and b.generic and not (a.generic & b.generic):
        return None
    return 1.0


def link_score(a: Mention, b: Mention, ancestors: Callable[[str], tuple[str, ...]],
               same_story: Callable[[str, str], bool] | None = None) -> float | None:
    same = a.article == b.article or (same_story is not None and same_story(a.article, b.article))
    if not same and (a.background or b.background):
        return None  # an event recalled days later is context, not another report of it
    place = places_compatible(a, b, ancestors)
    if place is None:
        return None
    s = place
    if a.start == b.start and a.end == b.end:
        s += 1.0
    elif not same and not a.period and not b.period:
        # A day apart: only a report dated by its publication may describe the previous day's
        # explicitly dated event ("overnight", the next morning's story), and it must say more
        # than the same kind of thing happened in the same place.
        early, late = (a, b) if a.start < b.start else (b, a)
        if late.dated or not early.dated:
            return None
        s -= ADJACENT_PENALTY
    if a.subtype and a.subtype == b.subtype:
        s += 1.0 if a.kind == "event" else 0.5  # "killed" says less than "airstrike"
    if a.actor and b.actor:
        s += 0.5 if a.actor == b.actor else -0.5
    if same:
        s += 1.0
        if a.evidence[0] < b.evidence[1] and b.evidence[0] < a.evidence[1]:
            s += 2.0
    s += 2.0 * jaccard(a.tokens, b.tokens)
    return s


def _toll_bucket(m: Mention, period_of: Callable[[date], str | None] | None) -> str:
    if period_of is not None:
        p = period_of(m.end)
        if p:
            return p
    y, w, _ = m.end.isocalendar()
    return f"{y}-W{w:02d}"


def _roots(m: Mention, ancestors: Callable[[str], tuple[str, ...]] | None,
           generic: Callable[[str], bool] | None) -> tuple[str, ...]:
    """Sub-block keys: the outermost specific ancestor of each specific place (Zeitoun and
    Shujaiyya -> Gaza City), so compatible places always share a key; "*" for mentions that name
    no specific place."""
    if not m.specific:
        return ("*",)
    if ancestors is None:
        return tuple(sorted(m.specific))
    keys = set()
    for p in m.specific:
        chain = [p, *ancestors(p)]
        specific_chain = [c for c in chain if generic is None or not generic(c)]
        keys.add(specific_chain[-1] if specific_chain else p)
    return tuple(sorted(keys))


def block_pairs(mentions: list[Mention],
                period_of: Callable[[date], str | None] | None = None,
                ancestors: Callable[[str], tuple[str, ...]] | None = None,
                generic: Callable[[str], bool] | None = None) -> Iterable[tuple[int, int]]:
    """Candidate pairs: only mentions in neighbouring blocks are ever compared."""
    points: dict[tuple, list[int]] = defaultdict(list)
    periods: dict[tuple, list[int]] = defaultdict(list)
    tolls: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if m.group.startswith("toll"):
            tolls[(m.group, _toll_bucket(m, period_of))].append(i)
            continue
        for root in _roots(m, ancestors, generic):
            if m.period:
                periods[(m.group, root, m.end)].append(i)
            else:
                d = m.start
                while d <= m.end:
                    points[(m.group, root, d)].append(i)
                    d += DAY
    # No global set of pairs seen: it would hold every compared pair of the corpus.  A mention
    # spanning two days may be offered twice; the caller's union-find check makes that cheap.
    def emit(xs: list[int], ys: list[int], same: bool):
        for k, i in enumerate(xs):
            for j in (xs[k + 1:] if same else ys):
                if i != j:
                    yield (i, j) if i < j else (j, i)

    for (group, root, day), xs in points.items():
        yield from emit(xs, xs, True)
        nxt = points.get((group, root, day + DAY))
        if nxt:
            yield from emit(xs, nxt, False)
    for (group, root, day), xs in periods.items():
        yield from emit(xs, xs, True)
        for k in range(1, PERIOD_SLACK + 1):
            nxt = periods.get((group, root, day + k * DAY))
            if nxt:
                yield from emit(xs, nxt, False)
    for xs in tolls.values():
        yield from emit(xs, xs, True)


def _period_overlap(a: Mention, b: Mention) -> float:
    lo, hi = max(a.start, b.start), min(a.end, b.end)
    if hi < lo:
        return 0.0
    inter = (hi - lo).days + 1
    return inter / min((a.end - a.start).days + 1, (b.end - b.start).days + 1)


def _attach_unlocated(mentions: list[Mention], uf: UnionFind) -> None:
    """A mention that names no place at all ("the army said it struck a command post") joins the
    incident of the nearest located mention before it in the same article, same group and day:
    the story's topic.  Alone, it would be an incident of its own with nothing to compare."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_article[m.article].append(i)
    for idxs in by_article.values():
        idxs.sort(key=lambda k: mentions[k].evidence[0])
        for pos, i in enumerate(idxs):
            m = mentions[i]
            if m.places or m.period or m.group.startswith("toll") or m.group == "reaction":
                continue
            for k in reversed(idxs[:pos]):
                o = mentions[k]
                if o.places and o.group == m.group and o.start == m.start and not o.period:
                    uf.union(i, k)
                    break


def cluster(mentions: list[Mention], ancestors: Callable[[str], tuple[str, ...]],
            period_of: Callable[[date], str | None] | None = None,
            same_story: Callable[[str, str], bool] | None = None,
            generic: Callable[[str], bool] | None = None) -> list[list[Mention]]:
    """Group mentions into incidents; clusters are ordered by first date then key."""
    uf = UnionFind(len(mentions))
    for i, j in block_pairs(mentions, period_of, ancestors, generic):
        a, b = mentions[i], mentions[j]
        if uf.find(i) == uf.find(j):
            continue
        if a.group == "reaction" and a.article != b.article:
            # Reports of one statement: the same speaker reacting on the same day.
            ok = a.source == b.source and a.start == b.start
        elif a.group.startswith("toll"):
            ok = (a.subtype == b.subtype and places_compatible(a, b, ancestors) is not None)
        elif a.period or b.period:
            ok = (a.period and b.period and _period_overlap(a, b) >= 0.5
                  and (link_score(a, b, ancestors, same_story) or 0) >= THRESHOLD - 1)
        else:
            need = THRESHOLD if (a.specific or a.article == b.article) else GENERIC_THRESHOLD
            ok = (link_score(a, b, ancestors, same_story) or 0) >= need
        if ok:
            uf.union(i, j)
    _attach_unlocated(mentions, uf)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[uf.find(i)].append(m)
    out = [sorted(g, key=lambda m: m.key) for g in groups.values()]
    out.sort(key=lambda g: (min(m.start for m in g), g[0].key))
    return out
