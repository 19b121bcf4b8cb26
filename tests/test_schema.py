"""Every record we emit validates against the shipped JSON Schema, and spans prove their text."""

import pytest

from trucewatch import api
from trucewatch.schema import errors

from .conftest import EXAMPLES, FIXTURES


def _records(paths, extractor):
    for res in api.extract([str(p) for p in paths], extractor=extractor):
        yield from res.records


@pytest.fixture(scope="module")
def records(extractor):
    return [r.to_json() for r in _records([EXAMPLES, FIXTURES], extractor)]


def test_records_validate(records):
    assert len(records) >= 12
    for rec in records:
        assert errors(rec) == [], rec["id"]


def test_spans_index_into_text(records):
    for rec in records:
        text = rec["text"]
        for p in rec["places"]:
            assert text[p["span"][0]:p["span"][1]] == p["mention"]
        for x in rec["times"]:
            assert text[x["span"][0]:x["span"][1]] == x["mention"]
        for c in rec["captions"]:
            assert text[c["span"][0]:c["span"][1]] == c["text"]
        for c in rec["claims"]:
            assert text[c["content_span"][0]:c["content_span"][1]] == c["content"]


def test_schema_rejects_a_bad_record(records):
    bad = dict(records[0])
    bad["casualties"] = [{"status": "vanished", "count": -1}]
    assert errors(bad)
