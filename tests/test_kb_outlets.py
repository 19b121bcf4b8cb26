"""The outlet knowledge base: real outlets and agencies analysts read, each with the facts the
incident view relies on and where they come from."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import yaml

from trucewatch.kb import OWNERSHIP, KnowledgeBase, Outlet, load_kb
from trucewatch.kb.names import match_key

DATA = Path(__file__).parents[1] / "src" / "trucewatch" / "kb" / "data" / "outlets"


def _rows() -> list[dict]:
    rows = []
    for f in sorted(DATA.glob("*.yaml")):
        rows += yaml.safe_load(f.read_text(encoding="utf-8"))
    return rows


def test_at_least_300_outlets_each_with_country_ownership_language_domains_and_source():
    rows = _rows()
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["country"] is None or re.fullmatch(r"[A-Z]{2}", r["country"]), r["id"]
        assert r["ownership"] in OWNERSHIP, r["id"]
        assert r["type"] in {"wire", "agency", "newspaper", "broadcaster", "website", "magazine", "un_source"}, r["id"]
        assert r["languages"] and all(re.fullmatch(r"[a-z]{2}", x) for x in r["languages"]), r["id"]
        assert r["domains"] and all(re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", d) for d in r["domains"]), r["id"]
        assert re.match(r"https://", r["source"]), r["id"]
        assert all(isinstance(a, str) for a in (r["name"], *r.get("aliases", []))), r["id"]
    kinds = {r["ownership"] for r in rows}
    assert {"private", "public", "state", "party", "cooperative", "nonprofit"} <= kinds
    assert {"wire", "agency", "broadcaster", "newspaper"} <= {r["type"] for r in rows}


def test_names_and_domains_point_to_one_outlet_and_never_to_a_place_or_party():
    """Two outlets never share a name or a domain, and no outlet name is also the name of a
    place, actor or person of the KB (the matcher would read "Riyadh" as a newspaper), except
    the outlets that are themselves KB actors and one long-standing name."""
    rows = _rows()
    owners: dict[str, set[str]] = defaultdict(set)
    domains: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for name in (r["name"], *r.get("aliases", [])):
            owners[match_key(name)].add(r["id"])
        for d in r["domains"]:
            domains[d].add(r["id"])
    assert not {k: v for k, v in owners.items() if len(v) > 1}
    assert not {k: v for k, v in domains.items() if len(v) > 1}
    kb = load_kb()
    others = set()
    for table in (kb.actors, kb.people, kb.places):
        for e in table.values():
            others |= {match_key(a) for a in (e.name, *e.aliases)}
    clash = {k for k in owners if k in others}
    assert clash <= {"ocha", "un ocha", "unrwa", "quds"}


def test_outlets_are_found_by_name_or_by_the_host_of_an_article_url():
    kb = load_kb()
    assert kb.outlet("Al Jazeera English").id == "al-jazeera"
    assert kb.outlet(url="https://www.aljazeera.com/news/2025/1/1/x").id == "al-jazeera"
    assert kb.outlet(url="http://user@WWW.Haaretz.co.il:443/news").id == "haaretz"
    assert kb.outlet(url="https://english.wafa.ps/Pages/Details/1").id == "wafa"
    # a look-alike host is not the outlet
    assert kb.outlet(url="https://notreuters.com/x") is None
    assert kb.outlet(url="https://reuters.com.example.net/x") is None
    # an unknown name falls back to the URL, an unknown name and URL give nothing
    assert kb.outlet("Some Blog", "https://www.bbc.co.uk/news/x").id == "bbc"
    assert kb.outlet("Some Blog") is None


def test_a_state_or_party_outlet_speaks_for_its_owner_and_others_for_themselves():
    from trucewatch.incidents.sources import outlet_source

    kb = load_kb()
    assert outlet_source(kb, "al-manar").side == "iran_axis"
    assert outlet_source(kb, "wafa").authority == "palestinian-authority"
    assert outlet_source(kb, "army-radio").authority == "israel"
    assert outlet_source(kb, "reuters").side is None
    assert outlet_source(kb, "kan").side is None  # a public broadcaster is no government voice
    assert outlet_source(kb, "xinhua").side is None  # its owner is no actor of this KB


def test_user_overlays_may_add_outlets_with_the_same_fields(tmp_path, monkeypatch):
    extra = tmp_path / "outlets"
    extra.mkdir()
    (extra / "mine.yaml").write_text(
        "- {id: harbour-post, name: Harbour Post, country: GB, type: newspaper, ownership: private,\n"
        "   languages: [en], domains: [harbourpost.example], source: 'https://harbourpost.example/about'}\n")
    monkeypatch.setenv("TRUCEWATCH_KB_EXTRA", str(tmp_path))
    load_kb.cache_clear()
    try:
        kb = load_kb()
        assert kb.outlet(url="https://www.harbourpost.example/a").languages == ("en",)
    finally:
        monkeypatch.delenv("TRUCEWATCH_KB_EXTRA")
        load_kb.cache_clear()
    kb = KnowledgeBase(outlets={"x": Outlet(id="x", name="X Daily", domains=("x.example",))})
    assert kb.outlet(url="https://news.x.example/1").id == "x"
