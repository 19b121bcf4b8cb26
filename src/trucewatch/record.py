"""Assembling the article record (contract v1) from an article and the stages' output."""

from __future__ import annotations

from trucewatch import __version__
from trucewatch.context import Context
from trucewatch.models import Article, ArticleRecord
from trucewatch.stages.times import every_mention

EXTRACTOR = f"trucewatch/{__version__}"


def bare_record(article: Article) -> ArticleRecord:
    """The record of an article before (or without) NLP: anatomy and metadata only."""
    return ArticleRecord(
        id=article.id,
        outlet=article.outlet,
        url=article.url,
        published=article.published.isoformat() if article.published else None,
        title=article.title,
        dateline=article.dateline,
        captions=article.captions,
        text=article.text,
        published_at=article.published_at.isoformat() if article.published_at else None,
        language=article.language,
        source=article.source or None,
        standfirst_span=article.standfirst_span,
        extractor=EXTRACTOR,
    )


def build_record(ctx: Context) -> ArticleRecord:
    rec = bare_record(ctx.article)
    rec.claims = ctx.claims
    rec.events = ctx.events
    rec.casualties = ctx.casualties
    rec.places = ctx.places
    rec.times = every_mention(ctx.times)
    rec.voice = ctx.voice
    rec.framing = ctx.framing
    return rec


def record_of(doc) -> ArticleRecord:
    """The article record of a ``Doc`` analysed by the full pipeline (``doc._.tw_record``)."""
    return build_record(Context(doc))
