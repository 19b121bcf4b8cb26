"""Writing to and reading from the ledger.

Each document unit is stored in its own transaction together with its article revisions and
their items, so a batch killed half-way leaves every finished document complete and nothing
of the unfinished one.  Documents are keyed by the SHA-256 of their bytes: storing the same
bytes again changes nothing.  Articles are keyed by URL (or id when there is no URL); a changed
text under the same key becomes a new revision, an identical one is not stored twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from trucewatch.ledger import tables as t
from trucewatch.ledger.db import describe, head_revision, open_engine
from trucewatch.models import ArticleRecord, Rejection, SourceDocument


def now() -> datetime:
    return datetime.now(UTC)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def article_key(rec: ArticleRecord) -> str:
    return rec.url or f"id:{rec.id}"


def content_hash(rec: ArticleRecord) -> str:
    return sha256(f"{rec.title or ''}\x00{rec.text}".encode())


@dataclass
class StoreOutcome:
    """What storing one document did."""

    status: str  # stored | skipped | rejected
    new_revisions: int = 0
    unchanged: int = 0
    article_ids: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    """What one ``ingest`` (or ``load``) did to the ledger."""

    database: str
    documents: int = 0
    stored: int = 0
    skipped: int = 0
    rejected: int = 0
    new_revisions: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    incidents: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rejected == 0

    def add(self, outcome: StoreOutcome) -> None:
        """Count the outcome of storing one document."""
        if outcome.status == "skipped":
            self.skipped += 1
        else:
            self.stored += 1
            self.new_revisions += outcome.new_revisions
            self.unchanged += outcome.unchanged

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        self.rejections.append(rejection.model_copy(update={"data": None}))


class Ledger:
    """The ledger behind a database URL (SQLite file by default)."""

    def __init__(self, db: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or open_engine(db)
        self.url = self.engine.url.render_as_string(hide_password=False)

    @property
    def location(self) -> str:
        return describe(self.url)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ runs

    def start_run(self, command: str) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(insert(t.ingest_runs).values(
                started_at=now(), command=command, n_documents=0, n_articles=0, n_skipped=0, n_rejected=0))
            return int(res.inserted_primary_key[0])

    def finish_run(self, run_id: int, *, documents: int, articles: int, skipped: int, rejected: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(t.ingest_runs).where(t.ingest_runs.c.id == run_id).values(
                finished_at=now(), n_documents=documents, n_articles=articles, n_skipped=skipped,
                n_rejected=rejected))

    # ------------------------------------------------------------------ documents

    def has_document(self, data: bytes) -> bool:
        """True if these exact bytes were stored and read successfully before."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.documents.c.status).where(t.documents.c.sha256 == sha256(data))).first()
        return row is not None and row.status == "ok"

    def store_rejection(self, rej: Rejection, doc: SourceDocument | None = None, run_id: int | None = None) -> None:
        """Record a rejection (and the rejected bytes, when there are any).  A concurrent writer
        storing the same bytes first makes the insert fail on the unique sha256: tried again, it
        finds that row."""
        for attempt in range(3):
            try:
                return self._store_rejection(rej, doc, run_id)
            except IntegrityError:
                if attempt == 2:
                    raise

    def _store_rejection(self, rej: Rejection, doc: SourceDocument | None, run_id: int | None) -> None:
        data = doc.data if doc is not None else rej.data
        digest = sha256(data) if data is not None else rej.sha256
        with self.engine.begin() as conn:
            doc_id = None
            if data is not None:
                doc_id = self._upsert_document(conn, data, doc.name if doc else rej.name,
                                               doc.kind if doc else None, "rejected", rej.reason, run_id)
            conn.execute(insert(t.rejections).values(
                run_id=run_id, document_id=doc_id, name=rej.name, reason=rej.reason, sha256=digest, at=now()))

    def store_document(self, doc: SourceDocument, records: Iterable[ArticleRecord],
                       run_id: int | None = None) -> StoreOutcome:
        """Store one document and its records atomically.

        Concurrent writers (two ``ingest`` processes on one server ledger) can race on the same
        bytes or on the same article: the loser's transaction fails on a unique constraint, is
        rolled back whole and tried again, and then finds the winner's rows (nothing lost,
        nothing twice)."""
        records = list(records)
        for attempt in range(4):
            try:
                return self._store_document(doc, records, run_id)
            except IntegrityError:
                if self.has_document(doc.data):
                    return StoreOutcome("skipped")
                if attempt == 3:
                    raise
        raise AssertionError("unreachable")

    def _store_document(self, doc: SourceDocument, records: list[ArticleRecord], run_id: int | None) -> StoreOutcome:
        with self.engine.begin() as conn:
            digest = sha256(doc.data)
            existing = conn.execute(select(t.documents.c.id, t.documents.c.status)
                                    .where(t.documents.c.sha256 == digest)).first()
            if existing is not None and existing.status == "ok":
                return StoreOutcome("skipped")
            if existing is not None:
                # Rejected before, readable now.  Claim the row only if it is still rejected: a
                # concurrent writer that stored these bytes first makes this a skip, not a second
                # "new" document (the update waits for its row lock, or for SQLite's write lock).
                claimed = conn.execute(update(t.documents).where(t.documents.c.id == existing.id,
                                                                 t.documents.c.status != "ok").values(
                    status="ok", reason=None, last_seen=now(), name=doc.name))
                if claimed.rowcount != 1:
                    return StoreOutcome("skipped")
                doc_id = int(existing.id)
            else:
                # A concurrent writer inserting the same bytes makes this insert fail on the unique
                # sha256 (IntegrityError): store_document rolls back and reports a skip.
                ts = now()
                doc_id = int(conn.execute(insert(t.documents).values(
                    sha256=digest, name=doc.name, kind=doc.kind, size=len(doc.data), raw=doc.data, status="ok",
                    reason=None, first_seen=ts, last_seen=ts, run_id=run_id)).inserted_primary_key[0])
            out = StoreOutcome("stored")
            for rec in records:
                if self._store_article(conn, doc_id, rec):
                    out.new_revisions += 1
                    out.article_ids.append(rec.id)
                else:
                    out.unchanged += 1
            return out

    def _upsert_document(self, conn: Connection, data: bytes, name: str, kind: str | None, status: str,
                         reason: str | None, run_id: int | None) -> int:
        digest = sha256(data)
        row = conn.execute(select(t.documents.c.id).where(t.documents.c.sha256 == digest)).first()
        ts = now()
        if row is not None:  # never turns a document stored as read into a rejected one
            conn.execute(update(t.documents).where(t.documents.c.id == row.id, t.documents.c.status != "ok").values(
                status=status, reason=reason, last_seen=ts, name=name))
            return int(row.id)
        res = conn.execute(insert(t.documents).values(
            sha256=digest, name=name, kind=kind, size=len(data), raw=data, status=status, reason=reason,
            first_seen=ts, last_seen=ts, run_id=run_id))
        return int(res.inserted_primary_key[0])

    def _store_article(self, conn: Connection, doc_id: int, rec: ArticleRecord) -> bool:
        key, digest = article_key(rec), content_hash(rec)
        latest = conn.execute(
            select(t.articles.c.revision, t.articles.c.content_hash)
            .where(t.articles.c.article_key == key).order_by(t.articles.c.revision.desc()).limit(1)
        ).first()
        if latest is not None and latest.content_hash == digest:
            return False
        revision = 1 if latest is None else latest.revision + 1
        data = rec.to_json()
        res = conn.execute(insert(t.articles).values(
            article_key=key, article_id=rec.id, revision=revision, document_id=doc_id, content_hash=digest,
            outlet=rec.outlet, url=rec.url, published=rec.published, title=rec.title, language=rec.language,
            record=data, created_at=now()))
        pk = int(res.inserted_primary_key[0])
        self._store_items(conn, pk, rec)
        return True

    @staticmethod
    def _store_items(conn: Connection, pk: int, rec: ArticleRecord) -> None:
        rows = {
            t.claims: [dict(speaker=c.speaker, speaker_affiliation=c.speaker_affiliation, cue=c.cue, mode=c.mode,
                            channel=c.channel, kind=c.kind, content=c.content, span_start=c.content_span[0],
                            span_end=c.content_span[1]) for c in rec.claims],
            t.events: [dict(type=e.type, subtype=e.subtype, actor=e.actor, target=e.target, places=e.places,
                            date=e.date, asserted_by=e.asserted_by, span_start=e.evidence[0],
                            span_end=e.evidence[1]) for e in rec.events],
            t.casualties: [dict(status=c.status, count=c.count, count_max=c.count_max, qualifier=c.qualifier,
                                who=c.who, place=c.place, date=c.date, perpetrator=c.perpetrator,
                                asserted_by=c.asserted_by, span_start=c.evidence[0], span_end=c.evidence[1])
                           for c in rec.casualties],
            t.places: [dict(mention=p.mention, name=p.name, country=p.country, lat=p.lat, lon=p.lon,
                            kb_id=p.kb_id, span_start=p.span[0], span_end=p.span[1]) for p in rec.places],
            t.times: [dict(mention=x.mention, value=x.value, span_start=x.span[0], span_end=x.span[1])
                      for x in rec.times],
        }
        for table, items in rows.items():
            if items:
                conn.execute(insert(table), [dict(article_pk=pk, idx=i, **row) for i, row in enumerate(items)])

    def finish(self, run_id: int, summary: IngestSummary, *, incidents: bool = True) -> IngestSummary:
        """Close an ingest run: record its counts, bring incidents up to date (whatever is
        pending: this run's articles, or those of a run killed before its refresh committed), and
        take the ledger's counts."""
        self.finish_run(run_id, documents=summary.documents, articles=summary.new_revisions,
                        skipped=summary.skipped, rejected=summary.rejected)
        if incidents:
            stats = self.settle()
            if stats.incidents_rebuilt or stats.new_articles or stats.replaced_revisions:
                summary.incidents = vars(stats)
        summary.counts = self.status(rejected_limit=0)["counts"]
        return summary

    def settle(self):
        """Finish a pending incident refresh: merge every article revision the incidents do not
        hold yet (a refresh killed before its commit leaves them pending).  When nothing is
        pending this is two cheap reads."""
        from trucewatch.ledger.incidents import refresh

        return refresh(self.engine)

    # ------------------------------------------------------------------ reading

    def latest_records(self) -> list[dict]:
        """The newest revision of every article, as record JSON."""
        a = t.articles
        newest = (select(a.c.article_key, func.max(a.c.revision).label("rev"))
                  .group_by(a.c.article_key).subquery())
        q = (select(a.c.record).join(newest, (a.c.article_key == newest.c.article_key)
                                     & (a.c.revision == newest.c.rev)).order_by(a.c.id))
        with self.engine.connect() as conn:
            return [row.record for row in conn.execute(q)]

    def status(self, rejected_limit: int = 20) -> dict:
        """Counts, the last ingest run, and rejected documents with their reasons."""
        a = t.articles
        with self.engine.connect() as conn:
            def count(q) -> int:
                return int(conn.execute(q).scalar() or 0)

            latest_pks = select(t.newest_revisions().c.pk)

            def items(table) -> int:
                return count(select(func.count()).select_from(table).where(table.c.article_pk.in_(latest_pks)))

            counts = {
                "documents": count(select(func.count()).select_from(t.documents)
                                   .where(t.documents.c.status == "ok")),
                "articles": count(select(func.count(func.distinct(a.c.article_key)))),
                "revisions": count(select(func.count()).select_from(a)),
                "outlets": count(select(func.count(func.distinct(a.c.outlet)))),
                "claims": items(t.claims),
                "events": items(t.events),
                "casualties": items(t.casualties),
                "places": items(t.places),
                "times": items(t.times),
                "incidents": count(select(func.count()).select_from(t.incidents)),
                "rejected_documents": count(select(func.count()).select_from(t.documents)
                                            .where(t.documents.c.status == "rejected"))
                + count(select(func.count(func.distinct(t.rejections.c.name)))
                        .where(t.rejections.c.document_id.is_(None))),
            }
            run = conn.execute(select(t.ingest_runs).order_by(t.ingest_runs.c.id.desc()).limit(1)).mappings().first()
            r = t.rejections
            last = (select(r.c.name, func.max(r.c.id).label("rid")).group_by(r.c.name).subquery())
            rows = conn.execute(
                select(r.c.name, r.c.reason, r.c.at, r.c.document_id)
                .join(last, r.c.id == last.c.rid)
                .order_by(r.c.id.desc()).limit(rejected_limit)
            ).mappings().all()
            still = {row.id for row in conn.execute(select(t.documents.c.id).where(t.documents.c.status == "rejected"))}
        rejected = [dict(name=row["name"], reason=row["reason"], at=row["at"].isoformat() if row["at"] else None)
                    for row in rows if row["document_id"] is None or row["document_id"] in still]
        return {
            "database": self.location,
            "schema_version": head_revision(),
            "counts": counts,
            "last_ingest": None if run is None else {
                "started_at": run["started_at"].isoformat() if run["started_at"] else None,
                "finished_at": run["finished_at"].isoformat() if run["finished_at"] else None,
                "command": run["command"],
                "documents": run["n_documents"], "articles": run["n_articles"],
                "skipped": run["n_skipped"], "rejected": run["n_rejected"],
            },
            "rejected": rejected,
        }
