"""Plain-text articles: the file's content is the text, unchanged."""

from __future__ import annotations

from trucewatch.anatomy import parse_plain
from trucewatch.errors import RejectedDocument
from trucewatch.ingest.item import ParsedItem


def parse_text(text: str) -> ParsedItem:
    if not text.strip():
        raise RejectedDocument("empty document")
    anat = parse_plain(text)
    title = text[anat.title_span[0]:anat.title_span[1]] if anat.title_span else None
    return ParsedItem(
        text=text,
        title=title,
        title_span=anat.title_span,
        standfirst_span=anat.standfirst_span,
        body_start=anat.body_start,
        captions=anat.captions,
        dateline=anat.dateline,
    )
