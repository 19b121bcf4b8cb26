"""Agreements data and the ceasefire ledger report, over fixture articles written for the test."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from trucewatch import api, report
from trucewatch.agreements import in_force_on, load_agreements
from trucewatch.cli import app

FIX = Path(__file__).parent / "fixtures" / "pause2023"


def test_agreements_are_data_with_provisions_and_verification():
    ags = load_agreements()
    assert {"GAZA-2023-11-PAUSE", "GAZA-2025-01-CF", "GAZA-2025-10-PLAN"} <= set(ags)
    pause = ags["GAZA-2023-11-PAUSE"]
    assert pause.in_force == date(2023, 11, 24) and pause.ended == date(2023, 12, 1)
    assert pause.parties == ("Israel", "Hamas")
    aid = next(p for p in pause.provisions if p.category == "humanitarian_aid")
    assert aid.quantities["trucks_per_day"] == 200 and aid.sources
    jan = ags["GAZA-2025-01-CF"]
    assert any(not p.verified for p in jan.provisions)  # leaked or one-sided terms are flagged
    assert in_force_on(date(2025, 2, 1)).id == "GAZA-2025-01-CF"
    assert in_force_on(date(2024, 6, 1)) is None


def _report(tmp_path):
    db = str(tmp_path / "cf.db")
    api.ingest([], db=db, meta=FIX / "meta.jsonl")
    return db, api.ceasefire_report("GAZA-2023-11-PAUSE", db)


def test_report_shows_end_accusations_of_both_sides_and_tolls(tmp_path):
    db, rep = _report(tmp_path)
    ends = [t for t in rep["timeline"] if t["kind"] == "ended" and t["date"] == "2023-12-01"]
    assert ends and ends[0]["from_agreement"] and ends[0]["reports"]
    accused = rep["violations"]["by_accused"]
    assert "Israel" in accused and "Hamas" in accused
    accusers = rep["violations"]["by_accuser"]
    assert "Hamas" in accusers and "Israel" in accusers
    toll = [t for t in rep["tolls"] if t["count"] == 32]
    assert toll and toll[0]["status"] == "killed" and "health ministry" in toll[0]["asserted_by"]
    assert toll[0]["outlet"] == "Harbour Post"
    assert rep["exchanges"]["captives"]["per_day"]["2023-11-24"] == 13
    assert rep["exchanges"]["prisoners"]["agreed"] == 150


def test_cli_formats(tmp_path):
    db, _ = _report(tmp_path)
    runner = CliRunner()
    md = runner.invoke(app, ["ceasefire", "GAZA-2023-11-PAUSE", "--db", db])
    assert md.exit_code == 0 and "## Alleged violations" in md.stdout and "2023-12-01" in md.stdout
    js = runner.invoke(app, ["ceasefire", "GAZA-2023-11-PAUSE", "--db", db, "--format", "json"])
    assert json.loads(js.stdout)["agreement"]["id"] == "GAZA-2023-11-PAUSE"
    page = runner.invoke(app, ["ceasefire", "GAZA-2023-11-PAUSE", "--db", db, "--format", "html"])
    assert page.stdout.startswith("<!doctype html>") and "<script" not in page.stdout
    bad = runner.invoke(app, ["ceasefire", "NO-SUCH", "--db", db])
    assert bad.exit_code == 2


def test_markdown_escapes_nothing_and_html_escapes_article_text():
    rep = {"agreement": {"id": "X", "name": "<b>n</b>", "parties": ["A"], "mediators": [], "in_force": "2023-01-01",
                         "ended": None, "notes": None}, "articles": 0, "timeline": [], "provisions": [],
           "violations": {"items": [], "by_accused": {}, "by_accuser": {}}, "exchanges": {}, "tolls": []}
    assert "<b>n</b>" in report.markdown(rep)
    assert "&lt;b&gt;n&lt;/b&gt;" in report.html_page(rep)


def test_every_taxonomy_subtype_maps_to_acled_and_plover():
    from trucewatch.mappings import map_event
    from trucewatch.models import EVENT_TAXONOMY

    for etype, subs in EVENT_TAXONOMY.items():
        for sub in subs:
            assert map_event(etype, sub) is not None, (etype, sub)
    m = map_event("attack", "airstrike")
    assert (m.acled_event_type, m.acled_sub_event_type, m.plover) == (
        "Explosions/Remote violence", "Air/drone strike", "ASSAULT")
    assert map_event("exchange", "prisoner_release").plover == "CONCEDE"
