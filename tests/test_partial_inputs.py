"""Containers cut short, oversized lines, sidecar problems, symlinks and hostile file names:
every input yields its articles or a named rejection, and nothing lost goes unsaid."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tracemalloc
import zlib

import pytest
from typer.testing import CliRunner

from trucewatch import api
from trucewatch.cli import app
from trucewatch.ingest.sources import iter_documents
from trucewatch.models import Rejection, SourceDocument

from .conftest import article_html, warc_bytes

runner = CliRunner()
STORY = "Paragraph {i}: the crossing at the southern gate stayed shut all morning while drivers waited. "


def _stories(n: int) -> list[tuple[str, str, str]]:
    return [(f"https://hp.example/{i}", article_html(f"Story {i}", [STORY.format(i=i) * 25]), "text/html")
            for i in range(1, n + 1)]


def _layout(data: bytes) -> list[tuple[str, int, int]]:
    """(record type, offset, end) of every record of a whole WARC, as warcio reads it."""
    from warcio.archiveiterator import ArchiveIterator

    out = []
    it = ArchiveIterator(io.BytesIO(data))
    for rec in it:
        rec_type = rec.rec_type
        rec.content_stream().read()
        out.append((rec_type, it.get_record_offset(), it.get_record_offset() + it.get_record_length()))
    return out


def _read(path) -> tuple[list[SourceDocument], list[Rejection]]:
    units = list(iter_documents([str(path)]))
    return ([u for u in units if isinstance(u, SourceDocument)], [u for u in units if isinstance(u, Rejection)])


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
@pytest.mark.parametrize("fraction", [0.5, 0.8, 0.95])
def test_a_cut_warc_keeps_the_whole_records_and_names_what_it_lost(tmp_path, gz, fraction):
    data = warc_bytes(_stories(10), gzip=gz)
    layout = _layout(data)
    # the middle of the record at that fraction of the file (a cut in a gzip trailer is tested below)
    start, end = next((s, e) for _k, s, e in layout if e > len(data) * fraction)
    cut = (start + end) // 2
    whole = sum(1 for kind, _s, e in layout if kind == "response" and e <= cut)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[:cut])
    docs, rejections = _read(path)
    assert len(docs) == whole, "every whole HTML record is kept, and nothing cut is passed on as whole"
    for i, doc in enumerate(docs, 1):
        assert (STORY.format(i=i) * 25).strip() in doc.data.decode()
    assert len(rejections) == 1, rejections
    assert rejections[0].name.startswith(str(path)) and "truncated" in rejections[0].reason
    res = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "l.db"), "--no-nlp", "--no-progress"])
    assert res.exit_code == 1
    assert [ln for ln in res.stderr.splitlines() if ln.startswith("rejected: ")] == [rejections[0].line()]


def test_a_warc_cut_inside_a_request_record_says_so(tmp_path):
    data = warc_bytes(_stories(4), gzip=False)
    requests = [(s, e) for kind, s, e in _layout(data) if kind == "request"]
    start, end = requests[2]  # the third story's request record
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: start + (end - start) // 2])
    docs, rejections = _read(path)
    assert len(docs) == 2
    assert len(rejections) == 1 and "truncated" in rejections[0].reason


def test_a_warc_gz_cut_in_its_last_gzip_trailer_is_reported(tmp_path):
    data = warc_bytes(_stories(3), gzip=True)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-3])
    docs, rejections = _read(path)
    assert len(docs) == 3  # the record's content is whole
    assert len(rejections) == 1 and "truncated" in rejections[0].reason


def test_a_cut_jsonl_gz_keeps_the_whole_lines_and_names_the_rest(tmp_path):
    lines = b"".join(json.dumps({"text": STORY.format(i=i) * 20}).encode() + b"\n" for i in range(1, 41))
    data = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    docs, rejections = _read(path)
    assert docs and all(json.loads(d.data)["text"] == STORY.format(i=i) * 20 for i, d in enumerate(docs, 1))
    assert len(rejections) == 1 and "truncated" in rejections[0].reason


def test_a_cut_feed_keeps_its_whole_items_and_names_the_rest(tmp_path, bare):
    items = "".join(f"<item><title>Item {i}</title><link>https://hp.example/{i}</link>"
                    f"<description>{STORY.format(i=i) * 4}</description></item>" for i in range(1, 6))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Post</title>{items}</channel></rss>'
    cut = feed.index("<item>", feed.index("Item 4")) - 40  # inside the fourth item's description
    path = tmp_path / "cut.xml"
    path.write_text(feed[:cut])
    results = list(api.extract([str(path)], extractor=bare))
    records = [r for res in results for r in res.records]
    rejected = [res.rejection for res in results if res.rejection is not None]
    assert [r.title for r in records] == ["Item 1", "Item 2", "Item 3"]
    assert len(rejected) == 1 and "truncated" in rejected[0].reason and rejected[0].name.startswith(str(path))
    res = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "l.db"), "--no-nlp", "--no-progress"])
    assert res.exit_code == 1 and "rejected: " in res.stderr


# ------------------------------------------------------------------ bounded line reading

def _members(*parts: bytes) -> bytes:
    return b"".join(gzip.compress(p, compresslevel=9) for p in parts)


def _long_line_gz(megabytes: int) -> bytes:
    """A small .jsonl.gz whose first line is ``megabytes`` MB long: one gzip member of a
    compressed megabyte repeated (readers join members into one stream), then a good line."""
    block = zlib.compressobj(9, zlib.DEFLATED, 31)
    mb = block.compress(b"a" * (1 << 20)) + block.flush()
    return (_members(b'{"text": "') + mb * megabytes + _members(b'"}\n')
            + _members(json.dumps({"text": "A fine second line about the crossing."}).encode() + b"\n"))


def test_a_long_line_in_a_jsonl_gz_is_rejected_without_being_held(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(_long_line_gz(64))
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        units = list(iter_documents([str(path)], max_bytes=1 << 20))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20, f"reading held {peak / 1e6:.0f} MB"
    first, second = units
    assert isinstance(first, Rejection) and first.name == f"{path}:1" and "line too large" in first.reason
    expected = hashlib.sha256(b'{"text": "' + b"a" * (64 << 20) + b'"}\n').hexdigest()
    assert first.sha256 == expected
    assert isinstance(second, SourceDocument) and second.name == f"{path}:2"


def test_batch_counts_the_lines_of_a_jsonl_file_without_holding_a_long_one(tmp_path):
    from trucewatch.batch import work_units

    path = tmp_path / "big.jsonl"
    with open(path, "wb") as fh:
        for _ in range(160):  # one line of 160 MB; the default limit is 20 MB
            fh.write(b"a" * (1 << 20) if _ else b'{"text": "' + b"a" * (1 << 20))
        fh.write(b'"}\n')
        for i in range(3):
            fh.write(json.dumps({"text": f"Line {i} about the crossing."}).encode() + b"\n")
    tracemalloc.start()
    try:
        units = work_units([str(path)], split=2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 << 20, f"counting held {peak / 1e6:.0f} MB"
    assert units == [f"{path}::1-2", f"{path}::3-4"]


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="limits the address space of a child process")
def test_a_two_gigabyte_line_in_a_small_jsonl_gz_is_one_rejection_in_bounded_memory(tmp_path):
    import resource
    import subprocess
    import sys

    path = tmp_path / "huge.jsonl.gz"
    path.write_bytes(_long_line_gz(2048))
    assert path.stat().st_size < 4_000_000
    db = str(tmp_path / "l.db")

    def limit() -> None:  # far less than the line: reading it whole must fail
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    res = subprocess.run([sys.executable, "-m", "trucewatch.cli", "ingest", str(path), "--db", db, "--no-nlp",
                          "--no-progress"], capture_output=True, text=True, preexec_fn=limit, timeout=600)
    assert res.returncode == 1, res.stderr[-2000:]
    rejected = [ln for ln in res.stderr.splitlines() if ln.startswith("rejected: ")]
    assert rejected == [f"rejected: {path}:1: line too large: 2147.5 MB (see --max-bytes)"]
    st = json.loads(runner.invoke(app, ["status", "--db", db, "--format", "json"]).stdout)
    assert st["counts"]["articles"] == 1


def test_standard_input_is_streamed_not_cut_at_the_size_limit():
    lines = "".join(json.dumps({"id": f"s{i}", "text": f"Bulletin {i}: the crossing stayed shut."}) + "\n"
                    for i in range(400))
    units = list(iter_documents(["-"], stdin=io.BytesIO(lines.encode()), max_bytes=4000))
    assert [u.name for u in units if isinstance(u, Rejection)] == []
    assert len(units) == 400


# ------------------------------------------------------------------ sidecars

def _corpus_with_sidecar(tmp_path, sidecar_lines: list[str]):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"Bulletin {name}\n\nThe crossing at the southern gate stayed shut.\n")
    (tmp_path / "meta.jsonl").write_text("\n".join(sidecar_lines) + "\n")


SIDECAR = [
    json.dumps({"id": "alpha", "file": "a.txt", "outlet": "Harbour Post", "published": "2025-01-19"}),
    '{"id": "broken", "file": ',
    json.dumps({"id": "gamma", "file": "c.txt", "outlet": "Coastal Wire", "published": "the day after"}),
    json.dumps({"id": "ghost", "file": "missing.txt", "outlet": "Valley Times"}),
    json.dumps(["not", "an", "object"]),
    json.dumps({"id": "beta", "file": "b.txt", "outlet": "Dune Gazette"}),
]


@pytest.mark.parametrize("how", ["automatic", "--meta"])
def test_sidecar_problems_are_warnings_per_line_and_the_good_lines_apply(tmp_path, how):
    _corpus_with_sidecar(tmp_path, SIDECAR)
    args = ["extract", str(tmp_path)] if how == "automatic" else ["extract", str(tmp_path / "a.txt"),
                                                                   str(tmp_path / "b.txt"), str(tmp_path / "c.txt"),
                                                                   "--meta", str(tmp_path / "meta.jsonl")]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.stderr
    records = {json.loads(ln)["id"]: json.loads(ln) for ln in res.stdout.splitlines()}
    assert records["alpha"]["outlet"] == "Harbour Post" and records["alpha"]["published"] == "2025-01-19"
    assert records["beta"]["outlet"] == "Dune Gazette"
    assert records["gamma"]["outlet"] == "Coastal Wire" and records["gamma"]["published"] is None
    warnings = [ln for ln in res.stderr.splitlines() if ln.startswith("warning: ")]
    sidecar = str(tmp_path / "meta.jsonl")
    for line_no, what in ((2, "invalid JSON"), (3, "published"), (4, "missing.txt"), (5, "object")):
        assert any(ln.startswith(f"warning: {sidecar}:{line_no}: ") and what in ln for ln in warnings), (line_no,
                                                                                                        warnings)
    assert len(warnings) == 4


# ------------------------------------------------------------------ symlinks and names

def test_symlinks_inside_a_folder_are_not_followed(tmp_path, bare):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Private notes\n\nNothing here belongs in the ledger.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "real.txt").write_text("Bulletin\n\nThe crossing stayed shut.\n")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "linked-dir").symlink_to(secret.parent, target_is_directory=True)
    res = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "l.db"), "--no-nlp", "--no-progress"])
    assert res.exit_code == 0, res.stderr
    st = json.loads(runner.invoke(app, ["status", "--db", str(tmp_path / "l.db"), "--format", "json"]).stdout)
    assert st["counts"]["articles"] == 1
    assert any("link.txt" in ln and "symbolic link" in ln for ln in res.stderr.splitlines())
    named = list(api.extract([str(corpus / "link.txt")], extractor=bare))  # named on the command line: read
    assert named[0].records and "Private notes" in named[0].records[0].text


def test_names_are_escaped_in_messages(tmp_path):
    forged = tmp_path / "evil\nrejected: forged.txt: all is well.txt"
    forged.write_bytes(b"")
    coloured = tmp_path / "red\x1b[31mname.txt"
    coloured.write_bytes(b"")
    raw = os.path.join(os.fsencode(tmp_path), b"bytes\xff\xfe.txt")
    with open(raw, "wb"):
        pass
    db = str(tmp_path / "l.db")
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--no-nlp", "--no-progress"])
    assert res.exit_code == 1, res.stderr
    lines = res.stderr.splitlines()
    assert len([ln for ln in lines if ln.startswith("rejected: ")]) == 3
    assert not any(ln.startswith("rejected: forged.txt") for ln in lines)
    assert "\x1b" not in res.stderr
    assert any("evil\\nrejected: forged.txt" in ln for ln in lines)
    assert any("bytes\\xff\\xfe.txt" in ln for ln in lines)
    status = runner.invoke(app, ["status", "--db", db])
    assert status.exit_code == 0 and "\x1b" not in status.stdout


def test_a_corrupt_warc_reason_prints_no_raw_bytes(tmp_path):
    path = tmp_path / "bad.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: x\x1b[2J\x07\x00\r\n\r\n\x1b]0;owned\x07")
    res = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "l.db"), "--no-nlp", "--no-progress"])
    assert res.exit_code == 1
    assert "rejected: " in res.stderr
    assert not any(ch in res.stderr for ch in "\x1b\x07\x00")
