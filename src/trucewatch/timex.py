"""TIMEX3 values for English time expressions, resolved against a publication date.

Pure functions, no I/O.  :func:`normalise` takes one isolated expression ("late on Friday",
"0500 GMT", "50 days ago", "the first 50 days of the war") and returns its TIMEX3 type and
value, or ``None`` when it cannot say.

Conventions (the contract's, written down in ``docs/times.md``):

* a weekday is the most recent such day not after publication, or the next one from
  publication when the sentence speaks of the future ("will", "is due", "next", "by");
* parts of the day get TIMEX3's ``TMO``/``TAF``/``TEV``/``TNI`` suffixes; "overnight" is the
  night before publication; "late on Tuesday" is that Tuesday night;
* "last week" is the ISO week before publication (``2025-W41``); "N days ago" a date;
  "months ago" the vague ``PAST_REF``; "for months" the vague duration ``PXM``;
* durations are ``P<n>D``/``P<n>W``/``P<n>M``/``P<n>Y``/``PT<n>H`` ("seven-day", "42 days",
  "the first 50 days of the war");
* dates with a year are exact; without a year they take the year that puts them within a
  few weeks after or a year before publication.  "October 7" without a year, after that day
  in 2023, is the date of the 7 October 2023 attack, as every outlet in this domain uses it;
* clock times join the day in the same expression, else the publication day; ``GMT``/``UTC``
  add ``Z``.

``dateparser`` parses only isolated explicit dates here (never free text: it reads "We" as
Wednesday).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
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
UNITS = {"minute": "TM", "hour": "TH", "day": "D", "week": "W", "month": "M", "year": "Y"}
PARTS = {"morning": "MO", "afternoon": "AF", "mid-afternoon": "AF", "evening": "EV", "night": "NI",
         "nightfall": "EV", "dawn": "MO", "noon": "AF", "midday": "AF", "dusk": "EV"}
ATTACK_DAY = date(2023, 10, 7)

_NUM = r"(?:\d+|" + "|".join(sorted((k for k in NUMBERS if k not in ("a", "an", "a few")), key=len, reverse=True)) \
    + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr" \
       r"|jun|jul|aug|sep|sept|oct|nov|dec)\.?"


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


def _weekday(anchor: date, wd: int, future: bool) -> date:
    delta = (anchor.weekday() - wd) % 7
    if future:
        return anchor + timedelta(days=(wd - anchor.weekday()) % 7)
    return anchor - timedelta(days=delta)


def _year_for(month: int, day: int, anchor: date) -> int:
    if month == 10 and day == 7 and anchor >= ATTACK_DAY:
        return 2023
    for year in (anchor.year, anchor.year - 1, anchor.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if -330 <= (anchor - d).days <= 330 and (d - anchor).days <= 45:
            return year
    return anchor.year


def _part(text: str) -> str | None:
    for word, code in PARTS.items():
        if re.search(r"\b" + re.escape(word) + r"\b", text):
            return code
    return None


_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)|\b(\d{1,2}):(\d{2})\b|"
                    r"\b([01]\d|2[0-3])([0-5]\d)\s*(?:gmt|utc|hrs|hours|local)", re.I)
_ZONE = re.compile(r"\b(?:gmt|utc)\b", re.I)
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MON + r")(?:,?\s+(\d{4}))?", re.I)
_DATE_MDY = re.compile(r"\b(" + _MON + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?", re.I)
_MONTH_YEAR = re.compile(r"\b(" + _MON + r")(?:\s+(\d{4}))?\b", re.I)
_YEAR = re.compile(r"^(?:in\s+|since\s+)?(\d{4})$", re.I)
_AGO = re.compile(r"\b(" + _NUM + r"|a|an|a few)\s+(day|week|month|year|hour)s?\s+ago\b", re.I)
_DURATION = re.compile(r"\b(" + _NUM + r"|a|an)[- ](?:more[- ])?(minute|hour|day|week|month|year)s?(?:[- ]long)?\b",
                       re.I)
_LONG = re.compile(r"\b(day|week|month|year)[- ]long\b", re.I)


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
    else:
        h, mi = int(m.group(6)), int(m.group(7))
    if h > 23 or mi > 59:
        return None
    return f"{day.isoformat()}T{h:02d}:{mi:02d}" + ("Z" if _ZONE.search(text) else "")


def _explicit_day(text: str, anchor: date) -> date | None:
    for rx, dm in ((_DATE_DMY, (2, 1)), (_DATE_MDY, (1, 2))):
        m = rx.search(text)
        if m:
            month = MONTHS.get(m.group(dm[0]).lower().rstrip("."))
            day = int(m.group(dm[1]))
            if not month or not 1 <= day <= 31:
                continue
            year = int(m.group(3)) if m.group(3) else _year_for(month, day, anchor)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


@lru_cache(maxsize=50_000)
def normalise(text: str, anchor: date | None, future: bool = False) -> tuple[str, str] | None:
    """(TIMEX3 type, value) of one isolated expression, or None."""
    t = " ".join(text.lower().replace("\u2019", "'").split())
    t = re.sub(r"'s$", "", t)
    if re.fullmatch(r"(?:right )?now|currently|current|at present|the present|nowadays|these days", t):
        return "DATE", "PRESENT_REF"
    if re.fullmatch(r"(?:in )?the (?:near |distant )?future", t):
        return "DATE", "FUTURE_REF"
    if re.fullmatch(r"(?:in )?the past|(?:at )?the time|formerly|recently", t):
        return "DATE", "PAST_REF"
    m = re.fullmatch(r"(?:the )?(\w+|\d+)[- ]decades?(?:[- ]long)?", t)
    if m and number(m.group(1)):
        return "DURATION", f"P{10 * number(m.group(1))}Y"
    # vague references
    if re.search(r"\bmonths ago\b|\byears ago\b|\bweeks ago\b", t) and not _AGO.search(t):
        return "DATE", "PAST_REF"
    if re.fullmatch(r"(?:for|in recent|recent|the past|the last|past)\s+(months|weeks|years|days)", t):
        return "DURATION", "PX" + {"months": "M", "weeks": "W", "years": "Y", "days": "D"}[t.split()[-1]]
    # durations ("an hour before the deadline" is a point, not a duration)
    relative = bool(re.search(r"\b(?:before|after|later|earlier)\b", t))
    if re.search(r"\bhours?\b", t) and re.search(r"\b24 hours\b|\bforty-eight hours\b|\b48 hours\b", t):
        n = number(re.search(r"(\d+|forty-eight) hours", t).group(1))
        if n:
            return "DURATION", f"PT{n}H"
    m = None if relative else _DURATION.search(t)
    if m and not _AGO.search(t) and not re.search(r"\b(day|week) (one|two|three)\b", t) \
            and not re.search(r"\b(first|second|third|last)\b.*\bday\b$", t) \
            or (m and re.search(r"\bfirst \S+ days\b", t)):
        n = number(m.group(1))
        unit = m.group(2).lower()
        if n:
            code = UNITS[unit]
            return "DURATION", (f"PT{n}{code[1]}" if code.startswith("T") else f"P{n}{code}")
    m = _LONG.search(t)
    if m:
        return "DURATION", "P1" + UNITS[m.group(1).lower()]
    if re.fullmatch(r"(?:over |during |for )?the (?:past )?week", t):
        return "DURATION", "P1W"
    if anchor is None:
        m = _DATE_DMY.search(t) or _DATE_MDY.search(t)
        if m and m.group(3):
            d = _explicit_day(t, date(int(m.group(3)), 6, 30))
            return ("DATE", d.isoformat()) if d else None
        return None
    # N days ago
    m = _AGO.search(t)
    if m:
        n = number(m.group(1)) or (3 if "few" in m.group(1) else 1)
        unit = m.group(2).lower()
        if unit == "day":
            return "DATE", (anchor - timedelta(days=n)).isoformat()
        if unit == "week":
            y, w, _ = (anchor - timedelta(weeks=n)).isocalendar()
            return "DATE", f"{y}-W{w:02d}"
        if unit == "hour":
            return "DATE", anchor.isoformat()
        return "DATE", "PAST_REF"
    if re.search(r"\blast week\b", t):
        y, w, _ = (anchor - timedelta(days=7)).isocalendar()
        return "DATE", f"{y}-W{w:02d}"
    if re.search(r"\bthis week\b", t):
        y, w, _ = anchor.isocalendar()
        return "DATE", f"{y}-W{w:02d}"
    if re.search(r"\bnext week\b", t):
        y, w, _ = (anchor + timedelta(days=7)).isocalendar()
        return "DATE", f"{y}-W{w:02d}"
    # the day
    day: date | None = _explicit_day(t, anchor)
    wd = re.search(r"\b" + _WD + r"\b", t)
    if day is None and wd:
        fut = future or bool(re.search(r"\b(next|coming|by|until|from)\b", t))
        if re.search(r"\b(?:late|early)\b", t):
            fut = future and "by" not in t
        if re.search(r"\blast\b", t):
            fut = False
        day = _weekday(anchor, WEEKDAYS.index(wd.group(0)), fut)
    if day is None:
        if re.search(r"\byesterday\b|\blast night\b", t):
            day = anchor - timedelta(days=1)
            if "last night" in t:
                return "TIME", f"{day.isoformat()}TNI"
        elif re.search(r"\btomorrow\b", t):
            day = anchor + timedelta(days=1)
        elif re.search(r"\bovernight\b", t):
            return "TIME", f"{(anchor - timedelta(days=1)).isoformat()}TNI"
        elif re.search(r"\btoday\b|\btonight\b|\bthis (?:morning|afternoon|evening)\b|"
                       r"\bthe (?:morning|afternoon|evening|night)\b|"
                       r"\bearlier in the (?:day|morning|evening|afternoon)\b|\bthe same day\b|\bhours? "
                       r"(?:after|before|later|earlier)\b|\bminutes? (?:after|before)\b|\bday one\b|\bthe first day\b|"
                       r"\bby (?:nightfall|dawn|mid-?afternoon|midday|noon|dusk)\b|\b(?:an|the) (?:\w+th|first|"
                       r"second|third) day\b|^(?:mid-?afternoon|morning|evening|afternoon|nightfall|midday|dawn|"
                       r"midnight|dusk)$|\bhours?$", t):
            day = anchor
    clock = _clock(t, day or anchor)
    if clock and (day is not None or _CLOCK.fullmatch(t.replace(" local time", "").strip()) or
                  re.search(r"\b(?:gmt|utc|local time)\b", t) or re.fullmatch(r"(?:at |by |around |about |"
                                                                              r"approximately )?\S+(?: \S+)?", t)):
        return "TIME", clock
    if day is not None:
        part = _part(t)
        if re.search(r"\blate (?:on )?" + _WD + r"\b|\blate " + _WD, t) and not part:
            part = "NI"
        if part and not re.search(r"\bhours? (?:after|before)|\bminutes? (?:after|before)|the first day|day one", t):
            return "TIME", f"{day.isoformat()}T{part}"
        return "DATE", day.isoformat()
    # months and years
    m = _MONTH_YEAR.search(t)
    if m and MONTHS.get(m.group(1).lower().rstrip(".")) and not re.search(r"\bmay\b", t) or \
            (m and m.group(2) and re.search(r"\bmay\b", t)):
        month = MONTHS[m.group(1).lower().rstrip(".")]
        year = int(m.group(2)) if m.group(2) else (anchor.year if month <= anchor.month else anchor.year - 1)
        return "DATE", f"{year}-{month:02d}"
    m = _YEAR.match(t)
    if m:
        return "DATE", m.group(1)
    m = re.fullmatch(r"(?:the )?(first|second|third|fourth)[- ]quarter(?: of (\d{4}))?", t)
    if m:
        q = ["first", "second", "third", "fourth"].index(m.group(1)) + 1
        year = int(m.group(2)) if m.group(2) else (anchor.year if q <= (anchor.month - 1) // 3 + 1 else anchor.year - 1)
        return "DATE", f"{year}-Q{q}"
    m = re.fullmatch(r"(last|this|next|the previous|the coming|the following) (year|month|summer|winter|spring|"
                     r"autumn|fall)", t)
    if m:
        shift = {"last": -1, "the previous": -1, "this": 0, "next": 1, "the coming": 1, "the following": 1}[m.group(1)]
        unit = m.group(2)
        if unit == "year":
            return "DATE", str(anchor.year + shift)
        if unit == "month":
            y, mo = anchor.year, anchor.month + shift
            y, mo = (y - 1, 12) if mo < 1 else (y + 1, 1) if mo > 12 else (y, mo)
            return "DATE", f"{y}-{mo:02d}"
        season = {"summer": "SU", "winter": "WI", "spring": "SP", "autumn": "FA", "fall": "FA"}[unit]
        return "DATE", f"{anchor.year + shift}-{season}"
    return None
