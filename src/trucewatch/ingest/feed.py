"""RSS and Atom feeds (feedparser): each item becomes an article.

An item's text is its title, a blank line, then its content (or description) as plain text.
A feed that is not well-formed XML (cut short, say) keeps the items whose closing tag is in the
file; the items after them are reported as lost, since feedparser's lenient parser would hand
over a cut item as if it were whole.
"""

from __future__ import annotations

import re
from calendar import timegm
from datetime import UTC, datetime

import feedparser
import lxml.html

from trucewatch.anatomy import find_dateline
from trucewatch.errors import RejectedDocument, printable
from trucewatch.ingest.item import ParsedItem

_CLOSED_ITEM = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)

_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block element."""
    if "<" not in fragment:
        return re.sub(r"[ \t]+", " ", fragment).strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some fragments outright; fall back to tag stripping
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)


def _when(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            return datetime.fromtimestamp(timegm(t), tz=UTC)
    return None


def parse_feed(data: bytes) -> tuple[list[ParsedItem], str | None, str | None]:
    """Items of a feed, the feed's own title, and why items were lost (None when none were);
    raise RejectedDocument for an invalid feed."""
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    why = f": {printable(str(exc).splitlines()[0])}" if exc and str(exc).strip() else ""
    lost = None
    if exc is not None and entries and _not_well_formed(exc):
        whole = len(_CLOSED_ITEM.findall(data))
        if whole < len(entries):
            lost = (f"invalid RSS/Atom feed{why}: truncated or malformed at item {whole + 1}; {whole} item(s) "
                    f"before it were read, the rest is lost")
            entries = entries[:whole]
    if not entries and lost:
        raise RejectedDocument(lost)
    if not entries:
        if parsed.get("version") and not exc:
            raise RejectedDocument("feed has no items")
        raise RejectedDocument(f"invalid RSS/Atom feed{why}")
    items = []
    for entry in entries:
        title = re.sub(r"\s+", " ", html_to_text(entry.get("title") or "")).strip() or None
        content = ""
        if entry.get("content"):
            content = entry["content"][0].get("value") or ""
        content = content or entry.get("summary") or entry.get("description") or ""
        body = html_to_text(content)
        if not (title or body):
            continue
        text, title_span, body_start = "", None, 0
        if title:
            text = title + "\n\n"
            title_span = (0, len(title))
            body_start = len(text)
        text += body + ("\n" if body else "")
        when = _when(entry)
        items.append(ParsedItem(
            text=text,
            title=title,
            title_span=title_span,
            body_start=body_start,
            dateline=find_dateline(text, body_start) if body else None,
            url=entry.get("link"),
            published_at=when,
            published=when.date() if when else None,
            guid=entry.get("id"),
        ))
    if not items:
        if exc:
            raise RejectedDocument(f"invalid RSS/Atom feed{why}")
        raise RejectedDocument("feed items carry no title or text")
    feed_title = (parsed.get("feed") or {}).get("title")
    return items, feed_title, lost


def _not_well_formed(exc: Exception) -> bool:
    """The parser's complaint is about the XML itself (cut short, unclosed tags), not about a
    declared encoding or content type."""
    from xml.sax import SAXParseException

    return isinstance(exc, SAXParseException)
