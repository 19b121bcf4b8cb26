"""What a format parser hands back before ids and sidecar values are applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from trucewatch.models import Caption, Dateline, Span


@dataclass
class ParsedItem:
    text: str
    title: str | None = None
    title_span: Span | None = None
    standfirst_span: Span | None = None
    body_start: int = 0
    captions: list[Caption] = field(default_factory=list)
    dateline: Dateline | None = None
    site_name: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    published: date | None = None
    language: str | None = None
    own_id: str | None = None
    guid: str | None = None
    outlet: str | None = None
