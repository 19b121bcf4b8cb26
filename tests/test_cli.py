"""The command line: output formats, exit codes, status."""

import json

from typer.testing import CliRunner

from trucewatch import __version__
from trucewatch.cli import app

from .conftest import EXAMPLES, FIXTURES

runner = CliRunner()


def test_extract_jsonl_and_json_agree():
    src = str(FIXTURES / "plain" / "convoy.txt")
    jl = runner.invoke(app, ["extract", src, "--format", "jsonl"])
    js = runner.invoke(app, ["extract", src, "--format", "json"])
    assert jl.exit_code == js.exit_code == 0
    lines = [json.loads(ln) for ln in jl.stdout.splitlines()]
    assert lines == json.loads(js.stdout)
    assert lines[0]["schema"] == "trucewatch/article@1"


def test_extract_with_sidecar_only():
    res = runner.invoke(app, ["extract", "--meta", str(EXAMPLES / "meta.jsonl")])
    assert res.exit_code == 0
    ids = [json.loads(ln)["id"] for ln in res.stdout.splitlines()]
    assert ids == ["harbour-post-2025-01-19", "al-nahar-times-2025-01-20", "northwind-live-1", "northwind-live-2"]


def test_extract_reads_stdin():
    res = runner.invoke(app, ["extract", "-"], input="Headline\n\nGAZA (Harbour Post) - Body.\n")
    assert res.exit_code == 0
    rec = json.loads(res.stdout)
    assert rec["id"] == "stdin" and rec["dateline"]["agency"] == "Harbour Post"


def test_extract_without_input_is_a_usage_error():
    res = runner.invoke(app, ["extract"])
    assert res.exit_code == 2
    assert "no input" in res.stderr


def test_ingest_prints_summary_and_database(tmp_path):
    db = tmp_path / "demo.db"
    res = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db), "--no-progress"])
    assert res.exit_code == 0, res.stderr
    for word in ("articles", "outlets", "claims", "events", "casualty figures"):
        assert word in res.stdout
    assert str(db) in res.stdout.replace("\n", "")


def test_status_json(tmp_path):
    db = str(tmp_path / "s.db")
    runner.invoke(app, ["ingest", str(FIXTURES / "plain"), "--db", db, "--no-progress", "--no-nlp"])
    res = runner.invoke(app, ["status", "--db", db, "--format", "json"])
    assert res.exit_code == 0
    st = json.loads(res.stdout)
    assert st["counts"]["articles"] == 2
    assert st["last_ingest"]["documents"] == 2
    table = runner.invoke(app, ["status", "--db", db])
    assert "last ingest" in table.stdout


def test_version_and_schema():
    assert __version__ in runner.invoke(app, ["--version"]).stdout
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert schema["properties"]["schema"]["const"] == "trucewatch/article@1"
