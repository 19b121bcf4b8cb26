"""Rules that classify a claim: its channel, its kind and its speaker's affiliation.

Pure functions over strings, so a reader can check each rule against the fixtures in
``tests/test_claims.py``.  Kinds follow the contract: ``assertion`` unless a rule below fires,
tried in this order (the first that fires wins):

* ``responsibility``: the cue or content claims an act ("claimed responsibility", "claims");
* ``denial``: "denied", "rejected", "dismissed", "no truth", "did not";
* ``refusal``: "refused", "will not", "won't", "rejects the proposal";
* ``warning``: "warned", "threatened", "will pay", "consequences";
* ``demand``: "called on/for", "urged", "demanded", "must", "should", "appealed";
* ``offer``: "offered", "proposed", "ready to", "willing to";
* ``commitment``: "pledged", "vowed", "committed", "will continue", "remains determined",
  "is keeping", "is respecting";
* ``accusation``: blame words ("accused", "violated", "breach", "broke", "shot", "killed",
  "targeted", "failed to", "aggression", "massacre").
"""

from __future__ import annotations

import re

from trucewatch.literals import Prefiltered

_CHANNEL_RULES = [
    ("telegram", re.compile(r"\bTelegram\b")),
    ("x", re.compile(r"\b(?:on|to) X\b|\bX post\b|\bpost(?:ed)? on X\b|\bTwitter\b|\btweet(?:ed)?\b")),
    ("press_conference", re.compile(r"\b(?:press|news) (?:conference|briefing)\b", re.I)),
    ("interview", re.compile(r"\binterview\b", re.I)),
    ("television", re.compile(r"\b(?:television|TV|broadcaster|told (?:Al Jazeera|Al-Jazeera|CNN|BBC|Channel \d+|"
                              r"Al Arabiya|Al-Mayadeen|Al Mayadeen|Kan|i24))\b")),
    ("statement", re.compile(r"\bstatement\b|\bcommuniqu[eé]\b|\bpress release\b", re.I)),
]

_TOLL_RULE = re.compile(r"\b(?:at least|more than|over|some)?\s*\d[\d,]*\b[^.;]{0,50}\b(?:killed|dead|died|wounded|"
                        r"injured|martyred)\b|\bkill(?:ed|ing) (?:at least |more than )?\d|\b(?:death )?toll\b", re.I)
_OWN_ACT_RULE = re.compile(r"^(?:it|its (?:fighters|forces|troops|units)|we|our (?:fighters|forces))\b[^.;]{0,30}\b"
                      r"(?:struck|launched|targeted|fired|responded with|carried out|hit|attacked|shelled|bombed)\b",
                      re.I)
_KIND_RULES = [
    ("responsibility", re.compile(r"\bclaim(?:ed|s|ing)? responsibility\b|\bresponsibility for\b", re.I), "both"),
    ("warning", re.compile(r"\bwill (?:be|not be) (?:taken|met|tolerated)\b|\bno return to\b|\bprepare for every\b|"
                           r"\bpossible in response\b|\bprohibited\b|\bwill respond\b|\bforcefully\b|\bprepared to "
                           r"respond\b", re.I), "both"),
    ("denial", re.compile(r"\bden(?:y|ied|ies|ying)\b|\breject(?:ed|s|ing)? (?:the |these |those |any )?"
                          r"(?:accusation|claim|allegation|report|charge)s?\b|\bdismiss(?:ed|es|ing)?\b|\bno truth\b|"
                          r"\bbaseless\b|\bfalse\b|\bfully respecting\b|\bkeeping every\b|\bis respecting\b|"
                          r"\bcommitted to the (?:ceasefire|truce|agreement)\b", re.I), "both"),
    ("refusal", re.compile(r"\brefus(?:e|ed|es|ing)\b|\bwill not\b|\bwon['’]t\b|\brule[sd]? out\b|\breject(?:ed|s|ing)?"
                           r"\b", re.I), "both"),
    ("warning", re.compile(r"\bwarn(?:ed|s|ing)?\b|\bthreat(?:en|ened|ens)\b|\bwill pay\b|\bconsequences\b|"
                           r"\bheavy price\b", re.I), "both"),
    ("demand", re.compile(r"\bcall(?:ed|s|ing)? (?:on|for|upon)\b|\burg(?:e|ed|es|ing)\b|\bdemand(?:ed|s|ing)?\b|"
                          r"\bappeal(?:ed|s|ing)?\b|\bmust\b|\bshould\b|\buntil\b", re.I), "both"),
    ("offer", re.compile(r"\boffer(?:ed|s|ing)?\b|\bpropos(?:ed|es|ing)\b|\bready to\b|\bwilling to\b|"
                         r"\bcan be (?:prolonged|extended)\b", re.I), "both"),
    ("accusation", re.compile(r"\baccus(?:e|ed|es|ing)\b|\balleg(?:e|ed|es|ing)\b|\bblam(?:e|ed|es|ing)\b|"
                              r"\bviolat(?:e|ed|es|ing|ion|ions)\b|\bbreach(?:ed|es|ing)?\b|\bbr(?:oke|eaking|eaks)\b|"
                              r"\bfailed to\b|\baggression\b|\bmassacres?\b|\bcrimes?\b|\bobstruct\w*|"
                              r"\b(?:Israel\w*|IOF|IDF|occupation|regime|Hamas|troops|forces|army|militants|soldiers|"
                              r"enemy|settlers)\b[^.;]{0,40}?\b(?:shot|killed|fired|attacked|struck|bombed|opened fire|"
                              r"targeted|prevented|blocked|stalled|delayed|turned down|allowed (?:just|only)|let only|"
                              r"held up|hunting)\b", re.I), "both"),
    ("commitment", re.compile(r"\bpledg(?:e|ed|es)\b|\bvow(?:ed|s)?\b|\bcommitted to\b|\bwill continue\b|"
                              r"\bremain(?:ed|s)? determined\b|\bdetermined to\b|\bcomplied\b|\bhonou?red\b", re.I),
     "both"),
]


# every rule skips texts without its necessary words (see trucewatch.literals): same answers, less time
_CHANNELS = [(name, Prefiltered(rx)) for name, rx in _CHANNEL_RULES]
_KINDS = [(name, Prefiltered(rx), scope) for name, rx, scope in _KIND_RULES]
_TOLL = Prefiltered(_TOLL_RULE)
_OWN_ACT = Prefiltered(_OWN_ACT_RULE)
_CUE_KINDS = [("accusation", re.compile(r"\baccus|\balleg|\bblam")), ("warning", re.compile(r"\bwarn|\bthreat")),
              ("denial", re.compile(r"\bden(?:y|ied|ies)|\brejected\b")),
              ("demand", re.compile(r"\burg|\bcall|\bdemand|\bappeal")),
              ("commitment", re.compile(r"\bpledg|\bvow|\bpromis"))]
_BLAME = Prefiltered(re.compile(r"\b(?:violat|breach|broke|shot dead|opened fire)", re.I))


def channel(sentence: str) -> str | None:
    for name, rx in _CHANNELS:
        if rx.search(sentence):
            return name
    return None


def kind(cue: str | None, content: str) -> str:
    text = f"{cue or ''} || {content}"
    c = (cue or "").lower()
    for name, rx in _CUE_KINDS:
        if rx.search(c):
            return name
    if _OWN_ACT.search(content.strip("\u201c\u201d\"' ")):
        return "responsibility"
    for name, rx, _ in _KINDS:
        if name == "accusation" and _TOLL.search(content) and not _BLAME.search(content):
            return "assertion"  # a toll is reported, not blamed
        if rx.search(text):
            return name
    return "assertion"
