"""``trucewatch load DIR --db URL``: a batch's Parquet output into the ledger.

Documents are stored with their records exactly as ``ingest`` stores them (one transaction per
document, skipped when the bytes are already there), so loading twice, or loading output that
overlaps an earlier ingest, changes nothing.  Records are read part by part; only one part's
records for the documents being stored are held at a time.  Incidents are refreshed at the end.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from trucewatch.batch import MANIFEST, parquet
from trucewatch.errors import UsageError
from trucewatch.ledger.store import Ledger
from trucewatch.models import ArticleRecord, Rejection, SourceDocument


@dataclass
class LoadSummary:
    database: str
    documents: int = 0
    stored: int = 0
    skipped: int = 0
    rejected: int = 0
    new_revisions: int = 0
    incidents: dict = field(default_factory=dict)


def load(out: str | Path, db: str | None = None, *, ledger: Ledger | None = None,
         on_part: Callable[[int, int], None] | None = None) -> LoadSummary:
    outdir = Path(out)
    if not (outdir / MANIFEST).exists() and not (outdir / "documents").is_dir():
        raise UsageError(f"{outdir} holds no batch output (no {MANIFEST})")
    own = ledger is None
    ledger = ledger or Ledger(db)
    try:
        summary = LoadSummary(database=ledger.location)
        run_id = ledger.start_run(f"load {outdir}")
        doc_parts = sorted((outdir / "documents").glob("*.parquet")) if (outdir / "documents").is_dir() else []
        for n, part in enumerate(doc_parts, 1):
            records: dict[str, list[ArticleRecord]] = defaultdict(list)
            rec_part = outdir / "records" / part.name
            if rec_part.exists():
                for row in parquet.iter_rows_of(rec_part, ["document_sha256", "record"]):
                    records[row["document_sha256"]].append(ArticleRecord.model_validate(json.loads(row["record"])))
            for row in parquet.iter_rows_of(part):
                summary.documents += 1
                doc = SourceDocument(name=row["name"], data=row["data"], kind=row["kind"] or "unknown",
                                     base_id=row["base_id"], multi=bool(row["multi"]), index=row["index"],
                                     url=row["url"], outlet=row["outlet"])
                res = ledger.store_document(doc, records.get(row["sha256"], []), run_id)
                if res.status == "skipped":
                    summary.skipped += 1
                else:
                    summary.stored += 1
                    summary.new_revisions += res.new_revisions
            if on_part is not None:
                on_part(n, len(doc_parts))
        for row in parquet.iter_rows(outdir, "rejections"):
            summary.rejected += 1
            ledger.store_rejection(Rejection(name=row["name"], reason=row["reason"], data=row["data"],
                                             sha256=row["sha256"]), None, run_id)
        ledger.finish_run(run_id, documents=summary.documents, articles=summary.new_revisions,
                          skipped=summary.skipped, rejected=summary.rejected)
        if summary.new_revisions:
            from trucewatch.ledger.incidents import refresh

            summary.incidents = vars(refresh(ledger.engine))
        return summary
    finally:
        if own:
            ledger.close()
