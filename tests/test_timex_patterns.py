"""The time-expression pattern file: every entry is documented and its examples match."""

from __future__ import annotations

import pytest

from trucewatch import timex_patterns
from trucewatch.nlp import load_nlp

ENTRIES = timex_patterns.load_entries()
EXAMPLES = [(e, text, want) for e in ENTRIES for text, want in e.examples]


def test_every_entry_has_an_id_a_rationale_and_an_example():
    ids = [e.id for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for e in ENTRIES:
        assert e.id and e.rationale.strip() and "\n" not in e.rationale.strip()
        assert e.examples and e.patterns


@pytest.mark.parametrize(("entry", "text", "want"), EXAMPLES,
                         ids=[f"{e.id}:{want}" for e, _, want in EXAMPLES])
def test_example_matches_its_entry(entry, text, want):
    nlp = load_nlp()
    doc = nlp(text)
    matcher = timex_patterns.build_matcher(nlp.vocab, (entry,))
    if entry.exclude:
        found = [doc[a:b].text for _, a, b in matcher(doc)]
    else:
        found = [doc[a:b].text for a, b, _ in timex_patterns.find(doc, matcher)]
    assert want in found


@pytest.mark.parametrize(("entry", "text", "want"), [x for x in EXAMPLES if not x[0].exclude],
                         ids=[f"{e.id}:{want}" for e, _, want in EXAMPLES if not e.exclude])
def test_example_survives_the_whole_pattern_file(entry, text, want):
    """With every entry loaded, the longest match at that place is still the example's expression."""
    doc = load_nlp()(text)
    assert want in [doc[a:b].text for a, b, _ in timex_patterns.find(doc)]


def test_ages_are_not_times():
    doc = load_nlp()("A 52-year-old driver and his 6-year-old son were hurt.")
    assert timex_patterns.find(doc) == []


def test_yaml_on_is_a_word_not_a_boolean():
    """YAML 1.1 reads a bare `on` as true; the loader keeps it a word ("late on Tuesday")."""
    doc = load_nlp()("The ferry sank late on Tuesday night.")
    assert [doc[a:b].text for a, b, _ in timex_patterns.find(doc)] == ["late on Tuesday night"]
