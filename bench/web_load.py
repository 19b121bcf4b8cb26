"""Benchmark: the web server under load, on loopback only.

    python bench/web_load.py                       # 300 articles, 2,000 requests, 8 clients
    python bench/web_load.py --ledger L.db         # reuse (or build once into) L.db

Builds a ledger of synthetic articles (strikes and tolls, accusations of violations, aid trucks,
crossings, exchanges of captives and prisoners, returns, quotes - written from templates for
this benchmark; party names come from the agreement's data file, each in turn as accuser and
accused), starts ``trucewatch serve`` on 127.0.0.1 in its own process, asks every distinct URL
once (the warm-up, reported separately: it includes building the ceasefire report), then has 8
client threads, each on one keep-alive connection, send 2,000 requests between them over the
main pages and the JSON API: timeline (plain, filtered, paged), incident, article list and
article, ceasefire list and board, map, claim search, and the API's incidents, exports,
articles, claims and ceasefire report.  Prints latency per endpoint and overall (p50, p95, p99,
max), errors and requests per second.  Target: 0 errors and p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

OUTLETS = ["Harbour Post", "Coastal Wire", "Valley Times", "Dune Gazette", "Cedar Herald", "Northwind Radio"]
PLACES = ["Rafah", "Khan Younis", "Jabalia", "Beit Lahia", "Nuseirat", "Deir al-Balah", "Shujayea", "Bureij",
          "Gaza City", "Beit Hanoun", "Maghazi", "Al-Mawasi"]
CROSSINGS = ["Kerem Shalom", "Rafah", "Zikim"]
SOURCES = ["the civil defence agency", "medics at the nearest hospital", "the health ministry in Gaza",
           "local officials", "residents", "UN relief officials"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
QUOTES = ["We are counting the days until the next phase begins", "Nobody here believes the calm will last",
          "The trucks are not enough for a single neighbourhood", "Every night we listen for the drones"]


def synthetic_articles(n: int, parties: tuple[str, ...], start: date, days: int, seed: int = 20) -> list[dict]:
    """``n`` short news reports written from templates; ``parties`` take turns as accuser and accused."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        day = start + timedelta(days=rng.randrange(days))
        weekday = WEEKDAYS[day.weekday()]
        place, other = rng.sample(PLACES, 2)
        accuser, accused = (parties[i % 2], parties[(i + 1) % 2]) if len(parties) >= 2 else ("one side", "the other")
        killed, hurt = rng.randint(2, 30), rng.randint(3, 60)
        kind = i % 5
        if kind == 0:
            title = f"Strike on {place} home kills {killed}"
            paras = [f"An air strike hit a family home in {place} on {weekday}, killing {killed} people and "
                     f"wounding {hurt}, {rng.choice(SOURCES)} said.",
                     f"{accuser} accused {accused} of violating the ceasefire, while {accused} said it had "
                     f"targeted a weapons store in {place}.",
                     "Rescue crews searched the rubble until the evening, neighbours said."]
        elif kind == 1:
            title = f"{accuser} says {accused} broke the truce in {place}"
            paras = [f"{accuser} accused {accused} of breaking the ceasefire in {place} on {weekday}, saying "
                     f"gunfire had wounded {hurt} people near a school.",
                     f"{accused} denied the accusation and said its forces had fired warning shots.",
                     f"\"{rng.choice(QUOTES)},\" a teacher in {other} said."]
        elif kind == 2:
            trucks = rng.randint(120, 700)
            crossing = rng.choice(CROSSINGS)
            title = f"{trucks} aid trucks enter through {crossing}"
            paras = [f"{trucks} aid trucks entered Gaza through the {crossing} crossing on {weekday}, "
                     f"UN relief officials said.",
                     f"Traders in {place} said flour prices fell for the first time in weeks.",
                     f"The {rng.choice(CROSSINGS)} crossing was closed for part of the day, drivers said."]
        elif kind == 3:
            captives, prisoners = rng.randint(2, 6), rng.randint(30, 200)
            title = f"{captives} captives freed in exchange for {prisoners} prisoners"
            paras = [f"{captives} captives were released on {weekday} in exchange for {prisoners} prisoners, "
                     f"mediators said.",
                     f"Crowds gathered in {place} to greet the released prisoners, witnesses said.",
                     f"\"{rng.choice(QUOTES)},\" a relative said."]
        else:
            title = f"Families return to {place} as tolls are counted"
            paras = [f"Thousands of displaced families returned to {place} on foot on {weekday}, witnesses said.",
                     f"The health ministry in Gaza said {killed} bodies had been recovered from the rubble in "
                     f"{other} since the truce took effect.",
                     f"Shelling killed {max(2, killed // 3)} people in {other} on {weekday}, "
                     f"{rng.choice(SOURCES)} said."]
        out.append({"id": f"load-{i:04d}", "title": title, "outlet": OUTLETS[i % len(OUTLETS)],
                    "published": day.isoformat(), "text": title + "\n\n" + "\n\n".join(paras) + "\n"})
    return out


def build_ledger(db: str, n: int, agreement_id: str) -> None:
    from trucewatch import api
    from trucewatch.agreements import load_agreements

    agreement = load_agreements()[agreement_id]
    span = ((agreement.ended or agreement.in_force + timedelta(days=40)) - agreement.in_force).days
    articles = synthetic_articles(n, agreement.parties, agreement.in_force, max(7, min(span, 50)))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "load.jsonl"
        src.write_text("".join(json.dumps(a) + "\n" for a in articles))
        t0 = time.perf_counter()
        summary = api.ingest([str(src)], db=db)
    print(f"ledger: {n} synthetic articles ingested in {time.perf_counter() - t0:.1f} s "
          f"({summary.counts.get('incidents', 0)} incidents, {summary.counts.get('claims', 0)} claims)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(conn: http.client.HTTPConnection, url: str) -> tuple[int, bytes]:
    conn.request("GET", url)
    resp = conn.getresponse()
    return resp.status, resp.read()


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            if get(conn, "/api/ceasefire")[0] == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def urls(port: int, agreement_id: str, rng: random.Random) -> dict[str, list[str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    incidents = [i["incident_id"] for i in json.loads(get(conn, "/api/incidents?limit=500")[1])["items"]]
    articles = [a["article_id"] for a in json.loads(get(conn, "/api/articles?limit=500")[1])["items"]]
    conn.close()

    def some(ids: list[str], fmt: str, k: int = 12) -> list[str]:
        return [fmt.format(x) for x in rng.sample(ids, min(k, len(ids)))]

    return {
        "page /incidents": ["/incidents", "/incidents?page=2", "/incidents?place=Rafah",
                            "/incidents?type=attack&start=2025-02-01"],
        "page /incidents/{id}": some(incidents, "/incidents/{}"),
        "page /articles": ["/articles", "/articles?page=3"],
        "page /articles/{id}": some(articles, "/articles/{}"),
        "page /ceasefire": ["/ceasefire"],
        "page /ceasefire/{id}": [f"/ceasefire/{agreement_id}"],
        "page /map": ["/map"],
        "page /search": ["/search?q=ceasefire", "/search?speaker=officials", "/search?q=truck"],
        "api incidents": ["/api/incidents", "/api/incidents?limit=20&offset=20", "/api/incidents?place=Jabalia"],
        "api incidents/{id}": some(incidents, "/api/incidents/{}"),
        "api exports": ["/api/incidents.csv", "/api/incidents.geojson"],
        "api articles": ["/api/articles", "/api/articles?limit=100&offset=100"],
        "api articles/{id}": some(articles, "/api/articles/{}"),
        "api claims": ["/api/claims?q=said", "/api/claims?speaker=mediators"],
        "api ceasefire/{id}": [f"/api/ceasefire/{agreement_id}"],
    }


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--agreement", default="GAZA-2025-01-CF")
    ap.add_argument("--ledger", help="SQLite file to use (built there when it does not exist)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = args.ledger or str(Path(tmp.name) / "load.db")
    if not Path(db).exists():
        build_ledger(db, args.articles, args.agreement)
    port = free_port()
    log = open(Path(tmp.name) / "server.log", "w+")  # noqa: SIM115 - read at the end
    server = subprocess.Popen([sys.executable, "-m", "trucewatch.cli", "serve", "--db", db, "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_ready(port, server)
        rng = random.Random(args.seed)
        kinds = urls(port, args.agreement, rng)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        warm = {}
        for kind, group in kinds.items():
            t0 = time.perf_counter()
            for url in group:
                status, _ = get(conn, url)
                if status != 200:
                    print(f"warm-up: {url} -> {status}")
            warm[kind] = (time.perf_counter() - t0) / len(group)
        conn.close()
        plan = [(kind, rng.choice(group)) for kind, group in kinds.items()
                for _ in range(-(-args.requests // len(kinds)))]
        rng.shuffle(plan)
        plan = plan[: args.requests]
        per_client = [plan[i:: args.clients] for i in range(args.clients)]
        results: list[tuple[str, float, bool]] = []
        lock = threading.Lock()

        def client(jobs: list[tuple[str, str]]) -> None:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine = []
            for kind, url in jobs:
                t0 = time.perf_counter()
                try:
                    status, _ = get(c, url)
                    ok = status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    c.close()
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                mine.append((kind, time.perf_counter() - t0, ok))
            c.close()
            with lock:
                results.extend(mine)

        threads = [threading.Thread(target=client, args=(jobs,)) for jobs in per_client]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        errors_logged = [ln for ln in log.read().splitlines() if "Traceback" in ln or "ERROR" in ln]
        log.close()
        tmp.cleanup()
    if errors_logged:
        print(f"server log: {len(errors_logged)} error line(s), first: {errors_logged[0]}")

    print(f"\n{len(results)} requests, {args.clients} clients, {wall:.1f} s, {len(results) / wall:.1f} requests/s "
          f"(warm-up of each URL before: cold ceasefire board {warm['page /ceasefire/{id}'] * 1000:.0f} ms)\n")
    print(f"{'endpoint':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'warm-up ms':>11}")
    for kind in kinds:
        lat = [r[1] * 1000 for r in results if r[0] == kind]
        if lat:
            print(f"{kind:24} {len(lat):5d} {statistics.median(lat):8.1f} {percentile(lat, 0.95):8.1f} "
                  f"{max(lat):8.1f} {warm[kind] * 1000:11.1f}")
    lat = [r[1] * 1000 for r in results]
    errors = sum(1 for r in results if not r[2])
    p95 = percentile(lat, 0.95)
    print(f"{'all':24} {len(lat):5d} {statistics.median(lat):8.1f} {p95:8.1f} {max(lat):8.1f}")
    print(f"\np99 {percentile(lat, 0.99):.1f} ms; errors: {errors}")
    met = errors == 0 and p95 < 300
    print(f"target (0 errors, p95 under 300 ms): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
