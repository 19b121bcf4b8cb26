"""The Python API behind the CLI and the web app.

>>> from trucewatch import api
>>> for result in api.extract(["article.txt"]):          # doctest: +SKIP
...     print(result.records[0].to_json()["title"])
>>> summary = api.ingest(["corpus/"], db="sqlite:///ledger.db")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from trucewatch.errors import UsageError
from trucewatch.ingest import DEFAULT_MAX_BYTES, iter_documents, iter_uploads
from trucewatch.ledger.store import IngestSummary, Ledger
from trucewatch.pipeline import DocumentResult, Extractor, process_documents


def extract(
    paths: Sequence[str],
    *,
    meta: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    extractor: Extractor | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[DocumentResult]:
    """Read the inputs and yield one result per document unit, in order; stores nothing.
    ``on_warning`` gets problems that cost no document (a bad sidecar line, a skipped link)."""
    units = iter_documents(paths, meta=meta, max_bytes=max_bytes, stdin=stdin, warn=on_warning)
    yield from process_documents(units, extractor or Extractor())


def ingest(
    paths: Sequence[str],
    *,
    db: str | None = None,
    meta: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    extractor: Extractor | None = None,
    ledger: Ledger | None = None,
    on_result: Callable[[DocumentResult], None] | None = None,
    command: str = "ingest",
    incidents: bool = True,
    on_warning: Callable[[str], None] | None = None,
    uploads: Sequence[tuple[str, bytes]] | None = None,
) -> IngestSummary:
    """Read the inputs into the ledger; each document is committed in its own transaction.
    Afterwards the incidents the new articles touch are brought up to date (``incidents=False``
    leaves that to the next ``incidents`` call).  ``uploads``, (file name, bytes) pairs, are read
    instead of ``paths``, each named and identified by its own file name (web uploads)."""
    own = ledger is None
    ledger = ledger or Ledger(db)
    try:
        summary = IngestSummary(database=ledger.location)
        run_id = ledger.start_run(command)
        if uploads is not None:
            units = iter_uploads(uploads, max_bytes)
        else:
            units = iter_documents(paths, meta=meta, max_bytes=max_bytes, stdin=stdin, warn=on_warning)
        for res in process_documents(units, extractor or Extractor(), skip=lambda d: ledger.has_document(d.data)):
            summary.documents += 1
            if res.rejection is not None:
                ledger.store_rejection(res.rejection, res.document, run_id)
                summary.reject(res.rejection)
            elif not res.records and res.document is not None and res.expected == 0:
                summary.skipped += 1
            else:
                assert res.document is not None
                summary.add(ledger.store_document(res.document, res.records, run_id))
            if on_result is not None:
                on_result(res)
        return ledger.finish(run_id, summary, incidents=incidents)
    finally:
        if own:
            ledger.close()


def status(db: str | None = None, rejected_limit: int = 20) -> dict:
    """Counts, the last ingest run and rejected documents; a pending incident refresh (left by a
    killed run) is finished first, so the counts are those of a settled ledger."""
    ledger = Ledger(db)
    try:
        ledger.settle()
        return ledger.status(rejected_limit=rejected_limit)
    finally:
        ledger.close()


def ceasefire_report(agreement_id: str, db: str | None = None, records: list[dict] | None = None) -> dict:
    """The ceasefire-ledger report of one agreement over the ledger's latest article revisions
    (or over ``records`` when given)."""
    from trucewatch.agreements import load_agreements
    from trucewatch.ceasefire import build_report
    from trucewatch.kb import load_kb

    agreements = load_agreements()
    if agreement_id not in agreements:
        raise UsageError(f"unknown agreement {agreement_id!r}; known: {', '.join(sorted(agreements))}")
    if records is None:
        ledger = Ledger(db)
        try:
            records = ledger.latest_records()
        finally:
            ledger.close()
    return build_report(records, agreements[agreement_id], load_kb())


def incidents(
    db: str | None = None,
    *,
    since: date | None = None,
    place: str | None = None,
    rebuild: bool = False,
    records: list[dict] | None = None,
) -> list[dict]:
    """Incidents across outlets, oldest first, filtered by end date and place (a place finds the
    places inside it too).  Over the ledger the pending articles are merged in first
    (incrementally; ``rebuild`` recomputes everything); over ``records`` nothing is stored."""
    from trucewatch.incidents import build_incidents, filter_incidents

    if records is not None:
        found = build_incidents(records)
        return filter_incidents(found, since=since, place=place)
    from trucewatch.ledger.incidents import list_incidents, refresh

    ledger = Ledger(db)
    try:
        refresh(ledger.engine, full=rebuild)
        found = list_incidents(ledger.engine, since=since)
    finally:
        ledger.close()
    return filter_incidents(found, place=place)


def toll_series(
    db: str | None = None,
    *,
    series_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
    records: list[dict] | None = None,
) -> list[dict]:
    """Toll series: running totals per primary source and scope, apart from incidents (see
    :mod:`trucewatch.incidents.tolls`).  ``since``/``until`` keep the readings as of those days;
    ``series_id`` one series.  Over the ledger pending articles are merged in first; over
    ``records`` nothing is stored."""
    if records is not None:
        from trucewatch.incidents import build_tolls

        found = build_tolls(records)
        if series_id:
            found = [s for s in found if s["series_id"] == series_id]
        if since or until:
            from trucewatch.incidents.tolls import build_series

            lo, hi = (since.isoformat() if since else ""), (until.isoformat() if until else "9999")
            found = build_series(r for s in found for r in s["readings"] if lo <= r["as_of"] <= hi)
        return found
    from trucewatch.ledger.incidents import list_series, refresh

    ledger = Ledger(db)
    try:
        refresh(ledger.engine)
        return list_series(ledger.engine, series_id=series_id, since=since, until=until)
    finally:
        ledger.close()


def batch(paths: Sequence[str], out: str | Path, *, engine: str = "local", workers: int | None = None,
          meta: Path | None = None, use_nlp: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
          master: str | None = None, on_shard: Callable[[dict, int, int], None] | None = None,
          on_warning: Callable[[str], None] | None = None, lock_wait: float = 30.0):
    """Extract inputs into Parquet under ``out`` (resumable); see :mod:`trucewatch.batch`.  A run
    waits up to ``lock_wait`` seconds for another run on the same ``out`` to end."""
    from trucewatch.batch import run

    return run(list(paths), out, engine=engine, workers=workers, meta=meta, use_nlp=use_nlp, max_bytes=max_bytes,
               master=master, on_shard=on_shard, warn=on_warning, lock_wait=lock_wait)


def load(out: str | Path, db: str | None = None, on_part: Callable[[int, int], None] | None = None):
    """Load a batch's Parquet output into the ledger; see :mod:`trucewatch.batch.load`."""
    from trucewatch.batch.load import load as _load

    return _load(out, db, on_part=on_part)
