"""The state that flows through the extraction stages for one article.

Each stage is a function ``extract(ctx) -> items`` that reads the article, the parsed spaCy
``Doc``, the knowledge base and what earlier stages produced, and returns new data; the
pipeline stores the result on the context for the stages after it.  No stage does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from trucewatch.kb import KnowledgeBase, Mention
from trucewatch.models import Article, Casualty, Claim, Event, FramingTerm, Place, SentenceVoice, TimeExpr


@dataclass
class Context:
    article: Article
    doc: Doc
    kb: KnowledgeBase
    mentions: list[Mention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    voice: list[SentenceVoice] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    framing: list[FramingTerm] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text
