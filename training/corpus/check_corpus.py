"""Validate the TruceWatch training corpus and print its coverage (standard library only).

    python3 training/corpus/check_corpus.py [FILE_OR_DIR ...]

Without arguments it reads every passages-*.jsonl next to this script. Every line must be a
passage record (see README.md in this folder): unique ids, every evidence_text / content /
other mention an exact substring of the text (at its "occurrence" when given), names (actor,
target, speaker, cue, asserted_by, perpetrator, who) found in the text, labels from the contract's
taxonomy, claim kinds and modalities, positive integer counts whose number is written in the
evidence, 2 to 5 sentences and no repeated text, and the corpus conventions of README.md: no
pronoun as a name; an event or figure voiced by a source lies in a claim of that speaker, and
whatever lies inside a claim's content is voiced by its speaker; a conditional event lies in a
warning claim and is never the author's; a demand claim comes with an appeal (or, for an
evacuation order, a displacement) event. It prints one line per problem and exits 1 if there is
any; then the coverage tables.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

TAXONOMY = {
    "attack": ["airstrike", "shelling", "rocket_fire", "gunfire", "armed_clash", "raid", "demolition", "other"],
    "ceasefire": ["agreed", "took_effect", "extended", "ended", "violation_alleged", "hostilities_resumed"],
    "exchange": ["captive_release", "prisoner_release", "body_handover", "body_recovery", "offer_rejected"],
    "diplomacy": ["meeting", "negotiation", "mediation", "statement", "appeal"],
    "humanitarian": ["aid_entry", "aid_restriction", "crossing_closed", "crossing_opened",
                     "infrastructure_damage", "infrastructure_repair"],
    "movement": ["withdrawal", "deployment", "displacement", "return"],
    "detention": ["arrest", "detention", "release"],
}
KINDS = ["assertion", "accusation", "responsibility", "denial", "offer", "refusal", "demand", "commitment", "warning"]
MODALITIES = ["asserted", "denied", "planned", "postponed", "conditional", "hypothetical"]
STATUSES = ["killed", "injured", "missing", "detained", "captive", "released"]
QUALIFIERS = ["exact", "at_least", "more_than", "about", "up_to", "at_most"]
# Victims described only by a number ("killing 12") are "people".
IMPLICIT_WHO = {"people"}
# Vague quantities the project reads as lower bounds (stages/casualties.py VAGUE).
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}  # and "tens of thousands": 20000

PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "we", "i", "you"}
EVENT_KEYS = {"type", "subtype", "actor", "target", "modality", "asserted_by", "evidence_text"}
CLAIM_KEYS = {"speaker", "cue", "kind", "content"}
CAS_KEYS = {"status", "count", "count_max", "qualifier", "who", "perpetrator", "asserted_by", "modality",
            "evidence_text"}
OPTIONAL = {"occurrence", "other_mentions"}

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
SINGULAR = re.compile(r"\b(a|an|one|another|the|his|her|its|he|she)\b", re.I)


def numbers_in(text: str) -> set[int]:
    """Every number written in a span: digits (with thousands commas), words, 'a dozen', vague words."""
    out: set[int] = set()
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        raw = m.group().rstrip(",")
        try:
            val = float(raw.replace(",", ""))
        except ValueError:
            continue
        tail = text[m.end():m.end() + 10].lower()
        if tail.startswith(" million"):
            val *= 1_000_000
        elif tail.startswith(" thousand"):
            val *= 1000
        if val == int(val):
            out.add(int(val))
    if "tens of thousands" in text.lower():
        out.add(20000)
    words = re.findall(r"[a-z]+", text.lower())
    i = 0
    while i < len(words):
        w = words[i]
        if w in UNITS or w in TENS:
            val = 0
            cur = 0
            while i < len(words):
                w = words[i]
                if w in UNITS:
                    cur += UNITS[w]
                elif w in TENS:
                    cur += TENS[w]
                elif w == "hundred" and cur:
                    cur *= 100
                elif w == "thousand" and cur:
                    val += cur * 1000
                    cur = 0
                elif w == "and" and i + 1 < len(words) and (words[i + 1] in UNITS or words[i + 1] in TENS) \
                        and (cur >= 100 or val):
                    pass
                else:
                    break
                i += 1
            if i < len(words) and words[i] == "dozen":
                cur *= 12
                i += 1
            out.add(val + cur)
            continue
        if w == "dozen":
            out.add(12)
        if w in VAGUE:
            out.add(VAGUE[w])
        i += 1
    return out


def find(text: str, s: str, occurrence: int = 1) -> int:
    """Start of the k-th occurrence of s in text, or -1."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(s, pos + 1)
        if pos < 0:
            return -1
    return pos


def in_text(text: str, name) -> bool:
    names = name if isinstance(name, list) else [name]
    return all(isinstance(n, str) and n and n.lower() in text.lower() for n in names)


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])[\"'\u201d]?\s+(?=[\"'\u201c(]?[A-Z0-9])|\n", text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


class Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.texts: dict[str, str] = {}
        self.n = 0
        self.c = defaultdict(Counter)
        self.cues: dict[str, Counter] = defaultdict(Counter)
        self.sent_total = 0
        self.sent_negative = 0
        self.n_events = self.n_claims = self.n_cas = 0

    def bad(self, where: str, msg: str) -> None:
        self.problems.append(f"{where}: {msg}")

    def span(self, where: str, text: str, item: dict, key: str) -> tuple[int, int] | None:
        s = item.get(key)
        occ = item.get("occurrence", 1)
        if not isinstance(s, str) or not s:
            self.bad(where, f"{key} missing")
            return None
        if not isinstance(occ, int) or occ < 1:
            self.bad(where, "occurrence must be a positive integer")
            return None
        pos = find(text, s, occ)
        if pos < 0:
            self.bad(where, f"{key} not found in text (occurrence {occ}): {s!r}")
            return None
        return pos, pos + len(s)

    def mentions(self, where: str, text: str, item: dict, spans: list) -> None:
        for m in item.get("other_mentions", []) or []:
            s, occ = (m, 1) if isinstance(m, str) else (m.get("text"), m.get("occurrence", 1))
            pos = find(text, s or "\0", occ)
            if pos < 0:
                self.bad(where, f"other mention not found: {s!r}")
            else:
                spans.append((pos, pos + len(s)))

    def names(self, where: str, text: str, item: dict, keys: tuple[str, ...], nullable: tuple[str, ...]) -> None:
        for k in keys:
            v = item.get(k)
            if v is None:
                if k not in nullable:
                    self.bad(where, f"{k} may not be null")
                continue
            if k == "asserted_by" and v == "author":
                continue
            if k == "who" and v in IMPLICIT_WHO:
                continue
            if any(n.lower() in PRONOUNS for n in as_list(v) if isinstance(n, str)):
                self.bad(where, f"{k} is a pronoun ({v!r}): give the name it stands for")
            if not in_text(text, v):
                self.bad(where, f"{k} {v!r} does not occur in the text")

    def record(self, where: str, rec: dict) -> None:
        self.n += 1
        rid = rec.get("id")
        if not isinstance(rid, str) or not re.fullmatch(r"tc-\d{4}", rid):
            self.bad(where, f"bad id {rid!r}")
        elif rid in self.ids:
            self.bad(where, f"duplicate id {rid}")
        else:
            self.ids.add(rid)
        where = f"{where} {rid}"
        for k in ("id", "published", "outlet", "text", "events", "claims", "casualties"):
            if k not in rec:
                self.bad(where, f"missing {k}")
                return
        try:
            dt.date.fromisoformat(rec["published"])
        except (TypeError, ValueError):
            self.bad(where, f"published is not an ISO date: {rec['published']!r}")
        if rec["outlet"] is not None and not isinstance(rec["outlet"], str):
            self.bad(where, "outlet must be a string or null")
        text = rec["text"]
        if not isinstance(text, str) or not text.strip():
            self.bad(where, "empty text")
            return
        if text in self.texts:
            self.bad(where, f"same text as {self.texts[text]}")
        self.texts.setdefault(text, str(rid))
        sents = sentences(text)
        if not 2 <= len(sents) <= 5:
            self.bad(where, f"{len(sents)} sentences (2 to 5 expected)")
        covered: list[tuple[int, int]] = []
        claim_spans: dict[str, list] = defaultdict(list)
        said_by: dict[str, list] = defaultdict(list)
        contents: list[tuple[int, int, str]] = []
        appeal_spans: list = []
        seen_events = set()

        for i, cl in enumerate(rec["claims"]):
            w = f"{where} claim {i}"
            self.n_claims += 1
            if set(cl) - CLAIM_KEYS - OPTIONAL or CLAIM_KEYS - set(cl):
                self.bad(w, f"keys {sorted(cl)}")
                continue
            if cl["kind"] not in KINDS:
                self.bad(w, f"unknown kind {cl['kind']!r}")
            sp = self.span(w, text, cl, "content")
            self.names(w, text, cl, ("speaker", "cue"), ())
            if sp:
                covered.append(sp)
                claim_spans[cl["kind"]].append(sp)
                said_by[cl["speaker"].lower()].append(sp)
                contents.append((sp[0], sp[1], cl["speaker"].lower()))
                if cl["cue"].lower() in cl["content"].lower().split(" ")[:1]:
                    self.bad(w, "content starts with the cue")
            self.c["kind"][cl["kind"]] += 1
            self.cues[cl["kind"]][cl["cue"].lower()] += 1

        def voice(w: str, sp: tuple[int, int], item: dict) -> None:
            # Whatever lies inside a claim's content is that speaker's (one of them, if claims nest).
            inside = {s for a, b, s in contents if a <= sp[0] and sp[1] <= b}
            if inside and item["asserted_by"].lower() not in inside:
                self.bad(w, f"asserted_by {item['asserted_by']!r}, but the evidence lies in what "
                            f"{' / '.join(sorted(inside))} said")

        for i, ev in enumerate(rec["events"]):
            w = f"{where} event {i}"
            self.n_events += 1
            if set(ev) - EVENT_KEYS - OPTIONAL or EVENT_KEYS - set(ev):
                self.bad(w, f"keys {sorted(ev)}")
                continue
            if ev["type"] not in TAXONOMY or ev["subtype"] not in TAXONOMY[ev["type"]]:
                self.bad(w, f"not in the taxonomy: {ev['type']}.{ev['subtype']}")
            if ev["modality"] not in MODALITIES:
                self.bad(w, f"unknown modality {ev['modality']!r}")
            self.names(w, text, ev, ("actor", "target", "asserted_by"), ("actor", "target"))
            sp = self.span(w, text, ev, "evidence_text")
            key = (ev["type"], ev["subtype"], ev.get("evidence_text"), ev.get("occurrence", 1))
            if key in seen_events:
                self.bad(w, "duplicate event")
            seen_events.add(key)
            if sp:
                covered.append(sp)
                voice(w, sp, ev)
                if ev["modality"] == "conditional" and not overlaps(sp, claim_spans["warning"]):
                    self.bad(w, "a conditional event must lie in a warning claim")
                if ev["asserted_by"] != "author" and not overlaps(sp, said_by[ev["asserted_by"].lower()]):
                    self.bad(w, f"an event voiced by {ev['asserted_by']!r} must lie in a claim of that speaker")
                if ev["modality"] == "conditional" and ev["asserted_by"] == "author":
                    self.bad(w, "a conditional event is somebody's warning, not the author's")
                if (ev["type"], ev["subtype"]) in (("diplomacy", "appeal"), ("movement", "displacement")):
                    appeal_spans.append(sp)  # an evacuation order is a displacement, not an appeal
            self.mentions(w, text, ev, covered)
            self.c["subtype"][f"{ev['type']}.{ev['subtype']}"] += 1
            self.c["event modality"][ev["modality"]] += 1
            self.c["subtype x modality"][(f"{ev['type']}.{ev['subtype']}", ev["modality"])] += 1
            self.c["event voice"]["author" if ev["asserted_by"] == "author" else "a source"] += 1
            self.c["actor null"]["actor given" if ev["actor"] else "actor null"] += 1
            if ev["type"] == "attack":
                for a in as_list(ev["actor"]):
                    self.c["attack actor"][a] += 1
                for t in as_list(ev["target"]):
                    self.c["attack target"][t] += 1

        for sp in claim_spans["demand"]:
            if not overlaps(sp, appeal_spans):
                self.bad(where, f"demand claim without an appeal (or evacuation) event: {text[sp[0]:sp[1]]!r}")

        for i, ca in enumerate(rec["casualties"]):
            w = f"{where} casualty {i}"
            self.n_cas += 1
            if set(ca) - CAS_KEYS - OPTIONAL or CAS_KEYS - set(ca):
                self.bad(w, f"keys {sorted(ca)}")
                continue
            if ca["status"] not in STATUSES:
                self.bad(w, f"unknown status {ca['status']!r}")
            if ca["qualifier"] not in QUALIFIERS:
                self.bad(w, f"unknown qualifier {ca['qualifier']!r}")
            if ca["modality"] not in MODALITIES:
                self.bad(w, f"unknown modality {ca['modality']!r}")
            cnt, mx = ca["count"], ca["count_max"]
            if not isinstance(cnt, int) or isinstance(cnt, bool) or cnt < 1:
                self.bad(w, f"count must be a positive integer: {cnt!r}")
                continue
            if mx is not None and (not isinstance(mx, int) or isinstance(mx, bool) or mx <= cnt):
                self.bad(w, f"count_max must be an integer above count: {mx!r}")
            self.names(w, text, ca, ("who", "perpetrator", "asserted_by"), ("perpetrator",))
            sp = self.span(w, text, ca, "evidence_text")
            if sp:
                covered.append(sp)
                voice(w, sp, ca)
                ev_text = text[sp[0]:sp[1]]
                nums = numbers_in(ev_text)
                if ca["asserted_by"] != "author" and not overlaps(sp, said_by[ca["asserted_by"].lower()]):
                    self.bad(w, f"a figure voiced by {ca['asserted_by']!r} must lie in a claim of that speaker")
                if cnt not in nums and not (cnt == 1 and (SINGULAR.search(ev_text) or not nums)):
                    self.bad(w, f"count {cnt} is not written in the evidence {ev_text!r}")
                if mx is not None and mx not in nums:
                    self.bad(w, f"count_max {mx} is not written in the evidence {ev_text!r}")
            self.mentions(w, text, ca, covered)
            self.c["casualty status"][ca["status"]] += 1
            self.c["casualty qualifier"][ca["qualifier"]] += 1
            self.c["casualty modality"][ca["modality"]] += 1
            self.c["casualty shape"]["range" if mx is not None else "single number"] += 1
            self.c["casualty shape"]["perpetrator given" if ca["perpetrator"] else "perpetrator null"] += 1
            self.c["casualty shape"]["voiced by a source" if ca["asserted_by"] != "author" else "author's voice"] += 1

        for a, b in sents:
            self.sent_total += 1
            if not overlaps((a, b), covered):
                self.sent_negative += 1

    def report(self) -> None:
        print(f"passages {self.n}, sentences {self.sent_total} "
              f"({self.sent_negative} with no annotation: negative examples), "
              f"events {self.n_events}, claims {self.n_claims}, casualty figures {self.n_cas}\n")
        print("Events per subtype (asserted/denied/planned/postponed/conditional/hypothetical)")
        for typ, subs in TAXONOMY.items():
            for sub in subs:
                key = f"{typ}.{sub}"
                per = "/".join(str(self.c["subtype x modality"][(key, m)]) for m in MODALITIES)
                print(f"  {key:36} {self.c['subtype'][key]:5}   {per}")
        print("\nClaim kinds (distinct cues; the most frequent)")
        for k in KINDS:
            top = ", ".join(c for c, _ in self.cues[k].most_common(6))
            print(f"  {k:16} {self.c['kind'][k]:5}   ({len(self.cues[k])} cues: {top})")
        for title, keys in (("Event modality", MODALITIES), ("Casualty modality", MODALITIES),
                            ("Casualty status", STATUSES), ("Casualty qualifier", QUALIFIERS)):
            counter = self.c[title.lower()]
            print(f"\n{title}")
            for k in keys:
                print(f"  {k:16} {counter[k]:5}")
        print("\nOther shapes")
        for k, v in sorted(self.c["casualty shape"].items()):
            print(f"  {k:24} {v:5}")
        for k, v in sorted(self.c["event voice"].items()):
            print(f"  event in {k:15} {v:5}")
        for k, v in sorted(self.c["actor null"].items()):
            print(f"  event {k:18} {v:5}")
        print("\nAttack events: the most frequent actors and targets (as written)")
        actors, targets = self.c["attack actor"], self.c["attack target"]
        names = sorted(set(actors) | set(targets), key=lambda n: -(actors[n] + targets[n]))[:25]
        for n in names:
            print(f"  {n:34} actor {actors[n]:3}  target {targets[n]:3}")


def as_list(v) -> list:
    return [] if v is None else (v if isinstance(v, list) else [v])


def overlaps(sp: tuple[int, int], spans: list) -> bool:
    return any(sp[0] < b and a < sp[1] for a, b in spans)


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    paths: list[Path] = []
    for a in argv or [str(here)]:
        p = Path(a)
        paths += sorted(p.glob("passages-*.jsonl")) if p.is_dir() else [p]
    if not paths:
        print("no passages-*.jsonl found", file=sys.stderr)
        return 1
    ck = Checker()
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{n}"
            if not line.strip():
                ck.bad(where, "empty line")
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                ck.bad(where, f"not JSON: {exc}")
                continue
            if not isinstance(rec, dict):
                ck.bad(where, "not an object")
                continue
            ck.record(where, rec)
    for p in ck.problems:
        print(p)
    if ck.problems:
        print(f"\n{len(ck.problems)} problems\n")
    ck.report()
    return 1 if ck.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
