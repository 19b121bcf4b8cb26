"""Opening the ledger: URL resolution, SQLite pragmas, schema migrations."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError

from trucewatch.errors import UsageError

DEFAULT_DB = "trucewatch.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(db: str | None = None) -> str:
    """``--db`` value, else ``TRUCEWATCH_DB``, else ``./trucewatch.db``; a bare path means SQLite,
    ``postgresql://user:pass@host/db`` the PostgreSQL server ledger (driver psycopg 3)."""
    value = db or os.environ.get("TRUCEWATCH_DB") or DEFAULT_DB
    if "://" in value:
        # A bare postgresql:// URL means psycopg 3, the driver TruceWatch installs.
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix):]
        return value
    return f"sqlite:///{value}"


def describe(url: str) -> str:
    """Where the ledger is, for humans (the password of a server URL is hidden)."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        return str(Path(path).resolve()) if path and path != ":memory:" else "in-memory SQLite"
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest version; return that version.

    Two processes opening a new ledger at once must not both create it: the upgrade runs under
    a lock (PostgreSQL advisory lock; SQLite ``BEGIN IMMEDIATE``) and checks the version again
    once it holds it."""
    cfg = _alembic_config()
    head = head_revision()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    if current == head:
        return head
    with engine.begin() as conn:
        write_lock(conn, MIGRATION_LOCK)
        if MigrationContext.configure(conn).get_current_revision() != head:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return head


MIGRATION_LOCK, INCIDENTS_LOCK = 724000, 724001


def write_lock(conn, key: int) -> None:
    """Take a writer's lock as the transaction's first statement, held until it ends: PostgreSQL's
    transaction-scoped advisory lock ``key``; on SQLite ``BEGIN IMMEDIATE`` (the database's one
    write lock)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(db: str | None = None, *, upgrade: bool = True) -> Engine:
    url = resolve_url(db)
    try:
        engine = create_engine(url)
    except (ArgumentError, ModuleNotFoundError, ImportError) as exc:
        raise UsageError(f"cannot open ledger {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            parent = Path(path).resolve().parent
            if not parent.exists():
                raise UsageError(f"cannot open ledger {url!r}: folder {parent} does not exist")
        event.listen(engine, "connect", _sqlite_pragmas)
    if upgrade:
        migrate(engine)
    return engine
