"""Running the stages over articles and documents.

:func:`analyse` is the whole extraction for one parsed article.  :class:`Extractor` streams
articles through ``nlp.pipe`` in batches; :func:`process_documents` goes from raw document
units to :class:`DocumentResult` objects, one per unit and in input order, turning every
failure into a rejection so a batch never stops for one bad document.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from trucewatch.components import FAILED, STAGES
from trucewatch.context import Context
from trucewatch.errors import RejectedDocument
from trucewatch.ingest import parse_document
from trucewatch.kb import KnowledgeBase, load_kb
from trucewatch.models import Article, ArticleRecord, Rejection, SourceDocument
from trucewatch.nlp import load_nlp
from trucewatch.record import bare_record, build_record

MAX_TEXT_CHARS = 1_000_000


def analyse_context(article: Article, doc: Doc, kb: KnowledgeBase | None = None) -> Context:
    """The extraction components' results on one article, as a :class:`Context`.

    ``doc`` is either already analysed by the full pipeline (it carries ``doc._.tw_*``) or only
    parsed by the base model (then the extraction components of :func:`load_nlp` run on it now).
    """
    if doc._.tw_article is None:
        doc._.tw_article = article
    if doc._.tw_framing is None:  # not yet through the extraction components
        nlp = load_nlp()
        for name in STAGES:
            doc = nlp.get_pipe(name)(doc)
    return Context(doc, kb)


def analyse(article: Article, doc: Doc, kb: KnowledgeBase | None = None) -> ArticleRecord:
    """The record of one article."""
    return build_record(analyse_context(article, doc, kb))


def make_doc(nlp: Language, article: Article) -> Doc:
    """The unparsed ``Doc`` of an article, carrying the article for the components."""
    doc = nlp.make_doc(article.text)
    doc._.tw_article = article
    return doc


def article_from_text(text: str, *, published: date | str | None = None, outlet: str | None = None,
                      id: str = "text") -> Article:
    """An Article from plain text (anatomy read as for a .txt file) - handy in tests and notebooks."""
    from trucewatch.ingest.plaintext import parse_text

    item = parse_text(text)
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(id=id, text=item.text, title=item.title, title_span=item.title_span,
                   standfirst_span=item.standfirst_span, body_start=item.body_start, captions=item.captions,
                   dateline=item.dateline, outlet=outlet or (item.dateline.agency if item.dateline else None),
                   published=published)


class Extractor:
    """Articles in, records out.  Loads the spaCy model and the KB once."""

    def __init__(self, nlp: Language | None = None, kb: KnowledgeBase | None = None, *,
                 use_nlp: bool = True, batch_size: int = 64) -> None:
        self.use_nlp = use_nlp
        self.batch_size = batch_size
        self._nlp = nlp
        self._kb = kb

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = load_kb()
        return self._kb

    def record(self, article: Article) -> ArticleRecord:
        return next(iter(self.records([article])))

    def doc(self, article: Article) -> Doc:
        """The analysed ``Doc`` of one article (every component's results on it)."""
        return self.nlp(make_doc(self.nlp, article))

    def context(self, article: Article) -> Context:
        """All stages run on one article, with the context kept (for tests and debugging)."""
        return Context(self.doc(article), self.kb)

    def text(self, text: str, *, published: date | str | None = None, outlet: str | None = None) -> Context:
        """Shortcut: analyse plain text as if read from a .txt file."""
        return self.context(article_from_text(text, published=published, outlet=outlet))

    def records(self, articles: Iterable[Article]) -> Iterator[ArticleRecord]:
        for _article, rec, _ctx in self.pipe((a, None) for a in articles):
            if isinstance(rec, Exception):
                raise rec
            yield rec

    def pipe(
        self, items: Iterable[tuple[Article, object]]
    ) -> Iterator[tuple[Article, ArticleRecord | Exception, object]]:
        """Stream (article, context) pairs; yield (article, record or error, context) in order."""
        if not self.use_nlp:
            for article, ctx in items:
                yield article, bare_record(article), ctx
            return
        nlp = self.nlp
        pending: deque[tuple[Article, object]] = deque()

        def docs() -> Iterator[Doc]:
            for article, ctx in items:
                pending.append((article, ctx))
                yield make_doc(nlp, article)

        for doc in nlp.pipe(docs(), batch_size=self.batch_size):
            article, ctx = pending.popleft()
            failed = doc.user_data.get(FAILED)  # a component raised on this document (see components)
            if failed is not None:
                yield article, RuntimeError(failed), ctx
                continue
            try:
                yield article, build_record(Context(doc, self.kb)), ctx
            except Exception as exc:
                yield article, exc, ctx


@dataclass
class DocumentResult:
    """What became of one document unit: its records, or why it was rejected."""

    document: SourceDocument | None
    records: list[ArticleRecord] = field(default_factory=list)
    rejection: Rejection | None = None
    expected: int = 0

    @property
    def name(self) -> str:
        if self.document is not None:
            return self.document.name
        return self.rejection.name if self.rejection else "?"


def _reject(doc: SourceDocument, reason: str) -> DocumentResult:
    return DocumentResult(document=doc, rejection=Rejection(name=doc.name, reason=reason, data=doc.data))


def process_documents(units: Iterable[SourceDocument | Rejection], extractor: Extractor,
                      skip: callable | None = None) -> Iterator[DocumentResult]:
    """Parse and analyse document units; yield one result per unit, in input order.

    ``skip(doc)`` may return True for units that need no work (already in the ledger); they
    come out as results with no records and no rejection.
    """
    pending: deque[DocumentResult] = deque()

    def feed() -> Iterator[tuple[Article, DocumentResult]]:
        for unit in units:
            if isinstance(unit, Rejection):
                pending.append(DocumentResult(document=None, rejection=unit))
                continue
            if skip is not None and skip(unit):
                pending.append(DocumentResult(document=unit))
                continue
            try:
                arts = parse_document(unit)
            except RejectedDocument as exc:
                pending.append(_reject(unit, str(exc)))
                continue
            except Exception as exc:  # a parser bug on hostile input is still one bad document
                pending.append(_reject(unit, f"could not be parsed ({type(exc).__name__}: {exc})"))
                continue
            too_long = [a for a in arts if len(a.text) > MAX_TEXT_CHARS]
            if too_long:
                pending.append(_reject(unit, f"article text too long for analysis "
                                             f"({len(too_long[0].text):,} characters > {MAX_TEXT_CHARS:,})"))
                continue
            res = DocumentResult(document=unit, expected=len(arts))
            pending.append(res)
            for a in arts:
                yield a, res

    for article, rec, res in extractor.pipe(feed()):
        assert isinstance(res, DocumentResult)
        if isinstance(rec, Exception):
            if res.rejection is None:
                res.rejection = Rejection(name=res.name, data=res.document.data if res.document else None,
                                          reason=f"extraction failed on {article.id} "
                                                 f"({type(rec).__name__}: {rec})")
            res.records.append(None)  # type: ignore[arg-type]
        else:
            res.records.append(rec)
        while pending and len(pending[0].records) >= pending[0].expected:
            yield _finalise(pending.popleft())
    while pending:
        yield _finalise(pending.popleft())


def _finalise(res: DocumentResult) -> DocumentResult:
    if res.rejection is not None:
        res.records = []
    return res
