"""TIMEX3 values for English time expressions, resolved against a publication date.

Pure functions, no I/O.  :func:`normalise` takes one isolated expression ("late on Friday",
"0500 GMT", "the past three months", "the year-earlier quarter") and returns its TIMEX3 type
and value, or ``None`` when it cannot say.  What the sentence and the article around it
contribute comes in as arguments: the tense of the clause (``future``), the story's reference
time (``ref``: the last date the article named, for "that day", "the following year", "a day
earlier"), the fiscal quarter the article reports on (``quarter``: for "a year ago" in an
earnings report) and the day an apposition names (``day``: "yesterday morning, Sunday, at
08:30" is on that Sunday).

Conventions (TimeML's TIMEX3 values; the table in ``docs/extraction.md``):

* a weekday is the most recent such day not after publication, or the next one from
  publication when the clause speaks of the future; "last Friday" is strictly before,
  "next Friday" strictly after; "the previous Friday" counts from the story's time;
* a date or month without a year takes the year that puts it in the past of publication, in
  its future when the clause speaks of the future, and the nearer one when the tense does not
  say.  "October 7" without a year, after that day in 2023, is the date of the 7 October 2023
  attack, as every outlet in this domain uses it;
* parts of the day get TIMEX3's ``TMO``/``TAF``/``TEV``/``TNI`` suffixes; "overnight" is the
  night before publication; "late on Tuesday" is that Tuesday night; noon is ``T12:00``;
  midnight ends its day (``T24:00``) and "after midnight" starts the next one (``T00:00``);
* clock times join the day in the same expression or apposition, else the publication day;
  ``GMT``/``UTC`` add ``Z``, named zones their offset (``EST`` ``-05:00``);
* weeks are ISO weeks (``2025-W41``), weekends ``2025-W41-WE``, quarters ``1989-Q3``, halves
  ``1998-H2``, seasons ``1998-SU``, decades ``199``, centuries ``19``;
* durations are ``P<n>D``/``P<n>W``/``P<n>M``/``P<n>Q``/``P<n>Y``/``PT<n>H``/``PT<n>M``, with
  ``X`` for a vague amount ("several days" ``PXD``, "decades" ``PXE``, "centuries" ``PXC``);
* recurring times (TIMEX3 sets) get the period: "daily" ``P1D``, "every morning"
  ``XXXX-XX-XXTMO``, "each Thursday" ``XXXX-WXX-4``;
* ``PRESENT_REF``, ``PAST_REF`` and ``FUTURE_REF`` for "now", "recently", "the future".

``dateparser`` is never run over free text (it reads "We" as Wednesday); the holiday dates
use ``dateutil`` (installed with it) for Easter.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WD_ABBR = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
NUMBERS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
                "hundred": 100, "a": 1, "an": 1, "a few": 3})
ORDINALS = {w: i + 1 for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
     "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
     "twentieth"])}
ORDINALS.update({"thirtieth": 30, "twenty-first": 21, "twenty first": 21})
UNITS = {"minute": "TM", "hour": "TH", "day": "D", "week": "W", "month": "M", "year": "Y"}
PARTS = {"morning": "MO", "afternoon": "AF", "mid-afternoon": "AF", "midafternoon": "AF", "evening": "EV",
         "night": "NI", "nightfall": "EV", "dawn": "MO", "daybreak": "MO", "sunrise": "MO", "dusk": "EV",
         "sunset": "EV", "midmorning": "MO", "mid-morning": "MO", "early hours": "MO", "small hours": "MO",
         "wee hours": "MO"}
SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
ZONES = {"gmt": "Z", "utc": "Z", "z": "Z", "est": "-05:00", "edt": "-04:00", "cst": "-06:00", "cdt": "-05:00",
         "mst": "-07:00", "mdt": "-06:00", "pst": "-08:00", "pdt": "-07:00", "bst": "+01:00", "cet": "+01:00",
         "cest": "+02:00", "eet": "+02:00", "eest": "+03:00", "msk": "+03:00", "jst": "+09:00"}
ATTACK_DAY = date(2023, 10, 7)

_NUMWORDS = sorted((k for k in NUMBERS if k not in ("a", "an", "a few")), key=len, reverse=True)
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(_NUMWORDS) + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr" \
       r"|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_PART = r"(?:morning|afternoon|mid-afternoon|midafternoon|evening|night|nightfall|dawn|daybreak|sunrise|dusk|sunset|" \
        r"midmorning|mid-morning)"
_UNIT = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century|centurie|" \
        r"millennium|millennia)"
_ORD = r"(?:\d+(?:st|nd|rd|th)|" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + ")"


def number(word: str) -> int | None:
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    if w in NUMBERS:
        return NUMBERS[w]
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None


def _amount(words: str) -> float | str | None:
    """The amount in "two", "2 1/2", "twenty-four", "a couple of", "several", "one and a half" (X if vague)."""
    w = " ".join(words.replace("-", " ").split())
    while True:
        shorter = re.sub(r"^(?:(?:at )?(?:least|most)|more than|less than|fewer than|up to|about|around|nearly|"
                         r"almost|some|approximately|roughly|over|under|just|only|barely|fully|another|"
                         r"an additional|additional|a further|further|an extra|extra|a full|full|the|its|their|his|"
                         r"her|these|those|this|that|each of the|each of|than|to|past|last|next|first|final|"
                         r"previous|coming|following|remaining|year earlier|year ago)\s+", "", w)
        if shorter == w:
            break
        w = shorter
    if not w:
        return None
    if re.fullmatch(r"(?:a |an )?(?:few|several|many|numerous|some|couple of|number of|dozens of|hundreds of|"
                    r"thousands of)", w) or w in ("a couple", "couple"):
        return 2 if "couple" in w else "X"
    if w in ("a couple of", "couple of"):
        return 2
    half = 0.0
    m = re.fullmatch(r"(.+?)\s+and a half", w)
    if m:
        w, half = m.group(1), 0.5
    m = re.fullmatch(r"(\d+)\s+1/2", w)
    if m:
        return int(m.group(1)) + 0.5
    w = re.sub(r"^(?:a|an) (?=\d)", "", w)
    if w in ("a", "an", "one", "a single", "single"):
        return 1 + half
    if w in ("a dozen", "dozen"):
        return 12 + half
    if w in ("half a", "half an", "a half", "half"):
        return 0.5
    if re.fullmatch(r"\d+(?:\.\d+)?", w.replace(",", "")):
        v = float(w.replace(",", ""))
        return (int(v) if v.is_integer() else v) + half
    total, cur = 0, 0
    for part in w.split():
        if part == "and":
            continue
        if part in ("hundred", "thousand"):
            cur = max(cur, 1) * (100 if part == "hundred" else 1000)
            if part == "thousand":
                total, cur = total + cur, 0
            continue
        if part not in NUMBERS or part in ("a", "an"):
            return None
        cur += NUMBERS[part]
    total += cur
    if not total:
        return None
    return total + half if half else total


def _weekday(anchor: date, wd: int, future: bool | None) -> date:
    if future:
        return anchor + timedelta(days=(wd - anchor.weekday()) % 7)
    return anchor - timedelta(days=(anchor.weekday() - wd) % 7)


def _year_for(month: int, day: int, anchor: date, future: bool | None = None) -> int:
    """The year of a month and day written without one."""
    if month == 10 and day == 7 and anchor >= ATTACK_DAY and not future:
        return 2023
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if not options:
        return anchor.year
    if future:
        # the next such day; one a few weeks past is still this year's (a deadline reported late)
        after = [d for d in options if (anchor - d).days <= 30]
        return min(after).year if after else anchor.year
    if future is False:
        # the past, or a few weeks ahead (a date a report announces in advance)
        for d in sorted(options, key=lambda d: abs((anchor - d).days)):
            if -330 <= (anchor - d).days <= 330 and (d - anchor).days <= 45:
                return d.year
        return anchor.year
    return min(options, key=lambda d: abs((anchor - d).days)).year


def _month_year(month: int, anchor: date, future: bool | None) -> int:
    if future:
        return anchor.year if month >= anchor.month else anchor.year + 1
    if future is None and month > anchor.month and month - anchor.month <= 2:
        return anchor.year  # "the talks in December" from October: the nearer one
    return anchor.year if month <= anchor.month else anchor.year - 1


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _shift_value(value: str, unit: str, n: int) -> str | None:
    """A date-like TIMEX3 value moved by n units, at its own granularity (or the unit's, if coarser)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(T.*)?", value)
    if m:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if unit == "day":
            return (d + timedelta(days=n)).isoformat()
        if unit == "week":
            return _iso_week(d + timedelta(weeks=n))
        if unit == "month":
            y, mo = _add_months(d.year, d.month, n)
            return f"{y}-{mo:02d}"
        if unit == "year":
            try:
                return d.replace(year=d.year + n).isoformat()
            except ValueError:
                return d.replace(year=d.year + n, day=28).isoformat()
        return None
    m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    if m:
        y, q = int(m.group(1)), int(m.group(2))
        if unit == "year":
            return f"{y + n}-Q{q}"
        if unit == "quarter":
            k = y * 4 + q - 1 + n
            return f"{k // 4}-Q{k % 4 + 1}"
        if unit == "month" and n % 3 == 0:
            k = y * 4 + q - 1 + n // 3
            return f"{k // 4}-Q{k % 4 + 1}"
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if unit == "month":
            y, mo = _add_months(y, mo, n)
            return f"{y}-{mo:02d}"
        if unit == "year":
            return f"{y + n}-{mo:02d}"
        return None
    m = re.fullmatch(r"(\d{4})(-(?:SP|SU|FA|WI|H[12]))?", value)
    if m and unit == "year":
        return f"{int(m.group(1)) + n}{m.group(2) or ''}"
    return None


def _day_of(value: str | None) -> date | None:
    if value:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _recent_day(ref: str | None, anchor: date) -> date | None:
    """The story's day (the reference time) if it is a day of the week up to publication."""
    d = _day_of(ref)
    return d if d is not None and 0 <= (anchor - d).days <= 7 else None


def _year_of(value: str | None) -> int | None:
    if value:
        m = re.match(r"(\d{4})(?:$|-)", value)
        if m:
            return int(m.group(1))
    return None


def _part(text: str) -> str | None:
    for word, code in PARTS.items():
        if re.search(r"\b" + re.escape(word) + r"\b", text):
            return code
    if re.search(r"\btonight\b", text):
        return "NI"
    return None


_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?\s?m\b\.?|p\.?\s?m\b\.?)|\b(\d{1,2}):(\d{2})\b|"
    r"\b([01]\d|2[0-3])([0-5]\d)\s*(?:gmt|utc|z\b|hrs|hours|local)|"
    r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o'clock\b", re.I)
_ZONE = re.compile(r"\b(gmt|utc|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest|msk|jst)\b|(?<=\d)z\b", re.I)
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MON + r")(?:,?\s+(\d{4}))?", re.I)
_DATE_MDY = re.compile(r"\b(" + _MON + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?", re.I)
_DATE_MWORD = re.compile(r"\b(" + _MON + r")\s+(" + _ORD + r"|twenty[- ](?:first|second|third|fourth|fifth|sixth|"
                         r"seventh|eighth|ninth))\b", re.I)
_DATE_ISO = re.compile(r"\b((?:1\d|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_DATE_US = re.compile(r"\b(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])/((?:1\d|20)?\d\d)\b")
_MONTH_YEAR = re.compile(r"\b(" + _MON + r")(?:\s+(?:of\s+)?(\d{4}))?\b", re.I)
_YEAR = re.compile(r"^(?:(?:the )?(?:early|late|mid|middle of|end of|beginning of|start of|close of|turn of|"
                   r"rest of|remainder of|bulk of)[- ]?)?(?:fiscal |calendar |model )?(?:the year )?((?:1\d|20)\d\d)$")
_AGO = re.compile(r"\b(" + _NUM + r"|a|an|a few|a couple of|several|some)\s+(minute|hour|day|week|month|year|decade)s?"
                  r"(?:\s+or\s+(?:so|more|two|three))?\s+ago\b", re.I)
_DURATION = re.compile(r"\b(" + _NUM + r"|a|an)[- ](?:more[- ])?(minute|hour|day|week|month|year)s?(?:[- ]long)?\b",
                       re.I)
_LONG = re.compile(r"\b(day|week|month|year|hour|decade)[- ]long\b", re.I)
_EVENT_HOURS = re.compile(r"\b(?:hours?|minutes?)\b(?:\s+\w+)?\s+(?:after|before|later|earlier|preceding)\b|"
                          r"\b(?:hours|minutes)$")


def _clock(text: str, day: date) -> str | None:
    m = _CLOCK.search(text)
    if not m:
        return None
    if m.group(1):
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        if m.group(3).lower().startswith("p") and h < 12:
            h += 12
        if m.group(3).lower().startswith("a") and h == 12:
            h = 0
    elif m.group(4):
        h, mi = int(m.group(4)), int(m.group(5))
    elif m.group(6):
        h, mi = int(m.group(6)), int(m.group(7))
    else:
        h, mi = number(m.group(8)) or 0, 0
        if re.search(r"\b(?:evening|night|afternoon|pm)\b", text) and h < 12:
            h += 12
    if h > 24 or mi > 59:
        return None
    z = _ZONE.search(text)
    zone = ZONES.get((z.group(1) or "z").lower(), "") if z else ""
    return f"{day.isoformat()}T{h:02d}:{mi:02d}{zone}"


def _explicit_day(text: str, anchor: date | None, future: bool | None = False) -> date | None:
    m = _DATE_ISO.search(text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DATE_US.search(text)
    if m:
        y = int(m.group(3))
        y = y if y >= 100 else (1900 + y if y >= 50 else 2000 + y)
        try:
            return date(y, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
    for rx, dm in ((_DATE_DMY, (2, 1)), (_DATE_MDY, (1, 2)), (_DATE_MWORD, (1, 2))):
        m = rx.search(text)
        if m:
            month = MONTHS.get(m.group(dm[0]).lower().rstrip("."))
            raw = m.group(dm[1]).lower()
            day = int(re.sub(r"\D", "", raw)) if raw[0].isdigit() else \
                ORDINALS.get(raw) or ORDINALS.get(raw.replace("-", " ")) or \
                (20 + ORDINALS.get(raw.split("-")[-1].split()[-1], 0) if raw.startswith("twenty") else 0)
            if not month or not 1 <= day <= 31:
                continue
            year_group = m.group(3) if rx is not _DATE_MWORD else None
            if year_group:
                year = int(year_group)
            elif anchor is None:
                return None
            else:
                year = _year_for(month, day, anchor, future)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def _easter(year: int) -> date:
    from dateutil.easter import easter

    return easter(year)


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    first = date(year, month, 1)
    d = first + timedelta(days=(wd - first.weekday()) % 7)
    if n > 0:
        return d + timedelta(weeks=n - 1)
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - wd) % 7)


_HOLIDAYS = {
    "christmas eve": lambda y: date(y, 12, 24), "christmas": lambda y: date(y, 12, 25),
    "christmas day": lambda y: date(y, 12, 25), "boxing day": lambda y: date(y, 12, 26),
    "new year's eve": lambda y: date(y, 12, 31), "new year's day": lambda y: date(y, 1, 1),
    "new year's": lambda y: date(y, 1, 1), "new year": lambda y: date(y, 1, 1),
    "valentine's day": lambda y: date(y, 2, 14),
    "halloween": lambda y: date(y, 10, 31), "independence day": lambda y: date(y, 7, 4),
    "veterans day": lambda y: date(y, 11, 11), "veterans' day": lambda y: date(y, 11, 11),
    "easter": _easter, "easter sunday": _easter, "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4), "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1), "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "labour day": lambda y: _nth_weekday(y, 9, 0, 1),
}


def _holiday(t: str, anchor: date | None, future: bool | None) -> tuple[str, str] | None:
    m = re.fullmatch(r"(?:(last|next|this) )?(.+?)(?: (week|weekend))?(?: (\d{4}))?", t)
    if not m or m.group(2) not in _HOLIDAYS:
        return None
    rule = _HOLIDAYS[m.group(2)]
    if m.group(4):
        d = rule(int(m.group(4)))
    elif anchor is None:
        return None
    else:
        options = [rule(anchor.year - 1), rule(anchor.year), rule(anchor.year + 1)]
        if m.group(1) == "last":
            d = max(x for x in options if x < anchor)
        elif m.group(1) == "next":
            d = min(x for x in options if x > anchor)
        elif future:
            d = min(x for x in options if (anchor - x).days <= 7)
        else:
            d = min(options, key=lambda x: (not -45 <= (x - anchor).days <= 330 if False else 0,
                                            abs((anchor - x).days) if (x - anchor).days <= 45 else 10 ** 6))
    if m.group(3) == "week":
        return "DATE", _iso_week(d)
    if m.group(3) == "weekend":
        return "DATE", _iso_week(d) + "-WE"
    return "DATE", d.isoformat()


def _clean(text: str) -> str:
    t = " ".join(text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
                 .replace("\u2010", "-").replace("\u2011", "-").split())
    t = re.sub(r"^(?:on|in|at|by|since|until|till|during|from|through|throughout|within|for|of|as of|over)\s+(?=\S)",
               "",
               t) if not re.match(r"^(?:at (?:the time|present|the moment)|for now|in the (?:past|future))$", t) \
        else t
    t = re.sub(r"(?<!\b[ap]\.m)(?<!\b[ap]\.m\.)[,;:.!?\"')(]+$", "", t).strip()
    t = re.sub(r"'s$|'s(?= " + _PART + r")|'$", "", t)
    t = re.sub(r"\bmid (?=afternoon|morning|(?:1\d|20)\d\d|" + _MON + r")", "mid-", t)
    return t


@lru_cache(maxsize=50_000)
def normalise(text: str, anchor: date | None, future: bool | None = False, *, ref: str | None = None,
              quarter: str | None = None, day: date | None = None) -> tuple[str, str] | None:
    """(TIMEX3 type, value) of one isolated expression, or None.

    ``future``: True when the clause speaks of the future, False of the past, None when its tense
    does not say.  ``ref``: the story's reference time (a TIMEX3 value), for anaphoric expressions.
    ``quarter``: the fiscal quarter the article reports on (``1989-Q3``).  ``day``: the day named
    by an apposition, which clock times, parts of the day and "yesterday" then take.
    """
    t = _clean(text)
    if not t or re.search(r"\bold\b|\bolds\b|^aged\b", t):
        return None
    for rule in _RULES:
        out = rule(t, anchor, future, ref, quarter, day)
        if out is not None:
            return out or None
    return None


# Each rule returns (type, value), () for "not a time, stop", or None for "not mine".

_PRESENT = re.compile(r"(?:right )?now|currently|presently|nowadays|current|(?:at )?(?:the )?present(?: day| time)?|"
                      r"these days|those days|at the moment|for now|today's|the moment")
_PAST = re.compile(r"(?:in )?the (?:distant |recent )?past|recently|formerly|lately|(?:at )?the time|once|"
                   r"(?:in )?(?:recent|earlier|past|previous|prior) (?:days|weeks|months|years|decades|times)|recent|"
                   r"in recent (?:days|weeks|months|years|decades) and (?:days|weeks|months|years|decades)|"
                   r"recent (?:days|weeks|months|years|decades) and (?:days|weeks|months|years|decades)|"
                   r"(?:the )?past several (?:quarters|years|months)")
_FUTURE_REF = re.compile(r"(?:in )?(?:the )?(?:near |distant |foreseeable |immediate )?future|soon|"
                         r"as soon as possible|(?:the )?(?:near|short|medium|long) term|"
                         r"(?:the )?(?:coming|upcoming|future) (?:days|weeks|months|years|decades|quarters)|later")


def _r_reference(t, anchor, future, ref, quarter, day):
    if _PRESENT.fullmatch(t):
        return "DATE", "PRESENT_REF"
    if _FUTURE_REF.fullmatch(t):
        return "DATE", "FUTURE_REF"
    if _PAST.fullmatch(t):
        return "DATE", "PAST_REF"
    if re.fullmatch(r"(?:just |only )?(?:months|years|weeks|decades) ago", t):
        return "DATE", "PAST_REF"
    return None


_SET_WORDS = {"per day": "P1D", "per week": "P1W", "per month": "P1M", "per year": "P1Y", "per hour": "PT1H",
              "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "fortnightly": "P2W",
              "monthly": "P1M", "quarterly": "P3M", "yearly": "P1Y", "annually": "P1Y",
              "hourly": "PT1H", "biannually": "P6M"}


def _r_set(t, anchor, future, ref, quarter, day):
    if t in _SET_WORDS:
        return "SET", _SET_WORDS[t]
    m = re.fullmatch(r"(?:every|each)(?: other)? (" + _WD + r")(?: (" + _PART + r"))?", t)
    if m:
        part = PARTS.get(m.group(2) or "", "")
        return "SET", f"XXXX-WXX-{WEEKDAYS.index(m.group(1)) + 1}" + (f"T{part}" if part else "")
    m = re.fullmatch(r"(" + _WD + r")s?(?: (morning|afternoon|evening|night)s)?", t)
    if m and (t.endswith("s") and not t.endswith("days") or m.group(2)):
        part = PARTS.get(m.group(2) or "", "")
        return "SET", f"XXXX-WXX-{WEEKDAYS.index(m.group(1)) + 1}" + (f"T{part}" if part else "")
    m = re.fullmatch(r"(" + _WD + r")s", t)
    if m:
        return "SET", f"XXXX-WXX-{WEEKDAYS.index(m.group(1)) + 1}"
    m = re.fullmatch(r"(?:every|each)(?: other)? (" + _PART + r")", t)
    if m:
        return "SET", f"XXXX-XX-XXT{PARTS[m.group(1)]}"
    m = re.fullmatch(r"(?:every|each)( other)? (second|minute|hour|day|night|week|weekend|month|quarter|year|decade|"
                     r"spring|summer|autumn|fall|winter|" + _MON[3:-4] + r")", t)
    if m:
        unit = m.group(2)
        n = 2 if m.group(1) else 1
        if unit in SEASONS:
            return "SET", f"XXXX-{SEASONS[unit]}"
        if unit in MONTHS:
            return "SET", f"XXXX-{MONTHS[unit]:02d}"
        code = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W",
                "weekend": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "E"}[unit]
        return "SET", (f"PT{n}{code[1]}" if code.startswith("T") else f"P{n}{code}")
    m = re.fullmatch(r"(?:every|each) (\S+(?: \S+)?) (second|minute|hour|day|week|month|year)s", t)
    if m and isinstance(_amount(m.group(1)), int):
        code = UNITS.get(m.group(2), "TS")
        n = _amount(m.group(1))
        return "SET", (f"PT{n}{code[1]}" if code.startswith("T") else f"P{n}{code}")
    return None


def _r_clock(t, anchor, future, ref, quarter, day):
    if not (_CLOCK.search(t) or re.search(r"\b(?:noon|midday|midnight)\b", t)):
        return None
    if re.search(r"\b(?:hours|hrs)\b", t) and not re.search(r"\b\d{4}\s*(?:hours|hrs)\b", t) and \
            not _CLOCK.search(t.replace("hours", "")):
        return None
    base = _explicit_day(t, anchor, future)
    if base is None and anchor is not None:
        wd = re.search(r"\b" + _WD + r"\b", t)
        if wd:
            base = _weekday(anchor, WEEKDAYS.index(wd.group(0)), future)
        elif re.search(r"\byesterday\b", t):
            base = day or anchor - timedelta(days=1)
        elif re.search(r"\btomorrow\b", t):
            base = day or anchor + timedelta(days=1)
        else:
            # a bare clock time in a past-tense clause is on the day the story is telling
            story = _recent_day(ref, anchor) if future is False else None
            base = day or story or anchor
    if base is None:
        return None
    if re.search(r"\bmidnight\b", t):
        if re.search(r"\b(?:after|past)\s+midnight\b", t):
            if re.search(r"\b" + _WD + r"\b|\btoday\b|\btomorrow\b|\byesterday\b", t) or _explicit_day(t, anchor):
                return "TIME", f"{base.isoformat()}T00:00"
            night = _day_of(ref) if day is None else day
            start = (night or base - timedelta(days=1)) + timedelta(days=1)
            return "TIME", f"{start.isoformat()}T00:00"
        return "TIME", f"{base.isoformat()}T24:00"
    if re.search(r"\b(?:noon|midday)\b", t) and not _CLOCK.search(t):
        z = _ZONE.search(t)
        return "TIME", f"{base.isoformat()}T12:00" + (ZONES.get((z.group(1) or "z").lower(), "") if z else "")
    clock = _clock(t, base)
    if clock is None:
        return None
    return "TIME", clock


def _r_event_hours(t, anchor, future, ref, quarter, day):
    """'hours after the truce expired', 'an hour before the deadline': a point on the day of the event."""
    if anchor is None or not (_EVENT_HOURS.search(t) or re.fullmatch(r"(?:the )?(?:\S+ )?hours? (?:preceding|"
                                                                      r"before|after) .*", t)):
        return None
    if not re.search(r"\b(?:after|before|later|earlier|preceding)\b", t):
        return None  # "about five hours", "hours": a duration
    m = re.search(r"\b(\d+|twenty-four|forty-eight|seventy-two) hours\b", t)
    if m and re.search(r"\bpreceding\b|^the\b", t):
        n = number(m.group(1))
        if n:
            return "DURATION", f"PT{n}H"
    return "DATE", (day or _recent_day(ref, anchor) or anchor).isoformat()


_OFFSET = re.compile(r"(.*?)\b(second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century)s?"
                     r"(?: or (?:so|more|two|three))? (ago|earlier|later|hence|before|after|from now|back)$")


def _r_offset(t, anchor, future, ref, quarter, day):
    m = _OFFSET.fullmatch(t)
    if not m:
        return None
    amount_text, unit, direction = m.group(1).strip(), m.group(2), m.group(3)
    amount = _amount(amount_text) if amount_text else "X"
    if amount is None:
        return None
    if direction in ("before", "after"):
        if unit in ("hour", "minute", "second") and (amount == "X" or amount <= 12) and anchor is not None:
            # "an hour before the deadline": on the day of the event, the story's day
            return "DATE", (day or _recent_day(ref, anchor) or anchor).isoformat()
        return _duration_value(amount, unit)
    sign = -1 if direction in ("ago", "earlier", "before", "back") else 1
    if unit == "fortnight":
        unit, amount = "week", (2 * amount if isinstance(amount, (int, float)) else "X")
    if direction in ("earlier", "later"):
        base_value = ref or (anchor.isoformat() if anchor else None)
    else:
        base_value = anchor.isoformat() if anchor else None
    if base_value is None:
        return None
    if amount == "X" and unit in ("hour", "minute", "second") and anchor is not None:
        return "DATE", (day or _recent_day(ref, anchor) or anchor).isoformat()  # "hours later": the story's day
    if amount == "X" or not float(amount).is_integer():
        if unit in ("year", "decade") and direction == "ago" and anchor is not None:
            return "DATE", f"{str(anchor.year)[:3]}X" if unit == "year" else f"{str(anchor.year)[:2]}X"
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF"
    n = int(amount) * sign
    if unit in ("hour", "minute", "second"):
        if abs(n) > 12 and unit == "hour" and direction not in ("ago",):
            return _duration_value(abs(n), unit)
        if direction == "ago" or ref is None:
            return "DATE", (day or anchor or _day_of(base_value)).isoformat()
        d = day or _day_of(ref)
        return ("DATE", d.isoformat()) if d else None
    if unit == "decade":
        unit, n = "year", n * 10
    if unit in ("night", "weekend"):
        unit = "day" if unit == "night" else "week"
    if unit == "quarter":
        q = quarter if direction == "ago" else (ref if ref and re.fullmatch(r"\d{4}-Q\d", ref) else quarter)
        if q:
            return "DATE", _shift_value(q, "quarter", n)
        if anchor is None:
            return None
        y, qq = _quarter_of(anchor)
        return "DATE", _shift_value(f"{y}-Q{qq}", "quarter", n)
    # "a year ago" in an earnings report is the same quarter a year before
    if unit == "year" and quarter and abs(n) == 1 and direction in ("ago", "earlier") and \
            (direction == "ago" or not ref or re.fullmatch(r"\d{4}-Q\d", ref or "")):
        return "DATE", _shift_value(quarter, "year", n)
    if direction in ("ago", "hence", "from now", "back"):
        d = anchor
        if unit == "day":
            return "DATE", (d + timedelta(days=n)).isoformat()
        if unit == "week":
            if abs(n) == 1 and re.search(r"\bor so\b", t):
                return "DATE", (d + timedelta(days=7 * n)).isoformat()
            return "DATE", _iso_week(d + timedelta(weeks=n))
        if unit == "month":
            y, mo = _add_months(d.year, d.month, n)
            return "DATE", f"{y}-{mo:02d}"
        if unit == "year":
            return "DATE", str(d.year + n)
        if unit == "century":
            return "DATE", str(d.year + 100 * n)
        return None
    shifted = _shift_value(base_value, unit, n)
    if shifted is None and anchor is not None:
        shifted = _shift_value(anchor.isoformat(), unit, n)
    if shifted and unit == "year" and (re.fullmatch(r"\d{4}-\d{2}", shifted) or ref is None):
        shifted = shifted[:4]  # "a year earlier" than a month, or than now: a year
    return ("DATE", shifted) if shifted else None


def _r_holiday(t, anchor, future, ref, quarter, day):
    return _holiday(t, anchor, future)


def _r_date(t, anchor, future, ref, quarter, day):
    d = _explicit_day(t, anchor, future)
    if d is None:
        return None
    part = _part(t)
    if part and not re.search(r"\b(?:early|late) (?:morning|night)\b", t):
        return "TIME", f"{d.isoformat()}T{part}"
    return "DATE", d.isoformat()


def _r_weekday(t, anchor, future, ref, quarter, day):
    wd = re.search(r"\b(" + _WD + r")\b", t)
    if wd is None:
        abbr = re.match(r"^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?$", t)
        if not abbr:
            return None
        idx = _WD_ABBR[abbr.group(1)]
    else:
        idx = WEEKDAYS.index(wd.group(1))
    if anchor is None:
        return None
    if re.search(r"\b(?:the )?(?:previous|preceding|following|next)\b", t) and re.search(r"\bthe\b", t) and ref:
        base = _day_of(ref) or anchor
        if re.search(r"\b(?:previous|preceding)\b", t):
            d = base - timedelta(days=(base.weekday() - idx) % 7 or 7)
        else:
            d = base + timedelta(days=(idx - base.weekday()) % 7 or 7)
    elif re.search(r"\b(?:last|this past|past)\b", t):
        d = anchor - timedelta(days=(anchor.weekday() - idx) % 7 or 7)
    elif re.search(r"\bnext\b", t):
        d = anchor + timedelta(days=(idx - anchor.weekday()) % 7 or 7)
    elif re.search(r"\b(?:this coming|coming|this)\b", t):
        d = _weekday(anchor, idx, True if "coming" in t or future is not False else False)
    else:
        d = _weekday(anchor, idx, future)
    part = _part(t)
    if re.search(r"\blate\b", t) and not part:
        part = "NI"
    if part:
        return "TIME", f"{d.isoformat()}T{part}"
    return "DATE", d.isoformat()


def _r_day_word(t, anchor, future, ref, quarter, day):
    if anchor is None:
        return None
    if re.fullmatch(r"(?:early |late )?last (?:evening|afternoon|morning)", t):
        d = day or anchor - timedelta(days=1)
        return "TIME", f"{d.isoformat()}T{_part(t)}"
    if re.fullmatch(r"(?:early |late )?(?:last night|overnight)", t):
        d = day or anchor - timedelta(days=1)
        return "TIME", f"{d.isoformat()}TNI"
    m = re.search(r"\b(today|tonight|tomorrow|yesterday)\b", t)
    if not m:
        return None
    word = m.group(1)
    if re.search(r"\bthe day (?:before yesterday|after tomorrow)\b", t):
        d = anchor + timedelta(days=-2 if "yesterday" in t else 2)
    else:
        d = day or {"today": anchor, "tonight": anchor, "tomorrow": anchor + timedelta(days=1),
                    "yesterday": anchor - timedelta(days=1)}[word]
    part = _part(t)
    if part:
        return "TIME", f"{d.isoformat()}T{part}"
    return "DATE", d.isoformat()


def _r_anaphoric_day(t, anchor, future, ref, quarter, day):
    m = re.fullmatch(r"(?:(early|late|earlier|later) )?(?:(?:on|in) )?(that|the same|the next|the following|"
                     r"the previous|"
                     r"the preceding|the prior) (day|morning|afternoon|evening|night)|the (day|night) (before|after)|"
                     r"(earlier|later) (?:that|the same) (day|morning|afternoon|evening|night)", t)
    if not m or anchor is None:
        return None
    base = day or _day_of(ref) or anchor
    which = m.group(2) or ""
    unit = m.group(3) or m.group(4) or m.group(7)
    if "next" in which or "following" in which or m.group(5) == "after":
        base += timedelta(days=1)
    elif "previous" in which or "preceding" in which or "prior" in which or m.group(5) == "before":
        base -= timedelta(days=1)
    part = PARTS.get(unit)
    if unit == "night" and "late" not in t:
        part = "NI"
    return ("TIME", f"{base.isoformat()}T{part}") if part else ("DATE", base.isoformat())


def _r_part_of_day(t, anchor, future, ref, quarter, day):
    if anchor is None:
        return None
    if re.fullmatch(r"(?:earlier|later) (?:in )?(?:the )?day|(?:earlier|later) today|the same day|the day", t):
        return "DATE", (day or anchor).isoformat()
    m = re.fullmatch(r"(?:(?:early|late|earlier|later) (?:in )?)?(?:this|the|tonight|tonight's)(?: (?:early|late))? ?"
                     r"(morning|afternoon|evening|night|early hours|small hours|wee hours)?|"
                     r"(?:by |at |around )?(mid-?afternoon|midmorning|mid-morning|nightfall|dawn|daybreak|dusk|sunset|"
                     r"sunrise)|(?:the )?(?:early|small|wee) hours|tonight", t)
    if not m or t in ("the", "this"):
        return None
    part = _part(t) or "MO"
    d = day or anchor
    if t == "tonight" or part == "NI":
        part = "NI"
    return "TIME", f"{d.isoformat()}T{part}"


def _r_ordinal_day(t, anchor, future, ref, quarter, day):
    if anchor is None:
        return None
    if re.fullmatch(r"day one|(?:the|an|a|its|their) (?:" + _ORD + r") day|the first day(?: of .*)?", t):
        return "DATE", anchor.isoformat()
    return None


_QORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "final": 4,
         "last": 4}


def _r_quarter(t, anchor, future, ref, quarter, day):
    if not re.search(r"\b(?:quarter|half|period|q[1-4]|year ?-?end|year[- ](?:earlier|ago))\b", t):
        return None
    if re.search(r"\b(?:quarters|halves|periods)\b", t):
        return None
    year_m = re.search(r"\b((?:1\d|20)\d\d)\b", t)
    m = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|final|last|latter)[ -]+(quarter|half)\b", t)
    if m and m.group(1) == "last" and m.group(2) == "quarter" and not re.search(r"\bthe last quarter of\b", t):
        m = None  # "last quarter": the one before this one, not the fourth
    qm = re.search(r"\bq([1-4])\b", t)
    earlier = bool(re.search(r"\byear[- ]?(?:earlier|ago)\b|\bprevious year\b|\blast year'?s?\b|\bprior[- ]year\b|"
                             r"\bcomparable\b", t))
    if re.search(r"\byear ?-?end\b", t):
        if year_m:
            y = int(year_m.group(1))
        elif anchor is None:
            return None
        else:
            y = anchor.year - 1 if future is False else anchor.year
        return "DATE", f"{y}-12-31"
    if re.fullmatch(r"(?:the )?year[- ](?:earlier|ago)", t):
        if quarter:
            return "DATE", _shift_value(quarter, "year", -1)
        return ("DATE", str(anchor.year - 1)) if anchor else None
    if m or qm:
        kind = "half" if m and m.group(2) == "half" else "quarter"
        n = int(qm.group(1)) if qm else (2 if m.group(1) in ("latter", "last") and kind == "half" else
                                          _QORD.get(m.group(1), 4))
        if year_m:
            y = int(year_m.group(1))
        elif anchor is None:
            return None
        elif re.search(r"\bthis year\b", t):
            y = anchor.year
        elif re.search(r"\bnext year\b", t):
            y = anchor.year + 1
        else:
            ry = _year_of(quarter) if quarter and earlier else None
            if ry is not None:
                y = ry
            else:
                cy, cq = _quarter_of(anchor)
                current = cq if kind == "quarter" else (1 if anchor.month <= 6 else 2)
                y = cy if n <= current or future else cy - 1
            if earlier:
                y -= 1
        if kind == "half":
            return "DATE", f"{y}-H{n}"
        return "DATE", f"{y}-Q{n}"
    if re.search(r"\b(?:nine|six|three|\d+)[- ]months?\b", t):
        return None
    mq = re.fullmatch(r"(?:the |its |their )?(?:(\d{4}) )?(" + _MON + r") quarter(?: of (\d{4}))?", t)
    if mq and MONTHS.get(mq.group(2).rstrip(".")) and anchor is not None:
        mo = MONTHS[mq.group(2).rstrip(".")]
        y = int(mq.group(1) or mq.group(3) or _month_year(mo, anchor, future))
        return "DATE", f"{y}-Q{(mo - 1) // 3 + 1}"
    if re.fullmatch(r"(?:the |this |that |its |their |a )?(?:(?:latest|current|recent|most recent|same|comparable|"
                    r"flat|strong|weak|fiscal|(?:\d{4})|year[- ]?earlier|year[- ]?ago|previous|preceding|last|next|"
                    r"prior[- ]year)[ -]?)*(?:quarter|period)", t):
        if anchor is None and not year_m:
            return None
        if re.search(r"\bperiod\b", t) and not (earlier or year_m):
            return None
        if quarter and re.fullmatch(r"\d{4}-Q\d", quarter):
            base = quarter
        elif anchor is not None:
            cy, cq = _quarter_of(anchor)
            base = _shift_value(f"{cy}-Q{cq}", "quarter", 0 if re.search(r"\b(?:current|this)\b", t) else -1)
        else:
            base = None
        if re.search(r"\b(?:next|last)\b", t) and not re.search(r"\bthe\b", t) and anchor is not None:
            cy, cq = _quarter_of(anchor)  # "next quarter", "last quarter": counted from now
            return "DATE", _shift_value(f"{cy}-Q{cq}", "quarter", 1 if "next" in t else -1)
        if re.search(r"\b(?:previous|preceding|last)\b", t) and not earlier and base:
            return "DATE", _shift_value(base, "quarter", -1)
        if year_m and base:
            return "DATE", f"{year_m.group(1)}-Q{base[-1]}"
        if earlier and base:
            return "DATE", _shift_value(base, "year", -1)
        return ("DATE", base) if base else None
    return None


def _r_decade(t, anchor, future, ref, quarter, day):
    m = re.fullmatch(r"(?:the )?(?:(?:early|late|mid|middle)[- ]?)?'? ?(\d{1,3})0s", t)
    if m:
        digits = m.group(1)
        if len(digits) == 3:
            if digits.endswith("0") and len(t) and re.search(r"\d{2}00s", t):
                return "DATE", digits[:2]  # "the 1800s": a century
            return "DATE", digits
        if len(digits) == 1:
            century = str(anchor.year)[:2] if anchor else "19"
            if anchor is not None and int(century + digits + "0") > anchor.year:
                century = str(int(century) - 1)
            return "DATE", century + digits
        return None
    m = re.fullmatch(r"the (?:(?:early|late|mid) )?(twenties|thirties|forties|fifties|sixties|seventies|eighties|"
                     r"nineties)", t)
    if m:
        d = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"].index(
            m.group(1)) + 2
        century = str(anchor.year)[:2] if anchor else "19"
        if anchor is not None and int(f"{century}{d}0") > anchor.year:
            century = str(int(century) - 1)
        return "DATE", f"{century}{d}"
    m = re.fullmatch(r"(this|last|next|the|the last|the past|the previous|the coming|the next) decade", t)
    if m:
        if m.group(1) in ("the last", "the past", "the previous", "the coming", "the next"):
            return "DURATION", "P10Y"
        if anchor is None:
            return None
        dec = anchor.year // 10 + {"this": 0, "the": 0, "last": -1, "next": 1}[m.group(1)]
        return "DATE", str(dec)
    m = re.fullmatch(r"(?:the )?(?:(?:early|late|mid) )?(" + _ORD + r")[- ](century|millennium)", t)
    if m:
        raw = m.group(1)
        n = int(re.sub(r"\D", "", raw)) if raw[0].isdigit() else ORDINALS.get(raw)
        if not n:
            return None
        return "DATE", (f"{n - 1:02d}" if m.group(2) == "century" else str(n - 1))
    m = re.fullmatch(r"(this|last|next|the|the past|the last|the next|the coming|the new) (century|millennium)", t)
    if m:
        if m.group(1) in ("the past", "the last", "the next", "the coming"):
            return "DURATION", "P100Y" if m.group(2) == "century" else "P1000Y"
        if anchor is None:
            return None
        shift = {"this": 0, "the": 0, "last": -1, "next": 1, "the new": 0}[m.group(1)]
        if m.group(2) == "century":
            return "DATE", f"{anchor.year // 100 + shift:02d}"
        return "DATE", str(anchor.year // 1000 + shift)
    m = re.fullmatch(r"the (?:turn|end|start|beginning|middle) of the century", t)
    if m and anchor is not None:
        return "DATE", f"{anchor.year // 100:02d}"
    return None


def _r_relative_unit(t, anchor, future, ref, quarter, day):
    if anchor is None:
        return None
    m = re.fullmatch(r"(?:the )?(week|month|year) (before|after|earlier|later)", t)
    if m:
        base = ref or anchor.isoformat()
        unit = m.group(1)
        out = _shift_value(base, unit, -1 if m.group(2) in ("before", "earlier") else 1) or \
            _shift_value(anchor.isoformat(), unit, -1 if m.group(2) in ("before", "earlier") else 1)
        return ("DATE", out[:4] if unit == "year" and out else out) if out else None
    if re.fullmatch(r"(?:this time|this point|the same time) (?:last year|a year ago)", t):
        return "DATE", str(anchor.year - 1)
    if re.fullmatch(r"the same (?:period|quarter|time) (?:a year (?:ago|earlier)|last year|of last year)", t):
        return "DATE", _shift_value(quarter, "year", -1) if quarter else str(anchor.year - 1)
    if re.fullmatch(r"mid-?year|the middle of (?:the|this) year", t):
        return "DATE", str(anchor.year)
    m = re.fullmatch(r"(?:(early|late|mid|earlier|later|sometime|the (?:end|beginning|start|middle|rest|remainder) of)"
                     r"(?: in)? )?(this|last|next|that|the|the past|the last|the next|the previous|the following|"
                     r"the coming|the same|the current|the present|the latest|the preceding|the prior|this past|"
                     r"this coming|the fiscal|the calendar|this fiscal|last fiscal|next fiscal|the entire|the whole)"
                     r" (week|weekend|month|year|fiscal year|calendar year)|"
                     r"(week|month|year) (before|after) last", t)
    if not m or anchor is None:
        return None
    if m.group(4):
        unit, which = m.group(4), "before last"
    else:
        which, unit = m.group(2), m.group(3).replace("fiscal ", "").replace("calendar ", "")
    edge = m.group(1)
    if which in ("the past", "the last", "the next", "the coming", "the entire", "the whole"):
        if unit == "weekend":
            return "DURATION", "P2D"
        return "DURATION", "P1" + {"week": "W", "month": "M", "year": "Y"}[unit]
    base_ref = ref if which in ("that", "the same", "the previous", "the following", "the preceding", "the prior") \
        else None
    base_day = _day_of(base_ref) or (date(_year_of(base_ref), 6, 30) if _year_of(base_ref) else None) or anchor
    shift = {"last": -1, "this past": -1, "next": 1, "this coming": 1, "the previous": -1, "the preceding": -1,
             "the prior": -1, "the following": 1, "before last": -2, "last fiscal": -1, "next fiscal": 1}.get(which, 0)
    if unit == "week":
        if which == "the" and edge is None:
            return "DATE", _iso_week(base_day)
        return "DATE", _iso_week(base_day + timedelta(weeks=shift))
    if unit == "weekend":
        d = base_day + timedelta(weeks=shift)
        if which == "the" and not future and d.weekday() < 5:
            d -= timedelta(weeks=1)  # the weekend just past
        return "DATE", _iso_week(d) + "-WE"
    if unit == "month":
        if base_ref and re.fullmatch(r"\d{4}-\d{2}", base_ref):
            y, mo = _add_months(int(base_ref[:4]), int(base_ref[5:7]), shift)
        else:
            y, mo = _add_months(base_day.year, base_day.month, shift)
        return "DATE", f"{y}-{mo:02d}"
    if unit == "year":
        y = (_year_of(base_ref) if base_ref else None) or anchor.year
        if which == "the" and not edge and ref and not base_ref:
            y = _year_of(ref) or y
        return "DATE", str(y + shift)
    return None


def _r_season(t, anchor, future, ref, quarter, day):
    m = re.fullmatch(r"(?:(last|next|this|this past|this coming|the|past|coming|early|late|mid)(?: (?:early|late))? )?"
                     r"(spring|summer|autumn|fall|winter)(?: (?:of )?((?:1\d|20)\d\d))?", t)
    if not m:
        m2 = re.fullmatch(r"(?:the )?(?:(?:early|late|mid) )?(spring|summer|autumn|fall|winter) of (.+)", t)
        if not m2:
            return None
        y = _spelled_year(m2.group(2))
        return ("DATE", f"{y}-{SEASONS[m2.group(1)]}") if y else None
    code = SEASONS[m.group(2)]
    if m.group(3):
        return "DATE", f"{m.group(3)}-{code}"
    if anchor is None:
        return None
    order = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
    cur = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(anchor.month, "FA")
    y = anchor.year
    which = m.group(1)
    if which == "last":
        y -= 1  # "last spring" said in October is the spring of the year before (TimeBank's reading)
    elif which == "next":
        y += 1
    elif which in ("this past", "past"):
        y = y if order[code] < order[cur] else y - 1
    elif which in ("this coming", "coming"):
        y = y if order[code] > order[cur] else y + 1
    elif future and order[code] < order[cur]:
        y += 1
    elif future is False and order[code] > order[cur] and which != "this":
        y -= 1
    if code == "WI" and anchor.month == 12 and which in (None, "this", "the"):
        y += 0
    return "DATE", f"{y}-{code}"


def _r_month(t, anchor, future, ref, quarter, day):
    m = re.fullmatch(r"(?:(?:early|late|mid|earlier|later|the (?:beginning|start|end|middle|close|first half|"
                     r"second half|first part|last part|first week|last week|first days|last days|remainder|"
                     r"rest) of)[- ]?(?:in )?)?(?:(last|next|this|this past|past|this coming|coming) )?(?:mid-?)?(" +
                     _MON + r")(?: (?:of )?((?:1\d|20)\d\d)| (last|this|next) year)?", t)
    if not m:
        return None
    month = MONTHS.get(m.group(2).rstrip("."))
    if not month:
        return None
    if m.group(2) in ("may", "mar") and t in ("may", "mar"):
        pass
    if m.group(3):
        return "DATE", f"{m.group(3)}-{month:02d}"
    if anchor is None:
        return None
    if m.group(4):
        y = anchor.year + {"last": -1, "this": 0, "next": 1}[m.group(4)]
        return "DATE", f"{y}-{month:02d}"
    which = m.group(1)
    if which == "last" and (anchor.month - month) % 12 == 1:
        y = anchor.year - 1 if month < anchor.month else anchor.year - 2  # the month just gone is "last month"
    elif which in ("last", "this past", "past"):
        y = anchor.year if month < anchor.month else anchor.year - 1
    elif which in ("next", "this coming", "coming"):
        y = anchor.year if month > anchor.month else anchor.year + 1
    elif which == "this":
        y = anchor.year
    else:
        y = _month_year(month, anchor, future)
    return "DATE", f"{y}-{month:02d}"


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}


def _spelled_year(t: str) -> int | None:
    t = t.replace("-", " ")
    m = re.fullmatch(r"(?:the year )?(\d{4})", t)
    if m:
        return int(m.group(1))
    m = re.fullmatch(r"(?:the year )?two thousand(?: and)?(?: (\w+))?", t)
    if m:
        return 2000 + (NUMBERS.get(m.group(1), -2000) if m.group(1) else 0) if (
            not m.group(1) or m.group(1) in NUMBERS) else None
    m = re.fullmatch(r"(seventeen|eighteen|nineteen) (\w+)(?: (\w+))?", t)
    if m:
        hi = NUMBERS[m.group(1)] * 100
        lo = m.group(2)
        if lo == "hundred" and not m.group(3):
            return hi
        if lo in _TENS:
            return hi + _TENS[lo] + (NUMBERS.get(m.group(3), 0) if m.group(3) else 0)
        if lo in NUMBERS and not m.group(3):
            return hi + NUMBERS[lo]
    return None


def _r_year(t, anchor, future, ref, quarter, day):
    m = _YEAR.fullmatch(t)
    if m:
        return "DATE", m.group(1)
    m = re.fullmatch(r"(?:the |its |their )?(?:((?:1\d|20)\d\d) fiscal year|fiscal year ((?:1\d|20)\d\d)|"
                     r"fy ?((?:1\d|20)\d\d|\d\d))", t)
    if m:
        y = m.group(1) or m.group(2) or m.group(3)
        if len(y) == 2:
            y = ("19" if int(y) >= 50 else "20") + y
        return "DATE", y
    m = re.fullmatch(r"(?:a |the )?(?:good|large|better|first|second|last|latter) (?:part|half) of ((?:1\d|20)\d\d)", t)
    if m:
        half = re.search(r"\b(first|second|last|latter) half\b", t)
        if half:
            return "DATE", f"{m.group(1)}-H{1 if half.group(1) == 'first' else 2}"
        return "DATE", m.group(1)
    y = _spelled_year(t)
    if y and not re.fullmatch(r"\d{4}", t):
        return "DATE", str(y)
    m = re.fullmatch(r"((?:1\d|20)\d\d) or (?:later|earlier|sooner|before)", t)
    if m:
        return "DATE", m.group(1)
    return None


_DUR_CODE = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W", "weekend": "D",
             "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y", "decade": "E", "century": "C",
             "centurie": "C", "millennium": "L", "millennia": "L"}


def _duration_value(amount, unit: str) -> tuple[str, str] | None:
    unit = {"centuries": "century", "centurie": "century", "millennia": "millennium"}.get(unit, unit)
    if unit == "weekend":
        return "DURATION", "P2D" if amount in (1, "X") else f"P{2 * amount}D" if isinstance(amount, int) else None
    if unit == "fortnight" and isinstance(amount, (int, float)):
        amount, unit = amount * 2, "week"
    code = _DUR_CODE.get(unit)
    if code is None or amount is None:
        return None
    if amount == "X":
        return "DURATION", (f"PTX{code[1]}" if code.startswith("T") else f"PX{code}")
    if unit in ("decade", "century", "millennium"):
        mult = {"decade": 10, "century": 100, "millennium": 1000}[unit]
        v = amount * mult
        return "DURATION", f"P{int(v) if float(v).is_integer() else v}Y"
    if not float(amount).is_integer():
        whole, frac = int(amount), amount - int(amount)
        sub = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "TH": ("M", 60), "TM": ("S", 60)}
        if code in sub and frac == 0.5:
            small, k = sub[code]
            part = int(k * frac)
            if code.startswith("T"):
                return "DURATION", f"PT{whole}{code[1]}{part}{small}" if whole else f"PT{part}{small}"
            if small == "H":
                return "DURATION", f"P{whole}DT{part}H" if whole else f"PT{part}H"
            return "DURATION", f"P{whole}{code}{part}{small}" if whole else f"P{part}{small}"
        return "DURATION", f"P{amount}{code}" if not code.startswith("T") else f"PT{amount}{code[1]}"
    n = int(amount)
    return "DURATION", (f"PT{n}{code[1]}" if code.startswith("T") else f"P{n}{code}")


_DUR = re.compile(r"(?P<pre>.*?)(?P<unit>" + _UNIT + r")s?(?:[- ]long)?(?: or (?:so|more))?"
                  r"(?: and (?:a|one) half)?(?: (?:of|in) (?:the |this |its |their )?.+)?$")


def _r_duration(t, anchor, future, ref, quarter, day):
    m = _LONG.fullmatch(t) or re.fullmatch(r"(?:a |the )?(day|week|month|year|hour|decade)[- ]long", t)
    if m:
        return _duration_value(1, m.group(1))
    m = re.fullmatch(r"(?:the )?(days|weeks|months|years|decades|centuries|hours|minutes) or "
                     r"(?:days|weeks|months|years|decades|centuries|hours|minutes)", t)
    if m:
        return _duration_value("X", m.group(1).rstrip("s").replace("centurie", "century"))
    if re.fullmatch(r"a (?:fairly |very |relatively )?(?:long|short|lengthy|brief|limited) (?:period|time|while|spell)",
                    t):
        return "DURATION", "PXX"
    m = re.fullmatch(r"the (day|week|month|year)s (?:ahead|to come|that follow)", t)
    if m:
        return _duration_value("X", m.group(1))
    m = re.fullmatch(r"(?P<pre>.*?)\b(?P<unit>second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|"
                     r"decade|century|centurie|millennium|millennia)s?(?P<half> and (?:a|one) half)?"
                     r"(?P<long>[- ]long)?(?: or (?:so|more))?(?: (?:period|term|span|stretch|spell|window))?"
                     r"(?P<tail> (?:of|in) .+)?", t)
    if not m:
        return None
    pre = m.group("pre").strip().rstrip("-").strip()
    unit = m.group("unit")
    if m.group("tail") and re.fullmatch(r" (?:of|in) (?:the )?(?:period|term|span|stretch)", m.group("tail")):
        pass
    elif m.group("tail") and not re.match(r" of (?:the )?(?:war|conflict|truce|ceasefire|pause|fighting|talks|"
                                        r"year|campaign|siege|occupation|offensive|operation|strike|crisis)\b|"
                                        r" of (?:\d{4}|this year|last year)\b|"
                                        r" (?:of|in) (?:office|power|prison|jail|captivity|detention)\b",
                                        m.group("tail")):
        return None
    plural = bool(re.search(unit + r"s\b", t)) or unit in ("centurie", "millennia")
    pre = re.sub(r"^(?:each of|all of|most of|part of|some of|much of|any of)\s+", "", pre)
    pre = re.sub(r"^(?:within|for|over|during|in|after|before|since)\s+", "", pre)
    pre = re.sub(r"^(?:the |its |their |his |her |this |these |those |that )", "", pre)
    pre = re.sub(r"^year[- ](?:earlier|ago)\s*", "", pre)
    pre = re.sub(r"\b(?:past|last|next|first|final|previous|coming|following|remaining|initial|additional|further|"
                 r"extra|full|entire|whole|better part of|good part of|better|good|long|short|recent|same|another|"
                 r"preceding|ensuing|subsequent|latest|more|other|straight|consecutive|running|successive)\b\s*", "",
                 pre).strip()
    pre = re.sub(r"^(?:the|a|an)\s+(?=(?:few|couple|dozen|number)\b)", lambda x: x.group(0), pre)
    if not pre:
        if re.search(r"\b(?:the )?(?:first|last|past|next|final|coming|previous|recent|following|remaining|initial)\b",
                     m.group("pre")) and plural:
            return _duration_value("X", unit)
        if plural:
            if unit == "day" and not m.group("pre").strip():
                return _duration_value("X", unit)
            return _duration_value("X", unit)
        if re.search(r"\b(?:a|an|one|another|the (?:full|entire|whole)|a full|an entire|a whole|each)\b",
                     m.group("pre")) or not m.group("pre").strip() and m.group("long"):
            amount = 1
        elif re.search(r"\b(?:past|last|next|previous|coming|following)\b", m.group("pre")):
            amount = 1
        else:
            return None
    else:
        amount = _amount(pre)
        if amount is None:
            return None
    if m.group("half") and isinstance(amount, (int, float)):
        amount += 0.5
    return _duration_value(amount, unit)


_RULES = [_r_reference, _r_set, _r_clock, _r_event_hours, _r_offset, _r_holiday, _r_date, _r_weekday, _r_day_word,
          _r_anaphoric_day, _r_part_of_day, _r_ordinal_day, _r_quarter, _r_decade, _r_relative_unit, _r_season,
          _r_month, _r_year, _r_duration]
