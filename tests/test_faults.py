"""Fault suite: ``kill -9`` at random points of ``ingest`` (the incident refresh included),
``batch`` (its main process alone, and its whole process group) and ``load``; each killed run is
followed by a rerun whose ledger or Parquet output must equal a clean run's, table by table.

The kill points are drawn from a seeded generator: the seed is printed with every failure and
``TRUCEWATCH_FAULT_SEED=<n>`` replays it.  A kill inside the incident refresh is also made
certain, by a driver that stops the refresh after its writes and before its commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from trucewatch import api
from trucewatch.batch import parquet, read_manifest
from trucewatch.ledger.db import resolve_url

SEED = int(os.environ.get("TRUCEWATCH_FAULT_SEED") or random.SystemRandom().randrange(1 << 30))
PLACES = ["Rafah", "Khan Younis", "Jabalia", "Beit Lahia", "Nuseirat", "Deir al-Balah", "Shujayea", "Bureij"]
OUTLETS = ["Harbour Post", "Coastal Wire", "Valley Times", "Dune Gazette", "Northwind Live"]
CLI = [sys.executable, "-m", "trucewatch.cli"]

# Stops the incident refresh after it has deleted and written its rows, before its commit, and
# says so in a marker file: the test kills the process there.
DRIVER = """
import os, sys, time
from pathlib import Path
import trucewatch.ledger.incidents as incidents
real = incidents._refresh
def stalled(*args, **kwargs):
    stats = real(*args, **kwargs)
    Path(os.environ["FAULT_MARKER"]).write_text("refreshing")
    time.sleep(600)
    return stats
incidents._refresh = stalled
from trucewatch.cli import main
sys.argv = ["trucewatch", *sys.argv[1:]]
main()
"""


def _why(rng_note: str) -> str:
    return f"(TRUCEWATCH_FAULT_SEED={SEED}; {rng_note})"


def synthetic_corpus(folder: Path, n: int, *, bad: bool = True) -> Path:
    """``n`` short reports of strikes, tolls and crossings (written for these tests), a sidecar
    giving outlets and dates, and a few unreadable files."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = []
    for i in range(n):
        place, outlet = PLACES[i % len(PLACES)], OUTLETS[i % len(OUTLETS)]
        day, killed, hurt = 3 + (i // len(PLACES)) % 9, 2 + i % 7, 5 + i % 11
        body = (f"Strike reported in {place}\n\n"
                f"An air strike hit a family home in {place} on Tuesday, killing {killed} people and wounding "
                f"{hurt}, the civil defence said.\n\n"
                f"Neighbours said rescue crews searched the rubble until the evening. A military spokesman said "
                f"the strike had targeted a weapons store and that the report was being reviewed.\n\n"
                f"Aid trucks waited at the Kerem Shalom crossing for a {'second' if i % 2 else 'third'} day, "
                f"drivers said.\n")
        name = f"r{i:04d}.txt"
        (folder / name).write_text(body)
        meta.append({"id": f"r-{i}", "file": name, "outlet": outlet, "published": f"2024-03-{day:02d}"})
    (folder / "meta.jsonl").write_text("".join(json.dumps(m) + "\n" for m in meta))
    if bad:
        (folder / "empty.txt").write_bytes(b"")
        (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        (folder / "lines.jsonl").write_text(
            json.dumps({"id": "wire-1", "outlet": "Coastal Wire", "published": "2024-03-04",
                        "text": "Shelling killed three people in Jabalia on Monday, medics said."}) + "\n"
            + '{"text": "cut off\n')
    return folder


# ------------------------------------------------------------------ comparing ledgers and outputs

LEDGER_QUERIES = {
    "documents": "SELECT sha256, name, kind, size, status, reason FROM documents",
    "articles": "SELECT a.article_key, a.article_id, a.revision, a.content_hash, d.sha256, a.outlet, a.url, "
                "a.published, a.title, a.language, a.record FROM articles a JOIN documents d ON d.id = a.document_id",
    "rejections": "SELECT DISTINCT r.name, r.reason, r.sha256 FROM rejections r",
    "incident_articles": "SELECT a.article_key, a.revision, i.article_id, i.copy_of FROM incident_articles i "
                         "JOIN articles a ON a.id = i.article_pk",
    "incident_mentions": "SELECT a.article_key, a.revision, m.mention_key, m.grp, m.day_start, m.day_end, "
                         "m.incident_id FROM incident_mentions m JOIN articles a ON a.id = m.article_pk",
    "incidents": "SELECT incident_id, type, grp, date_start, date_end, places, n_articles, data FROM incidents",
    "toll_readings": "SELECT a.article_key, a.revision, r.mention_key, r.series_id, r.scope_id, r.as_of, r.data "
                     "FROM toll_readings r JOIN articles a ON a.id = r.article_pk",
}
for _items in ("claims", "events", "casualties", "places", "times"):
    LEDGER_QUERIES[_items] = (f"SELECT a.article_key, a.revision, x.* FROM {_items} x "
                              f"JOIN articles a ON a.id = x.article_pk")


def _canon(value):
    if isinstance(value, (bytes, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    return value


def ledger_tables(db: str) -> dict[str, list]:
    """Every table of the ledger but the run log, rows sorted, database ids left out."""
    engine = create_engine(resolve_url(db))
    out = {}
    try:
        with engine.connect() as conn:
            for table, sql in LEDGER_QUERIES.items():
                rows = conn.execute(text(sql)).mappings().all()
                drop = {"id", "article_pk"}
                out[table] = sorted(json.dumps({k: _canon(v) for k, v in row.items() if k not in drop},
                                               sort_keys=True, default=str) for row in rows)
    finally:
        engine.dispose()
    return out


def assert_same_ledger(got: dict, want: dict, note: str) -> None:
    assert got.keys() == want.keys()
    for table in want:
        assert got[table] == want[table], f"table {table} differs from a clean run's {_why(note)}"
    assert want["articles"] and want["incidents"], "the comparison must cover real data"


def parquet_tables(out: Path) -> dict[str, list]:
    """Every Parquet file on disk (not only those the manifest names), per table, rows sorted."""
    import pyarrow.parquet as pq

    tables = {}
    for table in parquet.TABLES:
        rows = []
        for f in sorted((out / table).glob("*")) if (out / table).is_dir() else []:
            assert f.suffix == ".parquet", f"stray file {f}"
            rows += [json.dumps({k: _canon(v) for k, v in r.items()}, sort_keys=True, default=str)
                     for r in pq.read_table(f).to_pylist()]
        tables[table] = sorted(rows)
    return tables


def assert_same_output(out: Path, clean: Path, note: str) -> None:
    got, want = parquet_tables(out), parquet_tables(clean)
    for table in parquet.TABLES:
        assert got[table] == want[table], f"Parquet table {table} differs from a clean run's {_why(note)}"
    named = {p for e in read_manifest(out) for p in e["parts"]}
    on_disk = {f"{t}/{f.name}" for t in parquet.TABLES for f in (out / t).glob("*.parquet")} if out.exists() else set()
    assert on_disk == named, f"parts no manifest line names {_why(note)}"
    inputs = [i for e in read_manifest(out) for i in e["inputs"]]
    assert len(inputs) == len(set(inputs)), f"an input is in the manifest twice {_why(note)}"


# ------------------------------------------------------------------ processes

def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def _kill_after(cmd: list[str], delay: float, *, group: bool = False, env: dict | None = None,
                marker: Path | None = None) -> bool:
    """Start ``cmd``; SIGKILL it (or its process group) after ``delay`` seconds, or as soon as
    ``marker`` exists.  True if the kill landed before the command finished."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=group)
    deadline = time.monotonic() + (delay if marker is None else 300)
    while time.monotonic() < deadline and proc.poll() is None:
        if marker is not None and marker.exists():
            break
        time.sleep(0.01)
    landed = proc.poll() is None
    if landed:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return landed


def _timed(cmd: list[str]) -> float:
    start = time.monotonic()
    res = _run(cmd)
    assert res.returncode in (0, 1), res.stderr
    return time.monotonic() - start


def _driver_env(tmp_path: Path) -> tuple[list[str], dict, Path]:
    driver = tmp_path / "stall_refresh.py"
    driver.write_text(DRIVER)
    marker = tmp_path / "in-refresh"
    marker.unlink(missing_ok=True)
    return [sys.executable, str(driver)], {**os.environ, "FAULT_MARKER": str(marker)}, marker


# ------------------------------------------------------------------ ingest

@pytest.fixture(scope="module")
def ingest_corpus(tmp_path_factory) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("fault-ingest") / "corpus", 40)


@pytest.fixture(scope="module")
def clean_ingest(ingest_corpus, tmp_path_factory) -> tuple[dict, float]:
    db = str(tmp_path_factory.mktemp("fault-clean") / "clean.db")
    seconds = _timed(CLI + ["ingest", str(ingest_corpus), "--db", db, "--no-progress"])
    return ledger_tables(db), seconds


@pytest.mark.slow
def test_kill_during_the_incident_refresh_then_any_command_finishes_it(tmp_path, ingest_corpus, clean_ingest,
                                                                       db_url):
    want, _ = clean_ingest
    driver, env, marker = _driver_env(tmp_path)
    assert _kill_after(driver + ["ingest", str(ingest_corpus), "--db", db_url, "--no-progress"], 0,
                       env=env, marker=marker), "the kill must land inside the refresh"
    assert marker.exists()
    killed = ledger_tables(db_url)
    assert killed["articles"] == want["articles"]  # every document was stored before the refresh
    status = json.loads(_run(CLI + ["status", "--db", db_url, "--format", "json"]).stdout)
    assert status["counts"]["incidents"] == len(want["incidents"]), "status finishes the pending refresh"
    assert_same_ledger(ledger_tables(db_url), want, "status after a kill in the refresh")


@pytest.mark.slow
def test_kill_during_the_incident_refresh_then_rerun_of_ingest_repairs_it(tmp_path, ingest_corpus, clean_ingest):
    want, _ = clean_ingest
    db = str(tmp_path / "killed.db")
    driver, env, marker = _driver_env(tmp_path)
    assert _kill_after(driver + ["ingest", str(ingest_corpus), "--db", db, "--no-progress"], 0, env=env,
                       marker=marker)
    rerun = _run(CLI + ["ingest", str(ingest_corpus), "--db", db, "--no-progress"])
    assert rerun.returncode == 1, rerun.stderr  # the corpus holds unreadable files
    assert_same_ledger(ledger_tables(db), want, "ingest rerun after a kill in the refresh")


@pytest.mark.slow
def test_kill_at_random_points_of_ingest_then_rerun_equals_a_clean_run(tmp_path, ingest_corpus, clean_ingest):
    want, seconds = clean_ingest
    rng = random.Random(SEED)
    for trial in range(3):
        db = str(tmp_path / f"killed-{trial}.db")
        delay = rng.uniform(0.3, seconds)
        _kill_after(CLI + ["ingest", str(ingest_corpus), "--db", db, "--no-progress"], delay)
        rerun = _run(CLI + ["ingest", str(ingest_corpus), "--db", db, "--no-progress"])
        assert rerun.returncode == 1, rerun.stderr
        assert_same_ledger(ledger_tables(db), want, f"ingest killed after {delay:.2f} s")


# ------------------------------------------------------------------ batch

@pytest.fixture(scope="module")
def batch_corpus(tmp_path_factory) -> Path:
    folder = synthetic_corpus(tmp_path_factory.mktemp("fault-batch") / "corpus", 120)
    with open(folder / "wire.jsonl", "w") as fh:
        for i in range(60):
            fh.write(json.dumps({"id": f"w-{i}", "outlet": "Coastal Wire", "published": "2024-03-05",
                                 "text": f"Shelling killed {2 + i % 5} people in {PLACES[i % len(PLACES)]} on "
                                         f"Monday, medics said."}) + "\n")
    return folder


def _batch_cmd(corpus: Path, out: Path) -> list[str]:
    return CLI + ["batch", str(corpus), "--out", str(out), "--workers", "2", "--no-progress"]


@pytest.fixture(scope="module")
def clean_batch(batch_corpus, tmp_path_factory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("fault-batch-clean") / "out"
    seconds = _timed(_batch_cmd(batch_corpus, out))
    return out, seconds


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def wire_files(tmp_path_factory) -> Path:
    """Four JSON Lines files of 1,000 bulletins: two workers each read one for a while."""
    folder = tmp_path_factory.mktemp("fault-wire")
    body = "The crossing at the southern gate stayed shut while drivers waited in the heat. " * 25
    for f in range(4):
        with open(folder / f"wire{f}.jsonl", "w") as fh:
            for i in range(1000):
                fh.write(json.dumps({"id": f"w{f}-{i}", "text": f"Bulletin {i}.\n\n{body}"}) + "\n")
    return folder


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_batch_workers_die_with_their_main_process(tmp_path, wire_files):
    """Killed mid-shard, the main process takes its workers with it: none writes another part."""
    out = tmp_path / "out"
    proc = subprocess.Popen(CLI + ["batch", str(wire_files), "--out", str(out), "--workers", "2", "--no-nlp",
                                   "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def parts() -> set[str]:
        return {f"{t}/{f.name}" for t in parquet.TABLES for f in (out / t).glob("*.parquet")}

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not parts():
        time.sleep(0.005)
    workers = _children(proc.pid)
    assert len(workers) == 2 and proc.poll() is None, "the kill must land while the workers run"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    written = parts()  # the main process is gone: from here on its workers must write nothing
    time.sleep(1.5)
    alive = [w for w in workers if _alive(w)]
    late = parts() - written
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert not alive, "workers outlived their main process"
    assert not late, f"parts written after the main process was killed: {sorted(late)}"


@pytest.mark.slow
@pytest.mark.parametrize("group", [False, True], ids=["main-process", "process-group"])
def test_kill_at_random_points_of_batch_then_rerun_equals_a_clean_run(tmp_path, batch_corpus, clean_batch, group):
    clean, seconds = clean_batch
    rng = random.Random(SEED + (7 if group else 3))
    for trial in range(2):
        out = tmp_path / f"out-{trial}"
        delay = rng.uniform(0.5, seconds)
        _kill_after(_batch_cmd(batch_corpus, out), delay, group=group)
        rerun = _run(_batch_cmd(batch_corpus, out))  # at once: no time for stray workers to finish
        assert rerun.returncode in (0, 1), rerun.stderr  # 1 if an unread file fell to the rerun
        time.sleep(0.5)
        assert_same_output(out, clean, f"batch {'group' if group else 'main process'} killed after {delay:.2f} s")


# ------------------------------------------------------------------ load

@pytest.fixture(scope="module")
def load_output(clean_batch) -> Path:
    return clean_batch[0]


@pytest.fixture(scope="module")
def clean_load(load_output, tmp_path_factory) -> tuple[dict, float]:
    db = str(tmp_path_factory.mktemp("fault-load-clean") / "clean.db")
    seconds = _timed(CLI + ["load", str(load_output), "--db", db])
    return ledger_tables(db), seconds


@pytest.mark.slow
def test_kill_at_random_points_of_load_then_rerun_equals_a_clean_run(tmp_path, load_output, clean_load):
    want, seconds = clean_load
    rng = random.Random(SEED + 11)
    for trial in range(3):
        db = str(tmp_path / f"killed-{trial}.db")
        delay = rng.uniform(0.3, seconds)
        _kill_after(CLI + ["load", str(load_output), "--db", db], delay)
        rerun = _run(CLI + ["load", str(load_output), "--db", db])
        assert rerun.returncode == 0, rerun.stderr
        assert_same_ledger(ledger_tables(db), want, f"load killed after {delay:.2f} s")
    db = str(tmp_path / "killed-refresh.db")
    driver, env, marker = _driver_env(tmp_path)
    assert _kill_after(driver + ["load", str(load_output), "--db", db], 0, env=env, marker=marker)
    rerun = _run(CLI + ["load", str(load_output), "--db", db])
    assert rerun.returncode == 0, rerun.stderr
    assert_same_ledger(ledger_tables(db), want, "load killed in the incident refresh")


# ------------------------------------------------------------------ counting

@pytest.mark.slow
def test_concurrent_ingests_count_each_new_document_once(tmp_path, db_url):
    n = 400
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        (corpus / f"a{i:04d}.txt").write_text(f"Bulletin {i}\n\nThe crossing at gate {i} stayed shut.\n")
    from trucewatch.ledger.store import Ledger

    Ledger(db_url).close()
    cmd = CLI + ["ingest", str(corpus), "--db", db_url, "--no-nlp", "--no-progress"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        _, errors = p.communicate(timeout=300)
        assert p.returncode == 0, errors
    engine = create_engine(resolve_url(db_url))
    try:
        with engine.connect() as conn:
            runs = conn.execute(text("SELECT n_documents, n_skipped, n_rejected, n_articles FROM ingest_runs")).all()
    finally:
        engine.dispose()
    assert len(runs) == 2
    assert sum(r.n_documents - r.n_skipped - r.n_rejected for r in runs) == n, runs
    assert sum(r.n_articles for r in runs) == n, runs


def test_a_batch_names_every_rejection(tmp_path):
    src = tmp_path / "broken.jsonl"
    src.write_text("".join('{"text": "cut\n' for _ in range(120)))
    summary = api.batch([str(src)], tmp_path / "out", workers=1, use_nlp=False)
    assert summary.rejected == 120
    assert len(summary.rejections) == 120
    numbers = {int(m.group(1)) for line in summary.rejections if (m := re.search(r"broken\.jsonl:(\d+): ", line))}
    assert numbers == set(range(1, 121))


def test_outputs_are_read_through_the_manifest_only(tmp_path):
    """A part no manifest line names (written by a worker of a killed run after the rerun cleaned
    up) is neither loaded nor counted."""
    import shutil

    corpus = synthetic_corpus(tmp_path / "corpus", 6, bad=False)
    out = tmp_path / "out"
    api.batch([str(corpus)], out, workers=1, use_nlp=False)
    for table in ("documents", "records"):
        part = next((out / table).glob("*.parquet"))
        shutil.copy(part, out / table / "part-stray-00000.parquet")
    assert parquet.read_table(out, "records").num_rows == 6
    assert sum(1 for _ in parquet.iter_rows(out, "records")) == 6
    loaded = api.load(out, str(tmp_path / "l.db"))
    assert loaded.documents == 6 and loaded.stored == 6


def test_a_second_batch_on_the_same_output_waits_for_the_first(tmp_path):
    import fcntl

    from trucewatch.batch import LOCK
    from trucewatch.errors import UsageError

    corpus = synthetic_corpus(tmp_path / "corpus", 3, bad=False)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / LOCK, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(UsageError, match="another batch"):
            api.batch([str(corpus)], out, workers=1, use_nlp=False, lock_wait=0.3)
    assert api.batch([str(corpus)], out, workers=1, use_nlp=False).records == 3
