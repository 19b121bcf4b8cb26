"""Ceasefire agreements as data: parties, mediators, dates, milestones and provisions.

Each ``agreements/data/*.yaml`` file holds one agreement (extra folders can be added with
``TRUCEWATCH_AGREEMENTS_EXTRA``, ``:``-separated).  A provision has a category (``ceasefire``,
``captives_release``, ``prisoner_release``, ``humanitarian_aid``, ``crossings``, ``withdrawal``,
``air_activity``, ``protection``, ...), quantities (``trucks_per_day: 600``), a deadline,
its sources and whether it is verified.

:data:`EVENT_PROVISIONS` says which provision categories an event touches, so the ledger can
hold events and claims against the terms: a closed crossing touches ``crossings``, a strike
while the agreement is in force touches ``ceasefire``/``protection`` (an alleged violation by
its actor, as asserted by whoever asserts it), a body handover touches ``captives_release``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"

EVENT_PROVISIONS: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("ceasefire", "violation_alleged"): ("ceasefire", "protection", "ceasefire_lines", "air_activity"),
    ("ceasefire", "hostilities_resumed"): ("ceasefire", "ceasefire_permanent"),
    ("ceasefire", "extended"): ("ceasefire", "extension", "structure"),
    ("ceasefire", "ended"): ("ceasefire", "structure"),
    ("ceasefire", "took_effect"): ("ceasefire", "phase1_implementation"),
    ("attack", None): ("ceasefire", "protection", "ceasefire_lines"),
    ("exchange", "captive_release"): ("captives_release", "phase1_implementation"),
    ("exchange", "prisoner_release"): ("prisoner_release", "phase1_implementation"),
    ("exchange", "body_handover"): ("captives_release", "remains_reconstruction", "phase1_implementation"),
    ("exchange", "body_recovery"): ("captives_release", "remains_reconstruction"),
    ("exchange", "offer_rejected"): ("extension", "captives_release"),
    ("humanitarian", "aid_entry"): ("humanitarian_aid",),
    ("humanitarian", "aid_restriction"): ("humanitarian_aid",),
    ("humanitarian", "crossing_closed"): ("crossings", "phase1_implementation"),
    ("humanitarian", "crossing_opened"): ("crossings", "phase1_implementation"),
    ("movement", "withdrawal"): ("withdrawal", "ceasefire_lines", "phase1_implementation"),
    ("movement", "return"): ("movement", "movement_return", "population"),
    ("detention", None): ("protection",),
}


@dataclass(frozen=True)
class Provision:
    id: str
    category: str
    summary: str
    phase: str | None = None
    quantities: dict = field(default_factory=dict)
    deadline: str | None = None
    verified: bool = False
    verification: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Milestone:
    date: date
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    in_force: date
    ended: date | None
    parties: tuple[str, ...]
    mediators: tuple[str, ...]
    announced: str | None = None
    milestones: tuple[Milestone, ...] = ()
    provisions: tuple[Provision, ...] = ()
    notes: str | None = None
    # who does what under it: event label ("exchange/captive_release") -> the parties that do it
    obligations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the places it is about (gazetteer names): how an article is matched to it
    regions: tuple[str, ...] = ()
    # words that tie an article to it when no gazetteer place or KB actor does ("Gazans", "Litani")
    signals: tuple[str, ...] = ()
    # the day the war it pauses began: running tolls with no start of their own count from it
    conflict_start: date | None = None

    def obliged(self, etype: str, subtype: str | None) -> tuple[str, ...]:
        """The parties that do this kind of act under the agreement (empty if it does not say)."""
        return self.obligations.get(f"{etype}/{subtype}", ())

    def covers(self, day: date, grace_days: int = 0) -> bool:
        """In force on that day (the day it ended counts: it ended during it), or ended at most
        ``grace_days`` before it."""
        return self.in_force <= day and (self.ended is None or day <= self.ended + timedelta(days=grace_days))

    def days_held(self) -> str | None:
        """The days it held, as an interval ("2023-11-24/2023-11-30"), once it has ended: what a
        tally "over the truce" covers."""
        if self.ended is None or self.ended <= self.in_force:
            return None
        return f"{self.in_force.isoformat()}/{(self.ended - timedelta(days=1)).isoformat()}"

    def provisions_for(self, etype: str, subtype: str | None) -> list[Provision]:
        cats = EVENT_PROVISIONS.get((etype, subtype)) or EVENT_PROVISIONS.get((etype, None)) or ()
        return [p for p in self.provisions if p.category in cats]


def _day(v) -> date | None:
    if v in (None, ""):
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _dirs() -> list[Path]:
    extra = os.environ.get("TRUCEWATCH_AGREEMENTS_EXTRA", "")
    return [DATA_DIR] + [Path(p) for p in extra.split(os.pathsep) if p]


@lru_cache(maxsize=2)
def load_agreements() -> dict[str, Agreement]:
    out: dict[str, Agreement] = {}
    for d in _dirs():
        for f in sorted(d.glob("*.yaml")):
            row = yaml.safe_load(f.read_text(encoding="utf-8"))
            provs = tuple(Provision(id=str(p["id"]), category=p["category"], summary=p.get("summary", ""),
                                    phase=None if p.get("phase") is None else str(p.get("phase")),
                                    quantities=p.get("quantities") or {}, deadline=p.get("deadline"),
                                    verified=bool(p.get("verified")), verification=p.get("verification") or "",
                                    sources=tuple(p.get("sources") or ())) for p in row.get("provisions") or [])
            ms = tuple(Milestone(date=_day(m["date"]), kind=m["kind"], note=m.get("note", ""))  # type: ignore[arg-type]
                       for m in row.get("milestones") or [])
            out[row["id"]] = Agreement(id=row["id"], name=row["name"], in_force=_day(row["in_force"]),  # type: ignore[arg-type]
                                       ended=_day(row.get("ended")), parties=tuple(row.get("parties") or ()),
                                       mediators=tuple(row.get("mediators") or ()), announced=row.get("announced"),
                                       milestones=ms, provisions=provs, notes=row.get("notes"),
                                       obligations={k: tuple(v if isinstance(v, list) else [v])
                                                    for k, v in (row.get("obligations") or {}).items()},
                                       regions=tuple(row.get("regions") or ()),
                                       conflict_start=_day(row.get("conflict_start")),
                                       signals=tuple(row.get("signals") or ()))
    return out


def in_force_on(day: date, about: set[str] | None = None) -> Agreement | None:
    """The agreement in force on a day, if any.

    ``about`` holds the names an article mentions (actors, places).  With it, only agreements
    whose parties or regions the article names count, and only by names that set agreements
    apart (a name every agreement shares says nothing); the one named most wins, then the latest
    to take effect.  Without ``about`` the latest in force wins.
    """
    found = [a for a in load_agreements().values() if a.covers(day)]
    if not found:
        return None
    if about is None:
        return max(found, key=lambda a: a.in_force)
    telling = telling_names()
    hits = [(len(about & (set(a.parties) | set(a.regions) | set(a.signals)) & telling), a) for a in found]
    hits = [(n, a) for n, a in hits if n]
    return max(hits, key=lambda h: (h[0], h[1].in_force))[1] if hits else None


@lru_cache(maxsize=2)
def telling_names() -> frozenset[str]:
    """Party and region names that not every agreement shares."""
    sets = [set(a.parties) | set(a.regions) | set(a.signals) for a in load_agreements().values()]
    if not sets:
        return frozenset()
    common = set.intersection(*sets)
    return frozenset(set.union(*sets) - common)
