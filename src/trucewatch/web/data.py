"""What the web app reads from the ledger (the I/O edge of the web layer), and the cache of
what it computes from it (:class:`StateCache`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
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


def all_incidents(engine: Engine, at_most: int) -> list[dict] | None:
    """Every incident (oldest first), or None when there are more than ``at_most``."""
    with engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(t.incidents)).scalar() or 0)
    return None if n > at_most else list_incidents(engine)


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


def ledger_state(engine: Engine) -> tuple:
    """What identifies the ledger's content for caches: the number of article revisions and the
    newest one's key (revisions are only ever added, so any ingest changes them), and the number
    of incidents and their latest update (every incident refresh writes the rows it replaces)."""
    a, inc = t.articles, t.incidents
    with engine.connect() as conn:
        n, newest = conn.execute(select(func.count(), func.max(a.c.id)).select_from(a)).one()
        m, updated = conn.execute(select(func.count(), func.max(inc.c.updated_at)).select_from(inc)).one()
    return int(n or 0), int(newest or 0), int(m or 0), str(updated)


class StateCache:
    """Results computed from the ledger, kept as long as the ledger's state (:func:`ledger_state`,
    one cheap query per request) stays the same: any ingest, load or incident refresh, by this
    server or by another process, changes the state and empties the cache.  At most
    ``max_entries`` results are kept (least recently used first out); a result is built once
    while other requests for it wait.  Articles stored since the last look are merged into the
    incidents when the state shows new articles (instead of asking on every request)."""

    def __init__(self, engine: Engine, max_entries: int = 64) -> None:
        self.engine = engine
        self.max_entries = max_entries
        self.lock = threading.Lock()
        self.state: tuple | None = None
        self.merged_for: tuple | None = None  # the article state the incidents were last brought up to
        self.entries: OrderedDict = OrderedDict()
        self.building: dict = {}

    def current(self) -> tuple:
        """The ledger's state, after merging new articles into the incidents when there are any."""
        state = ledger_state(self.engine)
        if state[:2] != self.merged_for:
            refresh(self.engine)
            state = ledger_state(self.engine)
            self.merged_for = state[:2]
        return state

    def get(self, key, build: Callable[[], object]):
        state = self.current()
        with self.lock:
            if state != self.state:
                self.state = state
                self.entries.clear()
                self.building.clear()
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
            key_lock = self.building.setdefault(key, threading.Lock())
        with key_lock:
            with self.lock:
                if self.state == state and key in self.entries:
                    return self.entries[key]
            value = build()
            with self.lock:
                if self.state == state:
                    self.entries[key] = value
                    while len(self.entries) > self.max_entries:
                        self.entries.popitem(last=False)
            return value


def _contains(term: str) -> str:
    """A LIKE pattern matching ``term`` anywhere, as text: its ``%``, ``_`` and ``\\`` escaped."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_claims(engine: Engine, q: str = "", speaker: str = "", *, limit: int = 50,
                  offset: int = 0) -> tuple[list[dict], int]:
    c, a = t.claims, t.articles
    cond = [c.c.article_pk.in_(_latest_pks())]
    if q:
        cond.append(c.c.content.ilike(_contains(q), escape="\\"))
    if speaker:
        who = _contains(speaker)
        cond.append(or_(c.c.speaker.ilike(who, escape="\\"), c.c.speaker_affiliation.ilike(who, escape="\\")))
    base = select(c.c.speaker, c.c.speaker_affiliation, c.c.cue, c.c.mode, c.c.channel, c.c.kind, c.c.content,
                  c.c.span_start, c.c.span_end, a.c.article_id, a.c.outlet, a.c.published,
                  a.c.title).join(a, a.c.id == c.c.article_pk).where(*cond)
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(base.subquery())).scalar() or 0)
        rows = conn.execute(base.order_by(a.c.published.desc(), c.c.id).limit(limit).offset(offset)).mappings().all()
    return [dict(r) for r in rows], total
