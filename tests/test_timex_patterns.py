"""The time-expression table (patterns/times.jsonl) as the times stage uses it.

Every entry's own examples are checked by tests/test_patterns.py; these tests check what the
stage adds: the longest match at each place, TimeML's trimmed spans, ages as vetoes, and the
windows the Matcher runs in (they must not lose a match the whole-Doc Matcher finds).
"""

from __future__ import annotations

import pytest

from trucewatch import timex_patterns
from trucewatch.nlp import load_nlp
from trucewatch.timex import normalise

pytestmark = pytest.mark.slow


def _found(text: str) -> list[tuple[str, str]]:
    doc = load_nlp(extraction=False)(text)
    return [(doc[a:b].text, label) for a, b, label in timex_patterns.find(doc)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The committee will meet again on Thursday.", ("Thursday", "weekday")),
    ("Talks broke down late on Tuesday night.", ("late on Tuesday night", "weekday")),
    ("Prices may climb over the next few months.", ("the next few months", "duration")),
    ("Discounts have run for at least the past 18 months.", ("at least the past 18 months", "duration")),
    ("She was in Cairo at the time.", ("the time", "past_ref")),
    ("A decision is expected as soon as possible.", ("as soon as possible", "future_ref")),
    ("The vote is on Friday, March 3, at the town hall.", ("Friday, March 3", "weekday_date")),
    ("The strike came on Tuesday, just three days after the truce began.", ("just three days", "offset")),
    ("Intel said that last week a customer found two flaws.", ("last week", "relative_unit")),
])
def test_longest_trimmed_expression(text, expected):
    assert expected in _found(text)


def test_ages_are_not_times():
    assert _found("A 52-year-old driver and his 6-year-old son, aged 40 and 9, were hurt.") == []


def test_every_label_is_one_the_normaliser_reads():
    labels = {e.label for e in timex_patterns.entries()}
    assert "not_a_time" in labels
    for e in timex_patterns.entries():
        if e.label == "not_a_time":
            continue
        doc = load_nlp(extraction=False)(e.examples[0])
        found = [doc[a:b].text for a, b, _ in timex_patterns.find(doc)]
        assert found, e.id
        assert any(normalise(f, __import__("datetime").date(2025, 3, 10), None) for f in found), (e.id, found)


TEXT = ("Late on Tuesday night, some 40 hours after the 2009 accord lapsed at 0500 GMT, officials said the "
        "talks of the past three months had failed. At least the past 18 months were hard; the fourth quarter of "
        "1997 was worse than the year-earlier period, and profit rose 8.5% annually through the next three years. "
        "A 52-year-old said that in the 1990s, every morning, the ferry left at 6:30 a.m. local time. "
        "The mayor, who chairs the harbour board and the regional water company, told reporters and a small crowd "
        "of fishermen gathered near the old customs house that he would not resign over the dispute with the "
        "union about wages, pensions and the safety of the cranes on the northern quay.")


def test_windows_lose_no_match():
    """Each window runs only the entries whose anchor words it holds; together they find what the
    whole table finds over the whole Doc."""
    doc = load_nlp(extraction=False)(TEXT)
    whole = sorted(timex_patterns.table(doc.vocab).matcher(doc))
    assert sorted(timex_patterns._matches(doc)) == whole
    windows = timex_patterns._windows(doc)
    assert sum(b - a for a, b, _ in windows) < len(doc)
    few = timex_patterns._windows(load_nlp(extraction=False)("The mayor said the board would meet on Thursday."))
    assert len(few) == 1 and len(few[0][2]) < len(timex_patterns.entries()) / 4
