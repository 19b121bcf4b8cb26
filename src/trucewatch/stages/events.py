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

from trucewatch.context import Context
from trucewatch.models import Claim, Event

_R = re.compile

TRIGGERS: list[tuple[str, str, re.Pattern]] = [
    # ceasefire milestones first: "truce expires" is not an attack
    ("ceasefire", "violation_alleged", _R(r"\bviolat(?:e|ed|es|ing|ion|ions)\b|\bbreach(?:ed|es|ing)?\b|"
                                         r"\bbr(?:oke|eaking|eaks) (?:the |its |aid )?(?:truce|pause|ceasefire|terms|"
                                         r"agreement|deal)|\btamper(?:ed|ing) with\b", re.I)),
    ("ceasefire", "hostilities_resumed", _R(r"\bresum(?:e|ed|es|ing|ption of) (?:its |the )?(?:gaza )?(?:offensive|"
                                            r"fighting|combat|bombardment|strikes|war|attacks|hostilities|military "
                                            r"operations)|\b(?:combat|fighting|war|hostilities) (?:had |has )?"
                                            r"resum(?:ed|es)\b|\breturn(?:ing)? to (?:war|fighting|aggression)\b",
                                            re.I)),
    ("ceasefire", "ended", _R(r"\b(?:truce|pause|ceasefire)\b[^.;]{0,40}?\b(?:expired?|expires|lapsed|ended|ran out|"
                              r"collapsed|is over|was over)\b|\b(?:truce|pause|ceasefire) over\b|\bend of the "
                              r"(?:truce|pause|ceasefire)\b", re.I)),
    ("ceasefire", "extended", _R(r"\b(?:truce|pause|ceasefire)\b[^.;]{0,40}?\b(?:extended|prolonged|carry into)\b|"
                                 r"\bextension of the (?:truce|pause|ceasefire)\b|\b(?:extend|prolong)(?:ed)? the "
                                 r"(?:truce|pause|ceasefire)\b", re.I)),
    ("ceasefire", "took_effect", _R(r"\b(?:truce|pause|ceasefire)\b[^.;]{0,40}?\b(?:began|begins|took effect|took hold|"
                                    r"came into (?:force|effect)|went into effect|takes effect|started)\b|\bguns "
                                    r"(?:fall|fell) silent\b", re.I)),
    ("ceasefire", "agreed", _R(r"\b(?:agreed|signed|reached|struck|announced)\b[^.;]{0,25}?\b(?:truce|ceasefire|deal|"
                               r"agreement|pause)\b|\b(?:truce|ceasefire|deal) (?:was )?(?:agreed|reached|signed)\b",
                               re.I)),
    # exchanges
    ("exchange", "offer_rejected", _R(r"\breject(?:ed|s)? [^.;]{0,30}?\b(?:offer|proposal)s?\b|\bturned [^.;]{0,20}"
                                      r"(?:offer|proposal) down\b|\bturned the (?:offer|proposal) down\b|\brefused "
                                      r"(?:an|the) offer\b", re.I)),
    ("exchange", "body_handover", _R(r"\b(?:bodies|remains|body)\b[^.;]{0,60}?\b(?:handed over|returned|reached|"
                                     r"transferred|received)\b|\b(?:returned|handed over) the (?:bodies|remains)\b",
                                     re.I)),
    ("exchange", "body_recovery", _R(r"\bsearch(?:ing|ed)? for (?:the )?bodies\b|\brecover(?:ed|y|ing)? (?:of )?"
                                     r"(?:the )?(?:bodies|remains)\b|\btheir recovery\b", re.I)),
    ("exchange", "prisoner_release", _R(r"\b(?:freed|released|releasing|freeing)\b[^.;]{0,40}?\b(?:prisoners|"
                                        r"detainees)\b|\b(?:prisoners|detainees)\b[^.;]{0,30}?\b(?:released|freed)\b",
                                        re.I)),
    ("exchange", "captive_release", _R(r"\b(?:hostages?|captives?)\b[^.;]{0,50}?\b(?:released|freed|handed over|go "
                                       r"free|went free|let go|set free)\b|\b(?:released|freed|handed over|releasing)"
                                       r"\b[^.;]{0,25}?\b(?:hostages?|captives?)\b|\bhad been let go\b", re.I)),
    # humanitarian
    ("humanitarian", "crossing_closed", _R(r"\bcrossings?\b[^.;]{0,40}?\b(?:shut|closed|close|stay shut|remain "
                                           r"closed)\b|\b(?:closed|shut) (?:the )?[\w ]{0,20}crossing\b", re.I)),
    ("humanitarian", "crossing_opened", _R(r"\bcrossings?\b[^.;]{0,40}?\b(?:reopened|opened|reopen)\b|\b(?:reopened|"
                                           r"opened) (?:the )?[\w ]{0,20}crossing\b", re.I)),
    ("humanitarian", "aid_restriction", _R(r"\b(?:only|just) (?:\w+ )?(?:three|\d+) of (?:the )?(?:\d+|100) (?:aid )?"
                                           r"trucks\b|\bfewer than half of the trucks\b|\b(?:blocked|restricted|"
                                           r"halted|held up|obstructed|delayed) (?:the )?(?:entry of )?(?:aid|"
                                           r"trucks|fuel|deliveries)\b|\baid[^.;]{0,20}(?:halted|blocked|cut off)\b",
                                           re.I)),
    ("humanitarian", "aid_entry", _R(r"\b(?:trucks?|lorries|fuel|aid|convoys?|truckloads)\b[^.;]{0,60}?\b(?:entered|"
                                     r"crossed|unloaded|arrived|delivered|reached|went in|let in|left)\b|\blet "
                                     r"[^.;]{0,40}? in (?:daily|each day)\b|\bdelivered \d+ truckloads\b", re.I)),
    ("humanitarian", "infrastructure_damage", _R(r"\b(?:destroyed|damaged|flattened|razed)\b[^.;]{0,30}?\b(?:homes?|"
                                                 r"hospitals?|schools?|buildings?|infrastructure|roads?|water)\b",
                                                 re.I)),
    # attacks
    ("attack", "rocket_fire", _R(r"\brockets?\b|\bbarrages?\b|\bmortars?\b|\bprojectiles?\b", re.I)),
    ("attack", "shelling", _R(r"\bshell(?:ing|ed|s)\b|\bartillery\b|\btank (?:shell|fire)\b", re.I)),
    ("attack", "airstrike", _R(r"\bair ?strikes?\b|\bair raids?\b|\bwarplanes\b|\bjets? (?:strike|struck|hit)|"
                               r"\bstrikes? (?:hit|on|in|across|killed|kill)\b|\b(?:israeli|deadly|new|fresh|heavy) "
                               r"strikes\b|\bbombard(?:ment|ed|ing)\b|\bbomb(?:ed|ing)\b|\bstruck\b|\bdrone strike",
                               re.I)),
    ("attack", "gunfire", _R(r"\bshot dead\b|\bopened fire\b|\bfired (?:on|at|toward|towards)\b|\bgunfire\b|"
                             r"\bshooting\b|\bsnipers?\b|\bshot (?:at|toward|towards)\b|\bfired warning shots\b",
                             re.I)),
    ("attack", "armed_clash", _R(r"\bclash(?:es|ed)\b|\bground fighting\b|\bconfrontations?\b|\banti-tank\b|"
                                 r"\bgun ?battles?\b|\bcame under fire\b", re.I)),
    ("attack", "raid", _R(r"\braids?\b|\bstormed\b|\bincursions?\b|\bassault of oct(?:ober|\.)? 7\b|\boctober 7, "
                          r"2023 massacre\b|\boperation al-aqsa flood\b", re.I)),
    ("attack", "demolition", _R(r"\bdemolish(?:ed|ing)\b|\bblew up\b|\bdemolitions?\b", re.I)),
    # movement, detention, diplomacy
    ("movement", "withdrawal", _R(r"\bwithdr(?:ew|awn|aw|awal)\b|\bpulled (?:out|back)\b", re.I)),
    ("movement", "displacement", _R(r"\bfled\b|\bdisplac(?:ed|ement)\b[^.;]{0,20}\b(?:to|toward)\b|\bevacuat(?:e|ion)"
                                    r" orders?\b|\bleaflets\b|\bordered [^.;]{0,30}to (?:leave|move)\b", re.I)),
    ("movement", "return", _R(r"\breturn(?:ed|ing)? (?:to|home)\b[^.;]{0,30}(?:north|homes?)|\bmove from southern gaza"
                              r" to the north\b|\bmaking their way (?:back|north)\b|\bheading north\b", re.I)),
    ("detention", "arrest", _R(r"\barrest(?:ed|s)?\b|\bdetained\b|\brounded up\b", re.I)),
    ("diplomacy", "mediation", _R(r"\bmediat(?:ed|ing|ion|e)\b|\bbrokered\b|\bguarantors?\b", re.I)),
    ("diplomacy", "negotiation", _R(r"\bnegotiations?\b|\btalks (?:on|about|over|in)\b|\bround of talks\b|"
                                    r"\bnegotiat(?:ing|ed)\b|\bseeking agreement\b", re.I)),
    ("diplomacy", "meeting", _R(r"\b(?:met|meet|meeting|landed|arrived|arrive|visited)\b[^.;]{0,40}?\b(?:in|with|"
                                r"for)\b", re.I)),
    ("diplomacy", "appeal", _R(r"\burged\b|\bcalled on\b|\bappealed\b|\bcalled for\b", re.I)),
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
PARTIES = ("Israel", "Hamas")  # the parties of the truces, named when a milestone names nobody
_ROOT_TYPES = ("state", "armed_group", "international_org", "un_body", "aid", "government", "party")


def extract(ctx: Context) -> list[Event]:
    out: list[Event] = []
    text = ctx.text
    story_day = _story_day(ctx)
    clauses: list[tuple[int, int, int, int]] = []  # clause start, end, sentence start, end
    for sent in ctx.doc.sents:
        for c0, c1 in _clauses(text, sent.start_char, sent.end_char):
            clauses.append((c0, c1, sent.start_char, sent.end_char))
    if not clauses:
        return out
    starts = [c[0] for c in clauses]
    # each trigger runs once over the whole text; its first match in a clause counts
    first: dict[tuple[int, int], int] = {}  # (clause index, trigger index) -> match start
    for k, (_, _, rx) in enumerate(TRIGGERS):
        for m in rx.finditer(text):
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
            if etype in seen and etype != "exchange":
                continue
            before = text[max(c0, t0 - 60):t0]
            if _NEGATION.search(before) or (_HYPOTHETICAL.search(before) and (etype, sub) != ("ceasefire", "extended")):
                continue
            seen.add(etype)
            claim_i, claim = _claim_at(ctx.claims, t0)
            out.append(Event(
                type=etype, subtype=sub, actor=_actor(ctx, etype, sub, c0, t0, clause, claim),
                places=_places(ctx, c0, c1), date=_date(ctx, c0, c1, claim, etype, sub, story_day),
                asserted_by=claim.speaker if claim and claim.speaker else "author",
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


def _story_day(ctx: Context) -> str | None:
    """The day the article is about: its most frequent day-valued time not after publication."""
    pub = ctx.article.published.isoformat() if ctx.article.published else None
    counts: dict[str, int] = {}
    for t in ctx.times:
        if t.value and re.match(r"\d{4}-\d{2}-\d{2}", t.value) and (pub is None or t.value[:10] <= pub):
            day = t.value[:10]
            if pub is None or day >= _minus_days(pub, 3):
                counts[day] = counts.get(day, 0) + 1
    if not counts:
        return pub
    return max(counts, key=lambda d: (counts[d], d))


def _minus_days(day: str, n: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=n)).isoformat()


def _date(ctx: Context, c0: int, c1: int, claim: Claim | None, etype: str, sub: str,
          story_day: str | None) -> str | None:
    for t in ctx.times:
        if c0 <= t.span[0] < c1 and t.value and re.match(r"\d{4}-\d{2}-\d{2}", t.value):
            if re.search(r"\bsince\s*$", ctx.text[max(0, t.span[0] - 8):t.span[0]], re.I) or \
                    t.mention.lower().startswith("since"):
                continue
            return t.value[:10]
    if etype == "diplomacy" and sub == "mediation":
        return None
    return story_day
