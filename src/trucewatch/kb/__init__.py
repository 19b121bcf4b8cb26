"""The knowledge base: actors, people, outlets and places of the conflict.

The KB is data, versioned, and extensible by users without touching code:

    kb/data/VERSION            the data version (shown in records and `trucewatch status`)
    kb/data/actors/*.yaml      states, forces, agencies, armed groups, ministries, UN bodies ...
    kb/data/people/*.yaml      officials and spokespeople, with role, affiliation, valid dates
    kb/data/outlets/*.yaml     news outlets: country, affiliation, type, web domains
    kb/data/places/*.yaml      gazetteer entries: country, lat/lon, feature type, parent

Every YAML file in a kind's folder is read (a list of entries).  Directories named by
``TRUCEWATCH_KB_EXTRA`` (``:``-separated) have the same layout and are merged over the shipped
data: an entry with an existing id replaces it.  This module holds the entry types, name
folding and the lookups the stages use.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from trucewatch.kb.names import fold, match_key

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    country: str | None = None
    side: str | None = None
    demonyms: tuple[str, ...] = ()  # for states: the adjectives that name them ("Israeli", "Egyptian")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    affiliation: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    affiliation: str | None = None
    type: str | None = None
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class GazetteerPlace:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Mention:
    """A span of the text linked to a KB entry."""

    start: int
    end: int
    text: str
    kind: str  # actor | person | place | outlet
    entry_id: str


@dataclass
class KnowledgeBase:
    version: str = "0"
    actors: dict[str, Actor] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    outlets: dict[str, Outlet] = field(default_factory=dict)
    places: dict[str, GazetteerPlace] = field(default_factory=dict)
    _index: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._index = {"actor": {}, "person": {}, "outlet": {}, "place": {}}
        for kind, table in (("actor", self.actors), ("person", self.people), ("outlet", self.outlets),
                            ("place", self.places)):
            for entry in table.values():
                for alias in (entry.name, *entry.aliases):
                    self._index[kind].setdefault(fold(alias), entry.id)
                for alias in (entry.name, *entry.aliases):
                    self._index[kind].setdefault("~" + match_key(alias), entry.id)

    def lookup(self, kind: str, name: str):
        index = self._index.get(kind, {})
        key = index.get(fold(name)) or index.get("~" + match_key(name))
        table = {"actor": self.actors, "person": self.people, "outlet": self.outlets,
                 "place": self.places}[kind]
        return table.get(key) if key else None

    def actor(self, name: str) -> Actor | None:
        return self.lookup("actor", name)

    def person(self, name: str) -> Person | None:
        return self.lookup("person", name)

    def place(self, name: str) -> GazetteerPlace | None:
        return self.lookup("place", name)

    def outlet(self, name: str | None = None, url: str | None = None) -> Outlet | None:
        if name and (o := self.lookup("outlet", name)):
            return o
        if url:
            host = re.sub(r"^https?://", "", url).split("/")[0].lower()
            for o in self.outlets.values():
                if any(host == d or host.endswith("." + d) for d in o.domains):
                    return o
        return None

    def find_mentions(self, doc, text: str | None = None) -> list[Mention]:
        """Every KB mention in a parsed document (see :mod:`trucewatch.kb.matcher`); ``text`` is
        the text it was parsed from, if at hand (saves rebuilding it from the tokens)."""
        from trucewatch.kb.matcher import compiled

        return compiled(self).find(doc, text)


def _load_yaml(path: Path) -> list[dict]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return data if isinstance(data, list) else data.get("entries", [])


def _rows(kind: str) -> list[dict]:
    rows: list[dict] = []
    for d in _data_dirs():
        folder = d / kind
        if folder.is_dir():
            for f in sorted(folder.glob("*.yaml")):
                rows.extend(_load_yaml(f))
    return rows


def _tuple(v) -> tuple:
    return tuple(v or ())


def _date(v) -> date | None:
    if v in (None, ""):
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def _data_dirs() -> list[Path]:
    dirs = [DATA_DIR]
    extra = os.environ.get("TRUCEWATCH_KB_EXTRA", "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    return dirs


def data_version() -> str:
    v = DATA_DIR / "VERSION"
    return v.read_text().strip() if v.exists() else "0"


@lru_cache(maxsize=4)
def load_kb() -> KnowledgeBase:
    kb = KnowledgeBase(version=data_version())
    for row in _rows("actors"):
        kb.actors[row["id"]] = Actor(id=row["id"], name=row["name"], type=row.get("type", "organisation"),
                                     aliases=_tuple(row.get("aliases")), parent=row.get("parent"),
                                     country=row.get("country"), side=row.get("side"),
                                     demonyms=_tuple(row.get("demonyms")))
    for row in _rows("people"):
        kb.people[row["id"]] = Person(id=row["id"], name=row["name"], aliases=_tuple(row.get("aliases")),
                                      role=row.get("role"), affiliation=row.get("affiliation"),
                                      valid_from=_date(row.get("valid_from")), valid_to=_date(row.get("valid_to")))
    for row in _rows("outlets"):
        kb.outlets[row["id"]] = Outlet(id=row["id"], name=row["name"], aliases=_tuple(row.get("aliases")),
                                       country=row.get("country"), affiliation=row.get("affiliation"),
                                       type=row.get("type"), domains=_tuple(row.get("domains")))
    for row in _rows("places"):
        kb.places[row["id"]] = GazetteerPlace(id=row["id"], name=row["name"], aliases=_tuple(row.get("aliases")),
                                              country=row.get("country"), lat=row.get("lat"), lon=row.get("lon"),
                                              feature=row.get("feature"), parent=row.get("parent"))
    kb.reindex()
    return kb
