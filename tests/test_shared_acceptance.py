"""Acceptance check against the team's shared development material, when it is present.

This reads ../shared at run time (it is not part of the repository) and is skipped elsewhere.
"""

import json
from pathlib import Path

import pytest

from trucewatch import api

SHARED = Path(__file__).resolve().parents[2] / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "corpus" / "seeds" / "meta.jsonl").exists(),
                                reason="../shared is not available")


def _first(v):
    return v[0] if isinstance(v, list) else v


def test_seed_records_match_gold_anatomy(extractor):
    recs = [r.to_json() for res in api.extract([], meta=SHARED / "corpus" / "seeds" / "meta.jsonl",
                                               extractor=extractor) for r in res.records]
    assert len(recs) == 2
    for rec in recs:
        gold = json.loads((SHARED / "gold" / "dev" / f"{rec['id']}.json").read_text())
        for key in ("title", "outlet", "published"):
            assert rec[key] == gold[key]
        if gold["dateline"] is None:
            assert rec["dateline"] is None
        else:
            assert rec["dateline"]["place"] == _first(gold["dateline"]["place"])
            assert rec["dateline"]["agency"] == _first(gold["dateline"]["agency"])
        assert [c["text"] for c in rec["captions"]] == [c["text"] for c in gold["captions"]]
        assert [c["credit"] for c in rec["captions"]] == [_first(c["credit"]) for c in gold["captions"]]
