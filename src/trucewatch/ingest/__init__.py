"""Ingestion: from raw document units to :class:`~trucewatch.models.Article` objects.

``iter_documents`` (in :mod:`.sources`) does the reading; :func:`parse_document` is a pure
function from one :class:`SourceDocument` to its articles, raising
:class:`~trucewatch.errors.RejectedDocument` with a one-line reason when it cannot.
"""

from __future__ import annotations

import re

from trucewatch.errors import RejectedDocument
from trucewatch.ingest.decode import decode
from trucewatch.ingest.feed import parse_feed
from trucewatch.ingest.html import parse_html
from trucewatch.ingest.item import ParsedItem
from trucewatch.ingest.jsonl import parse_json_line
from trucewatch.ingest.plaintext import parse_text
from trucewatch.ingest.sources import DEFAULT_MAX_BYTES, iter_documents, iter_uploads, load_sidecar, sniff
from trucewatch.models import Article, Rejection, SourceDocument

__all__ = ["DEFAULT_MAX_BYTES", "iter_documents", "iter_uploads", "load_sidecar", "parse_document",
           "parse_document_and_losses", "sniff"]

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _declared_charset(doc: SourceDocument) -> str | None:
    if doc.content_type and (m := _CHARSET.search(doc.content_type)):
        return m.group(1)
    if doc.kind == "html":
        m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", doc.data[:4096], re.IGNORECASE)
        if m:
            return m.group(1).decode("ascii", "ignore")
    return None


def parse_document(doc: SourceDocument) -> list[Article]:
    """The articles in one document unit, with ids and sidecar values applied."""
    return parse_document_and_losses(doc)[0]


def parse_document_and_losses(doc: SourceDocument) -> tuple[list[Article], Rejection | None]:
    """The whole articles of one document unit, and a rejection naming what was lost when the
    unit held more than could be read (a feed cut short keeps its whole items)."""
    kind = doc.kind
    feed_title: str | None = None
    lost: str | None = None
    if kind == "feed":
        from trucewatch.ingest.decode import binary_kind

        if not doc.data.strip():
            raise RejectedDocument("empty document")
        if what := binary_kind(doc.data):
            raise RejectedDocument(f"not a feed: {what}")
        items, feed_title, lost = parse_feed(doc.data)
    else:
        text = decode(doc.data, _declared_charset(doc))
        if kind in ("unknown", "text") and doc.kind == "unknown":
            kind = sniff(doc.media_hint or doc.name, doc.data[:4096])
        if kind == "html":
            items = [parse_html(text, url=doc.url)]
        elif kind == "jsonl":
            items = [parse_json_line(text)]
        elif kind == "feed":
            items, feed_title, lost = parse_feed(doc.data)
        else:
            items = [parse_text(text)]
    articles = [_finish(doc, item, i, len(items), feed_title) for i, item in enumerate(items, 1)]
    rejection = Rejection(name=f"{doc.name}#{len(items) + 1}", reason=lost) if lost else None
    return articles, rejection


def _site_from_feed_title(title: str | None) -> str | None:
    if not title:
        return None
    return re.split(r"\s+[\u2013\u2014|:-]\s+", title.strip(), maxsplit=1)[0] or None


def _finish(doc: SourceDocument, item: ParsedItem, i: int, n: int, feed_title: str | None) -> Article:
    if item.own_id:
        art_id = item.own_id
    elif doc.multi or n > 1:
        art_id = f"{doc.base_id}-{doc.index if doc.index is not None else i}"
    else:
        art_id = doc.base_id
    outlet = (
        doc.outlet
        or item.outlet
        or item.site_name
        or _site_from_feed_title(feed_title)
        or (item.dateline.agency if item.dateline else None)
    )
    return Article(
        id=art_id,
        text=item.text,
        title=item.title,
        title_span=item.title_span,
        standfirst_span=item.standfirst_span,
        body_start=item.body_start,
        dateline=item.dateline,
        captions=item.captions,
        outlet=outlet,
        url=(item.url or doc.url) if doc.multi else (doc.url or item.url),
        published=doc.published or item.published,
        published_at=item.published_at,
        language=doc.language or item.language,
        source=doc.name,
        guid=item.guid,
    )
