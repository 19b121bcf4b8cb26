"""Parquet tables of a batch: rows from extraction results, parts written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from trucewatch.ledger.store import sha256
from trucewatch.pipeline import DocumentResult

TABLES = ("documents", "records", "claims", "events", "casualties", "rejections")

_S, _I, _B = pa.string(), pa.int64(), pa.binary()
SCHEMAS = {
    "documents": pa.schema([("sha256", _S), ("name", _S), ("kind", _S), ("base_id", _S), ("multi", pa.bool_()),
                            ("index", _I), ("url", _S), ("outlet", _S), ("data", _B)]),
    "records": pa.schema([("document_sha256", _S), ("document_name", _S), ("id", _S), ("outlet", _S),
                          ("url", _S), ("published", _S), ("title", _S), ("language", _S), ("n_tokens", _I),
                          ("record", _S)]),
    "claims": pa.schema([("article_id", _S), ("idx", _I), ("speaker", _S), ("speaker_affiliation", _S),
                         ("cue", _S), ("mode", _S), ("channel", _S), ("kind", _S), ("content", _S),
                         ("span_start", _I), ("span_end", _I)]),
    "events": pa.schema([("article_id", _S), ("idx", _I), ("type", _S), ("subtype", _S), ("actor", _S),
                         ("target", _S), ("places", pa.list_(_S)), ("date", _S), ("asserted_by", _S),
                         ("span_start", _I), ("span_end", _I)]),
    "casualties": pa.schema([("article_id", _S), ("idx", _I), ("status", _S), ("count", _I), ("count_max", _I),
                             ("qualifier", _S), ("who", _S), ("place", _S), ("date", _S), ("perpetrator", _S),
                             ("asserted_by", _S), ("span_start", _I), ("span_end", _I)]),
    "rejections": pa.schema([("name", _S), ("reason", _S), ("sha256", _S), ("data", _B)]),
}


def _tokens(text: str) -> int:
    return len(text.split())


class Buffers:
    """Rows of the six tables for the results seen since the last flush."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.n_records = 0
        self.n_documents = 0

    def empty(self) -> bool:
        return not any(self.rows.values())

    def clear(self) -> None:
        for v in self.rows.values():
            v.clear()
        self.n_records = self.n_documents = 0

    def add(self, res: DocumentResult) -> None:
        self.n_documents += 1
        if res.rejection is not None:
            rej = res.rejection
            data = res.document.data if res.document is not None else rej.data
            self.rows["rejections"].append({"name": rej.name, "reason": rej.reason,
                                            "sha256": sha256(data) if data else rej.sha256,
                                            "data": data})
            return
        doc = res.document
        if doc is None:
            return
        digest = sha256(doc.data)
        self.rows["documents"].append({"sha256": digest, "name": doc.name, "kind": doc.kind, "base_id": doc.base_id,
                                       "multi": doc.multi, "index": doc.index, "url": doc.url,
                                       "outlet": doc.outlet, "data": doc.data})
        for rec in res.records:
            self.n_records += 1
            j = rec.to_json()
            aid = j["id"]
            self.rows["records"].append({"document_sha256": digest, "document_name": doc.name, "id": aid,
                                         "outlet": j.get("outlet"), "url": j.get("url"),
                                         "published": j.get("published"), "title": j.get("title"),
                                         "language": j.get("language"),
                                         "n_tokens": _tokens(j.get("text") or ""),
                                         "record": json.dumps(j, ensure_ascii=False, sort_keys=True)})
            for i, c in enumerate(j.get("claims") or []):
                s, e = c.get("content_span") or (None, None)
                self.rows["claims"].append({"article_id": aid, "idx": i, **{k: c.get(k) for k in (
                    "speaker", "speaker_affiliation", "cue", "mode", "channel", "kind", "content")},
                    "span_start": s, "span_end": e})
            for i, ev in enumerate(j.get("events") or []):
                s, e = ev.get("evidence") or (None, None)
                self.rows["events"].append({"article_id": aid, "idx": i, **{k: ev.get(k) for k in (
                    "type", "subtype", "actor", "target", "places", "date", "asserted_by")},
                    "span_start": s, "span_end": e})
            for i, c in enumerate(j.get("casualties") or []):
                s, e = c.get("evidence") or (None, None)
                self.rows["casualties"].append({"article_id": aid, "idx": i, **{k: c.get(k) for k in (
                    "status", "count", "count_max", "qualifier", "who", "place", "date", "perpetrator",
                    "asserted_by")}, "span_start": s, "span_end": e})


def write_parts(out: Path, name: str, buf: Buffers) -> list[str]:
    """One Parquet file per non-empty table, each written to ``.tmp`` and renamed into place."""
    written = []
    for table, rows in buf.rows.items():
        if not rows:
            continue
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{name}.parquet"
        tmp = folder / f"{name}.parquet.tmp"
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), tmp, compression="zstd")
        os.replace(tmp, final)
        written.append(f"{table}/{final.name}")
    return written


def part_files(out: Path, table: str) -> list[Path]:
    """The parts of one table that finished shards name in the manifest, in name order: a part
    no manifest line names (the remains of a killed run, or one a stray worker wrote after the
    rerun cleaned up) is never read.  Without a manifest, every part on disk."""
    from trucewatch.batch import MANIFEST, read_manifest

    out = Path(out)
    folder = out / table
    if not folder.is_dir():
        return []
    if not (out / MANIFEST).exists():
        return sorted(folder.glob("*.parquet"))
    named = {p for e in read_manifest(out) for p in e.get("parts", [])}
    return sorted(f for f in folder.glob("*.parquet") if f"{table}/{f.name}" in named)


def read_table(out: Path, table: str, columns: list[str] | None = None) -> pa.Table:
    """All parts of one table (an empty table when there are none)."""
    files = part_files(out, table)
    if not files:
        return SCHEMAS[table].empty_table() if columns is None else SCHEMAS[table].empty_table().select(columns)
    return pa.concat_tables([pq.read_table(f, columns=columns, schema=SCHEMAS[table]) for f in files])


def iter_rows(out: Path, table: str, columns: list[str] | None = None, batch_size: int = 1000):
    """Rows of one table, part by part and batch by batch (nothing held in memory at once)."""
    for f in part_files(out, table):
        pf = pq.ParquetFile(f)
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
            yield from batch.to_pylist()


def iter_rows_of(path: Path, columns: list[str] | None = None, batch_size: int = 1000):
    """Rows of one Parquet file, batch by batch."""
    for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=columns):
        yield from batch.to_pylist()
