"""Benchmark: batch throughput against plain spaCy, and peak memory on a large input.

    python bench/batch_throughput.py                      # 500 articles, 1 and 2 processes
    python bench/batch_throughput.py --memory 50000       # also: peak memory of `trucewatch batch`
                                                          # on one JSONL file of 50,000 articles

Articles come from :func:`generate`: news-like synthetic stories (headline, dateline, 8-14
paragraphs of 30-80 words mixing description, background, attributed statements, quotes,
casualty figures, places and times) written from templates and the gazetteer, so no real
article text is used.  The same 500 texts go through:

* **ceiling** - the model alone, as shipped (without TruceWatch's paragraph-break component):
  ``nlp.pipe`` (1 process), ``nlp.pipe(n_process=2)`` (2);
* **TruceWatch** - the batch engine's shard runner (parsing, every stage, Parquet writing),
  in one process, and in a pool of two worker processes over shards of 25 files.

Model loading is left out of every timing (each process loads it before the clock starts).  The
ceiling and TruceWatch run in alternation, three rounds by default, so that both meet the same
moments of a shared machine (which varies by several per cent); each figure is the side's best
run, and the range of the per-round ratios is printed beside it.
Target: TruceWatch at least 85 % of the ceiling with the same number of processes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUTLETS = ["Harbour Post", "Coastal Wire", "Valley Times", "Dune Gazette", "Cedar Herald", "Northwind Radio"]
SPEAKERS = [("the Gaza health ministry", "said"), ("the Israeli military", "said"), ("a Hamas official", "told"),
            ("the civil defence agency", "said"), ("UN relief officials", "reported"), ("Egyptian mediators", "said"),
            ("a spokesman for the army", "said"), ("residents", "said"), ("medics at the hospital", "said")]
ACTS = ["an air strike hit a house", "tank shells landed near a school", "gunfire erupted near the fence",
        "a drone struck a car", "artillery pounded the outskirts", "troops raided a neighbourhood"]
BACKGROUND = [
    "The ceasefire, agreed after weeks of talks, has been tested almost daily since it took effect.",
    "Aid agencies say the number of trucks entering the territory remains far below what is needed.",
    "Negotiators are due to meet again next week to discuss the second phase of the agreement.",
    "Both sides accuse each other of violating the terms, and neither has allowed independent checks.",
    "Families who returned to the north found whole streets reduced to rubble and no running water.",
    "Prices of flour and cooking gas have tripled since the crossings were closed, traders said.",
]
WORDS = ("people families homes streets shelters schools clinics roads convoys trucks markets bakeries "
         "fishermen farmers students doctors nurses engineers volunteers neighbours").split()
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "overnight", "this morning", "late on Friday", "on Sunday"]


def generate(n: int, seed: int = 11) -> list[dict]:
    from trucewatch.kb import load_kb

    rng = random.Random(seed)
    places = sorted(p.name for p in load_kb().places.values()
                    if p.country == "PS" and p.feature in ("town", "city", "camp", "neighbourhood"))
    out = []
    for i in range(n):
        place = rng.choice(places)
        count = rng.randint(2, 40)
        speaker, cue = rng.choice(SPEAKERS)
        paras = [f"{place.upper()} ({rng.choice(OUTLETS)}) - At least {count} people were killed when "
                 f"{rng.choice(ACTS)} in {place} {rng.choice(DAYS)}, {speaker} {cue}."]
        for _ in range(rng.randint(8, 14)):
            kind = rng.random()
            if kind < 0.25:
                s2, c2 = rng.choice(SPEAKERS)
                paras.append(f"\"We have not seen anything like this since the truce began,\" {s2} {c2}, adding "
                             f"that {rng.randint(3, 90)} {rng.choice(WORDS)} had been wounded and that "
                             f"rescue crews were still searching the rubble in {rng.choice(places)}.")
            elif kind < 0.45:
                s2, c2 = rng.choice(SPEAKERS)
                paras.append(f"{s2.capitalize()} {c2} that {rng.choice(ACTS)} in {rng.choice(places)} "
                             f"{rng.choice(DAYS)}, and accused the other side of breaking the agreement.")
            elif kind < 0.7:
                paras.append(rng.choice(BACKGROUND))
            else:
                paras.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 10))).capitalize()
                             + f" gathered near {rng.choice(places)} as {rng.choice(WORDS)} waited for news, "
                             f"while {rng.choice(WORDS)} and {rng.choice(WORDS)} tried to reach relatives "
                             f"by phone through the day.")
        title = f"{count} killed in {place} as truce strains"
        out.append({"id": f"syn-{i:05d}", "title": title, "outlet": rng.choice(OUTLETS),
                    "published": f"2025-10-{rng.randint(10, 28):02d}", "text": title + "\n\n" + "\n\n".join(paras)})
    return out


def _write_folder(articles: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "meta.jsonl", "w") as meta:
        for a in articles:
            (folder / f"{a['id']}.txt").write_text(a["text"])
            meta.write(json.dumps({"id": a["id"], "file": f"{a['id']}.txt", "outlet": a["outlet"],
                                   "published": a["published"]}) + "\n")


class Ceiling:
    """Plain ``nlp.pipe`` of the model exactly as shipped (without TruceWatch's own component)."""

    def __init__(self, texts: list[str], n_process: int) -> None:
        import spacy

        from trucewatch.nlp import MODEL

        self.texts, self.n_process = texts, n_process
        self.nlp = spacy.load(MODEL)
        list(self.nlp.pipe(texts[:4]))  # warm up
        self.tokens = 0

    def run(self) -> float:
        t0 = time.perf_counter()
        self.tokens = sum(len(doc) for doc in self.nlp.pipe(self.texts, batch_size=32, n_process=self.n_process))
        return time.perf_counter() - t0

    def close(self) -> None:
        pass


def _warm(_):
    from trucewatch.batch import extractor_for

    extractor_for(True).nlp  # noqa: B018 - load the model in this worker
    time.sleep(0.2)
    return os.getpid()


def _run(args):
    from trucewatch.batch import run_shard

    shard, out, sidecar = args
    return run_shard(shard, out, sidecar, True)


class TruceWatch:
    """The batch shard runner over the folder, in this process or in a pool of workers."""

    def __init__(self, folder: Path, workers: int) -> None:
        import multiprocessing as mp

        from trucewatch.batch import extractor_for, plan
        from trucewatch.ingest.sources import input_files

        files, self.sidecar = input_files([str(folder)])
        self.shards = plan(files, shard_files=25)
        self.pool = None
        if workers == 1:
            extractor_for(True).nlp  # noqa: B018
            _run((self.shards[0], tempfile.mkdtemp(prefix="tw-bench-out-"), self.sidecar))  # warm up
        else:
            self.pool = mp.get_context("fork").Pool(workers)
            pids = set(self.pool.map(_warm, range(workers * 4), chunksize=1))
            assert len(pids) == workers

    def run(self) -> float:
        out = tempfile.mkdtemp(prefix="tw-bench-out-")
        jobs = [(s, out, self.sidecar) for s in self.shards]
        t0 = time.perf_counter()
        if self.pool is None:
            for job in jobs:
                _run(job)
        else:
            list(self.pool.imap_unordered(_run, jobs))
        return time.perf_counter() - t0

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


def compare(texts: list[str], folder: Path, procs: int, rounds: int = 3) -> dict:
    """Ceiling and TruceWatch timed in alternation, ``rounds`` times each.

    Alternating puts both through the same moments of a shared machine; the figures are each
    side's best run, and the spread of the per-round ratios is reported beside them.
    """
    ceiling, ours = Ceiling(texts, procs), TruceWatch(folder, procs)
    c_times, t_times = [], []
    try:
        for _ in range(rounds):
            c_times.append(ceiling.run())
            t_times.append(ours.run())
    finally:
        ceiling.close()
        ours.close()
    ratios = [c / t for c, t in zip(c_times, t_times, strict=True)]
    return {"procs": procs, "ceiling": min(c_times), "trucewatch": min(t_times), "tokens": ceiling.tokens,
            "ratio_lo": min(ratios), "ratio_hi": max(ratios)}


def _tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            parent[int(d.name)] = int(fields[1])
            rss[int(d.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        for child, ppid in parent.items():
            if ppid == p and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(p, 0) for p in tree) / 1024 / 1024


def memory(n: int) -> dict:
    """Peak RSS of `trucewatch batch` on one JSONL of n articles: the largest single process,
    and the whole process tree (main process and workers together, sampled twice a second)."""
    tmp = Path(tempfile.mkdtemp(prefix="tw-bench-mem-"))
    src = tmp / "articles.jsonl"
    with open(src, "w") as fh:
        for a in generate(n, seed=5):
            fh.write(json.dumps(a) + "\n")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "trucewatch.cli", "batch", str(src), "--out", str(tmp / "out"),
                             "--workers", "2", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tree_peak = 0.0
    while proc.poll() is None:
        tree_peak = max(tree_peak, _tree_rss_mb(proc.pid))
        time.sleep(0.5)
    elapsed = time.perf_counter() - t0
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"articles": n, "returncode": proc.returncode, "seconds": round(elapsed, 1),
            "articles_per_s": round(n / elapsed, 1), "peak_rss_mb": round(peak_children, 1),
            "tree_peak_mb": round(tree_peak, 1), "input_mb": round(src.stat().st_size / 1e6, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=3, help="alternating runs of the ceiling and TruceWatch")
    ap.add_argument("--memory", type=int, default=0, help="also measure peak memory on this many articles")
    a = ap.parse_args()
    articles = generate(a.articles)
    texts = [x["text"] for x in articles]
    folder = Path(tempfile.mkdtemp(prefix="tw-bench-in-"))
    _write_folder(articles, folder)
    rows = [compare(texts, folder, procs, a.rounds) for procs in (1, 2)]
    print(f"{a.articles} synthetic articles, {rows[0]['tokens']:,} tokens, {a.rounds} alternating rounds")
    print(f"{'processes':>9} {'ceiling art/s':>13} {'ceiling tok/s':>13} {'TruceWatch art/s':>16} "
          f"{'TruceWatch tok/s':>16} {'of ceiling':>10} {'rounds':>9}")
    for r in rows:
        c, t, tokens = r["ceiling"], r["trucewatch"], r["tokens"]
        print(f"{r['procs']:>9} {a.articles / c:>13.1f} {tokens / c:>13,.0f} {a.articles / t:>16.1f} "
              f"{tokens / t:>16,.0f} {c / t:>9.0%} {r['ratio_lo']:>4.0%}-{r['ratio_hi']:.0%}")
    if a.memory:
        m = memory(a.memory)
        print(f"memory: {m['articles']:,} articles in one {m['input_mb']} MB JSONL, `batch --workers 2`: "
              f"peak RSS {m['peak_rss_mb']} MB (largest process), {m['tree_peak_mb']} MB (all processes "
              f"together); {m['seconds']} s, {m['articles_per_s']} art/s, exit {m['returncode']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
