"""Data types shared by every stage.

Two families live here:

* the *input* side: :class:`SourceDocument` (raw bytes as read from disk, stdin, a WARC
  record or a JSON line) and :class:`Article` (one news article with its anatomy, the text
  every span indexes into);
* the *output* side: the article record of contract v1 (``trucewatch/article@1``) and its
  items.  Field names and meanings follow ``docs/record.md``; items may carry more fields
  than the contract lists (knowledge-base ids, the span of the speaker, ...), never fewer.

Spans are ``(start, end)`` Python string offsets into ``Article.text``, end exclusive.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "trucewatch/article@1"

Span = tuple[int, int]

Mode = Literal["direct", "indirect", "mixed"]
Channel = Literal["statement", "telegram", "x", "press_conference", "interview", "television"]
ClaimKind = Literal[
    "assertion", "accusation", "responsibility", "denial", "offer", "refusal", "demand",
    "commitment", "warning",
]
Status = Literal["killed", "injured", "missing", "detained", "captive", "released"]
Qualifier = Literal["exact", "at_least", "more_than", "about", "up_to", "at_most"]
Modality = Literal["asserted", "denied", "planned", "postponed", "conditional", "hypothetical"]

EVENT_TAXONOMY: dict[str, tuple[str, ...]] = {
    "attack": ("airstrike", "shelling", "rocket_fire", "gunfire", "armed_clash", "raid", "demolition",
               "other"),
    "ceasefire": ("agreed", "took_effect", "extended", "ended", "violation_alleged",
                  "hostilities_resumed"),
    "exchange": ("captive_release", "prisoner_release", "body_handover", "body_recovery",
                 "offer_rejected"),
    "diplomacy": ("meeting", "negotiation", "mediation", "statement", "appeal"),
    "humanitarian": ("aid_entry", "aid_restriction", "crossing_closed", "crossing_opened",
                     "infrastructure_damage", "infrastructure_repair"),
    "movement": ("withdrawal", "deployment", "displacement", "return"),
    "detention": ("arrest", "detention", "release"),
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


# --------------------------------------------------------------------------- input side


class SourceDocument(_Model):
    """One unit of raw input, stored byte for byte in the ledger.

    A plain-text, HTML or feed file is one document; a JSON Lines file gives one document per
    line and a WARC file one per HTML response record, so that a broken line or a truncated
    record costs only itself.
    """

    name: str = Field(description="how errors and the ledger name it: a path, 'file.jsonl:7', ...")
    data: bytes
    kind: Literal["text", "html", "feed", "jsonl", "warc", "unknown"] = "unknown"
    base_id: str = Field(description="id of the article, or prefix of ids when it holds several")
    multi: bool = Field(default=False, description="ids get -1, -2, ... suffixes")
    index: int | None = Field(default=None, description="1-based position inside its container")
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    language: str | None = None
    content_type: str | None = None
    media_hint: str | None = Field(default=None, description="file name or URL used to sniff the format")


class Caption(_Model):
    text: str
    credit: str | None = None
    span: Span


class Dateline(_Model):
    place: str | None = None
    agency: str | None = None
    span: Span | None = None


class Article(_Model):
    """A news article ready for analysis: ``text`` is what every span indexes into."""

    id: str
    text: str
    title: str | None = None
    title_span: Span | None = None
    standfirst_span: Span | None = None
    body_start: int = 0
    dateline: Dateline | None = None
    captions: list[Caption] = Field(default_factory=list)
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    published_at: datetime | None = None
    language: str | None = None
    source: str = Field(default="", description="name of the document it came from")
    guid: str | None = None


# --------------------------------------------------------------------------- output side


PlaceRole = Literal["location", "dateline", "actor", "modifier", "adjective"]


class Place(_Model):
    mention: str
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    span: Span
    kb_id: str | None = None
    feature: str | None = Field(default=None, description="city, camp, neighbourhood, crossing, country ...")
    role: PlaceRole = Field(default="location", description=(
        "how the text uses the name: location (where something is or happens), dateline (where the "
        "report was filed), actor (a country or state named as the one acting: 'Israel accused ...'), "
        "modifier (a name qualifying a noun: 'US envoy', 'Texas Forest Service'), adjective ('Turkish')"))


class TimeExpr(_Model):
    mention: str
    value: str | None
    span: Span
    type: Literal["DATE", "TIME", "DURATION", "SET"] = "DATE"


class Claim(_Model):
    speaker: str | None
    speaker_affiliation: str | None = None
    cue: str | None = None
    mode: Mode = "indirect"
    channel: Channel | None = None
    kind: ClaimKind = "assertion"
    content: str
    content_span: Span
    speaker_span: Span | None = None
    cue_span: Span | None = None
    anonymous: bool = False
    speaker_id: str | None = Field(default=None, description="knowledge-base id of the speaker")


class Event(_Model):
    type: str
    subtype: str | None = None
    actor: str | None = None
    target: str | None = None
    places: list[str] = Field(default_factory=list)
    date: str | None = None
    asserted_by: str = "author"
    evidence: Span
    claim: int | None = Field(default=None, description="index of the claim that carries it")
    status: str | None = Field(default=None, description="planned, postponed, ... when not asserted as done")
    modality: Modality = "asserted"
    actor_basis: Literal["text", "agreement"] | None = Field(
        default=None, description="'agreement' when the actor is the party an agreement names, not the text")


class Casualty(_Model):
    status: Status
    count: int
    count_max: int | None = None
    qualifier: Qualifier = "exact"
    who: str | None = None
    place: str | None = None
    date: str | None = None
    perpetrator: str | None = None
    asserted_by: str = "author"
    evidence: Span
    claim: int | None = None
    modality: Modality = "asserted"


class SentenceVoice(_Model):
    span: Span
    voice: Literal["author", "attributed"]
    claim: int | None = None


class FramingTerm(_Model):
    term: str
    span: Span
    category: str
    leaning: str | None = None
    voice: Literal["author", "attributed"] = "author"


class ArticleRecord(_Model):
    """Contract v1 record (see docs/record.md)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: str = Field(default=SCHEMA_ID, alias="schema")
    id: str
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    title: str | None = None
    dateline: Dateline | None = None
    captions: list[Caption] = Field(default_factory=list)
    text: str
    claims: list[Claim] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    casualties: list[Casualty] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    times: list[TimeExpr] = Field(default_factory=list)
    # extras beyond the contract
    published_at: str | None = None
    language: str | None = None
    source: str | None = None
    standfirst_span: Span | None = None
    voice: list[SentenceVoice] = Field(default_factory=list)
    framing: list[FramingTerm] = Field(default_factory=list)
    extractor: str | None = None

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class Rejection(_Model):
    """A document (or part of one) that could not be read."""

    name: str
    reason: str
    data: bytes | None = None
    sha256: str | None = None

    def line(self) -> str:
        """The one-line message for stderr; names and reasons escaped (a file name cannot start a
        line of its own or send escape sequences to the terminal)."""
        from trucewatch.errors import printable

        return f"rejected: {printable(self.name)}: {printable(self.reason)}"
