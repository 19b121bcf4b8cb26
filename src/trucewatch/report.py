"""Rendering of ceasefire-ledger reports (:func:`trucewatch.ceasefire.build_report`) as Markdown
or HTML.  Pure string building; the HTML escapes every value taken from articles."""

from __future__ import annotations

import html


def _src(s: dict) -> str:
    who = s.get("asserted_by") or "author"
    outlet = s.get("outlet") or "?"
    return f"{outlet}, {'own voice' if who == 'author' else 'per ' + who} ({s.get('article')})"


def markdown(rep: dict) -> str:
    a = rep["agreement"]
    lines = [f"# {a['id']}: {a['name']}", "",
             f"Parties: {', '.join(a['parties'])}. Mediators: {', '.join(a['mediators'])}. "
             f"In force {a['in_force']}, ended {a['ended'] or '(still in force)'}. Articles read: {rep['articles']}.",
             "", "## Timeline", ""]
    for t in rep["timeline"]:
        origin = "agreement" if t["from_agreement"] else "reported"
        lines.append(f"- **{t['date']} {t['kind'].replace('_', ' ')}** ({origin}) {t['note']}")
        for r in t["reports"][:6]:
            lines.append(f"  - {_src(r)}: \u201c{r['evidence']}\u201d")
    lines += ["", "## Provisions", ""]
    for p in rep["provisions"]:
        flag = "" if p["verified"] else " (unverified)"
        lines.append(f"- **{p['id']} {p['category']}**{flag}: {p['summary']} - *{p['status']}*")
        for side in ("supporting", "contradicting"):
            for r in p[side][:4]:
                lines.append(f"  - {side}: {_src(r)}: \u201c{r['evidence']}\u201d")
    v = rep["violations"]
    lines += ["", "## Alleged violations", "", "Accused party, per day:", ""]
    lines += _table(v["by_accused"])
    lines += ["", "Accusing party (who asserts it), per day:", ""]
    lines += _table(v["by_accuser"])
    lines += [""]
    for item in v["items"]:
        lines.append(f"- {item['date']} **{item['accused']}** accused by **{item['accuser']}** "
                     f"({item['type']}/{item['subtype']}): \u201c{item['evidence']}\u201d [{_src(item)}]")
    lines += ["", "## Exchanges", ""]
    for kind, e in rep["exchanges"].items():
        per_day = ", ".join(f"{d}: {n}" for d, n in e["per_day"].items()) or "none reported"
        lines.append(f"- {kind}: reported {e['reported_total']} (agreed {e['agreed'] or 'n/a'}); {per_day}")
    lines += ["", "## Tolls and their sources", ""]
    for t in rep["tolls"]:
        q = "" if t["qualifier"] in (None, "exact") else t["qualifier"].replace("_", " ") + " "
        rng = f"-{t['count_max']}" if t.get("count_max") else ""
        lines.append(f"- {t['date']}: {q}{t['count']}{rng} {t['who'] or 'people'} {t['status']}"
                     f"{' in ' + t['place'] if t.get('place') else ''} - {_src(t)}")
    return "\n".join(lines) + "\n"


def _table(counts: dict[str, dict[str, int]]) -> list[str]:
    days = sorted({d for v in counts.values() for d in v})
    if not days:
        return ["(none)"]
    rows = ["| party | " + " | ".join(days) + " | total |", "|---|" + "---|" * (len(days) + 1)]
    for party, per in counts.items():
        rows.append(f"| {party} | " + " | ".join(str(per.get(d, 0)) for d in days) + f" | {sum(per.values())} |")
    return rows


def html_page(rep: dict) -> str:
    """A self-contained HTML page: the Markdown report's content, escaped."""
    body = []
    for line in markdown(rep).splitlines():
        esc = html.escape(line)
        if line.startswith("# "):
            body.append(f"<h1>{esc[2:]}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{esc[3:]}</h2>")
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= {"-"}:
                continue
            body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
        elif line.strip():
            body.append(f"<p>{esc.replace('**', '')}</p>")
    content = "\n".join(body).replace("</h2>\n<tr>", "</h2>\n<table><tr>")
    title = html.escape(rep["agreement"]["id"])
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} - TruceWatch</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td{border:1px solid #ccc;"
            "padding:2px 6px}</style></head><body>\n" + content + "\n</body></html>\n")
