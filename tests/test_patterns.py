"""Every rule in the pattern files (src/trucewatch/patterns/*.jsonl) matches its own example
sentences and none of its counter-examples, through the shipped parser."""

from __future__ import annotations

import pytest

from trucewatch import patterns
from trucewatch.nlp import load_nlp

pytestmark = pytest.mark.slow

CASES = [(name, e.id) for name in patterns.table_names() for e in patterns.load(name)]


def _ids(name: str, text: str) -> set[str]:
    nlp = load_nlp(extraction=False)
    return {s.id_ for s in patterns.compiled(name, nlp.vocab).spans(nlp(text))}


@pytest.mark.parametrize(("table", "entry_id"), CASES, ids=[f"{t}:{i}" for t, i in CASES])
def test_entry_matches_its_examples_and_not_its_counter_examples(table, entry_id):
    entry = next(e for e in patterns.load(table) if e.id == entry_id)
    assert entry.rationale and entry.examples
    for text in entry.examples:
        assert entry_id in _ids(table, text), f"{entry_id} does not match its example: {text}"
    for text in entry.counter:
        assert entry_id not in _ids(table, text), f"{entry_id} matches its counter-example: {text}"


def test_tables_load_with_unique_ids():
    for name in patterns.table_names():
        ids = [e.id for e in patterns.load(name)]
        assert len(ids) == len(set(ids)), name


def test_a_bad_entry_is_named(tmp_path, monkeypatch):
    (tmp_path / "event_triggers.jsonl").write_text('{"id": "x", "label": "attack/other", "pattern": []}\n')
    monkeypatch.setenv("TRUCEWATCH_PATTERNS_EXTRA", str(tmp_path))
    patterns.load.cache_clear()
    try:
        with pytest.raises(patterns.PatternError, match="event_triggers.jsonl:1: missing rationale, examples"):
            patterns.load("event_triggers")
    finally:
        monkeypatch.delenv("TRUCEWATCH_PATTERNS_EXTRA")
        patterns.load.cache_clear()


def test_a_user_folder_adds_and_disables_entries(tmp_path, monkeypatch):
    (tmp_path / "event_triggers.jsonl").write_text(
        '{"id": "ev-user-sabotage", "label": "attack/other", "rationale": "sabotage of lines", '
        '"pattern": [{"LEMMA": "sabotage"}], "examples": ["Saboteurs cut the line."]}\n'
        '{"id": "ev-rocket", "disabled": true}\n')
    monkeypatch.setenv("TRUCEWATCH_PATTERNS_EXTRA", str(tmp_path))
    patterns.load.cache_clear()
    try:
        ids = [e.id for e in patterns.load("event_triggers")]
        assert "ev-user-sabotage" in ids and "ev-rocket" not in ids
    finally:
        monkeypatch.delenv("TRUCEWATCH_PATTERNS_EXTRA")
        patterns.load.cache_clear()
