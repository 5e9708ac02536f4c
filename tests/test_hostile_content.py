"""Outside content never reaches the server's files and never becomes markup (issue: a hostile feed).

Addresses: one rule (``web_url``) where entries are normalised and again where they are shown.
Text: ``markdown_text``/``markdown_link`` make it inert, and the real pages are checked with a
Markdown parser for anything that came alive (``tests.hostile``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text

from curation.bundled_images import DEMO_IMAGE_URL, image_file, stored_image
from curation.models import Entry, Feed
from curation.parse import parse_feed
from curation.sanitize import markdown_link, markdown_text
from curation.store import store_entries
from curation.stories import group_new_entries
from curation.urls import web_url
from tests.apptest import run_app, run_page, wall_cards
from tests.entry_factory import add_entry, add_feed
from tests.hostile import TRACKER, address_payloads, inert_problems, page_problems, text_payloads
from workbench import db as wdb
from workbench.db import session_scope

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
BREAKOUT = f"http://h/a)![x](http://{TRACKER}/t.png)"


# --- the address rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "/etc/hostname",
        "/some/file.svg",
        "file:///etc/passwd",
        "java\tscript:alert(1)",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,iVBORw0KGgo=",
        "gopher://127.0.0.1/x",
        "//tracker.test/x.png",
        "http:/relative",
        "http://",
        'http://h/x.png" onerror="alert(1)',
        "http://h/a b.png",
        "http://h:99999/x",
        "\\\\server\\share\\x.png",
    ],
)
def test_an_address_that_is_not_http_is_dropped(address):
    assert web_url(address) == ""
    assert stored_image(address) == ""
    assert image_file(address) == ""


def test_relative_addresses_are_resolved_against_the_document_first():
    assert web_url("/img/a.png", "https://media.example/article/1") == "https://media.example/img/a.png"
    assert web_url("/img/a.png", "not-a-url") == ""
    assert stored_image("a.png", "https://media.example/x/") == "https://media.example/x/a.png"


def test_a_bundled_picture_is_given_to_st_image_as_the_apps_own_file():
    bundled = next(iter(sorted(DEMO_IMAGE_URL + p.name for p in image_file_dir())))
    assert str(image_file(bundled)).endswith(bundled.rsplit("/", 1)[1])
    assert image_file("/app/static/demo/../../.streamlit/secrets.toml") == ""


def image_file_dir():
    from curation.bundled_images import DEMO_IMAGE_DIR

    return DEMO_IMAGE_DIR.glob("*.svg")


# --- parsing: every feed format ---------------------------------------------------------------

RSS = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Hostile</title>
<link>javascript:alert(1)</link>
<item><title>Media content</title><link>/etc/hostname</link><guid>a</guid>
<media:content url="/some/file.svg" medium="image"/></item>
<item><title>Enclosure</title><link>not a link</link><guid>b</guid>
<enclosure url="/some/file.png" type="image/png" length="1"/></item>
<item><title>Thumbnail</title><link>{BREAKOUT}</link><guid>c</guid>
<media:thumbnail url="file:///etc/passwd"/><description>&lt;img src="/etc/hostname"&gt;</description></item>
</channel></rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hostile Atom</title><id>urn:x</id>
<entry><title>Atom</title><id>urn:1</id><link href="data:text/html,x"/>
<link rel="enclosure" href="/etc/hostname" type="image/png"/><summary>s</summary></entry>
</feed>"""


def _json_feed() -> bytes:
    item = {"id": "1", "title": "JSON", "url": "file:///etc/passwd", "image": "/etc/hostname"}
    attached = {
        "id": "2",
        "title": "JSON 2",
        "url": "java\tscript:x",
        "attachments": [{"url": "/some/file.png", "mime_type": "image/png"}],
    }
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [item, attached]}
    ).encode()


@pytest.mark.parametrize(
    ("document", "url"),
    [(RSS, "https://feed.example/rss"), (ATOM, "https://feed.example/atom"), (_json_feed(), "")],
    ids=["rss", "atom", "json"],
)
def test_local_paths_and_other_schemes_do_not_survive_parsing(document, url):
    feed = parse_feed(document, url=url)
    assert feed.entries
    for entry in feed.entries:
        assert entry.image_url == "" or web_url(entry.image_url) == entry.image_url, entry
        assert entry.link == "" or web_url(entry.link) == entry.link, entry
    assert feed.site_url == ""


def test_the_breakout_link_is_kept_as_an_address_but_shown_inert():
    feed = parse_feed(RSS, url="https://feed.example/rss")
    kept = next(e for e in feed.entries if e.title == "Thumbnail")
    assert kept.link == BREAKOUT  # a valid http address: kept, and made inert where shown
    shown = markdown_link("Média", kept.link)
    assert inert_problems(shown) == [] and "](http://h/a%29!%5Bx%5D%28http" in shown


# --- Markdown --------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", text_payloads())
def test_every_text_payload_is_inert_once_escaped(payload):
    assert inert_problems(markdown_text(payload)) == []
    assert inert_problems(f"- {markdown_link(payload, payload)} · **{markdown_text(payload)}**") == []


def test_the_oracle_sees_live_markup():
    assert inert_problems(f"![x](http://{TRACKER}/t.png)")
    assert inert_problems("[a](javascript:alert(1))")
    assert inert_problems("<img src=x onerror=alert(1)>")
    assert inert_problems(r"$\href{x}{y}$") and inert_problems(":red[x]")
    assert inert_problems(f"- [M]({BREAKOUT})")  # what « Toutes les sources » used to write
    assert inert_problems(f"Source\\: http\\://{TRACKER}/t\\.png")  # escaped, still autolinked
    assert inert_problems("www\\.tracker\\.test") and inert_problems("moi@tracker\\.test")


# --- the wall, over a database an older version filled ------------------------------------------


def _old_database_entries(people) -> dict[str, int]:
    """Entries as an older version stored them: local paths as images, the breakout as a link."""
    with session_scope() as s:
        a = add_feed(s, "Média « A »", user_id=people.alice.id, folder="$x$ ![f](http://tracker.test/f.png)")
        b = add_feed(s, "Média ![b](http://tracker.test/b.png)", user_id=people.alice.id)
        ids = {}
        for n, image in enumerate(["/etc/hostname", "java\tscript:", "/some/file.svg", "<svg onload=x>"]):
            ids[image] = add_entry(
                s, a, f"Article {n} sur l’IA", "Résumé.", published=T0 - timedelta(hours=n), image_url=image
            ).id
        story = "Instagram cache les « j’aime » pour tous les comptes français à partir de lundi prochain"
        ids["story"] = add_entry(s, a, story, story, published=T0, link=BREAKOUT).id
        add_entry(s, b, story, story, published=T0 + timedelta(hours=1), link="data:text/html,<b>x</b>")
        entry_ids = list(s.scalars(select(Entry.id)))
    with session_scope() as s:
        group_new_entries(s, entry_ids)
    return ids


def test_the_wall_never_opens_a_server_file_and_stays_up(db_url, people):
    ids = _old_database_entries(people)
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    assert page_problems(at) == []
    refused = [c for c in wall_cards(at).values() if c["noimg"]]
    assert len(refused) == 4  # one « Image indisponible » per refused picture, the cards still shown
    for entry_id in (ids["/etc/hostname"], ids["story"]):
        reading = run_page("screens/wall.py", people.alice, wall_reading=entry_id)
        assert not reading.exception
        assert page_problems(reading) == []
        assert not [b for b in reading.get("link_button") if not b.proto.url.startswith("http")]


def test_the_migration_cleans_what_an_older_version_stored(db_url, people):
    with session_scope() as s:
        feed = add_feed(s, "Ancien", user_id=people.alice.id)
        feed.site_url = "javascript:alert(1)"
        bad = add_entry(s, feed, "Ancien", image_url="/etc/hostname", link="file:///etc/passwd")
        demo_inline = add_entry(s, feed, "Démo", image_url=_inline_demo_picture())
        good = add_entry(s, feed, "Bon", image_url="https://img.example/a.png")
        ids = (bad.id, demo_inline.id, good.id, feed.id)
    engine = wdb.get_engine(db_url)
    with engine.begin() as conn:
        # back to before the cleaning: the watch head it replaced, and the boards head it depends on
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = '5e0c1a7f3b21'"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('873671b088f3'), ('6ff728dffbac')"))
    wdb._ready.discard(db_url)
    wdb.upgrade_database(db_url)
    with session_scope() as s:
        bad, demo_inline, good = (s.get(Entry, i) for i in ids[:3])
        assert (bad.image_url, bad.link) == ("", "")
        assert demo_inline.image_url.startswith(DEMO_IMAGE_URL)
        assert good.image_url == "https://img.example/a.png"
        assert s.get(Feed, ids[3]).site_url == ""


def _inline_demo_picture() -> str:
    from curation.bundled_images import data_uri, demo_image_names

    return data_uri(sorted(demo_image_names())[0])


# --- the fuzz: every field of every format, through the real parser, store and pages ------------


def _rss_item(n: int, value: str, address: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    return (
        f"<item><title>{escape(value)}</title><link>{escape(address)}</link><guid>g{n}</guid>"
        f"<description>{escape(value)}</description><author>{escape(value)}</author>"
        f"<category>{escape(value)}</category>"
        f'<enclosure url={quoteattr(address)} type="image/png" length="1"/>'
        f'<media:content url={quoteattr(address)} medium="image"/></item>'
    )


def _atom_entry(n: int, value: str, address: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    return (
        f'<entry><id>urn:a{n}</id><title type="html">{escape(value)}</title>'
        f'<link href={quoteattr(address)}/><link rel="enclosure" href={quoteattr(address)} type="image/png"/>'
        f"<author><name>{escape(value)}</name><uri>{escape(address)}</uri></author>"
        f'<content type="html">{escape(value)}</content><updated>2026-12-01T08:00:00Z</updated></entry>'
    )


def _hostile_documents() -> list[tuple[str, bytes]]:
    texts, addresses = text_payloads(), address_payloads()
    pairs = [(t, addresses[i % len(addresses)]) for i, t in enumerate(texts)]
    rss = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        "<title>RSS &lt;b&gt;hostile&lt;/b&gt; ![t](http://tracker.test/t.png)</title>"
        + "".join(_rss_item(n, t, a) for n, (t, a) in enumerate(pairs))
        + "</channel></rss>"
    ).encode()
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom $x$</title><id>urn:h</id>"
        + "".join(_atom_entry(n, t, a) for n, (t, a) in enumerate(pairs))
        + "</feed>"
    ).encode()
    items = [
        {
            "id": f"j{n}",
            "title": t,
            "url": a,
            "summary": t,
            "content_html": t,
            "image": a,
            "banner_image": a,
            "authors": [{"name": t, "url": a}],
            "attachments": [{"url": a, "mime_type": "image/png"}],
        }
        for n, (t, a) in enumerate(pairs)
    ]
    json_feed = json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "JSON :red[x]", "items": items}
    ).encode()
    return [("rss", rss), ("atom", atom), ("json", json_feed)]


def test_hostile_feeds_in_every_field_render_inert_on_the_real_pages(db_url, people):
    with session_scope() as s:
        for name, document in _hostile_documents():
            feed = add_feed(s, name, user_id=people.alice.id, folder="**gras** <b>x</b>")
            parsed = parse_feed(document, url=f"https://{name}.example/feed")
            assert len(parsed.entries) == len(text_payloads())
            store_entries(s, feed, parsed, now=T0)
    with session_scope() as s:
        stored = s.execute(select(Entry.id, Entry.link, Entry.image_url)).all()
    assert len(stored) == 3 * len(text_payloads())
    assert all(link == "" or web_url(link) == link for _, link, _ in stored)
    assert all(image == "" or image.startswith("http") for _, _, image in stored)

    wall_at = run_page("screens/wall.py", people.alice, wall_status="all")
    assert not wall_at.exception and page_problems(wall_at) == []
    for page in range(2, 5):
        wall_at.session_state["wall_page"] = page
        wall_at.run()
        assert not wall_at.exception and page_problems(wall_at) == []
    for entry_id, _, _ in stored[:: max(1, len(stored) // 25)]:  # 25 reading views across formats
        reading = run_page("screens/wall.py", people.alice, wall_reading=entry_id)
        assert not reading.exception and page_problems(reading) == [], entry_id
    sources = run_page("screens/sources.py", people.alice)
    assert not sources.exception and page_problems(sources) == []


def test_a_hostile_display_name_board_and_folder_stay_inert_for_the_trainer_and_the_public(db_url, people):
    from dataclasses import replace

    from streamlit.testing.v1 import AppTest

    from curation import boards, pins
    from curation.boards import LINK
    from tests.apptest import ROOT, TIMEOUT
    from workbench.models import User

    name = f"Alice ![x](http://{TRACKER}/n.png) $x$ [lien](javascript:alert(1))"
    with session_scope() as s:
        s.get(User, people.alice.id).display_name = name
        board = boards.create_board(
            s,
            people.alice,
            f"Tableau ![t](http://{TRACKER}/t.png)",
            "**d** <b>x</b>",
            visibility=LINK,
        )
        pins.add_pin(
            s,
            people.alice,
            pins.PinData(url="https://media.example/a", title="Épingle", note=name, tags=["$t$"]),
            board_id=board.id,
        )
    alice = replace(people.alice, display_name=name)
    for path, actor, state in [
        ("screens/cohorts.py", people.trainer, {}),
        ("screens/boards.py", alice, {"boards_board": board.id}),
        ("screens/board_review.py", people.trainer, {}),
    ]:
        at = run_page(path, actor, **state)
        assert not at.exception, path
        assert page_problems(at) == [], path
    home = run_app(alice)
    assert not home.exception and page_problems(home) == []
    public = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    public.query_params["board"] = board.share_token
    public.run()
    assert not public.exception and public.title[0].value != board.title
    assert page_problems(public) == []
