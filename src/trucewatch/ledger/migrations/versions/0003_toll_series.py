"""Toll series: running totals stored as readings apart from incidents.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

* ``toll_readings`` - one row per running-total figure of an article revision: its series (a
  primary source and a scope), its as-of day and the reading (JSON).  Series are built from
  these rows when read.

Incidents are derived data and the rules that build them changed (running totals left out,
denials attached, figures compared by scope): the incident tables are emptied, so the next
refresh (``trucewatch ingest`` or ``trucewatch incidents``) rebuilds every incident and reading
from the stored articles.  No article, claim or figure is touched.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "toll_readings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("mention_key", sa.Text, nullable=False),
        sa.Column("series_id", sa.String(24), nullable=False),
        sa.Column("scope_id", sa.String(24), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_index("ix_toll_readings_series", "toll_readings", ["series_id"])
    op.create_index("ix_toll_readings_article", "toll_readings", ["article_pk"])
    op.create_index("ix_toll_readings_as_of", "toll_readings", ["as_of"])
    op.execute("DELETE FROM incident_mentions")
    op.execute("DELETE FROM incidents")
    op.execute("DELETE FROM incident_articles")


def downgrade() -> None:
    op.drop_table("toll_readings")
    op.execute("DELETE FROM incident_mentions")
    op.execute("DELETE FROM incidents")
    op.execute("DELETE FROM incident_articles")
