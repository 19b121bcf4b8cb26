"""Incidents an analyst can trust on real coverage: one test per failure seen on real articles,
over article records written for these tests (``fixtures/coverage/*.yaml``, fictional outlets
except where recognising a real outlet is the point).

The records are given as the extraction writes them, so the incident layer is tested on its
own; evidence spans are found from a quoted piece of the text.  Some records give the coming
fields (``modality``, ``target``), others do not: both shapes must work.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from trucewatch.incidents import build_all
from trucewatch.kb import load_kb

FIX = Path(__file__).parent / "fixtures" / "coverage"


def _span(text: str, quote: str, nth: int = 0) -> list[int]:
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    found = list(re.finditer(pattern, text))
    assert len(found) > nth, f"quote not in text: {quote!r}"
    return [found[nth].start(), found[nth].end()]


def load(name: str) -> list[dict]:
    """Records of a fixture file: ``title`` and ``body`` make the text; every item's ``quote``
    becomes its evidence (a claim's its content span)."""
    records = []
    for row in yaml.safe_load((FIX / name).read_text(encoding="utf-8")):
        text = row["title"] + "\n\n" + row["body"]
        rec = {"schema": "trucewatch/article@1", "id": row["id"], "outlet": row.get("outlet"),
               "url": row.get("url"), "published": row["published"], "title": row["title"], "text": text,
               "claims": [], "events": [], "casualties": [], "places": [], "times": []}
        for c in row.get("claims") or []:
            c = dict(c)
            span = _span(text, c.pop("quote"), c.pop("nth", 0))
            rec["claims"].append({"cue": "said", "mode": "indirect", "channel": None, **c,
                                  "content": text[span[0]:span[1]], "content_span": span})
        for key in ("events", "casualties"):
            for item in row.get(key) or []:
                item = dict(item)
                span = _span(text, item.pop("quote"), item.pop("nth", 0))
                if key == "casualties":
                    item.setdefault("qualifier", "exact")
                    item.setdefault("count_max", None)
                item.setdefault("asserted_by", "author")
                rec[key].append({**item, "evidence": span})
        records.append(rec)
    return records


def built(*names: str) -> dict:
    return build_all([r for n in names for r in load(n)])


def _with(incidents: list[dict], *articles: str) -> list[dict]:
    return [i for i in incidents if set(articles) <= set(i["articles"])]


def _counts(conflicts: list[dict]) -> list[dict]:
    return [c for c in conflicts if c["field"] == "count"]


# ---------------------------------------------------------------- false conflicts

def test_soldiers_killed_are_not_set_against_the_palestinian_toll():
    strike = _with(built("scopes.yaml")["incidents"], "cov-s1", "cov-s2", "cov-s3")
    assert len(strike) == 1
    strike = strike[0]
    counts = _counts(strike["conflicts"])
    assert not [v for c in counts for v in c["values"] if v["count"] == 2]
    soldiers = [f for f in strike["figures"] if f["count"] == 2]
    assert soldiers and soldiers[0]["scope"] != "killed"  # listed, with what sets it apart
    # The real disagreement (40 against at least 55) is still a conflict, the soldiers are in none.
    assert [c["scope"] for c in counts] == ["killed"]
    assert {v["count"] for v in counts[0]["values"]} == {40, 55}
    assert strike["ranges"]["killed"] == {"min": 40, "max": 55}


def test_a_territory_wide_toll_is_not_a_version_of_one_locality_s_toll():
    strike = _with(built("scopes.yaml")["incidents"], "cov-s4", "cov-s5")
    assert len(strike) == 1
    strike = strike[0]
    assert {f["count"] for f in strike["figures"]} >= {1, 28}
    assert not _counts(strike["conflicts"])
    assert strike["ranges"]["killed"] == {"min": 1, "max": 1}


# ---------------------------------------------------------------- over-merging, accusations

def test_allegations_of_one_day_at_different_places_stay_apart():
    incidents = built("allegations.yaml")["incidents"]
    khan_younis = [i for i in incidents if "Khan Younis" in i["places"]]
    rafah = [i for i in incidents if "Rafah" in i["places"]]
    assert len(khan_younis) == 1 and len(rafah) == 1
    assert khan_younis[0]["incident_id"] != rafah[0]["incident_id"]
    assert khan_younis[0]["places"] == ["Khan Younis"] and rafah[0]["places"] == ["Rafah"]
    # The wire's "each accused the other" names no place: it joins neither.
    wire = _with(incidents, "cov-v3")
    assert len(wire) == 1 and set(wire[0]["articles"]) == {"cov-v3"}


def test_mutual_accusations_are_one_disputed_incident_with_two_allegations():
    incidents = built("allegations.yaml")["incidents"]
    both = _with(incidents, "cov-v4", "cov-v5")
    assert len(both) == 1
    inc = both[0]
    assert not [c for c in inc["conflicts"] if c["field"] == "actor"]
    assert inc["disputed"] is True
    pairs = {(a["accuser_key"], a["accused_key"]) for a in inc["allegations"]}
    assert pairs == {("israel", "hamas"), ("hamas", "israel")}
    assert all(a["mutual"] and a["accuser"] for a in inc["allegations"])
    # The wire story of mutual accusations is disputed too, with each accuser named.
    wire = _with(incidents, "cov-v3")[0]
    assert wire["disputed"] and {a["accuser"] for a in wire["allegations"]} == {"Israel", "Hamas"}


# ---------------------------------------------------------------- denials

def test_a_denial_is_a_counter_claim_on_the_incident_it_denies():
    incidents = built("denials.yaml")["incidents"]
    shooting = _with(incidents, "cov-d1")
    assert len(shooting) == 1
    shooting = shooting[0]
    # Both denials - one from a record with modalities, one from a record without - attach.
    assert {"cov-d2", "cov-d3"} <= set(shooting["articles"])
    assert {d["article"] for d in shooting["denied_by"]} == {"cov-d2", "cov-d3"}
    assert {d["denier"] for d in shooting["denied_by"]} == {"Hamas", "The Qassam Brigades"}
    # A denial is not a report of the shooting, nor corroboration of it.
    assert {e["article"] for e in shooting["events"]} == {"cov-d1"}
    assert shooting["corroboration"]["independent_outlets"] == 1
    assert shooting["sources"]["independent"] == 1 and shooting["sources"]["known_sides"] == ["israel"]
    assert len(incidents) == 1
    # a denier is involved in the incident it denies
    from trucewatch.incidents import filter_incidents

    assert filter_incidents(incidents, party="Qassam Brigades") == incidents


# ---------------------------------------------------------------- running totals

def test_a_running_total_never_sits_in_the_day_s_incident():
    out = built("tolls.yaml")
    strike = _with(out["incidents"], "cov-t1")
    assert len(strike) == 1
    strike = strike[0]
    assert strike["ranges"] == {"killed": {"min": 12, "max": 12}}
    assert all(f["count"] != 47035 for f in strike["figures"])
    series = [s for s in out["series"] if "cov-t1" in s["articles"]]
    assert len(series) == 1 and series[0]["latest"]["count"] == 47035
    assert series[0]["scope"]["since"] == "2023-10-07" and series[0]["source"]["key"] == "gaza-health-ministry"
    # The incident links to the series its article reports.
    assert [x["series_id"] for x in strike["toll_series"]] == [series[0]["series_id"]]


def test_a_total_since_the_ceasefire_is_no_attack_on_the_day_it_began():
    out = built("tolls.yaml")
    assert not _with(out["incidents"], "cov-t2")
    assert not [i for i in out["incidents"] if i["date_start"] == "2025-10-10"]
    since = [s for s in out["series"] if "cov-t2" in s["articles"]]
    assert len(since) == 1
    assert since[0]["scope"]["since"] == "2025-10-10" and since[0]["readings"][0]["as_of"] == "2025-10-20"


def test_series_are_per_source_and_scope_and_flag_a_falling_total():
    kb = load_kb()
    from trucewatch.incidents.mentions import mentions_from_record
    from trucewatch.incidents.tolls import build_series, readings_of

    base = load("tolls.yaml")[0]
    later = {**base, "id": "cov-t1b", "published": "2025-01-20",
             "casualties": [{**base["casualties"][1], "count": 46900, "date": "2023-10-07/2025-01-19"}]}
    other = {**base, "id": "cov-t1c", "published": "2025-01-20",
             "casualties": [{**base["casualties"][1], "asserted_by": "the Government Media Office in Gaza",
                             "date": "2023-10-07/2025-01-19"}]}
    readings = readings_of([m for r in (base, later, other) for m in mentions_from_record(r, kb)], kb, {})
    series = build_series(readings)
    assert len(series) == 2 and len({s["scope_id"] for s in series}) == 1
    ministry = next(s for s in series if s["source"]["key"] == "gaza-health-ministry")
    assert [r["count"] for r in ministry["readings"]] == [47035, 46900]
    assert ministry["revisions"] and ministry["revisions"][0]["to"] == 46900


# ---------------------------------------------------------------- splits

def test_a_headline_figure_and_per_hospital_tallies_belong_to_the_strike():
    incidents = built("splits.yaml")["incidents"]
    assert len(incidents) == 1
    strike = incidents[0]
    assert sorted(f["count"] for f in strike["figures"]) == [15, 20, 25, 60, 60]
    assert strike["type"] == "attack" and strike["places"] == ["Khan Younis"]
    # The tallies are parts of the 60, listed with where the dead were taken: no conflict.
    assert not _counts(strike["conflicts"])
    assert {f["scope"] for f in strike["figures"] if f["count"] < 60} == {
        "killed people brought to al-Shifa hospital", "killed people brought to Nasser hospital",
        "killed people brought to al-Aqsa Martyrs hospital"}


# ---------------------------------------------------------------- independence

def test_corroboration_counts_primary_sources_and_their_sides_not_outlets():
    strike = built("sources.yaml")["incidents"]
    assert len(strike) == 1
    strike = strike[0]
    corr, sources = strike["corroboration"], strike["sources"]
    assert corr["independent_outlets"] == 4
    # The ministry, the media office and the civil defence all answer to one authority in Gaza.
    assert sources["independent"] == 1 and corr["primary_sources"] == 1
    assert corr["sides"] == ["palestinian"] and sources["known_sides"] == ["palestinian"]
    assert {p["key"] for p in sources["primary"]} == {"gaza-health-ministry", "gaza-gmo", "gaza-civil-defence"}
    # Real outlets are recognised by name or by the article's web address; others are unknown.
    kb_ids = {o: (e or {}).get("id") for o, e in corr["outlet_kb"].items()}
    assert kb_ids["AP News"] == "ap" and kb_ids["CNN"] == "cnn" and kb_ids["Xinhua"] == "xinhua"
    assert corr["unknown_outlets"] == ["Kiosk Gazette"]


def test_a_quoted_outlet_and_what_it_cites_make_the_chain():
    from trucewatch.incidents.sources import chain, resolve

    kb = load_kb()
    sentence = "Al Jazeera reported, citing the civil defence, that five people were killed."
    assert chain(kb, "Al Jazeera", [], (0, 10), sentence) == ("Al Jazeera", "the civil defence")
    assert resolve(kb, "Al Jazeera").kind == "outlet"
    assert resolve(kb, "the civil defence").authority == "hamas"
    assert chain(kb, "author", [], (0, 10), sentence) == ()
    # Nothing is guessed for a name the KB does not know: its own authority, no side.
    unknown = resolve(kb, "a local rescue team")
    assert unknown.kind == "unresolved" and unknown.side is None


@pytest.mark.parametrize("name,url,expected", [
    ("To Vima", None, "to-vima"),
    (None, "https://www.tovima.com/politics/article-1/", "to-vima"),
    ("Associated Press", None, "ap"),
    (None, "https://english.news.cn/20250101/abc/c.html", "xinhua"),
    (None, "https://english.almayadeen.net/news/politics/x", "al-mayadeen"),
    (None, "https://www.lbcgroup.tv/news/12345/en", "lbci"),
    (None, "https://edition.cnn.com/2025/01/01/middleeast/x", "cnn"),
    ("Kiosk Gazette", "https://kiosk-gazette.example/x", None),
])
def test_real_outlets_are_known_by_name_or_web_address(name, url, expected):
    entry = load_kb().outlet(name, url)
    assert (entry.id if entry else None) == expected


# ---------------------------------------------------------------- ledger, CLI, API, web

def store(db: str, *names: str) -> None:
    """Store fixture records as the ingest would (the model fills ``modality`` in, so a record
    without one reads as asserted; the old-record denial of cov-d3 stays out of the ledger)."""
    from trucewatch.ledger.store import Ledger
    from trucewatch.models import ArticleRecord, SourceDocument

    ledger = Ledger(db)
    try:
        for name in names:
            for rec in load(name):
                if rec["id"] == "cov-d3":
                    continue
                model = ArticleRecord.model_validate(rec)
                doc = SourceDocument(name=f"{rec['id']}.json", data=rec["text"].encode(), kind="text",
                                     base_id=rec["id"])
                ledger.store_document(doc, [model])
    finally:
        ledger.close()


FILES = ("scopes.yaml", "allegations.yaml", "denials.yaml", "tolls.yaml", "sources.yaml")


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("coverage") / "ledger.db")
    store(db, *FILES)
    return db


def test_the_ledger_keeps_toll_series_apart_and_matches_a_full_rebuild(db_url):
    from trucewatch import api

    ledger_db = db_url
    store(ledger_db, *FILES)

    found = api.incidents(ledger_db)
    series = api.toll_series(ledger_db)
    assert not [i for i in found if any(f["count"] in (47035, 97) for f in i["figures"])]
    assert {s["latest"]["count"] for s in series} == {47035, 97}
    strike = next(i for i in found if "cov-t1" in i["articles"])
    assert [t["series_id"] for t in strike["toll_series"]] == [
        s["series_id"] for s in series if "cov-t1" in s["articles"]]
    shooting = next(i for i in found if "cov-d1" in i["articles"])
    assert [d["article"] for d in shooting["denied_by"]] == ["cov-d2"]
    # the same as building from the stored records, and as a full rebuild
    from trucewatch.ledger.store import Ledger

    ledger = Ledger(ledger_db)
    try:
        direct = build_all(ledger.latest_records())
    finally:
        ledger.close()
    assert sorted(tuple(i["articles"]) for i in found) == sorted(tuple(i["articles"]) for i in direct["incidents"])
    assert [s["series_id"] for s in series] == [s["series_id"] for s in direct["series"]]
    rebuilt = api.incidents(ledger_db, rebuild=True)
    assert sorted(i["incident_id"] for i in rebuilt) == sorted(i["incident_id"] for i in found)
    assert api.toll_series(ledger_db, series_id=series[0]["series_id"])[0]["readings"] == series[0]["readings"]
    assert not api.toll_series(ledger_db, since=date(2025, 11, 1))


def test_cli_shows_sources_disputes_denials_and_toll_series(ledger_db):
    import json

    from typer.testing import CliRunner

    from trucewatch.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["incidents", "--db", ledger_db, "--detail"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "disputed" in res.output and "denied by Hamas" in res.output
    assert "1 src (palestinian)" in res.output  # one independent primary source, its side
    assert "allegation: Hamas accuses Israel" in res.output
    assert "toll series toll-" in res.output
    res = runner.invoke(app, ["tolls", "--db", ledger_db], env={"COLUMNS": "250"})
    assert res.exit_code == 0 and "47035" in res.output and "since 2025-10-10" in res.output
    res = runner.invoke(app, ["tolls", "--db", ledger_db, "--format", "json"])
    series = json.loads(res.output)
    res = runner.invoke(app, ["tolls", "--db", ledger_db, "--series", series[0]["series_id"]],
                        env={"COLUMNS": "250"})
    assert res.exit_code == 0 and "cov-t" in res.output
    assert runner.invoke(app, ["tolls", "--db", ledger_db, "--since", "soon"]).exit_code == 2


def test_api_and_web_show_sources_disputes_denials_and_toll_series(ledger_db):
    from fastapi.testclient import TestClient

    from trucewatch.web.app import create_app

    client = TestClient(create_app(ledger_db))
    items = client.get("/api/incidents", params={"limit": 500}).json()["items"]
    shooting = next(i for i in items if "cov-d1" in i["articles"])
    assert shooting["denied_by"][0]["denier"] == "Hamas"
    tolls = client.get("/api/tolls").json()
    assert tolls["total"] == 2
    one = client.get(f"/api/tolls/{tolls['items'][0]['series_id']}").json()
    assert one["readings"]
    assert client.get("/api/tolls/toll-nothing").status_code == 404
    html = client.get("/incidents").text
    assert "disputed" in html and "denied by Hamas" in html and 'href="/tolls/toll-' in html
    assert "independent primary source(s) (palestinian)" in html
    page = client.get(f"/incidents/{shooting['incident_id']}").text
    assert "Denied by" in page and "Hamas denied on Wednesday" in page and "Sources" in page
    disputed = next(i for i in items if i["disputed"] and "cov-v4" in i["articles"])
    page = client.get(f"/incidents/{disputed['incident_id']}").text
    assert "Allegations" in page and "each accuses the other" in page
    assert "47035" in client.get("/tolls").text.replace(",", "")
    assert "cov-t1" in client.get(f"/tolls/{one['series_id']}").text
    khan_younis = next(i for i in items if {"cov-s1", "cov-s3"} <= set(i["articles"]))
    page = client.get(f"/incidents/{khan_younis['incident_id']}").text
    rows = re.findall(r'<tr class="(conflict|)">(.*?)</tr>', page, re.S)
    hot = [re.search(r'class="num">([^<]*)<', r).group(1) for c, r in rows if c]
    assert sorted(hot) == ["40", "40", "\u226555"]  # the soldiers' 2 counts something else
    csv_text = client.get("/api/incidents.csv").text
    assert csv_text.splitlines()[0].endswith("scope,primary_sources,sides,disputed,denied_by")


def test_a_bare_noun_source_is_the_one_the_article_named_before():
    """"The ministry said" after "Gaza's health ministry said" is the same source, not a second
    independent one; a bare noun that could be several stays as written."""
    from trucewatch.incidents.sources import back_reference

    kb = load_kb()
    named = ["Gaza's health ministry", "the Israeli army"]
    assert back_reference(kb, "the ministry", named) == "Gaza's health ministry"
    assert back_reference(kb, "army", named) == "the Israeli army"
    assert back_reference(kb, "officials", named) is None
    assert back_reference(kb, "the ministry", ["Gaza's health ministry", "Israel's foreign ministry"]) is None
    recs = load("sources.yaml")[:1]
    recs[0]["casualties"].append({**recs[0]["casualties"][0], "asserted_by": "the ministry", "count": 21})
    strike = build_all(recs)["incidents"][0]
    assert strike["sources"]["independent"] == 1
    assert [p["key"] for p in strike["sources"]["primary"]] == ["gaza-health-ministry"]


def test_planned_and_conditional_items_are_no_reports_of_what_happened():
    incidents = built("modalities.yaml")["incidents"]
    release = [i for i in incidents if i["group"] == "exchange" and i["date"] == "2025-02-08"]
    assert len(release) == 1 and set(release[0]["articles"]) == {"cov-m1", "cov-m2"}
    assert all(e["modality"] == "asserted" for e in release[0]["events"])
    assert [f["count"] for f in release[0]["figures"]] == [3, 3]
    planned = [i for i in incidents if i["date"] == "2025-02-15"]
    assert len(planned) == 1 and {e["modality"] for e in planned[0]["events"]} == {"planned"}
    assert [f["scope"] for f in planned[0]["figures"]] == ["released captive in Deir al-Balah (planned)"]
    assert not [i for i in incidents if i["group"] == "violence"]  # the threat made no incident
    # The actor the agreement implies is no source's attribution: no actor conflict.
    assert not [c for c in release[0]["conflicts"] if c["field"] == "actor"]


def test_a_ledger_from_before_toll_series_is_rebuilt_by_the_migration(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, inspect, select

    from trucewatch import api
    from trucewatch.ledger import tables as t
    from trucewatch.ledger.db import _alembic_config

    db = str(tmp_path / "old.db")
    store(db, "scopes.yaml", "tolls.yaml")
    before = api.incidents(db)
    engine = create_engine(f"sqlite:///{db}")
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert "toll_readings" not in inspect(engine).get_table_names()
    with engine.connect() as conn:  # a ledger as 0002 left it: its incidents were built
        assert conn.execute(select(t.incidents.c.incident_id)).first() is None
    engine.dispose()
    after = api.incidents(db)  # opening it upgrades; the refresh rebuilds every incident
    assert sorted(i["incident_id"] for i in after) == sorted(i["incident_id"] for i in before)
    assert {s["latest"]["count"] for s in api.toll_series(db)} == {47035, 97}


def test_a_headline_in_the_outlet_s_voice_restates_the_source_its_body_names():
    """"Strike kills 60" over "60 were killed, the ministry said" is the ministry's figure once,
    not a second source (whose 60 would stand in every count conflict as the outlet's own)."""
    rec = load("splits.yaml")[0]
    rec["casualties"][0] = {**rec["casualties"][0], "asserted_by": "author", "place": "Khan Younis"}
    strike = build_all([rec])["incidents"][0]
    latest = [e for e in strike["latest"] if e["scope"] == "killed"]
    assert [e["source"] for e in latest] == ["gaza-health-ministry"]


def test_one_article_s_two_sources_can_disagree_but_its_own_total_is_no_version_of_a_part():
    incidents = built("scopes.yaml")["incidents"]
    strike = next(i for i in incidents if "cov-s6" in i["articles"] and i["type"] == "attack")
    counts = _counts(strike["conflicts"])
    assert len(counts) == 1 and {v["count"] for v in counts[0]["values"]} == {36, 44}
    freed = next(i for i in incidents if "cov-s6" in i["articles"] and i["type"] == "exchange")
    assert not _counts(freed["conflicts"])
