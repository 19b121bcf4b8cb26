"""Events: attacks, ceasefire milestones, exchanges, diplomacy, humanitarian access, movement, arrests.

Each event is found by a trigger of the pattern table ``patterns/event_triggers.jsonl`` (lemma
and dependency patterns, each with an id, a rationale and example sentences; its label is a
type/subtype of the contract's taxonomy) inside a clause of a sentence.  Then:

* **evidence** is the clause (a sentence part between semicolons) holding the trigger;
* **asserted_by** is the speaker of the claim whose content holds the trigger, else
  ``author``: an event inside a claim is that speaker's assertion, never a fact;
* **actor** is the KB actor named before the trigger in the clause (the state or group it
  belongs to: an army -> its state), or the side an adjective names ("Ruritanian strikes"); for
  exchanges and diplomacy the conventional actor (the releasing party, the mediator);
* **date** is a day-valued time of the sentence, else the claim's or the publication date;
* **places** are the place mentions of the clause.

Negated events ("did not fire", "no strikes") and hypothetical ones ("would resume strikes if")
are not events: a denial is a claim of kind ``denial``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from trucewatch.context import Context
from trucewatch.models import Claim, Event
from trucewatch.patterns import compiled
from trucewatch.stages import times
from trucewatch.stages.agents import Agents
from trucewatch.stages.modality import modality_of, subject_of
from trucewatch.stages.truce import agreement_on

_R = re.compile

# the trigger table (src/trucewatch/patterns/event_triggers.jsonl): lemma and dependency patterns,
# each labelled with the type/subtype it signals
TRIGGER_TABLE = "event_triggers"
# when several subtypes of one type are triggered in a clause, the earlier label here wins
LABEL_ORDER: tuple[str, ...] = (
    "ceasefire/violation_alleged", "ceasefire/hostilities_resumed", "ceasefire/ended", "ceasefire/extended",
    "ceasefire/took_effect", "ceasefire/agreed", "exchange/offer_rejected", "exchange/body_handover",
    "exchange/body_recovery", "exchange/prisoner_release", "exchange/captive_release",
    "humanitarian/crossing_closed", "humanitarian/crossing_opened", "humanitarian/aid_restriction",
    "humanitarian/aid_entry", "humanitarian/infrastructure_damage", "humanitarian/infrastructure_repair",
    "attack/rocket_fire", "attack/shelling", "attack/airstrike", "attack/gunfire", "attack/armed_clash",
    "attack/raid", "attack/demolition", "attack/other", "movement/withdrawal", "movement/displacement",
    "movement/return", "movement/deployment", "detention/arrest", "diplomacy/mediation",
    "diplomacy/negotiation", "diplomacy/meeting", "diplomacy/appeal", "diplomacy/statement",
    "detention/detention", "detention/release",
)
_RANK = {label: i for i, label in enumerate(LABEL_ORDER)}


def triggers(doc) -> list:
    """Every trigger match of the table in a parsed document, as labelled spans."""
    return compiled(TRIGGER_TABLE, doc.vocab).spans(doc)


# an act named in a clause of time is background to the sentence, not a new report: "since the
# ceasefire began", "until the guns fall silent"; "before/after the truce took effect" for milestones
_BACKGROUND = frozenset({"since", "until", "till", "pending"})
_BACKGROUND_MILESTONE = frozenset({"before", "after", "since", "until", "till", "ahead"})
_MILESTONES = frozenset({"ceasefire/took_effect", "ceasefire/agreed", "ceasefire/extended"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})


# types whose participles describe a state as often as an act
_STATE_TYPES = frozenset({"movement", "detention"})


def _describes_a_noun(tok) -> bool:
    """A participle or adjective modifying a noun ("stationed troops", "displaced people")."""
    return tok.dep_ in ("amod", "acl") and tok.tag_ in ("VBN", "JJ") and tok.head.pos_ in ("NOUN", "PROPN")


def _background(tok, label: str) -> bool:
    marks = _BACKGROUND_MILESTONE if label in _MILESTONES else _BACKGROUND
    node = tok
    for _ in range(5):
        for c in node.children:
            if c.dep_ in ("mark", "prep") and c.lower_ in marks and c.i < tok.i and node.dep_ != "ROOT":
                return True
        if node.dep_ == "pobj" and node.head.lower_ in marks:
            return True
        if node.head is node or node.dep_ in ("ROOT", "ccomp", "relcl", "conj"):
            break
        node = node.head
    return False


def _back_reference(tok) -> bool:
    """"The attack came on the same day ...": a definite noun restating an act already reported."""
    if tok.pos_ not in ("NOUN",) or tok.tag_ not in ("NN", "NNS"):
        return False
    kids = list(tok.children)
    definite = any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in kids)
    new_info = any(c.dep_ in ("compound", "nummod") or (c.dep_ == "amod" and c.ent_type_) for c in kids)
    has_args = any(c.dep_ == "prep" and c.lower_ in ("on", "in", "at", "against", "by") for c in kids)
    return definite and not new_info and not has_args


# denials of a part in an act ("denied any role in"): the denier is the one whose part is denied
_DISOWNING = frozenset({"role", "involvement", "part", "connection", "link", "responsibility", "hand", "knowledge"})
# allegations in a claim without a time of their own cover the truce so far; tallies in a report
# written after the truce cover all of it
_RUNNING_ALLEGATIONS = {("ceasefire", "violation_alleged"), ("humanitarian", "aid_restriction"),
                        ("movement", "return")}
_TRUCE_TALLIES = {("exchange", "captive_release"), ("exchange", "prisoner_release"), ("humanitarian", "aid_entry")}


# the classifier's say (tw_event_classifier, when its weights are shipped): it reads each trigger
# with WINDOW words either side and scores the subtypes of the trigger's type.  The rules decide
# whether a clause holds an event of a type (the classifier, trained on little data, finds fewer
# than the rules on unseen text); the classifier picks the subtype when it scores one SUBTYPE or
# more, and drops the event only when it gives every subtype of the type less than DROP
SUBTYPE = 0.8
DROP = 0.0
RELABEL = frozenset({"attack"})
WINDOW = 3


def candidates(ctx: Context) -> None:
    """The trigger matches (``doc.spans["tw_event_triggers"]``) and the clauses holding one
    (``doc.spans["tw_event_candidates"]``): what the classifier and :func:`extract` look at."""
    doc, text = ctx.doc, ctx.text
    found = triggers(doc)
    doc.spans["tw_event_triggers"] = found
    starts = sorted(t.start_char for t in found if t.label_ in _RANK)
    spans = []
    for sent in doc.sents:
        for c0, c1 in _clauses(text, sent.start_char, sent.end_char):
            i = bisect_right(starts, c0 - 1)
            if i < len(starts) and starts[i] < c1:
                span = doc.char_span(c0, c1, label="CLAUSE", alignment_mode="expand")
                if span is not None:
                    spans.append(span)
    doc.spans["tw_event_candidates"] = spans
    doc.spans["tw_trigger_windows"] = trigger_windows(doc, found, spans)


def trigger_windows(doc, found, clauses) -> list:
    """Each trigger's root with up to WINDOW words either side, inside its clause (one per root)."""
    from bisect import bisect_right as _br

    from spacy.tokens import Span

    starts = [c.start for c in clauses]
    out, seen = [], set()
    for t in found:
        if t.label_ not in _RANK:
            continue
        r = t.root.i
        k = _br(starts, r) - 1
        if k < 0 or r >= clauses[k].end or r in seen:
            continue
        seen.add(r)
        c = clauses[k]
        out.append(Span(doc, max(c.start, r - WINDOW), min(c.end, r + WINDOW + 1), label=str(r)))
    return out


def _model_scores(doc) -> dict[int, dict[str, float]] | None:
    """Classifier scores per trigger window, keyed by the window's trigger token; None without a
    classifier."""
    if "tw_event_labels" not in doc.spans:
        return None
    windows = {(w.start, w.end): int(w.label_) for w in doc.spans.get("tw_trigger_windows", [])}
    group = doc.spans["tw_event_labels"]
    scores = group.attrs.get("scores")
    out: dict[int, dict[str, float]] = {}
    for k, span in enumerate(group):
        root = windows.get((span.start, span.end))
        if root is not None:
            out.setdefault(root, {})[span.label_] = float(scores[k]) if scores is not None else 1.0
    return out


def _decide(rule: dict[str, int], roots: dict[str, list[int]], model: dict[int, dict[str, float]] | None,
            pos_of: dict[int, int]) -> list[tuple[str, int | None]]:
    """(label, trigger start) of the events of one clause: each trigger's label, with the subtype
    the classifier prefers for that trigger when it is sure (only among the subtypes of
    :data:`RELABEL`, where weapons and wording decide and sources code alike)."""
    if model is None:
        return list(rule.items())
    found: dict[str, int | None] = {}
    for label, rs in roots.items():
        etype = label.split("/")[0]
        for r in rs:
            new = label
            if etype in RELABEL:
                best = max(((p, lab) for lab, p in (model.get(r) or {}).items() if lab.split("/")[0] == etype),
                           default=(0.0, label))
                if best[0] < DROP:
                    continue
                if best[0] >= SUBTYPE:
                    new = best[1]
            pos = pos_of.get(r, rule.get(label))
            if new not in found or (pos is not None and (found[new] is None or pos < found[new])):
                found[new] = pos
    return list(found.items())


def extract(ctx: Context) -> list[Event]:
    out: list[Event] = []
    doc = ctx.doc
    if "tw_event_candidates" not in doc.spans:
        candidates(ctx)
    story_day = times.story_day(ctx)
    agents = Agents(ctx)
    model = _model_scores(doc)
    trig = sorted((t for t in doc.spans["tw_event_triggers"] if t.label_ in _RANK), key=lambda t: t.start_char)
    trig_starts = [t.start_char for t in trig]
    for clause_span in doc.spans["tw_event_candidates"]:
        c0, c1 = clause_span.start_char, clause_span.end_char
        rule: dict[str, int] = {}  # a label's first trigger in the clause
        word: dict[int, int] = {}  # trigger start -> the token it stands for (the root of the match)
        roots: dict[str, list[int]] = {}  # label -> its triggers' root tokens
        pos_of: dict[int, int] = {}  # root token -> trigger start
        for t in trig[bisect_right(trig_starts, c0 - 1):bisect_right(trig_starts, c1 - 1)]:
            if c0 <= t.start_char < c1:
                rule[t.label_] = min(rule.get(t.label_, t.start_char), t.start_char)
                word.setdefault(t.start_char, t.root.i)
                roots.setdefault(t.label_, []).append(t.root.i)
                pos_of.setdefault(t.root.i, t.start_char)
        decided = _decide(rule, roots, model, pos_of)
        seen: set[str] = set()
        for _rank, t0, label in sorted((_RANK.get(lab, 99), pos if pos is not None else c0, lab)
                                       for lab, pos in decided):
            etype, sub = label.split("/")
            if (etype == "attack" and "attack" in seen) or f"{etype}/{sub}" in seen:
                continue
            ti = word.get(t0)
            if ti is not None and _background(ctx.doc[ti], label):
                continue
            if ti is not None and etype in _STATE_TYPES and _describes_a_noun(ctx.doc[ti]):
                continue  # "troops stationed in X", "a school hosting displaced people": a state
            if ti is not None and _back_reference(ctx.doc[ti]) and any(e.type == etype for e in out):
                continue  # one event per reported act: a restatement adds none
            claim_i, claim = _claim_at(ctx.claims, t0)
            mod, cue = ("asserted", None)
            if ti is not None:
                mod, cue = modality_of(ctx.doc[ti], in_claim=claim is not None)
            if (etype, sub) == ("humanitarian", "aid_entry") and mod in ("negated", "denied"):
                # "had not allowed relief supplies to enter": aid kept out is a restriction
                sub, mod = "aid_restriction", "asserted"
                if f"{etype}/{sub}" in seen:
                    continue
                seen.add(f"{etype}/{sub}")
            if mod == "negated":
                continue  # the outlet says it did not happen: nothing to record
            seen.update((etype, f"{etype}/{sub}"))
            day = _date(ctx, c0, c1, claim, etype, sub, story_day, t0)
            actor, target, basis = _actor_target(ctx, agents, etype, sub, c0, c1, ti, day)
            if actor is None or target is None:
                # several triggers of one act in a clause ("fired rocket-propelled grenades at"):
                # the others may be the predicate that names who and whom
                for lab, rs in roots.items():
                    if lab.split("/")[0] != etype:
                        continue
                    for r in rs:
                        if r == ti:
                            continue
                        a2, t2, b2 = _actor_target(ctx, agents, etype, sub, c0, c1, r, day)
                        if actor is None and a2 is not None:
                            actor, basis = a2, b2
                        if target is None and t2 is not None:
                            target = t2
            asserted_by = claim.speaker if claim and claim.speaker else "author"
            if mod == "denied" and cue is not None:
                denier = subject_of(cue)
                name = agents.actor_name(denier) if denier is not None else None
                if claim is None and name:
                    asserted_by = name
                if cue.lemma_.lower() in _DISOWNING and name:
                    actor, basis = name, "text"  # "X denied any role in the attack": X's part is denied
            out.append(Event(
                type=etype, subtype=sub, actor=actor, target=target, actor_basis=basis,
                places=[p for p in _places(ctx, c0, c1) if p != actor], date=day, asserted_by=asserted_by, modality=mod,
                evidence=(c0, c1), claim=claim_i))
    return out


def _clauses(text: str, s0: int, s1: int) -> list[tuple[int, int]]:
    out, start = [], s0
    for m in re.finditer(r";", text[s0:s1]):
        out.append((start, s0 + m.start()))
        start = s0 + m.end()
    out.append((start, s1))
    res = []
    for a, b in out:
        while a < b and text[a] in " \n":
            a += 1
        while b > a and text[b - 1] in " \n.":
            b -= 1
        if b - a > 3:
            res.append((a, b))
    return res


def _claim_at(claims: list[Claim], pos: int) -> tuple[int | None, Claim | None]:
    for i, c in enumerate(claims):
        if c.content_span[0] <= pos < c.content_span[1]:
            return i, c
    return None, None


def _actor_target(ctx: Context, agents: Agents, etype: str, sub: str, c0: int, c1: int, ti: int | None,
                  day: str | None) -> tuple[str | None, str | None, str | None]:
    """(actor, target, actor_basis) of an event: read from the sentence's structure
    (:mod:`trucewatch.stages.agents`); where the text names nobody, the party an agreement in
    force makes do such acts (``actor_basis`` "agreement"), else None."""
    tok = ctx.doc[ti] if ti is not None else None
    actor = agents.agent(tok) if tok is not None else None
    target = agents.target(tok) if tok is not None else None
    basis = "text" if actor else None
    pub = ctx.article.published
    when = _day_of(day) or pub
    agreement = agreement_on(ctx, when)
    if etype == "ceasefire" and sub in ("took_effect", "extended", "agreed"):
        parties = agreement.parties if agreement else ()
        if actor not in parties:
            actor, basis = None, None
        named = []
        for m in ctx.mentions:
            if m.kind == "actor" and c0 <= m.start < c1:
                name = agents.root_actor(m.entry_id)
                if name and name in parties and name not in named:
                    named.append(name)
        if len(named) > 1 or (named and not actor):
            actor, basis = " and ".join(named), "text"
        elif not actor and parties:
            actor, basis = " and ".join(parties), "agreement"
    if etype == "ceasefire" and sub == "ended" and basis != "text":
        actor, basis = None, None
    if etype in ("exchange", "ceasefire") or (etype == "diplomacy" and sub in ("mediation", "negotiation")):
        target = None  # whom an exchange or a mediation is for: the parties, below, not the people moved
    if etype == "exchange" and sub == "offer_rejected" and tok is not None:
        target = _offerer(agents, tok)
    if agreement is not None:
        if target is None and etype == "exchange" and actor in agreement.parties:
            target = " and ".join(p for p in agreement.parties if p != actor) or None
        if actor is None and (obliged := agreement.obliged(etype, sub)):
            actor, basis = " and ".join(obliged), "agreement"
        if actor is None and etype == "diplomacy" and sub in ("mediation", "negotiation") and agreement.mediators:
            actor, basis = " and ".join(agreement.mediators), "agreement"
        if target is None and etype == "exchange" and (obliged := agreement.obliged(etype, sub)):
            others = [p for p in agreement.parties if p not in obliged]
            target = " and ".join(others) or None
        if target is None and etype == "diplomacy" and sub in ("mediation", "negotiation"):
            target = " and ".join(agreement.parties) or None
    return actor, target, basis


def _offerer(agents: Agents, tok) -> str | None:
    """Who made the offer that was rejected: the possessor of "offer" ("its last offer")."""
    for w in tok.subtree if tok.pos_ == "VERB" else [tok]:
        if w.lemma_.lower() in ("offer", "proposal", "plan", "bid", "initiative"):
            for c in w.children:
                if c.dep_ == "poss":
                    return agents.actor_name(c) if c.lower_ not in ("its", "their") else agents._look_back(c, None)
    return None


def _day_of(value: str | None):
    from datetime import date

    if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _places(ctx: Context, c0: int, c1: int) -> list[str]:
    """The places the clause puts the event in: names used as locations, not a country named as an
    actor ("Ruritania accused ..."), a name qualifying a noun, or the dateline (where the report was
    filed)."""
    out: list[str] = []
    for p in ctx.places:
        if c0 <= p.span[0] < c1 and p.name not in out and getattr(p, "role", "location") == "location":
            out.append(p.name)
    return out


def _date(ctx: Context, c0: int, c1: int, claim: Claim | None, etype: str, sub: str,
          story_day: str | None, t0: int | None = None) -> str | None:
    clause = ctx.text[c0:c1]
    pub = ctx.article.published
    agreement = agreement_on(ctx, pub)
    if agreement is not None and pub is not None:
        start = agreement.in_force.isoformat()
        ongoing = agreement.ended is None or pub < agreement.ended
        running = re.search(r"\b(?:had|has|have|since|violations|breaches|repeatedly|continued|keeps?)\b", clause,
                            re.I) and not re.search(r"\b(?:a|the) (?:\w+ )?(?:breach|violation)\b", clause, re.I)
        if claim is not None and (etype, sub) in _RUNNING_ALLEGATIONS and ongoing and running and \
                start != pub.isoformat():
            return f"{start}/{pub.isoformat()}"  # an allegation about the truce so far
        if agreement.ended and pub >= agreement.ended and claim is None and re.search(r"\b(?:truce|pause|ceasefire)\b",
                                                                                    clause, re.I):
            if (etype, sub) in _TRUCE_TALLIES and (held := agreement.days_held()):
                return held  # a tally of the whole truce
            extensions = [m.date for m in agreement.milestones if m.kind == "extended"]
            if (etype, sub) == ("ceasefire", "extended") and len(extensions) > 1:
                return f"{extensions[0].isoformat()}/{extensions[-1].isoformat()}"
    if t0 is not None and re.search(r"\b(?:will|in daily|each day|every day)\b", ctx.text[t0:c1], re.I) and \
            etype in ("humanitarian", "movement"):
        return None  # a standing arrangement or a plan, not a dated event
    best: tuple[int, str] | None = None
    for t in ctx.times:  # the time of the clause nearest the trigger: a day, else a week or a month
        if not (c0 <= t.span[0] < c1 and t.value):
            continue
        day = re.match(r"\d{4}-\d{2}-\d{2}", t.value)
        if not day and not re.fullmatch(r"\d{4}-(?:W\d\d|\d\d)", t.value):
            continue
        if re.search(r"\bsince\s*$", ctx.text[max(0, t.span[0] - 8):t.span[0]], re.I) or \
                t.mention.lower().startswith("since"):
            continue
        dist = abs(t.span[0] - (t0 if t0 is not None else c0)) + (0 if day else 30)
        if best is None or dist < best[0]:
            best = (dist, t.value[:10] if day else t.value)
    if best is not None:
        return best[1]
    if etype == "diplomacy" and sub == "mediation" and not re.search(
            r"\b(?:working|pressed|presses|press|racing|race|seeking|trying)\b", clause):
        return None  # who brokered the deal, not something that happened that day
    art = ctx.article
    if pub is not None and any(sp and sp[0] <= c0 < sp[1] for sp in (art.title_span, art.standfirst_span)):
        return pub.isoformat()  # a headline speaks of the day it is published
    return story_day
