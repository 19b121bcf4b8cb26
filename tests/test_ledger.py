"""The ledger: idempotent ingest, revisions, atomic documents, surviving a kill -9."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from trucewatch import api
from trucewatch.ledger import tables as t
from trucewatch.ledger.db import head_revision
from trucewatch.ledger.store import Ledger

from .conftest import EXAMPLES, FIXTURES, article_html


def _count(ledger, table):
    with ledger.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_reingest_changes_nothing(tmp_path, db_url, extractor):
    db = db_url
    first = api.ingest([str(EXAMPLES)], db=db, extractor=extractor)
    assert first.rejected == 0 and first.stored == 5 and first.new_revisions == 6
    ledger = Ledger(db)
    before = {tb.name: _count(ledger, tb) for tb in (t.documents, t.articles, t.claims, t.places, t.times)}
    again = api.ingest([str(EXAMPLES)], db=db, extractor=extractor)
    assert (again.stored, again.skipped, again.new_revisions) == (0, 5, 0)
    after = {tb.name: _count(ledger, tb) for tb in (t.documents, t.articles, t.claims, t.places, t.times)}
    assert before == after
    assert _count(ledger, t.ingest_runs) == 2


def test_changed_version_of_same_url_is_a_new_revision(tmp_path, db_url, bare):
    db = db_url
    page = tmp_path / "page.html"
    page.write_text(article_html("Truce holds", ["The truce held overnight, officials said."]).replace(
        "</head>", "<link rel='canonical' href='https://hp.example/truce'></head>"))
    api.ingest([str(page)], db=db, extractor=bare)
    page.write_text(page.read_text().replace("held overnight", "held for a second night"))
    out = api.ingest([str(page)], db=db, extractor=bare)
    assert out.new_revisions == 1
    ledger = Ledger(db)
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(t.articles.c.revision, t.articles.c.article_key)
                            .order_by(t.articles.c.revision)).all()
    assert [(r.revision, r.article_key) for r in rows] == [(1, "https://hp.example/truce"),
                                                          (2, "https://hp.example/truce")]
    assert ledger.status()["counts"]["articles"] == 1
    assert ledger.status()["counts"]["revisions"] == 2
    assert "second night" in ledger.latest_records()[0]["text"]


def test_same_article_in_new_bytes_is_not_a_new_revision(tmp_path, db_url, bare):
    db = db_url
    a = tmp_path / "a.txt"
    a.write_text("Headline\n\nBody of the story.\n")
    api.ingest([str(a)], db=db, extractor=bare)
    # same text, other id through a sidecar... same key (id) and same content: nothing new
    a.write_text("Headline\n\nBody of the story.\n")
    out = api.ingest([str(a)], db=db, extractor=bare)
    assert out.skipped == 1


def test_raw_bytes_are_kept(tmp_path, db_url, bare):
    db = db_url
    src = FIXTURES / "html" / "story.html"
    api.ingest([str(src)], db=db, extractor=bare)
    ledger = Ledger(db)
    with ledger.engine.connect() as conn:
        raw = conn.execute(select(t.documents.c.raw)).scalar()
    assert raw == src.read_bytes()


def test_rejected_bytes_are_kept_too(tmp_path, db_url, bare):
    db = db_url
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = api.ingest([str(bad)], db=db, extractor=bare)
    assert out.rejected == 1
    ledger = Ledger(db)
    with ledger.engine.connect() as conn:
        row = conn.execute(select(t.documents.c.raw, t.documents.c.status)).one()
    assert row.raw == b"\x00\x01binary" and row.status == "rejected"


def test_each_document_is_its_own_transaction(tmp_path, db_url, bare, monkeypatch):
    db = db_url
    for i in range(6):
        (tmp_path / f"doc{i}.txt").write_text(f"Headline {i}\n\nBody number {i} of the batch.\n")
    calls = {"n": 0}
    original = Ledger._store_items

    def failing(conn, pk, rec):
        calls["n"] += 1
        if calls["n"] == 4:
            raise RuntimeError("disk on fire")
        return original(conn, pk, rec)

    monkeypatch.setattr(Ledger, "_store_items", staticmethod(failing))
    with pytest.raises(RuntimeError):
        api.ingest([str(tmp_path)], db=db, extractor=bare)
    ledger = Ledger(db)
    assert _count(ledger, t.documents) == 3  # the fourth rolled back whole
    assert _count(ledger, t.articles) == 3
    monkeypatch.setattr(Ledger, "_store_items", staticmethod(original))
    out = api.ingest([str(tmp_path)], db=db, extractor=bare)
    assert (out.skipped, out.stored) == (3, 3)
    assert _count(ledger, t.documents) == 6 and _count(ledger, t.articles) == 6


def test_sqlite_is_in_wal_mode_and_schema_is_versioned(tmp_path, bare):
    path = tmp_path / "l.db"
    api.ingest([str(FIXTURES / "plain" / "convoy.txt")], db=f"sqlite:///{path}", extractor=bare)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


def test_plain_path_and_env_select_the_database(tmp_path, bare, monkeypatch):
    monkeypatch.setenv("TRUCEWATCH_DB", str(tmp_path / "env.db"))
    api.ingest([str(FIXTURES / "plain" / "convoy.txt")], extractor=bare)
    assert (tmp_path / "env.db").exists()
    api.ingest([str(FIXTURES / "plain" / "convoy.txt")], db=str(tmp_path / "plain.db"), extractor=bare)
    assert (tmp_path / "plain.db").exists()


def test_items_are_queryable_with_spans(tmp_path, db_url, extractor):
    db = db_url
    api.ingest([str(EXAMPLES)], db=db, extractor=extractor)
    ledger = Ledger(db)
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(t.places.c.mention, t.places.c.span_start, t.places.c.span_end,
                                   t.articles.c.record).join(t.articles)).all()
    assert rows
    for mention, s, e, record in rows:
        assert record["text"][s:e] == mention


def _ledger_counts(db: str) -> tuple[int, ...]:
    """documents, distinct hashes, articles, distinct keys, documents without an article."""
    from sqlalchemy import create_engine, text

    from trucewatch.ledger.db import resolve_url

    eng = create_engine(resolve_url(db))
    try:
        with eng.connect() as conn:
            docs, distinct = conn.execute(text("SELECT count(*), count(DISTINCT sha256) FROM documents")).one()
            arts, keys = conn.execute(text("SELECT count(*), count(DISTINCT article_key) FROM articles")).one()
            orphans = conn.execute(text("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                                        "(SELECT 1 FROM articles a WHERE a.document_id = d.id)")).scalar()
        return docs, distinct, arts, keys, orphans
    finally:
        eng.dispose()


def _stored(db: str) -> int:
    try:
        return _ledger_counts(db)[0]
    except Exception:  # the schema may not exist yet
        return 0


def _corpus(tmp_path, n: int):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"a{i:05d}.txt").write_text(f"Headline {i}\n\nBody of article {i}, with some words in it.\n")
    return corpus


@pytest.mark.slow
def test_kill_minus_nine_then_rerun_stores_each_document_once(tmp_path, db_url):
    n = 1500
    corpus = _corpus(tmp_path, n)
    cmd = [sys.executable, "-m", "trucewatch.cli", "ingest", str(corpus), "--db", db_url, "--no-nlp",
           "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline:
        time.sleep(0.05)
        stored = _stored(db_url)
        if stored >= 100:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 100 <= stored < n, "the kill must land mid-batch"
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert _ledger_counts(db_url) == (n, n, n, n, 0)


@pytest.mark.slow
def test_two_processes_ingesting_at_once_lose_and_duplicate_nothing(tmp_path, db_url):
    n = 600
    corpus = _corpus(tmp_path, n)
    Ledger(db_url).close()  # create the schema once, as a deployment would
    cmd = [sys.executable, "-m", "trucewatch.cli", "ingest", str(corpus), "--db", db_url, "--no-nlp",
           "--no-progress"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        _, errors = p.communicate(timeout=300)
        assert p.returncode == 0, errors
    assert _ledger_counts(db_url) == (n, n, n, n, 0)
