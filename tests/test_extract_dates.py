"""A page's date is its publication date, never the copyright year of its footer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from curation.extract import extract_article
from curation.page_preview import preview_page
from tests.feedserver import FeedServer, Route

BODY = (
    "<p>Les communautés en ligne vivent de questions ouvertes, de réponses rapides et de règles "
    "claires que chaque membre peut relire à tout moment dans la charte affichée en tête du groupe.</p>"
    "<p>Un rituel hebdomadaire installe l’habitude de revenir et donne aux plus discrets une occasion "
    "simple de prendre la parole devant les autres membres.</p>"
)


def page(dated: str = "", footer: str = "© 2026 Le Labo CM. Tous droits réservés.") -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Animer une communauté</title>'
        f"</head><body><article><h1>Animer une communauté</h1>{dated}{BODY}</article>"
        f"<footer><p>{footer}</p></footer></body></html>"
    )


@pytest.mark.parametrize("footer", ["© 2026 Le Labo CM", "Copyright 2025-2026 Le Labo CM", "(c) 2026"])
def test_a_copyright_year_is_not_a_publication_date(footer: str) -> None:
    assert extract_article(page(footer=footer), "https://labo.exemple.fr/animer").published is None


@pytest.mark.parametrize(
    "dated",
    [
        '<p class="date">Publié le 3 novembre 2026</p>',
        '<time datetime="2026-11-03">3 novembre 2026</time>',
        "<p>Publié le 03/11/2026 par Léa</p>",
    ],
)
def test_the_real_date_is_kept_beside_a_copyright_footer(dated: str) -> None:
    article = extract_article(page(dated), "https://labo.exemple.fr/animer")
    assert article.published is not None and article.published.date() == datetime(2026, 11, 3).date()


def test_pin_preview_of_a_page_with_only_a_copyright_year(feed_server: FeedServer) -> None:
    feed_server.add("/animer", Route(body=page().encode(), content_type="text/html; charset=utf-8"))
    preview = preview_page(feed_server.url("/animer"), allow_private=True)
    assert preview.title == "Animer une communauté"
    assert preview.published_at is None


def test_a_year_published_on_the_first_of_january_is_kept() -> None:
    meta = '<meta property="article:published_time" content="2026-01-01T09:00:00+01:00">'
    html = page().replace("</head>", f"{meta}</head>")
    assert extract_article(html).published == datetime(2026, 1, 1, 8, tzinfo=UTC)
