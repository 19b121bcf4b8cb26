"""Who did what to whom, and who says so (issue 16): each failure seen on real coverage, on
sentences written by the team, and a party-swap test for neutrality."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def _ctx(analyse, text, published="2025-02-10"):
    return analyse("Title\n\n" + text + "\n", published=published)


def test_a_quoted_army_says_militants_attacked_its_troops(analyse):
    ctx = _ctx(analyse, "An army official said militants fired rocket-propelled grenades at troops near the camp.")
    (ev,) = [e for e in ctx.events if e.type == "attack"]
    assert ev.actor == "militants" and ev.target == "troops"
    assert ev.asserted_by == "An army official"


def test_hostages_of_a_nationality_are_not_held_by_that_state(analyse):
    ctx = _ctx(analyse, "Three Israeli hostages are still held in tunnels under the city, the forum said.")
    (fig,) = ctx.casualties
    assert (fig.status, fig.count) == ("captive", 3) and fig.perpetrator is None


def test_dead_soldiers_are_not_killed_by_their_own_state(analyse):
    ctx = _ctx(analyse, "Two soldiers were killed near the border crossing on Sunday.")
    (fig,) = ctx.casualties
    assert (fig.status, fig.count, fig.perpetrator) == ("killed", 2, None)


def test_a_denied_clash_is_a_denied_event_of_the_denier(analyse):
    ctx = _ctx(analyse, "The Qassam Brigades denied any involvement in the clashes in Rafah.")
    (ev,) = [e for e in ctx.events if e.type == "attack"]
    assert ev.modality == "denied" and ev.subtype == "armed_clash"
    assert ev.actor == "Qassam Brigades"


def test_a_warning_against_violating_the_truce_is_no_allegation(analyse):
    ctx = _ctx(analyse, "Egypt warned Israel against violating the truce.")
    alleged = [e for e in ctx.events if e.subtype == "violation_alleged" and e.modality == "asserted"]
    assert not alleged
    assert all(e.asserted_by != "author" for e in ctx.events if e.subtype == "violation_alleged")


def test_killing_and_injury_nouns_keep_their_own_counts(analyse):
    ctx = _ctx(analyse, "The ministry recorded the killing of 38 people and the injury of 143 others.")
    figs = sorted((f.status, f.count) for f in ctx.casualties)
    assert figs == [("injured", 143), ("killed", 38)]


def test_durations_and_the_two_sides_are_not_tolls(analyse):
    ctx = _ctx(analyse, "A seven-day pause between the two sides began on Friday.")
    assert ctx.casualties == []


def test_hand_over_is_not_a_qualifier(analyse):
    ctx = _ctx(analyse, "The group will hand over two captives on Saturday.")
    (fig,) = ctx.casualties
    assert (fig.status, fig.count, fig.qualifier) == ("released", 2, "exact")
    assert fig.modality == "planned"


def test_per_hospital_tallies_each_keep_their_place_and_source(analyse):
    ctx = _ctx(analyse, "Medics said 39 bodies had been counted in all: four were killed at Nasser Hospital, "
                        "23 at al-Aqsa Hospital and 12 at the European Hospital.")
    figs = {f.count: f for f in ctx.casualties if f.status == "killed"}
    assert {4, 23, 12} <= set(figs)
    assert all(figs[n].asserted_by == "Medics" for n in (4, 23, 12))


def test_a_man_killed_and_another_wounded(analyse):
    ctx = _ctx(analyse, "A man was killed and another wounded when a shell hit their car.")
    assert sorted((f.status, f.count) for f in ctx.casualties) == [("injured", 1), ("killed", 1)]


def test_one_allegation_restated_is_one_event(analyse):
    ctx = _ctx(analyse, "The council said the army had violated the truce. "
                        "The violation came at dawn, it said. "
                        "The violation was the third this week, the council added. "
                        "It said the violation was grave.")
    assert len([e for e in ctx.events if e.subtype == "violation_alleged"]) == 1


def test_background_truce_in_a_time_clause_is_no_new_event(analyse):
    ctx = _ctx(analyse, "Shelling has killed 12 people since the truce took effect in January.",
               published="2025-03-02")
    assert not [e for e in ctx.events if e.subtype == "took_effect"]


def test_a_country_named_as_an_actor_is_not_the_events_place(analyse):
    ctx = _ctx(analyse, "Qatar accused Israel of shelling Khan Younis on Monday.")
    (ev,) = [e for e in ctx.events if e.type == "attack"]
    assert ev.places == ["Khan Younis"]


# --------------------------------------------------------------------------- neutrality

SWAP = ("{A} jets struck a depot outside {bc} on Monday, killing four guards, the {b} defence ministry said. "
        "The {a} army said its aircraft hit military targets. Hours later {b} missiles hit a port in {ac}, "
        "wounding nine workers, {a} medics said. {B} denied striking civilians.")


def _fill(a, ac, b, bc, adj_a, adj_b):
    return SWAP.format(A=adj_a, a=adj_a, B=b, b=adj_b, ac=ac, bc=bc)


def test_swapping_the_parties_swaps_actors_targets_and_perpetrators(analyse):
    one = _ctx(analyse, _fill("Israel", "Haifa", "Iran", "Isfahan", "Israeli", "Iranian"), published="2025-06-20")
    two = _ctx(analyse, _fill("Iran", "Isfahan", "Israel", "Haifa", "Iranian", "Israeli"), published="2025-06-20")
    swap = {"Israel": "Iran", "Iran": "Israel", "Israeli": "Iranian", "Iranian": "Israeli", "Haifa": "Isfahan",
            "Isfahan": "Haifa"}

    def norm(value):
        if value is None:
            return None
        return re.sub(r"\b(" + "|".join(swap) + r")\b", lambda m: swap[m.group(0)], value)

    ev1 = [(e.type, e.subtype, norm(e.actor), norm(e.target), e.modality) for e in one.events]
    ev2 = [(e.type, e.subtype, e.actor, e.target, e.modality) for e in two.events]
    assert ev1 == ev2 and any(a for _, _, a, _, _ in ev2)
    c1 = [(f.status, f.count, norm(f.perpetrator), norm(f.asserted_by)) for f in one.casualties]
    c2 = [(f.status, f.count, f.perpetrator, f.asserted_by) for f in two.casualties]
    assert c1 == c2 and any(p for _, _, p, _ in c2)


def test_no_party_is_named_in_the_extraction_code():
    """Parties are data (knowledge base, agreements), never code: the stages name none."""
    from trucewatch.agreements import load_agreements

    parties = sorted({p for a in load_agreements().values() for p in a.parties})
    found = subprocess.run(["grep", "-rnwE", "|".join(parties), str(ROOT / "src" / "trucewatch" / "stages")],
                           capture_output=True, text=True).stdout
    assert found == ""
