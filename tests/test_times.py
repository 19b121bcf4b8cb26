"""TIMEX3 normalisation: the pure normaliser and the times stage on written fixtures."""

from __future__ import annotations

from datetime import date

import pytest

from trucewatch.timex import normalise

PUB = date(2025, 10, 18)  # a Saturday


@pytest.mark.parametrize(("text", "future", "value"), [
    ("Friday", False, "2025-10-17"),
    ("on Friday", False, "2025-10-17"),
    ("Saturday", False, "2025-10-18"),
    ("Monday", True, "2025-10-20"),
    ("next Tuesday", False, "2025-10-21"),
    ("this morning", False, "2025-10-18TMO"),
    ("the evening", False, "2025-10-18TEV"),
    ("Friday morning", False, "2025-10-17TMO"),
    ("Thursday night", False, "2025-10-16TNI"),
    ("late on Tuesday", False, "2025-10-14TNI"),
    ("By late Sunday", False, "2025-10-12TNI"),
    ("overnight", False, "2025-10-17TNI"),
    ("earlier in the day", False, "2025-10-18"),
    ("hours after the truce expired", False, "2025-10-18"),
    ("An hour before the deadline", False, "2025-10-18"),
    ("last week", False, "2025-W41"),
    ("eight days ago", False, "2025-10-10"),
    ("50 days ago", False, "2025-08-29"),
    ("months ago", False, "PAST_REF"),
    ("for months", False, "PXM"),
    ("the first 50 days of the war", False, "P50D"),
    ("seven-day", False, "P7D"),
    ("week-long", False, "P1W"),
    ("42 days", False, "P42D"),
    ("two more days", False, "P2D"),
    ("The 24 hours preceding the pause", False, "PT24H"),
    ("0500 GMT", False, "2025-10-18T05:00Z"),
    ("7 a.m.", False, "2025-10-18T07:00"),
    ("7 p.m. on Friday", False, "2025-10-17T19:00"),
    ("20:00 on 16 October", False, "2025-10-16T20:00"),
    ("October 10", False, "2025-10-10"),
    ("Oct. 10", False, "2025-10-10"),
    ("10 October", False, "2025-10-10"),
    ("Sunday, October 19, 2025", False, "2025-10-19"),
    ("February 8, 2024", False, "2024-02-08"),
    ("October 7", False, "2023-10-07"),
    ("late January", False, "2025-01"),
    ("since September", False, "2025-09"),
    ("in December", False, "2024-12"),
    ("October 2023", False, "2023-10"),
    ("Saturday's", True, "2025-10-18"),
    ("now", False, "PRESENT_REF"),
    ("the future", False, "FUTURE_REF"),
    ("last month", False, "2025-09"),
    ("this year", False, "2025"),
    ("last summer", False, "2024-SU"),
    ("two decades", False, "P20Y"),
    ("the third quarter", False, "2025-Q3"),
    ("1996", False, "1996"),
])
def test_normalise(text, future, value):
    assert normalise(text, PUB, future)[1] == value


def test_explicit_date_needs_no_anchor_but_relative_does():
    assert normalise("12 March 2024", None) == ("DATE", "2024-03-12")
    assert normalise("Friday", None) is None


def test_stage_resolves_weekdays_by_tense(analyse):
    text = ("Mediators said the next exchange will take place on Monday.\n\n"
            "Shelling was reported late on Thursday near the fence, residents said.\n")
    ctx = analyse(text, published="2025-10-18")
    by = {t.mention: t.value for t in ctx.times}
    assert by["Monday"] == "2025-10-20"
    assert by["late on Thursday"] == "2025-10-16TNI"


def test_stage_joins_day_and_part_of_day_skips_numbers_and_keeps_sets(analyse):
    text = "Aid convoys left on Tuesday morning; 44 trucks entered and daily checks continued.\n"
    ctx = analyse(text, published="2025-10-18")
    assert [(t.mention, t.value) for t in ctx.times] == [("Tuesday morning", "2025-10-14TMO"), ("daily", "P1D")]


def test_stage_spans_index_into_text(analyse):
    text = "The truce began at 0500 GMT and held overnight, officials said this morning.\n"
    ctx = analyse(text, published="2025-01-19")
    for t in ctx.times:
        assert ctx.text[t.span[0]:t.span[1]] == t.mention
    values = {t.value for t in ctx.times}
    assert {"2025-01-19T05:00Z", "2025-01-18TNI", "2025-01-19TMO"} <= values
