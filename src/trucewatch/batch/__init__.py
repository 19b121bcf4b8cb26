"""Corpus-size batches: ``trucewatch batch INPUT... --engine local|spark --out DIR``.

The inputs are split into **shards**: each WARC or feed file is a shard of its own, a JSON Lines
file one shard per :data:`SPLIT_UNITS` articles, loose article files are grouped (at most
:data:`SHARD_FILES`, fewer when that keeps every worker busy) in path order.  A shard is the
unit of work and of resumption.  :func:`run_shard` streams one shard through the extractor and
writes Parquet parts of at most :data:`CHUNK` articles (so a 50,000-article JSONL file never
sits in memory), each written to a temporary name and renamed, then appends one line to
``DIR/_manifest.jsonl`` naming the shard's inputs and parts.  A rerun skips inputs the manifest
lists and first deletes parts no manifest line names (left by a run killed mid-shard), so a
killed batch rerun gives the same output as an uninterrupted one.

Engines run the same :func:`run_shard`:

* ``local`` - a pool of worker processes (all cores by default), each loading the spaCy model
  and the KB once and streaming its shards through ``nlp.pipe`` in batches;
* ``spark`` - a PySpark job: the shards become an RDD, ``mapPartitions`` runs them on the
  executors with the model loaded once per Python worker, and the driver appends the manifest.
  The same job runs on a cluster when the output folder is on storage every executor sees.

Output layout (``pyarrow``)::

    DIR/documents/part-*.parquet   raw input units (sha256, name, kind, base id, bytes)
    DIR/records/part-*.parquet     one row per article: keys, metadata, the record JSON
    DIR/claims|events|casualties/part-*.parquet   the items, flattened, with spans
    DIR/rejections/part-*.parquet  unreadable units with the reason
    DIR/_manifest.jsonl            finished shards

``trucewatch load DIR --db URL`` reads it into the ledger (:func:`trucewatch.batch.load.load`).

Faults: local workers die with the main process (Linux's parent-death signal, and a watchdog
thread elsewhere), so a killed batch leaves no worker writing parts; a run holds ``DIR/_lock``
(inherited by its workers, so it is held until the last of them is gone) and a second run on the
same folder waits for it; and readers (``load``, :func:`parquet.read_table`) read only the parts
the manifest names, so a part that appeared after a cleanup is never counted.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trucewatch.batch import parquet
from trucewatch.ingest import DEFAULT_MAX_BYTES
from trucewatch.ingest.sources import LongLine, MetaEntry, input_files, pin_base_ids, read_lines, sniff

SHARD_FILES = 200
CHUNK = 500
SPLIT_UNITS = 1000  # a JSON Lines file with more articles is cut into shards of this many
MANIFEST = "_manifest.jsonl"
LOCK = "_lock"
CONTAINERS = ("jsonl", "warc", "feed")


@dataclass(frozen=True)
class Shard:
    id: str
    inputs: tuple[str, ...]


@dataclass
class BatchSummary:
    out: str
    engine: str
    shards: int = 0
    skipped_inputs: int = 0
    documents: int = 0
    records: int = 0
    rejected: int = 0
    rejections: list[str] = field(default_factory=list)


def _kind(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            return sniff(path, fh.read(4096))
    except OSError:
        return "unknown"


def _count_units(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    """The units of a JSON Lines file, counted as reading it numbers them (a line too long to be
    read is a unit too), without holding more than ``max_bytes`` of any line."""
    n = 0
    with open(path, "rb") as fh:
        for line in read_lines(fh, max_bytes):
            if isinstance(line, LongLine) or line.strip():
                n += 1
    return n


def work_units(files: Iterable[str], split: int = SPLIT_UNITS, max_bytes: int = DEFAULT_MAX_BYTES) -> list[str]:
    """Input files, with large plain JSON Lines files cut into ``path::first-last`` article ranges
    so that one big file can keep every core busy."""
    out = []
    for f in files:
        if f.lower().endswith((".jsonl", ".ndjson")) and _kind(f) == "jsonl":
            n = _count_units(f, max_bytes)
            if n > split:
                out.extend(f"{f}::{a}-{min(a + split - 1, n)}" for a in range(1, n + 1, split))
                continue
        out.append(f)
    return out


def _split_unit(unit: str) -> tuple[str, tuple[int, int] | None]:
    if "::" in unit:
        path, rng = unit.rsplit("::", 1)
        a, b = rng.split("-")
        return path, (int(a), int(b))
    return unit, None


def plan(files: Iterable[str], shard_files: int = SHARD_FILES) -> list[Shard]:
    """Shards of the work units: containers and file slices alone, loose files in groups, ids from
    the units' names."""
    shards: list[Shard] = []
    loose: list[str] = []

    def add(inputs: list[str]) -> None:
        digest = hashlib.sha1("\0".join(inputs).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        shards.append(Shard(id=digest, inputs=tuple(inputs)))

    for f in files:
        if "::" in f or _kind(f) in CONTAINERS:
            add([f])
        else:
            loose.append(f)
            if len(loose) == shard_files:
                add(loose)
                loose = []
    if loose:
        add(loose)
    return shards


def read_manifest(out: Path) -> list[dict]:
    path = out / MANIFEST
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut by a kill: its shard runs again
    return entries


def append_manifest(out: Path, entry: dict) -> None:
    path = out / MANIFEST
    # a line cut by a kill has no newline: start a fresh line, or this entry would be lost with it
    cut = False
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            cut = fh.read(1) != b"\n"
    with open(path, "a", encoding="utf-8") as fh:
        # ASCII: an input path with bytes its file system's encoding cannot decode stays exact
        fh.write(("\n" if cut else "") + json.dumps(entry) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def clean_orphans(out: Path, entries: list[dict]) -> int:
    """Delete parts that no finished shard names (and temporary files of a killed run)."""
    named = {p for e in entries for p in e.get("parts", [])}
    removed = 0
    for table in parquet.TABLES:
        folder = out / table
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            rel = f"{table}/{f.name}"
            if f.name.endswith(".tmp") or (f.suffix == ".parquet" and rel not in named):
                f.unlink()
                removed += 1
    return removed


# ---------------------------------------------------------------------------------- one shard

_EXTRACTOR = None


def extractor_for(use_nlp: bool):
    """One extractor per worker process, loaded on first use (Spark executors reuse it)."""
    global _EXTRACTOR
    if _EXTRACTOR is None or _EXTRACTOR.use_nlp != use_nlp:
        from trucewatch.pipeline import Extractor

        _EXTRACTOR = Extractor(use_nlp=use_nlp)
    return _EXTRACTOR


def run_shard(shard: Shard, out: str, sidecar: dict[Path, MetaEntry], use_nlp: bool = True,
              max_bytes: int = DEFAULT_MAX_BYTES, chunk: int = CHUNK) -> dict:
    """Extract one shard into Parquet parts; return its manifest entry (not yet appended)."""
    from trucewatch.ingest.sources import iter_documents
    from trucewatch.pipeline import process_documents

    outdir = Path(out)
    extractor = extractor_for(use_nlp)
    path, unit_range = _split_unit(shard.inputs[0])
    if unit_range is not None:
        units = iter_documents([path], max_bytes=max_bytes, sidecar_entries=sidecar, unit_range=unit_range)
    else:
        units = iter_documents(list(shard.inputs), max_bytes=max_bytes, sidecar_entries=sidecar)
    parts: list[str] = []
    buf = parquet.Buffers()
    counts = {"documents": 0, "records": 0, "rejected": 0}
    rejections: list[str] = []
    n_chunk = 0

    def flush() -> None:
        nonlocal n_chunk
        if buf.empty():
            return
        parts.extend(parquet.write_parts(outdir, f"part-{shard.id}-{n_chunk:05d}", buf))
        n_chunk += 1
        buf.clear()

    for res in process_documents(units, extractor):
        counts["documents"] += 1
        if res.rejection is not None:
            counts["rejected"] += 1
            rejections.append(res.rejection.line())
        buf.add(res)
        counts["records"] += len(res.records)
        if buf.n_records >= chunk or buf.n_documents >= chunk:
            flush()
    flush()
    return {"shard": shard.id, "inputs": list(shard.inputs), "parts": parts, **counts, "rejections": rejections}


# ---------------------------------------------------------------------------------- engines

def _die_with_parent() -> None:
    """Make this worker end when the process that started it ends: a killed batch must not leave
    workers writing parts that no manifest line will ever name.  Linux sends the worker SIGKILL
    the moment its parent dies (``PR_SET_PDEATHSIG``); elsewhere a watchdog thread notices within
    half a second."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(0.5)

    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=watch, name="trucewatch-parent-watch", daemon=True).start()


def _pool_init(use_nlp: bool) -> None:
    _die_with_parent()
    extractor_for(use_nlp)


def _pool_run(args) -> dict:
    shard, out, sidecar, use_nlp, max_bytes = args
    return run_shard(shard, out, sidecar, use_nlp, max_bytes)


def _shard_sidecar(shard: Shard, sidecar: dict[Path, MetaEntry]) -> dict[Path, MetaEntry]:
    """The sidecar lines of a shard's own inputs: what each task carries to its worker (the whole
    sidecar of a million-file batch would be copied into every task)."""
    if not sidecar:
        return {}
    paths = (Path(_split_unit(unit)[0]).resolve() for unit in shard.inputs)
    return {p: sidecar[p] for p in paths if p in sidecar}


def run_local(shards: list[Shard], out: Path, sidecar, use_nlp: bool, max_bytes: int, workers: int,
              on_done: Callable[[dict], None]) -> None:
    args = [(s, str(out), _shard_sidecar(s, sidecar), use_nlp, max_bytes) for s in shards]
    if workers <= 1 or len(shards) <= 1:
        for a in args:
            on_done(_pool_run(a))
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(processes=min(workers, len(shards)), initializer=_pool_init, initargs=(use_nlp,)) as pool:
        for entry in pool.imap_unordered(_pool_run, args):
            on_done(entry)


def _spark_partition(items, out: str, use_nlp: bool, max_bytes: int):
    for shard_id, inputs, sidecar in items:
        yield run_shard(Shard(shard_id, tuple(inputs)), out, sidecar, use_nlp, max_bytes)


def run_spark(shards: list[Shard], out: Path, sidecar, use_nlp: bool, max_bytes: int, master: str | None,
              on_done: Callable[[dict], None]) -> None:
    """The same shards as a PySpark job: one RDD partition per shard, run with mapPartitions."""
    import sys
    from functools import partial

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("trucewatch-batch")
    master = master or os.environ.get("TRUCEWATCH_SPARK_MASTER")
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # not launched by spark-submit (which sets the master and hands over its gateway): run locally
        builder = builder.master("local[*]")
    spark = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false") \
        .getOrCreate()
    try:
        rdd = spark.sparkContext.parallelize([(s.id, list(s.inputs), _shard_sidecar(s, sidecar)) for s in shards],
                                             numSlices=max(1, len(shards)))
        job = rdd.mapPartitions(partial(_spark_partition, out=str(out), use_nlp=use_nlp, max_bytes=max_bytes))
        for entry in job.toLocalIterator():
            on_done(entry)
    finally:
        spark.stop()


class _OutputLock:
    """``DIR/_lock``, held (``flock``) for a whole run.  Forked workers inherit it, so after a kill
    it is free only once the last worker is gone; a second run waits for it, then gives up."""

    def __init__(self, outdir: Path, wait: float) -> None:
        from trucewatch.errors import UsageError

        self.fh = None
        try:
            import fcntl
        except ImportError:  # no flock (Windows): no lock
            return
        self.fh = open(outdir / LOCK, "a")  # noqa: SIM115 - held until close()
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError:
                if time.monotonic() >= deadline:
                    self.fh.close()
                    raise UsageError(f"another batch is writing to {outdir} (it holds {outdir / LOCK}); "
                                     f"wait for it to finish or stop it") from None
                time.sleep(0.1)

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def run(paths: list[str], out: str | Path, *, engine: str = "local", workers: int | None = None,
        meta: Path | None = None, use_nlp: bool = True, max_bytes: int = DEFAULT_MAX_BYTES,
        shard_files: int | None = None, master: str | None = None,
        on_shard: Callable[[dict, int, int], None] | None = None, lock_wait: float = 30.0,
        warn: Callable[[str], None] | None = None) -> BatchSummary:
    """Extract the inputs into Parquet under ``out``, resuming a previous run there."""
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    lock = _OutputLock(outdir, lock_wait)
    try:
        return _run(paths, outdir, engine=engine, workers=workers, meta=meta, use_nlp=use_nlp, max_bytes=max_bytes,
                    shard_files=shard_files, master=master, on_shard=on_shard, warn=warn)
    finally:
        lock.close()


def _run(paths: list[str], outdir: Path, *, engine: str, workers: int | None, meta: Path | None, use_nlp: bool,
         max_bytes: int, shard_files: int | None, master: str | None,
         on_shard: Callable[[dict, int, int], None] | None, warn: Callable[[str], None] | None) -> BatchSummary:
    from trucewatch.errors import UsageError

    files, sidecar = input_files(paths, meta, warn)
    sidecar = pin_base_ids(files, sidecar)  # ids as one ingest of all inputs would give them
    units = work_units(files, max_bytes=max_bytes)
    entries = read_manifest(outdir)
    clean_orphans(outdir, entries)
    done = {i for e in entries for i in e.get("inputs", [])}
    todo = [u for u in units if u not in done]
    n_workers = workers or os.cpu_count() or 1
    if shard_files is None:  # small enough shards that every worker stays busy to the end
        shard_files = max(10, min(SHARD_FILES, -(-len(todo) // (n_workers * 4))))
    shards = plan(todo, shard_files)
    summary = BatchSummary(out=str(outdir), engine=engine, shards=len(shards),
                           skipped_inputs=len(units) - len(todo))
    finished = 0

    def on_done(entry: dict) -> None:
        nonlocal finished
        append_manifest(outdir, entry)
        finished += 1
        summary.documents += entry["documents"]
        summary.records += entry["records"]
        summary.rejected += entry["rejected"]
        summary.rejections.extend(entry.get("rejections", []))
        if on_shard is not None:
            on_shard(entry, finished, len(shards))

    if not shards:
        return summary
    if engine == "local":
        run_local(shards, outdir, sidecar, use_nlp, max_bytes, n_workers, on_done)
    elif engine == "spark":
        run_spark(shards, outdir, sidecar, use_nlp, max_bytes, master, on_done)
    else:
        raise UsageError(f"unknown engine {engine!r} (local or spark)")
    return summary
