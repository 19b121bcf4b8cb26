"""Casualty figures on fixture sentences written for these tests."""

from __future__ import annotations

import pytest


def _figs(analyse, text, published="2025-10-19"):
    return analyse(text, published=published).casualties


@pytest.mark.parametrize(("text", "status", "count", "qualifier"), [
    ("Rescuers said at least 17 people were killed in the strike on Bani Suheila.\n", "killed", 17, "at_least"),
    ("More than 40 Palestinians were wounded near the fence, medics said.\n", "injured", 40, "more_than"),
    ("Some 12 fishermen remain missing after the boat sank off Deir al-Balah.\n", "missing", 12, "about"),
    ("Troops arrested 23 men in Jenin overnight, the army said.\n", "detained", 23, "exact"),
    ("Up to nine civilians may have died in the blast in Rafah.\n", "killed", 9, "up_to"),
    ("Fourteen hostages were released to the Red Cross on Sunday.\n", "released", 14, "exact"),
    ("Thirty-two hostages are still held in Gaza.\n", "captive", 32, "exact"),
    ("The strike killed dozens in Nuseirat, civil defence crews said.\n", "killed", 24, "at_least"),
    ("Hundreds were injured as the crowd surged toward the trucks in Khan Younis.\n", "injured", 200, "at_least"),
    ("Mediators said one Nepali was among those let go on Friday.\n", "released", 1, "exact"),
    ("The strike on the tent raised to 58 the number of paramedics killed in Gaza since the war began.\n",
     "killed", 58, "exact"),
    ("Another 9 are still due to be freed before the phase ends.\n", "captive", 9, "exact"),
    ("During the week the deal allowed 150 Palestinian prisoners to be released from Ofer.\n", "released", 150,
     "exact"),
])
def test_status_count_and_qualifier(analyse, text, status, count, qualifier):
    figs = _figs(analyse, text)
    assert [(f.status, f.count, f.qualifier) for f in figs] == [(status, count, qualifier)]


def test_range_gives_count_and_count_max(analyse):
    figs = _figs(analyse, "Hospitals put the toll from the raids at between 18 and 26 in Gaza City.\n")
    assert [(f.status, f.count, f.count_max) for f in figs] == [("killed", 18, 26)]


def test_verb_before_and_victims(analyse):
    figs = _figs(analyse, "Tank fire killed five children and wounded 11 others in Zeitoun on Saturday.\n")
    got = {(f.status, f.count, f.who) for f in figs}
    assert ("killed", 5, "children") in got and ("injured", 11, "others") in got
    killed = next(f for f in figs if f.status == "killed")
    assert killed.place == "Zeitoun" and killed.date == "2025-10-18"
    assert killed.perpetrator is None or killed.perpetrator == "Israel"


def test_partial_toll_of_an_earlier_total_is_its_own_figure(analyse):
    text = ("Strikes killed 30 people across the Strip on Sunday.\n\n"
            "Of those, 12 people were killed in Tal al-Sultan.\n")
    figs = _figs(analyse, text)
    assert {(f.count, f.place) for f in figs} == {(30, "Gaza Strip"), (12, "Tal al-Sultan")}


def test_numbers_that_are_not_casualties(analyse):
    text = ("Some 600 trucks entered on day 3 of the truce, and 40 percent of homes were damaged.\n\n"
            "The second phase lasts 42 days under Resolution 2735.\n")
    assert _figs(analyse, text) == []


def test_evidence_span_covers_the_figure(analyse):
    text = "Medics said at least 6 people were killed when a drone struck a tent in al-Mawasi.\n"
    ctx = analyse(text, published="2025-10-19")
    (fig,) = ctx.casualties
    quoted = ctx.text[fig.evidence[0]:fig.evidence[1]]
    assert quoted.startswith("at least 6 people") and "killed" in quoted
    assert fig.place == "al-Mawasi"


def test_prisoners_released_have_no_place_and_future_release_is_still_captive(analyse):
    text = ("Israel freed 90 Palestinian prisoners from Ofer prison on Monday.\n\n"
            "Another 33 hostages are due to be released in the first phase.\n")
    figs = {(f.status, f.count): f for f in _figs(analyse, text)}
    assert figs[("released", 90)].place is None
    assert ("captive", 33) in figs


def test_a_named_person_killed_is_a_figure_of_one(analyse):
    figs = _figs(analyse, "Samir Haddad, a photographer for a local radio station, was killed in Deir al-Balah "
                          "on Saturday.\n")
    assert [(f.status, f.count, f.who) for f in figs] == [("killed", 1, "Samir Haddad")]
    # The killer is not a victim; a denial is not a death.
    assert _figs(analyse, "Captain Yoav Peretz killed two gunmen near the fence.\n")[0].count == 2
    # a denied death is recorded as denied, never as a death (issue 16: denials keep their modality)
    assert not [f for f in _figs(analyse, "Samir Haddad was not killed in the raid, his family said.\n")
                if f.count == 1 and f.modality != "denied"]


@pytest.mark.parametrize(("text", "published", "count", "date"), [
    # a running count from the time after "since"
    ("Officials at the Harbour Clinic say 20,400 people have been killed since October 7.\n", "2024-01-15",
     20400, "2023-10-07/2024-01-15"),
    # since the truce: from the day the agreement in force took effect
    ("The Coastal Wire counted 91 Palestinians killed since the ceasefire began.\n", "2025-10-20",
     91, "2025-10-10/2025-10-20"),
    # a war toll of thousands with no start of its own counts from the start of the conflict
    ("The toll in Gaza has since passed 30,000, health officials say.\n", "2024-03-01", 30000, "2023-10-07/2024-03-01"),
    # "since October 2023": the conflict began that month
    ("More than 50,000 people have been killed in Gaza since October 2023, the ministry said.\n", "2025-03-20",
     50000, "2023-10-07/2025-03-20"),
    # a day of its own; the "since" of another clause does not make it a running count
    ("Four people were killed in Khan Younis on Monday; monitors logged 30 violations since the truce.\n",
     "2025-10-22", 4, "2025-10-20"),
    # releases tallied for a truce that ended on the day of publication: the truce's days
    ("Over the week, the pause saw 210 Palestinian prisoners released from Ofer.\n", "2023-12-01", 210,
     "2023-11-24/2023-11-30"),
])
def test_running_counts_and_their_intervals(analyse, text, published, count, date):
    figs = {f.count: f for f in _figs(analyse, text, published)}
    assert figs[count].date == date


def test_a_figure_without_a_time_takes_the_day_the_article_is_about(analyse):
    text = ("Strikes hit Rafah\n\nAir strikes hit eastern Rafah on Tuesday, residents said.\n\n"
            "Three people were killed in one house, medics at the Dune Hospital said.\n")
    figs = {f.count: f for f in _figs(analyse, text, "2025-10-22")}
    assert figs[3].date == "2025-10-21"


def test_work_per_figure_does_not_grow_with_the_sentence(analyse, monkeypatch):
    """A sentence of thousands of characters with many figures (no full stop anywhere) costs time
    linear in its length: each figure looks at the places near it, not at every place of the
    sentence (issue 20: the old stage scanned the whole sentence for every number)."""
    from trucewatch.stages import casualties

    visited = []
    real = casualties._SpanIndex.places_in

    def counting(self, a, b):
        found = real(self, a, b)
        visited.append(len(found))
        return found

    monkeypatch.setattr(casualties._SpanIndex, "places_in", counting)
    towns = ["Rafah", "Khan Younis", "Deir al-Balah", "Jabalia", "Beit Lahia", "Nuseirat", "Bureij", "Maghazi"]
    parts = [f"{n + 2} people were wounded in {towns[n % len(towns)]}" for n in range(160)]
    text = "Title\n\nMedics counted the wounded through the night, " + ", and ".join(parts) + "\n"
    figs = _figs(analyse, text)
    assert len([f for f in figs if f.status == "injured"]) >= 150
    assert sum(visited) <= 40 * len(figs)  # a bounded number of places per figure, whatever the length
