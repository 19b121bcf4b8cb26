"""Casualty figures: counts of killed, injured, missing, detained, captive and released people.

A figure is read from the sentence's parse around a count:

* **count**: a number in digits or words ("1,718", "Twenty-four"), a range ("between 29 and 44",
  "29 to 44", "29-44"), a vague amount by a fixed convention (:data:`VAGUE`: "dozens" = at least
  24, "scores" = at least 40, "hundreds" = at least 200, "thousands" = at least 2,000), or one
  person ("a man was killed", "killing a journalist", "another wounded");
* **victims**: the noun the count modifies ("five children"), its "of" phrase ("dozens of
  Palestinians", "six of them"), or none for a bare count ("killing 38"); a count whose noun is
  not a kind of person (``patterns/casualty_victims.jsonl``: "a seven-day pause", "the two
  sides", "100 trucks") is not a figure;
* **status**: the word that says what befell them (``patterns/casualty_status.jsonl``), found
  through the parse: the victims' own participle or adjective ("38 people killed", "five dead"),
  the verb they are the subject or object of ("were wounded", "injuring 11 others"), the noun
  whose "of" phrase they are ("the killing of 38 and the injury of 143 others"), a toll ("the
  death toll rose to 97"), the first item of a list they continue ("four at one hospital, 23 at
  another"); only then the nearest status word of the clause;
* **qualifier** from the words right before the count (``patterns/casualty_qualifiers.jsonl``:
  "at least", "more than", "over" ... but not a verb's particle: "hand over two captives");
* **modality** from the status word (:mod:`trucewatch.stages.modality`); a figure negated in the
  outlet's voice ("no one was hurt") is dropped; captives "due to be released" are still captive;
* **perpetrator** from the structure (:mod:`trucewatch.stages.agents`): the agent of the status
  verb, or of the attack it happened in ("killed in an Ruritanian strike"), else None;
* **place**: a place in the count's own phrase ("23 at another hospital"), else in its sentence,
  else the article's main place; **date** from the sentence's time or the running count's
  interval; **asserted_by** the speaker of the claim holding the sentence, else the author.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Span, Token

from trucewatch.context import Context
from trucewatch.kb import fold
from trucewatch.models import Casualty, Claim, Place
from trucewatch.patterns import compiled
from trucewatch.stages import times
from trucewatch.stages.agents import Agents
from trucewatch.stages.modality import modality_of
from trucewatch.stages.truce import agreement_on, conflict_start

VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "tens of thousands": 20000}
_WORDS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
               "hundred": 100, "dozen": 12})
_SINGULAR = frozenset({"a", "an", "one", "another"})
# entity types whose numbers are not head counts
_NOT_COUNTS = frozenset({"PERCENT", "MONEY", "ORDINAL"})  # dates and times: the times stage's own spans
# units and things a number may count that are never people
_NOT_PEOPLE = frozenset({
    "day", "week", "month", "year", "hour", "minute", "second", "decade", "km", "kilometre", "kilometer", "mile",
    "metre", "meter", "percent", "%", "truck", "lorry", "ton", "tonne", "litre", "liter", "dollar", "shekel",
    "euro", "pound", "million", "billion", "rocket", "missile", "drone", "target", "home", "house", "building",
    "site", "point", "phase", "stage", "item", "article", "clause", "time", "side", "party", "tent", "school",
    "hospital", "vehicle", "tank", "round", "shell", "strike", "attack", "raid", "incident", "violation", "breach",
    "crossing", "convoy", "batch", "group", "occasion", "area", "neighbourhood", "neighborhood", "camp", "village",
    "town", "city", "country", "state", "resolution", "bed", "meal", "gallon", "kilogram", "kg", "times"})
_STATUS_NOUNS = frozenset({"fatality", "death", "casualty", "injury", "arrest", "detention", "martyr", "dead",
                           "wounded", "injured", "toll"})
_TOLL_VERBS = frozenset({"rise", "climb", "reach", "jump", "increase", "hit", "stand", "surpass", "pass", "exceed",
                         "top", "bring", "raise", "grow", "mount", "soar"})
_PRISONER = frozenset({"prisoner", "detainee", "inmate"})
_CAPTIVE = frozenset({"hostage", "captive", "abductee"})


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


@dataclass
class _Count:
    start: int  # first token of the count (after any qualifier)
    end: int  # token after the count
    count: int
    count_max: int | None
    qualifier: str
    qual_start: int | None  # first token of the qualifier
    head: Token  # the token whose place in the parse says what the count is of


class _Tables:
    """Per-document look-ups of the pattern tables: token index -> label."""

    def __init__(self, doc) -> None:
        self.status: dict[int, str] = {}
        for sp in compiled("casualty_status", doc.vocab).spans(doc):
            for t in sp:
                self.status.setdefault(t.i, sp.label_)
        self.victim: dict[int, str] = {sp.root.i: sp.label_
                                       for sp in compiled("casualty_victims", doc.vocab).spans(doc)}
        self.qual_end: dict[int, tuple[int, str]] = {}  # token after a qualifier -> (its start, label)
        for sp in compiled("casualty_qualifiers", doc.vocab).spans(doc):
            if all(t.dep_ != "prt" for t in sp):
                prev = self.qual_end.get(sp.end)
                if prev is None or sp.start < prev[0]:
                    self.qual_end[sp.end] = (sp.start, sp.label_)


def extract(ctx: Context) -> list[Casualty]:
    out: list[Casualty] = []
    doc = ctx.doc
    tables = _Tables(doc)
    agents = Agents(ctx)
    index = _SpanIndex(ctx)
    main_place = _main_place(ctx.places)
    fine = {n for p in ctx.places if p.feature not in ("crossing", "country") for n in (p.mention, p.name)}
    claim_index = _ClaimIndex(ctx.claims)
    persons = [e for e in doc.ents if e.label_ == "PERSON"]  # once: Span.ents walks every entity
    story = times.story_day(ctx)
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        seen: set[tuple[str, int, int | None, int]] = set()
        counts = _counts(sent, tables, index.time_tokens(doc, s0, s1))
        status_of: dict[int, tuple[str, Token | None]] = {}
        victims_of: set[int] = set()
        for c in counts:
            found = _figure(ctx, c, sent, tables, status_of, victims_of)
            if found is None:
                continue
            status, status_tok, who, victim = found
            at = doc[c.start].idx
            # a figure looks for its place, time and source near itself: the sentence, or in a
            # very long one a window around the figure (so time stays linear in the text's length)
            w0, w1 = max(s0, at - WINDOW_CHARS), min(s1, at + WINDOW_CHARS)
            source, claim_i = _asserted_by(ctx.claims, w0, w1, claim_index)
            mod = "asserted"
            if status_tok is not None:
                mod, _cue = modality_of(status_tok, in_claim=claim_i is not None)
                if mod == "negated":
                    continue
            if status == "released" and mod in ("planned", "postponed") and status_tok is not None and \
                    status_tok.tag_ == "VBN":
                # "due to be released", "will be freed": they are held now
                status, mod = ("detained" if victim is not None and victim.lemma_.lower() in _PRISONER
                               else "captive"), "asserted"
            key = (status, c.count, c.count_max, c.head.i)
            if key in seen:
                continue
            seen.add(key)
            ev = _evidence(doc, c, status_tok, victim)
            place = _own_place(ctx, index, c, victim) or _place(ctx, index, w0, w1, at, who, main_place)
            if status in ("captive", "released") and not (victim is not None and victim.lemma_.lower() in _PRISONER) \
                    and not re.search(r"\bin\s+$", ctx.text[max(s0, at - 40):at]):
                place = main_place if place is None or not _is_fine(fine, place) else place
            if victim is not None and victim.lemma_.lower() in _PRISONER:
                place = None
            out.append(Casualty(
                status=status, count=c.count, count_max=c.count_max, qualifier=c.qualifier, who=who, place=place,
                date=_date(ctx, index, w0, w1, story, at, c.count, status, single=c.count == 1),
                perpetrator=_perpetrator(agents, status, status_tok) or _from_attack(ctx, status, at, source),
                asserted_by=source, evidence=ev,
                claim=claim_i, modality=mod))
        out.extend(_named(ctx, agents, index, sent, persons, main_place, story, claim_index))
    return out


# --------------------------------------------------------------------------- counts

def _counts(sent: Span, tables: _Tables, in_times: set[int]) -> list[_Count]:
    doc = sent.doc
    out: list[_Count] = []
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        low = tok.lower_
        c: _Count | None = None
        if tok.ent_type_ in _NOT_COUNTS or i in in_times:
            i += 1
            continue
        if low in VAGUE or (low == "tens" and i + 2 < sent.end and doc[i + 2].lower_ == "thousands"):
            end = i + 3 if low == "tens" else i + 1
            value = VAGUE["tens of thousands" if low == "tens" else low]
            c = _Count(i, end, value, None, "at_least", None, doc[end - 1])
        elif low == "dozen" and i > sent.start and doc[i - 1].lower_ in ("a", "one"):
            c = _Count(i - 1, i + 1, 12, None, "exact", None, tok)
        elif tok.like_num or low in _WORDS:
            value = number_value(tok.text)
            end = i + 1
            # "twenty - four", "29-44", "between 29 and 44", "29 to 44"
            if value is not None and end + 1 < sent.end and doc[end].text == "-" and \
                    number_value(doc[end + 1].text) is not None and doc[end + 1].lower_ in _WORDS and value >= 20:
                value += number_value(doc[end + 1].text) or 0
                end += 2
            count_max = None
            if value is not None and end + 1 < sent.end and doc[end].text in ("-", "–", "to") and \
                    doc[end + 1].like_num and (hi := number_value(doc[end + 1].text)) is not None and hi > value and \
                    doc[end + 1].lower_ not in _WORDS:
                count_max, end = hi, end + 2
            elif value is not None and i > sent.start and doc[i - 1].lower_ == "between" and end + 1 < sent.end and \
                    doc[end].lower_ == "and" and (hi := number_value(doc[end + 1].text)) is not None and hi > value:
                count_max, end = hi, end + 2
            if value is not None and not _not_a_count(doc, i, end):
                head = doc[end - 1] if count_max is None else tok  # "twenty - four": the last word
                c = _Count(i - 1 if doc[i - 1].lower_ == "between" and count_max else i, end, value, count_max,
                           "exact", None, head)
        elif low in _SINGULAR and tok.dep_ in ("det", "nummod", "nsubj", "nsubjpass", "dobj", "conj") and \
                not (i > sent.start and doc[i - 1].lower_ in ("every", "each", "no", "any")) and \
                not (i + 1 < sent.end and doc[i + 1].lower_ == "of"):
            noun = tok.head if tok.dep_ in ("det", "nummod") else tok
            # "members of one family"; "Samir Haddad, a photographer": the named person is the figure
            partitive = (noun.dep_ == "pobj" and noun.head.lower_ == "of") or \
                (noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON")
            singular_noun = noun.tag_ in ("NN", "NNP") or (noun.tag_ == "JJ" and noun.dep_ in (
                "dobj", "nsubj", "nsubjpass", "pobj", "conj"))  # "killing a Palestinian"
            if tok.dep_ in ("det", "nummod") and singular_noun and noun.i in tables.victim and \
                    not partitive:
                # "a man and his wife were killed": two people
                partners = [t for t in noun.children if t.dep_ == "conj" and t.i in tables.victim and t.tag_ == "NN"]
                c = _Count(i, i + 1, 1 + len(partners), None, "exact", None, tok)
                if partners:
                    c.end = partners[-1].i + 1
            elif low in ("another", "one") and tok.dep_ in ("nsubj", "nsubjpass", "conj", "dobj"):
                c = _Count(i, i + 1, 1, None, "exact", None, tok)
        elif low == "both" and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.i in tables.status:
            c = _Count(i, i + 1, 2, None, "exact", None, tok)  # "Both died"
        elif tok.tag_ == "NN" and i in tables.victim and tok.dep_ in ("dobj", "nsubjpass") and \
                tables.status.get(tok.head.i) in ("killed", "injured") and \
                not any(ch.dep_ in ("nummod", "poss", "quantmod") or (ch.dep_ == "det" and ch.lower_ != "the")
                        for ch in tok.children):
            # a headline's "kills reservist"; "killed the deputy commander"
            c = _Count(i, i + 1, 1, None, "exact", None, tok)
        if c is not None:
            q = tables.qual_end.get(c.start)
            if q is not None and c.qualifier == "exact":
                c.qualifier, c.qual_start = q[1], q[0]
            elif q is not None and q[1] == "at_least":
                c.qual_start = q[0]
            out.append(c)
            i = c.end
            continue
        i += 1
    return out


def _not_a_count(doc, i: int, end: int) -> bool:
    """A number that is an age, a year, a clock time, part of a name or a measure, not a head count."""
    tok = doc[i]
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.text in ("-", "–") and end + 1 < len(doc) and \
            doc[end + 1].lemma_.lower() in _NOT_PEOPLE | {"year", "old", "strong", "member"}:
        return True  # "seven-day", "a 12-year-old"
    if nxt is not None and nxt.lower_ in ("years", "year", "%", "percent", "per", "a.m.", "p.m.", "am", "pm", "gmt"):
        return True
    if tok.dep_ in ("appos", "npadvmod") and tok.head.ent_type_ == "PERSON":
        return True  # "Romi Gonen, 24,"
    if i > 0 and doc[i - 1].lower_ in ("resolution", "phase", "article", "no", "no.", "number", "page", "route",
                                       "road", "flight", "chapter", "covid", "aged", "age", "stage", "point"):
        return True
    if i > 0 and doc[i - 1].text in ("$", "£", "€", "#"):
        return True
    if tok.lower_ == "one" and ((i > 0 and doc[i - 1].lower_ in ("every", "each", "no", "any", "day", "phase", "no."))
                                or (nxt is not None and nxt.lower_ == "of")):
        return True  # "every one of them", "one of the wounded", "day one"
    return False


# --------------------------------------------------------------------------- victims and status

def _victim(c: _Count, tables: _Tables) -> tuple[Token | None, Token]:
    """(the victims' noun or None, the token standing for the counted people in the parse)."""
    h = c.head
    if h.dep_ in ("nummod", "det", "quantmod", "amod", "compound") and h.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        noun = h.head
        return noun, noun
    for ch in h.children:  # "dozens of Palestinians", "six of them"
        if ch.dep_ == "prep" and ch.lower_ == "of":
            for p in ch.children:
                if p.dep_ == "pobj":
                    return (p if p.pos_ in ("NOUN", "PROPN") else None), h
    return None, h


def _status_word(tok: Token, tables: _Tables) -> str | None:
    label = tables.status.get(tok.i)
    if label is None:
        return None
    return label


def _figure(ctx: Context, c: _Count, sent: Span, tables: _Tables, status_of: dict[int, tuple[str, Token | None]],
            victims_of: set[int] | None = None):
    """(status, status token, who, victims' noun) of a count, or None if it is not a casualty figure."""
    victim, h = _victim(c, tables)
    if victim is not None:
        lemma = victim.lemma_.lower()
        if lemma in _NOT_PEOPLE or (victim.i not in tables.victim and lemma not in _STATUS_NOUNS
                                     and victim.i not in tables.status):
            return None
    if _about_bodies(c, victim):
        return None  # remains handed over or recovered: an exchange, not a casualty figure
    prev = [v for k, v in status_of.items() if k < c.start]
    part = prev and (_part_of_previous(c, sent) or _after_colon(c, sent))
    if not part and prev and victim is not None and victim.dep_ == "conj" and victim.head.i in victims_of:
        part = True  # "among them 46 children and 20 women": the second item goes with the first
    if part and c.count == 1:
        return None  # "42 killed (including a journalist)": a detail of the figure, not another
    found = prev[-1] if part else None  # "..., among them 46 children"
    if found is None:
        found = _status_near(h, victim, c, sent, tables)
    if found is None and prev and victim is None and _listed_after(c, sent):
        found = prev[-1]  # "19 killed: six in Jabalia, five in Khan Younis"
    if found is None and victim is not None and victim.i in tables.status:
        found = tables.status[victim.i], victim  # "14 hostages": captives, when nothing else says
    if found is None:
        return None
    status, stok = found
    status_of[c.head.i] = found
    if victims_of is not None and victim is not None:
        victims_of.add(victim.i)
    if victim is not None and victim.lemma_.lower() in _STATUS_NOUNS:
        who = None  # "12 fatalities": the count is of deaths
    else:
        who = _who(victim) if victim is not None else None
    if status == "captive" and victim is not None and victim.lemma_.lower() in _PRISONER:
        status = "detained"
    if status in ("killed", "injured") and stok is not None and stok.lemma_.lower() in ("body", "remains"):
        return None
    return status, stok, who or "people", victim


def _who(noun: Token) -> str:
    toks = [noun] + [t for t in noun.children if t.dep_ in ("compound", "amod") and t.i < noun.i
                     and not t.like_num]
    toks.sort(key=lambda t: t.i)
    return " ".join(t.text for t in toks)


def _status_near(h: Token, victim: Token | None, c: _Count, sent: Span, tables: _Tables):
    """The status of the people ``h`` stands for, through the parse (see the module docstring)."""
    st = tables.status
    phrase = victim or h
    for node in (phrase, h):  # "12 fatalities", "10 injuries", "68,527 martyrs"
        if node.i in st and node.lemma_.lower() in _STATUS_NOUNS:
            return st[node.i], node
    # the predicate of the victims comes first: "24 hostages held in Gaza were released"
    pred = _predicate_status(phrase, tables)
    if pred is not None:
        return pred
    # the victims' own participle or adjective, or a conjoined noun's: "38 people killed", "five dead",
    # "24 hostages and 39 prisoners released"
    partners = [phrase, h] + [t for t in phrase.children if t.dep_ == "conj"] + \
        ([phrase.head] if phrase.dep_ == "conj" else []) + \
        [g for ch in phrase.children if ch.dep_ == "prep" and ch.lower_ == "of" for g in ch.children
         if g.dep_ == "pobj"]  # "11 members of one family killed"
    for node in partners:
        for ch in node.children:
            if ch.i in st and ch.dep_ in ("acl", "amod", "appos", "relcl", "oprd", "acomp", "advcl"):
                return st[ch.i], ch
    node = phrase
    for _ in range(4):
        dep, head = node.dep_, node.head
        if head is node:
            break
        if dep in ("nsubj", "nsubjpass", "dobj", "oprd", "attr", "dative"):
            if head.i in st:
                return st[head.i], head
            if dep == "attr":  # "Total fatalities were 4": the subject says what is counted
                for ch in head.children:
                    if ch.dep_ == "nsubj" and ch.i in st and ch.lemma_.lower() in _STATUS_NOUNS:
                        return st[ch.i], ch
                    if ch.dep_ == "nsubj":  # "The released hostages were 13 ...": its own modifier
                        for g in ch.children:
                            if g.i in st and g.dep_ in ("amod", "acl"):
                                return st[g.i], g
            for ch in head.children:  # "were left dead", "remain missing", "are in captivity"
                if ch.i in st and ch.dep_ in ("acomp", "oprd", "attr", "xcomp", "advmod"):
                    return st[ch.i], ch
                if ch.dep_ == "prep":
                    for g in ch.children:
                        if g.i in st and g.dep_ == "pobj" and g.lemma_.lower() in ("captivity", "rubble", "debris"):
                            return st[g.i], g
            if head.lemma_.lower() in _TOLL_VERBS:
                toll = _toll_status(head, tables)  # "the toll has since passed 30,000"
                if toll is not None:
                    return toll
                node = head
                continue
            for ch in head.children:  # "are still due to be freed", "remain in captivity"
                if ch.dep_ in ("acomp", "attr", "xcomp"):
                    for g in ch.children:
                        if g.i in st and g.dep_ in ("xcomp", "prep", "pobj", "acl"):
                            return st[g.i], g
            break
        if dep == "pobj":
            prep = head
            owner = prep.head
            if prep.lower_ == "of" and owner.i in st:
                return st[owner.i], owner  # "the killing of 38", "deaths of five"
            if prep.lower_ in ("to", "at", "of", "past") and owner.i != prep.i:
                # "the death toll rose to 97", "a toll of 40": the toll's own status
                toll = _toll_status(owner, tables)
                if toll is not None:
                    return toll
            node = owner
            continue
        if dep in ("conj", "appos", "npadvmod") and head.i != node.i:
            # the next item of a list: "four at one hospital, 23 at another"
            known = _status_near(head, None, c, sent, tables) if head.like_num or head.i in tables.victim else None
            if known is not None:
                return known
            node = head
            continue
        break
    # last resort: a status word near the count in its clause (up to six tokens either way)
    lo, hi = max(sent.start, c.start - 4), min(sent.end, c.end + (victim.i - c.end + 1 if victim else 0) + 6)
    for i in list(range(c.end, hi)) + list(range(c.start - 1, lo - 1, -1)):
        tok = sent.doc[i]
        if tok.text in (";", ".") or (tok.like_num and i not in range(c.start, c.end)):
            break
        if i in st:
            return st[i], tok
    return None


_BODIES = frozenset({"body", "remains", "remain", "corpse", "coffin"})


def _about_bodies(c: _Count, victim: Token | None) -> bool:
    """A count of bodies or remains ("handed back 13 bodies", "the remains of 10 of the hostages",
    "two hostages whose bodies were handed over")."""
    for node in [c.head] + ([victim] if victim is not None else []):
        if node.lemma_.lower() in _BODIES:
            return True
        if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.lemma_.lower() in _BODIES and \
                not any(ch.lower_ == "dead" for ch in node.children):
            return True  # "the remains of 10 (of the 28 dead hostages)"; "the bodies of 13 dead hostages" counts
        for ch in node.children:  # "hostages whose bodies were handed over"
            if ch.dep_ == "relcl" and any(g.lemma_.lower() in _BODIES for g in ch.children
                                          if g.dep_ in ("nsubj", "nsubjpass", "dobj")):
                return True
    return False


_PART_WORDS = frozenset({"among", "including", "include", "whom"})


def _part_of_previous(c: _Count, sent: Span) -> bool:
    """A count that details the previous one: "among them 46 children", "including 12 women"."""
    doc = sent.doc
    lo = max(sent.start, c.start - 3)
    return any(doc[i].lower_ in _PART_WORDS for i in range(lo, c.start))


def _after_colon(c: _Count, sent: Span) -> bool:
    """A count in a list after a colon that follows a figure: "... were released: 11 foreign nationals
    and 13 Ruritanians"."""
    doc = sent.doc
    for i in range(c.start - 1, max(sent.start, c.start - 12) - 1, -1):
        if doc[i].text == ":":
            return any(doc[j].like_num for j in range(sent.start, i))
        if doc[i].text in (";", ".") or doc[i].pos_ == "VERB":
            return False
    return False


def _listed_after(c: _Count, sent: Span) -> bool:
    """A bare count right after a comma, colon or "and" that follows another count: an item of a list."""
    doc = sent.doc
    i = c.start - 1
    return i >= sent.start and doc[i].text in (",", ":", "and", ";") and any(
        doc[j].like_num for j in range(max(sent.start, i - 8), i))


def _predicate_status(phrase: Token, tables: _Tables):
    """The status word the victims are the subject or object of ("were killed", "killing 38")."""
    st = tables.status
    node = phrase
    for _ in range(2):
        if node.dep_ == "conj" and node.head is not node:
            node = node.head  # "9 Palestinians and 11 others were wounded": the first conjunct's verb
            continue
        break
    if node.dep_ in ("nsubj", "nsubjpass", "dobj", "dative") and node.head.i in st:
        return st[node.head.i], node.head
    return None


def _toll_status(owner: Token, tables: _Tables):
    """The status a toll speaks of: "death toll" (killed), "the number of injured" (injured)."""
    st = tables.status
    cands = [owner] + list(owner.children)
    if owner.pos_ == "VERB":
        cands += [g for ch in owner.children if ch.dep_ in ("nsubj", "nsubjpass", "dobj") for g in ch.subtree]
    for t in cands:
        if t.i in st and (t.lemma_.lower() in ("toll", "death", "fatality", "casualty") or
                          t.lemma_.lower() in _STATUS_NOUNS):
            return st[t.i], t
    for t in cands:
        if t.lemma_.lower() in ("number", "tally", "count", "total"):
            for g in t.subtree:
                if g.i in st:
                    return st[g.i], g
    return None


def _evidence(doc, c: _Count, status_tok: Token | None, victim: Token | None) -> tuple[int, int]:
    toks = [doc[c.qual_start if c.qual_start is not None else c.start], doc[c.end - 1]]
    if victim is not None and abs(victim.i - c.start) <= 8:
        toks.append(victim)
    near = status_tok is not None and abs(status_tok.i - c.start) <= 12
    if near and status_tok.sent.start == doc[c.start].sent.start:
        toks.append(status_tok)
        if status_tok.i + 1 < len(doc) and doc[status_tok.i + 1].dep_ == "prt":
            toks.append(doc[status_tok.i + 1])
    first, last = min(toks, key=lambda t: t.i), max(toks, key=lambda t: t.i)
    return first.idx, last.idx + len(last)


def _from_attack(ctx: Context, status: str, at: int, source: str) -> str | None:
    """"Jets struck a house. Seven people were killed.": with no killer of its own, a figure of dead
    or wounded takes the actor of the attack reported just before it (by the same source, in its
    sentence or the one before), as the text tells it."""
    if status not in ("killed", "injured"):
        return None
    best = None
    for e in ctx.events:
        if e.type != "attack" or not e.actor or e.actor_basis != "text" or e.modality != "asserted":
            continue
        if e.asserted_by != source or e.evidence[0] > at or at - e.evidence[1] > 300:
            continue
        if best is None or e.evidence[0] > best.evidence[0]:
            best = e
    return best.actor if best is not None else None


# verbs of keeping a count: their subject reports the dead, it did not kill them
_KEEPING_COUNT = frozenset({"record", "report", "document", "count", "put", "register", "confirm", "say", "announce",
                            "tally", "give", "cite", "list", "publish", "update", "estimate", "verify", "log", "be"})


def _perpetrator(agents: Agents, status: str, status_tok: Token | None) -> str | None:
    if status not in ("killed", "injured", "detained", "captive") or status_tok is None:
        return None
    tok = status_tok
    if tok.pos_ in ("ADJ", "NOUN") and tok.head.pos_ == "VERB" and tok.dep_ in ("oprd", "acomp"):
        tok = tok.head  # "left five dead": the leaving
    if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and tok.head.pos_ == "VERB":
        if tok.head.lemma_.lower() in _KEEPING_COUNT:
            # a count of deaths recorded, reported or put at N: whoever keeps the count is no killer
            return agents._agent_of_noun(tok, 0, as_act=True)
        if tok.dep_ == "dobj":
            tok = tok.head  # "leaving five fatalities": the act that left them
    found = agents.agent(tok) if tok.pos_ in ("VERB", "AUX", "NOUN", "PROPN") else None
    if found:
        return found
    # "... were killed when a tank shell fired by X hit their bus": the act of the time clause
    for ch in tok.children:
        if ch.dep_ == "advcl" and ch.pos_ == "VERB":
            found = agents.agent(ch)
            if found:
                return found
    # "killed in an Ruritanian strike", "wounded by shelling", "held by the group"
    for ch in tok.children:
        if ch.dep_ in ("prep", "agent") and ch.lower_ in ("in", "by", "during", "from", "under"):
            for g in ch.children:
                if g.dep_ == "pobj":
                    found = agents.actor_name(g) or agents._agent_of_noun(g, 0, as_act=True)
                    if found:
                        return found
    return None


# --------------------------------------------------------------------------- named people

_NAMED_KILLED = frozenset({"kill", "die", "martyr", "slay", "assassinate"})


def _named(ctx: Context, agents: Agents, index, sent, persons, main_place: str | None,
           story: str | None, claim_index: _ClaimIndex) -> list[Casualty]:
    """One named person reported killed: "Abdullah Darwish, a cameraman ..., was killed"."""
    out = []
    for ent in persons:
        if not (sent.start <= ent.start < sent.end) or ent.root.dep_ not in ("nsubjpass", "nsubj", "dobj"):
            continue
        verb = ent.root.head
        if verb.lemma_.lower() not in _NAMED_KILLED or verb.tag_ not in ("VBN", "VBD", "VBG"):
            continue
        if verb.lemma_.lower() in ("kill", "assassinate", "slay") and ent.root.dep_ == "nsubj":
            continue  # "X killed ..." is X the killer
        if ent.root.dep_ == "dobj" and verb.lemma_.lower() not in ("kill", "assassinate", "slay"):
            continue
        s0, s1 = sent.start_char, sent.end_char
        source, claim_i = _asserted_by(ctx.claims, s0, s1, claim_index)
        mod, _cue = modality_of(verb, in_claim=claim_i is not None)
        if mod == "negated" or mod in ("hypothetical", "conditional"):
            continue
        ev = (ent.start_char, verb.idx + len(verb.text))
        out.append(Casualty(status="killed", count=1, count_max=None, qualifier="exact", who=ent.text,
                            place=_place(ctx, index, s0, s1, ent.start_char, ent.text, main_place),
                            date=_date(ctx, index, s0, s1, story, ent.start_char, single=True),
                            perpetrator=_perpetrator(agents, "killed", verb), asserted_by=source, evidence=ev,
                            claim=claim_i, modality=mod))
    return out


# --------------------------------------------------------------------------- places, dates, sources


class _SpanIndex:
    """Places and times sorted by position, so a sentence's own are found by bisection (linear
    time over a document however long its sentences)."""

    def __init__(self, ctx: Context) -> None:
        self.places = sorted(ctx.places, key=lambda p: p.span)
        self.place_starts = [p.span[0] for p in self.places]
        self.times = sorted(ctx.times, key=lambda t: t.span)
        self.time_starts = [t.span[0] for t in self.times]

    def places_in(self, a: int, b: int) -> list[Place]:
        return self.places[bisect_left(self.place_starts, a):bisect_left(self.place_starts, b)]

    def times_in(self, a: int, b: int):
        return self.times[bisect_left(self.time_starts, a):bisect_left(self.time_starts, b)]

    def time_tokens(self, doc, a: int, b: int) -> set[int]:
        """Indices of the tokens inside a time expression of the range."""
        out: set[int] = set()
        for t in self.times_in(max(0, a - 200), b):
            span = doc.char_span(t.span[0], t.span[1], alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
        return out


def _own_place(ctx: Context, index: _SpanIndex, c: _Count, victim: Token | None) -> str | None:
    """A place in the count's own "at/in X" phrase: "23 at Nasser hospital" (lists of tallies)."""
    for node in [ctx.doc[c.start]] + ([victim] if victim is not None else []):
        for ch in node.children:
            if ch.dep_ == "prep" and ch.lower_ in ("at", "in", "near"):
                sub = list(ch.subtree)
                for p in index.places_in(sub[0].idx, sub[-1].idx + len(sub[-1])):
                    if p.feature not in ("country",):
                        return _written(ctx, p)
    return None


WINDOW_CHARS = 600


def _is_fine(fine: set[str], name: str) -> bool:
    """A place fine enough to say where captives are (not a country or a crossing)."""
    return name in fine


# the kinds of place an article's figures fall back on, widest first
_MAIN_FEATURES = ("territory", "region", "governorate", "country")


def _main_place(places: list[Place]) -> str | None:
    """The article's main place: its most mentioned territory or region (a wide area a toll without
    a place of its own is about)."""
    counts: dict[str, int] = {}
    rank: dict[str, int] = {}
    for p in places:
        if p.feature in _MAIN_FEATURES:
            counts[p.name] = counts.get(p.name, 0) + 1
            rank[p.name] = _MAIN_FEATURES.index(p.feature)
    return max(counts, key=lambda n: (counts[n], -rank[n])) if counts else None


def _place(ctx: Context, index: _SpanIndex, s0: int, s1: int, num_start: int, who: str | None,
           main: str | None) -> str | None:
    sentence = index.places_in(s0, s1)
    inside = [p for p in sentence if p.feature not in ("country", "crossing")]
    inside = [p for p in inside if re.search(r"\b(?:in|at|near|on|from|across|of|into)\s+(?:the\s+)?$",
                                             ctx.text[max(s0, p.span[0] - 12):p.span[0]], re.I)] or inside
    after = [p for p in inside if p.span[0] > num_start]
    if after:
        return _written(ctx, after[0])
    if inside:
        return _written(ctx, inside[-1])
    countries = [p for p in sentence if p.feature == "country"
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


def _date(ctx: Context, index: _SpanIndex, s0: int, s1: int, story: str | None, at: int, count: int = 1,
          status: str = "killed", single: bool = False) -> str | None:
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
    for t in index.times_in(s0, s1):
        if not t.value:
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


class _ClaimIndex:
    """Claims by content start, so the claim holding a stretch is found by bisection."""

    def __init__(self, claims: list[Claim]) -> None:
        self.order = sorted(range(len(claims)), key=lambda i: claims[i].content_span[0])
        self.starts = [claims[i].content_span[0] for i in self.order]
        # the longest claim content bounds how far back a claim holding a position can start
        self.reach = max((c.content_span[1] - c.content_span[0] for c in claims), default=0)

    def near(self, s0: int, s1: int) -> list[int]:
        lo = bisect_left(self.starts, s0 - self.reach)
        hi = bisect_left(self.starts, s1)
        return sorted(self.order[lo:hi])


def _asserted_by(claims: list[Claim], s0: int, s1: int, index: _ClaimIndex | None = None) -> tuple[str, int | None]:
    if index is not None:
        for i in index.near(s0, s1):
            a, b = claims[i].content_span
            if a < s1 and s0 < b and claims[i].speaker:
                return claims[i].speaker, i
        return "author", None
    for i, c in enumerate(claims):
        a, b = c.content_span
        if a < s1 and s0 < b and c.speaker:
            return c.speaker, i
    return "author", None
