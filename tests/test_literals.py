"""The literal prefilter skips only texts where a pattern cannot match."""

from __future__ import annotations

import re

import pytest

from trucewatch.literals import Prefiltered, necessary_literals


def test_literals_of_simple_patterns():
    assert necessary_literals(r"\bbreach(?:ed|es)?\b") == {"breach"}
    # a branch needs one of its alternatives; a longer plain run is preferred
    assert necessary_literals(r"\b(?:truce|pause|ceasefire) expired") == {" expired"}
    assert necessary_literals(r"\b(?:truce|pause|ceasefire)\b[^.]{0,9}over") == {"truce", "pause", "ceasefire"}
    # optional parts are never required
    assert necessary_literals(r"(?:military )?operations") == {"operations"}
    # a repeat at least once keeps its body's literals
    assert necessary_literals(r"(?:shelling)+\d") == {"shelling"}


@pytest.mark.parametrize("pattern", [
    r"\d+ killed",            # "killed" is required
    r"\w+",                   # nothing literal: always run
    r"(?:a|\d)bc",            # one alternative without a literal
    r"ab",                    # too short to filter with
])
def test_unfilterable_or_filtered_patterns_keep_results(pattern):
    rx = re.compile(pattern)
    p = Prefiltered(rx)
    for text in ("12 killed in a strike", "abc 4bc", "nothing here", ""):
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in rx.finditer(text)]


def test_case_insensitive_patterns_are_not_filtered():
    assert necessary_literals(re.compile("breach", re.I)) is None
    assert necessary_literals("(?i)breach") is None
    assert Prefiltered(re.compile("breach", re.I)).search("BREACH") is not None


def test_verbose_patterns_are_read_with_their_flag():
    rx = re.compile(r"""
        cease fire   # written apart for the reader
    """, re.X)
    assert necessary_literals(rx) == {"ceasefire"}
    assert Prefiltered(rx).search("a ceasefire held")


def test_unreadable_pattern_falls_back_to_none():
    assert necessary_literals("(unclosed") is None


def test_attribution_rules_find_the_same_matches_with_and_without_the_filter():
    from trucewatch import attribution

    scans = [rx for _, rx in attribution._CHANNELS] + [rx for _, rx, _ in attribution._KINDS]
    texts = [
        "The truce expired at dawn; Israeli troops resumed strikes on Khan Younis, the army said in a statement.",
        "Hamas denied the claims and warned of consequences in a post on Telegram.",
        "mediators called for calm at a press conference in cairo.",
        "nothing happened in this sentence at all.",
    ]
    filtered = 0
    for p in scans:
        filtered += p.literals is not None
        for text in texts:
            assert [m.span() for m in p.finditer(text)] == [m.span() for m in p.original.finditer(text)]
            assert [m.span() for m in p.finditer(text, text.lower())] == [m.span() for m in p.original.finditer(text)]
    assert filtered > len(scans) // 2  # the filter is really in use


def test_case_insensitive_rules_fold_case_and_answer_the_same():
    from trucewatch import attribution

    texts = ["The ARMY said it SHOT two militants who Violated the truce.",
             "Hamas claimed responsibility for the attack in a Telegram post.",
             "At least 12 people were killed, the Health Ministry said.",
             "We are fully respecting the agreement, he told a news conference.",
             "Nothing of note.", ""]
    rules = [rx for _, rx in attribution._CHANNEL_RULES] + [rx for _, rx, _ in attribution._KIND_RULES]
    rules += [attribution._TOLL_RULE, attribution._OWN_ACT_RULE]
    for rx in rules:
        p = Prefiltered(rx)
        assert p.fold == bool(rx.flags & re.I)
        for text in texts:
            assert bool(p.search(text)) == bool(rx.search(text)), (rx.pattern[:40], text)


def test_inline_flags_are_left_alone():
    p = Prefiltered(re.compile(r"(?-i:IDF) troops", re.I))
    assert not p.fold
    assert p.search("IDF TROOPS") and not p.search("idf troops")
