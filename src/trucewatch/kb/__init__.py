"""The knowledge base: actors, people, outlets and places of the conflict.

The KB is data, versioned, and extensible by users without touching code:

    kb/data/VERSION            the data version (shown in records and `trucewatch status`)
    kb/data/actors/*.yaml      states, forces, agencies, armed groups, ministries, UN bodies ...
    kb/data/people/*.yaml      officials and spokespeople, with role, affiliation, valid dates
    kb/data/outlets/*.yaml     news outlets: country, ownership, owner, type, languages, web domains, source
    kb/data/places/*.yaml      gazetteer entries: country, lat/lon, feature type, parent
    kb/data/demonyms/*.yaml    the words for a country's people (victims "Palestinians", "Thais")

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


OWNERSHIP = ("private", "public", "state", "party", "cooperative", "nonprofit", "intergovernmental")


@dataclass(frozen=True)
class Outlet:
    """A news outlet or agency.  ``ownership`` is one of :data:`OWNERSHIP`; ``owner`` names who
    owns or runs it (a KB actor id when the KB knows the owner, so a state or party outlet's
    own reporting belongs to that actor's side); ``source`` is where the facts come from."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    affiliation: str | None = None
    type: str | None = None
    domains: tuple[str, ...] = ()
    ownership: str | None = None
    owner: str | None = None
    languages: tuple[str, ...] = ()
    source: str | None = None


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
    demonyms: dict[str, str] = field(default_factory=dict)  # folded demonym -> country code
    _index: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _domains: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._domains = {}
        for entry in self.outlets.values():
            for d in entry.domains:
                self._domains.setdefault(_host(d), entry.id)
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
        """The outlet of a name (any alias) or, failing that, of an article URL's host (a
        subdomain counts: ``english.news.cn`` is ``news.cn``).  None when neither is known:
        an unknown outlet is never guessed from a partial name."""
        if name and (o := self.lookup("outlet", name)):
            return o
        if url:
            host = _host(url)
            while host:
                if host in self._domains:
                    return self.outlets.get(self._domains[host])
                host = host.partition(".")[2] if host.count(".") > 1 else ""
        return None

    def find_mentions(self, doc, text: str | None = None) -> list[Mention]:
        """Every KB mention in a parsed document (see :mod:`trucewatch.kb.matcher`); ``text`` is
        the text it was parsed from, if at hand (saves rebuilding it from the tokens)."""
        from trucewatch.kb.matcher import compiled

        return compiled(self).find(doc, text)


def _host(url: str) -> str:
    """The host of a URL or bare domain, lower case, without ``www.``, port or credentials."""
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip().lower()).split("/")[0].split("?")[0]
    host = host.rsplit("@", 1)[-1].split(":")[0].rstrip(".")
    return host[4:] if host.startswith("www.") else host


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
        langs = row.get("languages", row.get("language"))
        kb.outlets[row["id"]] = Outlet(id=row["id"], name=row["name"], aliases=_tuple(row.get("aliases")),
                                       country=row.get("country"), affiliation=row.get("affiliation"),
                                       type=row.get("type"), domains=_tuple(row.get("domains")),
                                       ownership=row.get("ownership"), owner=row.get("owner"),
                                       languages=(langs,) if isinstance(langs, str) else _tuple(langs),
                                       source=row.get("source"))
    for row in _rows("demonyms"):
        for word in (row["name"], *(row.get("aliases") or ())):
            kb.demonyms[fold(word)] = row["country"]
    for row in _rows("places"):
        kb.places[row["id"]] = GazetteerPlace(id=row["id"], name=row["name"], aliases=_tuple(row.get("aliases")),
                                              country=row.get("country"), lat=row.get("lat"), lon=row.get("lon"),
                                              feature=row.get("feature"), parent=row.get("parent"))
    kb.reindex()
    return kb
