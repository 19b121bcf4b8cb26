"""TruceWatch's extraction stages as registered spaCy components.

Each factory below wraps one stage module of :mod:`trucewatch.stages` and writes its results
on the ``Doc`` (see :mod:`trucewatch.context` for the ``Doc._`` extensions) and as a span
group, so spaCy's own tools see them::

    nlp = trucewatch.nlp.load_nlp()
    doc = nlp("Hamas said on Monday that three rockets hit Sderot.")
    doc._.tw_claims                 # [Claim(speaker='Hamas', ...)]
    doc.spans["tw_places"]          # [Sderot]
    displacy.render(doc, style="span", options={"spans_key": "tw_events"})

=================  ==================================  =========================================
component          writes                              span group (label)
=================  ==================================  =========================================
tw_linker          ``doc._.tw_mentions``               ``tw_mentions`` (actor/person/place/outlet)
tw_places          ``doc._.tw_places``                 ``tw_places`` (feature, or PLACE)
tw_times           ``doc._.tw_times``                  ``tw_times`` (DATE/TIME/DURATION/SET)
tw_claims          ``doc._.tw_claims``, ``tw_voice``   ``tw_claims`` (kind), ``tw_cues``,
                                                       ``tw_speakers``
tw_casualties      ``doc._.tw_casualties``             ``tw_casualties`` (status)
tw_event_candidates                                    ``tw_event_triggers`` (type/subtype; the
                                                       pattern id as ``id_``),
                                                       ``tw_event_candidates`` (clauses holding one),
                                                       ``tw_trigger_windows`` (each trigger with its
                                                       neighbours: what the classifier reads)
tw_event_classifier (trained, :mod:`trucewatch.ml`)    ``tw_event_labels`` (type/subtype, scores)
tw_events          ``doc._.tw_events``                 ``tw_events`` (type/subtype)
tw_framing         ``doc._.tw_framing``                ``tw_framing`` (category)
=================  ==================================  =========================================

A component reads what the components before it wrote, so the order matters; a user may
replace one (``nlp.replace_pipe("tw_places", "my_places")``) as long as the replacement
writes the same extension.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from trucewatch.context import Context
from trucewatch.kb import KnowledgeBase, load_kb

# ``doc.user_data[FAILED]`` says why a component failed on a document inside ``nlp.pipe``
FAILED = "tw_failed"
# when TruceWatch's first component saw the document (time.monotonic()), for the time budget
STARTED = "tw_started"


def time_budget() -> float:
    """Seconds of analysis one document may take (``TRUCEWATCH_DOC_SECONDS``, default 120): past
    it the document is rejected by name instead of holding a worker."""
    import os

    try:
        return float(os.environ.get("TRUCEWATCH_DOC_SECONDS", "120"))
    except ValueError:
        return 120.0

# the extraction components in pipeline order (after the base model's components)
STAGES = ("tw_linker", "tw_places", "tw_times", "tw_claims", "tw_claim_kinds_apply", "tw_event_candidates",
          "tw_events", "tw_casualties", "tw_framing")


def span_group(doc: Doc, key: str, items: Iterable[tuple[int, int, str]]) -> None:
    """Store character spans with labels as the span group ``key`` (spans snap to tokens)."""
    spans: list[Span] = []
    for start, end, label in items:
        if end <= start:
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[key] = spans


class StageComponent:
    """A pipeline component running one extraction stage over a ``Doc``."""

    def __init__(self, name: str, run: Callable[[Context], None]) -> None:
        self.name = name
        self._run = run
        self._kb: KnowledgeBase | None = None

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_kb()
        return self._kb

    @kb.setter
    def kb(self, kb: KnowledgeBase) -> None:
        self._kb = kb

    def __call__(self, doc: Doc) -> Doc:
        self._run(Context(doc, self.kb))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Like ``__call__`` over a stream, but a document this component fails on is marked
        (``doc.user_data[FAILED]``, skipped by the later components) instead of stopping the
        stream: one bad article never costs the rest of a batch."""
        budget = time_budget()
        for doc in docs:
            started = doc.user_data.get(STARTED)
            if FAILED not in doc.user_data and started is not None and time.monotonic() - started > budget:
                doc.user_data[FAILED] = (f"analysis took longer than the time budget of {budget:g} s "
                                         f"(TRUCEWATCH_DOC_SECONDS), stopped before {self.name}")
            if FAILED not in doc.user_data:
                try:
                    self._run(Context(doc, self.kb))
                except Exception as exc:  # noqa: BLE001 - reported per document by the caller
                    doc.user_data[FAILED] = f"{self.name}: {type(exc).__name__}: {exc}"
            if FAILED in doc.user_data:
                _empty_candidates(doc)
            yield doc

    # the components hold no weights: (de)serialisation is a no-op, so nlp.to_disk/from_disk work
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> StageComponent:
        return self

    def to_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path: Any, *, exclude: Iterable[str] = ()) -> StageComponent:
        return self


def _empty_candidates(doc: Doc) -> None:
    """A failed document still gets the span groups the trained components read (empty), so they
    pass over it instead of stopping the stream."""
    from trucewatch.ml import TRAINED

    for _factory, candidates, _output, _single, _after in TRAINED.values():
        if candidates not in doc.spans:
            doc.spans[candidates] = []


def _linker(ctx: Context) -> None:
    from trucewatch.stages import linking

    ctx.mentions = linking.extract(ctx)
    span_group(ctx.doc, "tw_mentions", ((m.start, m.end, m.kind) for m in ctx.mentions))


def _places(ctx: Context) -> None:
    from trucewatch.stages import places

    ctx.places = places.extract(ctx)
    span_group(ctx.doc, "tw_places", ((p.span[0], p.span[1], p.feature or "PLACE") for p in ctx.places))


def _times(ctx: Context) -> None:
    from trucewatch.stages import times

    ctx.times = times.extract(ctx)
    span_group(ctx.doc, "tw_times", ((t.span[0], t.span[1], t.type) for t in ctx.times))


def _claims(ctx: Context) -> None:
    from trucewatch.stages import claims

    ctx.claims, ctx.voice = claims.extract(ctx)
    span_group(ctx.doc, "tw_claims", ((c.content_span[0], c.content_span[1], c.kind) for c in ctx.claims))
    span_group(ctx.doc, "tw_cues", ((c.cue_span[0], c.cue_span[1], "CUE") for c in ctx.claims if c.cue_span))
    span_group(ctx.doc, "tw_speakers", ((c.speaker_span[0], c.speaker_span[1], "SPEAKER")
                                        for c in ctx.claims if c.speaker_span))
    # what the claim-kind classifier reads: each claim's cue and content
    span_group(ctx.doc, "tw_claim_candidates", (_claim_extent(c) + ("CLAIM",) for c in ctx.claims))


def _claim_extent(c) -> tuple[int, int]:
    spans = [c.content_span] + ([c.cue_span] if c.cue_span else [])
    return min(s[0] for s in spans), max(s[1] for s in spans)


# the classifier's kind replaces the rules' when it is at least this sure
KIND_KEEP = 0.5


def _claim_kinds_apply(ctx: Context) -> None:
    """Claim kinds from the trained classifier (``tw_claim_kinds``), where it has spoken."""
    doc = ctx.doc
    if "tw_claim_kinds" not in doc.spans:
        return
    group = doc.spans["tw_claim_kinds"]
    scores = group.attrs.get("scores")
    found = {(s.start_char, s.end_char): (s.label_, float(scores[k]) if scores is not None else 1.0)
             for k, s in enumerate(group)}
    cands = {(s.start_char, s.end_char) for s in doc.spans.get("tw_claim_candidates", [])}
    claims = []
    for c in ctx.claims:
        ext = _claim_extent(c)
        key = next((k for k in cands if k[0] <= ext[0] < k[1] or ext[0] <= k[0] < ext[1]), None)
        label = found.get(key) if key is not None else None
        if label is not None and label[1] >= KIND_KEEP and label[0] != c.kind:
            c = c.model_copy(update={"kind": label[0]})
        claims.append(c)
    ctx.claims = claims
    span_group(doc, "tw_claims", ((c.content_span[0], c.content_span[1], c.kind) for c in claims))


def _casualties(ctx: Context) -> None:
    from trucewatch.stages import casualties

    ctx.casualties = casualties.extract(ctx)
    span_group(ctx.doc, "tw_casualties", ((c.evidence[0], c.evidence[1], c.status) for c in ctx.casualties))


def _event_candidates(ctx: Context) -> None:
    from trucewatch.stages import events

    events.candidates(ctx)


def _events(ctx: Context) -> None:
    from trucewatch.stages import events

    ctx.events = events.extract(ctx)
    span_group(ctx.doc, "tw_events", ((e.evidence[0], e.evidence[1], f"{e.type}/{e.subtype}") for e in ctx.events))


def _framing(ctx: Context) -> None:
    from trucewatch.stages import framing

    ctx.framing = framing.extract(ctx)
    span_group(ctx.doc, "tw_framing", ((f.span[0], f.span[1], f.category) for f in ctx.framing))


_RUNS: dict[str, Callable[[Context], None]] = {
    "tw_linker": _linker, "tw_places": _places, "tw_times": _times, "tw_claims": _claims,
    "tw_claim_kinds_apply": _claim_kinds_apply,
    "tw_casualties": _casualties, "tw_event_candidates": _event_candidates, "tw_events": _events,
    "tw_framing": _framing,
}


def _factory(stage: str) -> None:
    def make(nlp: Language, name: str) -> StageComponent:
        return StageComponent(name, _RUNS[stage])

    make.__doc__ = f"spaCy factory of the {stage} extraction component."
    Language.factory(stage, func=make)


for _stage in STAGES:
    if not Language.has_factory(_stage):
        _factory(_stage)


def _record(doc: Doc):
    from trucewatch.record import record_of

    return record_of(doc)


if not Doc.has_extension("tw_record"):
    Doc.set_extension("tw_record", getter=_record)  # the article record, assembled from the Doc
