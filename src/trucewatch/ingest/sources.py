"""Reading inputs: files, directories, stdin, uploads, and the ``meta.jsonl`` sidecar.

This is the I/O edge of ingestion.  It yields :class:`SourceDocument` units (a text, HTML or
feed file; one JSON line; one WARC response record) or :class:`Rejection` for what cannot even
be read.  Containers are streamed, so a multi-gigabyte WARC or JSONL file never sits in memory,
and every read is bounded before anything is allocated: a line is read at most ``max_bytes`` at a
time (a longer one is hashed block by block and rejected), gzip data is inflated a block at a
time.  A container cut short (a WARC or gzip stream that ends inside a record or member) keeps
what was whole and ends with a rejection naming what was lost.

Problems that cost no document - a bad sidecar line, a symbolic link skipped inside a folder -
go to ``warn`` (one line each; the command line prints them as ``warning: ...``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from trucewatch.errors import UsageError, printable
from trucewatch.ingest.dates import parse_datetime, to_date
from trucewatch.models import Rejection, SourceDocument

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SIDECAR_NAME = "meta.jsonl"
SIDECAR_LINE_LIMIT = 1 << 20  # a longer line is not a sidecar entry
WARC_HEADER_LINE_LIMIT = 1 << 20  # a longer WARC or HTTP header line is corruption, not a header
BLOCK = 1 << 16

Warn = Callable[[str], None]


def _log_warning(message: str) -> None:
    logging.getLogger("trucewatch").warning(message)

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
    line: str | None = field(default=None, compare=False)  # "meta.jsonl:3", for messages


@dataclass(frozen=True)
class LongLine:
    """A line longer than the limit it was read with: only its size and hash were kept."""

    size: int
    sha256: str


def read_lines(fh: BinaryIO, limit: int) -> Iterator[bytes | LongLine]:
    """The lines of a binary stream (line ends kept), none held with more than ``limit`` bytes
    of content: a longer line is read on in blocks, hashed, and given as a :class:`LongLine`."""
    while True:
        line = fh.readline(limit + 2)  # a line of exactly ``limit`` bytes still fits with its CR LF
        if not line:
            return
        if len(line) <= limit or (line.endswith(b"\n") and len(line.rstrip(b"\r\n")) <= limit):
            yield line
            continue
        digest, size = hashlib.sha256(line), len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(BLOCK)
            if not line:
                break
            digest.update(line)
            size += len(line)
        yield LongLine(size=size, sha256=digest.hexdigest())


def load_sidecar(path: Path, warn: Warn | None = None) -> dict[Path, MetaEntry]:
    """Read a sidecar; ``file`` is relative to the sidecar's folder.  A line that cannot be used
    (not JSON, not an object, no ``file``) is skipped and a value that cannot be used (a
    ``published`` that is no date) is left out, each with a warning naming the line; the other
    lines apply."""
    warn = warn or _log_warning
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise UsageError(f"cannot read sidecar {path}: {exc.strerror}") from None
    out: dict[Path, MetaEntry] = {}
    with fh:
        for n, raw in enumerate(read_lines(fh, SIDECAR_LINE_LIMIT), 1):
            where = f"{path}:{n}"
            if isinstance(raw, LongLine):
                warn(f"{where}: a line of {raw.size:,} bytes is no sidecar entry; line ignored")
                continue
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except UnicodeDecodeError:
                warn(f"{where}: not UTF-8 text; line ignored")
                continue
            except json.JSONDecodeError as exc:
                warn(f"{where}: invalid JSON ({exc.msg} at column {exc.colno}); line ignored")
                continue
            if not isinstance(obj, dict):
                warn(f"{where}: not a JSON object; line ignored")
                continue
            if not isinstance(obj.get("file"), str) or not obj["file"].strip():
                warn(f"{where}: no 'file' naming the document; line ignored")
                continue
            entry = _meta_entry(path, obj, where, warn)
            out[entry.file] = entry
    return out


def _meta_entry(path: Path, obj: dict, where: str, warn: Warn) -> MetaEntry:
    def text(key: str) -> str | None:
        value = obj.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            return value
        if key == "id" and isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        warn(f"{where}: '{key}' is not a string; ignored")
        return None

    published = None
    if obj.get("published") not in (None, ""):
        published = to_date(parse_datetime(str(obj["published"])))
        if published is None:
            shown = str(obj["published"])
            warn(f"{where}: 'published' is not a date ({shown[:80]!r}); the document's own date is used")
    return MetaEntry(id=text("id"), file=(path.parent / obj["file"]).resolve(), outlet=text("outlet"),
                     published=published, url=text("url"), language=text("language"), line=where)


def is_sidecar(path: Path) -> bool:
    """A ``meta.jsonl`` whose lines name files is a sidecar, not a corpus of articles."""
    if path.name != SIDECAR_NAME:
        return False
    try:
        with path.open("rb") as fh:
            first = next((ln for ln in read_lines(fh, SIDECAR_LINE_LIMIT)
                          if isinstance(ln, LongLine) or ln.strip()), b"")
        if isinstance(first, LongLine):
            return False
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


def _walk(path: Path, warn: Warn) -> Iterator[tuple[Path, str]]:
    """(folder, file name) under ``path``, in sorted order, hidden entries left out.  Symbolic
    links inside the folder are not followed (a link could bring any readable file into the
    ledger); each one skipped gets a warning.  A link named on the command line is read."""
    for root, dirs, files in os.walk(path):
        kept = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if os.path.islink(os.path.join(root, d)):
                warn(f"{os.path.join(root, d)}: a symbolic link inside a folder is not followed "
                     f"(name it on the command line to read it)")
                continue
            kept.append(d)
        dirs[:] = kept
        for f in sorted(files):
            if f.startswith("."):
                continue
            yield Path(root), f


def _expand(paths: Sequence[str], warn: Warn) -> Iterator[tuple[str, Path | None, Path | None]]:
    """(name, file, directory it was found under) for each input; '-' is stdin.

    Files named explicitly are always read; inside directories only article formats are taken
    (see DIRECTORY_SUFFIXES), so scripts and images lying next to a corpus are left alone, and
    symbolic links are skipped.
    """
    for p in paths:
        if p == "-":
            yield "<stdin>", None, None
            continue
        path = Path(p)
        if path.is_dir():
            for root, f in _walk(path, warn):
                if not _wanted(f):
                    continue
                fp = root / f
                if fp.is_symlink():
                    warn(f"{fp}: a symbolic link inside a folder is not followed "
                         f"(name it on the command line to read it)")
                    continue
                yield str(fp), fp, path
        else:
            yield p, path, None


def _auto_sidecars(paths: Sequence[str], warn: Warn) -> dict[Path, MetaEntry]:
    found: dict[Path, MetaEntry] = {}
    quiet: Warn = lambda _msg: None  # noqa: E731 - links were reported by the walk that reads the files
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, f in _walk(path, quiet):
                sc = root / f
                if f == SIDECAR_NAME and not sc.is_symlink() and is_sidecar(sc):
                    found.update(load_sidecar(sc, warn))
    return found


def _warn_missing(sidecar: dict[Path, MetaEntry], warn: Warn) -> None:
    for entry in sidecar.values():
        if entry.line and not entry.file.exists():
            warn(f"{entry.line}: no such file: {entry.file}; line ignored")


def input_files(paths: Sequence[str], meta: Path | None = None,
                warn: Warn | None = None) -> tuple[list[str], dict[Path, MetaEntry]]:
    """The input files the paths stand for (directories walked as :func:`iter_documents` walks
    them, sidecars left out) and the sidecar entries that apply to them: how ``trucewatch batch``
    splits its work into shards that can each be read on their own."""
    warn = warn or _log_warning
    sidecar: dict[Path, MetaEntry] = _auto_sidecars(paths, warn)
    if meta is not None:
        sidecar.update(load_sidecar(meta, warn))
    if not paths:
        paths = [str(e.file) for e in sidecar.values()]
    else:
        _warn_missing(sidecar, warn)
    skip = {meta.resolve()} if meta is not None else set()
    files = []
    for name, path, _root in _expand(paths, warn):
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
    warn: Warn | None = None,
) -> Iterator[SourceDocument | Rejection]:
    """Every document unit of the inputs, in order; unreadable inputs come out as rejections.
    ``sidecar_entries`` adds sidecar lines found elsewhere (a batch shard's files);
    ``unit_range`` (first, last), 1-based, keeps only those articles of a JSON Lines file (a batch
    shard's slice of a large file); ``warn`` gets the problems that cost no document."""
    warn = warn or _log_warning
    sidecar: dict[Path, MetaEntry] = dict(sidecar_entries or {})
    found = _auto_sidecars(paths, warn)
    if meta is not None:
        found.update(load_sidecar(meta, warn))
    sidecar.update(found)
    if not paths:
        if not sidecar:
            raise UsageError("no input: give files, directories, '-' for stdin, or --meta")
        paths = [str(e.file) for e in sidecar.values()]
    else:
        _warn_missing(found, warn)
    seen_ids: dict[str, int] = {}
    sidecar_files = {meta.resolve()} if meta is not None else set()
    for raw_name, path, _root in _expand(paths, warn):
        name = printable(raw_name)  # how messages and the ledger name it
        if path is None:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _from_stream(name, stream, "stdin", None, max_bytes)
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
            kind = sniff(raw_name, head)
            if kind == "jsonl":
                fh.seek(0)
                yield from _jsonl(name, _maybe_gunzip(fh, raw_name), base_id, entry, max_bytes, unit_range)
            elif kind == "warc":
                fh.seek(0)
                yield from _warc(name, fh, base_id, entry, max_bytes)
            elif size > max_bytes:
                yield _too_large(name, fh, size, max_bytes)
            else:
                fh.seek(0)
                data = fh.read(max_bytes + 1)
                if len(data) > max_bytes:  # it grew while being read
                    yield _too_large(name, fh, len(data), max_bytes)
                else:
                    yield _doc(name, data, kind, base_id, entry, multi=(kind == "feed"))


def iter_uploads(files: Sequence[tuple[str, bytes]], max_bytes: int = DEFAULT_MAX_BYTES
                 ) -> Iterator[SourceDocument | Rejection]:
    """Document units of files held in memory (web uploads): named and given ids by their own
    file names exactly as files read from a folder are (``report.txt`` is article ``report``, so
    an updated upload becomes a new revision), and read as such files are."""
    seen_ids: dict[str, int] = {}
    for raw_name, data in files:
        base_id = _base_id(Path(raw_name), None, seen_ids)
        yield from _from_stream(printable(raw_name), io.BytesIO(data), base_id, None, max_bytes,
                                media_name=raw_name)


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
            return printable(name[: -len(ext)])
    return printable(path.stem)


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


class _Prefixed(io.RawIOBase):
    """A stream that gives ``head`` (bytes already read from ``stream``) and then the rest of
    ``stream``: how standard input is sniffed and still streamed."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        if self.head:
            n = min(len(buf), len(self.head))
            buf[:n] = self.head[:n]
            self.head = self.head[n:]
            return n
        data = self.stream.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def _from_stream(name: str, stream: BinaryIO, base_id: str, entry: MetaEntry | None, max_bytes: int, *,
                 media_name: str | None = None) -> Iterator[SourceDocument | Rejection]:
    """The units of a stream that is read once (standard input, an upload): JSON Lines and WARC
    are streamed like files, so their size is not limited; anything else is one document of at
    most ``max_bytes``."""
    head = b""
    while len(head) < 4096:
        block = stream.read(4096 - len(head))
        if not block:
            break
        head += block
    media_name = media_name or name
    kind = sniff(media_name, head)
    rest: BinaryIO = io.BufferedReader(_Prefixed(head, stream), BLOCK)  # type: ignore[arg-type]
    if kind == "jsonl":
        yield from _jsonl(name, _maybe_gunzip(rest, media_name), base_id, entry, max_bytes)
    elif kind == "warc":
        yield from _warc(name, rest, base_id, entry, max_bytes)
    else:
        data = rest.read(max_bytes + 1)
        if len(data) > max_bytes:
            digest, size = hashlib.sha256(data), len(data)
            for block in iter(lambda: rest.read(BLOCK), b""):
                digest.update(block)
                size += len(block)
            yield Rejection(name=name, sha256=digest.hexdigest(),
                            reason=f"document too large: {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB; "
                                   f"see --max-bytes)")
        else:
            yield _doc(name, data, kind, base_id, entry, multi=(kind == "feed"))


def _jsonl(name: str, fh: BinaryIO, base_id: str, entry: MetaEntry | None,
           max_bytes: int, unit_range: tuple[int, int] | None = None) -> Iterator[SourceDocument | Rejection]:
    """One unit per non-blank line (a line over ``max_bytes`` is a unit too, rejected unread).
    Compressed data that ends early or is damaged ends the file with a rejection naming the line
    where it broke off; the lines before it are kept."""
    n = 0
    lineno = 0
    first, last = unit_range or (1, None)
    try:
        for lineno, line in enumerate(read_lines(fh, max_bytes), 1):
            if not isinstance(line, LongLine) and not line.strip():
                continue
            n += 1
            if n < first:
                continue
            if last is not None and n > last:
                break
            unit = f"{name}:{lineno}"
            if isinstance(line, LongLine):
                yield Rejection(name=unit, reason=f"line too large: {line.size / 1e6:.1f} MB (see --max-bytes)",
                                sha256=line.sha256)
                continue
            yield _doc(unit, line.rstrip(b"\r\n"), "jsonl", base_id, entry, multi=True, index=n)
        if n == 0 and unit_range is None:
            yield Rejection(name=name, reason="empty document")
    except EOFError:
        yield Rejection(name=f"{name}:{lineno + 1}",
                        reason=f"truncated compressed data: the file ends inside line {lineno + 1}; "
                               f"the {lineno} line(s) before it were read, what followed is lost")
    except (OSError, zlib.error) as exc:
        yield Rejection(name=f"{name}:{lineno + 1}",
                        reason=f"unreadable (corrupt compressed data?) after line {lineno}: {printable(str(exc))}; "
                               f"what followed is lost")


class WarcHeaderTooLong(ValueError):
    pass


class _WarcStream:
    """The bytes of a WARC file as warcio is given them: gzip members are inflated here, a
    block at a time and never more than asked for (so a small member cannot balloon in memory),
    the file's end inside a member is noted (``truncated``), and while warcio reads headers
    (``headers``) a line longer than ``header_limit`` is refused."""

    def __init__(self, fh: BinaryIO, header_limit: int = WARC_HEADER_LINE_LIMIT) -> None:
        self.fh = fh
        self.pending = fh.read(2)
        self.gz = self.pending == b"\x1f\x8b"
        self.inflater = zlib.decompressobj(31) if self.gz else None
        self.fed = False  # compressed bytes went into the current member
        self.truncated = False
        self.headers = True
        self.run = 0  # bytes given in header mode since the last line feed
        self.header_limit = header_limit
        self.pos = 0

    def tell(self) -> int:
        return self.pos

    def header_mode(self, on: bool) -> None:
        self.headers, self.run = on, 0

    def read(self, size: int | None = -1) -> bytes:
        size = BLOCK if size is None or size < 0 else max(1, size)
        data = self._inflate(size) if self.gz else self._raw(size)
        if self.headers and data:
            nl = data.rfind(b"\n")
            self.run = len(data) - nl - 1 if nl >= 0 else self.run + len(data)
            if self.run > self.header_limit:
                raise WarcHeaderTooLong(f"a header line longer than {self.header_limit:,} bytes")
        self.pos += len(data)
        return data

    def _raw(self, size: int = BLOCK) -> bytes:
        if self.pending:
            data, self.pending = self.pending, b""
            return data
        return self.fh.read(size)

    def _inflate(self, size: int) -> bytes:
        while True:
            inflater = self.inflater
            if inflater.unconsumed_tail:
                data = inflater.unconsumed_tail
            elif inflater.eof:
                data = inflater.unused_data or self._raw()
                if not data:
                    return b""
                self.inflater = inflater = zlib.decompressobj(31)
                self.fed = False
            else:
                data = self._raw()
                if not data:
                    self.truncated = self.fed
                    return b""
            out = inflater.decompress(data, size)
            self.fed = True
            if out:
                return out


def _archive(stream: _WarcStream):
    """warcio's record iterator over ``stream``, except that the file ending inside a record's
    headers is an error: warcio reads it as the end of the archive."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    class Archive(ArchiveIterator):
        def _next_record(self, next_line):
            try:
                return super()._next_record(next_line)
            except EOFError:
                if next_line or (self.record is None and stream.pos > 0):  # a record had begun
                    raise ArchiveLoadFailed("the file ends inside the headers of a record") from None
                raise

    return Archive(stream)


def _content_length(record) -> int | None:
    value = record.rec_headers.get_header("Content-Length")
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n >= 0 else None


def _warc(name: str, fh: BinaryIO, base_id: str, entry: MetaEntry | None,
          max_bytes: int) -> Iterator[SourceDocument | Rejection]:
    """Each HTML response (or resource) record of a WARC, plain or gzip, as a unit.  Every record
    is read to its end to check that it is whole; a record cut short, a file that ends inside a
    gzip member, or damage ends the file with a rejection saying where, after the records that
    were whole."""
    n_html = 0
    n_records = 0
    stream = _WarcStream(fh)
    try:
        records = iter(_archive(stream))
        while True:
            stream.header_mode(True)
            try:
                record = next(records)
            except StopIteration:
                break
            stream.header_mode(False)
            n_records += 1
            length = _content_length(record)
            if length is None:
                shown = printable(str(record.rec_headers.get_header("Content-Length")))[:40]
                yield Rejection(name=name, reason=f"truncated or corrupt WARC: record {n_records} has no valid "
                                                  f"Content-Length ({shown}); {n_html} article(s) before it were read, "
                                                  f"the rest of the file is lost")
                return
            html = _html_record(record)
            payload = b""
            if html is not None:
                n_html += 1
                payload = record.content_stream().read(max_bytes + 1)
            while record.raw_stream.read(BLOCK):
                pass  # the rest of the record, to know that it is whole
            short = getattr(record.raw_stream, "limit", 0)
            if short > 0:
                unit = f"{name}#{n_html}" if html is not None else name
                what = "" if html is not None else f" (a {printable(str(record.rec_type))} record)"
                yield Rejection(name=unit, reason=f"truncated or corrupt WARC: record {n_records}{what} ends "
                                                  f"{short:,} bytes short; {n_html - (html is not None)} article(s) "
                                                  f"before it were read, the rest of the file is lost")
                return
            if html is None:
                continue
            ctype, uri = html
            unit = f"{name}#{n_html}"
            if len(payload) > max_bytes:
                yield Rejection(name=unit, reason=f"record too large: over {max_bytes / 1e6:.1f} MB (see --max-bytes)")
                continue
            yield _doc(unit, payload, "html", base_id, entry, multi=True, index=n_html, url=uri,
                       content_type=ctype)
    except WarcHeaderTooLong as exc:
        yield Rejection(name=name, reason=f"corrupt WARC after {n_records} records: {exc}; the rest of the file "
                                          f"is lost")
        return
    except Exception as exc:  # warcio's ArchiveLoadFailed, zlib.error and friends from damaged data
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        yield Rejection(name=name, reason=f"truncated or corrupt WARC after {n_records} records: "
                                          f"{printable(msg)[:300]}")
        return
    if n_records == 0 and stream.pos == 0:
        yield Rejection(name=name, reason="empty document")
    if stream.truncated:
        yield Rejection(name=name, reason=f"truncated or corrupt WARC: the file ends inside a gzip member after "
                                          f"record {n_records}; {n_html} article(s) were read, whatever followed "
                                          f"is lost")


def _html_record(record) -> tuple[str, str | None] | None:
    """(content type, target URI) of a record that holds an article: an HTML response with a 2xx
    status, or an HTML resource; None for any other record."""
    if record.rec_type not in ("response", "resource"):
        return None
    if record.rec_type == "response" and record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
        status = record.http_headers.get_statuscode() or "200"
        if not status.startswith("2"):
            return None
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return None
    return ctype, record.rec_headers.get_header("WARC-Target-URI")
