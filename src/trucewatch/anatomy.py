"""Article anatomy: headline, standfirst, dateline and photo captions.

Pure functions over text.  For plain-text input the conventions are (docs/inputs.md):

* the first non-empty line is the headline;
* a line directly under the headline (no blank line between) is the standfirst;
* a line made only of dashes separates the top matter from the body;
* a line that ends in a photo credit in parentheses - ``(AP Photo/Name)``,
  ``(Outlet/Name)``, ``(Photo: Outlet archive)`` - or starts with ``Photo:`` is a caption;
* the first body paragraph may open with a dateline: ``TEHRAN (Tasnim) -``,
  ``GAZA/TEL AVIV -``, ``Gaza -``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from trucewatch.models import Caption, Dateline, Span

_DASHES = "\u2013\u2014-"
_SEPARATOR = re.compile(r"^\s*[-\u2013\u2014_=*]{1,}\s*$")

# ALL-CAPS datelines may name several places and an agency: "GAZA/JERUSALEM (Levant Wire) -".
_CAPS_PLACE = r"[A-Z][A-Z'\u2019.\-]*(?: [A-Z][A-Z'\u2019.\-]*){0,3}"
_DATELINE_CAPS = re.compile(
    rf"^(?P<place>{_CAPS_PLACE}(?:\s*/\s*{_CAPS_PLACE}){{0,3}})"
    r"(?:,\s*(?P<when>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    rf"\s*[{_DASHES}]{{1,2}}\s+(?=\S)"
)
# Title-case datelines ("Gaza - ...") only with a spaced en/em dash, to avoid ordinary prose.
_DATELINE_TITLE = re.compile(
    r"^(?P<place>[A-Z][a-z\u2019'\-]+(?: [A-Z][a-z\u2019'\-]+){0,2}(?:/[A-Z][a-z\u2019'\-]+(?: [A-Z][a-z]+){0,2}){0,2})"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s+[\u2013\u2014]\s+(?=\S)"
)

_CREDIT_WORDS = re.compile(
    r"\b(?:photo|photos|photograph|picture|image|handout|archive|getty images)\b", re.IGNORECASE
)
_NOT_CREDIT = re.compile(r"^(?:reporting|editing|writing|additional reporting)\b", re.IGNORECASE)
_TRAILING_PAREN = re.compile(r"\((?P<credit>[^()\n]{2,80})\)\s*$")
_PHOTO_PREFIX = re.compile(r"^(?:photo|picture|image)\s*:\s*", re.IGNORECASE)


@dataclass
class Anatomy:
    title_span: Span | None = None
    standfirst_span: Span | None = None
    body_start: int = 0
    dateline: Dateline | None = None
    captions: list[Caption] = field(default_factory=list)
    caption_spans: list[Span] = field(default_factory=list)


@dataclass
class _Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append(_Line(pos, pos + len(body), body))
        pos += len(raw)
    return out


def _strip_span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)


def split_caption(line: str, offset: int = 0) -> tuple[Span, str | None] | None:
    """If ``line`` reads as a photo caption, return the span of its text and its credit.

    ``offset`` is added to the returned span.  The span excludes a leading ``Photo:`` and the
    trailing credit, so it covers exactly what the picture shows.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 400:
        return None
    lead = len(line) - len(line.lstrip())
    start, end = lead, lead + len(stripped)
    prefix = _PHOTO_PREFIX.match(stripped)
    credit: str | None = None
    m = _TRAILING_PAREN.search(stripped)
    if m:
        inner = m.group("credit").strip()
        if _looks_like_credit(inner):
            credit = _PHOTO_PREFIX.sub("", inner).strip() or inner
            end = lead + m.start()
    if credit is None and not prefix:
        return None
    if prefix:
        start = lead + prefix.end()
    span = _strip_span(line, start, end)
    if span[1] - span[0] < 8:
        return None
    return (span[0] + offset, span[1] + offset), credit


def _looks_like_credit(inner: str) -> bool:
    if _NOT_CREDIT.match(inner):
        return False
    if _CREDIT_WORDS.search(inner):
        return True
    # "Outlet/Name": two capitalised parts around a slash.
    parts = [p.strip() for p in inner.split("/")]
    return len(parts) == 2 and all(p[:1].isupper() for p in parts) and len(inner.split()) <= 8


def find_dateline(text: str, start: int, is_place: Callable[[str], bool] | None = None) -> Dateline | None:
    """A dateline at ``text[start:]`` (the start of a paragraph), or None."""
    chunk = text[start:start + 160]
    m = _DATELINE_CAPS.match(chunk)
    if m and not _is_caps_word_sentence(m.group("place")):
        place = _title_place(m.group("place"))
    else:
        m = _DATELINE_TITLE.match(chunk)
        if not m:
            return None
        place = m.group("place")
        if is_place is not None and not all(is_place(p) for p in place.split("/")):
            return None
    agency = (m.group("agency") or "").strip() or None
    return Dateline(place=place, agency=agency, span=(start, start + m.end()))


def _is_caps_word_sentence(place: str) -> bool:
    # A single capital letter ("A four-day pause") or an acronym-led sentence is not a dateline.
    words = place.replace("/", " ").split()
    return all(len(w) <= 1 for w in words)


_ARTICLES = {"al", "el", "ad", "ash", "as", "az", "an", "ar", "at", "ath", "ad-", "ed"}


def _title_word(word: str) -> str:
    pieces = word.lower().split("-")
    out = []
    for i, piece in enumerate(pieces):
        if i < len(pieces) - 1 and piece in _ARTICLES:
            out.append(piece)  # "al-Balah", "el-Arish"
        else:
            out.append(piece[:1].upper() + piece[1:])
    return "-".join(out)


def _title_place(place: str) -> str:
    """'GAZA/TEL AVIV' -> 'Gaza/Tel Aviv'; 'DEIR AL-BALAH' -> 'Deir al-Balah'."""
    parts = [p.strip() for p in place.split("/")]
    return "/".join(" ".join(_title_word(w) for w in p.split()) for p in parts)


def parse_plain(text: str, is_place: Callable[[str], bool] | None = None) -> Anatomy:
    """Headline, standfirst, captions and dateline of a plain-text article."""
    lines = _lines(text)
    anat = Anatomy()
    i = 0
    while i < len(lines) and lines[i].blank:
        i += 1
    if i == len(lines):
        return anat
    head = lines[i]
    anat.title_span = _strip_span(text, head.start, head.end)
    anat.body_start = head.end
    i += 1
    # Standfirst: the next line, with no blank line in between, unless it is a caption or separator.
    if i < len(lines) and not lines[i].blank and not _SEPARATOR.match(lines[i].text):
        if split_caption(lines[i].text) is None and find_dateline(text, lines[i].start, is_place) is None:
            anat.standfirst_span = _strip_span(text, lines[i].start, lines[i].end)
            anat.body_start = lines[i].end
            i += 1
    # Captions may sit anywhere; the dateline opens the first body paragraph.
    dateline_checked = False
    for line in lines[i:]:
        if line.blank or _SEPARATOR.match(line.text):
            continue
        cap = split_caption(line.text, line.start)
        if cap is not None:
            span, credit = cap
            anat.captions.append(Caption(text=text[span[0]:span[1]], credit=credit, span=span))
            anat.caption_spans.append(_strip_span(text, line.start, line.end))
            continue
        if not dateline_checked:
            dateline_checked = True
            lead = len(line.text) - len(line.text.lstrip())
            anat.dateline = find_dateline(text, line.start + lead, is_place)
    return anat
