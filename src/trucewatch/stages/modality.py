"""Whether an act is said to have happened: the modality of an event or a casualty figure.

The cue words are data (``patterns/modality_cues.jsonl``: verbs of denial, postponement, plans
and threats, future and possibility auxiliaries, conditions, negation); this module decides from
the parse whether a cue governs the act: it looks at the trigger, the verbs above it in its
sentence (up to :data:`HOPS` steps: "denied that troops had opened fire", "would postpone
handing over the body") and their auxiliaries.

=================  =============================================================================
modality           when
=================  =============================================================================
``denied``         a verb of denial governs the act ("X denied any role in the shooting"), or a
                   negated act in a source's words ("the army said troops did not fire")
``postponed``      postpone/delay/suspend governs it
``conditional``    it sits in, or depends on, an if/unless clause, or under a threat or warning
                   ("threatened to resume strikes", "any violation will be met with force")
``planned``        a future auxiliary, or plan/agree/schedule/due to/offer ("will release",
                   "due to enter"); "would" in a source's reported words ("said it would ...")
``hypothetical``   could/might/may, or "would" in the outlet's own words
``asserted``       none of these
=================  =============================================================================

A negated act in the outlet's own voice ("the crossing did not open") is ``negated``: the
caller drops it (nothing to record).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from trucewatch.patterns import compiled

HOPS = 5
_PRIORITY = ("denied", "postponed", "conditional", "planned", "hypothetical")
_LEXICAL = {"denied", "postponed", "planned", "conditional"}  # cues that are verbs/nouns above the act
_AUX = {"planned", "hypothetical", "negated"}  # cues that are auxiliaries or negations of the act's verb
_REPORTING = frozenset({"say", "tell", "announce", "state", "add", "report", "claim", "confirm", "declare",
                        "insist", "write", "post", "note", "argue", "believe", "hope", "allege", "accuse", "charge",
                        "complain", "blame", "cite", "condemn", "denounce", "call", "urge", "describe", "list"})
# the act's modality is read up the parse only through arguments and complements, never across
# an adverbial or relative clause, a conjunct or a parenthetical (those are acts of their own)
_CLIMB = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "nsubj", "nsubjpass", "compound", "amod", "pcomp",
                    "attr", "oprd", "acomp", "npadvmod", "det", "poss", "nmod", "agent", "dative"})
# verbs of lasting ("would stay shut", "will remain closed"): the state holds now, not a plan
_LASTING = frozenset({"stay", "remain", "keep", "continue"})


def cues(doc: Doc) -> dict[int, str]:
    """Token index -> modality label of every cue word in the document (computed once per doc)."""
    found = doc.user_data.get("tw_modality_cues")
    if found is None:
        found = {}
        for span in compiled("modality_cues", doc.vocab).spans(doc):
            for t in span:
                found.setdefault(t.i, span.label_)
        doc.user_data["tw_modality_cues"] = found
    return found


def _chain(trigger: Token) -> list[Token]:
    """The trigger and the words above it whose argument it is, nearest first."""
    out = [trigger]
    t = trigger
    for _ in range(HOPS):
        if t.head is t or t.dep_ not in _CLIMB:
            break
        t = t.head
        out.append(t)
    return out


def modality_of(trigger: Token, *, in_claim: bool) -> tuple[str, Token | None]:
    """(modality, the token of the denying/postponing/threatening verb or None) of the act the
    trigger names."""
    doc = trigger.doc
    table = cues(doc)
    chain = _chain(trigger)
    found: dict[str, Token] = {}
    first_verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    reported = False
    for k, node in enumerate(chain):
        label = table.get(node.i)
        if k > 0 and label in _LEXICAL and node.pos_ in ("VERB", "NOUN", "ADJ"):
            found.setdefault(label, node)
        if node.lemma_.lower() in _REPORTING and k > 0:
            reported = True
            break  # the verbs above a reporting verb are the report's, not the act's
        for c in node.children:
            cl = table.get(c.i)
            if c.dep_ == "advcl" and any(table.get(g.i) == "conditional" and g.dep_ == "mark" for g in c.children):
                found.setdefault("conditional", c)  # "strikes will resume if ..."
                continue
            if cl is None:
                continue
            if c.dep_ in ("aux", "auxpass", "neg", "det") and node is first_verb or (
                    c.dep_ in ("neg", "det") and node is trigger):
                if cl in _AUX:
                    found.setdefault(cl, c)
                elif cl == "conditional" and c.dep_ == "aux":  # "should they resume"
                    found.setdefault("conditional", c)
            elif c.dep_ == "mark" and cl == "conditional":
                found.setdefault("conditional", c)  # the act is in an if-clause
            elif cl in ("denied", "conditional") and c.dep_ in ("dobj", "amod", "det", "pobj", "prep", "npadvmod"):
                if cl == "conditional" and c.lower_ == "any":
                    found.setdefault("conditional", c)
    if "planned" in found and any(n.lemma_.lower() in _LASTING for n in chain):
        found.pop("planned")  # "would stay shut": it is shut
    if "planned" not in found and first_verb is not None and _bare_infinitive(first_verb):
        found["planned"] = first_verb  # "X to hand over three captives", "are to be freed"
    if "negated" in found:
        if in_claim or reported:
            found.setdefault("denied", found["negated"])
        found.pop("negated")
        if "denied" not in found:
            return "negated", None
    for label in _PRIORITY:
        if label in found:
            if label == "hypothetical" and found[label].lower_ in ("would", "'d") and (in_claim or reported):
                return "planned", None  # "said it would hand over": reported future
            return label, found[label] if label in ("denied", "postponed", "conditional") else None
    return "asserted", None


def subject_of(tok: Token, depth: int = 0) -> Token | None:
    """The subject of a cue: of its verb, or of the verb a cue noun depends on ("denied any role")."""
    if depth > 4:
        return None
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    if tok.head is not tok and (tok.dep_ in ("xcomp", "conj", "advcl", "dobj", "pobj", "prep", "attr", "ccomp")
                                or tok.pos_ in ("NOUN", "DET", "ADP")):
        return subject_of(tok.head, depth + 1)
    return None


def _bare_infinitive(verb: Token) -> bool:
    """A to-infinitive heading its clause ("Group to free three hostages") or after "be"
    ("are to be freed"): an arrangement."""
    has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if not has_to:
        return False
    if verb.dep_ == "ROOT":
        return True
    return verb.dep_ in ("xcomp",) and verb.head.lemma_.lower() == "be"
