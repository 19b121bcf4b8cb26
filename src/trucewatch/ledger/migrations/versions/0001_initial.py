"""Initial ledger schema: documents, article revisions, items, rejections, ingest runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

The tables are spelled out here rather than taken from ``tables.py``: a migration records the
schema as it was at that version, whatever the module says later.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _items(name: str, *cols: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        *cols,
        sa.Column("span_start", sa.Integer),
        sa.Column("span_end", sa.Integer),
    )
    op.create_index(f"ix_{name}_article", name, ["article_pk"])


def upgrade() -> None:
    op.create_table(
        "ingest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ),
        sa.Column("command", sa.Text),
        sa.Column("n_documents", sa.Integer, nullable=False),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_skipped", sa.Integer, nullable=False),
        sa.Column("n_rejected", sa.Integer, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16)),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("raw", sa.LargeBinary),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("last_seen", TZ, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("ingest_runs.id")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_key", sa.Text, nullable=False),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("outlet", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("title", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("article_key", "revision", name="uq_article_revision"),
    )
    op.create_index("ix_articles_article_id", "articles", ["article_id"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    _items("claims", sa.Column("speaker", sa.Text), sa.Column("speaker_affiliation", sa.Text),
           sa.Column("cue", sa.Text), sa.Column("mode", sa.String(16)), sa.Column("channel", sa.String(32)),
           sa.Column("kind", sa.String(32)), sa.Column("content", sa.Text, nullable=False))
    _items("events", sa.Column("type", sa.String(32), nullable=False), sa.Column("subtype", sa.String(48)),
           sa.Column("actor", sa.Text), sa.Column("target", sa.Text), sa.Column("places", sa.JSON),
           sa.Column("date", sa.String(48)), sa.Column("asserted_by", sa.Text))
    _items("casualties", sa.Column("status", sa.String(16), nullable=False),
           sa.Column("count", sa.Integer, nullable=False), sa.Column("count_max", sa.Integer),
           sa.Column("qualifier", sa.String(16)), sa.Column("who", sa.Text), sa.Column("place", sa.Text),
           sa.Column("date", sa.String(48)), sa.Column("perpetrator", sa.Text), sa.Column("asserted_by", sa.Text))
    _items("places", sa.Column("mention", sa.Text, nullable=False), sa.Column("name", sa.Text),
           sa.Column("country", sa.String(8)), sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
           sa.Column("kb_id", sa.Text))
    _items("times", sa.Column("mention", sa.Text, nullable=False), sa.Column("value", sa.String(64)))
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("ingest_runs.id")),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64)),
        sa.Column("at", TZ, nullable=False),
    )


def downgrade() -> None:
    for name in ("rejections", "times", "places", "casualties", "events", "claims", "articles",
                 "documents", "ingest_runs"):
        op.drop_table(name)
