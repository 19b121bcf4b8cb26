"""Events: attacks, ceasefire milestones, exchanges, diplomacy, humanitarian access, movement, arrests.

Each event is found by a trigger from :data:`TRIGGERS` (inspectable regular expressions, one
list per type/subtype of the contract's taxonomy) inside a clause of a sentence.  Then:

* **evidence** is the clause (a sentence part between semicolons) holding the trigger;
* **asserted_by** is the speaker of the claim whose content holds the trigger, else
  ``author``: an event inside a claim is that speaker's assertion, never a fact;
* **actor** is the KB actor named before the trigger in the clause (the state or group it
  belongs to: IDF -> Israel), or the side an adjective names ("Israeli strikes"); for
  exchanges and diplomacy the conventional actor (the releasing party, the mediator);
* **date** is a day-valued time of the sentence, else the claim's or the publication date;
* **places** are the place mentions of the clause.

Negated events ("did not fire", "no strikes") and hypothetical ones ("would resume strikes if")
are not events: a denial is a claim of kind ``denial``.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from trucewatch.agreements import in_force_on
from trucewatch.context import Context
from trucewatch.literals import Prefiltered
from trucewatch.models import Claim, Event
from trucewatch.stages import times

_R = re.compile


def _alt(*parts: str) -> re.Pattern:
    """One case-insensitive pattern from alternatives (one per line in the table, for review)."""
    return re.compile("|".join(parts), re.I)


TRIGGERS: list[tuple[str, str, re.Pattern]] = [
    ("ceasefire", "violation_alleged", _alt(
        r"\bviolat(?:e|ed|es|ing|ion|ions)\b",
        r"\bbreach(?:ed|es|ing)?\b",
        r"\bbr(?:oke|eaking|eaks) (?:the |its |aid )?(?:truce|pause|ceasefire|terms|agreement|deal)",
        r"\btamper(?:ed|ing) with\b",
        r"\bfail(?:ed|ing) to (?:honou?r|meet|respect|abide)",
        r"\b(?:delayed|held up) the return\b",
        r"\bwhich the agreement forbids\b",
        r"\bfiring first\b",
    )),
    ("ceasefire", "hostilities_resumed", _alt(
        r"\bresum(?:e|ed|es|ing|ption of) (?:its |the )?(?:gaza )?(?:offensive|fighting|combat|bombardment|strikes|war|attacks|hostilities|military operations)",  # noqa: E501
        r"\b(?:combat|fighting|war|hostilities) (?:had |has )?resum(?:ed|es)\b",
        r"\breturn(?:ing)? to (?:war|fighting|aggression)\b",
        r"\b(?:military )?operations (?:have |had )?restarted\b",
        r"\bresumption of\b",
        r"\bstart(?:ed)? up again\b",
        r"\bresumed fighting\b",
    )),
    ("ceasefire", "ended", _alt(
        r"\b(?:truce|pause|ceasefire)\b[^.;]{0,40}?\b(?:expired?|expires|lapsed|ended|ran out|collapsed|is over|was over|due to end)\b",  # noqa: E501
        r"\b(?:truce|pause|ceasefire) over\b",
        r"\bend of the (?:truce|pause|ceasefire)\b",
    )),
    ("ceasefire", "extended", _alt(
        r"\b(?:truce|pause|ceasefire)\b[^.;]{0,40}?\b(?:extended|prolonged|carry into)\b",
        r"\bextension of the (?:truce|pause|ceasefire)\b",
        r"\b(?:extend|prolong)(?:ed)? the (?:truce|pause|ceasefire)\b",
    )),
    ("ceasefire", "took_effect", _alt(
        r"\b(?:truce|pause|ceasefire)\b[^.;]{0,40}?\b(?:began|begins|took effect|took hold|came into (?:force|effect)|went into effect|takes effect|started)\b",  # noqa: E501
        r"\b(?:phase|deal)\b[^.;]{0,30}?\bwhich began\b",
        r"\bguns (?:fall|fell) silent\b",
    )),
    ("ceasefire", "agreed", _alt(
        r"\b(?:agreed|signed|reached|struck|announced)\b[^.;]{0,25}?\b(?:truce|ceasefire|deal|agreement|pause)\b",
        r"\b(?:truce|ceasefire|deal) (?:was )?(?:agreed|reached|signed)\b",
    )),
    ("exchange", "offer_rejected", _alt(
        r"\breject(?:ed|s)? [^.;]{0,30}?\b(?:offer|proposal)s?\b",
        r"\bturned [^.;]{0,20}(?:offer|proposal) down\b",
        r"\bturned the (?:offer|proposal) down\b",
        r"\brefused (?:an|the) offer\b",
    )),
    ("exchange", "body_handover", _alt(
        r"\b(?:bodies|remains|body)\b[^.;]{0,60}?\b(?:handed over|returned|reached|transferred|received)\b",
        r"\b(?:returned|handed over) the (?:bodies|remains)\b",
    )),
    ("exchange", "body_recovery", _alt(
        r"\bsearch(?:ing|ed)? for (?:the )?bodies\b",
        r"\brecover(?:ed|y|ing)? (?:of )?(?:the )?(?:bodies|remains)\b",
        r"\btheir recovery\b",
    )),
    ("exchange", "prisoner_release", _alt(
        r"\b(?:freed|released|releasing|freeing)\b[^.;]{0,40}?\b(?:prisoners|detainees)\b",
        r"\b(?:prisoners|detainees)\b[^.;]{0,30}?\b(?:released|freed)\b",
    )),
    ("exchange", "captive_release", _alt(
        r"\b(?:hostages?|captives?)\b[^.;]{0,50}?\b(?:released|freed|handed over|go free|went free|let go|set free|to leave gaza|freeze|on hold)\b",  # noqa: E501
        r"\b(?:hostage|captive) releases?\b",
        r"\b(?:next|second|first) (?:release|handover|batch)\b",
        r"\bhalts? releases\b",
        r"\bhandover planned\b",
        r"\b(?:released|freed|handed over|releasing)\b[^.;]{0,25}?\b(?:hostages?|captives?)\b",
        r"\bhad been let go\b",
    )),
    ("humanitarian", "crossing_closed", _alt(
        r"\bcrossings?\b[^.;]{0,40}?\b(?:shut|closed|close|stay shut|remain closed)\b",
        r"\b(?:Rafah|Kerem Shalom|Zikim|Erez)\b[^.;]{0,15}\b(?:shut|closed)\b",
        r"\b(?:closed|shut) (?:the )?[\w ]{0,20}crossing\b",
    )),
    ("humanitarian", "crossing_opened", _alt(
        r"\bcrossings?\b[^.;]{0,40}?\b(?:reopened|opened|reopen)\b",
        r"\b(?:reopened|opened) (?:the )?[\w ]{0,20}crossing\b",
    )),
    ("humanitarian", "aid_restriction", _alt(
        r"\b(?:only|just) (?:\w+ )?(?:three|\d+) of (?:the )?(?:\d+|100) (?:aid )?trucks\b",
        r"\bfewer than half of the trucks\b",
        r"\b(?:blocked|restricted|halted|held up|obstructed|delayed) (?:the )?(?:entry of )?(?:aid|trucks|fuel|deliveries)\b",  # noqa: E501
        r"\baid[^.;]{0,30}(?:halted|blocked|cut off|frozen|suspended)\b",
        r"\bsuspending aid\b",
        r"\bkept relief supplies out\b",
        r"\bnot allowed relief\b",
        r"\bturned down attempts\b",
    )),
    ("humanitarian", "aid_entry", _alt(
        r"\b(?:trucks?|lorries|fuel|aid|convoys?|truckloads)\b[^.;]{0,60}?\b(?:entered|crossed|unloaded|arrived|delivered|reached|went in|let in|left|enter|into gaza)\b",  # noqa: E501
        r"\baid resumes\b",
        r"\blet [^.;]{0,40}? in (?:daily|each day)\b",
        r"\bdelivered \d+ truckloads\b",
    )),
    ("humanitarian", "infrastructure_damage", _alt(
        r"\b(?:destroyed|damaged|flattened|razed)\b[^.;]{0,30}?\b(?:homes?|hospitals?|schools?|buildings?|infrastructure|roads?|water)\b",
    )),
    ("attack", "rocket_fire", _alt(
        r"\brockets?\b",
        r"\bbarrages?\b",
        r"\bmortars?\b",
        r"\bprojectiles?\b",
    )),
    ("attack", "shelling", _alt(
        r"\bshell(?:ing|ed|s)\b",
        r"\bartillery\b",
        r"\btank (?:shell|fire)\b",
    )),
    ("attack", "airstrike", _alt(
        r"\bair ?strikes?\b",
        r"\bair raids?\b",
        r"\bwarplanes\b",
        r"\bjets? (?:strike|struck|hit)",
        r"\bstrikes? (?:hit|on|in|across|killed|kill|that)\b",
        r"\b(?:israeli|deadly|new|fresh|heavy|idf|iaf) strikes?\b",
        r"\bpounds?\b",
        r"\bonslaught\b",
        r"\bbombard(?:ment|ed|ing)\b",
        r"\bbomb(?:ed|ing)\b",
        r"\bstruck\b",
        r"\bdrone strike",
    )),
    ("attack", "gunfire", _alt(
        r"\bshot dead\b",
        r"\bopened fire\b",
        r"\bfired (?:on|at|toward|towards)\b",
        r"\bgunfire\b",
        r"\bshooting\b",
        r"\bsnipers?\b",
        r"\bshot (?:at|toward|towards)\b",
        r"\bfired warning shots\b",
    )),
    ("attack", "armed_clash", _alt(
        r"\bclash(?:es|ed)\b",
        r"\bground fighting\b",
        r"\bconfrontations?\b",
        r"\banti-tank\b",
        r"\bgun ?battles?\b",
        r"\bcame under fire\b",
    )),
    ("attack", "raid", _alt(
        r"\braids?\b",
        r"\bstormed\b",
        r"\bincursions?\b",
        r"\bassault of oct(?:ober|\.)? 7\b",
        r"\boctober 7, 2023 massacre\b",
        r"\boperation al-aqsa flood\b",
    )),
    ("attack", "demolition", _alt(
        r"\bdemolish(?:ed|ing)\b",
        r"\bblew up\b",
        r"\bdemolitions?\b",
    )),
    ("movement", "withdrawal", _alt(
        r"\bwithdr(?:ew|awn|aw|awal)\b",
        r"\bpulled (?:out|back)\b",
    )),
    ("movement", "displacement", _alt(
        r"\bfled\b",
        r"\bdisplac(?:ed|ement)\b[^.;]{0,20}\b(?:to|toward)\b",
        r"\bevacuat(?:e|ion) orders?\b",
        r"\bleaflets\b",
        r"\bordered [^.;]{0,30}to (?:leave|move)\b",
    )),
    ("movement", "return", _alt(
        r"\breturn(?:ed|ing)? (?:to|home)\b[^.;]{0,30}(?:north|homes?)",
        r"\bmove from southern gaza to the north\b",
        r"\bmaking their way (?:back|north)\b",
        r"\bheading north\b",
    )),
    ("detention", "arrest", _alt(
        r"\barrest(?:ed|s)?\b",
        r"\bdetained\b",
        r"\brounded up\b",
    )),
    ("diplomacy", "mediation", _alt(
        r"\bmediat(?:ed|ing|ion|e|ors)\b",
        r"\bbrokered\b",
        r"\bguarantors?\b",
        r"\b(?:efforts|press(?:ed|es)?|race|racing|working)\b[^.;]{0,40}\b(?:revive|restore|keep|extend|save|salvage)\b",
    )),
    ("diplomacy", "negotiation", _alt(
        r"\bnegotiations?\b",
        r"\btalks (?:on|about|over|in)\b",
        r"\bround of talks\b",
        r"\bnegotiat(?:ing|ed)\b",
        r"\bseeking agreement\b",
    )),
    ("diplomacy", "meeting", _alt(
        r"\b(?:met|meet|meeting|landed|arrived|arrive|visited)\b[^.;]{0,40}?\b(?:in|with|for)\b",
        r"\benvoys? arrives?\b",
        r"\bland(?:s|ed)? in\b",
    )),
    ("diplomacy", "appeal", _alt(
        r"\burged\b",
        r"\bcalled on\b",
        r"\bappealed\b",
        r"\bcalled for\b",
    )),
]

_NEGATION = _R(r"\b(?:not|no|never|n't|without|denied|deny|denies)\b[^.;,]{0,25}$", re.I)
_HYPOTHETICAL = _R(r"\b(?:if|would|could|might|may|unless|threatens? to|ready to|plans? to|will)\b[^.;,]{0,30}$", re.I)
_ISRAELI = _R(r"\b(?:Israeli|Israel's|IOF|IDF|occupation|Zionist|regime)\b")
_PALESTINIAN = _R(r"\b(?:Hamas|Qassam|militants|terrorists|Palestinian fighters|resistance fighters|gunmen)\b", re.I)
# Who does what by default when the clause names nobody: facts of this conflict, kept here in one
# table so another conflict can change them (only Israel flies aircraft and fires artillery over
# Gaza; aid entry is counted, not attributed; restrictions and closures are the controlling side's).
DEFAULT_ACTORS: dict[tuple[str, str], str | None] = {
    ("attack", "airstrike"): "Israel", ("attack", "shelling"): "Israel",
    ("humanitarian", "aid_restriction"): "Israel", ("humanitarian", "crossing_closed"): "Israel",
    ("humanitarian", "crossing_opened"): "Israel",
}
# allegations in a claim without a time of their own cover the truce so far; tallies in a report
# written after the truce cover all of it
_RUNNING_ALLEGATIONS = {("ceasefire", "violation_alleged"), ("humanitarian", "aid_restriction"),
                        ("movement", "return")}
_TRUCE_TALLIES = {("exchange", "captive_release"), ("exchange", "prisoner_release"), ("humanitarian", "aid_entry")}
PARTIES = ("Israel", "Hamas")  # the parties of the truces, named when a milestone names nobody
_ROOT_TYPES = ("state", "armed_group", "international_org", "un_body", "aid", "government", "party")


def extract(ctx: Context) -> list[Event]:
    out: list[Event] = []
    text = ctx.text
    story_day = times.story_day(ctx)
    clauses: list[tuple[int, int, int, int]] = []  # clause start, end, sentence start, end
    for sent in ctx.doc.sents:
        for c0, c1 in _clauses(text, sent.start_char, sent.end_char):
            clauses.append((c0, c1, sent.start_char, sent.end_char))
    if not clauses:
        return out
    starts = [c[0] for c in clauses]
    # each trigger runs once over the whole text; its first match in a clause counts
    first: dict[tuple[int, int], int] = {}  # (clause index, trigger index) -> match start
    lowered = text.lower()  # once for every trigger (they run case-folded: trucewatch.literals)
    for k, scan in enumerate(_TRIGGER_SCANS):
        for m in scan.finditer(text, lowered):
            ci = bisect_right(starts, m.start()) - 1
            if ci >= 0 and m.start() < clauses[ci][1]:
                first.setdefault((ci, k), m.start())
    by_clause: dict[int, list[tuple[int, int]]] = {}
    for (ci, k), pos in first.items():
        by_clause.setdefault(ci, []).append((k, pos))
    for ci in sorted(by_clause):
        c0, c1, s0, s1 = clauses[ci]
        clause = text[c0:c1]
        seen: set[str] = set()
        for k, t0 in sorted(by_clause[ci]):
            etype, sub, _ = TRIGGERS[k]
            if (etype == "attack" and "attack" in seen) or f"{etype}/{sub}" in seen:
                continue
            before = text[max(c0, t0 - 60):t0]
            if _NEGATION.search(before) or (_HYPOTHETICAL.search(before) and (etype, sub) != ("ceasefire", "extended")):
                continue
            seen.update((etype, f"{etype}/{sub}"))
            claim_i, claim = _claim_at(ctx.claims, t0)
            out.append(Event(
                type=etype, subtype=sub, actor=_actor(ctx, etype, sub, c0, t0, clause, claim),
                places=_places(ctx, c0, c1), date=_date(ctx, c0, c1, claim, etype, sub, story_day, t0),
                asserted_by=claim.speaker if claim and claim.speaker else "author",
                evidence=(c0, c1), claim=claim_i))
    return out


# each trigger runs case-folded, and only over texts holding one of its necessary words
_TRIGGER_SCANS = [Prefiltered(rx) for _, _, rx in TRIGGERS]


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


def _root_actor(ctx: Context, entry_id: str) -> str | None:
    kb = ctx.kb
    a = kb.actors.get(entry_id)
    seen = 0
    while a is not None and a.type not in _ROOT_TYPES + ("armed_wing",) and a.parent and seen < 4:
        a = kb.actors.get(a.parent)
        seen += 1
    return a.name if a else None


def _actor(ctx: Context, etype: str, sub: str, c0: int, t0: int, clause: str, claim: Claim | None) -> str | None:
    if etype == "exchange":
        if sub in ("captive_release", "body_recovery"):
            return "Hamas"
        if sub in ("prisoner_release", "offer_rejected"):
            return "Israel"
    if etype == "ceasefire" and sub == "ended":
        return None
    if etype == "humanitarian" and sub == "aid_entry":
        return None
    speaker = claim.speaker_span if claim and claim.speaker_span else (0, 0)
    names = [m for m in ctx.mentions if m.kind in ("actor", "person") and c0 <= m.start < t0
             and not (speaker[0] <= m.start < speaker[1])]
    if etype == "ceasefire" and sub in ("took_effect", "extended", "agreed"):
        sides = []
        for m in ctx.mentions:
            if m.kind == "actor" and c0 <= m.start < c0 + len(clause):
                name = _root_actor(ctx, m.entry_id)
                if name in PARTIES and name not in sides:
                    sides.append(name)
        return " and ".join(sides or PARTIES)
    if (etype, sub) in DEFAULT_ACTORS and etype == "attack":
        explicit = [m for m in names if _root_actor(ctx, m.entry_id) not in (None,)]
        return _root_actor(ctx, explicit[-1].entry_id) if explicit and re.search(
            r"\bby\b", clause[:t0 - c0 + 60]) else DEFAULT_ACTORS[(etype, sub)]
    if names:
        m = names[0] if etype in ("diplomacy",) else names[-1]
        if m.kind == "person":
            return ctx.kb.people[m.entry_id].name
        return _root_actor(ctx, m.entry_id)
    head = clause[:t0 - c0 + 40]
    if etype in ("attack", "ceasefire", "humanitarian", "movement", "detention"):
        if _ISRAELI.search(head):
            return "Israel"
        if _PALESTINIAN.search(head):
            return "Hamas"
    if claim is not None and etype == "diplomacy":
        return claim.speaker
    return DEFAULT_ACTORS.get((etype, sub))


def _places(ctx: Context, c0: int, c1: int) -> list[str]:
    out: list[str] = []
    for p in ctx.places:
        if c0 <= p.span[0] < c1 and p.name not in out:
            out.append(p.name)
    return out


def _date(ctx: Context, c0: int, c1: int, claim: Claim | None, etype: str, sub: str,
          story_day: str | None, t0: int | None = None) -> str | None:
    clause = ctx.text[c0:c1]
    pub = ctx.article.published
    agreement = in_force_on(pub) if pub else None
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
