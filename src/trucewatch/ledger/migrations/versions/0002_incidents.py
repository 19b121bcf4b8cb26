"""Incidents: reports merged across articles, kept up to date incrementally.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

* ``incident_articles`` - which article revisions the incident builder has seen (and which
  article each one copies, when it is a syndicated copy);
* ``incident_mentions`` - every event/figure mention with its group, dates and incident;
* ``incidents`` - one row per incident with its dates, places and the full description (JSON).
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "incident_articles",
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Text, nullable=False),
        sa.Column("copy_of", sa.Text),
        sa.Column("processed_at", TZ, nullable=False),
    )
    op.create_table(
        "incident_mentions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("mention_key", sa.Text, nullable=False),
        sa.Column("grp", sa.String(24), nullable=False),
        sa.Column("day_start", sa.String(10), nullable=False),
        sa.Column("day_end", sa.String(10), nullable=False),
        sa.Column("incident_id", sa.String(48), nullable=False),
    )
    op.create_index("ix_incident_mentions_days", "incident_mentions", ["day_start", "day_end"])
    op.create_index("ix_incident_mentions_incident", "incident_mentions", ["incident_id"])
    op.create_index("ix_incident_mentions_article", "incident_mentions", ["article_pk"])
    op.create_table(
        "incidents",
        sa.Column("incident_id", sa.String(48), primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("grp", sa.String(24), nullable=False),
        sa.Column("date_start", sa.String(10), nullable=False),
        sa.Column("date_end", sa.String(10), nullable=False),
        sa.Column("places", sa.JSON),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_index("ix_incidents_dates", "incidents", ["date_start", "date_end"])


def downgrade() -> None:
    op.drop_table("incidents")
    op.drop_table("incident_mentions")
    op.drop_table("incident_articles")
