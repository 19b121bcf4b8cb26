"""Claims and voice on fixture articles written for these tests (fictional outlets and people)."""

from __future__ import annotations

from trucewatch.attribution import channel, kind
from trucewatch.stages.claims import quote_spans


def _claims(analyse, text, published="2025-10-19"):
    return analyse(text, published=published).claims


def _one(claims, fragment):
    found = [c for c in claims if fragment in c.content]
    assert found, [c.content for c in claims]
    return found[0]


def test_indirect_claim_with_speaker_cue_and_content(analyse):
    cs = _claims(analyse, "Title\n\nHamas said on Sunday that Israeli troops had opened fire near the fence.\n")
    c = _one(cs, "Israeli troops had opened fire")
    assert c.speaker == "Hamas" and c.cue == "said" and c.mode == "indirect"
    assert c.content == "Israeli troops had opened fire near the fence"
    assert c.kind == "accusation" and c.speaker_affiliation == "Hamas"


def test_quote_before_and_after_the_speaker(analyse):
    text = ("Title\n\n\u201cThe crossing will stay open,\u201d the ministry spokesperson said.\n\n"
            "Marwan Idris said: \u201cWe have asked for more trucks every day.\u201d\n")
    cs = _claims(analyse, text)
    first = _one(cs, "crossing will stay open")
    assert first.mode == "direct" and first.content.startswith("\u201c") and first.content.endswith("\u201d")
    second = _one(cs, "asked for more trucks")
    assert second.speaker == "Marwan Idris" and second.mode == "direct"


def test_quote_spanning_paragraphs_closes_only_in_the_last(analyse):
    text = ("Title\n\nThe mayor said: \u201cWe buried twelve people today.\n\n"
            "\u201cWe have no more room in the cemetery.\u201d\n\nShops reopened later.\n")
    spans = quote_spans(text)
    whole = [s for s in spans if "twelve" in text[s[0]:s[1]]][0]
    assert "cemetery" in text[whole[0]:whole[1]]


def test_unbalanced_quotes_and_apostrophes_never_crash(analyse):
    text = ("Title\n\nThe group's leader said \u201cthe talks are over.\n\n"
            "It's not clear what comes next, residents' groups said.\n")
    cs = _claims(analyse, text)
    assert all(c.content for c in cs)
    assert quote_spans("It's the residents' view") == []


def test_mixed_mode_and_scare_quotes(analyse):
    text = ("Title\n\nA military spokesperson told reporters the army was \u201cfully respecting\u201d the truce.\n\n"
            "The outlet described the raids as \u201ccrimes\u201d in its own editorial voice.\n")
    cs = _claims(analyse, text)
    c = _one(cs, "fully respecting")
    assert c.mode == "mixed"
    assert not any(c.content.strip("\u201c\u201d") == "crimes" for c in cs)


def test_according_to_at_either_end(analyse):
    text = ("Title\n\nAccording to the health ministry, 14 people were killed in Bureij.\n\n"
            "Nine trucks entered on Monday, according to the crossings authority.\n")
    cs = _claims(analyse, text)
    a = _one(cs, "14 people were killed")
    b = _one(cs, "Nine trucks entered")
    assert a.cue.lower() == "according to" and "health ministry" in a.speaker
    assert b.speaker == "the crossings authority"


def test_headline_attribution(analyse):
    cs = _claims(analyse, "Occupation army broke the truce: Qassam Brigades\n\nFighting continued.\n")
    c = _one(cs, "Occupation army broke the truce")
    assert c.cue == ":" and c.speaker == "Qassam Brigades" and c.speaker_affiliation == "Hamas"


def test_pronoun_and_the_group_resolve_to_last_named_speaker(analyse):
    text = ("Title\n\nHamas said the handover would go ahead on Saturday. "
            "The group added that it had informed the mediators.\n\nIt also said the lists were ready.\n")
    cs = _claims(analyse, text)
    assert {c.speaker for c in cs} == {"Hamas"}


def test_participial_cue_continues_the_speaker(analyse):
    text = "Title\n\nThe army said it struck a launch site, accusing the group of firing first.\n"
    c = _one(_claims(analyse, text), "the group of firing first")
    assert c.cue == "accusing" and c.speaker == "The army" and c.kind == "accusation"


def test_channel_and_kind_rules():
    assert channel("The Brigades said on Telegram that ...") == "telegram"
    assert channel("In a post on X, the minister said ...") == "x"
    assert channel("He told a press conference in Cairo ...") == "press_conference"
    assert channel("In a statement, the office said ...") == "statement"
    assert kind("denied", "its forces fired on civilians") == "denial"
    assert kind("warned", "any attack would be answered") == "warning"
    assert kind("called on", "the guarantors to act") == "demand"
    assert kind("said", "the movement claimed responsibility for the attack") == "responsibility"
    assert kind("said", "it was ready to extend the pause by two days") == "offer"
    assert kind("said", "the aid reached 40 centres") == "assertion"


def test_anonymous_sources_are_flagged(analyse):
    c = _one(_claims(analyse, "Title\n\nA senior official said talks would resume in Doha.\n"), "talks would resume")
    assert c.anonymous and c.speaker == "A senior official"


def test_voice_labels_every_sentence(analyse):
    ctx = analyse("Title\n\nTrucks queued at the crossing. The agency said 40 had entered.\n")
    voices = [(ctx.text[v.span[0]:v.span[1]], v.voice) for v in ctx.voice]
    assert ("Trucks queued at the crossing.", "author") in voices
    assert any(v == "attributed" and "agency said" in s for s, v in voices)


def test_casualty_asserted_by_comes_from_its_claim(analyse):
    ctx = analyse("Title\n\nThe civil defence agency said at least 9 people were killed in Jabalia.\n")
    (fig,) = ctx.casualties
    assert fig.asserted_by == "The civil defence agency" and fig.claim == 0


def test_framing_terms_know_whose_voice(analyse):
    text = ("Title\n\nThe IOF shelled homes in Khan Younis. "
            "The army said Hamas terrorists fired first.\n")
    ctx = analyse(text)
    by = {(f.term, f.voice, f.leaning) for f in ctx.framing}
    assert ("IOF", "author", "pro-palestinian") in by
    assert ("Hamas terrorists", "attributed", "pro-israeli") in by


def test_nested_quotes_stay_one_quotation(analyse):
    text = ("Title\n\nThe envoy said: \u201cThey told me \u2018the gate opens at noon\u2019 and it never did.\u201d\n")
    c = _one(_claims(analyse, text), "the gate opens at noon")
    assert c.mode == "direct" and c.content.startswith("\u201cThey told me") and c.content.endswith("\u201d")


def test_standfirst_claim(analyse):
    text = ("Truce wobbles in the south\n"
            "Civil defence says 12 people were pulled from the rubble in Abasan\n\n"
            "Rescue crews worked through the night.\n")
    c = _one(_claims(analyse, text), "12 people were pulled from the rubble")
    assert c.speaker == "Civil defence" and c.cue == "says"


def test_chained_attribution_keeps_both_claims(analyse):
    text = ("Title\n\nHamas said in a statement that the health ministry had reported 30 deaths since dawn.\n")
    cs = _claims(analyse, text)
    outer = _one(cs, "the health ministry had reported 30 deaths")
    assert outer.speaker == "Hamas" and outer.channel == "statement"
    inner = [c for c in cs if c.content.startswith("30 deaths")]
    assert inner and inner[0].speaker == "the health ministry"
