"""Keeping the ledger's incidents up to date as articles arrive (the I/O side of
:mod:`trucewatch.incidents`).

:func:`refresh` is incremental.  It finds the article revisions the incident builder has not
seen yet (and the older revisions they replace), works out the window of days their mentions
can reach (a point mention links within a day, a period within two, a running toll within its
agreement period or week), and reloads only the incidents that have a mention in that window,
with every mention of those incidents.  Those mentions and the new ones are clustered again and
the affected incidents replaced in one transaction; everything outside the window is left alone.
Because clustering only ever links mentions inside those blocks, the result is the same as a
full rebuild (a test checks this).

Running totals are no incident: each is stored as a reading in ``toll_readings`` (replaced with
its article revision) and the toll series are built from those rows when read
(:func:`list_series`).  An incident's links to series come from its own articles' readings,
so they stay right when other incidents are rebuilt.

A crash between ingest and refresh loses nothing: the next refresh (``trucewatch incidents``
runs one first) picks up every revision not yet marked in ``incident_articles``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select
from sqlalchemy.exc import DBAPIError

from trucewatch.incidents import article_meta, build_from_mentions, period_of_agreements
from trucewatch.incidents.cluster import PERIOD_SLACK
from trucewatch.incidents.mentions import mentions_from_record
from trucewatch.incidents.syndication import WINDOW_DAYS, find_copies
from trucewatch.incidents.tolls import build_series, readings_of
from trucewatch.kb import KnowledgeBase, load_kb
from trucewatch.ledger import tables as t
from trucewatch.ledger.db import INCIDENTS_LOCK, write_lock
from trucewatch.ledger.store import now

CHUNK = 500
REACH_DAYS = PERIOD_SLACK + 1  # periods link within PERIOD_SLACK days of each other; one more for safety


@dataclass
class RefreshStats:
    new_articles: int = 0
    replaced_revisions: int = 0
    mentions: int = 0
    incidents_rebuilt: int = 0
    incidents_total: int = 0
    toll_readings: int = 0


def _chunks(values: Iterable, n: int = CHUNK):
    values = list(values)
    for i in range(0, len(values), n):
        yield values[i:i + n]


def _records(conn, pks: Iterable[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for part in _chunks(sorted(pks)):
        for row in conn.execute(select(t.articles.c.id, t.articles.c.record).where(t.articles.c.id.in_(part))):
            out[int(row.id)] = row.record
    return out


def _revisions(conn: Connection) -> tuple[set[int], set[int]]:
    """(newest revision of every article, revisions the incident builder has merged in)."""
    newest = t.newest_revisions()
    latest = {int(r.pk) for r in conn.execute(select(newest.c.pk))}
    seen = {int(r.article_pk) for r in conn.execute(select(t.incident_articles.c.article_pk))}
    return latest, seen


def _pending(conn: Connection) -> bool:
    """Whether any newest revision is not merged yet, or any merged revision is no longer the
    newest: two EXISTS probes, so the common answer (no) reads no table in full."""
    newest = t.newest_revisions()
    merged = select(t.incident_articles.c.article_pk)
    new = select(newest.c.pk).where(newest.c.pk.not_in(merged)).limit(1)
    stale = merged.where(t.incident_articles.c.article_pk.not_in(select(newest.c.pk))).limit(1)
    return conn.execute(new).first() is not None or conn.execute(stale).first() is not None


def _total(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(t.incidents)).scalar() or 0)


def refresh(engine: Engine, kb: KnowledgeBase | None = None, *, full: bool = False,
            attempts: int = 5) -> RefreshStats:
    """Bring the incidents up to date with the ledger's newest article revisions.

    Reading, clustering and writing happen in one transaction under a lock, so two processes
    refreshing at once (two ingests into one server ledger) take turns and the second sees the
    first's result.  A refresh that fails on a busy database is retried; if it still fails the
    articles stay pending and the next refresh merges them.  When nothing is pending (every
    read of the web app asks) it only reads: no lock, no write."""
    if not full:
        with engine.connect() as conn:
            if not _pending(conn):
                return RefreshStats(incidents_total=_total(conn))
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                write_lock(conn, INCIDENTS_LOCK)  # one refresher at a time, before anything is read
                return _refresh(conn, kb or load_kb(), full)
        except DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _refresh(conn: Connection, kb: KnowledgeBase, full: bool) -> RefreshStats:
    period_of = period_of_agreements()
    a, ia, im, inc = t.articles, t.incident_articles, t.incident_mentions, t.incidents
    stats = RefreshStats()
    newest = t.newest_revisions()
    latest, seen = _revisions(conn)
    if full:
        pending, superseded = latest, seen
    else:
        pending, superseded = latest - seen, seen - latest
    if not pending and not superseded:
        stats.incidents_total = _total(conn)
        return stats
    records = _records(conn, pending)
    new_all = [m for rec in records.values() for m in mentions_from_record(rec, kb)]
    new_mentions = [m for m in new_all if not m.running]
    # Days the change can reach: the new mentions' and those of replaced revisions.
    old_rows = []
    for part in _chunks(superseded):
        old_rows += conn.execute(select(im.c.day_start, im.c.day_end).where(im.c.article_pk.in_(part))).all()
    spans = [(m.start, m.end) for m in new_mentions]
    spans += [(date.fromisoformat(r.day_start), date.fromisoformat(r.day_end)) for r in old_rows]
    lo = hi = None
    if spans:
        lo = min(s for s, _ in spans) - timedelta(days=REACH_DAYS)
        hi = max(e for _, e in spans) + timedelta(days=REACH_DAYS)
    affected: set[str] = set()
    if full:
        affected = {r.incident_id for r in conn.execute(select(inc.c.incident_id))}
    elif lo is not None:
        affected = {r.incident_id for r in conn.execute(
            select(im.c.incident_id).where(im.c.day_end >= lo.isoformat(), im.c.day_start <= hi.isoformat())
            .distinct())}
    keep_rows = []
    for part in _chunks(affected):
        keep_rows += conn.execute(select(im.c.article_pk, im.c.mention_key)
                                  .where(im.c.incident_id.in_(part))).all()
    keep_rows = [r for r in keep_rows if int(r.article_pk) not in superseded and int(r.article_pk) not in pending]
    keep_keys = {r.mention_key for r in keep_rows}
    old_records = _records(conn, {int(r.article_pk) for r in keep_rows} - records.keys())
    # Neighbours by publication date, for syndication only.
    neighbour_records: dict[int, dict] = {}
    if lo is not None:
        q = select(a.c.id).where(a.c.id.in_(select(newest.c.pk)),
                                 or_(a.c.published.is_(None),
                                     (a.c.published >= (lo - timedelta(days=WINDOW_DAYS)).isoformat())
                                     & (a.c.published <= (hi + timedelta(days=WINDOW_DAYS)).isoformat() + "~")))
        ids = {int(r.id) for r in conn.execute(q)} - records.keys() - old_records.keys()
        neighbour_records = _records(conn, ids) if len(ids) <= 20_000 else {}
    known_copies = {r.article_id: r.copy_of for r in conn.execute(select(ia.c.article_id, ia.c.copy_of))
                    if r.copy_of}

    all_records = {**records, **old_records, **neighbour_records}
    pk_of = {rec["id"]: pk for pk, rec in all_records.items()}
    old_all = [m for rec in old_records.values() for m in mentions_from_record(rec, kb)]
    old_mentions = [m for m in old_all if m.key in keep_keys]
    copies = {**known_copies, **find_copies(list(all_records.values()))}
    articles = {rec["id"]: article_meta(rec) for rec in all_records.values()}
    mentions = new_mentions + old_mentions
    new_readings = readings_of(new_all, kb, copies)
    # The readings an incident may link to: those of every article whose incidents are rebuilt.
    readings = new_readings + readings_of(old_all, kb, copies)
    incidents = build_from_mentions(mentions, articles, copies, kb, period_of, readings=readings)
    ts = now()
    tr = t.toll_readings
    for part in _chunks(affected):
        conn.execute(delete(im).where(im.c.incident_id.in_(part)))
        conn.execute(delete(inc).where(inc.c.incident_id.in_(part)))
    for part in _chunks(superseded | pending):
        conn.execute(delete(im).where(im.c.article_pk.in_(part)))
        conn.execute(delete(ia).where(ia.c.article_pk.in_(part)))
        conn.execute(delete(tr).where(tr.c.article_pk.in_(part)))
    trows = [dict(article_pk=pk_of[r["article"]], mention_key=r["mention"], series_id=r["series_id"],
                  scope_id=r["scope_id"], as_of=r["as_of"], data=r) for r in new_readings]
    for part in _chunks(trows):
        conn.execute(insert(tr), part)
    rows, mrows = [], []
    for data in incidents:
        rows.append(dict(incident_id=data["incident_id"], type=data["type"], grp=data["group"],
                         date_start=data["date_start"], date_end=data["date_end"], places=data["places"],
                         n_articles=len(data["articles"]), data=data, updated_at=ts))
    by_key = {m.key: m for m in mentions}
    for data in incidents:
        for key in data["mentions"]:
            m = by_key[key]
            mrows.append(dict(article_pk=pk_of[m.article], mention_key=key, grp=m.group,
                              day_start=m.start.isoformat(), day_end=m.end.isoformat(),
                              incident_id=data["incident_id"]))
    for part in _chunks(rows):
        conn.execute(insert(inc), part)
    for part in _chunks(mrows, 2000):
        conn.execute(insert(im), part)
    arows = [dict(article_pk=pk, article_id=rec["id"], copy_of=copies.get(rec["id"]), processed_at=ts)
             for pk, rec in records.items()]
    for part in _chunks(arows):
        conn.execute(insert(ia), part)
    stats.incidents_total = _total(conn)
    stats.new_articles = len(pending)
    stats.replaced_revisions = len(seen - latest)  # on a full rebuild too: revisions a newer one replaced
    stats.mentions = len(mentions)
    stats.incidents_rebuilt = len(incidents)
    stats.toll_readings = len(new_readings)
    return stats


def list_incidents(engine: Engine, *, since: date | None = None, until: date | None = None,
                   type: str | None = None) -> list[dict]:
    """Stored incidents (their JSON), oldest first; those overlapping [``since``, ``until``]
    and of a ``type`` when given (selected in SQL, on indexed columns)."""
    inc = t.incidents
    q = select(inc.c.data).order_by(inc.c.date_start, inc.c.incident_id)
    if since is not None:
        q = q.where(inc.c.date_end >= since.isoformat())
    if until is not None:
        q = q.where(inc.c.date_start <= until.isoformat())
    if type:
        q = q.where(inc.c.type == type)
    with engine.connect() as conn:
        return [row.data for row in conn.execute(q)]


def incident_types(engine: Engine) -> list[str]:
    """The incident types present in the ledger, sorted."""
    inc = t.incidents
    with engine.connect() as conn:
        return [row.type for row in conn.execute(select(inc.c.type).distinct().order_by(inc.c.type))]


def list_series(engine: Engine, *, series_id: str | None = None, scope_id: str | None = None,
                since: date | None = None, until: date | None = None) -> list[dict]:
    """Toll series built from the stored readings: all of them, one (``series_id``), those of a
    scope (``scope_id``), or those with readings as of a day in [``since``, ``until``] (each
    series then holds only those readings)."""
    tr = t.toll_readings
    q = select(tr.c.data).order_by(tr.c.as_of, tr.c.id)
    if series_id:
        q = q.where(tr.c.series_id == series_id)
    if scope_id:
        q = q.where(tr.c.scope_id == scope_id)
    if since is not None:
        q = q.where(tr.c.as_of >= since.isoformat())
    if until is not None:
        q = q.where(tr.c.as_of <= until.isoformat())
    with engine.connect() as conn:
        return build_series(row.data for row in conn.execute(q))
