from __future__ import annotations

import io
from pathlib import Path

import pytest

from trucewatch.pipeline import Extractor

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """The full extractor (spaCy model + KB), loaded once for the whole run."""
    return Extractor()


@pytest.fixture()
def bare() -> Extractor:
    """An extractor that skips NLP: anatomy and metadata only."""
    return Extractor(use_nlp=False)


def warc_bytes(records: list[tuple[str, str, str]], *, gzip: bool = True, with_request: bool = True) -> bytes:
    """A WARC file holding one response per (url, body, content type), built with warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for url, body, ctype in records:
        if with_request:
            req = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(req)
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body.encode("utf-8")),
                                        http_headers=headers)
        writer.write_record(rec)
    return buf.getvalue()


def article_html(title: str, paragraphs: list[str], site: str = "Harbour Post",
                 published: str = "2025-03-04T10:00:00+02:00") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title><meta property='og:site_name' content='{site}'>"
            f"<meta property='article:published_time' content='{published}'></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


@pytest.fixture(scope="session")
def analyse(extractor):
    """analyse(text, published="2025-01-19") -> Context with every stage's output (ctx.claims, ...)."""
    def run(text: str, published: str | None = None, outlet: str | None = None):
        return extractor.text(text, published=published, outlet=outlet)
    return run


# --------------------------------------------------------------------------- ledgers

def _pg_admin_url() -> str | None:
    """``TRUCEWATCH_TEST_PG``: a PostgreSQL URL whose role may create databases (CI sets it
    after starting Debian's PostgreSQL); without it the PostgreSQL cases are skipped, unless
    ``TRUCEWATCH_REQUIRE_PG=1`` makes that a failure."""
    import os

    url = os.environ.get("TRUCEWATCH_TEST_PG")
    if not url and os.environ.get("TRUCEWATCH_REQUIRE_PG") == "1":
        raise RuntimeError("TRUCEWATCH_REQUIRE_PG=1 but TRUCEWATCH_TEST_PG is not set")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty ledger URL on each backend: an SQLite file, or a new PostgreSQL database
    (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    admin = _pg_admin_url()
    if not admin:
        pytest.skip("TRUCEWATCH_TEST_PG not set (a PostgreSQL URL allowed to create databases)")
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from trucewatch.ledger.db import resolve_url

    base = make_url(resolve_url(admin))
    name = f"tw_test_{uuid.uuid4().hex[:12]}"
    eng = create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(eng, name)
        eng.dispose()


def _drop_database(eng, name: str, attempts: int = 40) -> None:
    """Drop a test database, ending the test's own leftover connections (FORCE).  FORCE cannot
    end a server process of another role - an autovacuum worker that just started on the fresh
    database - so wait for it to finish and try again."""
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    for attempt in range(attempts):
        try:
            with eng.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)
