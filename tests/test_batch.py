"""`trucewatch batch` and `trucewatch load`: Parquet output, resumption, kill -9, the Spark engine
(local mode) against the local engine, loading into SQLite and PostgreSQL ledgers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trucewatch import api
from trucewatch.batch import parquet, plan, read_manifest
from trucewatch.ledger.store import Ledger

from .conftest import EXAMPLES, FIXTURES


def _records(out: Path) -> list[str]:
    return sorted(r["record"] for r in parquet.iter_rows(out, "records"))


def _inputs(tmp_path) -> list[str]:
    return [str(EXAMPLES), str(FIXTURES / "incidents")]


def test_batch_writes_tables_and_resumes(tmp_path):
    out = tmp_path / "out"
    first = api.batch(_inputs(tmp_path), out, workers=2)
    assert first.rejected == 0 and first.records == 12 and first.shards == 3
    for table in ("documents", "records", "claims", "events", "casualties"):
        assert parquet.read_table(out, table).num_rows > 0, table
    recs = {json.loads(r)["id"]: json.loads(r) for r in _records(out)}
    assert recs["i-2"]["outlet"] == "Coastal Wire"  # the folder's sidecar applies inside shards
    events = parquet.read_table(out, "events").to_pylist()
    for ev in events:
        text = recs[ev["article_id"]]["text"]
        assert 0 <= ev["span_start"] < ev["span_end"] <= len(text)
    again = api.batch(_inputs(tmp_path), out)
    assert (again.shards, again.skipped_inputs, again.records) == (0, 10, 0)
    assert len(_records(out)) == 12


def test_plan_keeps_containers_alone_and_groups_loose_files(tmp_path):
    loose = []
    for i in range(5):
        p = tmp_path / f"a{i}.txt"
        p.write_text(f"Headline {i}\n\nBody {i}.\n")
        loose.append(str(p))
    shards = plan([str(EXAMPLES / "bulletins.jsonl"), *loose], shard_files=2)
    assert [len(s.inputs) for s in shards] == [1, 2, 2, 1]
    assert plan([str(EXAMPLES / "bulletins.jsonl"), *loose], shard_files=2) == shards  # deterministic ids


def test_load_into_the_ledger_equals_ingest(tmp_path, db_url, extractor):
    out = tmp_path / "out"
    api.batch(_inputs(tmp_path), out, workers=1)
    loaded = api.load(out, db_url)
    assert loaded.stored == 11 and loaded.new_revisions == 12
    assert loaded.incidents["incidents_total"] > 0
    assert api.load(out, db_url).stored == 0  # idempotent
    direct = str(tmp_path / "direct.db")
    api.ingest(_inputs(tmp_path), db=direct, extractor=extractor)

    def records(db):
        ledger = Ledger(db)
        try:
            return sorted(json.dumps(r, sort_keys=True) for r in ledger.latest_records())
        finally:
            ledger.close()

    assert records(db_url) == records(direct)
    groups = sorted(tuple(i["articles"]) for i in api.incidents(db_url))
    assert groups == sorted(tuple(i["articles"]) for i in api.incidents(direct))


@pytest.mark.slow
def test_kill_minus_nine_during_batch_then_rerun_gives_the_same_output(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    n = 4000
    for i in range(n):
        (corpus / f"a{i:05d}.txt").write_text(f"Headline {i}\n\nBody of article {i}, in Rafah on Monday.\n")
    clean = tmp_path / "clean"
    api.batch([str(corpus)], clean, workers=1, use_nlp=False)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "trucewatch.cli", "batch", str(corpus), "--out", str(out), "--no-nlp",
           "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(read_manifest(out)) < 3:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(read_manifest(out))
    assert 3 <= done < n // 200, "the kill must land mid-batch"
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert _records(out) == _records(clean)
    ids = [json.loads(r)["id"] for r in _records(out)]
    assert len(ids) == len(set(ids)) == n
    assert not list(out.rglob("*.tmp"))


@pytest.mark.slow
def test_spark_local_mode_gives_the_records_of_the_local_engine(tmp_path):
    """The benchmark's 500 synthetic articles plus the fixtures, through both engines."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark")
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from batch_throughput import _write_folder, generate

    corpus = tmp_path / "synthetic"
    _write_folder(generate(500), corpus)
    inputs = [str(corpus), *_inputs(tmp_path)]
    local = tmp_path / "local"
    spark = tmp_path / "spark"
    api.batch(inputs, local, workers=2)
    summary = api.batch(inputs, spark, engine="spark", master="local[2]")
    assert summary.records == 512 and summary.rejected == 0
    assert _records(spark) == _records(local)
    for table in ("claims", "events", "casualties"):
        a = sorted(json.dumps(r, sort_keys=True) for r in parquet.iter_rows(local, table))
        b = sorted(json.dumps(r, sort_keys=True) for r in parquet.iter_rows(spark, table))
        assert a == b, table


def test_a_large_jsonl_file_is_cut_into_slices_with_the_same_ids(tmp_path):
    src = tmp_path / "big.jsonl"
    with open(src, "w") as fh:
        for i in range(2500):
            fh.write(json.dumps({"title": f"Item {i}", "text": f"Item {i}\n\nA short bulletin, number {i}.",
                                 "outlet": "Dune Gazette", "published": "2025-10-20"}) + "\n")
            if i == 10:
                fh.write("\n")  # blank lines do not shift the numbering
    out = tmp_path / "out"
    summary = api.batch([str(src)], out, workers=2, use_nlp=False)
    assert summary.shards == 3 and summary.records == 2500
    ids = [json.loads(r)["id"] for r in _records(out)]
    assert len(set(ids)) == 2500
    assert {"big-1", "big-1000", "big-1001", "big-2500"} <= set(ids)
    inputs = [i for e in read_manifest(out) for i in e["inputs"]]
    assert sorted(inputs) == sorted([f"{src}::1-1000", f"{src}::1001-2000", f"{src}::2001-2500"])


def test_same_name_files_in_different_shards_get_the_ids_ingest_gives(tmp_path):
    from trucewatch.batch import run
    from trucewatch.pipeline import Extractor

    for folder, body in (("a", "First desk"), ("b", "Second desk"), ("c", "Third desk")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"Night bulletin\n\n{body}: the crossing stayed shut.\n")
    (tmp_path / "b" / "other.txt").write_text("Other bulletin\n\nAid trucks waited at the gate.\n")
    inputs = [str(tmp_path / f) for f in ("a", "b", "c")]
    out = tmp_path / "out"
    summary = run(inputs, out, workers=1, use_nlp=False, shard_files=1)
    assert summary.shards == 4  # every file read alone
    by_text = {json.loads(r)["text"].split("\n")[2]: json.loads(r)["id"] for r in _records(out)}
    ingested = {r.records[0].text.split("\n")[2]: r.records[0].id
                for r in api.extract(inputs, extractor=Extractor(use_nlp=False))}
    assert by_text == ingested
    assert sorted(by_text.values()) == ["other", "report", "report~2", "report~3"]


def test_load_of_two_files_with_the_same_bytes_stores_what_ingest_stores(tmp_path):
    body = "Night bulletin\n\nThe crossing at Kerem Shalom stayed shut on Monday, drivers said.\n"
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "bulletin.txt").write_text(body)
    inputs = [str(tmp_path / "a"), str(tmp_path / "b")]
    out = tmp_path / "out"
    api.batch(inputs, out, workers=1, use_nlp=False)
    loaded_db, ingested_db = str(tmp_path / "loaded.db"), str(tmp_path / "ingested.db")
    from trucewatch.pipeline import Extractor

    api.load(out, loaded_db)
    api.ingest(inputs, db=ingested_db, extractor=Extractor(use_nlp=False))

    def ids(db):
        ledger = Ledger(db)
        try:
            return sorted(r["id"] for r in ledger.latest_records())
        finally:
            ledger.close()

    assert ids(loaded_db) == ids(ingested_db) == ["bulletin"]


def test_an_entry_after_a_line_cut_by_a_kill_is_kept(tmp_path):
    from trucewatch.batch import append_manifest

    (tmp_path / "_manifest.jsonl").write_text('{"shard": "s1", "inputs": ["a"]}\n{"shard": "s2", "inp')
    append_manifest(tmp_path, {"shard": "s3", "inputs": ["c"]})
    assert [e["shard"] for e in read_manifest(tmp_path)] == ["s1", "s3"]


def test_each_shard_carries_only_its_own_sidecar_lines(tmp_path):
    from trucewatch.batch import Shard, _shard_sidecar
    from trucewatch.ingest.sources import MetaEntry

    a, b, big = (tmp_path / n for n in ("a.txt", "b.txt", "big.jsonl"))
    sidecar = {p.resolve(): MetaEntry(id=p.stem, file=p.resolve(), outlet="Dune Gazette") for p in (a, b, big)}
    assert set(_shard_sidecar(Shard("s1", (str(a),)), sidecar)) == {a.resolve()}
    assert set(_shard_sidecar(Shard("s2", (f"{big}::1001-2000",)), sidecar)) == {big.resolve()}
