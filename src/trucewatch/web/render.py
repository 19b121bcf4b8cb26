"""Pure rendering helpers for the web app: the highlighted article text and server-side SVG.

Everything taken from an article goes through :func:`markupsafe.escape`; the only markup in the
output is the markup built here.  No script is ever produced: hover details are ``title``
attributes and charts are static SVG.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from markupsafe import Markup, escape

PALETTE = 8  # speaker colours: CSS classes sp0 .. sp7


def speaker_class(speaker: str | None) -> str:
    return f"sp{zlib.crc32((speaker or '?').lower().encode()) % PALETTE}"


def _title(fields: dict) -> str:
    return " · ".join(f"{k}: {v}" for k, v in fields.items() if v not in (None, "", []))


def highlight(record: dict, incident_of: dict[str, str] | None = None) -> Markup:
    """The record's text as HTML: claims coloured by speaker (with speaker and cue underlined),
    author-voice framing terms marked, event evidence and casualty figures linked to their
    incident; every mark carries its record fields in a ``title`` for hover."""
    text = record.get("text") or ""
    aid = record.get("id", "")
    incident_of = incident_of or {}
    items: list[tuple[int, int, int, str, str, str | None]] = []  # start, end, layer, class, title, href
    for i, c in enumerate(record.get("claims") or []):
        s, e = c.get("content_span") or (0, 0)
        title = _title({"claim": i, "speaker": c.get("speaker"), "affiliation": c.get("speaker_affiliation"),
                        "cue": c.get("cue"), "mode": c.get("mode"), "channel": c.get("channel"),
                        "kind": c.get("kind")})
        items.append((s, e, 0, f"claim {speaker_class(c.get('speaker'))}", title, None))
        if c.get("speaker_span"):
            a, b = c["speaker_span"]
            items.append((a, b, 1, f"speaker {speaker_class(c.get('speaker'))}", title, None))
    for i, ev in enumerate(record.get("events") or []):
        s, e = ev.get("evidence") or (0, 0)
        title = _title({"event": f"{ev.get('type')}/{ev.get('subtype')}", "actor": ev.get("actor"),
                        "target": ev.get("target"), "places": ", ".join(ev.get("places") or []),
                        "date": ev.get("date"), "asserted by": ev.get("asserted_by")})
        inc = incident_of.get(f"{aid}#e{i}")
        items.append((s, e, 2, "event", title, f"/incidents/{inc}" if inc else None))
    for i, c in enumerate(record.get("casualties") or []):
        s, e = c.get("evidence") or (0, 0)
        title = _title({"figure": f"{c.get('status')} {c.get('count')}", "qualifier": c.get("qualifier"),
                        "who": c.get("who"), "place": c.get("place"), "date": c.get("date"),
                        "perpetrator": c.get("perpetrator"), "asserted by": c.get("asserted_by")})
        inc = incident_of.get(f"{aid}#c{i}")
        items.append((s, e, 3, "figure", title, f"/incidents/{inc}" if inc else None))
    for f in record.get("framing") or []:
        if f.get("voice") != "author":
            continue
        s, e = f.get("span") or (0, 0)
        items.append((s, e, 4, "framing", _title({"framing": f.get("term"), "category": f.get("category"),
                                                   "leaning": f.get("leaning")}), None))
    items = [it for it in items if 0 <= it[0] < it[1] <= len(text)]
    bounds = sorted({0, len(text), *(it[0] for it in items), *(it[1] for it in items)})
    starts: dict[int, list] = defaultdict(list)
    for it in items:
        starts[it[0]].append(it)
    out: list[str] = []
    active: list = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [it for it in active if it[1] > a] + starts.get(a, [])
        active.sort(key=lambda it: it[2])
        seg = str(escape(text[a:b])).replace("\n", "<br>\n")
        href = next((it[5] for it in reversed(active) if it[5]), None)
        if href:
            seg = f'<a href="{escape(href)}">{seg}</a>'
        for it in reversed(active):
            seg = f'<span class="{escape(it[3])}" title="{escape(it[4])}">{seg}</span>'
        out.append(seg)
    return Markup("".join(out))


COLOURS = ["#c0392b", "#2471a3", "#7d3c98", "#1e8449", "#b9770e", "#5d6d7e"]


def bar_chart(series: dict[str, dict[str, int]], *, width: int = 720, height: int = 220,
              label: str = "") -> Markup:
    """Grouped bars: one group per day, one bar per series (e.g. accused party)."""
    days = sorted({d for s in series.values() for d in s})
    if not days:
        return Markup('<p class="empty">nothing reported</p>')
    names = sorted(series)
    top = max(max(s.values()) for s in series.values() if s) or 1
    pad_l, pad_b, pad_t = 36, 48, 24
    gw = (width - pad_l - 10) / len(days)
    bw = max(2.0, (gw - 6) / max(1, len(names)))
    parts = [f'<svg class="chart" role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">']
    base = height - pad_b
    for k in range(0, top + 1, max(1, top // 4)):
        y = base - (base - pad_t) * k / top
        parts.append(f'<line x1="{pad_l}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{k}</text>')
    for di, day in enumerate(days):
        x0 = pad_l + di * gw + 3
        for ni, name in enumerate(names):
            n = series[name].get(day, 0)
            if not n:
                continue
            h = (base - pad_t) * n / top
            parts.append(f'<rect x="{x0 + ni * bw:.1f}" y="{base - h:.1f}" width="{bw - 1:.1f}" height="{h:.1f}" '
                         f'fill="{COLOURS[ni % len(COLOURS)]}"><title>{escape(name)} {escape(day)}: {n}'
                         f'</title></rect>')
        parts.append(f'<text x="{x0 + gw / 2:.1f}" y="{base + 14}" text-anchor="middle" class="tick">'
                     f'{escape(day[5:])}</text>')
    for ni, name in enumerate(names):
        x = pad_l + ni * 150
        parts.append(f'<rect x="{x}" y="{height - 18}" width="10" height="10" fill="{COLOURS[ni % len(COLOURS)]}"/>'
                     f'<text x="{x + 14}" y="{height - 9}" class="legend">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# The Gaza Strip's outline, approximate (the coast from the Egyptian border to the northern tip,
# then the perimeter past Erez, down to Kerem Shalom and back along the Egyptian border past
# the Rafah crossing); enough to place incidents by eye, not to measure.
GAZA_OUTLINE = [(31.323, 34.219), (31.420, 34.330), (31.520, 34.440), (31.596, 34.490), (31.590, 34.545),
                (31.560, 34.568), (31.450, 34.500), (31.350, 34.405), (31.229, 34.284), (31.250, 34.250)]
VIEW = (31.20, 31.63, 34.19, 34.62)  # lat_min, lat_max, lon_min, lon_max


def map_svg(points: list[dict], *, height: int = 560) -> Markup:
    """Incidents as circles on a plain projected outline of the Gaza Strip (no tiles); points
    outside the view are left to the caller to list.  Equirectangular, scaled by cos(latitude)
    so distances east-west and north-south look alike."""
    import math

    la0, la1, lo0, lo1 = VIEW
    ky = height / (la1 - la0)
    kx = ky * math.cos(math.radians((la0 + la1) / 2))
    width = int((lo1 - lo0) * kx)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (lon - lo0) * kx, (la1 - lat) * ky

    outline = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(a, b) for a, b in GAZA_OUTLINE))
    parts = [f'<svg class="map" role="img" aria-label="incident map" xmlns="http://www.w3.org/2000/svg" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f'<rect width="{width}" height="{height}" class="sea"/>',
             f'<polygon points="{outline}" class="land"/>']
    for p in points:
        x, y = xy(p["lat"], p["lon"])
        r = 4 + min(14, 2 * p.get("count", 1))
        parts.append(f'<a href="{escape(p["href"])}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" class="dot">'
                     f'<title>{escape(p["label"])}</title></circle></a>')
        if p.get("name"):
            parts.append(f'<text x="{x + r + 2:.1f}" y="{y + 4:.1f}" class="place">{escape(p["name"])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def in_view(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    la0, la1, lo0, lo1 = VIEW
    return la0 <= lat <= la1 and lo0 <= lon <= lo1
