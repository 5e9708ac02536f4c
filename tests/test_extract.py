"""Article extraction on local pages, both extractors, metadata fallbacks, and extract_entry over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from curation.extract import extract_article, extract_entry
from curation.models import Entry
from tests.entry_factory import add_entry, add_feed
from tests.feedserver import Route
from workbench.db import session_scope
from workbench.errors import NotFound, UserError

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("extractor", ["trafilatura", "newspaper"])
def test_news_page_with_json_ld(extractor):
    article = extract_article(
        _page("news_jsonld.html"), "https://depeche.example/a/moderation", extractor=extractor
    )
    assert "vingt-quatre heures aux signalements" in article.text
    assert "registre des décisions" in article.text
    assert "cookies" not in article.text and "Le salaire des CM" not in article.text
    assert article.top_image == "https://depeche.example/images/moderation.jpg"
    assert article.published == datetime(2026, 11, 18, 6, 45, tzinfo=UTC)
    assert article.site_name == "La Dépêche Tech"
    assert article.language == "fr"
    assert "Modération" in article.title


@pytest.mark.parametrize("extractor", ["trafilatura", "newspaper"])
def test_blog_page_with_og_and_twitter_image(extractor):
    article = extract_article(_page("blog_og.html"), "https://cmweekly.example/angry", extractor=extractor)
    assert "first reply sets the tone" in article.text
    assert "Ten scheduling tools" not in article.text
    assert article.top_image == "https://cdn.cmweekly.example/covers/angry-comments.png"
    assert article.published == datetime(2026, 11, 17, 15, 0, tzinfo=UTC)
    assert article.site_name == "The CM Weekly"
    assert article.language == "en"  # no lang attribute: detected from the text


def test_empty_and_broken_input():
    assert extract_article("").text == ""
    assert extract_article("<html><body><p>").text == ""
    assert extract_article("\x00\x01 not html at all").title == ""
    with pytest.raises(UserError):
        extract_article("<p>x</p>", extractor="readability")  # type: ignore[arg-type]


def test_extract_entry_fetches_and_stores_text(db_url, people, feed_server):
    html = "text/html; charset=utf-8"
    page = feed_server.add("/a/moderation", Route(body=_page("news_jsonld.html").encode(), content_type=html))
    other = feed_server.add("/a/angry", Route(body=_page("blog_og.html").encode(), content_type=html))
    empty = feed_server.add("/a/empty", Route(body=b"<html><body></body></html>", content_type=html))
    with session_scope() as s:
        feed = add_feed(s, "Dépêche", user_id=people.alice.id)
        entry_id = add_entry(s, feed, "Modération", link=page).id
        empty_id = add_entry(s, feed, "Vide", link=empty).id
        private = add_feed(s, "Bob seul", user_id=people.bob.id)
        bob_entry = add_entry(s, private, "Privé", link=other).id
    with session_scope() as s:
        article = extract_entry(s, people.alice, entry_id)
        assert "registre des décisions" in article.text
    with session_scope() as s:
        entry = s.get(Entry, entry_id)
        assert "registre des décisions" in (entry.extracted_text or "")
        assert entry.image_url.endswith("/images/moderation.jpg")
    with session_scope() as s, pytest.raises(NotFound):
        extract_entry(s, people.alice, bob_entry)  # someone else's private feed
    with session_scope() as s, pytest.raises(UserError, match="Impossible de trouver le texte"):
        extract_entry(s, people.alice, empty_id)


# Real page layouts where the choice of settings shows (README, « Article text »): pages written
# here after the structure of real news pages, not copies of them.


def test_readers_comments_without_a_comment_class_are_left_out():
    """A regional news site lists readers' comments (author, « Il y a 28 minutes », text) in plain
    divs under the article: trafilatura's default took them for the article's end."""
    article = extract_article(_page("regional_comments.html"), "https://echo-littoral.example/a/port")
    assert article.text.startswith("Par Hélène Marchetti\nLe procureur de la République")
    assert "réunion publique en janvier." in article.text
    for comment in ("Il y a 28 minutes", "Enfin une décision de bon sens", "chantier naval", "Mentions"):
        assert comment not in article.text


def test_a_short_article_is_not_padded_by_the_fallback_extractors():
    """A public radio's short article followed by a « report an error » box: trafilatura's
    fallbacks (its readability port and jusText) found more text and added the box."""
    article = extract_article(_page("radio_newsletter.html"), "https://radio-vallees.example/info/granges")
    assert "deux personnes restaient portées disparues" in article.text
    assert "pluies exceptionnelles de l’automne" in article.text
    for boilerplate in ("Une erreur dans l’article", "Ctrl+Entrée", "Signaler une erreur", "cookies"):
        assert boilerplate not in article.text
    assert article.site_name == "Radio Vallées"


def test_a_comparison_table_inside_the_article_is_kept():
    """A tech site's comparison: the article's facts sit in a table (tool, price, accounts) between
    its paragraphs, a price widget in a table beside it. Leaving tables out dropped the comparison."""
    article = extract_article(_page("comparison_table.html"), "https://numerique-pratique.example/t/planif")
    assert "Programmer ses publications une semaine à l’avance" in article.text
    for cell in ("Socialoop", "29 €", "oui, dès l’offre Équipe", "gratuit jusqu’à 3 comptes"):
        assert cell in article.text
    assert "la validation à deux de Socialoop évite les fautes" in article.text
    for boilerplate in ("Casque sans fil", "Voir l’offre", "Les plus lus", "cookies", "Mentions légales"):
        assert boilerplate not in article.text


_NO_SITE_NAME = (
    "<html><head><title>Dix idées de posts</title>{canonical}</head><body><article><h1>Dix idées de posts</h1>"
    + "<p>Une rentrée se prépare avec des formats courts et des questions à la communauté.</p>" * 8
    + "</article></body></html>"
)


@pytest.mark.parametrize(
    ("url", "canonical", "site"),
    [
        ("https://exemple.fr:8443/idees", "", "exemple.fr"),  # the port is not the site's name
        ("https://WWW.Exemple.fr:8443/idees", "", "exemple.fr"),
        ("https://jean:secret@www.exemple.fr/idees", "", "exemple.fr"),  # nor the address's credentials
        ("https://w3.org/idees", "", "w3.org"),  # only « www. » is dropped
        ("http://127.0.0.1:8000/idees", "", "127.0.0.1"),
        (
            "https://miroir.exemple/a",
            '<link rel="canonical" href="https://www.blog.exemple:8080/idees">',
            "blog.exemple",
        ),
        (
            "https://miroir.exemple/a",
            '<meta property="og:url" content="javascript:alert(1)//x.fr">',
            "miroir.exemple",
        ),
    ],
)
def test_the_site_name_falls_back_to_the_host_without_port_or_www(url, canonical, site):
    """Without og:site_name the name shown for an article was the address's host as written, port
    included (« exemple.fr:8443 »), « www. » kept when capitalised, even a login's « jean:secret@ »."""
    article = extract_article(_NO_SITE_NAME.format(canonical=canonical), url)
    assert article.site_name == site


def test_a_site_name_the_page_gives_is_kept_as_given():
    page = _NO_SITE_NAME.format(canonical='<meta property="og:site_name" content="www.Exemple.fr:8443">')
    assert extract_article(page, "https://exemple.fr/idees").site_name == "www.Exemple.fr:8443"
