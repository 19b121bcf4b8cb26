"""The extraction stages as spaCy components: what they write on the Doc, and spaCy's tools on them."""

from __future__ import annotations

import pytest
from spacy import displacy

from trucewatch.components import FAILED, STAGES
from trucewatch.models import Claim
from trucewatch.nlp import load_nlp
from trucewatch.pipeline import Extractor, article_from_text

pytestmark = pytest.mark.slow

TEXT = ("Port officials said on Monday that two rockets struck a warehouse in Ashkelon, "
        "injuring four workers.")


def test_pipeline_lists_every_extraction_component_in_order():
    names = load_nlp().pipe_names
    positions = [names.index(s) for s in STAGES]
    assert positions == sorted(positions)
    assert names.index("tw_paragraph_breaks") < names.index("parser") < positions[0]


def test_components_write_extensions_and_span_groups():
    doc = load_nlp()(TEXT)
    (claim,) = doc._.tw_claims
    assert isinstance(claim, Claim) and claim.speaker == "Port officials"
    assert [s.text for s in doc.spans["tw_places"]] == ["Ashkelon"]
    assert [s.label_ for s in doc.spans["tw_casualties"]] == ["injured"]
    assert [s.text for s in doc.spans["tw_cues"]] == ["said"]
    assert doc.spans["tw_events"][0].label_ == "attack/rocket_fire"
    # the record is assembled from the Doc
    rec = doc._.tw_record
    assert [c.count for c in rec.casualties] == [4] and rec.events[0].asserted_by == "Port officials"


def test_article_metadata_travels_on_the_doc():
    nlp = load_nlp()
    article = article_from_text(TEXT, published="2025-02-03")
    doc = nlp.make_doc(article.text)
    doc._.tw_article = article
    doc = nlp(doc)
    assert [t.value for t in doc._.tw_times] == ["2025-02-03"]
    assert doc._.tw_record.published == "2025-02-03"


def test_multiprocess_pipe_carries_the_items_between_processes():
    nlp = load_nlp()
    texts = [TEXT, "Medics said three people were killed in Rafah."]
    one = [d._.tw_record.model_dump() for d in nlp.pipe(texts)]
    two = [d._.tw_record.model_dump() for d in nlp.pipe(texts, n_process=2)]
    assert one == two and [len(r["casualties"]) for r in two] == [1, 1]


def test_displacy_renders_a_span_group():
    html = displacy.render(load_nlp()(TEXT), style="span", options={"spans_key": "tw_places"})
    assert "Ashkelon" in html


def test_a_failing_component_costs_only_its_document(monkeypatch):
    nlp = load_nlp()
    proc = nlp.get_pipe("tw_casualties")
    real = proc._run

    def brittle(ctx):
        if "explode" in ctx.text:
            raise ValueError("boom")
        real(ctx)

    monkeypatch.setattr(proc, "_run", brittle)
    docs = list(nlp.pipe(["Medics said two people were killed.", "This one will explode.", TEXT]))
    assert [FAILED in d.user_data for d in docs] == [False, True, False]
    assert "tw_casualties: ValueError: boom" in docs[1].user_data[FAILED]
    assert docs[1]._.tw_framing is None  # later components skip the failed document
    # the extractor turns it into that article's error and goes on
    arts = [article_from_text(t, id=f"a{i}") for i, t in enumerate(["Medics said two were killed.",
                                                                     "This one will explode.", TEXT])]
    out = [(a.id, type(r).__name__) for a, r, _ in Extractor(nlp=nlp).pipe((a, None) for a in arts)]
    assert out == [("a0", "ArticleRecord"), ("a1", "RuntimeError"), ("a2", "ArticleRecord")]


def test_a_component_can_be_replaced():
    from spacy.language import Language

    nlp = load_nlp.__wrapped__()  # a private copy: the shared pipeline stays as it is

    @Language.component("test_no_places")
    def no_places(doc):
        doc._.tw_places = []
        doc.spans["tw_places"] = []
        return doc

    nlp.replace_pipe("tw_places", "test_no_places")
    doc = nlp(TEXT)
    assert doc._.tw_places == [] and doc._.tw_record.places == []


def test_a_document_over_the_time_budget_is_rejected_by_name(monkeypatch, tmp_path):
    # a budget of zero seconds: every document runs out of time before the first extraction stage
    from trucewatch import api

    monkeypatch.setenv("TRUCEWATCH_DOC_SECONDS", "0")
    f = tmp_path / "slow-report.txt"
    f.write_text("Shelling hit the port\n\nTwo fishermen were wounded when shells hit the port on Monday.\n")
    (res,) = list(api.extract([str(f)], extractor=Extractor(nlp=load_nlp())))
    assert res.rejection is not None and not res.records
    assert "slow-report.txt" in res.rejection.line() and "time budget" in res.rejection.reason
    monkeypatch.setenv("TRUCEWATCH_DOC_SECONDS", "120")
    (res,) = list(api.extract([str(f)], extractor=Extractor(nlp=load_nlp())))
    assert res.rejection is None and res.records[0].casualties
