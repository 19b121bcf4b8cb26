"""The trained components: their architecture, their configuration and where their weights live.

TruceWatch's trained components are spaCy ``spancat`` pipes that classify spans proposed by
the rule components (a ``preset_spans_suggester`` reads the candidates from a span group):

=======================  ===========================  ==========================================
component                classifies (span group)      labels
=======================  ===========================  ==========================================
tw_event_classifier      ``tw_trigger_windows``       event type/subtype (multi-label)
                         (each trigger with three     -> ``tw_event_labels``
                         words either side)
tw_claim_kinds           ``tw_claim_candidates``      claim kind (one label)
                         (a claim's cue and content)  -> ``tw_claim_kinds``
=======================  ===========================  ==========================================

Features cost almost nothing at run time: the base model's own token vectors (``doc.tensor``,
written by its ``tok2vec``: context-sensitive, already computed for the tagger and parser) are
concatenated with a small hash embedding of each token's lower-case form and lemma (the
words themselves), then pooled over the span (mean and max) and scored by a logistic layer.
The base model's weights are never changed.

Weights ship in the package (``trucewatch/weights/<component>/``, a spaCy pipeline folder
holding that one component); :func:`add_trained` adds every shipped one to a pipeline.
``make train`` rebuilds them (:mod:`trucewatch.train`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, concatenate

WEIGHTS_DIR = Path(__file__).parent / "weights"
TENSOR_WIDTH = 96  # width of en_core_web_sm's tok2vec output


@registry.layers("trucewatch.DocTensor.v1")
def doc_tensor(width: int = TENSOR_WIDTH) -> Model[list[Doc], list[Any]]:
    """The token vectors the pipeline's own ``tok2vec`` left on each ``Doc`` (read only)."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        ops = model.ops
        out = []
        for doc in docs:
            t = doc.tensor
            if t is None or getattr(t, "shape", (0,))[0] != len(doc) or t.shape[-1] != width:
                out.append(ops.alloc2f(len(doc), width))
            else:
                out.append(ops.asarray2f(t))
        return out, lambda d_out: []

    return Model("doc_tensor", forward, dims={"nO": width})


@registry.architectures("trucewatch.TensorTok2Vec.v1")
def tensor_tok2vec(width: int, rows: int, tensor_width: int = TENSOR_WIDTH,
                   use_tensor: bool = True) -> Model[list[Doc], list[Any]]:
    """``doc.tensor`` concatenated with a hash embedding of LOWER and LEMMA (``width`` wide);
    ``use_tensor=False``: the hash embedding alone (a bag of words)."""
    embed = registry.get("architectures", "spacy.MultiHashEmbed.v2")(
        width=width, attrs=["LOWER", "LEMMA"], rows=[rows, rows], include_static_vectors=False)
    if not use_tensor:
        return embed
    model = concatenate(doc_tensor(tensor_width), embed)
    model.set_dim("nO", width + tensor_width)
    return model


def spancat_config(candidates: str, output: str, *, single_label: bool = False, hidden: int = 128,
                   width: int = 64, rows: int = 5000, threshold: float = 0.05,
                   use_tensor: bool = True) -> dict[str, Any]:
    """The configuration of one of TruceWatch's span classifiers."""
    model = {
        "@architectures": "spacy.SpanCategorizer.v1",
        "tok2vec": {"@architectures": "trucewatch.TensorTok2Vec.v1", "width": width, "rows": rows,
                    "use_tensor": use_tensor},
        "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": hidden},
        "scorer": {"@layers": "spacy.Softmax.v2" if single_label else "spacy.LinearLogistic.v1"},
    }
    cfg: dict[str, Any] = {
        "spans_key": output,
        "suggester": {"@misc": "spacy.preset_spans_suggester.v1", "spans_key": candidates},
        "model": model,
    }
    if single_label:
        cfg["negative_weight"] = 1.0
        cfg["allow_overlap"] = True
    else:
        cfg["threshold"] = threshold
        cfg["max_positive"] = None
    return cfg


# name -> (factory, candidate span group, output span group, single label?, placed after)
TRAINED: dict[str, tuple[str, str, str, bool, str]] = {
    "tw_event_classifier": ("spancat", "tw_trigger_windows", "tw_event_labels", False, "tw_event_candidates"),
    "tw_claim_kinds": ("spancat_singlelabel", "tw_claim_candidates", "tw_claim_kinds", True, "tw_claims"),
}


def weights_path(name: str) -> Path:
    return WEIGHTS_DIR / name


def add_trained(nlp: Language, names: tuple[str, ...] | None = None) -> list[str]:
    """Add every shipped trained component (or those named) after its candidate component."""
    import spacy

    added = []
    for name, (_factory, _cands, _out, _single, after) in TRAINED.items():
        if names is not None and name not in names:
            continue
        path = weights_path(name)
        if name in nlp.pipe_names or not (path / "config.cfg").exists() or after not in nlp.pipe_names:
            continue
        source = spacy.load(path, exclude=["tokenizer", "vocab"])  # only the component is shipped
        nlp.add_pipe(name, source=source, after=after)
        added.append(name)
    return added
