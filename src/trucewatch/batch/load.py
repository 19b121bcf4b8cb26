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
from pathlib import Path

from trucewatch.batch import MANIFEST, parquet
from trucewatch.errors import UsageError
from trucewatch.ledger.store import IngestSummary, Ledger
from trucewatch.models import ArticleRecord, Rejection, SourceDocument


def load(out: str | Path, db: str | None = None, *, ledger: Ledger | None = None,
         on_part: Callable[[int, int], None] | None = None) -> IngestSummary:
    outdir = Path(out)
    if not (outdir / MANIFEST).exists() and not (outdir / "documents").is_dir():
        raise UsageError(f"{outdir} holds no batch output (no {MANIFEST})")
    own = ledger is None
    ledger = ledger or Ledger(db)
    try:
        summary = IngestSummary(database=ledger.location)
        run_id = ledger.start_run(f"load {outdir}")
        doc_parts = parquet.part_files(outdir, "documents")  # only the parts the manifest names
        rec_parts = {p.name: p for p in parquet.part_files(outdir, "records")}
        for n, part in enumerate(doc_parts, 1):
            # a document's records: by its bytes and its name (two files with the same bytes are two
            # documents to the batch; the ledger keeps the first, as ingest does)
            records: dict[tuple[str, str], list[ArticleRecord]] = defaultdict(list)
            rec_part = rec_parts.get(part.name)
            if rec_part is not None:
                for row in parquet.iter_rows_of(rec_part, ["document_sha256", "document_name", "record"]):
                    key = (row["document_sha256"], row["document_name"])
                    records[key].append(ArticleRecord.model_validate(json.loads(row["record"])))
            for row in parquet.iter_rows_of(part):
                summary.documents += 1
                doc = SourceDocument(name=row["name"], data=row["data"], kind=row["kind"] or "unknown",
                                     base_id=row["base_id"], multi=bool(row["multi"]), index=row["index"],
                                     url=row["url"], outlet=row["outlet"])
                summary.add(ledger.store_document(doc, records.get((row["sha256"], row["name"]), []), run_id))
            if on_part is not None:
                on_part(n, len(doc_parts))
        for row in parquet.iter_rows(outdir, "rejections"):
            rejection = Rejection(name=row["name"], reason=row["reason"], data=row["data"], sha256=row["sha256"])
            ledger.store_rejection(rejection, None, run_id)
            summary.reject(rejection)
        return ledger.finish(run_id, summary)
    finally:
        if own:
            ledger.close()
