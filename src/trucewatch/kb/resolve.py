"""Choosing which place a name means, from the rest of the article.

"Paris" is a city in France, Texas, Kentucky, Tennessee and Ontario; "Georgia" a country and a
US state.  Each place mention of an article comes with its candidates (the team's gazetteer
entry, if any, and the world's: :func:`trucewatch.kb.world.candidates`); :func:`resolve` picks
one per mention by scoring every candidate:

* its **prior**: how prominent the place is (country, state or continent over town, population;
  the team's own gazetteer entry over the world's) - the choice when nothing else speaks;
* **containment**: "Paris, Texas", "Springfield, Ill.", "Athens, Ga." keep only candidates
  inside the named state or country;
* the **story's countries and states**: those the article names outright (a country, a state,
  a name only one country has), the dateline's, and those of the places resolved so far; a
  candidate in one of them gains;
* **proximity**: a candidate near the article's other places gains (a town 30 km from the
  county seat the story is about, not its namesake 8,000 km away).

Two rounds: the first resolves what is clear, the second rescores every mention against the
context the first built.  Pure functions over plain data: no spaCy, no I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from trucewatch.kb.world import NAME, WorldPlace, km, prior

TEAM_BONUS = 3.0       # the team's own gazetteer entry over a namesake of the world's
COUNTRY_BONUS = 2.5    # a candidate in a country the story is in
STATE_BONUS = 3.0      # a candidate in a state the story is in
NEAR_BONUS = 2.0       # within NEAR_KM of another place of the story
NEAR_KM = 60.0
AROUND_BONUS = 1.0     # within AROUND_KM
AROUND_KM = 250.0


@dataclass
class Option:
    """One thing a mention may be: a world place or a team gazetteer entry."""

    place: WorldPlace
    how: str = NAME
    team: bool = False       # from the team's gazetteer (kb/data/places)

    @property
    def point(self) -> tuple[float, float] | None:
        p = self.place
        return (p.lat, p.lon) if p.lat is not None and p.lon is not None else None


@dataclass
class Item:
    """A place mention to resolve: its candidates, and the mention that contains it, if any
    ("Texas" for "Paris" in "Paris, Texas")."""

    options: list[Option]
    container: int | None = None
    weight: float = 1.0            # how much this mention says about the story (a dateline: more)
    chosen: Option | None = field(default=None)


def _inside(o: Option, c: Option) -> bool:
    p, q = o.place, c.place
    if q.feature == "continent" or p.country is None or p.country != q.country:
        return q.feature == "continent" and p.feature != "continent"
    if q.feature == "country":
        return p.feature != "country"
    if q.feature == "state":
        return p.feature not in ("country", "state") and p.admin1 == q.admin1
    return False


def _evidence(items: list[Item], skip: int) -> tuple[dict, dict, list]:
    """The story's countries, states and points, from every mention but ``skip``."""
    countries: dict[str, float] = defaultdict(float)
    states: dict[tuple[str, str], float] = defaultdict(float)
    points: list[tuple[float, float]] = []
    for k, it in enumerate(items):
        if k == skip or not it.options:
            continue
        o = it.chosen
        ccs = {x.place.country for x in it.options}
        if o is None and len(ccs) == 1:  # a name only one country has
            o = it.options[0]
        if o is None:
            continue
        p = o.place
        sure = it.weight * (1.0 if len(ccs) == 1 or p.feature in ("country", "state") else 0.5)
        if p.country:
            countries[p.country] += sure
        if p.feature == "state" or (p.admin1 and p.feature != "country" and p.feature != "continent"):
            states[(p.country or "", p.admin1)] += sure
        if p.feature not in ("country", "continent", "state") and o.point:
            points.append(o.point)
    return countries, states, points


def score(o: Option, countries: dict, states: dict, points: list) -> float:
    p = o.place
    s = prior(p, o.how) + (TEAM_BONUS if o.team else 0.0)
    if p.country and countries.get(p.country):
        s += COUNTRY_BONUS * min(1.0, countries[p.country])
    if p.feature not in ("country", "continent") and p.admin1 and states.get((p.country or "", p.admin1)):
        s += STATE_BONUS * min(1.0, states[(p.country or "", p.admin1)])
    pt = o.point
    if pt and points and p.feature not in ("country", "continent", "state"):
        d = min(km(pt, q) for q in points)
        if d <= NEAR_KM:
            s += NEAR_BONUS
        elif d <= AROUND_KM:
            s += AROUND_BONUS * (1 - math.log(d / NEAR_KM) / math.log(AROUND_KM / NEAR_KM))
    return s


def resolve(items: list[Item]) -> list[Option | None]:
    """The chosen option of each item (``None`` where it has none)."""
    # containment first: "Paris, Texas" keeps only the Parises of Texas
    for it in items:
        if it.container is not None and items[it.container].options:
            outer = items[it.container]
            inner = [o for o in it.options if any(_inside(o, c) for c in outer.options)]
            if inner:
                it.options = inner
                keep = [c for c in outer.options if any(_inside(o, c) for o in inner)]
                outer.options = keep or outer.options
    for it in items:  # round one: priors alone, where the choice is clear
        if len(it.options) == 1:
            it.chosen = it.options[0]
    for _round in range(2):
        chosen: list[Option | None] = []
        for k, it in enumerate(items):
            if not it.options:
                chosen.append(None)
                continue
            if len(it.options) == 1:
                chosen.append(it.options[0])
                continue
            ev = _evidence(items, k)
            chosen.append(max(it.options, key=lambda o: score(o, *ev)))
        for it, c in zip(items, chosen, strict=True):
            it.chosen = c
    return [it.chosen for it in items]
