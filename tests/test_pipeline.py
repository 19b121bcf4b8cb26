"""The pipeline wiring: stages see one context, records carry what the stages produced."""

from trucewatch.pipeline import article_from_text


def test_analyse_fixture_runs_every_stage(analyse):
    ctx = analyse("Truce holds\n\nGAZA (Harbour Post) - The truce held in Rafah on Monday, officials said.\n",
                  published="2025-01-20")
    assert ctx.article.published.isoformat() == "2025-01-20"
    assert ctx.article.dateline.place == "Gaza"
    assert any(p.mention == "Rafah" for p in ctx.places)
    assert any(t.mention == "Monday" for t in ctx.times)


def test_article_from_text_reads_anatomy():
    a = article_from_text("Headline\nStandfirst line\n\nCAIRO (Harbour Post) - Body.\n", published="2025-01-19")
    assert a.title == "Headline"
    assert a.outlet == "Harbour Post"
    assert a.text[slice(*a.standfirst_span)] == "Standfirst line"
