"""Times: every date, time, duration or set expression (TIMEX3), with its value resolved.

Candidates are the matches of the pattern table ``patterns/times.jsonl`` (spaCy ``Matcher``
token patterns, :mod:`trucewatch.timex_patterns`), the longest at each place, trimmed as
TimeML draws spans ("on Thursday" is "Thursday"), plus spaCy ``DATE``/``TIME`` entities the
patterns do not reach; a second day in "April 24 and 25" is an expression of its own.  Each
is valued by :func:`trucewatch.timex.normalise` with what the article around it says:

* the tense of its clause, read from the parse (the governing verb and its auxiliaries: "will",
  "is due", "expected to" look forward, a past-tense verb back), for weekdays and dates
  without a year;
* the story's reference time, the last date named before it, for "that day", "the following
  year", "a day earlier", "the previous Friday"; and the last fiscal quarter named, for "a year
  ago" and "the year-earlier quarter" in an earnings report;
* appositions: "yesterday morning, Sunday, at 08:30" is one moment; clock times and parts of
  the day take the day their apposition names, and where "yesterday" and a weekday disagree the
  weekday wins;
* "11:15 local time (9:15 GMT)": the local time keeps the offset the GMT equivalent gives.

An expression the normaliser cannot read is dropped, as are a year that is really a count
("2000 people") and unit words in titles ("60 Minutes").  Every mention is kept, each with
its own span: the record lists them all (TimeML marks every mention; a later stage dates an
event by the time in its own clause).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date

from spacy.tokens import Doc, Span

from trucewatch import timex_patterns
from trucewatch.context import Context
from trucewatch.models import TimeExpr
from trucewatch.timex import normalise

_FUTURE = re.compile(r"\b(?:will|'ll|is due|are due|due to|expected to|scheduled|set to|planned|plans to|"
                     r"to be (?:released|freed|handed)|upcoming|deadline)\b", re.I)
_FUTURE_LEMMAS = frozenset({"due", "schedule", "expect", "set", "plan", "intend", "aim", "payable", "slate", "hope",
                            "likely", "expected", "scheduled", "slated", "poised", "prepare", "vow", "promise",
                            "threaten", "want", "seek", "effective"})
_POINT_RULES = frozenset({"weekday", "weekday_date", "day_word", "part_of_day", "clock_time", "month_day",
                          "numeric_date", "holiday", "ner"})
_DAY_RULES = frozenset({"weekday", "weekday_date", "month_day", "numeric_date", "holiday"})
_APPOSITION = re.compile(r"^(?:\s*,\s*|\s+|\s*,?\s*(?:at|on|around|about)\s+|\s*\(\s*)$")
_COORDINATED_DAY = re.compile(r"^\s*(?:and|or|to|through|until|-|\u2013)\s*(\d{1,2})(?:st|nd|rd|th)?\b")
_UNIT_WORDS = frozenset({"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
                         "month", "months", "year", "years", "decade", "decades"})
_QUARTER_VALUE = re.compile(r"\d{4}-Q[1-4]$")
_ANCHORABLE = re.compile(r"\d{4}(?:-(?:\d{2}(?:-\d{2})?|Q[1-4]|W\d{2}|H[12]|SP|SU|FA|WI))?(?:T.*)?$")
_LOCAL = re.compile(r"\blocal\b", re.I)


def extract(ctx: Context) -> list[TimeExpr]:
    doc = ctx.doc
    anchor = ctx.article.published
    cands = _candidates(doc)
    if not cands:
        return []
    starts = [sent.start_char for sent in doc.sents]
    tenses: dict[tuple[int, int], str | None] = {}

    def tense_of(t0: int, t1: int) -> str | None:
        if (t0, t1) not in tenses:
            tenses[(t0, t1)] = _tense(doc, t0, t1, starts)
        return tenses[(t0, t1)]

    out: list[TimeExpr] = []
    ref: str | None = None
    quarter: str | None = None
    group_day: date | None = None
    prev_end, prev_rule = -1, None
    for i, (start, end, rule, t0, t1, read) in enumerate(cands):
        mention = _text(doc)[start:end]
        gap = _text(doc)[prev_end:start] if prev_end >= 0 else None
        in_group = gap is not None and "\n" not in gap and bool(_APPOSITION.match(gap)) and \
            rule in _POINT_RULES and prev_rule in _POINT_RULES
        if not in_group:
            group_day = _group_day(doc, cands, i, anchor, quarter, ref, tense_of)
        tense = _future_flag(tense_of(t0, t1), rule)
        day = group_day if rule not in _DAY_RULES else None
        found = normalise(read or mention, anchor, tense, ref=ref, quarter=quarter, day=day)
        prev_end, prev_rule = end, rule
        if found is None:
            continue
        kind, value = found
        out.append(TimeExpr(mention=mention, value=value, span=(start, end), type=kind))  # type: ignore[arg-type]
        if kind in ("DATE", "TIME") and _ANCHORABLE.match(value):
            ref = value
            if _QUARTER_VALUE.match(value) and rule == "quarter" and (quarter is None or value > quarter) and \
                    not re.search(r"earlier|ago|previous|comparable|prior", mention, re.I) and \
                    (anchor is None or value <= f"{anchor.year}-Q{(anchor.month - 1) // 3 + 1}"):
                quarter = value  # the quarter an earnings report is about: the latest it names
    _zones(ctx.text, out)
    return out


def _text(doc: Doc) -> str:
    """The text of a Doc (``Doc.text`` joins every token on each call: the article's own string)."""
    article = doc._.tw_article
    return article.text if article is not None else doc.text


def _future_flag(tense: str | None, rule: str) -> bool | None:
    """The normaliser's ``future``: a day in a simple-present clause ("meets Tuesday") lies ahead."""
    if tense in ("present", "deadline"):
        return True if rule in ("weekday", "weekday_date", "month_day", "clock_time", "holiday") else None
    return {"past": False, "future": True}.get(tense)  # type: ignore[return-value]


def _group_day(doc: Doc, cands: list, first: int, anchor: date | None, quarter, ref, tense_of) -> date | None:
    """The day an apposition of point expressions starting at ``cands[first]`` names, if one of them is a day."""
    if anchor is None or first + 1 >= len(cands) or cands[first][2] not in _POINT_RULES:
        return None
    members = []
    prev_end = None
    for c in cands[first:]:
        if prev_end is not None:
            gap = _text(doc)[prev_end:c[0]]
            if "\n" in gap or not _APPOSITION.match(gap) or c[2] not in _POINT_RULES:
                break
        elif c[2] not in _POINT_RULES:
            return None
        members.append(c)
        prev_end = c[1]
    if len(members) < 2:
        return None
    best: tuple[int, date] | None = None
    for s, e, rule, t0, t1, read in members:
        if rule not in _DAY_RULES and not re.search(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                                                    (read or _text(doc)[s:e]), re.I):
            continue
        found = normalise(read or _text(doc)[s:e], anchor, _future_flag(tense_of(t0, t1), rule), ref=ref,
                          quarter=quarter)
        if found and re.match(r"\d{4}-\d{2}-\d{2}", found[1]):
            rank = 0 if rule in ("month_day", "numeric_date", "weekday_date") else 1
            if best is None or rank < best[0]:
                best = (rank, date.fromisoformat(found[1][:10]))
    return best[1] if best else None


def _candidates(doc: Doc) -> list[tuple[int, int, str, int, int, str | None]]:
    """(start char, end char, rule, start token, end token, text to read instead) in text order."""
    out = []
    taken = set()
    for t0, t1, rule in timex_patterns.find(doc, keep=_a_time):
        read = None
        if t1 < len(doc) and doc[t1].lower_ in ("ended", "ending") and doc[t0:t1].text.lower() in (
                "the year", "the fiscal year"):
            read = "the full " + doc[t1 - 1].lower_  # "for the year ended March 31": a period of a year
        out.append((doc[t0].idx, doc[t1 - 1].idx + len(doc[t1 - 1]), rule, t0, t1, read))
        taken.update(range(t0, t1))
        if rule == "month_day":
            extra = _coordinated_day(doc, t0, t1)
            if extra:
                out.append(extra)
                taken.update(range(extra[3], extra[4]))
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME") and not any(i in taken for i in range(ent.start, ent.end)):
            t0, t1 = timex_patterns.trim(doc, ent.start, ent.end)
            if doc[t0:t1].text.strip():
                out.append((doc[t0].idx, doc[t1 - 1].idx + len(doc[t1 - 1]), "ner", t0, t1, None))
    out.sort()
    return out


def _a_time(doc: Doc, t0: int, t1: int, rule: str) -> bool:
    return not _not_a_time(doc, t0, t1, rule)


def _not_a_time(doc: Doc, t0: int, t1: int, rule: str) -> bool:
    span = doc[t0:t1]
    if rule == "year" and t1 - t0 == 1:
        tok = span[0]
        if tok.ent_type_ in ("CARDINAL", "MONEY", "QUANTITY", "PERCENT"):
            return True
        if t1 < len(doc) and (doc[t1].tag_ == "NNS" or doc[t1].lower_ in ("%", "percent")):
            return True
        if t0 > 0 and doc[t0 - 1].text in ("$", "#", "No.", "no.", "No", "number"):
            return True
    if rule == "future_ref" and span.text.lower() == "soon" and (
            t1 < len(doc) and doc[t1].lower_ in ("as", "after", "afterwards", "afterward", "thereafter", "enough")
            or t0 > 0 and doc[t0 - 1].lower_ in ("as", "too", "how")):
        return True  # "as soon as", "soon after": a connective, not a time
    if rule == "future_ref" and span.text.lower() == "future" and span[0].dep_ in ("amod", "compound"):
        return True  # "future earnings": an attribute of a noun
    if rule == "quarter" and span[-1].lower_ == "half" and t1 < len(doc) and doc[t1].lower_ == "of" and \
            not (t1 + 1 < len(doc) and re.fullmatch(r"(?:1\d|20)\d\d", doc[t1 + 1].text)):
        return True  # "the last half of the '80s": the half of something else
    if rule in ("part_of_day", "clock_time") and t0 > 1 and doc[t0 - 1].text == "-" and \
            doc[t0 - 2].lower_ in ("pre", "post", "after", "mid-"):
        return True  # "a pre-dawn raid": part of a modifier
    if rule in ("duration", "relative_unit", "quarter") and t1 < len(doc) and \
            span[-1].lower_ in ("quarter", "quarters") and doc[t1].lower_ in ("of", "-", "century"):
        return True  # "a quarter of the market", "quarter-century": fractions
    if rule == "duration" and t1 - t0 == 2 and span[0].lower_ in ("a", "an") and t0 > 0 and \
            (doc[t0 - 1].tag_ in ("CD", "NNS") or doc[t0 - 1].like_num):
        return True  # "$500 million a year", "four flights a week": a rate, not a duration
    if rule in ("duration", "offset", "relative_unit"):
        for tok in span:
            if tok.lower_ in _UNIT_WORDS and tok.is_title and not tok.is_sent_start and \
                    tok.i != t0 and not span[0].is_sent_start:
                return True  # "60 Minutes": a title, not a duration
    return False


def _coordinated_day(doc: Doc, t0: int, t1: int):
    """The second day of "April 24 and 25" as an expression of its own (read as "April 25")."""
    end = doc[t1 - 1].idx + len(doc[t1 - 1])
    m = _COORDINATED_DAY.match(_text(doc)[end:end + 16])
    if not m:
        return None
    s, e = end + m.start(1), end + m.end(1)
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or (span.end < len(doc) and (doc[span.end].lower_ in _UNIT_WORDS or
                                                 doc[span.end].like_num or doc[span.end].is_title)):
        return None
    month = next((tok.text for tok in doc[t0:t1] if re.match(r"[A-Za-z]{3}", tok.text)
                  and tok.lower_.rstrip(".")[:3] in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                                      "oct", "nov", "dec")), None)
    if month is None:
        return None
    year = next((tok.text for tok in doc[t0:t1] if re.fullmatch(r"\d{4}", tok.text)), "")
    return s, e, "month_day", span.start, span.end, f"{month} {m.group(1)}{', ' + year if year else ''}"


_REPORTING = frozenset({"say", "tell", "report", "announce", "claim", "add", "note", "state", "insist", "deny",
                        "confirm", "acknowledge", "argue", "believe", "think", "know", "quote", "cite", "write",
                        "show", "indicate", "suggest", "warn", "accuse", "be", "have"})
_MODALS = frozenset({"might", "may", "could", "can", "should", "must", "ought"})
_DEADLINE = frozenset({"until", "till", "through", "by"})
# verbs that set a limit in time: "gave them until Tuesday", "extended the deadline until May"
_LIMIT_SETTING = frozenset({"give", "extend", "grant", "postpone", "delay", "adjourn", "set", "allow", "push", "move",
                            "defer", "suspend", "prolong"})


def _tense(doc: Doc, t0: int, t1: int, starts: list[int] | None = None) -> str | None:
    """How the clause of doc[t0:t1] places it: "past", "future", "present" (simple present of a
    verb that is not a reporting verb: "the court meets Tuesday"), "deadline" (a past verb
    setting a limit: "gave them until Tuesday") or None when it does not say."""
    span: Span = doc[t0:t1]
    before = doc[t0 - 1].lower_ if t0 > 0 else ""
    if before in ("since", "ago"):
        return "past"
    if t0 > 2 and doc[t0 - 3].lower_ == "as" and doc[t0 - 1].lower_ == "as" and \
            doc[t0 - 2].lower_ in ("soon", "early", "late"):
        return "future"  # "as soon as Tuesday"
    verb = None
    planned = False  # a word of planning on the way up: "effective Feb. 1", "was planned for March"
    tok = span.root
    for _ in range(8):
        if not t0 <= tok.i < t1 and tok.lemma_ in _FUTURE_LEMMAS:
            planned = True
        if tok.pos_ in ("VERB", "AUX") and not t0 <= tok.i < t1:
            # a participle modifying a noun takes the tense of its clause when it plans
            # ("the rally planned for Saturday was cancelled"); else it tells what was done
            # ("the injunction issued Thursday")
            if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod") and \
                    not any(c.dep_ in ("aux", "auxpass") for c in tok.children):
                if tok.lemma_ not in _FUTURE_LEMMAS:
                    return "past"
            else:
                verb = tok
                break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    window = _clause(doc, t0, t1, starts)
    if verb is None:
        return "future" if planned or _FUTURE.search(window) else None
    tense = _verb_tense(verb)
    if planned and tense != "future":
        return "future" if tense != "past" else None
    if before in _DEADLINE and verb.lemma_ not in ("end", "close", "finish", "last", "remain", "stay", "continue"):
        if tense == "past" and before in ("until", "till") and verb.lemma_ in _LIMIT_SETTING and \
                not _past_perfect(verb):
            return "deadline"  # "gave them until mid-November": a deadline after the telling
        if tense is None or tense == "present":
            return "future"
    if tense is None and _FUTURE.search(window):
        return "future"
    return tense


def _past_perfect(tok) -> bool:
    """The word, or the verb it hangs on, carries "had" ("had been due", "had given")."""
    for t in (tok, tok.head):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in t.children):
            return True
        if t.pos_ in ("VERB", "AUX") and t.i != tok.i:
            break
    return False


def _verb_tense(verb, depth: int = 0) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.dep_ != "neg"]
    words = {a.lower_ for a in auxes}
    if words & {"had", "'d"} and verb.tag_ == "VBN":
        return "past"
    if words & {"will", "'ll", "shall", "wo", "ll", "would"}:
        return "future"
    if words & _MODALS:
        if "have" in words or "could" in words:
            return None  # "could be located", "may have left"
        return "future"
    if any(c.lemma_ in _FUTURE_LEMMAS and c.dep_ in ("acomp", "xcomp", "attr", "oprd") and c.tag_ != "VB"
           for c in verb.children):
        return "future"  # "is due", "is expected", "is likely"
    if "going" in words or (verb.lower_ == "going" and any(c.lower_ == "to" for c in verb.children)):
        return "future"
    if verb.tag_ == "VB" and "to" in words:
        if verb.dep_ == "ROOT":
            return "future"  # a headline's "X to free hostages on Thursday"
        gov = verb.head
        if gov.lemma_ in _FUTURE_LEMMAS and _past_perfect(gov):
            return "past"  # "had been due to expire Friday"
        if gov.lemma_ in _FUTURE_LEMMAS or gov.lemma_ == "be" and gov.tag_ in ("VBZ", "VBP"):
            return "future"  # "expects to sign Monday", "is to resume Tuesday"
        gov_tense = _verb_tense(gov, depth + 1) if gov.i != verb.i and depth < 4 and gov.pos_ in ("VERB", "AUX") \
            else None
        if gov_tense == "future":
            return "future"
        if gov_tense == "present":
            return "present"
        return None  # "agreed to meet Tuesday": later than the agreeing, not said how it stands now
    if verb.lemma_ in _FUTURE_LEMMAS and not words & {"was", "were", "did", "has", "have", "had", "'ve"} and (
            verb.tag_ in ("VBZ", "VBP", "JJ") or verb.tag_ == "VBN" and words & {"is", "are", "'s", "'re"}):
        return "future"  # "is scheduled for Tuesday", "expects"
    if words & {"did", "was", "were"} or verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        return "past" if words & {"has", "have", "'ve", "'s"} or not words else None
    if verb.tag_ == "VBG" and words & {"is", "are", "'re", "am", "'s"}:
        return "present"
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_ not in _REPORTING:
        return "present"
    return None


def _clause(doc: Doc, t0: int, t1: int, starts: list[int] | None = None) -> str:
    """The clause around doc[t0:t1]: from the last comma, semicolon or "and" of its sentence before it."""
    start = doc[t0].idx
    if starts is None:
        starts = [sent.start_char for sent in doc.sents]
    sent_start = starts[bisect_right(starts, start) - 1] if starts else 0
    left = _text(doc)[sent_start:start]
    cut = max(left.rfind(","), left.rfind(";"), left.rfind(" and "))
    return _text(doc)[sent_start + cut + 1 if cut >= 0 else sent_start:doc[t1 - 1].idx + 12]


def _zones(text: str, times: list[TimeExpr]) -> None:
    """"11:15 local time (9:15 GMT)": the local time takes the offset its GMT equivalent gives."""
    for a, b in zip(times, times[1:], strict=False):
        if a.type != "TIME" or b.type != "TIME" or not _LOCAL.search(a.mention) or not b.value.endswith("Z"):
            continue
        if not re.fullmatch(r"\s*[(,\u2013-]?\s*(?:or\s+)?", text[a.span[1]:b.span[0]]):
            continue
        la = re.search(r"T(\d{2}):(\d{2})$", a.value or "")
        lb = re.search(r"T(\d{2}):(\d{2})Z$", b.value or "")
        if not la or not lb:
            continue
        minutes = (int(la.group(1)) * 60 + int(la.group(2))) - (int(lb.group(1)) * 60 + int(lb.group(2)))
        minutes = (minutes + 12 * 60) % (24 * 60) - 12 * 60
        sign = "+" if minutes >= 0 else "-"
        a.value = f"{a.value}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def every_mention(times: list[TimeExpr]) -> list[TimeExpr]:
    """The record's times: every mention, in text order (one item per span)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for t in sorted(times, key=lambda t: t.span):
        if tuple(t.span) not in seen:
            seen.add(tuple(t.span))
            out.append(t)
    return out


def distinct(times: list[TimeExpr]) -> list[TimeExpr]:
    """Each distinct expression once (same words without "late"/"by"/"since", same value), first occurrence."""
    out: list[TimeExpr] = []
    seen: set[tuple[str, str | None]] = set()
    for t in times:
        key = (re.sub(r"^(?:late|early|by late|by early|late on|early on|by|since|mid-)\s*", "", t.mention.lower(),
                      flags=re.I).strip(), t.value)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def story_day(ctx: Context) -> str | None:
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
