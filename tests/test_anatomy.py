import pytest

from trucewatch.anatomy import find_dateline, parse_plain, split_caption

from .conftest import FIXTURES


def test_headline_standfirst_caption_and_dateline():
    text = (FIXTURES / "plain" / "convoy.txt").read_text()
    a = parse_plain(text)
    assert text[slice(*a.title_span)] == "Aid convoy reaches Khan Younis as truce holds"
    assert text[slice(*a.standfirst_span)] == "Mediators say talks on a second phase will open next week"
    assert len(a.captions) == 1
    cap = a.captions[0]
    assert cap.text == "Trucks wait at the Kerem Shalom crossing on March 2, 2025."
    assert cap.credit == "Dana Levi/Harbour Post"
    assert text[slice(*cap.span)] == cap.text
    assert a.dateline is not None
    assert (a.dateline.place, a.dateline.agency) == ("Khan Younis", "Harbour Post")
    assert text[slice(*a.dateline.span)].startswith("KHAN YOUNIS (Harbour Post)")


def test_blank_line_after_headline_means_no_standfirst():
    text = (FIXTURES / "plain" / "no-dateline.txt").read_text()
    a = parse_plain(text)
    assert text[slice(*a.title_span)] == "Hostage families rally in Tel Aviv"
    assert a.standfirst_span is None
    assert a.dateline is None
    assert a.captions == []


@pytest.mark.parametrize("para, place, agency", [
    ("TEHRAN (Tasnim) \u2013 The talks went on.", "Tehran", "Tasnim"),
    ("GAZA/TEL AVIV - Fighting stopped at dawn.", "Gaza/Tel Aviv", None),
    ("GAZA/JERUSALEM (Harbour Post) \u2014 Buses left at noon.", "Gaza/Jerusalem", "Harbour Post"),
    ("Gaza \u2013 Rescue crews searched the rubble.", "Gaza", None),
    ("DEIR AL-BALAH \u2013 The hospital ran out of fuel.", "Deir al-Balah", None),
    ("CAIRO, Jan. 19 (Harbour Post) - Mediators met.", "Cairo", "Harbour Post"),
])
def test_dateline_forms(para, place, agency):
    d = find_dateline(para, 0)
    assert d is not None
    assert (d.place, d.agency) == (place, agency)


@pytest.mark.parametrize("para", [
    "A four-day pause took hold - and held.",
    "The ceasefire began on Sunday.",
    "I - for one - doubt it.",
])
def test_not_datelines(para):
    assert find_dateline(para, 0) is None


def test_title_case_dateline_can_be_checked_against_places():
    assert find_dateline("Hamas \u2013 the group said nothing.", 0, is_place=lambda p: p == "Gaza") is None
    assert find_dateline("Gaza \u2013 Crews worked all night.", 0, is_place=lambda p: p == "Gaza") is not None


@pytest.mark.parametrize("line, text, credit", [
    ("Fighters search the rubble in Gaza City on May 5, 2025. (AP Photo/Sami Nasser)",
     "Fighters search the rubble in Gaza City on May 5, 2025.", "AP Photo/Sami Nasser"),
    ("Photo: Smoke over Rafah on Sunday. (Harbour Post/Staff)", "Smoke over Rafah on Sunday.", "Harbour Post/Staff"),
    ("A released hostage waves from a car in Tel Aviv. (Photo: Eastgate Chronicle archive)",
     "A released hostage waves from a car in Tel Aviv.", "Eastgate Chronicle archive"),
])
def test_captions(line, text, credit):
    found = split_caption(line)
    assert found is not None
    (s, e), cr = found
    assert line[s:e] == text
    assert cr == credit


@pytest.mark.parametrize("line", [
    "Talks will resume on Monday, officials said. (Reporting by Lina Haddad/Editing by Tom Reed)",
    "He said the aid was welcome (and/or overdue).",
    "The army said it struck a launcher.",
])
def test_not_captions(line):
    assert split_caption(line) is None


def test_captions_anywhere_and_separator_line():
    text = ("Headline here\nStandfirst here\n-\nBody paragraph one says things.\n\n"
            "Mourners at a funeral in Jabalia on Friday. (AP Photo/Sami Nasser)\n\nMore body.\n")
    a = parse_plain(text)
    assert [c.credit for c in a.captions] == ["AP Photo/Sami Nasser"]
    assert text[slice(*a.standfirst_span)] == "Standfirst here"
