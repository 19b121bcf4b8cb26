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


# --------------------------------------------------------------------------- issue 17: times in any news

def _values(ctx) -> dict[str, str]:
    return {t.mention: t.value for t in ctx.times}


def test_apposition_agrees_with_yesterday(analyse):
    text = "Rockets were fired yesterday morning, Sunday, at 08:30, the army said.\n"
    got = _values(analyse(text, published="2025-03-10"))  # a Monday
    assert got["yesterday morning"] == "2025-03-09TMO"
    assert got["Sunday"] == "2025-03-09"
    assert got["08:30"] == "2025-03-09T08:30"


def test_apposition_explicit_weekday_wins_over_yesterday(analyse):
    text = "Rockets were fired yesterday morning, Sunday, at 08:30, the army said.\n"
    got = _values(analyse(text, published="2025-03-11"))  # a Tuesday: "yesterday" would be Monday
    assert got["Sunday"] == "2025-03-09"
    assert got["yesterday morning"] == "2025-03-09TMO"
    assert got["08:30"] == "2025-03-09T08:30"


def test_weekday_then_duration_are_two_expressions(analyse):
    text = "The strike came on Tuesday, just three days after the truce began.\n"
    ctx = analyse(text, published="2025-03-13")
    by = {t.mention: (t.type, t.value) for t in ctx.times}
    assert by["Tuesday"] == ("DATE", "2025-03-11")
    assert [v for m, v in by.items() if "three days" in m] == [("DURATION", "P3D")]
    assert not any("Tuesday" in t.mention and "days" in t.mention for t in ctx.times)


def test_after_midnight_is_the_next_day(analyse):
    text = ("Shelling was heavy on Monday night near the port.\n\n"
            "Shortly after midnight a second strike hit the fuel depot, residents said.\n")
    got = _values(analyse(text, published="2025-03-12"))
    assert got["Monday night"] == "2025-03-10TNI"
    assert got["Shortly after midnight"] == "2025-03-11T00:00"


def test_after_midnight_without_a_night_is_the_publication_day(analyse):
    text = "The power came back shortly after midnight, the utility said.\n"
    assert _values(analyse(text, published="2025-03-12"))["shortly after midnight"] == "2025-03-12T00:00"


def test_several_hours_is_a_duration(analyse):
    text = "The crossing stayed shut for several hours on Friday while engineers checked the road.\n"
    ctx = analyse(text, published="2025-03-15")
    by = {t.mention: (t.type, t.value) for t in ctx.times}
    assert by["several hours"] == ("DURATION", "PTXH")
    assert by["Friday"] == ("DATE", "2025-03-14")


def test_local_time_keeps_the_zone_its_gmt_equivalent_gives(analyse):
    text = "The blast came at 11:15 local time (9:15 GMT), police said.\n"
    got = _values(analyse(text, published="2025-03-10"))
    assert got["11:15 local time"] == "2025-03-10T11:15+02:00"
    assert got["9:15 GMT"] == "2025-03-10T09:15Z"


@pytest.mark.parametrize(("text", "mention", "kind", "value"), [
    ("Turnout fell from 2009 to 2014 in the northern districts.", "2014", "DATE", "2014"),
    ("The ferry sank in 2009, two years after it was launched.", "2009", "DATE", "2009"),
    ("The ferry sank in 2009, two years after it was launched.", "two years", "DURATION", "P2Y"),
    ("Negotiators resume their talks on Thursday in Geneva.", "Thursday", "DATE", "2025-03-13"),
    ("Fighting eased between June and August, monitors said.", "August", "DATE", "2024-08"),
    ("Elections are planned for early December.", "early December", "DATE", "2025-12"),
    ("The new tariff takes effect next year.", "next year", "DATE", "2026"),
    ("The minister travels abroad this week.", "this week", "DATE", "2025-W11"),
    ("Bread prices are now falling in the capital.", "now", "DATE", "PRESENT_REF"),
    ("The northern port is currently closed to ships.", "currently", "DATE", "PRESENT_REF"),
    ("Raids like this were common in the past.", "the past", "DATE", "PAST_REF"),
    ("The town grew quickly in the 1990s.", "the 1990s", "DATE", "199"),
    ("The fort was built in the 12th century by traders.", "the 12th century", "DATE", "11"),
    ("The blockade lasted eight years in all.", "eight years", "DURATION", "P8Y"),
    ("Repairs to the pipeline will take several days.", "several days", "DURATION", "PXD"),
    ("Food prices may climb over the next few months.", "the next few months", "DURATION", "PXM"),
    ("The harbour festival is held annually.", "annually", "SET", "P1Y"),
    ("A ferry crosses the strait every morning.", "every morning", "SET", "XXXX-XX-XXTMO"),
])
def test_stage_finds_the_plain_expressions(analyse, text, mention, kind, value):
    ctx = analyse(text + "\n", published="2025-03-10")  # a Monday
    assert (mention, kind, value) in [(t.mention, t.type, t.value) for t in ctx.times]


def test_record_lists_every_mention_with_its_own_span(extractor):
    from trucewatch.pipeline import article_from_text

    text = ("Envoys meet again this week. Talks on the border also resume this week.\n\n"
            "The blockade has lasted eight years; for eight years the port has been closed.\n\n"
            "A vote is due next year, and a census follows next year as well.\n")
    rec = extractor.record(article_from_text(text, published="2025-03-10"))
    for mention, value in (("this week", "2025-W11"), ("eight years", "P8Y"), ("next year", "2026")):
        items = [t for t in rec.times if t.mention == mention]
        assert len(items) == 2 and {t.value for t in items} == {value}
        assert len({tuple(t.span) for t in items}) == 2
    assert all(text[t.span[0]:t.span[1]] == t.mention for t in rec.times)
