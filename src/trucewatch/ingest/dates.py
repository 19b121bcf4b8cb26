"""Publication timestamps from metadata strings (ISO 8601, RFC 822, or free form)."""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache


def parse_datetime(value: str) -> datetime | date | None:
    """Read a timestamp as found in meta tags, feeds or sidecars.

    A bare date stays a :class:`date`; anything with a time becomes a :class:`datetime`
    (timezone-aware when the string says so).  Returns None when nothing sensible is found.
    """
    v = (value or "").strip()
    if not v:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser(v)


@lru_cache(maxsize=1024)
def _dateparser(v: str) -> datetime | None:
    if len(v) > 60 or not re.search(r"\d", v):
        return None
    import dateparser  # slow to import; only needed for unusual formats

    return dateparser.parse(v, settings={"STRICT_PARSING": True, "PREFER_DATES_FROM": "past"})


def to_date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value
