"""Training one of TruceWatch's span classifiers (see :mod:`trucewatch.ml`) on prepared examples.

An example is a document the rule pipeline has analysed (so it carries the base model's token
vectors and the candidate span group) paired with a copy whose output span group holds the gold
labels of those candidates.  Training runs on the CPU, single-threaded and seeded, so the same
sources give the same weights.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from trucewatch.ml import TRAINED, spancat_config


@dataclass
class Labelled:
    """A candidate span (token bounds) of a document and its gold labels (empty: a negative)."""

    start: int
    end: int
    labels: tuple[str, ...]


def example(doc: Doc, candidates_key: str, output_key: str, labelled: list[Labelled]) -> Example:
    """A training example: only the labelled candidates are proposed; the reference holds their labels."""
    pred = doc.copy()
    pred.spans[candidates_key] = [Span(pred, x.start, x.end, label="CANDIDATE") for x in labelled]
    if output_key in pred.spans:
        del pred.spans[output_key]
    ref = doc.copy()
    ref.spans[output_key] = [Span(ref, x.start, x.end, label=lab) for x in labelled for lab in x.labels]
    return Example(pred, ref)


def train(name: str, examples: list[Example], *, epochs: int = 20, seed: int = 0, dropout: float = 0.1,
          batch_size: int = 16, vocab_from: Language | None = None,
          log: Callable[[str], None] | None = None, **config) -> Language:
    """A pipeline holding only the trained component ``name`` (ready for ``to_disk``)."""
    factory, candidates, output, single, _after = TRAINED[name]
    fix_random_seed(seed)
    nlp = spacy.blank("en", vocab=vocab_from.vocab if vocab_from is not None else True)
    nlp.add_pipe(factory, name=name, config=spancat_config(candidates, output, single_label=single, **config))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    order = list(examples)
    for epoch in range(epochs):
        rng.shuffle(order)
        losses: dict[str, float] = {}
        t0 = time.perf_counter()
        for batch in minibatch(order, size=batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
        if log:
            log(f"  {name} epoch {epoch + 1}/{epochs}: loss {losses.get(name, 0.0):.3f} "
                f"({time.perf_counter() - t0:.1f}s)")
    return nlp
