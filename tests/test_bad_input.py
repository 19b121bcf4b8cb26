"""Every kind of bad input gets one clear line naming the document, and the batch goes on."""

import json
import os

import pytest
from typer.testing import CliRunner

from trucewatch.cli import app

from .conftest import FIXTURES, article_html, warc_bytes

GOOD = "Truce holds in Gaza for a second day\n\nGAZA (Harbour Post) - The ceasefire held on Monday, officials said.\n"


def _cases(tmp_path):
    """(file name, content) of each kind of bad document the issue lists, plus the reason we expect."""
    truncated = warc_bytes([
        ("https://hp.example/a", article_html("First", ["The first story is complete and readable."]), "text/html"),
        ("https://hp.example/b", article_html("Second", ["The second story is cut off. " * 20]), "text/html"),
    ], gzip=False)
    return [
        ("empty.txt", b"", "empty document"),
        ("blank.txt", b"  \n\n\t\n", "empty document"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + os.urandom(200), "not a text document: a PNG image"),
        ("noise.bin", b"\x00\x01\x02" * 100, "not a text document"),
        ("mojibake.txt", bytes(range(0x80, 0x100)) * 3, "unknown text encoding"),
        ("huge.txt", b"Huge headline\n\n" + b"word " * 10_500_000, "document too large: 52.5 MB"),
        ("broken.html", (FIXTURES / "html" / "malformed-empty.html").read_bytes(), "malformed or empty HTML"),
        ("cut.warc", truncated[: len(truncated) - 700], "truncated or corrupt WARC"),
        ("feed.xml", (FIXTURES / "feeds" / "invalid.xml").read_bytes(), "invalid RSS/Atom feed"),
        ("lines.jsonl", b'{"text": "A fine first line about Rafah."}\n{"text": "broken\n', "invalid JSON"),
    ]


def test_each_bad_document_is_one_line_and_the_batch_continues(tmp_path):
    cases = _cases(tmp_path)
    paths = []
    for name, data, _ in cases:
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    good = tmp_path / "zz-good.txt"
    good.write_text(GOOD)
    paths.append(str(good))
    res = CliRunner().invoke(app, ["extract", *paths, "--format", "jsonl"])
    assert res.exit_code == 1
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    for name, _, reason in cases:
        mine = [ln for ln in lines if f"{name}" in ln and ln.startswith("rejected: ")]
        assert mine, f"no rejection line for {name}: {lines}"
        assert any(reason in ln for ln in mine), (name, mine)
    ids = [json.loads(ln)["id"] for ln in res.stdout.splitlines() if ln.strip()]
    # the good file, the first JSON line and the WARC record before the cut all made it
    assert "zz-good" in ids
    assert "lines-1" in ids
    assert "cut-1" in ids


def test_rejections_are_stored_and_shown_by_status(tmp_path):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    for name, data, _ in _cases(tmp_path):
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD)
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--no-progress"])
    assert res.exit_code == 1, res.stdout + res.stderr
    st = runner.invoke(app, ["status", "--db", db, "--format", "json"])
    assert st.exit_code == 0
    data = json.loads(st.stdout)
    names = " ".join(r["name"] for r in data["rejected"])
    for name in ("empty.txt", "image.txt", "huge.txt", "broken.html", "cut.warc", "feed.xml", "lines.jsonl:2"):
        assert name in names
    assert data["counts"]["articles"] >= 3  # good.txt, lines-1, cut-1
    assert data["last_ingest"]["rejected"] >= 9


def test_exit_code_zero_when_all_read(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    res = CliRunner().invoke(app, ["extract", str(tmp_path / "good.txt")])
    assert res.exit_code == 0
    assert res.stderr == ""


@pytest.mark.parametrize("args", [
    ["extract", "--format", "xml", "x.txt"],
    ["ingest", "--db", "nosuchdialect://x/y", "x.txt"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(args, tmp_path):
    (tmp_path / "x.txt").write_text(GOOD)
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2
