"""What the extraction components know about one article, read from and written to its ``Doc``.

Every extraction stage is a registered spaCy component (:mod:`trucewatch.components`) that
writes its results on the ``Doc``: lists of record items in ``Doc._`` extensions
(``doc._.tw_claims``, ``doc._.tw_events`` ...) and span groups (``doc.spans["tw_claims"]`` ...).
:class:`Context` is the stages' view of a ``Doc``: ``ctx.claims`` reads ``doc._.tw_claims``,
``ctx.claims = [...]`` writes it, so a stage reads what earlier components wrote and a user who
replaces a component only has to write the same extensions.

The article being analysed (its metadata: publication date, headline span, dateline, outlet)
travels on the ``Doc`` as ``doc._.tw_article``; a ``Doc`` made from a bare string gets an
article holding just its text.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from trucewatch.kb import KnowledgeBase, load_kb
from trucewatch.models import Article

# the extensions every component reads or writes (name -> what it holds)
EXTENSIONS: dict[str, str] = {
    "tw_article": "the Article being analysed (metadata, anatomy); set before the pipeline runs",
    "tw_mentions": "knowledge-base mentions (trucewatch.kb.Mention) found by tw_linker",
    "tw_places": "Place items (tw_places)",
    "tw_times": "TimeExpr items, every occurrence (tw_times)",
    "tw_claims": "Claim items (tw_claims)",
    "tw_voice": "SentenceVoice items: whose voice each sentence speaks in (tw_claims)",
    "tw_casualties": "Casualty items (tw_casualties)",
    "tw_events": "Event items (tw_events)",
    "tw_framing": "FramingTerm items (tw_framing)",
}


def register_extensions() -> None:
    """Register the ``Doc._.tw_*`` extensions (idempotent)."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


class Context:
    """A stage's view of one analysed ``Doc`` (see the module docstring)."""

    __slots__ = ("doc", "kb")

    def __init__(self, doc: Doc, kb: KnowledgeBase | None = None) -> None:
        self.doc = doc
        self.kb = kb if kb is not None else load_kb()

    @property
    def article(self) -> Article:
        art = self.doc._.tw_article
        if art is None:
            art = Article(id="doc", text=self.doc.text)
            self.doc._.tw_article = art
        return art

    @property
    def text(self) -> str:
        return self.article.text

    def _get(self, name: str) -> list[Any]:
        value = getattr(self.doc._, name)
        return value if value is not None else []

    mentions = property(lambda self: self._get("tw_mentions"),
                        lambda self, v: setattr(self.doc._, "tw_mentions", v))
    places = property(lambda self: self._get("tw_places"), lambda self, v: setattr(self.doc._, "tw_places", v))
    times = property(lambda self: self._get("tw_times"), lambda self, v: setattr(self.doc._, "tw_times", v))
    claims = property(lambda self: self._get("tw_claims"), lambda self, v: setattr(self.doc._, "tw_claims", v))
    voice = property(lambda self: self._get("tw_voice"), lambda self, v: setattr(self.doc._, "tw_voice", v))
    casualties = property(lambda self: self._get("tw_casualties"),
                          lambda self, v: setattr(self.doc._, "tw_casualties", v))
    events = property(lambda self: self._get("tw_events"), lambda self, v: setattr(self.doc._, "tw_events", v))
    framing = property(lambda self: self._get("tw_framing"), lambda self, v: setattr(self.doc._, "tw_framing", v))


# --------------------------------------------------------------------------- serialisation
# ``Doc.to_bytes`` (used by ``nlp.pipe(..., n_process=2)`` to send documents between processes)
# writes ``Doc._`` values with msgpack; these hooks let it carry TruceWatch's record items.

def _encode(obj: Any, chain: Any = None) -> Any:
    from dataclasses import asdict, is_dataclass

    from trucewatch.kb import Mention
    from trucewatch.models import _Model

    if isinstance(obj, _Model):
        return {"__tw__": type(obj).__name__, "d": obj.model_dump(mode="json", by_alias=True)}
    if is_dataclass(obj) and isinstance(obj, Mention):
        return {"__tw__": "Mention", "d": asdict(obj)}
    return obj if chain is None else chain(obj)


def _decode(obj: Any, chain: Any = None) -> Any:
    if isinstance(obj, dict) and "__tw__" in obj:
        from trucewatch import models
        from trucewatch.kb import Mention

        name, data = obj["__tw__"], obj["d"]
        if name == "Mention":
            return Mention(**data)
        return getattr(models, name).model_validate(data)
    return obj if chain is None else chain(obj)


def _register_msgpack() -> None:
    from srsly import msgpack_decoders, msgpack_encoders

    if "trucewatch" not in msgpack_encoders.get_all():
        msgpack_encoders.register("trucewatch", func=_encode)
        msgpack_decoders.register("trucewatch", func=_decode)


_register_msgpack()
