"""Command line: a thin shell over :mod:`trucewatch.api`.

Exit codes: 0 when every document was read, 1 when any was rejected, 2 for usage errors.
Rejections are reported on stderr, one line each: ``rejected: <document>: <reason>``.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from trucewatch import __version__
from trucewatch.errors import UsageError, printable

app = typer.Typer(
    name="trucewatch",
    help="Evidence-linked ledger of claims, events and casualty figures from ceasefire news coverage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOpt = Annotated[str | None, typer.Option("--db", help="Ledger URL or SQLite path [env: TRUCEWATCH_DB; "
                                                         "default ./trucewatch.db]", show_default=False)]
MetaOpt = Annotated[Path | None, typer.Option("--meta", help="Sidecar meta.jsonl (id, file, outlet, published, "
                                                             "url per file); its values win", exists=False)]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", help="Largest document accepted, in bytes",
                                          min=1)]


class Fmt(StrEnum):
    json = "json"
    jsonl = "jsonl"


class StatusFmt(StrEnum):
    table = "table"
    json = "json"


def _fail_usage(msg: str) -> None:
    err.print(f"error: {printable(msg)}", markup=False)
    raise typer.Exit(2)


def _report(rej) -> None:
    err.print(rej.line(), markup=False)


def _warn(msg: str) -> None:
    """A problem that costs no document (a bad sidecar line, a link not followed): one line."""
    err.print(f"warning: {printable(msg)}", markup=False)


def _say(text: str) -> None:
    """A line of data-derived text on stdout, control characters escaped, never read as markup."""
    out.print(printable(text), markup=False)


def _cell(value) -> Text:
    """A table cell from data (file names, outlets, places): shown as it is written, never read
    as Rich markup, control characters escaped."""
    return Text(printable("" if value is None else str(value)))


def _progress(enabled: bool) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, disable=not enabled, transient=True)


def _version(value: bool) -> None:
    if value:
        out.print(f"trucewatch {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Show the version and exit")] = False) -> None:
    """TruceWatch command line."""


@app.command()
def extract(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, directories, or - for stdin")] = None,
    meta: MetaOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", help="json: one array; jsonl: one record per line")] = Fmt.jsonl,
    max_bytes: MaxBytesOpt = 20_000_000,
) -> None:
    """Print article records (contract v1) for the inputs; stores nothing."""
    from trucewatch import api

    rejected = 0
    records: list[dict] = []
    try:
        for res in api.extract(paths or [], meta=meta, max_bytes=max_bytes, on_warning=_warn):
            if res.rejection is not None:
                rejected += 1
                _report(res.rejection)
                continue
            for rec in res.records:
                if fmt is Fmt.jsonl:
                    sys.stdout.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                else:
                    records.append(rec.to_json())
    except UsageError as exc:
        _fail_usage(str(exc))
    if fmt is Fmt.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    raise typer.Exit(1 if rejected else 0)


@app.command()
def ingest(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, directories, or - for stdin")] = None,
    db: DbOpt = None,
    meta: MetaOpt = None,
    max_bytes: MaxBytesOpt = 20_000_000,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Store documents and anatomy only, "
                                                          "without extraction")] = False,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress",
                                                  help="Progress bar [default: when stderr is a terminal]")] = None,
) -> None:
    """Read the inputs into the ledger (idempotent: known documents are skipped)."""
    from trucewatch import api
    from trucewatch.pipeline import Extractor

    show = err.is_terminal if progress is None else progress
    try:
        with _progress(show) as bar:
            task = bar.add_task("ingesting", total=None)

            def tick(res) -> None:
                if res.rejection is not None:
                    bar.console.print(res.rejection.line(), markup=False)
                bar.advance(task)

            summary = api.ingest(paths or [], db=db, meta=meta, max_bytes=max_bytes,
                                 extractor=Extractor(use_nlp=not no_nlp), on_result=tick, on_warning=_warn,
                                 command="ingest " + " ".join(paths or []))
    except UsageError as exc:
        _fail_usage(str(exc))
        return
    table = Table(title="TruceWatch ledger", show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("in the ledger", justify="right")
    c = summary.counts
    table.add_row("documents read", str(summary.documents), str(c.get("documents", 0)))
    table.add_row("  new / already known", f"{summary.stored} / {summary.skipped}", "")
    table.add_row("  rejected", str(summary.rejected), str(c.get("rejected_documents", 0)))
    table.add_row("article revisions", str(summary.new_revisions), str(c.get("revisions", 0)))
    table.add_row("articles", "", str(c.get("articles", 0)))
    table.add_row("outlets", "", str(c.get("outlets", 0)))
    table.add_row("claims", "", str(c.get("claims", 0)))
    table.add_row("events", "", str(c.get("events", 0)))
    table.add_row("casualty figures", "", str(c.get("casualties", 0)))
    table.add_row("places", "", str(c.get("places", 0)))
    table.add_row("times", "", str(c.get("times", 0)))
    table.add_row("incidents (rebuilt / total)", str(summary.incidents.get("incidents_rebuilt", 0)),
                  str(c.get("incidents", 0)))
    out.print(table)
    out.print(f"ledger: {summary.database}", markup=False)
    raise typer.Exit(1 if summary.rejected else 0)


@app.command()
def status(
    db: DbOpt = None,
    fmt: Annotated[StatusFmt, typer.Option("--format")] = StatusFmt.table,
    limit: Annotated[int, typer.Option("--limit", help="How many rejected documents to list")] = 20,
) -> None:
    """Counts, the last ingest run, and rejected documents with the reason."""
    from trucewatch import api

    try:
        st = api.status(db, rejected_limit=limit)
    except UsageError as exc:
        _fail_usage(str(exc))
        return
    if fmt is StatusFmt.json:
        out.print_json(json.dumps(st))
        return
    table = Table(title=_cell(f"ledger {st['database']} (schema {st['schema_version']})"), header_style="bold")
    table.add_column("")
    table.add_column("count", justify="right")
    for k, v in st["counts"].items():
        table.add_row(k.replace("_", " "), str(v))
    out.print(table)
    run = st["last_ingest"]
    if run:
        out.print(f"last ingest: {run['started_at']} - {run['finished_at'] or 'did not finish'}: "
                  f"{run['documents']} documents, {run['articles']} new article revisions, "
                  f"{run['skipped']} already known, {run['rejected']} rejected", markup=False)
    else:
        out.print("last ingest: never")
    if st["rejected"]:
        rt = Table(title="rejected documents", header_style="bold")
        rt.add_column("document", overflow="fold")
        rt.add_column("reason", overflow="fold")
        rt.add_column("when")
        for r in st["rejected"]:
            rt.add_row(_cell(r["name"]), _cell(r["reason"]), r["at"] or "")
        out.print(rt)


class ReportFmt(StrEnum):
    md = "md"
    json = "json"
    html = "html"


@app.command()
def ceasefire(
    agreement: Annotated[str, typer.Argument(help="Agreement id, e.g. GAZA-2023-11-PAUSE")],
    db: DbOpt = None,
    fmt: Annotated[ReportFmt, typer.Option("--format")] = ReportFmt.md,
) -> None:
    """Report on one agreement: timeline, provisions with evidence, alleged violations by party, exchanges, tolls."""
    from trucewatch import api, report

    try:
        rep = api.ceasefire_report(agreement, db)
    except UsageError as exc:
        _fail_usage(str(exc))
        return
    if fmt is ReportFmt.json:
        sys.stdout.write(json.dumps(rep, ensure_ascii=False, indent=1) + "\n")
    elif fmt is ReportFmt.html:
        sys.stdout.write(report.html_page(rep))
    else:
        sys.stdout.write(report.markdown(rep))


class IncidentFmt(StrEnum):
    table = "table"
    json = "json"


@app.command()
def incidents(
    db: DbOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Only incidents ending on or after this date "
                                                             "(YYYY-MM-DD)")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Only incidents at this place or inside it "
                                                             "(any spelling the gazetteer knows)")] = None,
    fmt: Annotated[IncidentFmt, typer.Option("--format")] = IncidentFmt.table,
    detail: Annotated[bool, typer.Option("--detail", help="Print each incident's figure table, conflicts, "
                                                          "allegations, denials, primary sources and toll series")]
    = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recompute every incident instead of only "
                                                           "merging in new articles")] = False,
) -> None:
    """Incidents merged across outlets: where sources agree, where their figures conflict."""
    from datetime import date as _date

    from trucewatch import api
    from trucewatch.incidents.figures import figure_text

    try:
        day = _date.fromisoformat(since) if since else None
    except ValueError:
        _fail_usage(f"--since: not a date (YYYY-MM-DD): {since!r}")
        return
    try:
        found = api.incidents(db, since=day, place=place, rebuild=rebuild)
    except UsageError as exc:
        _fail_usage(str(exc))
        return
    if fmt is IncidentFmt.json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title=f"{len(found)} incidents", header_style="bold")
    table.add_column("incident", no_wrap=True)
    for col in ("date", "type", "places", "reports", "figures", "flags"):
        table.add_column(col, overflow="fold")
    for inc in found:
        corr = inc["corroboration"]
        # the main scope of each status; figures counting other things are in --detail
        main = {k: r for k, r in inc["ranges"].items() if " " not in k}
        figs = "; ".join(f"{st} {r['min']}" + (f"-{r['max']}" if r["max"] != r["min"] else "")
                         for st, r in main.items())
        if len(inc["ranges"]) > len(main):
            figs += f" (+{len(inc['ranges']) - len(main)} other)"
        reports = f"{len(inc['articles'])}/{corr['independent_outlets']}; {_sources_cell(inc)}"
        table.add_row(inc["incident_id"], inc["date"], inc["type"], _cell(", ".join(inc["places"][:4])),
                      _cell(reports), figs, _cell(", ".join(_flags(inc))))
    out.print(table)
    out.print("reports: articles/independent outlets (syndicated copies counted once); independent primary "
              "sources (sources answering to one authority count once) and their sides", markup=False)
    if detail:
        for inc in found:
            _incident_detail(inc, figure_text)


def _sources_cell(inc: dict) -> str:
    src = inc.get("sources") or {}
    n = src.get("independent", 0)
    sides = src.get("known_sides") or []
    return (f"{n} src" + (f" ({', '.join(sides)})" if sides else "")) if n else "no src named"


def _flags(inc: dict) -> list[str]:
    flags = sorted({f"conflict: {c['field']}" for c in inc["conflicts"]})
    if inc.get("disputed"):
        flags.append("disputed")
    if inc.get("denied_by"):
        flags.append("denied by " + ", ".join(sorted({d["denier"] for d in inc["denied_by"]})))
    if inc.get("toll_series"):
        flags.append(f"toll series: {len(inc['toll_series'])}")
    return flags


def _incident_detail(inc: dict, figure_text) -> None:
    out.print("\n" + printable(f"{inc['incident_id']} - {inc['type']} {inc['date']} {', '.join(inc['places'][:3])}"),
              style="bold", markup=False)
    if inc["figures"]:
        ft = Table(header_style="bold")
        for col in ("article", "outlet", "published", "counts", "figure", "asserted by", "copy of"):
            ft.add_column(col, overflow="fold")
        for f in inc["figures"]:
            ft.add_row(_cell(f["article"]), _cell(f["outlet"]), str(f["published"] or ""),
                       _cell(f.get("scope") or f["status"]), _cell(figure_text(f)), _cell(f["asserted_by"]),
                       _cell(f.get("syndicated_from")))
        out.print(ft)
    for c in inc["conflicts"]:
        label = f" ({c['scope']})" if c.get("scope") else ""
        _say(f"  conflict on {c['field']}{label}: {json.dumps(c['values'], ensure_ascii=False)}")
    for a in inc.get("allegations") or []:
        _say(f"  allegation: {a['accuser']} accuses {a['accused']} of {', '.join(a['acts'])}"
             + (" (each accuses the other)" if a.get("mutual") else ""))
    for d in inc.get("denied_by") or []:
        _say(f"  denied by {d['denier']} ({d['article']}): \u201c{d['text']}\u201d")
    src = inc.get("sources") or {}
    for p in src.get("primary") or []:
        _say(f"  primary source: {p['name']} [{p['side'] or 'side unknown'}] via {', '.join(p['via'])}")
    if src.get("unattributed"):
        _say(f"  in the outlet's own voice (no source named): {', '.join(src['unattributed'])}")
    for t in inc.get("toll_series") or []:
        _say(f"  toll series {t['series_id']}: {t['label']} per {t['source']}: {t['count']} as of {t['as_of']} "
             f"(trucewatch tolls --series {t['series_id']})")


@app.command()
def tolls(
    db: DbOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Only readings as of this day or later "
                                                             "(YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only readings as of this day or earlier "
                                                             "(YYYY-MM-DD)")] = None,
    series: Annotated[str | None, typer.Option("--series", help="One series (its id), every reading")] = None,
    fmt: Annotated[IncidentFmt, typer.Option("--format")] = IncidentFmt.table,
) -> None:
    """Toll series: running totals ("since the war began") per primary source and scope, apart
    from incidents."""
    from datetime import date as _date

    from trucewatch import api
    from trucewatch.incidents.figures import figure_text

    try:
        lo = _date.fromisoformat(since) if since else None
        hi = _date.fromisoformat(until) if until else None
    except ValueError:
        _fail_usage(f"--since/--until: not a date (YYYY-MM-DD): {since or until!r}")
        return
    found = api.toll_series(db, series_id=series, since=lo, until=hi)
    if fmt is IncidentFmt.json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table(title=f"{len(found)} toll series", header_style="bold")
    table.add_column("series", no_wrap=True)
    for col in ("counts", "source", "side", "readings", "latest", "from/to", "revisions"):
        table.add_column(col, overflow="fold")
    for s in found:
        latest = s["latest"]
        source = s["source"]["name"] + (" (own voice)" if s["source"].get("own_voice") else "")
        table.add_row(s["series_id"], _cell(s["label"]), _cell(source), _cell(s["source"].get("side")),
                      str(len(s["readings"])), _cell(f"{figure_text(latest)} as of {latest['as_of']}"),
                      f"{s['first_as_of']} - {s['last_as_of']}",
                      _cell("; ".join(f"{r['from']} -> {r['to']} ({r['to_as_of']})" for r in s["revisions"])))
    out.print(table)
    if series:
        for s in found:
            rt = Table(title=_cell(s["label"]), header_style="bold")
            for col in ("as of", "figure", "article", "outlet", "chain"):
                rt.add_column(col, overflow="fold")
            for r in s["readings"]:
                rt.add_row(r["as_of"], _cell(figure_text(r)), _cell(r["article"]), _cell(r["outlet"]),
                           _cell(" -> ".join(r["chain"])))
            out.print(rt)


class Engine(StrEnum):
    local = "local"
    spark = "spark"


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (WARC, JSONL, feeds, text, HTML)",
                                               metavar="INPUT...")],
    out: Annotated[Path, typer.Option("--out", help="Output folder for the Parquet tables")],
    engine: Annotated[Engine, typer.Option("--engine")] = Engine.local,
    workers: Annotated[int | None, typer.Option("--workers", help="Local worker processes [default: all cores]")]
    = None,
    master: Annotated[str | None, typer.Option("--master", help="Spark master URL [default: local[*], or "
                                                               "what spark-submit sets]")] = None,
    meta: Annotated[Path | None, typer.Option("--meta", help="Sidecar meta.jsonl")] = None,
    no_nlp: Annotated[bool, typer.Option("--no-nlp", help="Anatomy and metadata only")] = False,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Extract a corpus into Parquet (records, claims, events, casualties), resumable by input file."""
    from trucewatch import api

    with _progress(progress) as bar:
        task = bar.add_task("shards", total=None)

        def tick(entry: dict, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            for line in entry.get("rejections", []):
                err.print(line, markup=False)

        try:
            summary = api.batch(paths, out, engine=engine.value, workers=workers, meta=meta, use_nlp=not no_nlp,
                                master=master, on_shard=tick, on_warning=_warn)
        except UsageError as exc:
            _fail_usage(str(exc))
            return
    out_ = summary
    err.print(f"{out_.shards} shard(s) run, {out_.skipped_inputs} input(s) already done; {out_.documents} "
              f"documents, {out_.records} records, {out_.rejected} rejected -> {printable(out_.out)}", markup=False)
    raise typer.Exit(1 if out_.rejected else 0)


@app.command()
def load(
    out: Annotated[Path, typer.Argument(help="A batch output folder")],
    db: DbOpt = None,
) -> None:
    """Load a batch's Parquet output into the ledger (idempotent), then update incidents."""
    from trucewatch import api

    try:
        s = api.load(out, db)
    except UsageError as exc:
        _fail_usage(str(exc))
        return
    incidents = (f"{s.incidents.get('incidents_total', 0)} incidents" if s.incidents else "incidents unchanged")
    err.print(f"{s.documents} documents: {s.stored} stored, {s.skipped} already known; {s.new_revisions} new "
              f"article revisions; {s.rejected} rejections recorded; {incidents} -> {s.database}", markup=False)


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Interface to bind; the default serves this machine only")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8765,
) -> None:
    """Open the web workbench over the ledger (incidents, articles, ceasefire boards, map, search, upload).
    Uploads need TRUCEWATCH_TOKEN set in the server's environment."""
    import uvicorn

    from trucewatch.web import create_app

    try:
        application = create_app(db)
    except UsageError as exc:
        _fail_usage(str(exc))
        return
    writes = ("uploads enabled" if os.environ.get("TRUCEWATCH_TOKEN")
              else "read-only (set TRUCEWATCH_TOKEN to allow uploads)")
    err.print(f"TruceWatch on http://{host}:{port}/ - ledger {application.state.ledger.location} - {writes}",
              markup=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
def agreements() -> None:
    """List the agreements the ceasefire ledger knows."""
    from trucewatch.agreements import load_agreements

    for a in load_agreements().values():
        out.print(f"{a.id}\t{a.in_force} - {a.ended or 'in force'}\t{a.name}", markup=False)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the article record."""
    from trucewatch.schema import schema_text

    sys.stdout.write(schema_text())


def main() -> None:
    try:
        app()
    except UsageError as exc:  # pragma: no cover - commands catch their own
        err.print(f"error: {exc}", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
