"""Events on fixture sentences written for these tests."""

from __future__ import annotations


def _events(analyse, text, published="2025-02-05"):
    return analyse(text, published=published).events


def test_event_in_a_claim_is_that_speakers_assertion(analyse):
    evs = _events(analyse, "Title\n\nThe civil defence agency said an airstrike hit a school in Bureij on Monday.\n")
    (e,) = [e for e in evs if e.type == "attack"]
    assert e.subtype == "airstrike" and e.asserted_by == "The civil defence agency" and e.claim == 0
    # the text says who was hit, not who struck: no actor is guessed (issue 16)
    assert e.date == "2025-02-03" and "Bureij" in e.places and e.actor is None and e.target == "school"


def test_author_voice_event(analyse):
    evs = _events(analyse, "Title\n\nIsraeli troops withdrew from the Netzarim corridor on Sunday.\n")
    (e,) = evs
    assert (e.type, e.subtype, e.asserted_by, e.actor, e.date) == ("movement", "withdrawal", "author", "Israel",
                                                                  "2025-02-02")


def test_negated_events_are_dropped_and_conditional_ones_kept_as_such(analyse):
    # a negated act in the outlet's own voice is not an event; a threatened one is recorded with its
    # modality (never as an allegation that it happened)
    text = ("Title\n\nThe army did not fire on the crowd at the roundabout.\n\n"
            "Officials said strikes would resume if the exchange failed.\n")
    evs = [e for e in _events(analyse, text) if e.type in ("attack", "ceasefire")]
    assert [(e.type, e.subtype, e.modality) for e in evs] == [("ceasefire", "hostilities_resumed", "conditional")]


def test_exchange_and_truce_milestones(analyse):
    text = ("Title\n\nThe truce took effect at 8:30 a.m. on Sunday. Hamas freed three hostages, "
            "and Israel released 90 Palestinian prisoners.\n")
    kinds = {(e.type, e.subtype) for e in _events(analyse, text, published="2025-01-19")}
    assert {("ceasefire", "took_effect"), ("exchange", "captive_release"), ("exchange", "prisoner_release")} <= kinds


def test_continuing_allegation_spans_the_truce_so_far(analyse):
    text = "Title\n\nHamas said Israel had repeatedly violated the ceasefire.\n"
    (e,) = [e for e in _events(analyse, text) if e.subtype == "violation_alleged"]
    assert e.date == "2025-01-19/2025-02-05" and e.actor == "Israel" and e.asserted_by == "Hamas"


def test_triggers_match_the_same_with_text_lowercasing_changes_length(analyse):
    """Triggers run on lower-cased text unless lower-casing moves characters ('İ' becomes two)."""
    plain = "Israel kept the Kerem Shalom crossing closed on Tuesday, UN officials said.\n"
    shifted = "İstanbul talks aside, Israel kept the Kerem Shalom crossing closed on Tuesday, UN officials said.\n"
    for text in (plain, shifted):
        evs = _events(analyse, text)
        closed = [e for e in evs if e.subtype == "crossing_closed"]
        assert closed, text
        assert "crossing closed" in text[closed[0].evidence[0]:closed[0].evidence[1]]
