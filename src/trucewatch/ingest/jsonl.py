"""JSON Lines: one article per line with at least ``text``.

Optional keys: ``id``, ``title``, ``outlet``, ``url``, ``published``, ``language``.  When a
title is given and the text does not already start with it, the article text becomes title,
blank line, text, so the headline is analysed like any other.
"""

from __future__ import annotations

import json

from trucewatch.anatomy import find_dateline
from trucewatch.errors import RejectedDocument
from trucewatch.ingest.dates import parse_datetime, to_date
from trucewatch.ingest.item import ParsedItem


def parse_json_line(line: str) -> ParsedItem:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectedDocument(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise RejectedDocument("JSON line is not an object")
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        raise RejectedDocument("JSON line has no 'text'")
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    title = title.strip() if title else None
    if title and not body.lstrip().startswith(title):
        text = f"{title}\n\n{body}"
        title_span, body_start = (0, len(title)), len(title) + 2
    else:
        text = body
        title_span, body_start = None, 0
        if title:
            start = body.index(title)
            title_span, body_start = (start, start + len(title)), start + len(title)
    published = parse_datetime(str(obj["published"])) if obj.get("published") else None
    lang = obj.get("language")
    return ParsedItem(
        text=text,
        title=title,
        title_span=title_span,
        body_start=body_start,
        dateline=find_dateline(text, body_start + (len(text[body_start:]) - len(text[body_start:].lstrip()))),
        url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        outlet=obj.get("outlet") if isinstance(obj.get("outlet"), str) else None,
        published=to_date(published),
        published_at=published if published is not None and hasattr(published, "hour") else None,
        own_id=str(obj["id"]) if obj.get("id") not in (None, "") else None,
        language=lang if isinstance(lang, str) else None,
    )
