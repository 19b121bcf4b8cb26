"""Evaluate claim extraction on PolNeAR (political news attribution relations) and compare it
with textacy's ``direct_quotations`` on the same articles.

    python eval/polnear_eval.py SPLIT_DIR [--limit N] [--no-textacy]

SPLIT_DIR is one compartment of PolNeAR (``data/dev`` or ``data/train``) holding ``text/`` and
``attributions/`` (brat standoff).  The corpus is fetched locally and never committed.  Where an
article has several annotations (double annotation), the first file in name order is used.

Measures, for TruceWatch's claims and for textacy's direct quotations:

* content-overlap precision, recall and F1: a prediction matches a gold attribution when their
  content spans overlap by at least half of the shorter (the shared scorer's rule; fragments of a
  discontinuous gold content count as one span from first to last character);
* speaker accuracy on matched pairs: the predicted speaker span overlaps the gold source span, or
  the speaker's name shares its words with the source text (a resolved pronoun names the
  antecedent, which PolNeAR marks as "he").

textacy is an evaluation-only dependency (``pip install textacy``); the comparison is skipped
with a message when it is not installed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from trucewatch.models import Article
from trucewatch.pipeline import Extractor

Span = tuple[int, int]


def read_ann(path: Path) -> list[tuple[Span, Span | None, str]]:
    """Gold attributions: (content span, source span, source text)."""
    spans: dict[str, tuple[str, Span, str]] = {}
    rels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            tid, mid, text = (line.split("\t") + ["", ""])[:3]
            label, _, offsets = mid.partition(" ")
            nums = [int(x) for x in re.findall(r"\d+", offsets)]
            if nums:
                spans[tid] = (label, (min(nums), max(nums)), text)
        elif line.startswith("E"):
            rels.append(dict(part.split(":", 1) for part in line.split("\t")[1].split()))
    out = []
    for r in rels:
        content = spans.get(r.get("Content", ""))
        if not content:
            continue
        source = spans.get(r.get("Source", ""))
        out.append((content[1], source[1] if source else None, source[2] if source else ""))
    return out


def overlap(a: Span, b: Span) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(1, min(a[1] - a[0], b[1] - b[0])) if inter > 0 else 0.0


def words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in {"the", "a", "an", "of", "s"}}


class Tally:
    def __init__(self) -> None:
        self.gold = self.pred = self.tp = self.spk = 0

    def add(self, gold: list[tuple[Span, Span | None, str]], preds: list[tuple[Span, Span | None, str]]) -> None:
        self.gold += len(gold)
        self.pred += len(preds)
        cands = sorted(((overlap(g[0], p[0]), i, j) for i, g in enumerate(gold) for j, p in enumerate(preds)),
                       reverse=True)
        used_g: set[int] = set()
        used_p: set[int] = set()
        for o, i, j in cands:
            if o < 0.5 or i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            self.tp += 1
            (_, gsrc, gtext), (_, psrc, ptext) = gold[i], preds[j]
            ok = bool(gsrc and psrc and overlap(gsrc, psrc) > 0) or bool(
                words(gtext) and words(ptext) and (words(gtext) <= words(ptext) or words(ptext) <= words(gtext)))
            self.spk += ok

    def line(self, name: str) -> str:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        s = self.spk / self.tp if self.tp else 0.0
        return (f"{name:<22} gold {self.gold:5d}  pred {self.pred:5d}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}  "
                f"speaker {s:.3f}")


def textacy_quotes(doc) -> list[tuple[Span, Span | None, str]]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        quotes = list(direct_quotations(doc))
    except ValueError:  # textacy refuses articles with unbalanced quotation marks
        return []
    for q in quotes:
        content = (q.content[0].idx if hasattr(q.content, "__getitem__") else q.content.start_char,
                   q.content.end_char if hasattr(q.content, "end_char") else q.content[-1].idx + len(q.content[-1]))
        spk = list(q.speaker)
        sspan = (spk[0].idx, spk[-1].idx + len(spk[-1])) if spk else None
        out.append((content, sspan, " ".join(t.text for t in spk)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--no-textacy", action="store_true")
    a = ap.parse_args()
    texts = sorted((a.split / "text").glob("*.txt"))[: a.limit]
    if not texts:
        print(f"no text/*.txt under {a.split}", file=sys.stderr)
        return 2
    use_textacy = not a.no_textacy
    if use_textacy:
        try:
            import textacy  # noqa: F401
        except ImportError:
            print("textacy not installed: comparison skipped (pip install textacy)", file=sys.stderr)
            use_textacy = False
    ex = Extractor()
    ours, theirs, ours_direct = Tally(), Tally(), Tally()
    for t in texts:
        anns = sorted((a.split / "attributions").glob(t.stem + "_*.ann"))
        if not anns:
            continue
        gold = read_ann(anns[0])
        text = t.read_text(encoding="utf-8")
        ctx = ex.context(Article(id=t.stem, text=text))
        preds = [(c.content_span, c.speaker_span, c.speaker or "") for c in ctx.claims]
        ours.add(gold, preds)
        ours_direct.add(gold, [(c.content_span, c.speaker_span, c.speaker or "") for c in ctx.claims
                               if c.mode == "direct"])
        if use_textacy:
            theirs.add(gold, textacy_quotes(ctx.doc))
    print(f"articles {len(texts)} ({a.split})")
    print(ours.line("TruceWatch claims"))
    print(ours_direct.line("TruceWatch, direct only"))
    if use_textacy:
        print(theirs.line("textacy direct_quotes"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
