"""Reading every input format into articles (no NLP needed)."""

import io
import json
from datetime import date
from pathlib import Path

from trucewatch.errors import RejectedDocument
from trucewatch.ingest import iter_documents, parse_document
from trucewatch.models import Rejection

from .conftest import FIXTURES, article_html, warc_bytes


def articles(paths, **kw):
    out, rejected = [], []
    for unit in iter_documents([str(p) for p in paths], **kw):
        if isinstance(unit, Rejection):
            rejected.append(unit)
            continue
        try:
            out.extend(parse_document(unit))
        except RejectedDocument as exc:
            rejected.append(Rejection(name=unit.name, reason=str(exc)))
    return out, rejected


def test_plain_text_is_kept_unchanged():
    path = FIXTURES / "plain" / "convoy.txt"
    [a], rej = articles([path])
    assert not rej
    assert a.text == path.read_text()
    assert a.id == "convoy"
    assert a.outlet == "Harbour Post"  # from the dateline agency: no sidecar, no site name
    assert a.title == "Aid convoy reaches Khan Younis as truce holds"


def test_html_body_captions_and_metadata():
    [a], _ = articles([FIXTURES / "html" / "story.html"])
    assert a.title == "Crossing reopens for medical evacuations"
    assert a.outlet == "Eastgate Chronicle"  # JSON-LD publisher
    assert a.published == date(2025, 2, 3)
    assert a.published_at.isoformat() == "2025-02-03T08:15:00+02:00"
    assert a.url == "https://eastgate.example/news/crossing-reopens"
    assert a.language == "en"
    assert a.text[slice(*a.standfirst_span)].startswith("Fifty patients are expected")
    [cap] = a.captions
    assert cap.text == "Ambulances line up at the Rafah crossing on February 2, 2025."
    assert cap.credit == "Omar Haddad / Eastgate Chronicle"
    assert a.text[slice(*cap.span)] == cap.text
    body = a.text[a.body_start:]
    assert "Rafah crossing between Gaza and Egypt reopened" in body
    assert "Ambulances line up" not in body  # captions never reach the body
    for junk in ("cookies", "Share on X", "Related stories", "Copyright", "Sport", "should never appear"):
        assert junk not in a.text
    assert a.dateline is not None and a.dateline.place == "Rafah"


def test_malformed_but_readable_html_is_read():
    [a], rej = articles([FIXTURES / "html" / "malformed-recoverable.html"])
    assert not rej
    assert "Negotiators from both sides returned to Doha" in a.text


def test_rss_items_become_articles_with_suffixed_ids(tmp_path):
    feed = tmp_path / "live.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour Post - live</title>"
        "<item><title>First</title><link>https://hp.example/live#1</link>"
        "<pubDate>Sun, 19 Jan 2025 09:00:00 GMT</pubDate><description>&lt;p&gt;One.&lt;/p&gt;</description></item>"
        "<item><title>Second</title><link>https://hp.example/live#2</link>"
        "<pubDate>Sun, 19 Jan 2025 10:00:00 GMT</pubDate><description>Two.</description></item>"
        "</channel></rss>")
    arts, rej = articles([feed])
    assert not rej
    assert [a.id for a in arts] == ["live-1", "live-2"]
    assert arts[0].text == "First\n\nOne.\n"
    assert arts[0].url == "https://hp.example/live#1"
    assert arts[1].published == date(2025, 1, 19)
    assert arts[0].outlet == "Harbour Post"  # from the channel title


def test_atom_entries():
    arts, rej = articles([FIXTURES / "feeds" / "coastline.atom"])
    assert not rej
    assert [a.title for a in arts] == ["Second group of detainees returns to Gaza", "Sirens sound in Sderot"]
    assert arts[0].published == date(2025, 3, 1)
    assert arts[1].published == date(2025, 3, 2)  # falls back to <updated>
    assert "European Hospital in Khan Younis" in arts[0].text


def test_jsonl_ids_and_rejected_lines():
    arts, rej = articles([FIXTURES / "jsonl" / "mixed.jsonl"])
    good = [a for a in arts]
    assert [a.id for a in good] == ["rb-1", "mixed-2", "rb-6"]
    assert good[0].text.startswith("Water points reopen in Deir al-Balah\n\nThree water points")
    assert good[0].outlet == "Relief Brief"
    assert good[1].published == date(2025, 2, 11)


def test_jsonl_bad_lines_are_named(tmp_path):
    names = []
    for unit in iter_documents([str(FIXTURES / "jsonl" / "mixed.jsonl")]):
        try:
            parse_document(unit)
        except RejectedDocument as exc:
            names.append((unit.name.rsplit("/", 1)[-1], str(exc)))
    assert [n for n, _ in names] == ["mixed.jsonl:3", "mixed.jsonl:4", "mixed.jsonl:6"]
    assert "invalid JSON" in names[0][1]
    assert "no 'text'" in names[1][1]
    assert "not an object" in names[2][1]


def test_warc_html_responses(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes([
        ("https://hp.example/a", article_html("Truce holds", ["The truce held overnight, officials said."]),
         "text/html; charset=utf-8"),
        ("https://hp.example/logo.png", "not html", "image/png"),
        ("https://hp.example/b", article_html("Aid enters", ["Aid entered through Kerem Shalom."]), "text/html"),
    ]))
    arts, rej = articles([path])
    assert not rej
    assert [(a.id, a.url, a.title) for a in arts] == [
        ("crawl-1", "https://hp.example/a", "Truce holds"),
        ("crawl-2", "https://hp.example/b", "Aid enters"),
    ]
    assert arts[0].outlet == "Harbour Post"


def test_sidecar_values_win(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(article_html("Truce holds", ["The truce held overnight, officials said."]))
    meta = tmp_path / "meta.jsonl"
    meta.write_text(json.dumps({"id": "hp-42", "file": "page.html", "outlet": "Sidecar Outlet",
                                "published": "2025-03-01", "url": "https://side.example/x"}) + "\n")
    [a], _ = articles([], meta=meta)
    assert (a.id, a.outlet, a.published, a.url) == ("hp-42", "Sidecar Outlet", date(2025, 3, 1),
                                                   "https://side.example/x")


def test_directory_recursion_uses_its_sidecar_and_skips_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("Headline one\n\nBody one.\n")
    (tmp_path / "two.txt").write_text("Headline two\n\nBody two.\n")
    (tmp_path / "script.py").write_text("print('not an article')\n")
    (tmp_path / "notes.md").write_text("# notes\n")
    (tmp_path / "meta.jsonl").write_text(json.dumps({"id": "first", "file": "sub/one.txt", "outlet": "X"}) + "\n")
    arts, rej = articles([tmp_path])
    assert not rej
    assert sorted((a.id, a.outlet) for a in arts) == [("first", "X"), ("two", None)]


def test_stdin():
    data = b"Headline from a pipe\n\nGAZA (Harbour Post) - Body text from standard input.\n"
    arts, rej = articles(["-"], stdin=io.BytesIO(data))
    assert not rej
    [a] = arts
    assert a.id == "stdin" and a.title == "Headline from a pipe" and a.source == "<stdin>"


def test_windows_1252_is_decoded(tmp_path):
    p = tmp_path / "legacy.txt"
    p.write_bytes("Caf\xe9 owners in Rafah reopen\n\nThe caf\xe9 reopened \u2013 slowly.\n".encode("cp1252"))
    [a], rej = articles([p])
    assert not rej
    assert "café reopened – slowly" in a.text


def test_utf8_bom_is_dropped(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfHeadline\n\nBody.\n")
    [a], _ = articles([p])
    assert a.text.startswith("Headline")


def test_missing_file_is_a_rejection():
    _, rej = articles([Path("does/not/exist.txt")])
    assert [r.reason for r in rej] == ["no such file or directory"]
