"""Pinning any pasted URL: pages served on 127.0.0.1, fetched by the one client and extracted.

Whatever cannot be fetched (blocked address, timeout, error, not HTML, no image) still gives a pin
with what is known and a French message; nothing is lost.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from curation import boards, fetch, page_preview, pins
from curation.fetch import FetchError
from tests.feedserver import FeedServer, Route
from workbench.db import session_scope
from workbench.errors import AccessDenied
from workbench.settings import get_settings

HTML = "text/html; charset=utf-8"
ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Réseaux sociaux : les chiffres 2026 | Le Journal du CM</title>
<meta property="og:title" content="Réseaux sociaux : les chiffres 2026">
<meta property="og:site_name" content="Le Journal du CM">
<meta property="og:image" content="/images/chiffres.png">
<meta name="description" content="Tous les chiffres clés des réseaux sociaux en France.">
<meta property="article:published_time" content="2026-11-02T08:00:00+01:00">
</head><body><article><h1>Réseaux sociaux : les chiffres 2026</h1>
<p>En 2026, 52 millions de Français utilisent au moins un réseau social chaque mois, selon
la dernière étude annuelle publiée cette semaine. Instagram progresse chez les 25-34 ans.</p>
<p>TikTok reste le réseau le plus utilisé par les 15-24 ans, devant Snapchat et Instagram, et
LinkedIn dépasse 30 millions de membres en France. Les marques publient davantage de vidéos courtes.</p>
</article></body></html>"""
NO_IMAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Un tuto sans image</title></head>
<body><article><h1>Un tuto sans image</h1><p>Programmer ses publications : la méthode pas à pas, pour
gagner du temps chaque semaine et garder une ligne éditoriale régulière sur tous les réseaux.</p>
<p>Commencez par un calendrier éditorial partagé avec l’équipe, puis choisissez vos créneaux.</p></article></body></html>"""

HOME = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Site</title></head>
<body><nav><ul><li><a href="/article">Les chiffres 2026</a></li><li><a href="/tuto">Un tuto</a></li></ul></nav>
</body></html>"""


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


@pytest.fixture
def server(feed_server: FeedServer) -> FeedServer:
    feed_server.add("/article", Route(body=ARTICLE.encode(), content_type=HTML))
    feed_server.add("/tuto", Route(body=NO_IMAGE.encode(), content_type=HTML))
    feed_server.add("/", Route(body=HOME.encode(), content_type=HTML))
    feed_server.add("/rapport.pdf", Route(body=b"%PDF-1.7 ...", content_type="application/pdf"))
    feed_server.add("/photo.png", Route(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"))
    feed_server.add("/moved", Route(redirect="/article", status=301))
    return feed_server


def test_pin_from_a_page_with_image(people, server) -> None:
    outcome = run(
        pins.pin_url, people.alice, server.url("/article?utm_source=x"), note="Chiffres pour la rentrée"
    )
    pin = outcome.pin
    assert outcome.messages == ()
    assert pin.title == "Réseaux sociaux : les chiffres 2026"
    assert pin.url == server.url("/article")  # canonical, tracking dropped
    assert pin.image_url == server.url("/images/chiffres.png")  # made absolute
    assert pin.site_name == "Le Journal du CM"
    assert "52 millions" in pin.description or "chiffres clés" in pin.description
    assert pin.published_at is not None and pin.published_at.date().isoformat() == "2026-11-02"
    assert pin.credit == "Source\u00a0: Le Journal du CM"
    assert pin.note == "Chiffres pour la rentrée"
    assert run(boards.list_my_boards, people.alice)[0].title == "Mes épingles"


def test_pin_follows_redirects(people, server) -> None:
    pin = run(pins.pin_url, people.alice, server.url("/moved")).pin
    assert pin.url == server.url("/article") and pin.title.startswith("Réseaux sociaux")


def test_pin_from_a_page_without_image(people, server) -> None:
    outcome = run(pins.pin_url, people.alice, server.url("/tuto"))
    assert outcome.pin.title == "Un tuto sans image"
    assert outcome.pin.image_url == ""
    assert "Programmer ses publications" in outcome.pin.description
    assert len(outcome.messages) == 1 and "Aucune image" in outcome.messages[0]
    assert outcome.pin.fetch_note == outcome.messages[0]


def test_pin_from_a_site_page_without_an_article_keeps_the_pages_title(people, server) -> None:
    # A home page (links, no article text): its <title> is still the pin's title, not the host.
    outcome = run(pins.pin_url, people.alice, server.url("/"))
    assert outcome.pin.title == "Site"


def test_the_source_is_named_once_on_the_card_and_in_the_markdown(people, server) -> None:
    from curation.board_export import to_markdown
    from curation.masonry import card_html

    pin = run(pins.pin_url, people.alice, server.url("/article")).pin
    assert pin.credit == "Source\u00a0: Le Journal du CM"  # kept for the CSV and the pin's form
    assert card_html(pin).count("Le Journal du CM") == 1
    board = run(boards.get_board, people.alice, pin.board_id)
    assert to_markdown(board, [pin]).count("Le Journal du CM") == 1
    # A credit that says more than the site's name (an author) is still shown.
    signed = run(
        pins.update_pin,
        people.alice,
        pin.id,
        replace(pins.pin_data(pin), credit="Source : Le Journal du CM (Léa)"),
    )
    assert "(Léa)" in card_html(signed) and "(Léa)" in to_markdown(board, [signed])


def test_pin_from_a_file_that_is_not_html(people, server) -> None:
    outcome = run(pins.pin_url, people.alice, server.url("/rapport.pdf"))
    assert outcome.pin.url == server.url("/rapport.pdf")
    assert outcome.pin.title == "127.0.0.1"
    assert "n’est pas une page web" in outcome.messages[0] and "application/pdf" in outcome.messages[0]


def test_pin_from_an_image_uses_it_as_illustration(people, server) -> None:
    outcome = run(pins.pin_url, people.alice, server.url("/photo.png"))
    assert outcome.pin.image_url == server.url("/photo.png")
    assert "image" in outcome.messages[0]


def test_pin_from_a_missing_page_keeps_the_address(people, server) -> None:
    outcome = run(pins.pin_url, people.alice, server.url("/nope"))
    assert outcome.pin.url == server.url("/nope")
    assert "404" in outcome.messages[0] and "complétez" in outcome.messages[0]


def test_pin_after_a_timeout(people, server, monkeypatch) -> None:
    monkeypatch.setenv("ATELIER_FETCH_TOTAL_TIMEOUT_S", "0.5")
    get_settings.cache_clear()
    server.add("/slow", Route(body=ARTICLE.encode(), content_type=HTML, delay_s=3))
    outcome = run(pins.pin_url, people.alice, server.url("/slow"))
    assert outcome.pin.url == server.url("/slow")
    assert "n’a pas pu être lue" in outcome.messages[0]


def test_redirect_to_a_private_address_is_blocked_but_the_pin_is_kept(people, server, monkeypatch) -> None:
    """Private networks NOT allowed here; the test server is declared public, its redirect leads inside."""
    monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "0")
    get_settings.cache_clear()
    monkeypatch.setattr(fetch, "is_public_address", lambda address: address == "127.0.0.1")
    monkeypatch.setattr(
        fetch,
        "resolve_host",
        lambda host, port: {"public.example.com": ["127.0.0.1"]}.get(host, ["10.0.0.5"]),
    )
    server.add("/to-inside", Route(redirect="http://intranet.example.com/admin", status=302))
    url = server.url("/to-inside").replace("127.0.0.1", "public.example.com")
    outcome = run(pins.pin_url, people.alice, url)
    assert server.hits["/to-inside"] == 1
    assert outcome.pin.url == url and outcome.pin.title == "public.example.com"
    assert "n’a pas pu être lue" in outcome.messages[0]
    assert "Adresse privée refusée" in outcome.messages[0]


def test_private_address_is_refused_when_not_allowed(people, server, monkeypatch) -> None:
    monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "0")
    get_settings.cache_clear()
    outcome = run(pins.pin_url, people.alice, server.url("/article"))
    assert server.hits["/article"] == 0  # nothing was requested
    assert outcome.pin.url == server.url("/article")
    assert "Adresse privée refusée" in outcome.messages[0]


def test_not_a_web_address_is_refused_without_a_pin(people, server) -> None:
    for bad in ("ftp://exemple.fr/x", "javascript:alert(1)", "pas une adresse"):
        with pytest.raises(FetchError):
            run(pins.pin_url, people.alice, bad)
    assert run(pins.search_pins, people.alice) == []


def test_pin_url_on_someone_elses_board_is_refused_before_fetching(people, server) -> None:
    board = run(boards.create_board, people.bob, "Bob")
    with pytest.raises(AccessDenied):
        run(pins.pin_url, people.alice, server.url("/article"), board_id=board.id)
    assert server.hits["/article"] == 0


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.blogdumoderateur.com/article", "blogdumoderateur.com"),
        ("https://exemple.fr:8443/a", "exemple.fr"),
        ("http://[::1/oups", ""),  # an unclosed IPv6 bracket: urlsplit raises ValueError
        ("", ""),
    ],
)
def test_one_site_name_for_previews_and_pins(url, site):
    """``pins._host`` repeated ``page_preview.site_of`` (with the ValueError guard the latter lacked):
    a pin's credit and title and a page preview's site now come from ``site_of`` alone."""
    assert page_preview.site_of(url) == site
    assert pins.credit_line("", url=url) == (f"Source\u00a0: {site}" if site else "")
    assert not hasattr(pins, "_host")
