"""Translating a web page pasted by its address: the one HTTP client fetches it, the article
extractor keeps its text, the translation service does the rest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from trafilatura.utils import decode_file

from curation.extract import Article, extract_article
from curation.fetch import fetch_url
from curation.translation.providers import ProviderConfig
from curation.translation.service import Progress, TranslationRun, translate_texts
from workbench.access import Actor
from workbench.errors import UserError


@dataclass
class PageTranslation:
    article: Article
    run: TranslationRun  # the title first, then the article's paragraphs


def translate_url(
    session: Session,
    url: str,
    *,
    actor: Actor | None = None,
    target: str = "fr",
    config: ProviderConfig | None = None,
    progress: Progress | None = None,
) -> PageTranslation:
    """Fetch, extract and translate a page; ``FetchError`` (French) when it cannot be fetched."""
    result = fetch_url(url.strip(), accept="text/html,application/xhtml+xml")
    article = extract_article(decode_file(result.content), result.final_url or url)
    paragraphs = [line.strip() for line in article.text.split("\n") if line.strip()]
    if not paragraphs:
        raise UserError(
            "Impossible de trouver le texte d’un article sur cette page\u00a0: copiez-collez le texte à traduire."
        )
    run = translate_texts(
        session,
        [article.title, *paragraphs] if article.title else paragraphs,
        source=article.language or "auto",
        target=target,
        actor=actor,
        config=config,
        progress=progress,
    )
    return PageTranslation(article, run)
