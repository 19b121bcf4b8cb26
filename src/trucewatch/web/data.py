"""What the web app reads from the ledger (the I/O edge of the web layer)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, func, or_, select

from trucewatch.ledger import tables as t
from trucewatch.ledger.incidents import incident_types, list_incidents, list_series, refresh


def _latest_pks():
    return select(t.newest_revisions().c.pk)


def refresh_incidents(engine: Engine) -> None:
    """Merge articles stored since the last look into the incidents (a read when there are none)."""
    refresh(engine)


def incidents(engine: Engine, *, since: date | None = None, until: date | None = None,
              type: str | None = None) -> list[dict]:
    """Incidents up to date, those of a period and type selected by the database."""
    refresh(engine)
    return list_incidents(engine, since=since, until=until, type=type)


def tolls(engine: Engine, *, series_id: str | None = None, since: date | None = None,
          until: date | None = None) -> list[dict]:
    """Toll series up to date (running totals per primary source and scope)."""
    refresh(engine)
    return list_series(engine, series_id=series_id, since=since, until=until)


def types(engine: Engine) -> list[str]:
    return incident_types(engine)


def incident(engine: Engine, incident_id: str) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(t.incidents.c.data).where(t.incidents.c.incident_id == incident_id)).first()
    return row.data if row else None


def articles(engine: Engine, *, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    a = t.articles
    where = a.c.id.in_(_latest_pks())
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(a).where(where)).scalar() or 0)
        rows = conn.execute(select(a.c.article_id, a.c.outlet, a.c.published, a.c.title, a.c.url, a.c.revision)
                            .where(where).order_by(a.c.published.desc(), a.c.article_id).limit(limit)
                            .offset(offset)).mappings().all()
    return [dict(r) for r in rows], total


def article(engine: Engine, article_id: str) -> tuple[dict, int] | None:
    """The newest revision's record of an article and its primary key."""
    a = t.articles
    with engine.connect() as conn:
        row = conn.execute(select(a.c.id, a.c.record).where(a.c.article_id == article_id)
                           .order_by(a.c.id.desc()).limit(1)).first()
    return (row.record, int(row.id)) if row else None


def mention_incidents(engine: Engine, article_pk: int) -> dict[str, str]:
    """``{"<article>#e3": incident id}`` for the mentions of one article revision."""
    im = t.incident_mentions
    with engine.connect() as conn:
        rows = conn.execute(select(im.c.mention_key, im.c.incident_id).where(im.c.article_pk == article_pk)).all()
    return {r.mention_key: r.incident_id for r in rows}


def search_claims(engine: Engine, q: str = "", speaker: str = "", *, limit: int = 50,
                  offset: int = 0) -> tuple[list[dict], int]:
    c, a = t.claims, t.articles
    cond = [c.c.article_pk.in_(_latest_pks())]
    if q:
        cond.append(c.c.content.ilike(f"%{q}%"))
    if speaker:
        cond.append(or_(c.c.speaker.ilike(f"%{speaker}%"), c.c.speaker_affiliation.ilike(f"%{speaker}%")))
    base = select(c.c.speaker, c.c.speaker_affiliation, c.c.cue, c.c.mode, c.c.channel, c.c.kind, c.c.content,
                  c.c.span_start, c.c.span_end, a.c.article_id, a.c.outlet, a.c.published,
                  a.c.title).join(a, a.c.id == c.c.article_pk).where(*cond)
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(base.subquery())).scalar() or 0)
        rows = conn.execute(base.order_by(a.c.published.desc(), c.c.id).limit(limit).offset(offset)).mappings().all()
    return [dict(r) for r in rows], total
