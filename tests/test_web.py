"""The web app and JSON API through FastAPI's test client: data, filters, exports, tokens,
upload limits and hostile article markup (fixtures written for these tests)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from trucewatch import api
from trucewatch.web import create_app

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, extractor) -> str:
    db = str(tmp_path_factory.mktemp("web") / "web.db")
    api.ingest([], db=db, meta=FIX / "incidents" / "meta.jsonl", extractor=extractor)
    api.ingest([], db=db, meta=FIX / "xss" / "meta.jsonl", extractor=extractor)
    api.ingest([], db=db, meta=FIX / "pause2023" / "meta.jsonl", extractor=extractor)
    return db


@pytest.fixture()
def client(ledger) -> TestClient:
    return TestClient(create_app(ledger, token="s3cret", max_files=3, max_file_bytes=2000))


def test_api_incidents_filter_paginate_and_export(client):
    everything = client.get("/api/incidents").json()
    assert everything["total"] >= 5
    page = client.get("/api/incidents", params={"limit": 2, "offset": 1}).json()
    assert [i["incident_id"] for i in page["items"]] == [i["incident_id"] for i in everything["items"][1:3]]
    strike = client.get("/api/incidents", params={"place": "Shijaiyah", "type": "attack"}).json()["items"]
    assert strike and {"i-1", "i-2"} <= set(strike[0]["articles"])
    march = client.get("/api/incidents", params={"start": "2024-03-08", "end": "2024-03-31"}).json()["items"]
    assert march and all("2024-03-08" <= i["date_end"] and i["date_start"] <= "2024-03-31" for i in march)
    assert client.get("/api/incidents", params={"start": "yesterday"}).status_code == 422
    csv_text = client.get("/api/incidents.csv", params={"place": "Shujayea"}).text
    assert csv_text.splitlines()[0].startswith("incident_id,type,date") and "Coastal Wire" in csv_text
    geo = client.get("/api/incidents.geojson").json()
    assert geo["type"] == "FeatureCollection"
    assert any(f["properties"]["place_id"] == "shujaiyya" and f["geometry"]["type"] == "Point"
               for f in geo["features"])


def test_api_articles_claims_ceasefire_and_openapi(client):
    got = client.get("/api/articles/i-2").json()
    assert got["record"]["outlet"] == "Coastal Wire" and any(k.startswith("i-2#") for k in got["incidents"])
    assert client.get("/api/articles/nope").status_code == 404
    claims = client.get("/api/claims", params={"speaker": "civil defence"}).json()
    assert claims["total"] >= 1 and all("civil defence" in (c["speaker"] or "").lower()
                                        or "civil defence" in (c["speaker_affiliation"] or "").lower()
                                        for c in claims["items"])
    rep = client.get("/api/ceasefire/GAZA-2023-11-PAUSE").json()
    assert rep["agreement"]["ended"] == "2023-12-01"
    assert client.get("/api/ceasefire/NOPE").status_code == 404
    spec = client.get("/openapi.json").json()
    assert {"/api/incidents", "/api/articles/{article_id}", "/api/claims", "/api/ingest"} <= set(spec["paths"])


@pytest.mark.parametrize("path", ["/incidents", "/incidents?place=Shujayea", "/map", "/ceasefire",
                                  "/ceasefire/GAZA-2023-11-PAUSE", "/articles", "/articles/i-1", "/search?q=strike",
                                  "/upload"])
def test_pages_render_without_scripts(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert "<script" not in r.text.lower()
    assert "script-src" not in r.headers["content-security-policy"]  # default-src 'none' forbids scripts
    assert r.headers["content-security-policy"].startswith("default-src 'none'")


def test_hostile_article_markup_never_reaches_the_page(client):
    for aid in ("x-1", "x-2"):
        html = client.get(f"/articles/{aid}").text
        assert "<script" not in html.lower()
        assert not re.search(r"<[^>]+\son\w+\s*=", html, re.I)  # no event-handler attribute in any tag
        assert "javascript:" not in html.lower()
    literal = client.get("/articles/x-2").text
    assert "&lt;script&gt;alert(" in literal  # typed markup is shown as text
    api_text = client.get("/api/articles/x-2").json()["record"]["text"]
    assert "<script>alert('typed')</script>" in api_text  # the record keeps what was written


def test_article_highlights_claims_figures_and_links(client):
    html = client.get("/articles/i-2").text
    assert re.search(r'<span class="claim sp\d"', html)
    assert 'class="figure"' in html and "/incidents/inc-" in html
    assert re.search(r'title="[^"]*speaker: [^"]*civil defence', html, re.I)


def test_writes_need_a_token(client, ledger):
    files = [("files", ("a.txt", b"Shelling hit Beit Lahia on Monday, medics said.", "text/plain"))]
    assert client.post("/api/ingest", files=files).status_code == 401
    assert client.post("/api/ingest", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/upload", files=files, data={"token": ""}).status_code == 401
    disabled = TestClient(create_app(ledger, token=None))
    assert disabled.post("/api/ingest", files=files, headers={"Authorization": "Bearer s3cret"}).status_code == 403


def test_upload_limits_store_nothing(client):
    before = client.get("/api/articles").json()["total"]
    big = [("files", ("ok.txt", b"Gunfire in Jabalia on Monday wounded two people, medics said.", "text/plain")),
           ("files", ("big.txt", b"x" * 5000, "text/plain"))]
    r = client.post("/api/ingest", files=big, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 413 and "big.txt" in r.json()["detail"]
    many = [("files", (f"{i}.txt", b"Short note about Rafah.", "text/plain")) for i in range(4)]
    assert client.post("/api/ingest", files=many, headers={"Authorization": "Bearer s3cret"}).status_code == 413
    assert client.get("/api/articles").json()["total"] == before


def test_upload_with_token_ingests_and_reports_rejections(client):
    before = client.get("/api/articles").json()["total"]
    files = [("files", ("beit-lahia.txt", b"Shelling hits Beit Lahia\n\nShelling hit Beit Lahia on Monday, "
                                          b"wounding four people, medics said.\n", "text/plain")),
             ("files", ("empty.txt", b"", "text/plain"))]
    r = client.post("/api/ingest", files=files, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] == 1 and body["rejected"] == 1
    assert body["rejections"][0]["name"] == "empty.txt"
    assert client.get("/api/articles").json()["total"] == before + 1
    form = client.post("/upload", files=[("files", ("note.txt", io.BytesIO(b"Strike on Nuseirat camp kills two, "
                                                                          b"medics say.\n").read(), "text/plain"))],
                       data={"token": "s3cret"})
    assert form.status_code == 200 and "1 stored" in form.text


def test_serve_binds_localhost_by_default():
    from typer.main import get_command

    from trucewatch.cli import app

    serve = get_command(app).commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    assert json.dumps(host.default)


def test_upload_extracts_off_the_event_loop(client, monkeypatch):
    """Extraction blocks for seconds: it must run in a worker thread, not in the server's event
    loop (where every other request would wait for it)."""
    import asyncio

    from trucewatch import api as api_module
    from trucewatch.ledger.store import IngestSummary

    seen = []

    def fake_ingest(paths, **kwargs):
        try:
            asyncio.get_running_loop()
            seen.append("event loop")
        except RuntimeError:
            seen.append("worker thread")
        return IngestSummary(database="test")

    monkeypatch.setattr(api_module, "ingest", fake_ingest)
    files = [("files", ("note.txt", b"Gunfire near Rafah on Monday, residents said.\n", "text/plain"))]
    r = client.post("/api/ingest", files=files, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200, r.text
    assert seen == ["worker thread"]


def test_filter_values_are_url_encoded_in_export_and_map_links(client):
    html = client.get("/incidents", params={"type": "attack&x=1", "party": "a b"}).text
    assert "type=attack%26x%3D1" in html and "type=attack&x=1" not in html
    assert "/incidents?place=" in client.get("/map").text
    assert "place=Gaza City" not in client.get("/map").text
