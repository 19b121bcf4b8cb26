"""Reading inputs: files, directories, stdin, and the ``meta.jsonl`` sidecar.

This is the I/O edge of ingestion.  It yields :class:`SourceDocument` units (a text, HTML or
feed file; one JSON line; one WARC response record) or :class:`Rejection` for what cannot even
be read.  Containers are streamed, so a multi-gigabyte WARC or JSONL file never sits in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from trucewatch.errors import UsageError
from trucewatch.ingest.dates import parse_datetime, to_date
from trucewatch.models import Rejection, SourceDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SIDECAR_NAME = "meta.jsonl"

_EXT_KIND = {
    ".txt": "text", ".text": "text", ".md": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".warc": "warc",
}


@dataclass(frozen=True)
class MetaEntry:
    """One line of a sidecar: values that win over those found in the document."""

    id: str | None
    file: Path
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    language: str | None = None


def load_sidecar(path: Path) -> dict[Path, MetaEntry]:
    """Read a sidecar; ``file`` is relative to the sidecar's folder."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read sidecar {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UsageError(f"sidecar {path} is not UTF-8 text") from None
    out: dict[Path, MetaEntry] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"sidecar {path}:{n}: invalid JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("file"), str):
            raise UsageError(f"sidecar {path}:{n}: each line needs a 'file'")
        f = (path.parent / obj["file"]).resolve()
        pub = to_date(parse_datetime(str(obj["published"]))) if obj.get("published") else None
        out[f] = MetaEntry(
            id=str(obj["id"]) if obj.get("id") else None,
            file=f,
            outlet=obj.get("outlet") or None,
            published=pub,
            url=obj.get("url") or None,
            language=obj.get("language") or None,
        )
    return out


def is_sidecar(path: Path) -> bool:
    """A ``meta.jsonl`` whose lines name files is a sidecar, not a corpus of articles."""
    if path.name != SIDECAR_NAME:
        return False
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((ln for ln in fh if ln.strip()), "")
        obj = json.loads(first)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(obj, dict) and "file" in obj and "text" not in obj


def sniff(name: str, head: bytes) -> str:
    """Guess the format from the name, then from the first bytes."""
    lower = name.lower()
    if lower.endswith((".warc.gz", ".warc")):
        return "warc"
    if lower.endswith((".jsonl.gz", ".ndjson.gz")):
        return "jsonl"
    kind = _EXT_KIND.get(os.path.splitext(lower)[1])
    if kind in ("jsonl", "warc"):
        return kind
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    low = stripped[:1024].lower()
    if stripped.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = gzip.decompress(head) if len(head) < 64 else gzip.GzipFile(fileobj=io.BytesIO(head)).read(16)
        except (OSError, EOFError):
            inner = b""
        if inner.startswith(b"WARC/"):
            return "warc"
    if low.startswith(b"<?xml") or low.startswith((b"<rss", b"<feed", b"<rdf")):
        if b"<rss" in low or b"<feed" in low or b"<rdf" in low:
            return "feed"
        if b"<html" in low:
            return "html"
        return kind or "feed"
    if low.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div", b"<p>")):
        return "html"
    if kind:
        return kind
    if stripped.startswith(b"{"):
        line = stripped.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(line), dict):
                return "jsonl"
        except (ValueError, UnicodeDecodeError):
            pass
    return "text"


DIRECTORY_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".xml", ".rss", ".atom", ".rdf",
                      ".jsonl", ".ndjson", ".warc", ".warc.gz", ".jsonl.gz", ".ndjson.gz")


def _wanted(name: str) -> bool:
    """Files picked up when walking a directory: known article formats, or no extension at all."""
    lower = name.lower()
    return lower.endswith(DIRECTORY_SUFFIXES) or "." not in lower


def _expand(paths: Sequence[str]) -> Iterator[tuple[str, Path | None, Path | None]]:
    """(display name, file, directory it was found under) for each input; '-' is stdin.

    Files named explicitly are always read; inside directories only article formats are taken
    (see DIRECTORY_SUFFIXES), so scripts and images lying next to a corpus are left alone.
    """
    for p in paths:
        if p == "-":
            yield "<stdin>", None, None
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if f.startswith(".") or not _wanted(f):
                        continue
                    fp = Path(root) / f
                    yield str(fp), fp, path
        else:
            yield p, path, None


def _auto_sidecars(paths: Sequence[str]) -> dict[Path, MetaEntry]:
    found: dict[Path, MetaEntry] = {}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for sc in sorted(path.rglob(SIDECAR_NAME)):
                if is_sidecar(sc):
                    found.update(load_sidecar(sc))
    return found


def input_files(paths: Sequence[str], meta: Path | None = None) -> tuple[list[str], dict[Path, MetaEntry]]:
    """The input files the paths stand for (directories walked as :func:`iter_documents` walks
    them, sidecars left out) and the sidecar entries that apply to them: how ``trucewatch batch``
    splits its work into shards that can each be read on their own."""
    sidecar: dict[Path, MetaEntry] = _auto_sidecars(paths)
    if meta is not None:
        sidecar.update(load_sidecar(meta))
    if not paths:
        paths = [str(e.file) for e in sidecar.values()]
    skip = {meta.resolve()} if meta is not None else set()
    files = []
    for name, path, _root in _expand(paths):
        if path is None:
            raise UsageError("batch cannot read standard input: give files or directories")
        if path.resolve() in skip or (path.name == SIDECAR_NAME and is_sidecar(path)):
            continue
        files.append(name)
    return files, sidecar


def iter_documents(
    paths: Sequence[str],
    meta: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    sidecar_entries: dict[Path, MetaEntry] | None = None,
    unit_range: tuple[int, int] | None = None,
) -> Iterator[SourceDocument | Rejection]:
    """Every document unit of the inputs, in order; unreadable inputs come out as rejections.
    ``sidecar_entries`` adds sidecar lines found elsewhere (a batch shard's files);
    ``unit_range`` (first, last), 1-based, keeps only those articles of a JSON Lines file (a batch
    shard's slice of a large file)."""
    sidecar: dict[Path, MetaEntry] = dict(sidecar_entries or {})
    sidecar.update(_auto_sidecars(paths))
    if meta is not None:
        sidecar.update(load_sidecar(meta))
    if not paths:
        if not sidecar:
            raise UsageError("no input: give files, directories, '-' for stdin, or --meta")
        paths = [str(e.file) for e in sidecar.values()]
    seen_ids: dict[str, int] = {}
    sidecar_files = {meta.resolve()} if meta is not None else set()
    for name, path, _root in _expand(paths):
        if path is None:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            yield from _from_bytes(name, data, "stdin", None, max_bytes)
            continue
        resolved = path.resolve()
        if resolved in sidecar_files or (path.name == SIDECAR_NAME and is_sidecar(path)):
            continue
        entry = sidecar.get(resolved)
        base_id = _base_id(path, entry, seen_ids)
        if not path.exists():
            yield Rejection(name=name, reason="no such file or directory")
            continue
        try:
            size = path.stat().st_size
            fh = path.open("rb")
        except OSError as exc:
            yield Rejection(name=name, reason=f"cannot read: {exc.strerror}")
            continue
        with fh:
            head = fh.read(4096)
            kind = sniff(name, head)
            if kind == "jsonl":
                fh.seek(0)
                yield from _jsonl(name, _maybe_gunzip(fh, name), base_id, entry, max_bytes, unit_range)
            elif kind == "warc":
                fh.seek(0)
                yield from _warc(name, fh, base_id, entry, max_bytes)
            elif size > max_bytes:
                yield _too_large(name, fh, size, max_bytes)
            else:
                fh.seek(0)
                data = fh.read()
                yield _doc(name, data, kind, base_id, entry, multi=(kind == "feed"))


def _base_id(path: Path, entry: MetaEntry | None, seen: dict[str, int]) -> str:
    """The id of a file's articles: the sidecar's id, else the file's stem; the second file
    with the same id in one read gets ``~2``, the third ``~3``..."""
    base_id = entry.id if entry and entry.id else _stem(path)
    n = seen.get(base_id, 0)
    seen[base_id] = n + 1
    return f"{base_id}~{n + 1}" if n else base_id


def pin_base_ids(files: Sequence[str], sidecar: dict[Path, MetaEntry]) -> dict[Path, MetaEntry]:
    """The sidecar, with an entry fixing the id of every file whose id depends on the files
    read before it (``x.txt`` in two folders: ``x`` and ``x~2``).

    ``files`` in reading order (as :func:`input_files` gives them).  A batch reads its files in
    separate shards; pinning the ids first gives each article the id one ``ingest`` of all the
    inputs would give it.
    """
    out = dict(sidecar)
    seen: dict[str, int] = {}
    for name in files:
        path = Path(name)
        resolved = path.resolve()
        entry = sidecar.get(resolved)
        base_id = _base_id(path, entry, seen)
        if base_id != (entry.id if entry and entry.id else _stem(path)):
            out[resolved] = replace(entry, id=base_id) if entry else MetaEntry(id=base_id, file=resolved)
    return out


def _stem(path: Path) -> str:
    name = path.name
    for ext in (".warc.gz", ".jsonl.gz", ".ndjson.gz"):
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return path.stem


def _maybe_gunzip(fh: BinaryIO, name: str) -> BinaryIO:
    if name.lower().endswith(".gz"):
        return gzip.GzipFile(fileobj=fh)  # type: ignore[return-value]
    return fh


def _too_large(name: str, fh: BinaryIO, size: int, max_bytes: int) -> Rejection:
    h = hashlib.sha256()
    fh.seek(0)
    for block in iter(lambda: fh.read(1 << 20), b""):
        h.update(block)
    return Rejection(
        name=name,
        reason=f"document too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB; see --max-bytes)",
        sha256=h.hexdigest(),
    )


def _doc(name: str, data: bytes, kind: str, base_id: str, entry: MetaEntry | None, *, multi: bool = False,
         index: int | None = None, url: str | None = None, content_type: str | None = None) -> SourceDocument:
    return SourceDocument(
        name=name,
        data=data,
        kind=kind,  # type: ignore[arg-type]
        base_id=base_id,
        multi=multi,
        index=index,
        url=(url or (entry.url if entry else None)) if multi else ((entry.url if entry else None) or url),
        outlet=entry.outlet if entry else None,
        published=entry.published if entry else None,
        language=entry.language if entry else None,
        content_type=content_type,
        media_hint=name,
    )


def _from_bytes(name: str, data: bytes, base_id: str, entry: MetaEntry | None,
                max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    kind = sniff(name, data[:4096])
    if kind == "jsonl":
        yield from _jsonl(name, io.BytesIO(data), base_id, entry, max_bytes)
    elif kind == "warc":
        yield from _warc(name, io.BytesIO(data), base_id, entry, max_bytes)
    elif len(data) > max_bytes:
        yield Rejection(name=name, reason=f"document too large: more than {max_bytes / 1e6:.1f} MB (see --max-bytes)")
    else:
        yield _doc(name, data, kind, base_id, entry, multi=(kind == "feed"))


def _jsonl(name: str, fh: BinaryIO, base_id: str, entry: MetaEntry | None,
           max_bytes: int, unit_range: tuple[int, int] | None = None) -> Iterator[SourceDocument | Rejection]:
    n = 0
    first, last = unit_range or (1, None)
    try:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            n += 1
            if n < first:
                continue
            if last is not None and n > last:
                break
            unit = f"{name}:{lineno}"
            if len(line) > max_bytes:
                yield Rejection(name=unit, reason=f"line too large: {len(line) / 1e6:.1f} MB (see --max-bytes)",
                                sha256=hashlib.sha256(line).hexdigest())
                continue
            yield _doc(unit, line.rstrip(b"\r\n"), "jsonl", base_id, entry, multi=True, index=n)
    except (OSError, EOFError) as exc:
        yield Rejection(name=name, reason=f"unreadable after line {n}: {exc}")


def _warc(name: str, fh: BinaryIO, base_id: str, entry: MetaEntry | None,
          max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n_html = 0
    n_records = 0
    try:
        for record in ArchiveIterator(fh):
            n_records += 1
            if record.rec_type not in ("response", "resource"):
                continue
            if record.rec_type == "response" and record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
                status = record.http_headers.get_statuscode() or "200"
                if not status.startswith("2"):
                    continue
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            n_html += 1
            unit = f"{name}#{n_html}"
            payload = record.content_stream().read(max_bytes + 1)
            if len(payload) <= max_bytes and getattr(record.raw_stream, "limit", 0) > 0:
                yield Rejection(name=unit, reason=f"truncated or corrupt WARC: record {n_records} ends "
                                                  f"{record.raw_stream.limit} bytes short")
                return
            if len(payload) > max_bytes:
                yield Rejection(name=unit, reason=f"record too large: over {max_bytes / 1e6:.1f} MB (see --max-bytes)")
                continue
            yield _doc(unit, payload, "html", base_id, entry, multi=True, index=n_html, url=uri,
                       content_type=ctype)
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Rejection(name=name, reason=f"truncated or corrupt WARC after {n_records} records: {msg}")
    except Exception as exc:  # zlib.error and friends from damaged gzip members
        yield Rejection(name=name, reason=f"truncated or corrupt WARC after {n_records} records: "
                                          f"{type(exc).__name__}: {exc}")
