"""Who stands behind a report: the chain from the outlet to the source it quotes to the
authority that source cites, resolved through the knowledge base.

A figure in "Outlet A reported, citing the civil defence, that five people were killed" has
the chain ``Outlet A -> civil defence``; "medics said, according to the health ministry" ends
at the ministry.  The last link is the **primary source**.  Two primary sources are
*independent* when they answer to different **authorities**: an actor's authority is the top
of its KB parent chain (a ministry and the movement that runs it are one authority, an army
and its state are one), a person speaks for their affiliation, an outlet quoted as a source is
its own authority unless a state or party the KB knows owns it.  A name the KB does not know
is its own authority, with no side: it is never guessed.

Sides are the KB actors' ``side`` values; the same rule applies to every party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trucewatch.kb import KnowledgeBase
from trucewatch.kb.names import fold

# Outlets whose owner speaks through them: their own reporting belongs to the owner's side.
OWNED_BY_ACTOR = frozenset({"state", "party"})
CITATION = re.compile(r"\b(?:citing|quoting|according to|on the authority of|relying on)\s+", re.I)
_STOP = re.compile(r"[,;:.!?()\u201c\u201d\"]| (?:and|who|which|that|as|after|before|on|in a|to|said|says|told)\b")
_LEADING = re.compile(r"^(?:the|a|an|its|their|his|her)\s+", re.I)


@dataclass(frozen=True)
class Source:
    key: str              # KB actor id, "outlet:<id>", or "name:<folded name>"
    name: str             # as shown: the KB name, or the words of the text
    kind: str             # actor | outlet | unresolved
    authority: str        # sources with the same authority are not independent
    side: str | None      # the KB side of the authority, None when unknown

    def as_dict(self) -> dict:
        return {"key": self.key, "name": self.name, "kind": self.kind, "authority": self.authority,
                "side": self.side}


_CACHE: dict[tuple[int, str], Source | None] = {}


def top_actor(kb: KnowledgeBase, actor_id: str) -> str:
    """The outermost parent of an actor (the movement of its ministry, the state of its army)."""
    seen = [actor_id]
    entry = kb.actors.get(actor_id)
    while entry is not None and entry.parent and entry.parent in kb.actors and entry.parent not in seen:
        seen.append(entry.parent)
        entry = kb.actors[entry.parent]
    return seen[-1]


def _actor_source(kb: KnowledgeBase, actor_id: str, name: str | None = None) -> Source:
    actor = kb.actors[actor_id]
    top = top_actor(kb, actor_id)
    return Source(actor_id, name or actor.name, "actor", top, actor.side or kb.actors[top].side)


def _actor_inside(kb: KnowledgeBase, name: str) -> str | None:
    """A KB actor whose name or alias (four letters or more) appears in a longer name
    ("Gaza's health ministry officials"); the longest wins."""
    best, found = 0, None
    for a in kb.actors.values():
        for alias in (a.name, *a.aliases):
            if len(alias) > best and len(alias) > 3 and re.search(r"\b" + re.escape(alias) + r"\b", name):
                best, found = len(alias), a.id
    return found


def _person_inside(kb: KnowledgeBase, name: str) -> str | None:
    """The full name of a KB person written inside a longer name with a title ("US President
    Donald Trump"); only full names (two words or more) count, the longest wins."""
    best = None
    for p in kb.people.values():
        for alias in (p.name, *p.aliases):
            if " " in alias and (best is None or len(alias) > len(best)) and alias != name and \
                    re.search(r"\b" + re.escape(alias) + r"\b", name):
                best = alias
    return best


def resolve(kb: KnowledgeBase, name: str | None) -> Source | None:
    """The source a name stands for; None for no name or the outlet's own voice ("author")."""
    if not name or name == "author":
        return None
    ck = (id(kb), name)
    if ck in _CACHE:
        return _CACHE[ck]
    src = _resolve(kb, name)
    if len(_CACHE) > 50_000:
        _CACHE.clear()
    _CACHE[ck] = src
    return src


def _resolve(kb: KnowledgeBase, name: str) -> Source:
    actor = kb.actor(name)
    if actor is not None:
        return _actor_source(kb, actor.id)
    person = kb.person(name)
    if person is not None:
        if person.affiliation and person.affiliation in kb.actors:
            s = _actor_source(kb, person.affiliation)
            return Source(s.key, f"{person.name} ({kb.actors[person.affiliation].name})", "actor", s.authority,
                          s.side)
        return Source("person:" + person.id, person.name, "unresolved", "person:" + person.id, None)
    outlet = kb.outlet(name)
    if outlet is not None:
        return outlet_source(kb, outlet.id)
    person = _person_inside(kb, name)  # "US President Donald Trump", "Defence Minister Israel Katz"
    if person is not None:
        return _resolve(kb, person)
    inside = _actor_inside(kb, name)
    if inside is not None:
        return _actor_source(kb, inside)
    key = "name:" + fold(_LEADING.sub("", name.strip()))
    return Source(key, name.strip(), "unresolved", key, None)


def outlet_source(kb: KnowledgeBase, outlet_id: str) -> Source:
    """An outlet as a source: its own authority, or its owner's when a KB actor (a state or a
    party) owns it."""
    o = kb.outlets[outlet_id]
    if (o.ownership or "") in OWNED_BY_ACTOR and o.owner and o.owner in kb.actors:
        s = _actor_source(kb, o.owner)
        return Source("outlet:" + o.id, o.name, "outlet", s.authority, s.side)
    return Source("outlet:" + o.id, o.name, "outlet", "outlet:" + o.id, None)


def cited_in(text: str) -> list[str]:
    """Names introduced by "citing", "quoting", "according to" in a piece of text."""
    out = []
    for m in CITATION.finditer(text):
        rest = text[m.end():m.end() + 120]
        stop = _STOP.search(rest)
        phrase = (rest[:stop.start()] if stop else rest).strip()
        if phrase and len(phrase.split()) <= 8:
            out.append(phrase)
    return out


# A cited phrase the KB does not know is only taken when its head word names who speaks
# ("hospital officials"), not what was counted ("hospital records", "the latest figures").
_SPEAKER_NOUN = re.compile(r"\b(?:ministry|office|officials?|sources?|spokes\w+|medics?|doctors?|hospitals?|"
                           r"army|military|police|agency|authority|authorities|government|council|committee|"
                           r"brigades?|movement|group|witness\w*|residents?|rescuers?|defen[cs]e|crescent|"
                           r"cross|un|united nations)\b", re.I)


def chain(kb: KnowledgeBase, asserted_by: str | None, claims: list[tuple[int, int, str, str]],
          span: tuple[int, int], sentence: str) -> tuple[str, ...]:
    """The names between the outlet and the primary source of one item, outermost first.

    ``asserted_by`` is the record's source of the item ("author", or nothing, for the outlet's
    own voice: then the chain is empty).  ``claims`` are (start, end, speaker, content) of the
    record's claims: a claim holding the item's evidence whose content names that source, or
    whose speaker is an outlet, is a voice relaying it ("Outlet B reported that the ministry
    said ...").  In ``sentence`` or in ``asserted_by`` itself, "citing X" / "according to X"
    names what the source relies on."""
    if not asserted_by or asserted_by == "author":
        return ()
    names: list[str] = []

    def add(name: str) -> None:
        name = name.strip(" ,")
        src = resolve(kb, name)
        if name and src is not None and all(resolve(kb, n) != src for n in names):
            names.append(name)

    head = re.split(r"\b(?:citing|quoting|according to)\b", asserted_by, maxsplit=1)[0].strip(" ,") or asserted_by
    quoted = resolve(kb, head)
    holding = sorted(((e - s, spk, content) for s, e, spk, content in claims
                      if s <= span[0] and span[1] <= e and spk), key=lambda x: -x[0])
    for _, spk, content in holding:  # outermost first
        relay = resolve(kb, spk)
        if relay is None or relay == quoted:
            continue
        if relay.kind == "outlet" or fold(head) in fold(content):
            add(spk)
    add(head)
    for phrase in cited_in(asserted_by):
        add(phrase)
    for phrase in cited_in(sentence):
        src = resolve(kb, phrase)
        head = phrase.split()[-1] if phrase.split() else ""
        if src is not None and src != quoted and (src.kind != "unresolved" or _SPEAKER_NOUN.fullmatch(head)):
            add(phrase)
            break
    return tuple(names)


_BARE = re.compile(r"^(?:the |a |an |its |their )?([a-z][a-z'\-]+)(?: ([a-z][a-z'\-]+))?$")


def back_reference(kb: KnowledgeBase, name: str, known: list[str]) -> str | None:
    """The KB-known source a bare noun stands for in one article: "the ministry" after "Gaza's
    health ministry", "the army" after "the Israeli army" - when the word is in the names the
    article used for exactly one authority.  None when the name is not a bare noun,
    already resolves, or could be several."""
    m = _BARE.match(name.strip())
    if not m or (resolve(kb, name) or Source("", "", "unresolved", "", None)).kind != "unresolved":
        return None
    head = m.group(2) or m.group(1)
    found: dict[str, str] = {}
    for other in known:
        src = resolve(kb, other)
        if src is None or src.kind != "actor":
            continue
        if head in fold(other).split():  # a word of the name the article used
            found.setdefault(src.authority, other)
    return next(iter(found.values())) if len(found) == 1 else None
