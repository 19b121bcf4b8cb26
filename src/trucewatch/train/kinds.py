"""Training data for the claim-kind classifier: a claim's cue and content labelled with its kind.

Candidates are made from the gold claims themselves (the located content, widened to the cue
when the cue stands within 150 characters of it), so the classifier learns from every annotated
claim, not only those the rules find; at run time it reads the claims the claims stage found
(``tw_claim_candidates``: cue and content of each).
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.training import Example

from trucewatch.train.data import Annotated, locate
from trucewatch.train.spancat import Labelled, example

CANDIDATES, OUTPUT = "tw_claim_candidates", "tw_claim_kinds"
KINDS = ("assertion", "accusation", "responsibility", "denial", "offer", "refusal", "demand", "commitment", "warning")


def _first(v):
    return v[0] if isinstance(v, list) else v


def claim_span(text: str, claim: dict) -> tuple[int, int] | None:
    content = locate(text, claim.get("content"), claim.get("occurrence", 1))
    if content is None:
        return None
    start, end = content
    cue = _first(claim.get("cue"))
    if cue:
        best = None
        for pos in _all(text, cue):
            dist = start - (pos + len(cue)) if pos < start else pos - end
            if -len(cue) <= dist <= 150 and (best is None or dist < best[0]):
                best = (dist, pos)
        if best is not None:
            start, end = min(start, best[1]), max(end, best[1] + len(cue))
    return start, end


def _all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def labelled(item: Annotated, doc: Doc) -> list[Labelled]:
    out: list[Labelled] = []
    seen: set[tuple[int, int]] = set()
    for claim in item.gold.get("claims", []):
        kind = _first(claim.get("kind"))
        if kind not in KINDS:
            continue
        sp = claim_span(item.article.text, claim)
        if sp is None:
            continue
        span = doc.char_span(sp[0], sp[1], alignment_mode="expand")
        if span is None or (span.start, span.end) in seen:
            continue
        seen.add((span.start, span.end))
        out.append(Labelled(span.start, span.end, (kind,)))
    return out


def examples(items: list[tuple[Annotated, Doc]]) -> list[Example]:
    out = []
    for item, doc in items:
        lab = labelled(item, doc)
        if lab:
            out.append(example(doc, CANDIDATES, OUTPUT, lab))
    return out
