"""Places in any news: the detector, the world gazetteer, disambiguation by context, and the
roles a place name plays (issue 17).  Every text here is written for these tests."""

from __future__ import annotations

import pytest

from trucewatch.kb import world


def _by_mention(ctx):
    return {p.mention: p for p in ctx.places}


# --------------------------------------------------------------------------- the detector

def test_hostage_names_are_not_places(analyse):
    ctx = analyse("Mediators said Ofer Kalderon and Keith Siegel would be handed to the Red Cross on Saturday.\n")
    assert ctx.places == []


def test_festival_names_are_not_places(analyse):
    ctx = analyse("Survivors of the Nova music festival met in Tel Aviv, and friends of those at the Supernova "
                  "festival joined them.\n")
    assert [p.mention for p in ctx.places] == ["Tel Aviv"]


def test_person_after_a_title_is_not_a_place(analyse):
    ctx = analyse("Rep. Cleaver said the vote in Kansas City would come next week.\n")
    assert "Cleaver" not in _by_mention(ctx)


# --------------------------------------------------------------------------- the Gaza gazetteer

@pytest.mark.parametrize("spelling", ["Shuja'iyya", "Shuja’iyya", "Shujaiyya", "Shejaiya"])
def test_apostrophe_transliteration_gets_coordinates(analyse, spelling):
    ctx = analyse(f"Rescuers in {spelling} pulled three people from a collapsed house on Monday.\n")
    (p,) = ctx.places
    assert p.kb_id == "shujaiyya" and p.lat is not None and 31.4 < p.lat < 31.6


@pytest.mark.parametrize("spelling", ["al-Fakhari", "al-Fukhari", "Al Fukhkhari"])
def test_al_fakhari_is_in_the_gazetteer(analyse, spelling):
    ctx = analyse(f"Shelling was reported near {spelling}, east of Khan Younis, late on Tuesday.\n")
    (p,) = [p for p in ctx.places if p.kb_id == "al-fakhari"]
    assert spelling.endswith(p.mention) and abs(p.lat - 31.29) < 0.05


def test_generated_gazetteer_entries_name_their_source():
    from trucewatch.kb import load_kb

    kb = load_kb()
    generated = [p for p in kb.places.values() if p.id.startswith("gn-")]
    assert len(generated) > 300
    assert all(p.lat is not None and p.parent in kb.places for p in generated)


# --------------------------------------------------------------------------- roles

def test_dateline_far_from_the_events_is_marked(analyse):
    ctx = analyse("Four killed in central Gaza\n\nLONDON (Lantern Wire) - A strike killed four people in "
                  "Deir al-Balah on Tuesday, medics said.\n")
    by = _by_mention(ctx)
    assert by["LONDON"].role == "dateline"
    assert by["Deir al-Balah"].role == "location"


def test_countries_named_as_actors_are_marked(analyse):
    ctx = analyse("Israel accused Hamas of breaking the truce, while Egypt and Qatar urged both sides to hold "
                  "fire in Rafah.\n")
    by = _by_mention(ctx)
    assert by["Israel"].role == "actor"
    assert by["Egypt"].role == "actor" and by["Qatar"].role == "actor"
    assert by["Rafah"].role == "location"


def test_country_qualifying_a_noun_is_not_listed_but_a_state_is(analyse):
    ctx = analyse("The US envoy met staff of the Texas Forest Service in Austin.\n")
    by = _by_mention(ctx)
    assert "US" not in by
    assert by["Texas"].role == "modifier" and by["Austin"].role == "location"


def test_demonyms_are_not_listed_as_places(analyse):
    ctx = analyse("Turkish and Egyptian mediators arrived in Doha on Sunday.\n")
    assert [p.mention for p in ctx.places] == ["Doha"]


# --------------------------------------------------------------------------- the world gazetteer

def test_world_gazetteer_holds_small_towns_states_and_countries():
    assert {p.country for p, _ in world.candidates("Paris")} >= {"FR", "US", "CA"}
    texas = world.lookup("Texas")
    assert texas.feature == "state" and texas.country == "US"
    # a town of a few thousand people (cities500, not cities15000)
    assert any(p.country == "US" and p.population < 15000 for p, _ in world.candidates("Hebron"))


def test_countries_are_placed_at_a_representative_point_not_the_capital():
    canada = world.lookup("Canada")
    ottawa = (45.42, -75.70)
    assert canada.feature == "country" and world.km((canada.lat, canada.lon), ottawa) > 500


def test_state_abbreviations_and_demonyms():
    (ky, how), = world.candidates("Ky.")
    assert ky.name == "Kentucky" and how == world.DOTTED
    assert any(p.name == "Turkey" and how == world.DEMONYM for p, how in world.candidates("Turkish"))


# --------------------------------------------------------------------------- disambiguation

def test_containment_chooses_the_town_in_the_named_state(analyse):
    ctx = analyse("The fair in Paris, Texas, drew farmers from three counties.\n")
    paris = _by_mention(ctx)["Paris"]
    assert paris.country == "US" and 33 < paris.lat < 34


def test_story_state_chooses_among_namesakes(analyse):
    ctx = analyse("Flooding closed roads in Hall County, Georgia. Schools in Gainesville stayed shut, and crews "
                  "from Atlanta were sent north.\n")
    g = _by_mention(ctx)["Gainesville"]
    assert g.country == "US" and world.km((g.lat, g.lon), (34.30, -83.82)) < 25  # Gainesville, Georgia


def test_population_wins_without_context(analyse):
    ctx = analyse("She moved to Paris after the war.\n")
    assert _by_mention(ctx)["Paris"].country == "FR"


def test_georgia_is_the_state_in_an_american_story_and_the_country_near_tbilisi(analyse):
    us = analyse("Voters in Georgia and Alabama went to the polls on Tuesday.\n")
    assert _by_mention(us)["Georgia"].feature == "state"
    ge = analyse("Protesters filled the streets of Tbilisi, and Georgia recalled its ambassador.\n")
    assert _by_mention(ge)["Georgia"].feature == "country"


def test_resolver_prefers_the_candidate_near_the_other_places():
    from trucewatch.kb.resolve import Item, Option, resolve

    far = Option(world.WorldPlace("a", "X", "US", 45.0, -120.0, "city", 60000))
    near = Option(world.WorldPlace("b", "X", "US", 33.0, -84.0, "city", 20000))
    other = Option(world.WorldPlace("c", "Y", "US", 33.1, -84.1, "city", 5000))
    chosen = resolve([Item([far, near]), Item([other])])
    assert chosen[0] is near
