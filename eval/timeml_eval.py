"""Evaluate the times stage on a TimeML corpus (e.g. TimeBank or TempEval-3 ``.tml`` files).

    python eval/timeml_eval.py DIR [--limit N] [--verbose]

Reads every ``*.tml`` under DIR, strips the markup of its ``<TEXT>`` block keeping the character
offsets of each ``TIMEX3``, runs the full extraction on that text with the document creation
time (``DCT``) as publication date, and reports precision and recall of TIMEX3 mentions
(a prediction matches a gold mention when they overlap) and the accuracy of normalised values
on matched mentions.  The corpus is never part of the repository: fetch it locally.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from datetime import date
from pathlib import Path

from trucewatch.models import Article
from trucewatch.pipeline import Extractor

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_tml(raw: str) -> tuple[date | None, str, list[tuple[int, int, str, str]]]:
    dct = re.search(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", raw, re.S)
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    text_parts: list[str] = []
    pos = 0
    gold: list[tuple[int, int, str, str]] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    src = body.group(1) if body else ""
    i = 0
    for m in _TAG.finditer(src):
        chunk = html.unescape(src[i:m.start()])
        text_parts.append(chunk)
        pos += len(chunk)
        i = m.end()
        closing, name = m.group(1), m.group(2)
        if name == "TIMEX3":
            if not closing:
                open_timex = (pos, dict(_ATTR.findall(m.group(3))))
            elif open_timex:
                start, attrs = open_timex
                gold.append((start, pos, attrs.get("value", ""), attrs.get("type", "")))
                open_timex = None
    text_parts.append(html.unescape(src[i:]))
    return (date.fromisoformat(dct.group(1)) if dct else None), "".join(text_parts), gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    files = sorted(a.dir.rglob("*.tml"))
    files = [f for f in files if not f.name.startswith("._")][: a.limit]
    if not files:
        print(f"no .tml files under {a.dir}", file=sys.stderr)
        return 2
    ex = Extractor()
    n_gold = n_pred = tp = val_ok = 0
    d_gold = d_tp = d_ok = 0  # distinct expressions (each found at least once)
    by_type: dict[str, list[int]] = {}
    for f in files:
        dct, text, gold = parse_tml(f.read_text(encoding="utf-8", errors="replace"))
        ctx = ex.context(Article(id=f.stem, text=text, published=dct))
        preds = [(t.span[0], t.span[1], t.value or "") for t in ctx.times]
        n_gold += len(gold)
        n_pred += len(preds)
        used: set[int] = set()
        distinct: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for gs, ge, gv, _ in gold:
            distinct.setdefault((text[gs:ge].lower(), gv), []).append((gs, ge))
        for (_, gv), spans in distinct.items():
            d_gold += 1
            hit = next((pv for ps, pe, pv in preds for gs, ge in spans if ps < ge and gs < pe), None)
            if hit is not None:
                d_tp += 1
                d_ok += hit == gv
        for gs, ge, gv, gt in gold:
            k = next((j for j, (ps, pe, _) in enumerate(preds) if j not in used and ps < ge and gs < pe), None)
            stats = by_type.setdefault(gt, [0, 0, 0])
            stats[0] += 1
            if k is None:
                if a.verbose:
                    print(f"  miss {f.stem}: {text[gs:ge]!r} = {gv}")
                continue
            used.add(k)
            tp += 1
            stats[1] += 1
            ok = preds[k][2] == gv
            val_ok += ok
            stats[2] += ok
            if a.verbose and not ok:
                print(f"  value {f.stem}: {text[gs:ge]!r} gold {gv} got {preds[k][2]}")
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    print(f"documents {len(files)}  gold TIMEX3 {n_gold}  predicted {n_pred}  matched {tp}")
    print(f"precision {p:.3f}  recall {r:.3f}  F1 {2 * p * r / (p + r) if p + r else 0:.3f}  "
          f"value accuracy on matched {val_ok / tp if tp else 0:.3f}")
    print(f"distinct expressions {d_gold}: recall {d_tp / d_gold if d_gold else 0:.3f}  "
          f"value accuracy on matched {d_ok / d_tp if d_tp else 0:.3f}")
    for t, (g, m, ok) in sorted(by_type.items()):
        print(f"  {t:<9} gold {g:5d}  recall {m / g if g else 0:.3f}  value {ok / m if m else 0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
