"""HTML pages to articles.

The article body comes from trafilatura, which drops navigation, cookie banners, share bars
and related-link boxes.  Around it we read what trafilatura does not keep reliably:

* the headline (``og:title``, the first ``<h1>``, or ``<title>`` without the site suffix);
* the standfirst (an element whose class names it - standfirst, subhead, dek, excerpt ... -
  or an ``<h2>`` right after the ``<h1>``);
* photo captions from ``<figure>/<figcaption>`` with their credits, which are removed from the
  page before trafilatura sees it so they never reach the body text;
* published time (``article:published_time`` and kin, JSON-LD ``datePublished``,
  ``<time datetime>``), site name, canonical URL.

The article text is: headline, standfirst, captions (one line each: caption then credit),
then the body paragraphs, separated by blank lines.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date, datetime

import lxml.etree
import lxml.html
import trafilatura

from trucewatch.anatomy import find_dateline, split_caption
from trucewatch.errors import RejectedDocument
from trucewatch.ingest.dates import parse_datetime
from trucewatch.ingest.item import ParsedItem
from trucewatch.models import Caption

_STANDFIRST_CLASS = re.compile(
    r"\b(?:standfirst|stand-first|subhead|sub-head|subheadline|sub-headline|subtitle|dek|"
    r"excerpt|post-excerpt|summary|lede|strapline|kicker-sub|intro|article-description)\b",
    re.IGNORECASE,
)
_CREDIT_CLASS = re.compile(r"\b(?:credit|copyright|byline|source|photographer|caption-credit)\b", re.I)
_EXCLUDED_ANCESTORS = {"aside", "nav", "footer"}
_PUBLISHED_META = (
    ("property", "article:published_time"),
    ("name", "article:published_time"),
    ("property", "og:published_time"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "date"),
    ("itemprop", "datePublished"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("name", "sailthru.date"),
    ("name", "parsely-pub-date"),
)


def _clean(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def _meta(tree, attr: str, value: str) -> str | None:
    for el in tree.iter("meta"):
        if (el.get(attr) or "").lower() == value.lower() and el.get("content"):
            return el.get("content").strip()
    return None


def _excluded(el) -> bool:
    for anc in el.iterancestors():
        if not isinstance(anc.tag, str):
            continue
        if anc.tag in _EXCLUDED_ANCESTORS:
            return True
        cls = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if re.search(r"\b(?:related|sidebar|most-read|newsletter|promo|cookie|gdpr)\b", cls, re.I):
            return True
    return False


def _json_ld(tree) -> list[dict]:
    out: list[dict] = []
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                out.append(item)
                if "@graph" in item:
                    stack.append(item["@graph"])
    return out


def _published(tree, ld: list[dict]) -> datetime | date | None:
    for attr, value in _PUBLISHED_META:
        v = _meta(tree, attr, value)
        if v and (dt := parse_datetime(v)):
            return dt
    for item in ld:
        v = item.get("datePublished") or item.get("dateCreated")
        if isinstance(v, str) and (dt := parse_datetime(v)):
            return dt
    for el in tree.iter("time"):
        v = el.get("datetime")
        if v and not _excluded(el) and (dt := parse_datetime(v)):
            return dt
    return None


def _site_name(tree, ld: list[dict]) -> str | None:
    v = _meta(tree, "property", "og:site_name") or _meta(tree, "name", "application-name")
    if v:
        return _clean(v)
    for item in ld:
        pub = item.get("publisher")
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            return _clean(pub["name"])
    return None


def _title(tree, site: str | None) -> str | None:
    v = _meta(tree, "property", "og:title") or _meta(tree, "name", "twitter:title")
    if v:
        return _clean(v)
    for h1 in tree.iter("h1"):
        if not _excluded(h1) and _clean(h1.text_content()):
            return _clean(h1.text_content())
    t = tree.find(".//title")
    if t is not None and _clean(t.text_content()):
        title = _clean(t.text_content())
        parts = re.split(r"\s+[|\u2013\u2014-]\s+", title)
        if len(parts) > 1 and (site is None or _clean(parts[-1]).lower() == site.lower() or len(parts[-1]) < 40):
            title = " - ".join(parts[:-1])
        return title
    return None


def _standfirst(tree, title: str | None) -> str | None:
    root = _article_root(tree)
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "script", "style", "figure", "figcaption"):
            continue
        cls = (el.get("class") or "") + " " + (el.get("id") or "")
        if _STANDFIRST_CLASS.search(cls) and not _excluded(el):
            text = _clean(el.text_content())
            if 20 <= len(text) <= 500 and text != title:
                return text
    for h1 in root.iter("h1"):
        sib = h1.getnext()
        while sib is not None and not isinstance(sib.tag, str):
            sib = sib.getnext()
        if sib is not None and sib.tag == "h2":
            text = _clean(sib.text_content())
            if 20 <= len(text) <= 500:
                return text
        break
    return None


def _article_root(tree):
    for tag in ("article", "main"):
        found = [el for el in tree.iter(tag) if not _excluded(el)]
        if found:
            return found[0]
    body = tree.find(".//body")
    return body if body is not None else tree


def _figcaptions(tree) -> list[tuple[str, str | None]]:
    out = []
    for fc in tree.iter("figcaption"):
        if _excluded(fc):
            continue
        credit_el = None
        for el in fc.iter():
            if el is fc or not isinstance(el.tag, str):
                continue
            cls = el.get("class") or ""
            if _CREDIT_CLASS.search(cls) or el.tag in ("small", "cite"):
                credit_el = el
                break
        if credit_el is None:
            kids = [k for k in fc if isinstance(k.tag, str)]
            if kids and kids[-1].tag in ("em", "i", "span") and not (kids[-1].tail or "").strip():
                credit_el = kids[-1]
        credit = None
        if credit_el is not None:
            credit = _clean(credit_el.text_content())
            fc2 = copy.deepcopy(fc)
            for el in fc2.iter():
                if el.tag == credit_el.tag and _clean(el.text_content()) == credit and el is not fc2:
                    el.drop_tree()
                    break
            text = _clean(fc2.text_content())
            credit = re.sub(r"^(?:photo|picture|image)\s*:\s*", "", credit, flags=re.I) or credit
        else:
            text = _clean(fc.text_content())
            cap = split_caption(text)
            if cap is not None:
                (s, e), credit = cap
                text = text[s:e]
        if text:
            out.append((text, credit))
    return out


def _strip_figures(tree):
    tree = copy.deepcopy(tree)
    for tag in ("figure", "figcaption"):
        for el in list(tree.iter(tag)):
            el.drop_tree()
    return tree


def parse_html(markup: str, url: str | None = None) -> ParsedItem:
    """Parse an HTML page into article text and metadata; raise RejectedDocument if none."""
    if "<" not in markup[:2048] and "<" not in markup:
        raise RejectedDocument("not HTML: no markup found")
    try:
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise RejectedDocument(f"malformed HTML: {exc}") from None
    ld = _json_ld(tree)
    site = _site_name(tree, ld)
    title = _title(tree, site)
    standfirst = _standfirst(tree, title)
    captions = _figcaptions(tree)
    stripped = _strip_figures(tree)
    try:
        body = trafilatura.extract(
            stripped, include_comments=False, include_tables=False, include_images=False,
            include_formatting=False, favor_precision=True, deduplicate=False, with_metadata=False,
        )
    except Exception as exc:  # trafilatura raises assorted errors on pathological markup
        raise RejectedDocument(f"malformed HTML: body extraction failed ({type(exc).__name__})") from None
    paragraphs = [_clean(p) for p in (body or "").split("\n")]
    skip = {x for x in (title, standfirst) if x}
    paragraphs = [p for p in paragraphs if p and p not in skip]
    if sum(ch.isalpha() for p in paragraphs for ch in p) < 20:
        raise RejectedDocument("malformed or empty HTML: no article text could be extracted")

    text, title_span, standfirst_span = "", None, None
    if title:
        title_span = (0, len(title))
        text = title + "\n"
    if standfirst:
        standfirst_span = (len(text), len(text) + len(standfirst))
        text += standfirst + "\n"
    text += "\n"
    cap_items: list[Caption] = []
    for cap_text, credit in captions:
        start = len(text)
        cap_items.append(Caption(text=cap_text, credit=credit, span=(start, start + len(cap_text))))
        text += cap_text + (f" ({credit})" if credit else "") + "\n\n"
    body_start = len(text)
    text += "\n\n".join(paragraphs) + "\n"

    published = _published(tree, ld)
    canonical = None
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            canonical = link.get("href").strip()
            break
    canonical = canonical or _meta(tree, "property", "og:url")
    lang = tree.get("lang") or None
    item = ParsedItem(
        text=text,
        title=title,
        title_span=title_span,
        standfirst_span=standfirst_span,
        body_start=body_start,
        captions=cap_items,
        site_name=site,
        url=url or canonical,
        published_at=published if isinstance(published, datetime) else None,
        published=(published.date() if isinstance(published, datetime) else published),
        language=(lang.split("-")[0].lower() if lang else None),
    )
    item.dateline = find_dateline(text, body_start)
    return item

