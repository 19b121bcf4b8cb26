"""Casualty figures: counts of killed, injured, missing, detained, captive and released people.

Each figure is read around a number in a sentence:

* **count** in digits ("1,718") or words ("Twenty-four"); ranges ("between 29 and 44",
  "29 to 44") give ``count``/``count_max``; vague amounts follow a fixed convention
  (:data:`VAGUE`: "dozens" = at least 24, "scores" = at least 40, "hundreds" = at least 200,
  "thousands" = at least 2,000);
* **qualifier** from the words before it ("at least", "more than", "over", "some", "up to",
  "nearly", "passed" ...);
* **victims** from the noun after it ("five children", "39 Palestinian prisoners", "six of them
  women"); a number with neither a victim noun nor a status word next to it is not a figure;
* **status** from the nearest cue: a verb or adjective next to it ("killed", "shot dead",
  "wounding 143", "589 wounded"), a toll ("death toll ... to 97"), else the sentence's one cue;
  captives "due to be released" are still captive;
* **place** from a place mention in the sentence (the one after the number first), else the
  article's main place; released prisoners get none (they leave Israeli prisons);
* **date** from a time expression of the sentence; **perpetrator** as stated ("Israeli
  strikes", "killed by Hamas"); **asserted_by** the speaker of the claim that holds the
  sentence, else the author.

A sentence that gives a partial toll of an earlier total yields its own figure.
"""

from __future__ import annotations

import re
from datetime import date

from trucewatch.context import Context
from trucewatch.kb import fold
from trucewatch.models import Casualty, Claim, Place
from trucewatch.stages import times
from trucewatch.stages.truce import agreement_on, conflict_start

VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000}
_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_WORD_NUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:" + _UNITS + r"))?|"
             r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|ten|" + _UNITS + r")")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + _WORD_NUM + r")"
NUMBER = re.compile(
    r"(?<![\w.,:/-])(?:between\s+(?P<lo>" + _NUM + r")\s+and\s+(?P<hi>" + _NUM + r")|(?P<a>" + _DIGITS +
    r")\s*(?:-|–|\bto\b)\s*(?P<b>" + _DIGITS + r")(?![\w:])|(?P<n>" + _NUM + r")|(?P<vague>tens of thousands|dozens|"
    r"scores|hundreds|thousands))(?![\w:])", re.I)
_QUAL = [
    ("at_least", re.compile(r"\b(?:at least|no fewer than|no less than|a minimum of)\s+$", re.I)),
    ("more_than", re.compile(r"\b(?:more than|over|upwards of|in excess of|passed|exceeded|surpassed|topped)\s+$",
                             re.I)),
    ("up_to", re.compile(r"\bup to\s+$", re.I)),
    ("at_most", re.compile(r"\b(?:fewer than|less than|under|at most)\s+$", re.I)),
    ("about", re.compile(r"\b(?:about|around|some|approximately|roughly|nearly|almost|an estimated|close to|"
                         r"estimated|circa)\s+$", re.I)),
]
VICTIMS = (
    "people|persons|person|palestinians|palestinian|israelis|israeli|civilians|civilian|children|child|kids|women|"
    "woman|men|man|boys|boy|girls|girl|minors|teenagers|infants|babies|soldiers|soldier|troops|officers|"
    "hostages|hostage|captives|captive|prisoners|prisoner|detainees|detainee|journalists|journalist|reporters|"
    "members|nationals|citizens|others|fighters|militants|gunmen|medics|paramedics|doctors|nurses|aid workers|"
    "workers|staff|residents|relatives|family members|individuals|victims|patients|students|"
    "worshippers|displaced|refugees|policemen|police officers|rescuers|volunteers|combatants|operatives|"
    "settlers|farmers|fishermen|youths|elderly|foreigners|foreigner|thais|thai|filipinos|filipino|nepalis|nepali|"
    "americans|american|britons|briton|national|citizen")
_STOP = r"(?:and|or|in|of|were|was|are|is|had|have|has|who|which|by|from|to|at|on|as|with|the|after|before)\b"
_VICTIM = re.compile(r"^(?:(?!" + _STOP + r")[\w'’-]+\s+){0,3}(" + VICTIMS + r")\b", re.I)
_OF_THEM = re.compile(r"^\s+(?:of them|of whom|were|are|was)\s+(?:(?:[\w-]+\s+){0,2}?)(" + VICTIMS + r")\b", re.I)
_NON_VICTIM = re.compile(
    r"^\s*(?:%|percent|per cent|days?|hours?|minutes?|weeks?|months?|years?|trucks?|lorries|aid|tonnes?|tons?|km|"
    r"kilomet|miles?|metres?|meters?|dollars?|\$|million|billion|rockets?|missiles?|drones?|targets?|homes?|houses?|"
    r"buildings?|sites?|points?|phases?|stages?|items?|articles?|clauses?|times|a\.m|p\.m|gmt|o'clock|th\b|st\b|"
    r"nd\b|rd\b|tents?|schools?|hospitals?|vehicles?|tanks?|fuel|litres?|liters?|shekels?|euros?|pounds?)", re.I)
_STATUS_WORDS = [
    ("killed", r"killed|killing|kills|kill|dead|died|die|dies|martyred|martyrs|slain|shot dead|death toll|"
               r"deaths|lost their lives|perished|fatalities|toll"),
    ("injured", r"wounded|wounding|injured|injuring|injuries|hurt|wounds"),
    ("missing", r"missing|unaccounted for|under the rubble"),
    ("detained", r"arrested|arresting|arrests|detained|detaining|detentions|rounded up|seized"),
    ("released", r"released|releasing|release|freed|freeing|handed over|let go|returned|set free|"
                 r"were handed|handover"),
    ("captive", r"held|abducted|kidnapped|taken hostage|captivity|remain in gaza|still in gaza"),
]
_STATUS = [(s, re.compile(r"\b(?:" + rx + r")\b", re.I)) for s, rx in _STATUS_WORDS]
_FUTURE_RELEASE = re.compile(r"\b(?:due to be|to be|will be|would be|set to be|expected to be|are to be|is to be)\s+"
                             r"(?:released|freed|handed over|returned)|\bstill\b|\bremain(?:ing)?\b", re.I)
_CAPTIVE_NOUNS = re.compile(r"\b(?:hostages?|captives?)\b", re.I)
_PRISONER_NOUNS = re.compile(r"\b(?:prisoners?|detainees?)\b", re.I)
_PERP = [
    ("Israel", re.compile(r"\b(?:Israeli|Israel's|IDF|IOF|occupation(?:'s|’s)?)\s+(?:air\s*strikes?|strikes?|attacks?|"
                          r"troops|forces|fire|tank fire|tanks?|warplanes|jets|bombardment|bombing|shelling|raids?|"
                          r"army|military|drones?|snipers?|soldiers shot|gunfire|own bombardment)|\b(?:by|from) "
                          r"(?:Israel|the IDF|Israeli forces|the Israeli military|the occupation)\b|\bIsrael "
                          r"(?:killed|struck|launched)", re.I)),
    ("Hamas", re.compile(r"\b(?:Hamas|Hamas-led)\b[\w\s-]{0,20}\b(?:killed|fighters|gunmen|militants|attack)|\bby "
                         r"(?:Hamas|militants|Hamas terrorists)\b|\bmilitants (?:fired|opened fire|attacked)", re.I)),
]


def number_value(text: str) -> int | None:
    t = text.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    if t in _WORDS:
        return _WORDS[t]
    parts = re.split(r"[- ]", t)
    if len(parts) == 2 and parts[0] in _WORDS and parts[1] in _WORDS:
        return _WORDS[parts[0]] + _WORDS[parts[1]]
    return None


def extract(ctx: Context) -> list[Casualty]:
    out: list[Casualty] = []
    time_spans = [t.span for t in ctx.times]
    main_place = _main_place(ctx.places)
    persons = [e for e in ctx.doc.ents if e.label_ == "PERSON"]  # once: Span.ents walks every entity
    story = times.story_day(ctx)
    for sent in ctx.doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        stext = ctx.text[s0:s1]
        for m in NUMBER.finditer(stext):
            a, b = s0 + m.start(), s0 + m.end()
            if any(x < b and a < y for x, y in time_spans):
                continue
            fig = _figure(ctx, m, stext, s0)
            if fig is None:
                continue
            status, count, count_max, qualifier, who, ev = fig
            source, claim_i = _asserted_by(ctx.claims, s0, s1)
            place = _place(ctx, s0, s1, a, who, main_place)
            if status in ("captive", "released") and not (who and _PRISONER_NOUNS.search(who)) and \
                    not re.search(r"\bin\s+$", ctx.text[max(s0, a - 40):a]):
                place = main_place if place is None or not _is_fine(ctx, place) else place
            out.append(Casualty(status=status, count=count, count_max=count_max, qualifier=qualifier, who=who,
                                place=place, date=_date(ctx, s0, s1, story, a, count, status),
                                perpetrator=_perpetrator(stext, status), asserted_by=source, evidence=ev,
                                claim=claim_i))
        out.extend(_named(ctx, sent, persons, main_place, story))
    return out


_NAMED_KILLED = frozenset({"kill", "die", "martyr", "slay", "assassinate"})


def _named(ctx: Context, sent, persons, main_place: str | None, story: str | None) -> list[Casualty]:
    """One named person reported killed: "Abdullah Darwish, a cameraman ..., was killed"."""
    out = []
    for ent in persons:
        if not (sent.start <= ent.start < sent.end) or ent.root.dep_ not in ("nsubjpass", "nsubj"):
            continue
        verb = ent.root.head
        if verb.lemma_.lower() not in _NAMED_KILLED or verb.tag_ not in ("VBN", "VBD"):
            continue
        if any(c.dep_ == "neg" for c in verb.children) or \
                any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may", "will") for c in verb.children):
            continue
        if verb.lemma_.lower() == "kill" and ent.root.dep_ != "nsubjpass":
            continue  # "X killed ..." is X the killer
        s0, s1 = sent.start_char, sent.end_char
        ev = (ent.start_char, verb.idx + len(verb.text))
        source, claim_i = _asserted_by(ctx.claims, s0, s1)
        out.append(Casualty(status="killed", count=1, count_max=None, qualifier="exact", who=ent.text,
                            place=_place(ctx, s0, s1, ent.start_char, ent.text, main_place),
                            date=_date(ctx, s0, s1, story, ent.start_char, single=True),
                            perpetrator=_perpetrator(ctx.text[s0:s1], "killed"), asserted_by=source, evidence=ev,
                            claim=claim_i))
    return out


# a number that is a date, an article, an age, a price... rather than a count
_NOT_A_COUNT_WORDS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                      "october", "november", "december", "jan", "feb", "oct", "nov", "dec", "sept", "resolution",
                      "phase", "article", "aged", "age", "no", "number", "page", "route", "road", "flight", "chapter",
                      "since", "in", "of", "the year", "covid"]
_NOT_A_COUNT = re.compile(r"(?:\b(?:" + "|".join(_NOT_A_COUNT_WORDS) + r")\.?\s+$)|[$£€]\s*$", re.I)
_NOT_A_COUNT_SPAN = max(len(w) for w in _NOT_A_COUNT_WORDS) + 2  # word, full stop, one more for safety
_OF_END = re.compile(r"\b(?:of)\s+$", re.I)
_VICTIMS_NEXT = re.compile(r"\s+(?:" + VICTIMS + r")\b", re.I)
_VICTIMS_SOON = re.compile(r"\s+(?:[\w-]+\s+)?(?:" + VICTIMS + r")\b", re.I)
_AGE_NEXT = re.compile(r"\s*(?:years? old|-year-old|year-old)", re.I)


def _figure(ctx: Context, m: re.Match, stext: str, s0: int):
    if m.group("lo"):
        count, count_max = number_value(m.group("lo")), number_value(m.group("hi"))
    elif m.group("a"):
        count, count_max = number_value(m.group("a")), number_value(m.group("b"))
    elif m.group("vague"):
        count, count_max = VAGUE[m.group("vague").lower()], None
    else:
        count, count_max = number_value(m.group("n")), None
    if count is None or (count_max is not None and count_max <= count):
        return None
    before, after = stext[:m.start()], stext[m.end():]
    # the rule can only match in the last 12 characters before the trailing spaces: start there
    # (search's pos keeps the word boundary test looking at the character before)
    if _NOT_A_COUNT.search(before, max(0, len(before.rstrip()) - _NOT_A_COUNT_SPAN)):
        if not _OF_END.search(before) or _VICTIMS_NEXT.match(after) is None:
            return None
    if _AGE_NEXT.match(after) or _NON_VICTIM.match(after):
        return None
    if m.group("n") and number_value(m.group("n")) == 1 and m.group("n").lower() == "one" and \
            not _VICTIMS_SOON.match(after):
        return None
    qualifier, q = "exact", None
    for name, rx in _QUAL:
        q = rx.search(before[-30:])
        if q:
            qualifier = name
            break
    if m.group("vague"):  # "dozens": at least that many, whatever the words before say
        if qualifier != "at_least":
            q = None  # the words before are then not part of the figure
        qualifier = "at_least"
    who, who_end = None, m.end()
    v = _VICTIM.match(after[1:] if after[:1] == " " else after)
    n = _NUMBER_OF.match(after)
    if v and not re.search(r"[.;:]", after[:v.end() + 1]):
        who = (after[1:] if after[:1] == " " else after)[:v.end()].strip()
        who_end = m.end() + (1 if after[:1] == " " else 0) + v.end()
    elif n:  # "raising to 71 the number of journalists killed"
        who = n.group(1)
        who_end = m.end() + n.end()
    else:
        o = _OF_THEM.match(after)
        if o:
            who = o.group(1)
            who_end = m.end() + o.end()
    near_after = stext[who_end:who_end + 60]
    near_before = before[:len(before) - len(q.group(0))] if q else before
    near_before = near_before[-40:]
    status = _near_status(near_after, near_before, who, stext, before)
    if status is None or re.match(r"[^.;]{0,25}\b(?:bodies|remains)\b", near_after):
        return None  # a handover of bodies is an exchange, not a casualty figure
    if who is None and not _adjacent_status(near_after, near_before, before):
        return None
    ev_start = s0 + m.start()
    if q:
        ev_start -= len(q.group(0))
    ev_end = s0 + who_end
    sm = _first_status(near_after)
    if sm is not None:
        ev_end = s0 + who_end + sm.end()
    return status, count, count_max, qualifier, who or "people", (ev_start, ev_end)


def _first_status(text: str):
    best = None
    for _, rx in _STATUS:
        m = rx.search(text)
        if m and (best is None or m.start() < best.start()):
            best = m
    return best


def _status_of(text: str) -> list[tuple[int, str]]:
    found = []
    for status, rx in _STATUS:
        for m in rx.finditer(text):
            found.append((m.start(), status))
    return sorted(found)


_NUMBER_OF = re.compile(r"^\s+(?:the\s+)?(?:number|toll|tally|count)\s+of\s+(?:[\w-]+\s+){0,2}?(" + VICTIMS + r")\b",
                        re.I)
# "17 are still due to be released": auxiliaries and adverbs between a bare number and its cue.
_AUX_RUN = re.compile(r"^\s+(?:(?:are|were|is|was|have|has|had|been|being|still|due|to|be|also|reportedly|now|"
                      r"later|yet|all|set|expected)\s+){1,6}", re.I)


def _adjacent_status(after: str, before: str, full_before: str) -> bool:
    aux = _AUX_RUN.match(after)
    tail = after[aux.end() - 1:] if aux else after
    return bool(_status_of(after[:20]) or _status_of(tail[:12]) or _status_of(before[-25:])
                or _TOLL.search(full_before))


_TOLL = re.compile(r"\b(?:death toll|toll|number of (?:people |palestinians |israelis |those )?(?:killed|dead)|"
                   r"deaths|fatalities)\b", re.I)


def _near_status(after: str, before: str, who: str | None, sentence: str, full_before: str) -> str | None:
    who_l = (who or "").lower()
    if re.search(r"\b(?:dead|slain|killed)\b", who_l):
        return "killed"
    if re.search(r"\bliving\b", who_l) and re.search(r"\b(?:release|released|freed)\b", sentence, re.I):
        return "released"
    after_c = _status_of(after)
    # "held in Gaza were released": a participle right after the noun yields to the main verb
    if len(after_c) > 1 and after_c[0][1] == "captive" and after[:after_c[0][0]].strip() == "":
        after_c = after_c[1:]
    before_c = _status_of(before[-30:])
    adjacent_before = [s for pos, s in before_c if re.fullmatch(r"[\w-]*\s*", before[-30:][pos:].split(" ", 1)[-1])]
    status = None
    if after_c and after_c[0][0] <= 2:
        status = after_c[0][1]
    elif adjacent_before:
        status = adjacent_before[-1]
    elif who is None and _TOLL.search(full_before):
        status = "killed"
    elif after_c and after_c[0][0] < 40:
        status = after_c[0][1]
    elif before_c:
        status = before_c[-1][1]
    elif after_c:
        status = after_c[0][1]
    if status is None:
        whole = _status_of(sentence)
        kinds = {s for _, s in whole}
        if "released" in kinds and (_CAPTIVE_NOUNS.search(who_l) or _PRISONER_NOUNS.search(who_l) or who is None):
            status = "released"
        elif whole:
            prior = [s for pos, s in whole if pos < len(full_before)]
            status = prior[-1] if prior else whole[0][1]
    if status is None and _CAPTIVE_NOUNS.search(who_l):
        status = "captive"
    if status in ("released", "captive") and _FUTURE_RELEASE.search(after[:45]) and \
            not re.search(r"\b(?:were|was|have been|had been)\s+(?:released|freed)", after[:45]) and \
            not re.search(r"\b(?:allowed|enabled|permitted|saw|let)\b[^.;]*$", full_before, re.I):
        # "due to be released" is still captive; "the pause allowed 240 prisoners to be released" is not
        status = "captive" if not _PRISONER_NOUNS.search(who_l) else "detained"
    if status == "captive" and _PRISONER_NOUNS.search(who_l):
        status = "detained"
    return status


def _is_fine(ctx: Context, name: str) -> bool:
    """A place inside Gaza (where captives are held), not a country or an Israeli town."""
    for p in ctx.places:
        if p.mention == name or p.name == name:
            return p.country == "PS" and p.feature not in ("crossing", "country")
    return False


def _main_place(places: list[Place]) -> str | None:
    counts: dict[str, int] = {}
    for p in places:
        if p.kb_id in ("gaza-strip", "gaza-city", "west-bank", "israel") or p.feature in ("territory",):
            counts[p.name] = counts.get(p.name, 0) + 1
    if "Gaza Strip" in counts:
        return "Gaza Strip"
    return max(counts, key=counts.__getitem__) if counts else None


def _place(ctx: Context, s0: int, s1: int, num_start: int, who: str | None, main: str | None) -> str | None:
    if who and _PRISONER_NOUNS.search(who):
        return None
    inside = [p for p in ctx.places if s0 <= p.span[0] < s1 and p.feature not in ("country", "crossing")]
    inside = [p for p in inside if re.search(r"\b(?:in|at|near|on|from|across|of|into)\s+(?:the\s+)?$",
                                             ctx.text[max(s0, p.span[0] - 12):p.span[0]], re.I)] or inside
    after = [p for p in inside if p.span[0] > num_start]
    if after:
        return _written(ctx, after[0])
    if inside:
        return _written(ctx, inside[-1])
    countries = [p for p in ctx.places if s0 <= p.span[0] < s1 and p.feature == "country"
                 and re.search(r"\bin\s+$", ctx.text[max(s0, p.span[0] - 4):p.span[0]])]
    if countries:
        return countries[0].name
    return main


def _written(ctx: Context, p: Place) -> str:
    """The place as the article spells it (the figure quotes its source) when that spelling is a
    proper name of the place ("Shijaiyah"), else the gazetteer's name ("the Strip" -> "Gaza Strip")."""
    entry = ctx.kb.places.get(p.kb_id or "")
    if entry is None or not p.mention[:1].isupper() or p.mention.isupper():
        return p.name
    mention = re.sub(r"^(?:Kibbutz|kibbutz)\s+", "", p.mention)
    names = {fold(a) for a in (entry.name, *entry.aliases) if not a.lower().startswith("the ")}
    return mention if fold(mention) in names else p.name


_SINCE = re.compile(r"\bsince\b", re.I)
_SINCE_TRUCE = re.compile(r"\bsince the (?:truce|ceasefire|pause|agreement|deal)\b", re.I)
_SINCE_THEN = re.compile(r"\b(?:since then|(?:has|have|had) since)\b", re.I)
_TRUCE_WORD = re.compile(r"\b(?:truce|ceasefire|pause)\b", re.I)
_SINCE_REACH = 80  # characters from "since" to the time that starts the count


def _date(ctx: Context, s0: int, s1: int, story: str | None, at: int, count: int = 1, status: str = "killed",
          single: bool = False) -> str | None:
    """The date of a figure.

    * A running count ("have been killed since October 7", "since the ceasefire began", "the
      toll has since passed 15,000") is the interval from its start to publication: the time
      after "since", the start of the agreement in force, or (a war toll of thousands with no
      start of its own) the start of the conflict.
    * Releases tallied for a truce that ended on the publication day: the truce's days.
    * Else a day-valued time of the sentence (not one that starts a "since" phrase).
    * Else the day the article is about.
    """
    text, pub = ctx.text, ctx.article.published
    # "since" counts only in the figure's own clause ("11 killed; 47 violations since the truce")
    c0, c1 = text.rfind(";", s0, at) + 1 or s0, text.find(";", at, s1)
    clause = text[c0:c1 if c1 >= 0 else s1]
    since_at = [c0 + m.start() for m in _SINCE.finditer(clause)]
    day, since_value = None, None
    for t in ctx.times:
        if not (s0 <= t.span[0] < s1 and t.value):
            continue
        if any(0 <= t.span[0] - p <= _SINCE_REACH for p in since_at):
            since_value = since_value or t.value
            continue
        if day is None and re.match(r"\d{4}-\d{2}-\d{2}", t.value):
            day = t.value[:10]
    agreement = agreement_on(ctx, pub)
    if pub is not None and not single:
        start = None
        if since_value is not None:
            start = _start_of(since_value, conflict_start(ctx, pub))
        elif _SINCE_TRUCE.search(clause) and agreement is not None:
            start = agreement.in_force
        elif _SINCE_THEN.search(clause) and count >= 1000:
            start = conflict_start(ctx, pub)
        if start is not None and start < pub:
            return f"{start.isoformat()}/{pub.isoformat()}"
    if pub is not None and status == "released" and _TRUCE_WORD.search(clause):
        if agreement is not None and agreement.ended is not None and pub >= agreement.ended and \
                (held := agreement.days_held()):
            return held
    return day if day is not None else story


def _start_of(value: str, conflict_start: date | None) -> date | None:
    """The first day a time value covers (the conflict's start for the month it began in)."""
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value[:10])
    if re.fullmatch(r"\d{4}-\d{2}", value):
        first = date.fromisoformat(value + "-01")
        if conflict_start is not None and (first.year, first.month) == (conflict_start.year, conflict_start.month):
            return conflict_start
        return first
    return None


def _perpetrator(sentence: str, status: str) -> str | None:
    if status not in ("killed", "injured", "detained", "captive"):
        return None
    for name, rx in _PERP:
        if rx.search(sentence):
            return name
    return None


def _asserted_by(claims: list[Claim], s0: int, s1: int) -> tuple[str, int | None]:
    for i, c in enumerate(claims):
        a, b = c.content_span
        if a < s1 and s0 < b and c.speaker:
            return c.speaker, i
    return "author", None
