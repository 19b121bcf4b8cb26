"""Mappings from the contract's event taxonomy to ACLED and PLOVER, for comparing exports with
those datasets.  Data in ``event_types.yaml``; see ``docs/events.md``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class EventMapping:
    acled_event_type: str | None
    acled_sub_event_type: str | None
    plover: str | None


@lru_cache(maxsize=1)
def event_mappings() -> dict[tuple[str, str], EventMapping]:
    rows = yaml.safe_load((Path(__file__).parent / "event_types.yaml").read_text(encoding="utf-8"))
    out = {}
    for r in rows:
        acled = r.get("acled") or [None, None]
        out[(r["type"], r["subtype"])] = EventMapping(acled[0], acled[1], r.get("plover"))
    return out


def map_event(etype: str, subtype: str | None) -> EventMapping | None:
    return event_mappings().get((etype, subtype or ""))
