"""Training data for the event classifier: candidate clauses labelled with gold event subtypes.

The rule pipeline proposes the candidates (clauses holding a trigger of
``patterns/event_triggers.jsonl``).  A candidate takes the type/subtype of every gold event whose
evidence overlaps it by at least half of the shorter of the two (the scorer's criterion).  In
fully annotated sources (the team's gold and corpus) a candidate without a gold event is a
negative; ACLED's notes annotate one event per text with the whole text as evidence, so there
only the first candidate is labelled and the others are left out of training.
"""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.training import Example

from trucewatch.train.data import Annotated, locate
from trucewatch.train.spancat import Labelled, example

CANDIDATES, OUTPUT = "tw_trigger_windows", "tw_event_labels"


def _first(v):
    return v[0] if isinstance(v, list) else v


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(1, min(a[1] - a[0], b[1] - b[0])) if inter > 0 else 0.0


def gold_events(item: Annotated) -> list[tuple[tuple[int, int], str]]:
    """(evidence span, "type/subtype") of every gold event found in the text."""
    out = []
    text = item.article.text
    for ev in item.gold.get("events", []):
        etype, sub = _first(ev.get("type")), _first(ev.get("subtype"))
        if not etype or not sub:
            continue
        spans = [locate(text, ev.get("evidence_text"), ev.get("occurrence", 1))]
        spans += [locate(text, m) for m in ev.get("other_mentions") or []]
        for sp in spans:
            if sp:
                out.append((sp, f"{etype}/{sub}"))
    return out


def labelled_candidates(item: Annotated, doc: Doc) -> list[Labelled]:
    """Each trigger window labelled with the subtypes of the gold events of the trigger's own type
    whose evidence holds the trigger (none: a negative)."""
    gold = gold_events(item)
    rule_type = {t.root.i: t.label_.split("/")[0] for t in doc.spans.get("tw_event_triggers", [])}
    clauses = list(doc.spans.get("tw_event_candidates", []))
    out: list[Labelled] = []
    first_clause = None
    for cand in doc.spans.get(CANDIDATES, []):
        root = int(cand.label_)
        tok = doc[root]
        clause = next((c for c in clauses if c.start <= root < c.end), None)
        if clause is None:
            continue
        cspan = (clause.start_char, clause.end_char)
        etype = rule_type.get(root)
        labels = tuple(dict.fromkeys(
            lab for sp, lab in gold if lab.split("/")[0] == etype and
            (sp[0] <= tok.idx < sp[1] or _overlap(cspan, sp) >= 0.5)))
        if item.complete:
            out.append(Labelled(cand.start, cand.end, labels))
        elif any(_overlap(cspan, sp) > 0 for sp, _ in gold):
            # one annotated event per text (ACLED): the triggers of the first clause that holds it
            if first_clause is None:
                first_clause = clause.start
            if clause.start == first_clause:
                out.append(Labelled(cand.start, cand.end, labels))
    return out


def examples(items: list[tuple[Annotated, Doc]]) -> list[Example]:
    out = []
    for item, doc in items:
        lab = labelled_candidates(item, doc)
        if lab:
            out.append(example(doc, CANDIDATES, OUTPUT, lab))
    return out
