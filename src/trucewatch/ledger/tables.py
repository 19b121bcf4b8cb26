"""Ledger schema (SQLAlchemy Core).  Changes go through a migration in ``migrations/versions``.

* ``documents``  - every input unit, raw bytes included, unique by SHA-256;
* ``articles``   - article revisions: one row per (article_key, revision), the record JSON;
* ``claims``, ``events``, ``casualties``, ``places``, ``times`` - queryable items with spans;
* ``rejections`` - why a document could not be read, per ingest run;
* ``incident_articles``, ``incident_mentions``, ``incidents`` - incidents across outlets;
* ``toll_readings`` - running totals, the readings of toll series;
* ``ingest_runs`` - one row per ``ingest`` invocation.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

ingest_runs = Table(
    "ingest_runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("command", Text),
    Column("n_documents", Integer, nullable=False, default=0),
    Column("n_articles", Integer, nullable=False, default=0),
    Column("n_skipped", Integer, nullable=False, default=0),
    Column("n_rejected", Integer, nullable=False, default=0),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16)),
    Column("size", Integer, nullable=False),
    Column("raw", LargeBinary),
    Column("status", String(16), nullable=False),  # ok | rejected
    Column("reason", Text),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("run_id", Integer, ForeignKey("ingest_runs.id")),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_key", Text, nullable=False),
    Column("article_id", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("outlet", Text),
    Column("url", Text),
    Column("published", String(32)),
    Column("title", Text),
    Column("language", String(16)),
    Column("record", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("article_key", "revision", name="uq_article_revision"),
    Index("ix_articles_article_id", "article_id"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_outlet", "outlet"),
)


def _item_table(name: str, *cols: Column) -> Table:
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        Column("idx", Integer, nullable=False),
        *cols,
        Column("span_start", Integer),
        Column("span_end", Integer),
        Index(f"ix_{name}_article", "article_pk"),
    )


claims = _item_table(
    "claims",
    Column("speaker", Text), Column("speaker_affiliation", Text), Column("cue", Text),
    Column("mode", String(16)), Column("channel", String(32)), Column("kind", String(32)),
    Column("content", Text, nullable=False),
)
events = _item_table(
    "events",
    Column("type", String(32), nullable=False), Column("subtype", String(48)), Column("actor", Text),
    Column("target", Text), Column("places", JSON), Column("date", String(48)),
    Column("asserted_by", Text),
)
casualties = _item_table(
    "casualties",
    Column("status", String(16), nullable=False), Column("count", Integer, nullable=False),
    Column("count_max", Integer), Column("qualifier", String(16)), Column("who", Text),
    Column("place", Text), Column("date", String(48)), Column("perpetrator", Text),
    Column("asserted_by", Text),
)
places = _item_table(
    "places",
    Column("mention", Text, nullable=False), Column("name", Text), Column("country", String(8)),
    Column("lat", Float), Column("lon", Float), Column("kb_id", Text),
)
times = _item_table(
    "times",
    Column("mention", Text, nullable=False), Column("value", String(64)),
)

rejections = Table(
    "rejections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id")),
    Column("document_id", Integer, ForeignKey("documents.id")),
    Column("name", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("sha256", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Incidents (migration 0002): see trucewatch.ledger.incidents.
incident_articles = Table(
    "incident_articles", metadata,
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Text, nullable=False),
    Column("copy_of", Text),
    Column("processed_at", DateTime(timezone=True), nullable=False),
)
incident_mentions = Table(
    "incident_mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("mention_key", Text, nullable=False),
    Column("grp", String(24), nullable=False),
    Column("day_start", String(10), nullable=False),
    Column("day_end", String(10), nullable=False),
    Column("incident_id", String(48), nullable=False),
    Index("ix_incident_mentions_days", "day_start", "day_end"),
    Index("ix_incident_mentions_incident", "incident_id"),
    Index("ix_incident_mentions_article", "article_pk"),
)
incidents = Table(
    "incidents", metadata,
    Column("incident_id", String(48), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("grp", String(24), nullable=False),
    Column("date_start", String(10), nullable=False),
    Column("date_end", String(10), nullable=False),
    Column("places", JSON),
    Column("n_articles", Integer, nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_incidents_dates", "date_start", "date_end"),
)

# Toll series (migration 0003): running totals, one reading per figure; see trucewatch.incidents.tolls.
toll_readings = Table(
    "toll_readings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("mention_key", Text, nullable=False),
    Column("series_id", String(24), nullable=False),
    Column("scope_id", String(24), nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("data", JSON, nullable=False),
    Index("ix_toll_readings_series", "series_id"),
    Index("ix_toll_readings_article", "article_pk"),
    Index("ix_toll_readings_as_of", "as_of"),
)


def newest_revisions():
    """Subquery (article_key, pk): the newest stored revision of every article.  Shared by the
    store's counts, the incident refresh and the web app's reads."""
    from sqlalchemy import func, select

    return select(articles.c.article_key, func.max(articles.c.id).label("pk")).group_by(
        articles.c.article_key).subquery()
