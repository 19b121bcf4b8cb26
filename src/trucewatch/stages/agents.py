"""Who did what to whom, read from the sentence's structure.

Shared by the events and casualty stages.  For a trigger token (a verb such as "struck", a noun
such as "strikes", a participle such as "killing"):

* the **agent** is the active subject, the passive ``by`` phrase, the possessor ("X's strikes"),
  a nationality adjective or a group name before the noun ("Ruritanian strikes", "Front gunmen"),
  ``by X`` after the noun ("strikes by X"), or, for a noun that is the object of a verb of doing
  ("launched strikes", "carried out a raid"), that verb's subject; a participle or a conjoined
  verb takes the agent of the verb it hangs on ("..., killing five");
* the **target** is the object, the ``on/at/against/toward/into`` phrase, or the passive subject
  ("troops were attacked"); weapons and "fire" are not targets ("fired rockets at X": X is);
* a phrase is **named** by the knowledge base (an actor, a person, a country; a unit is named by
  its state or group: an army -> its state), a demonym of a KB state ("Ruritanian" -> Ruritania; states
  carry ``demonyms`` in the KB data), else as written (its head with its modifiers, without
  determiners: "militants", "a suspicious vehicle" -> "suspicious vehicle").

Nothing here names a party: the knowledge base does.  Where the text does not say, the answer
is ``None``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from trucewatch.context import Context
from trucewatch.kb import KnowledgeBase
from trucewatch.patterns import compiled

# nouns and words that cannot be an agent or a target in themselves
WEAPONS = frozenset({
    "rocket", "missile", "shell", "mortar", "bomb", "fire", "round", "bullet", "projectile", "drone", "barrage",
    "salvo", "grenade", "explosive", "device", "shot", "gunfire", "artillery", "ammunition", "munition", "strike",
    "airstrike", "attack", "raid", "weapon", "warning", "tear", "gas", "flare", "volley"})
# the machines of war: their modifiers name the agent ("Ruritanian warplanes" -> Ruritania)
MACHINES = frozenset({
    "warplane", "jet", "aircraft", "drone", "uav", "helicopter", "gunship", "plane", "tank", "artillery", "gunboat",
    "warship", "bulldozer", "sniper", "vehicle", "quadcopter", "bomber", "navy", "air", "force", "forces"})
# verbs whose object noun is the act itself: "launched strikes", "carried out a raid"
DOING = frozenset({"launch", "carry", "conduct", "mount", "stage", "fire", "unleash", "step", "intensify", "resume",
                   "continue", "renew", "order", "perform", "execute", "begin", "start", "escalate", "wage",
                   "commit", "respond", "retaliate", "answer", "hit", "make", "announce", "claim", "open", "drop",
                   "use", "deploy"})
# verbs whose object is the doer of the act in their "of" phrase: "accused X of breaching"
ACCUSING = frozenset({"accuse", "blame", "charge", "suspect", "convict", "condemn", "denounce", "criticize",
                      "criticise", "fault", "hold"})
PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "them", "him", "her", "us", "its", "their",
                      "who", "which", "that", "this", "these", "those"})
_TARGET_PREPS = frozenset({"on", "at", "against", "toward", "towards", "into", "upon", "in"})
ROOT_TYPES = ("state", "armed_group", "international_org", "un_body", "aid", "government", "party", "armed_wing")


class Agents:
    """Agent and target look-ups over one analysed document."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.kb: KnowledgeBase = ctx.kb
        # token index -> (kind, entry id) of the KB mention covering it
        self._kb_at: dict[int, tuple[str, str]] = {}
        for m in ctx.mentions:
            if m.kind not in ("actor", "person", "place"):
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self._kb_at.setdefault(t.i, (m.kind, m.entry_id))
        self._demonyms = demonym_index(self.kb)
        # token index -> the kind of actor a noun names (patterns/agent_nouns.jsonl)
        self._agent_kind: dict[int, str] = {
            sp.root.i: sp.label_ for sp in compiled("agent_nouns", self.doc.vocab).spans(self.doc)}
        # KB actor mentions in text order: (token index, entry id), for the look-back of "the group"
        self._actors_in_order = sorted((i, e) for i, (k, e) in self._kb_at.items() if k == "actor")

    # ------------------------------------------------------------------ naming

    def root_actor(self, entry_id: str) -> str | None:
        """The state or group a KB actor belongs to (a unit, an office, a ministry -> its parent)."""
        a = self.kb.actors.get(entry_id)
        seen = 0
        while a is not None and a.type not in ROOT_TYPES and a.parent and seen < 4:
            a = self.kb.actors.get(a.parent)
            seen += 1
        if a is not None and a.type == "armed_wing" and a.parent in self.kb.actors:
            pass  # an armed wing is named as itself ("Qassam Brigades"), not folded into its movement
        return a.name if a else None

    def _kb_name(self, tokens: list[Token]) -> str | None:
        for t in tokens:
            hit = self._kb_at.get(t.i)
            if hit is None:
                continue
            kind, entry = hit
            if kind == "actor":
                return self.root_actor(entry)
            if kind == "person":
                p = self.kb.people.get(entry)
                return p.name if p else None
            if kind == "place":
                place = self.kb.places.get(entry)
                if place is not None and place.feature == "country":
                    state = self._demonyms.get(place.name.lower())
                    return state or place.name
        return None

    def phrase(self, head: Token) -> list[Token]:
        """The head with its compound/amod/poss/nummod modifiers (no clauses, no determiners)."""
        keep = [head]
        for c in head.children:
            if c.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "npadvmod") and c.i < head.i:
                keep.extend(w for w in c.subtree if w.dep_ not in ("det", "case", "punct"))
        return sorted(set(keep), key=lambda t: t.i)

    _TERRITORY = frozenset({"territory", "soil", "side", "position", "positions", "border", "airspace", "town", "city",
                            "community", "communities", "settlement"})

    def name(self, head: Token | None, *, as_target: bool = False) -> str | None:
        """What the phrase headed by ``head`` names: a KB actor/person/country, a demonym's state,
        or the phrase as written; None for pronouns and weapons."""
        if head is None:
            return None
        if head.dep_ == "appos" or head.lower_ in ("side", "sides"):
            return None
        if head.like_num or head.pos_ == "NUM" or head.lower_ in ("dozens", "hundreds", "scores", "thousands", "dozen"):
            for c in head.children:  # "dozens of targets", "three of them"
                if c.dep_ == "prep" and c.lower_ == "of":
                    for p in c.children:
                        if p.dep_ == "pobj" and p.lower_ not in PRONOUNS:
                            return self.name(p, as_target=as_target)
            return None
        if head.pos_ == "ADJ":
            return None
        toks = self.phrase(head)
        toks = [t for t in toks if not (t.dep_ == "nummod" or t.like_num)] or [head]
        if head.lower_ in PRONOUNS:
            return None
        found = self._kb_name([head]) or self._kb_name(toks)
        if found and not as_target:
            return found
        # "Ruritanian strikes", "Russian forces": a demonym names the state
        for t in toks:
            if t is not head and t.dep_ in ("amod", "compound", "nmod") and t.lower_ in self._demonyms:
                if not as_target:
                    return self._demonyms[t.lower_]
        if head.lemma_.lower() in WEAPONS:
            return None
        if as_target:
            if head.lower_ in self._TERRITORY:  # "Ruritanian territory": the state
                for t in toks:
                    if t is not head and t.lower_ in self._demonyms:
                        return self._demonyms[t.lower_]
            if found and head.ent_type_ in ("GPE", "NORP") and found in self._demonyms.values():
                return found
            words = [t.text for t in toks if not (t.dep_ == "poss" and t.lower_ in PRONOUNS)]
            text = " ".join(words).strip()
            return text or None
        if head.lemma_.lower() in MACHINES and found is None:
            return None  # "warplanes" alone names nobody
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        return found or " ".join(t.text for t in toks)

    # ------------------------------------------------------------------ agent

    def agent(self, trigger: Token, depth: int = 0) -> str | None:
        """Who did the act the trigger names, as the sentence says; None if it does not."""
        if depth > 3:
            return None
        t = trigger
        if t.dep_ in ("amod", "compound", "nmod", "poss") and t.head.pos_ in ("NOUN", "PROPN") and \
                not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in t.children):
            t = t.head  # "Ruritanian strikes" matched from its adjective
        if t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBN", "VBG", "VBD", "VBZ", "VBP", "VB"):
            passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children)
            for c in t.children:
                if c.dep_ == "agent":  # "was struck by X"
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return self.actor_name(p) or self._agent_of_noun(p, depth, as_act=True)
            if not passive:
                for c in t.children:
                    if c.dep_ == "nsubj":
                        return self.actor_name(c) or self._agent_of_noun(c, depth, as_act=True)
                if t.dep_ == "ROOT":  # no subject parsed: the agent noun right before the verb
                    for i in range(t.i - 1, max(t.sent.start, t.i - 4) - 1, -1):
                        w = self.doc[i]
                        if w.pos_ in ("VERB", "AUX") or w.text in (";", ":"):
                            break
                        if i in self._agent_kind and w.pos_ in ("NOUN", "PROPN"):
                            return self.actor_name(w)
                for c in t.children:  # "the Front's decision was a breach": the attribute's possessor
                    if c.dep_ == "attr":
                        return self._agent_of_noun(c, depth, as_act=True)
            if t.dep_ == "pcomp" and t.head.lower_ == "of" and t.head.head.lemma_.lower() in ACCUSING:
                for c in t.head.head.children:  # "accused X of breaching": X
                    if c.dep_ == "dobj":
                        return self.actor_name(c)
            if t.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp", "relcl") and t.head is not t:
                if t.dep_ == "relcl":  # "the strike, which killed ..."
                    return self.actor_name(t.head) or self._agent_of_noun(t.head, depth, as_act=True)
                if t.dep_ == "acl" and t.head.pos_ in ("NOUN", "PROPN"):
                    # "..., troops firing at ...": the noun acts; a noun parsed as the root of a
                    # sentence whose verb hangs on it ("Jets struck ..." misread) acts too
                    if t.tag_ == "VBG" or (t.head.dep_ == "ROOT" and t.i > t.head.i):
                        return self.actor_name(t.head) or self._agent_of_noun(t.head, depth, as_act=True)
                    return None
                return self.agent(t.head, depth + 1)
            return None
        if t.pos_ in ("NOUN", "PROPN"):
            if t.dep_ == "pobj" and t.head.lower_ in ("with", "using", "by") and t.head.head.pos_ in ("VERB", "NOUN"):
                # "targeted a tank with shells": the weapon's user is the verb's agent
                found = self._agent_of_noun(t, depth, as_act=True, weapon=True)
                verb = t.head.head
                for _ in range(3):  # "targeted a tank with shells" may hang "with" on the tank
                    if verb.pos_ == "VERB" or verb.head is verb:
                        break
                    verb = verb.head
                return found or (self.agent(verb, depth + 1) if verb.pos_ == "VERB" else None)
            return self._agent_of_noun(t, depth, as_act=True)
        return None

    def _agent_of_noun(self, noun: Token, depth: int, as_act: bool = False, weapon: bool = False) -> str | None:
        """The agent behind a noun: its own name, a modifier's, "by X", or the doer of a verb of doing."""
        if not as_act:
            named = self.actor_name(noun)
            if named:
                return named
        # modifiers: possessor, demonym, group or KB name ("Ruritanian strikes", "Front gunmen", "its fighters")
        for c in noun.children:
            if c.i < noun.i and c.dep_ in ("poss", "amod", "compound", "nmod"):
                if c.dep_ == "poss" and c.lower_ in PRONOUNS:
                    r = self._look_back(c, None)
                    if r:
                        return r
                    continue
                named = self._kb_name(list(c.subtree)) or self._demonyms.get(c.lower_)
                if named:
                    return named
                if c.dep_ in ("poss", "compound") and c.ent_type_ in (("ORG", "NORP") if weapon or
                                                                      noun.lemma_.lower() in WEAPONS
                                                                      else ("ORG", "NORP", "PERSON")) and \
                        not self._is_place(c):
                    return " ".join(w.text for w in c.subtree if w.dep_ not in ("case", "det"))
        # "strikes by X", "fire from X"
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        named = self.actor_name(p)
                        if named:
                            return named
        # "a shell fired by X", "strikes carried out by X"
        for c in noun.children:
            if c.dep_ == "acl":
                for a in c.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                named = self.actor_name(p)
                                if named:
                                    return named
        # "Ruritanian air strikes and shelling": a conjoined noun shares the first one's modifiers
        if noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN") and depth < 3:
            found = self._agent_of_noun(noun.head, depth + 1, as_act=True)
            if found:
                return found
        # "the occupation's violations", "responsible for the violations": the adjective's subject
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "ADJ":
            adj = noun.head.head
            for c in adj.children:
                if c.dep_ in ("nsubj",):
                    named = self.actor_name(c)
                    if named:
                        return named
            if adj.dep_ in ("amod", "acomp", "oprd") and adj.head.pos_ in ("NOUN", "PROPN") and adj.dep_ == "amod":
                named = self.actor_name(adj.head)
                if named:
                    return named
        # "launched strikes", "carried out a raid": the doer of the verb
        head = noun.head
        if noun.dep_ in ("dobj", "pobj") and head is not noun:
            verb = head if head.pos_ == "VERB" else head.head if head.pos_ == "ADP" else None
            if verb is not None and verb.pos_ == "VERB" and verb.lemma_.lower() in DOING:
                return self.agent(verb, depth + 1)
        return None

    def actor_name(self, head: Token) -> str | None:
        """The actor a noun phrase names, if it names one that can act: a KB actor or person (a
        country as its state), a resolved pronoun or "the group"/"the army", a demonym's state
        ("Ruritanian troops"), a named organisation or people, or an agent noun as written
        ("militants"); None for anything else (weapons, places, quantities, things)."""
        if head.lower_ in PRONOUNS:
            return self._look_back(head, None)
        for c in head.children:  # "its fighters", "their forces": whose they are
            if c.dep_ == "poss" and c.lower_ in PRONOUNS and self._agent_kind.get(head.i) in ("force", "group"):
                back = self._look_back(c, None)
                if back:
                    return back
        for c in head.children:  # "militants (likely the Front)", "fighters, members of the Front,"
            if c.dep_ == "appos" and self._kb_at.get(c.i, ("", ""))[0] == "actor":
                return self._kb_name([c])
        kind = self._agent_kind.get(head.i)
        own = self._kb_at.get(head.i)
        toks = self.phrase(head)
        if own is not None and own[0] in ("actor", "person"):
            return self._kb_name([head])
        found = self._kb_name(toks)
        if found and (own is None or own[0] != "place" or found in self._demonyms.values()):
            if own is not None or kind is not None or head.ent_type_ in ("ORG", "NORP", "PERSON", "GPE"):
                return found
        for t in toks:
            if t is not head and t.lower_ in self._demonyms:
                return self._demonyms[t.lower_]
        if kind is not None:
            modified = any(t is not head and t.dep_ in ("amod", "compound", "poss") for t in toks)
            if not modified:  # "the group", "troops", "the regime": the last compatible actor named
                back = self._look_back(head, kind)
                if back:
                    return back
            words = [t.text for t in toks if not (t.dep_ == "poss" and t.lower_ in PRONOUNS)]
            return " ".join(words)
        if head.ent_type_ in ("ORG", "NORP", "PERSON") and head.pos_ == "PROPN":
            return " ".join(t.text for t in toks)
        return None

    # actor kinds (agent_nouns labels) -> the KB actor types such a noun can stand for
    _COMPATIBLE = {
        "force": ("armed_force", "state", "armed_group", "armed_wing"),
        "group": ("armed_group", "armed_wing", "party", "political_bureau"),
        "state": ("state", "government", "ministry", "office"),
        "mediator": ("state", "international_org", "un_body", "agency"),
        None: None,
    }

    def _look_back(self, tok: Token, kind: str | None) -> str | None:
        """The nearest KB actor named before ``tok`` in its sentence or the two before it, of a type
        a noun of this kind can stand for (any type for a pronoun)."""
        if kind == "civilian":
            return None
        allowed = self._COMPATIBLE.get(kind)
        first = tok.sent.start
        for _ in range(2):
            if first > 0:
                first = self.doc[first - 1].sent.start
        from bisect import bisect_left

        k = bisect_left(self._actors_in_order, (tok.i, ""))
        fallback = None
        while k > 0:
            k -= 1
            i, entry = self._actors_in_order[k]
            if i < first:
                break
            a = self.kb.actors.get(entry)
            if a is None or not (allowed is None or a.type in allowed):
                continue
            # a pronoun stands for a subject (or a speaker) sooner than for an object
            if self._subject_like(self.doc[i]):
                return self.root_actor(entry)
            if fallback is None:
                fallback = entry
        return self.root_actor(fallback) if fallback else None

    def _subject_like(self, tok: Token) -> bool:
        t = tok
        for _ in range(4):
            if t.dep_ in ("nsubj", "nsubjpass", "ROOT"):
                return True
            if t.dep_ not in ("compound", "amod", "poss", "appos", "det", "nmod", "pobj", "prep") or t.head is t:
                return False
            if t.dep_ == "pobj" and t.head.lower_ != "of":
                return False
            t = t.head
        return False

    def _is_place_only(self, tok: Token) -> bool:
        hit = self._kb_at.get(tok.i)
        return hit is not None and hit[0] == "place" and self._kb_name([tok]) is None

    def _resolve_pronoun(self, tok: Token) -> str | None:
        """A pronoun stands for the last KB actor named before it in this or the previous sentence."""
        sent = tok.sent
        start = sent.start
        if start > 0:
            start = self.doc[start - 1].sent.start
        for i in range(tok.i - 1, start - 1, -1):
            hit = self._kb_at.get(i)
            if hit is not None and hit[0] in ("actor", "person"):
                return self._kb_name([self.doc[i]])
        return None

    # ------------------------------------------------------------------ target

    def target(self, trigger: Token) -> str | None:
        """Whom or what the act was aimed at, as the sentence says; None if it does not."""
        t = trigger
        if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB"):
            for c in t.children:
                if c.dep_ == "nsubjpass" and c.lemma_.lower() not in WEAPONS:
                    return self.name(c, as_target=True)
            for c in t.children:
                if c.dep_ == "dobj" and c.lemma_.lower() not in WEAPONS:
                    return self.name(c, as_target=True)
            found = self._prep_target(t)
            if found:
                return found
            for c in t.children:  # "fired rockets at X": the weapon's own phrase
                if c.dep_ == "dobj":
                    found = self._prep_target(c)
                    if found:
                        return found
            return None
        if t.pos_ in ("NOUN", "PROPN"):
            found = self._prep_target(t)
            if found:
                return found
            if t.dep_ == "pobj" and t.head.lower_ == "with" and t.head.head.pos_ == "VERB":
                return self.target(t.head.head)  # "attacked troops with a missile": the troops
            if t.dep_ in ("nsubj",) and t.head.pos_ == "VERB":  # "strikes hit a school"
                for c in t.head.children:
                    if c.dep_ == "dobj":
                        return self.name(c, as_target=True)
                return self._prep_target(t.head)
            if t.dep_ in ("dobj", "pobj") and t.head.pos_ in ("VERB", "ADP"):
                verb = t.head if t.head.pos_ == "VERB" else t.head.head
                if verb.pos_ == "VERB":
                    return self._prep_target(verb)
        return None

    def _prep_target(self, tok: Token) -> str | None:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj" and p.lemma_.lower() not in WEAPONS:
                        if (c.lower_ == "in" and not self._is_place(p)) or p.ent_type_ in ("DATE", "TIME"):
                            continue
                        return self.name(p, as_target=True)
        return None

    def _is_place(self, tok: Token) -> bool:
        hit = self._kb_at.get(tok.i)
        return (hit is not None and hit[0] == "place") or tok.ent_type_ in ("GPE", "LOC", "FAC")


def trigger_token(doc: Doc, start_char: int) -> Token | None:
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def demonym_index(kb: KnowledgeBase) -> dict[str, str]:
    """Lower-cased demonyms and state names -> the state's name (``demonyms`` in the KB's actor data)."""
    cached = getattr(kb, "_tw_demonyms", None)
    if cached is not None:
        return cached
    out: dict[str, str] = {}
    for a in kb.actors.values():
        if a.type == "state":
            for d in getattr(a, "demonyms", ()) or ():
                out.setdefault(d.lower(), a.name)
            out.setdefault(a.name.lower(), a.name)
    kb._tw_demonyms = out  # type: ignore[attr-defined]
    return out


def clause_of(doc: Doc, c0: int, c1: int) -> Span | None:
    return doc.char_span(c0, c1, alignment_mode="expand")
