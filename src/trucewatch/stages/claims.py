"""Claims: who said what, and in whose voice each sentence speaks.

How a claim is found, in order:

1. **Reporting verbs** (:data:`CUES`) outside quote marks, read from spaCy's dependency parse:
   the speaker is the verb's subject (a participle such as "..., accusing Ruritania of ..." or
   "..., adding that ..." takes the subject of the verb it hangs on); the content is the
   clausal complement (``ccomp``), else what follows the cue in the sentence, else what
   precedes it ("the Front broke the pause, the army said").
2. **according to X** at either end of a sentence: X is the speaker, the rest the content.
3. **Headline attribution**: ``IOF responsible for violations: al-Qassam Brigades`` (cue ``:``).
4. **Quotations**: quote marks are paired per paragraph; a quotation that runs on across
   paragraphs is closed only by the last paragraph that closes it; content that lies in a
   quotation becomes the whole quotation (mode ``direct``), content that only contains quoted
   words is ``mixed``.  A quotation of several words with no cue of its own continues the
   previous speaker.  Two or three quoted words without a cue ("crimes", "Ruritania's") are scare
   quotes: framing, not a claim.  Unbalanced marks never raise; an apostrophe is not a quote.

Speakers given as pronouns or as "the group", "the movement", "the ministry", "the official",
"the statement" resolve to the last named speaker.  Unnamed sources stay as written and are
flagged ``anonymous``.  The speaker's affiliation comes from the KB (a person's affiliation,
an armed wing's parent) or from an actor named inside the speaker phrase ("a senior Front
official").  Channel and kind come from :mod:`trucewatch.attribution`.

Voice: every sentence is ``attributed`` (to the claim whose content or cue it holds) or
``author``.
"""

from __future__ import annotations

import re

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Span, Token

from trucewatch import attribution
from trucewatch.context import Context
from trucewatch.models import Claim, SentenceVoice

CUES = {
    "say", "tell", "add", "state", "announce", "claim", "allege", "accuse", "warn", "deny", "report", "stress",
    "affirm", "note", "insist", "confirm", "declare", "argue", "explain", "write", "post", "tweet", "urge",
    "demand", "vow", "pledge", "threaten", "acknowledge", "admit", "emphasize", "emphasise", "reiterate",
    "assert", "maintain", "predict", "estimate", "blame", "condemn", "show", "put", "call",
    "express", "describe", "suggest", "indicate", "charge", "reply", "respond", "counter", "dismiss", "reject",
    "hope", "complain", "point", "repeat", "recount", "recall", "quote", "underline", "highlight",
    "thank", "lament", "denounce", "list", "count", "cite", "criticize", "criticise", "mention",
}
_NEEDS_OBJECT = {"thank", "lament", "denounce", "list", "count", "cite", "criticize", "criticise", "mention",
                 "call", "show", "put", "express", "describe", "point", "reject", "dismiss", "condemn", "hope",
                 "quote", "highlight", "underline", "charge", "post"}
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "the group", "the movement", "the ministry",
            "the official", "the statement", "the spokesperson", "the spokesman", "the spokeswoman", "the office",
            "the brigades", "the organisation", "the organization", "the agency", "the source", "the faction",
            "the military", "the army", "the minister", "the government", "the regime", "the prime minister"}
_GENERIC_HEADS = {"official", "officials", "source", "sources", "witness", "witnesses", "resident", "residents",
                  "medic", "medics", "doctor", "doctors", "people", "analysts", "observers", "diplomat",
                  "diplomats", "man", "woman", "men", "women", "spokesperson", "spokesman", "activists", "reports",
                  "media", "mediators", "paramedics", "survivors", "relatives", "partners", "figures"}
_OPEN = "\u201c\""
_CLOSE = "\u201d\""
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+", re.I)


def extract(ctx: Context) -> tuple[list[Claim], list[SentenceVoice]]:
    text = ctx.text
    quotes = quote_spans(text)
    claims: list[Claim] = []
    last_speaker: list[tuple[str, str | None, str | None]] = []  # (speaker, affiliation, kb id)
    headline = _headline_claim(ctx)
    if headline:
        claims.append(headline)
    for sent in ctx.doc.sents:
        if headline and sent.start_char < headline.content_span[1] and headline.content_span[0] < sent.end_char:
            continue
        found = _according_to(ctx, sent, quotes, last_speaker) + _cue_claims(ctx, sent, quotes, last_speaker)
        found = _dedupe(found)
        if not found:
            cont = _continued_quote(ctx, sent, quotes, claims, last_speaker)
            if cont:
                found = [cont]
        recent = claims[-8:]  # duplicates come from the same or the neighbouring sentence
        for c in found:
            if not any(_same(c, o) for o in recent):
                claims.append(c)
    claims.sort(key=lambda c: c.content_span)
    return claims, _voice(ctx, claims)


# --------------------------------------------------------------------------- quotations


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations, quote marks included.  Never raises on unbalanced marks."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\u201c" or (ch == '"' and (i == 0 or not text[i - 1].isalnum())):
            start = i
            j = i + 1
            while j < n:
                c = text[j]
                if c == "\u201d" or (c == '"' and j > start + 1):
                    out.append((start, j + 1))
                    break
                if c == "\n":
                    # a quotation running on: the next paragraph must open with a quote mark
                    k = j
                    while k < n and text[k] in "\n \t":
                        k += 1
                    if k < n and text[k] in _OPEN:
                        j = k + 1
                        continue
                    out.append((start, j))  # unbalanced: the quotation ends with its paragraph
                    break
                if c == "\u201c":
                    pass  # nested opening mark (curly) - keep scanning for the close
                j += 1
            else:
                out.append((start, n))
            i = out[-1][1] if out and out[-1][0] == start else i + 1
            continue
        i += 1
    return out


def _inside(quotes: list[tuple[int, int]], a: int, b: int) -> tuple[int, int] | None:
    for q in quotes:
        if q[0] <= a and b <= q[1]:
            return q
    return None


def _overlapping(quotes: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    return [q for q in quotes if q[0] < b and a < q[1]]


def _words(s: str) -> int:
    return len(re.findall(r"\w+", s))


# --------------------------------------------------------------------------- cue verbs


def _cue_indices(doc) -> list[int]:
    """Indices of tokens whose lemma or form is a cue verb, found once per document from the
    attribute arrays (creating a Token per word is what costs)."""
    found = doc.user_data.get("tw_cue_indices")
    if found is None:
        strings = doc.vocab.strings
        found = []
        for i, (lemma, lower) in enumerate(doc.to_array([LEMMA, LOWER]).tolist()):
            if strings[lemma].lower() in CUES or strings[lower].rstrip("s") in CUES:
                found.append(i)
        doc.user_data["tw_cue_indices"] = found
    return found


def _cue_claims(ctx: Context, sent: Span, quotes, last_speaker) -> list[Claim]:
    out = []
    doc = sent.doc
    for i in _cue_indices(doc):
        if i < sent.start or i >= sent.end:
            continue
        tok = doc[i]
        if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBN", "VBG", "VBZ") and not (
                tok.pos_ == "NOUN" and any(c.dep_ in ("ccomp",) for c in tok.children)):
            continue
        if _inside(quotes, tok.idx, tok.idx + len(tok)):
            continue
        lemma = tok.lemma_.lower()
        content = _content(ctx, tok, sent, quotes)
        if content is None:
            continue
        if lemma in _NEEDS_OBJECT and not _needs_ok(tok):
            continue
        subj = _subject(tok)
        spoken = _speaker_text(ctx, subj) if subj is not None else None
        if spoken is None or not spoken[0]:
            # a participle with no subject of its own ("..., stressing that ...") continues the speaker
            prev = out[-1] if out else None
            if tok.tag_ != "VBG" or (prev is None and not last_speaker):
                continue
            c = _make(ctx, sent, tok, None, content, quotes, last_speaker, inherit=prev)
        else:
            c = _make(ctx, sent, tok, subj, content, quotes, last_speaker, spoken=spoken)
        if c:
            out.append(c)
    return out


def _needs_ok(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if lemma == "call":
        return nxt is not None and nxt.lower_ in ("on", "for", "upon")
    if lemma == "show":
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in ("figure", "data", "statistic", "record", "footage",
                                                                "report", "document") for c in tok.children)
    if lemma == "put":
        return any(w.lower_ == "toll" for w in tok.subtree)
    if lemma == "express":
        return any(w.lower_ in ("hope", "concern", "regret") for w in tok.subtree)
    if lemma in ("reject", "dismiss"):
        return any(w.lower_ in ("accusation", "accusations", "claim", "claims", "allegation", "allegations",
                                "report", "reports", "charge", "proposal", "offer") for w in tok.subtree)
    if lemma == "point":
        return nxt is not None and nxt.lower_ in ("out", "to")
    return any(c.dep_ in ("ccomp", "dobj") for c in tok.children)


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    # participial cue ("..., saying ...", "accusing ...") or a conjoined verb: the governing subject
    head = tok
    for _ in range(4):
        if head.dep_ in ("advcl", "xcomp", "conj", "acl", "pcomp") and head.head is not head:
            head = head.head
            if head.dep_ == "ccomp" and head.head.lemma_.lower() in CUES:
                head = head.head  # "X said the recovery was hard, adding ...": X adds, not the recovery
            if head.pos_ in ("NOUN", "PROPN") and head.dep_ in ("dobj", "pobj") and head.head.pos_ in ("VERB", "ADP"):
                head = head.head if head.head.pos_ == "VERB" else head.head.head  # "issued a statement accusing"
            for c in head.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return c
        else:
            break
    # "..., said Front spokesman X": subject after the verb
    for c in tok.children:
        if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > tok.i and c.pos_ in ("PROPN", "NOUN") and \
                tok.lemma_.lower() == "say":
            return c
    return None


def _content(ctx: Context, tok: Token, sent: Span, quotes) -> tuple[int, int] | None:
    comp = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp")]
    lemma = tok.lemma_.lower()
    if comp:
        c = comp[0]
        toks = list(c.subtree)
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1])
        # "that ..."
        if toks[0].lower_ == "that" and len(toks) > 1:
            start = toks[1].idx
    elif lemma in ("thank", "lament", "denounce", "list", "count", "cite", "criticize", "criticise", "mention",
                   "highlight", "note", "stress", "affirm", "add", "accuse", "blame", "warn", "urge", "call", "reject",
                   "deny", "dismiss", "condemn", "express",
                   "put", "show", "describe", "charge", "demand", "threaten", "vow", "pledge", "confirm",
                   "announce", "report", "claim", "allege", "hope"):
        after = [t for t in sent if t.i > tok.i and not t.is_space]
        if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("on", "for", "upon", "out", "to"):
            after = [t for t in after if t.i > tok.i + 1]
        if not after:
            return None
        start, end = after[0].idx, after[-1].idx + len(after[-1])
        if after[0].lower_ == "that" and len(after) > 1:
            start = after[1].idx
    elif ctx.text[tok.idx + len(tok):tok.idx + len(tok) + 1] == "," and _parenthetical(tok):
        rest = [t for t in sent if t.i > tok.i + 1 and not t.is_space]
        if not rest:
            return None
        start, end = rest[0].idx, rest[-1].idx + len(rest[-1])
    else:
        return _content_before(ctx, tok, sent)
    # stay inside the clause of the cue: a ";" separates two reports
    seg_start, seg_end = sent.start_char, sent.end_char
    for m in re.finditer(";", ctx.text[sent.start_char:sent.end_char]):
        pos = sent.start_char + m.start()
        if pos < tok.idx:
            seg_start = pos + 1
        elif pos < seg_end:
            seg_end = pos
            break
    start, end = max(start, seg_start), min(end, seg_end)
    if start < tok.idx < end:
        start = tok.idx + len(tok)
    for idx in _participial_cues(sent):  # "..., accusing X of ...": a later participle is a claim of its own
        if idx > tok.idx and start < idx < end:
            end = idx
            break
    if comp and ctx.text[tok.idx + len(tok):tok.idx + len(tok) + 1] == "," and tok.i > sent.start and \
            ctx.doc[tok.i - 1].is_alpha and _parenthetical(tok):
        start, end = tok.idx + len(tok) + 1, seg_end
    start, end = _trim(ctx.text, start, end)
    if end - start < 3:
        return None
    return start, end


def _participial_cues(sent: Span) -> list[int]:
    """Character offsets of ", <participle cue>" in the sentence (cached on the span's doc)."""
    cache = sent.doc.user_data.setdefault("tw_participles", {})
    key = sent.start
    if key not in cache:
        cache[key] = [t.idx for t in sent if t.tag_ == "VBG" and t.i > sent.start and
                      t.lemma_.lower() in CUES and t.nbor(-1).text == ","]
    return cache[key]


def _parenthetical(tok: Token) -> bool:
    """"..., the army said, its air defences ...": the cue sits between commas."""
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    first = subj.left_edge.i if subj is not None else tok.i
    return first > 0 and tok.doc[first - 1].text == ","


def _content_before(ctx: Context, tok: Token, sent: Span) -> tuple[int, int] | None:
    """"The Front broke the pause, the army said": content is the sentence up to the speaker."""
    subj = _subject(tok)
    first = min([tok.i] + ([subj.left_edge.i] if subj is not None else []))
    if first - sent.start < 3:
        return None
    start, end = _trim(ctx.text, sent.start_char, ctx.doc[first - 1].idx + len(ctx.doc[first - 1]))
    return (start, end) if end - start >= 3 else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and text[end - 1] in " ,;:.-\u2013\u2014\n":
        end -= 1
    while start < end and text[start] in " ,;:-\u2013\u2014\n":
        start += 1
    return start, end


def _speaker_text(ctx: Context, subj: Token) -> tuple[str, tuple[int, int]]:
    if subj.tag_ in ("WDT", "WP", "WP$") or subj.lower_ in ("that", "which", "who", "whose"):
        verb = subj.head
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            subj = verb.head
        sub = list(subj.subtree)
    else:
        sub = list(subj.subtree)
        if subj.dep_ == "poss" or any(t.lower_ == "whose" for t in sub):
            return "", (subj.idx, subj.idx)
    drop = set()
    for c in subj.children:
        if c.dep_ in ("appos", "relcl", "acl", "punct", "prep") and c.i > subj.i:
            if c.dep_ == "prep" and c.lower_ in ("of", "for", "at", "in", "from"):
                continue
            drop.update(t.i for t in c.subtree)
    toks = [t for t in sub if t.i not in drop]
    toks = [t for t in toks if not (t.dep_ == "punct" and t is toks[-1])]
    if not toks:
        toks = [subj]
    # contiguous run around the head
    toks = sorted(toks, key=lambda t: t.i)
    run = [t for t in toks if t.i <= subj.i]
    run = run[next((k for k in range(len(run) - 1, 0, -1) if run[k].i - run[k - 1].i > 1), 0):]
    for t in toks:
        if t.i > subj.i and t.i == run[-1].i + 1:
            run.append(t)
    start, end = run[0].idx, run[-1].idx + len(run[-1])
    s_lo, s_hi = sub[0].idx, sub[-1].idx + len(sub[-1])
    inside = [m for m in ctx.mentions if m.kind in ("person", "actor") and s_lo <= m.start and m.end <= s_hi]
    if inside and not any(start <= m.start < end for m in inside):
        # "Earlier on Friday, Osama Hamdan, senior spokesperson for the Front, said": the named apposition
        person = [m for m in inside if m.kind == "person"] or inside
        start, end = person[0].start, person[0].end
    for m in ctx.mentions:  # never cut a known name in half ("Izzat al-Risheq")
        if m.kind in ("person", "actor") and m.start < end and start < m.end:
            start, end = min(start, m.start), max(end, m.end)
    start, end = _trim(ctx.text, start, end)
    return ctx.text[start:end], (start, end)


def _make(ctx: Context, sent: Span, tok: Token, subj: Token | None, content: tuple[int, int], quotes,
          last_speaker, inherit: Claim | None = None,
          spoken: tuple[str, tuple[int, int]] | None = None) -> Claim | None:
    """The claim of one cue; ``spoken`` is the subject's speaker text and span when already known."""
    if subj is None:
        if inherit is not None:
            speaker, sspan = inherit.speaker or "", inherit.speaker_span or (tok.idx, tok.idx)
        else:
            speaker, sspan = last_speaker[-1][0], (tok.idx, tok.idx)
    else:
        speaker, sspan = spoken or _speaker_text(ctx, subj)
    if subj is not None and (not speaker or sspan[0] < content[1] and content[0] < sspan[1]):
        # the speaker inside the content: "X said" parsed the wrong way round
        if not speaker:
            return None
        content = (content[0], sspan[0]) if sspan[0] > content[0] else (sspan[1], content[1])
        content = _trim(ctx.text, *content)
        if content[1] - content[0] < 3:
            return None
    dl = ctx.article.dateline
    if dl and dl.span and dl.span[0] <= sspan[0] and sspan[1] <= dl.span[1] and tok.idx > dl.span[1]:
        sspan = _trim(ctx.text, dl.span[1], tok.idx)
        speaker = ctx.text[sspan[0]:sspan[1]]
        if not speaker or _words(speaker) > 8:
            return None
    elif dl and dl.span and sspan[0] < dl.span[1] <= sspan[1]:
        sspan = _trim(ctx.text, dl.span[1], sspan[1])
        speaker = ctx.text[sspan[0]:sspan[1]]
        if not speaker:
            return None
    if dl and dl.span and content[0] < dl.span[1] <= content[1]:
        content = _trim(ctx.text, dl.span[1], content[1])
    speaker, affiliation, kb_id, anonymous = _resolve(ctx, speaker, sspan, last_speaker)
    mode = "indirect"
    inq = _inside(quotes, *content)
    over = _overlapping(quotes, *content)
    if inq or any(q[0] <= content[0] + 1 and q[1] >= content[1] - 1 for q in over):
        q = inq or over[0]
        content = (min(q[0], content[0]), max(q[1], content[1]))
        mode = "direct"
    elif over:
        mode = "mixed"
        if any(q[0] < content[0] or q[1] > content[1] for q in over):
            content = (min([content[0]] + [q[0] for q in over]), max([content[1]] + [q[1] for q in over]))
    cue = _cue_text(tok)
    text = ctx.text[content[0]:content[1]]
    if _words(text) < 2:
        return None
    return Claim(speaker=speaker, speaker_affiliation=affiliation, cue=cue, mode=mode,  # type: ignore[arg-type]
                 channel=attribution.channel(ctx.text[sent.start_char:sent.end_char]), kind=attribution.kind(cue, text),  # type: ignore[arg-type]
                 content=text, content_span=content, speaker_span=sspan,
                 cue_span=(tok.idx, tok.idx + len(tok)), anonymous=anonymous, speaker_id=kb_id)


def _cue_text(tok: Token) -> str:
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.i < tok.i and c.lower_ in
           ("has", "have", "had", "was", "were", "is", "been")]
    parts = [a.text for a in aux] + [tok.text]
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in ("on", "for", "upon", "out", "to") and tok.lemma_.lower() in ("call", "point"):
        parts.append(nxt.text)
    return " ".join(parts)


def _resolve(ctx: Context, speaker: str, sspan: tuple[int, int], last_speaker) -> tuple[str, str | None, str | None,
                                                                                      bool]:
    low = speaker.lower()
    known = ctx.kb.person(speaker) or ctx.kb.actor(speaker)
    generic = low in PRONOUNS or re.fullmatch(r"(?:the|its|his|her) (?:\w+ )?(?:spokesperson|spokesman|official|"
                                              r"group|statement|movement|ministry|office)", low)
    if generic and not known:
        if last_speaker:
            return (*last_speaker[-1], False)
    kb = ctx.kb
    person = kb.person(speaker)
    actor = kb.actor(speaker)
    kb_id = None
    affiliation = None
    if person is None and actor is None:
        for m in ctx.mentions:
            if sspan[0] <= m.start and m.end <= sspan[1]:
                if m.kind == "person" and person is None:
                    person = kb.people.get(m.entry_id)
                elif m.kind == "actor" and actor is None:
                    actor = kb.actors.get(m.entry_id)
    if person is not None:
        kb_id = person.id
        a = kb.actors.get(person.affiliation or "")
        if a is not None and a.type in ("armed_wing", "political_bureau") and a.parent in kb.actors:
            a = kb.actors[a.parent]
        affiliation = a.name if a else person.affiliation
    elif actor is not None:
        kb_id = actor.id
        parent = kb.actors.get(actor.parent or "")
        affiliation = parent.name if parent and actor.type in ("armed_wing", "political_bureau") else actor.name
    head = re.sub(r"^(?:a|an|the|one|two|some|several|other|another)\s+", "", low).split()
    anonymous = person is None and (not head or head[-1] in _GENERIC_HEADS or low.startswith(("a ", "an ")))
    if not anonymous or person is not None or actor is not None:
        last_speaker.append((speaker, affiliation, kb_id))
    return speaker, affiliation, kb_id, anonymous


# --------------------------------------------------------------------------- other patterns


def _according_to(ctx: Context, sent: Span, quotes, last_speaker) -> list[Claim]:
    text = ctx.text
    m = _ACCORDING.search(text[sent.start_char:sent.end_char])
    if not m:
        return []
    a = sent.start_char + m.start()
    b = sent.start_char + m.end()
    # the source runs to the next comma or the end of the sentence
    rest = text[b:sent.end_char]
    stop = re.search(r",|\.\s*$|\.\s|;", rest)
    src_end = b + (stop.start() if stop else len(rest))
    src_end = _trim(text, b, src_end)[1]
    source = text[b:src_end]
    if not source or _words(source) > 12:
        return []
    if a - sent.start_char > 3:
        content = _trim(text, sent.start_char, a)
    else:
        content = _trim(text, src_end, sent.end_char)
    if content[1] - content[0] < 8:
        return []
    speaker, affiliation, kb_id, anonymous = _resolve(ctx, source, (b, src_end), last_speaker)
    body = text[content[0]:content[1]]
    over = _overlapping(quotes, *content)
    return [Claim(speaker=speaker, speaker_affiliation=affiliation, cue=text[a:a + len("according to")],
                  mode="mixed" if over else "indirect",
                  channel=attribution.channel(ctx.text[sent.start_char:sent.end_char]),  # type: ignore[arg-type]
                  kind=attribution.kind(None, body), content=body, content_span=content,  # type: ignore[arg-type]
                  speaker_span=(b, src_end), cue_span=(a, a + len("according to")), anonymous=anonymous,
                  speaker_id=kb_id)]


def _headline_claim(ctx: Context) -> Claim | None:
    art = ctx.article
    if not art.title_span:
        return None
    a, b = art.title_span
    title = ctx.text[a:b]
    m = re.match(r"^(?P<left>[^:]{3,}):\s+(?P<right>.+)$", title)
    if not m:
        return None
    left, right = m.group("left"), m.group("right")

    def is_source(s: str) -> bool:
        s = s.strip(" '\u2018\u2019\"")
        if not s or ctx.kb.place(s):
            return False
        return _words(s) <= 5 and bool(ctx.kb.actor(s) or ctx.kb.person(s) or ctx.kb.outlet(s)
                                       or re.search(r"\b(?:officials?|spokes\w+|ministers?|ministry|army|military|"
                                                    r"UN|agency|president|office|sources?|medics|doctors)\b", s, re.I)
                                       or (_words(s) <= 3 and s[:1].isupper()))

    known = ctx.kb.actor(right.strip()) or ctx.kb.person(right.strip())
    if (known or is_source(right)) and (known and _words(left) >= 3 or not is_source(left)):
        sp = (a + m.start("right"), a + m.end("right"))
        content = (a, a + m.end("left"))
    elif is_source(left) and _words(right) >= 3:
        sp = (a, a + m.end("left"))
        content = (a + m.start("right"), a + m.end("right"))
    else:
        return None
    speaker, affiliation, kb_id, anonymous = _resolve(ctx, ctx.text[sp[0]:sp[1]], sp, [])
    body = ctx.text[content[0]:content[1]]
    colon = a + m.end("left")
    return Claim(speaker=speaker, speaker_affiliation=affiliation, cue=":", mode="indirect", channel=None,
                 kind=attribution.kind(None, body), content=body, content_span=content,  # type: ignore[arg-type]
                 speaker_span=sp, cue_span=(colon, colon + 1), anonymous=anonymous, speaker_id=kb_id)


def _continued_quote(ctx: Context, sent: Span, quotes, claims: list[Claim], last_speaker) -> Claim | None:
    """A sentence inside a quotation with no cue of its own continues the last speaker."""
    q = _inside(quotes, sent.start_char + 1, sent.end_char - 1) or next(
        (q for q in quotes if q[0] <= sent.start_char + 1 and q[1] >= sent.end_char - 2), None)
    if not q or not claims or _words(ctx.text[q[0]:q[1]]) < 6:
        return None
    if any(c.content_span[0] <= q[0] and q[1] <= c.content_span[1] for c in claims):
        return None
    prev = claims[-1]
    if q[0] - prev.content_span[1] > 400:
        return None
    return prev.model_copy(update={"content": ctx.text[q[0]:q[1]], "content_span": q, "mode": "direct",
                                   "kind": attribution.kind(prev.cue, ctx.text[q[0]:q[1]])})


def _same(a: Claim, b: Claim) -> bool:
    s = max(a.content_span[0], b.content_span[0])
    e = min(a.content_span[1], b.content_span[1])
    return e - s > 0.8 * max(a.content_span[1] - a.content_span[0], b.content_span[1] - b.content_span[0])


def _dedupe(claims: list[Claim]) -> list[Claim]:
    out: list[Claim] = []
    for c in sorted(claims, key=lambda c: c.content_span[0] - c.content_span[1]):
        if not any(_same(c, o) for o in out):
            out.append(c)
    return out


def _voice(ctx: Context, claims: list[Claim]) -> list[SentenceVoice]:
    marks = sorted((s, e, i) for i, c in enumerate(claims)
                   for s, e in [c.content_span] + ([c.cue_span] if c.cue_span else []))
    out = []
    k = 0
    for sent in ctx.doc.sents:
        a, b = sent.start_char, sent.end_char
        if not ctx.text[a:b].strip():
            continue
        while k < len(marks) and marks[k][1] <= a:
            k += 1
        owner = None
        j = k
        while j < len(marks) and marks[j][0] < b:  # marks are sorted by start; few overlap a sentence
            if marks[j][1] > a:
                owner = marks[j][2] if owner is None else min(owner, marks[j][2])
            j += 1
        out.append(SentenceVoice(span=(a, b), voice="attributed" if owner is not None else "author", claim=owner))
    return out
