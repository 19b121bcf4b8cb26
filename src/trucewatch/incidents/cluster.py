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
from dataclasses import replace
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
    if a.generic and b.generic:
        return 1.0 if a.generic & b.generic else None
    if a.generic or b.generic:
        return 0.5
    return 0.0  # neither names a place: nothing in common, the rest of the evidence must do


def mutual(a: Mention, b: Mention) -> bool:
    """Two accusations the other way round: a's accused is b's accuser and b's accused is a's."""
    return (a.actor_auth is not None and b.actor_auth is not None and a.actor_auth != b.actor_auth
            and a.actor_auth == b.source_auth and b.actor_auth == a.source_auth)


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
    if a.actor and b.actor and a.actor_basis != "agreement" and b.actor_basis != "agreement":
        if mutual(a, b):
            s += 1.0  # each accuses the other of the same thing: one disputed incident
        elif a.actor == b.actor or (a.actor_auth is not None and a.actor_auth == b.actor_auth):
            s += 0.5
        else:
            s -= 0.5
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
        # Reactions link by speaker and day wherever they were made: one block per day.
        for root in (("*",) if m.group == "reaction" else _roots(m, ancestors, generic)):
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


def _topics(mentions: list[Mention]) -> dict[int, int]:
    """``{i: k}``: a mention that names no place at all ("the army said it struck a command
    post") is about the nearest located mention before it in the same article, same group and
    day - the story's topic.  It takes that mention's places for linking and joins its
    incident; so it never links incidents at other places (an unlocated "one party accused the other
    of breaching the truce" would otherwise chain every allegation of the day).  An accusation
    against another party than the topic's is not about the topic."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_article[m.article].append(i)
    out: dict[int, int] = {}
    for idxs in by_article.values():
        idxs.sort(key=lambda k: mentions[k].evidence[0])
        for pos, i in enumerate(idxs):
            m = mentions[i]
            if m.places or m.period or m.running or m.group == "reaction" or m.denied:
                continue
            for k in reversed(idxs[:pos]):
                o = mentions[k]
                if o.places and o.group == m.group and o.start == m.start and not o.period and not o.denied:
                    if (m.subtype == "violation_alleged" and m.actor_auth and o.actor_auth
                            and m.actor_auth != o.actor_auth and not mutual(m, o)):
                        continue
                    out[i] = k
                    break
    return out


def _same_victims(a: Mention, b: Mention) -> bool:
    (ca, ka), (cb, kb) = a.victims, b.victims
    return ka == kb and (ca is None or cb is None or ca == cb)


def _attach_figures(mentions: list[Mention], uf: UnionFind) -> None:
    """Within one article: a headline figure is the same fact as the body's figure of the same
    count, status and victims (the body says who gives it and where), and a breakdown ("28 of
    the dead were brought to al-Shifa", "17 to Nasser Hospital") belongs with the larger figure
    it breaks down, written just before it - not an incident at the hospital."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if m.kind == "figure" and not m.running and not m.denied:
            by_article[m.article].append(i)
    for idxs in by_article.values():
        idxs.sort(key=lambda k: mentions[k].evidence[0])
        for i in idxs:
            h = mentions[i]
            if not h.headline or h.figure.get("count") is None:
                continue
            for k in idxs:
                b = mentions[k]
                if (not b.headline and b.group == h.group and b.subtype == h.subtype and _same_victims(h, b)
                        and b.figure.get("count") == h.figure.get("count") and b.modality == h.modality):
                    uf.union(i, k)
                    break
        for pos, i in enumerate(idxs):
            p = mentions[i]
            n = p.figure.get("count")
            if not p.part or n is None:
                continue
            for k in reversed(idxs[:pos]):
                t = mentions[k]
                total = t.figure.get("count")
                if p.evidence[0] - t.evidence[1] > PART_REACH:
                    break
                if (not t.part and t.group == p.group and t.subtype == p.subtype and total is not None
                        and total > n and t.modality == p.modality):
                    uf.union(i, k)
                    break


PART_REACH = 400  # characters: a breakdown follows its total closely


def denial_score(d: Mention, m: Mention, ancestors: Callable[[str], tuple[str, ...]]) -> float | None:
    """How well a denial matches a reported event: the same kind of act, at a compatible place,
    within a day, the denier being the one accused (or the accused it names)."""
    if abs((d.start - m.start).days) > 1 or m.period:
        return None
    place = places_compatible(d, m, ancestors)
    if place is None:
        return None
    s = place
    if d.subtype and d.subtype == m.subtype:
        s += 1.0
    if m.actor_auth is not None and m.actor_auth in (d.actor_auth, d.source_auth):
        s += 1.5
    if d.start == m.start:
        s += 1.0
    if d.article == m.article:
        s += 1.0
    return s + 2.0 * jaccard(d.tokens, m.tokens)


DENIAL_THRESHOLD = 3.0


def _attach_denials(mentions: list[Mention], uf: UnionFind, ancestors: Callable[[str], tuple[str, ...]]) -> None:
    """A denial is a counter-claim: it joins the incident it denies (the best match among
    reported events a day apart at most), never links two incidents, and is an incident of its
    own only when nothing it could deny was reported (one per article, act and day)."""
    by_day: dict[tuple[str, date], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        if not m.denied and m.kind == "event":
            d = m.start
            while d <= m.end:
                by_day[(m.group, d)].append(i)
                d += DAY
    alone: dict[tuple, int] = {}
    for i, d in enumerate(mentions):
        if not d.denied:
            continue
        best, best_s = None, DENIAL_THRESHOLD
        for day in (d.start - DAY, d.start, d.start + DAY):
            for k in by_day.get((d.group, day), ()):
                sc = denial_score(d, mentions[k], ancestors)
                if sc is not None and sc >= best_s:
                    best, best_s = k, sc
        if best is not None:
            uf.union(i, best)
            continue
        key = (d.article, d.group, d.subtype, d.start)
        if key in alone:
            uf.union(i, alone[key])
        else:
            alone[key] = i
    # Denials of nothing reported: two articles' reports of one denier denying one act are one.
    lone = sorted(alone.values(), key=lambda k: (mentions[k].start, mentions[k].key))
    for x, i in enumerate(lone):
        a = mentions[i]
        for k in lone[x + 1:]:
            b = mentions[k]
            if b.start != a.start:
                break
            if (a.article != b.article and a.group == b.group and a.subtype == b.subtype
                    and (a.source_auth or a.source) == (b.source_auth or b.source)
                    and (link_score(a, b, ancestors) or 0) >= THRESHOLD):
                uf.union(i, k)


def cluster(mentions: list[Mention], ancestors: Callable[[str], tuple[str, ...]],
            period_of: Callable[[date], str | None] | None = None,
            same_story: Callable[[str, str], bool] | None = None,
            generic: Callable[[str], bool] | None = None) -> list[list[Mention]]:
    """Group mentions into incidents; clusters are ordered by first date then key.  Denials
    take no part in linking; they are attached to what they deny afterwards."""
    uf = UnionFind(len(mentions))
    topics = _topics(mentions)
    original = mentions
    placed = list(mentions)
    for i, k in topics.items():
        placed[i] = replace(mentions[i], specific=mentions[k].specific, generic=mentions[k].generic)
        uf.union(i, k)
    mentions = placed
    live = [i for i, m in enumerate(mentions) if not m.denied]
    sub = [mentions[i] for i in live]
    for x, y in block_pairs(sub, period_of, ancestors, generic):
        i, j = live[x], live[y]
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
    _attach_figures(mentions, uf)
    _attach_denials(mentions, uf, ancestors)
    groups: dict[int, list[Mention]] = defaultdict(list)
    for i, m in enumerate(original):  # as reported: a topic's places only served the linking
        groups[uf.find(i)].append(m)
    out = [sorted(g, key=lambda m: m.key) for g in groups.values()]
    out.sort(key=lambda g: (min(m.start for m in g), g[0].key))
    return out
