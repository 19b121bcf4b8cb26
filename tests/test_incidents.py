"""Incidents across outlets, over fixture articles written for these tests (fictional outlets):

* i-1 Harbour Post: strike on a Shujayea home, "at least 12" (health ministry);
* i-2 Coastal Wire: the same strike in "Shijaiyah", 9 killed (civil defence);
* i-3 Valley Times: i-2 republished with one paragraph cut (a syndicated copy);
* i-4 Negev Ledger: rockets at Sderot the same day (another incident);
* i-5 Harbour Post, next day: the ministry's toll rises to 15 (an update, not a conflict);
* i-6 Coastal Wire: a strike in Rafah four days later (another incident).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trucewatch import api
from trucewatch.cli import app
from trucewatch.incidents import build_incidents, corroboration, filter_incidents
from trucewatch.incidents.figures import compatible, value_range
from trucewatch.incidents.scoring import score
from trucewatch.incidents.syndication import find_copies
from trucewatch.kb import KnowledgeBase, Outlet

FIX = Path(__file__).parent / "fixtures" / "incidents"


@pytest.fixture(scope="module")
def records(extractor) -> list[dict]:
    return [r.to_json() for res in api.extract([], meta=FIX / "meta.jsonl", extractor=extractor)
            for r in res.records]


@pytest.fixture(scope="module")
def incidents(records) -> list[dict]:
    return build_incidents(records)


def _with(incidents, article):
    return [i for i in incidents if article in i["articles"]]


def _strike(incidents):
    return next(i for i in incidents if {"i-1", "i-2"} <= set(i["articles"]))


def test_one_strike_reported_with_two_spellings_is_one_incident(incidents):
    strike = _strike(incidents)
    assert set(strike["articles"]) == {"i-1", "i-2", "i-3", "i-5"}
    assert strike["type"] == "attack"
    assert "shujaiyya" in strike["place_ids"]
    # The rockets on Sderot the same day and the Rafah strike are incidents of their own.
    assert all("i-4" not in i["articles"] and "i-6" not in i["articles"] for i in [strike])
    assert _with(incidents, "i-4") and _with(incidents, "i-6")
    assert not any({"i-4", "i-6"} & set(i["articles"]) and "i-1" in i["articles"] for i in incidents)


def test_syndicated_copy_is_counted_once(records, incidents):
    assert find_copies(records) == {"i-3": "i-2"}
    corr = _strike(incidents)["corroboration"]
    assert corr["independent_outlets"] == 2
    assert corr["outlets"] == ["Coastal Wire", "Harbour Post"]
    assert corr["syndicated"] == [{"article": "i-3", "copy_of": "i-2"}]
    copy = [f for f in _strike(incidents)["figures"] if f["article"] == "i-3"]
    assert copy and all(f["syndicated_from"] == "i-2" for f in copy)


def test_figure_table_ranges_updates_and_conflicts(incidents):
    strike = _strike(incidents)
    table = {(f["article"], f["count"], f["qualifier"]) for f in strike["figures"]}
    assert ("i-1", 12, "at_least") in table and ("i-2", 9, "exact") in table and ("i-5", 15, "exact") in table
    for f in strike["figures"]:
        assert set(f) >= {"article", "outlet", "status", "count", "count_max", "qualifier", "asserted_by",
                          "published"}
    assert strike["ranges"]["killed"]["max"] == 15
    # The ministry's 12 then 15 is one source updating its toll ...
    ministry = [u for u in strike["updates"] if [s["count"] for s in u["series"]] == [12, 15]]
    assert ministry and ministry[0]["source"] == "gaza-health-ministry"
    # Latest per source and scope: "three of the wounded died" is a part, not the ministry's toll.
    latest = {e["source"]: e["count"] for e in strike["latest"] if e["scope"] == "killed"}
    assert latest["gaza-health-ministry"] == 15
    # ... while the civil defence's 9 conflicts with the ministry's latest figure.
    counts = [c for c in strike["conflicts"] if c["field"] == "count"]
    assert counts and {9, 15} <= {v["count"] for v in counts[0]["values"]}


def test_value_ranges_decide_what_conflicts():
    assert compatible(value_range(20, None, "more_than"), value_range(70, None, "at_least"))
    assert not compatible(value_range(36, None, "exact"), value_range(44, None, "at_least"))
    assert compatible(value_range(29, 44, "exact"), value_range(36, None, "exact"))
    assert compatible(value_range(100, None, "about"), value_range(95, None, "exact"))


def test_place_filter_uses_the_gazetteer_and_its_hierarchy(incidents):
    for name in ("Shujayea", "Shijaiyah", "Gaza City"):
        found = filter_incidents(incidents, place=name)
        assert any({"i-1", "i-2"} <= set(i["articles"]) for i in found), name
    rafah = filter_incidents(incidents, place="Rafah")
    assert rafah and all("i-6" in i["articles"] for i in rafah)
    assert all(date.fromisoformat(i["date_end"]) >= date(2024, 3, 9)
               for i in filter_incidents(incidents, since=date(2024, 3, 9)))


def test_affiliation_groups_independent_outlets():
    kb = KnowledgeBase(outlets={
        "a": Outlet(id="a", name="Alpha News", affiliation="israeli"),
        "b": Outlet(id="b", name="Beta Daily", affiliation="israeli"),
        "c": Outlet(id="c", name="Gamma Voice", affiliation="palestinian"),
    })
    arts = {"x1": {"outlet": "Alpha News"}, "x2": {"outlet": "Beta Daily"}, "x3": {"outlet": "Gamma Voice"},
            "x4": {"outlet": "Delta Times"}}
    corr = corroboration(arts, {"x4": "x3"}, kb)
    assert corr["independent_outlets"] == 3
    assert corr["by_affiliation"] == {"israeli": ["Alpha News", "Beta Daily"], "palestinian": ["Gamma Voice"]}
    assert corr["affiliations"] == 2


def test_incremental_ledger_matches_a_full_rebuild(tmp_path, extractor, db_url):
    db = db_url
    files = {json.loads(line)["id"]: json.loads(line) for line in (FIX / "meta.jsonl").read_text().splitlines()}
    first = tmp_path / "first.jsonl"
    second = tmp_path / "second.jsonl"
    first.write_text("".join(json.dumps({**files[k], "file": str(FIX / files[k]["file"])}) + "\n"
                             for k in ("i-1", "i-4", "i-6")))
    second.write_text("".join(json.dumps({**files[k], "file": str(FIX / files[k]["file"])}) + "\n"
                              for k in ("i-2", "i-3", "i-5")))
    api.ingest([], db=db, meta=first, extractor=extractor)
    before = api.incidents(db)
    assert not any("i-2" in i["articles"] for i in before)
    summary = api.ingest([], db=db, meta=second, extractor=extractor)
    assert summary.incidents["new_articles"] == 3
    incremental = api.incidents(db)
    rebuilt = api.incidents(db, rebuild=True)

    def groups(found):
        return sorted(tuple(i["articles"]) for i in found)

    assert groups(incremental) == groups(rebuilt)
    assert ("i-1", "i-2", "i-3", "i-5") in groups(incremental)
    # The Rafah incident from the first batch was outside the new articles' window: untouched.
    rafah_before = [i["incident_id"] for i in before if "i-6" in i["articles"]]
    assert rafah_before and set(rafah_before) <= {i["incident_id"] for i in incremental}


def test_cli_json_and_table(tmp_path, extractor):
    db = str(tmp_path / "cli.db")
    api.ingest([], db=db, meta=FIX / "meta.jsonl", extractor=extractor)
    runner = CliRunner()
    res = runner.invoke(app, ["incidents", "--db", db, "--format", "json", "--place", "Shijaiyah"])
    assert res.exit_code == 0, res.output
    found = json.loads(res.output)
    assert found and set(found[0]) >= {"incident_id", "type", "date", "places", "articles", "figures", "conflicts"}
    res = runner.invoke(app, ["incidents", "--db", db, "--since", "2024-03-08"])
    assert res.exit_code == 0 and "Rafah" in res.output
    res = runner.invoke(app, ["incidents", "--db", db, "--since", "not-a-date"])
    assert res.exit_code == 2


def test_scorer_counts_article_pairs_and_figures():
    gold = [{"incident_id": "g1", "date": "2024-01-02", "articles": ["a", "b", "c"],
             "figures": [{"article": "a", "status": "killed", "count": 5},
                         {"article": "b", "status": "killed", "count": 7}]},
            {"incident_id": "g2", "date": "2024-01-05", "articles": ["d"], "figures": []}]
    pred = [{"date": "2024-01-02", "date_start": "2024-01-02", "date_end": "2024-01-02", "articles": ["a", "b"],
             "figures": [{"article": "a", "status": "killed", "count": 5}]},
            {"date": "2024-01-02", "date_start": "2024-01-02", "date_end": "2024-01-02", "articles": ["c", "d"],
             "figures": []}]
    s = score(gold, pred)
    assert s["pairwise"]["true_pairs"] == 1 and s["pairwise"]["pred_pairs"] == 2 and s["pairwise"]["gold_pairs"] == 3
    assert s["figures"]["found"] == 1 and s["figures"]["conflicting_total"] == 2


def test_reading_incidents_with_nothing_new_takes_no_write_lock(tmp_path, extractor):
    """The web app asks for a refresh on every read: with nothing pending that is a read only,
    so it goes through while another process holds the ledger's write lock."""
    import sqlite3
    import time

    path = tmp_path / "busy.db"
    api.ingest([], db=str(path), meta=FIX / "meta.jsonl", extractor=extractor)
    before = api.incidents(str(path))
    writer = sqlite3.connect(path, timeout=1, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        t0 = time.perf_counter()
        again = api.incidents(str(path))
        assert time.perf_counter() - t0 < 5
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert [i["incident_id"] for i in again] == [i["incident_id"] for i in before]


def test_filter_by_period_type_and_party(incidents):
    early = filter_incidents(incidents, until=date(2024, 3, 6))
    assert early and not any("i-6" in i["articles"] for i in early)
    attacks = filter_incidents(incidents, type="attack")
    assert attacks and all(i["type"] == "attack" for i in attacks)
    civil = filter_incidents(incidents, party="civil defence")
    assert any({"i-1", "i-2"} <= set(i["articles"]) for i in civil)
    assert not any(i["articles"] == ["i-4"] for i in civil)  # the rockets on Sderot: only the army speaks


def test_ledger_selects_period_and_type_in_sql_as_the_filter_does(tmp_path, extractor):
    from trucewatch.ledger.incidents import incident_types, list_incidents
    from trucewatch.ledger.store import Ledger

    db = str(tmp_path / "sql.db")
    api.ingest([], db=db, meta=FIX / "meta.jsonl", extractor=extractor)
    everything = api.incidents(db)
    engine = Ledger(db).engine
    for since, until, type in ((None, date(2024, 3, 6), None), (date(2024, 3, 6), None, None),
                               (None, None, "attack"), (date(2024, 3, 5), date(2024, 3, 6), "attack")):
        selected = list_incidents(engine, since=since, until=until, type=type)
        expected = filter_incidents(everything, since=since, until=until, type=type)
        assert [i["incident_id"] for i in selected] == [i["incident_id"] for i in expected]
    assert len(list_incidents(engine, until=date(2024, 3, 6))) < len(everything)
    assert incident_types(engine) == sorted({i["type"] for i in everything})


def test_figures_are_written_with_their_qualifier_everywhere():
    from trucewatch.incidents.figures import figure_text

    assert figure_text({"count": 50, "qualifier": "up_to"}) == "\u226450"
    assert figure_text({"count": 9, "qualifier": "at_most"}) == "\u22649"
    assert figure_text({"count": 61, "qualifier": "at_least"}) == "\u226561"
    assert figure_text({"count": 29, "count_max": 44, "qualifier": "exact"}) == "29\u201344"
    assert figure_text({"count": 7, "qualifier": None}) == "7"


def test_a_full_rebuild_reports_no_replaced_revisions_when_none_were(tmp_path, extractor):
    from trucewatch.ledger.incidents import refresh
    from trucewatch.ledger.store import Ledger

    db = str(tmp_path / "stats.db")
    api.ingest([], db=db, meta=FIX / "meta.jsonl", extractor=extractor)
    ledger = Ledger(db)
    try:
        stats = refresh(ledger.engine, full=True)
    finally:
        ledger.close()
    assert stats.replaced_revisions == 0 and stats.new_articles > 0
