"""The analyst's workbench: a FastAPI app over the ledger (HTML pages and a JSON API).

``trucewatch serve`` runs it with uvicorn on 127.0.0.1 by default.  Pages are rendered on the
server with Jinja2 (autoescaping on) and contain no script at all; a Content-Security-Policy
forbids scripts, so markup smuggled in an article can neither run nor load anything.  Reading
needs no login; ingest/upload needs the token from ``TRUCEWATCH_TOKEN`` (``Authorization:
Bearer <token>`` for the API, the form's token field for the upload page) and is refused
entirely when no token is configured.  A write is refused before its body is read: the token
first (the API's header; the form's token field, which comes before the files), then the
declared size, then a running cap on the streamed body (:mod:`trucewatch.web.uploads`); nothing
is stored unless every file passes the limits, and nothing is spooled to disk.  Every query and
path parameter is bounded (422 otherwise), search terms are matched as text (``%`` and ``_``
are not wildcards), CSV cells that a spreadsheet would run as formulas are neutralised, and the
ceasefire report is cached per ledger state.
"""

from __future__ import annotations

import csv
import hmac
import io
import os
import threading
from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from trucewatch.incidents import filter_incidents
from trucewatch.incidents.figures import figure_text
from trucewatch.kb import load_kb
from trucewatch.ledger.store import Ledger
from trucewatch.web import data, render, uploads

HERE = Path(__file__).parent
MAX_FILES = 20
MAX_FILE_BYTES = 5 * 1024 * 1024
PAGE = 25
MAX_CACHED_INCIDENTS = 20_000  # above this many, incident lists are selected in SQL per request
MAX_OFFSET = 1_000_000_000  # far beyond any ledger; keeps OFFSET within every database's integers
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
# Bounded parameters: longer values, NUL characters and offsets past MAX_OFFSET are a 422.
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, Query(ge=1, le=500)]
PageNo = Annotated[int, Query(alias="page", ge=1, le=MAX_OFFSET // PAGE)]
Day = Annotated[str | None, Query(max_length=32, pattern=NO_NUL)]
Filter = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]
Term = Annotated[str, Query(max_length=500, pattern=NO_NUL)]
ArticleId = Annotated[str, PathParam(max_length=1000, pattern=NO_NUL)]
IncidentId = Annotated[str, PathParam(max_length=200, pattern=NO_NUL)]
AgreementId = Annotated[str, PathParam(max_length=200, pattern=NO_NUL)]
SeriesId = Annotated[str, PathParam(max_length=200, pattern=NO_NUL)]
MULTIPART_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["files"],
    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}}
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")


def create_app(db: str | None = None, *, token: str | None = None, max_files: int = MAX_FILES,
               max_file_bytes: int = MAX_FILE_BYTES) -> FastAPI:
    ledger = Ledger(db)
    secret = token if token is not None else os.environ.get("TRUCEWATCH_TOKEN") or None
    app = FastAPI(title="TruceWatch", version=_version(), docs_url=None, redoc_url=None,
                  description="Evidence-linked ledger of claims, events and casualty figures. Reading is open; "
                              "POST /api/ingest needs `Authorization: Bearer <TRUCEWATCH_TOKEN>`.")
    app.state.ledger = ledger
    app.state.extractor = None
    ingest_lock = threading.Lock()  # one upload extracts at a time (one model, one writer)
    cache = data.StateCache(ledger.engine)  # incidents, filters, exports, reports: per ledger state
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["speaker_class"] = render.speaker_class
    templates.env.globals["figure_text"] = figure_text
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    def page(request: Request, name: str, **ctx) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx)

    def matching(start: str | None, end: str | None, place: str | None = None, type: str | None = None,
                 party: str | None = None) -> list[dict]:
        """Incidents passing the filters, computed once per ledger state and filter.  The ledger's
        incidents are read and parsed once per state while there are at most MAX_CACHED_INCIDENTS;
        beyond that the period and type are selected in SQL on every request."""
        since, until = parse_day(start, "start"), parse_day(end, "end")
        key = ("incidents", since, until, type or None, place or None, party or None)

        def build() -> list[dict]:
            every = cache.get(("all incidents",), lambda: data.all_incidents(ledger.engine, MAX_CACHED_INCIDENTS))
            if every is None:
                found = data.incidents(ledger.engine, since=since, until=until, type=type or None)
                return filter_incidents(found, place=place or None, party=party or None)
            return filter_incidents(every, since=since, until=until, type=type or None, place=place or None,
                                    party=party or None)

        return cache.get(key, build)

    def up_to_date() -> None:
        cache.current()

    def parse_day(value: str | None, name: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise HTTPException(422, f"{name}: not a date (YYYY-MM-DD): {value!r}") from None

    def check_token(given: str | None) -> None:
        if secret is None:
            raise HTTPException(403, "writes are disabled: start the server with TRUCEWATCH_TOKEN set")
        if not given or not hmac.compare_digest(given.encode(), secret.encode()):
            raise HTTPException(401, "a valid token is required to ingest")

    def writes_enabled() -> None:
        if secret is None:
            raise HTTPException(403, "writes are disabled: start the server with TRUCEWATCH_TOKEN set")

    # ------------------------------------------------------------------ API

    @app.get("/api/incidents", tags=["incidents"])
    def api_incidents(start: Day = None, end: Day = None, place: Filter = None, type: Filter = None,
                      party: Filter = None, limit: Limit = 50, offset: Offset = 0) -> dict:
        """Incidents across outlets, oldest first, filtered and paginated."""
        found = matching(start, end, place, type, party)
        return {"total": len(found), "limit": limit, "offset": offset, "items": found[offset:offset + limit]}

    @app.get("/api/incidents.csv", tags=["incidents"], response_class=Response)
    def api_incidents_csv(start: Day = None, end: Day = None, place: Filter = None, type: Filter = None,
                          party: Filter = None) -> Response:
        """One row per figure of every matching incident (incidents without figures get one row)."""
        text = cache.get(("csv", start, end, place, type, party),
                         lambda: _csv(matching(start, end, place, type, party)))
        return Response(text, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="incidents.csv"'})

    def _csv(found: list[dict]) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["incident_id", "type", "date", "places", "articles", "independent_outlets", "article", "outlet",
                    "published", "status", "count", "count_max", "qualifier", "asserted_by", "conflicts", "scope",
                    "primary_sources", "sides", "disputed", "denied_by"])
        for inc in found:
            head = [inc["incident_id"], inc["type"], inc["date"], "; ".join(inc["places"]), len(inc["articles"]),
                    inc["corroboration"]["independent_outlets"]]
            conflicts = "; ".join(sorted({c["field"] for c in inc["conflicts"]}))
            tail = [(inc.get("sources") or {}).get("independent", ""),
                    "; ".join((inc.get("sources") or {}).get("known_sides") or []),
                    "yes" if inc.get("disputed") else "",
                    "; ".join(sorted({d["denier"] for d in inc.get("denied_by") or []}))]
            for f in inc["figures"] or [{}]:
                w.writerow([_csv_cell(v) for v in head + [
                    f.get("article", ""), f.get("outlet", ""), f.get("published", ""), f.get("status", ""),
                    f.get("count", ""), f.get("count_max", ""), f.get("qualifier", ""), f.get("asserted_by", ""),
                    conflicts, f.get("scope", "")] + tail])
        return buf.getvalue()

    @app.get("/api/incidents.geojson", tags=["incidents"])
    def api_incidents_geojson(start: Day = None, end: Day = None, place: Filter = None, type: Filter = None,
                              party: Filter = None) -> JSONResponse:
        """Matching incidents as GeoJSON points (one per gazetteer place with coordinates)."""
        collection = cache.get(("geojson", start, end, place, type, party),
                               lambda: _geojson(matching(start, end, place, type, party)))
        return JSONResponse(collection, media_type="application/geo+json")

    def _geojson(found: list[dict]) -> dict:
        features = []
        for inc, pid, lat, lon in _located(found):
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                             "properties": {"incident_id": inc["incident_id"], "type": inc["type"],
                                            "date": inc["date"], "place_id": pid,
                                            "articles": len(inc["articles"]),
                                            "conflicts": sorted({c["field"] for c in inc["conflicts"]})}})
        return {"type": "FeatureCollection", "features": features}

    @app.get("/api/incidents/{incident_id}", tags=["incidents"])
    def api_incident(incident_id: IncidentId) -> dict:
        up_to_date()
        inc = data.incident(ledger.engine, incident_id)
        if inc is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        return inc

    @app.get("/api/tolls", tags=["incidents"])
    def api_tolls(start: Day = None, end: Day = None) -> dict:
        """Toll series: running totals per primary source and scope, apart from incidents (only
        the readings as of days in [start, end] when given)."""
        found = data.tolls(ledger.engine, since=parse_day(start, "start"), until=parse_day(end, "end"))
        return {"total": len(found), "items": found}

    @app.get("/api/tolls/{series_id}", tags=["incidents"])
    def api_toll(series_id: SeriesId) -> dict:
        found = data.tolls(ledger.engine, series_id=series_id)
        if not found:
            raise HTTPException(404, f"no toll series {series_id!r}")
        return found[0]

    @app.get("/api/articles", tags=["articles"])
    def api_articles(limit: Limit = 50, offset: Offset = 0) -> dict:
        """Articles (newest revision of each), newest first."""
        items, total = data.articles(ledger.engine, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/articles/{article_id:path}", tags=["articles"])
    def api_article(article_id: ArticleId) -> dict:
        """The article record, with the incident of each event (``#e<i>``) and figure (``#c<i>``).
        Any id works, ``/`` included (``/api/articles/desk/2024/report``)."""
        found = data.article(ledger.engine, article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        record, pk = found
        up_to_date()
        return {"record": record, "incidents": data.mention_incidents(ledger.engine, pk)}

    @app.get("/api/claims", tags=["claims"])
    def api_claims(q: Term = "", speaker: Term = "", limit: Limit = 50, offset: Offset = 0) -> dict:
        """Claims whose content contains ``q`` and whose speaker or affiliation contains ``speaker``
        (as text: ``%`` and ``_`` match themselves)."""
        items, total = data.search_claims(ledger.engine, q, speaker, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/ceasefire", tags=["ceasefire"])
    def api_agreements() -> list[dict]:
        from trucewatch.agreements import load_agreements

        return [{"id": a.id, "name": a.name, "in_force": a.in_force.isoformat(),
                 "ended": a.ended.isoformat() if a.ended else None} for a in load_agreements().values()]

    @app.get("/api/ceasefire/{agreement_id}", tags=["ceasefire"])
    def api_ceasefire(agreement_id: AgreementId) -> dict:
        return _ceasefire(agreement_id)

    @app.post("/api/ingest", tags=["ingest"], openapi_extra=MULTIPART_BODY)
    async def api_ingest(request: Request, authorization: Annotated[str | None, Header()] = None) -> dict:
        """Ingest uploaded files (multipart field ``files``, any supported format). Needs
        ``Authorization: Bearer <token>``, checked before the body is read; bodies over the
        upload limits are refused by their ``Content-Length`` or cut off while streaming (413)."""
        given = authorization[7:] if authorization and authorization.lower().startswith("bearer ") else None
        check_token(given)
        files = await uploads.read_files(request, max_files=max_files, max_file_bytes=max_file_bytes)
        return await _ingest(files)

    # ------------------------------------------------------------------ pages

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/incidents", status_code=303)

    @app.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
    def incidents_page(request: Request, start: Day = None, end: Day = None, place: Filter = None,
                       type: Filter = None, party: Filter = None, page_no: PageNo = 1):
        place, type, party = place or "", type or "", party or ""
        found = matching(start, end, place, type, party)
        types = cache.get(("types",), lambda: data.types(ledger.engine))
        shown = found[(page_no - 1) * PAGE: page_no * PAGE]
        return page(request, "incidents.html", incidents=shown, total=len(found), types=types,
                    f={"start": start or "", "end": end or "", "place": place, "type": type, "party": party},
                    page_no=page_no, pages=max(1, -(-len(found) // PAGE)),
                    conflicted=_conflicted_rows)

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
    def incident_page(request: Request, incident_id: IncidentId):
        inc = api_incident(incident_id)
        return page(request, "incident.html", inc=inc, conflicted=_conflicted_rows)

    @app.get("/tolls", response_class=HTMLResponse, include_in_schema=False)
    def tolls_page(request: Request, start: Day = None, end: Day = None):
        found = api_tolls(start, end)["items"]
        scopes: dict[str, list[dict]] = {}
        for s in found:
            scopes.setdefault(s["scope_id"], []).append(s)
        return page(request, "tolls.html", scopes=list(scopes.values()), total=len(found),
                    f={"start": start or "", "end": end or ""})

    @app.get("/tolls/{series_id}", response_class=HTMLResponse, include_in_schema=False)
    def toll_page(request: Request, series_id: SeriesId):
        return page(request, "toll.html", s=api_toll(series_id))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(request: Request, page_no: PageNo = 1):
        items, total = data.articles(ledger.engine, limit=PAGE, offset=(page_no - 1) * PAGE)
        return page(request, "articles.html", articles=items, total=total, page_no=page_no,
                    pages=max(1, -(-total // PAGE)))

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: ArticleId):
        got = api_article(article_id)
        record = got["record"]
        speakers = sorted({c.get("speaker") or "?" for c in record.get("claims") or []})
        return page(request, "article.html", rec=record, body=render.highlight(record, got["incidents"]),
                    speakers=speakers, incident_ids=sorted(set(got["incidents"].values())))

    @app.get("/ceasefire", response_class=HTMLResponse, include_in_schema=False)
    def agreements_page(request: Request):
        return page(request, "agreements.html", agreements=api_agreements())

    @app.get("/ceasefire/{agreement_id}", response_class=HTMLResponse, include_in_schema=False)
    def ceasefire_page(request: Request, agreement_id: AgreementId):
        rep = _ceasefire(agreement_id)
        v = rep["violations"]
        return page(request, "ceasefire.html", rep=rep,
                    accused_chart=render.bar_chart(v["by_accused"], label="alleged violations by accused party"),
                    accuser_chart=render.bar_chart(v["by_accuser"], label="alleged violations by accusing party"))

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request, start: Day = None, end: Day = None, type: Filter = None):
        type = type or ""
        found = matching(start, end, type=type)
        kb = load_kb()
        by_place: dict[str, list[dict]] = {}
        elsewhere = []
        for inc, pid, lat, lon in _located(found):
            if render.in_view(lat, lon):
                by_place.setdefault(pid, []).append(inc)
            else:
                elsewhere.append((inc, pid))
        points = []
        for pid, incs in by_place.items():
            entry = kb.places[pid]  # _located only gives gazetteer places with coordinates
            points.append({"lat": entry.lat, "lon": entry.lon, "count": len(incs), "name": entry.name,
                           "label": f"{entry.name}: {len(incs)} incident(s)",
                           "href": f"/incidents?place={quote(entry.name)}"})
        return page(request, "map.html", svg=render.map_svg(points), points=sorted(points, key=lambda p: -p["count"]),
                    elsewhere=elsewhere, f={"start": start or "", "end": end or "", "type": type})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: Term = "", speaker: Term = "", page_no: PageNo = 1):
        items, total = data.search_claims(ledger.engine, q, speaker, limit=PAGE, offset=(page_no - 1) * PAGE)
        return page(request, "search.html", claims=items, total=total, q=q, speaker=speaker, page_no=page_no,
                    pages=max(1, -(-total // PAGE)))

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_form(request: Request):
        return page(request, "upload.html", result=None, error=None, enabled=secret is not None,
                    limits={"files": max_files, "mb": max_file_bytes / 1024 / 1024})

    @app.post("/upload", response_class=HTMLResponse, include_in_schema=False)
    async def upload(request: Request):
        limits = {"files": max_files, "mb": max_file_bytes / 1024 / 1024}
        try:
            writes_enabled()  # before reading anything
            files = await uploads.read_files(request, max_files=max_files, max_file_bytes=max_file_bytes,
                                             form_token=check_token)
            result = await _ingest(files)
        except HTTPException as exc:
            return templates.TemplateResponse(request, "upload.html", {
                "result": None, "error": exc.detail, "enabled": secret is not None, "limits": limits},
                status_code=exc.status_code)
        return page(request, "upload.html", result=result, error=None, enabled=True, limits=limits)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or request.method != "GET":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)

    # ------------------------------------------------------------------ helpers

    def _ceasefire(agreement_id: str) -> dict:
        """The agreement's report, built once per ledger state: any ingest (an upload here, or
        another process) adds an article revision, which changes the state and rebuilds it."""
        from trucewatch import api
        from trucewatch.agreements import load_agreements

        known = load_agreements()
        if agreement_id not in known:
            raise HTTPException(404, f"unknown agreement {agreement_id!r}; known: {', '.join(sorted(known))}")
        return cache.get(("ceasefire", agreement_id),
                         lambda: api.ceasefire_report(agreement_id, records=ledger.latest_records()))

    async def _ingest(files: list[tuple[str, bytes]]) -> dict:
        # Every check passed: only now does anything reach the ledger.  Extraction is slow and
        # blocking: it runs in a worker thread (one upload at a time) so other requests go on.
        return await run_in_threadpool(_store, files)

    def _store(payload: list[tuple[str, bytes]]) -> dict:
        from trucewatch import api
        from trucewatch.pipeline import Extractor

        with ingest_lock:
            if app.state.extractor is None:
                app.state.extractor = Extractor()
            summary = api.ingest([], uploads=payload, ledger=ledger, extractor=app.state.extractor,
                                 command="web upload")
        return {"documents": summary.documents, "stored": summary.stored, "skipped": summary.skipped,
                "rejected": summary.rejected, "new_revisions": summary.new_revisions,
                "rejections": [{"name": r.name, "reason": r.reason} for r in summary.rejections],
                "incidents": summary.incidents}

    return app


def _version() -> str:
    from trucewatch import __version__

    return __version__


def _csv_cell(value):
    """A CSV value a spreadsheet will show, not run: text starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading apostrophe (OWASP's advice on CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _located(found: list[dict]):
    kb = load_kb()
    for inc in found:
        for pid in inc.get("place_ids") or []:
            entry = kb.places.get(pid)
            if entry is not None and entry.lat is not None and entry.lon is not None:
                yield inc, pid, entry.lat, entry.lon


def _conflicted_rows(inc: dict) -> set[tuple[str, int, str | None]]:
    """(article, count, scope) of figures that take part in a count conflict, to highlight them
    (a figure of the same count that counts something else is not highlighted)."""
    out = set()
    for c in inc.get("conflicts") or []:
        if c.get("field") == "count":
            for v in c["values"]:
                out.add((v["article"], v["count"], c.get("scope", c.get("status"))))
    return out

