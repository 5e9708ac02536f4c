"""AppTest for the Sources page: trainee and trainer views, add, import, refresh, unsubscribe."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from curation.feeds import add_feed, list_subscriptions
from curation.models import Entry, Feed, Subscription
from curation.refresh import FeedStatus, refresh_feeds
from tests.apptest import run_page
from tests.entry_factory import add_many_subscriptions
from tests.feedserver import FeedServer, Route
from ui.session import SOURCES_VERSION
from workbench.db import session_scope
from workbench.errors import UserError

PAGE = "screens/sources.py"


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_trainee_gets_demo_sources_and_sees_cohort_ones_read_only(people, feed_server: FeedServer) -> None:
    url = feed_server.add_file("/cohort.xml", "rss20_good.xml")
    with session_scope() as s:
        add_feed(s, people.trainer, url, cohort_id=people.cohort_id, folder="Session")
    at = run_page(PAGE, people.alice)
    assert not at.exception
    assert at.title[0].value == "Sources"
    # Alice follows her cohort's feed, so no demo feeds were added for her.
    assert "1 source suivie" in at.subheader[0].value
    assert list(at.dataframe[0].value["Gérée par"]) == ["Promo CM 2026"]
    at = run_page(PAGE, people.bob)
    assert not at.exception
    at = run_page(PAGE, people.zoe)  # nothing at all: the demo feeds
    assert not at.exception
    with session_scope() as s:
        zoe = list_subscriptions(s, people.zoe)
    assert len(zoe) == 7 and {v.folder for v in zoe} == {"Démonstration"}
    assert "7 sources suivies" in at.subheader[0].value


def test_add_refresh_and_unsubscribe(people, feed_server: FeedServer) -> None:
    url = feed_server.add_file("/f.xml", "atom_good.xml")
    at = run_page(PAGE, people.alice)
    at.text_input[0].input(url)
    at.text_input[1].input("Blogs")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("Source ajoutée" in s.value for s in at.success)
    assert at.session_state[SOURCES_VERSION] == 1  # the wall's filter lists are read anew
    at.run()
    assert "1 source" in at.subheader[0].value  # one's own source replaces the 7 demo feeds
    feed_server.routes["/f.xml"] = Route(body=b"<html>oops</html>", content_type="text/html")
    button(at, "Actualiser maintenant").click().run()
    assert not at.exception
    # One feed read, and it failed: a warning, not a green « done », with the kind of failure.
    assert not at.success
    assert any(
        "0\u00a0flux actualisé, 1 en erreur sur 1 (pas un flux lisible\u00a0: 1)" in w.value
        for w in at.warning
    )
    rows = at.dataframe[0].value
    assert any("page web" in error for error in rows["Erreur"])  # the feed's French error, on its line
    tick(at, [next(i for i, error in enumerate(rows["Erreur"]) if "page web" in error)])
    at.button(key="sources_unsubscribe").click().run()
    assert not at.exception
    with session_scope() as s:
        assert list_subscriptions(s, people.alice) == []


def test_refused_source_keeps_the_address_and_folder_typed(people) -> None:
    at = run_page(PAGE, people.alice)
    at.text_input[0].input("http://0177.0.0.1/feed")
    at.text_input[1].input("Concurrents")
    at.button[0].click().run()
    assert not at.exception
    assert any("Adresse privée refusée" in e.value for e in at.error)
    assert at.text_input[0].value == "http://0177.0.0.1/feed" and at.text_input[1].value == "Concurrents"


def test_trainer_imports_public_sources_for_a_cohort(people) -> None:
    at = run_page(PAGE, people.trainer)
    assert not at.exception
    at.selectbox(key="import_target").select(people.cohort_id).run()
    button(at, "Importer les sources publiques du CM").click().run()
    assert not at.exception
    assert any("13\u00a0flux lus" in s.value for s in at.success)
    with session_scope() as s:
        alice = list_subscriptions(s, people.alice)
        assert len(alice) == 13 and all(not v.can_edit for v in alice)
        assert s.scalar(select(func.count(Entry.id))) >= 27  # demo entries are there, nothing fetched


def tick(at, rows: list[int]) -> None:
    """Tick rows of the Sources table (what a click in its first column does), then rerun."""
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.run()


@pytest.fixture
def many(people):
    """Alice imported an OPML of 1,000 feeds: 541 are in error, 100 not fetched yet."""
    with session_scope() as s:
        add_many_subscriptions(s, people.alice.id, 1000, errors=541, pending=100)
    return people


def test_a_thousand_subscriptions_one_page_at_a_time(many) -> None:
    at = run_page(PAGE, many.alice)
    assert not at.exception
    assert at.subheader[0].value == "1\u202f000 sources suivies · 541 en erreur"
    assert any(c.value == "1\u202f000 sources · page 1 sur 10" for c in at.caption)
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 100
    assert len(at.button) < 15  # no widgets per subscription
    at.get("pagination")[0].select(10).run()
    assert not at.exception
    assert any(c.value == "1\u202f000 sources · page 10 sur 10" for c in at.caption)


def test_error_filter_and_search_by_name(many) -> None:
    at = run_page(PAGE, many.alice)
    at.selectbox(key="sources_status").select("error").run()
    assert not at.exception
    assert any(c.value == "541 sources · page 1 sur 6" for c in at.caption)
    rows = at.dataframe[0].value
    assert set(rows["État"]) == {"En erreur"} and all(rows["Erreur"])
    at.text_input(key="sources_search").input("source 0042").run()
    assert list(at.dataframe[0].value["Nom"]) == ["Source 0042 Presse"]


def test_bulk_unsubscribe_of_everything_in_error_in_one_action(many) -> None:
    at = run_page(PAGE, many.alice)
    at.selectbox(key="sources_status").select("error").run()
    at.radio(key="sources_scope").set_value("filter").run()
    at.button(key="sources_unsubscribe").click().run()
    assert not at.exception
    assert any("Désabonné·e de 541 sources" in s.value for s in at.success)
    assert at.subheader[0].value == "459 sources suivies"
    with session_scope() as s:
        assert s.scalar(select(func.count(Subscription.id))) == 459


def test_bulk_move_of_ticked_rows(many) -> None:
    at = run_page(PAGE, many.alice)
    tick(at, [0, 1, 2])
    names = list(at.dataframe[0].value["Nom"][:3])
    at.text_input(key="sources_move_to").input("Archives")
    at.button(key="sources_move").click().run()
    assert not at.exception
    assert any("3 sources rangées dans" in s.value for s in at.success)
    at.selectbox(key="sources_folder").select("Archives").run()
    assert sorted(at.dataframe[0].value["Nom"]) == sorted(names)


def test_retry_refreshes_only_the_ticked_sources(people, feed_server: FeedServer) -> None:
    good = feed_server.add_file("/good.xml", "rss20_good.xml")
    broken = feed_server.add("/broken.xml", Route(status=500))
    with session_scope() as s:
        add_feed(s, people.alice, good)  # fetched once, when added
        feed = Feed(url=broken, title="Cassé")
        s.add(feed)
        s.flush()
        s.add(Subscription(feed_id=feed.id, user_id=people.alice.id))
    at = run_page(PAGE, people.alice)
    tick(at, [list(at.dataframe[0].value["Nom"]).index("Cassé")])
    at.button(key="sources_retry").click().run()
    assert not at.exception
    assert feed_server.hits["/broken.xml"] == 1 and feed_server.hits["/good.xml"] == 1
    assert any("1 en erreur sur 1 (site en panne\u00a0: 1)" in w.value for w in at.warning)


def test_rename_the_one_ticked_source(people, feed_server: FeedServer) -> None:
    url = feed_server.add_file("/f.xml", "rss20_good.xml")
    with session_scope() as s:
        add_feed(s, people.alice, url)
    at = run_page(PAGE, people.alice)
    assert not at.text_input(key="sources_move_to").value and not [
        t for t in at.text_input if t.label == "Nom affiché"
    ]
    tick(at, [0])
    name = next(t for t in at.text_input if t.label == "Nom affiché")
    name.input("Mon *blog* [préféré](javascript:alert(1))")
    at.button(key="sources_rename").click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["Nom"]) == ["Mon *blog* [préféré](javascript:alert(1))"]  # plain cells
    # The message shows the name as typed: Markdown escaped, no link.
    assert any("Mon \\*blog\\* \\[préféré\\]\\(javascript" in m.value for m in at.success)


def test_failing_sources_wait_their_back_off_until_retried_all_at_once(
    people, feed_server: FeedServer
) -> None:
    good = feed_server.add_file("/good.xml", "rss20_good.xml")
    dead = [feed_server.add(f"/dead{i}.xml", Route(status=404)) for i in range(2)]
    with session_scope() as s:
        add_feed(s, people.alice, good)  # fetched once, when added
        for i, url in enumerate(dead):
            feed = Feed(url=url, title=f"Mort {i}")
            s.add(feed)
            s.flush()
            s.add(Subscription(feed_id=feed.id, user_id=people.alice.id))
    refresh_feeds(retry_failing=True)  # both dead feeds fail once: back-off
    assert [feed_server.hits[f"/dead{i}.xml"] for i in range(2)] == [1, 1]
    at = run_page(PAGE, people.alice)
    button(at, "Actualiser maintenant").click().run()
    assert not at.exception
    assert [feed_server.hits[f"/dead{i}.xml"] for i in range(2)] == [1, 1]  # not fetched again
    assert feed_server.hits["/good.xml"] == 2
    assert any("2\u00a0sources en erreur attendent leur prochain essai" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    button(at, "Réessayer les sources en erreur (2)").click().run()
    assert not at.exception
    assert [feed_server.hits[f"/dead{i}.xml"] for i in range(2)] == [2, 2]
    assert feed_server.hits["/good.xml"] == 2  # only the failing ones
    assert any("2 en erreur sur 2 (flux introuvable\u00a0: 2)" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("done", "text"),
    [
        (1234, "1\u202f234 sur 1\u202f500 flux lus — Le \\*Fil\\* du CM"),
        (1500, "1\u202f500 sur 1\u202f500 flux lus — regroupement des articles et règles de veille…"),
    ],
)
def test_refresh_progress_counts_feeds_the_french_way(
    people, feed_server: FeedServer, monkeypatch, done: int, text: str
) -> None:
    """« 1234/1500 flux lus » read as a fraction and an English number: « 1 234 sur 1 500 »."""
    url = feed_server.add_file("/f.xml", "rss20_good.xml")
    with session_scope() as s:
        add_feed(s, people.alice, url)

    def stopped(session, actor, *, progress, **_: object) -> None:
        progress(done, 1500, FeedStatus(feed_id=1, url=url, title="Le *Fil* du CM", status="ok"))
        raise UserError("Actualisation interrompue.")  # the bar stays on the page as it was

    monkeypatch.setattr("curation.refresh.refresh_subscriptions", stopped)
    at = run_page(PAGE, people.alice)
    button(at, "Actualiser maintenant").click().run()
    assert not at.exception
    assert [e.proto.text for e in at.get("progress")] == [text]


def rss(items: int) -> bytes:
    body = "".join(
        f"<item><title>Article {n}</title><link>https://exemple.fr/a{n}</link></item>" for n in range(items)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Blog de l’été</title>{body}</channel></rss>'.encode()


@pytest.mark.parametrize(
    ("items", "words"), [(1, "(1\u00a0article)"), (0, "(0\u00a0article)"), (2, "(2\u00a0articles)")]
)
def test_added_source_counts_its_articles_in_french(
    people, feed_server: FeedServer, items: int, words: str
) -> None:
    """« (1 articles) »: the count after « Source ajoutée » agrees with its number."""
    url = feed_server.add("/f.xml", Route(body=rss(items)))
    at = run_page(PAGE, people.alice)
    at.text_input[0].input(url)
    at.button[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [f"Source ajoutée\u00a0: Blog de l’été {words}."]


def test_adding_a_source_already_followed_says_so(people, feed_server: FeedServer) -> None:
    """The same address twice said « Source ajoutée » again, while nothing was added nor moved."""
    url = feed_server.add("/f.xml", Route(body=rss(2)))
    at = run_page(PAGE, people.alice)
    for folder in ("Blogs", "Concurrents"):
        at.text_input[0].input(url)
        at.text_input[1].input(folder)
        at.button[0].click().run()
        assert not at.exception
    assert not at.success
    assert [i.value for i in at.info] == [
        "Vous suivez déjà cette source\u00a0: Blog de l’été, dans le dossier «\u00a0Blogs\u00a0»."
    ]


def test_a_site_down_when_added_is_not_promised_a_retry(people, feed_server: FeedServer) -> None:
    """« un nouvel essai aura lieu plus tard » while nothing was added: no retry could ever come."""
    url = feed_server.add("/panne.xml", Route(status=500))
    at = run_page(PAGE, people.alice)
    at.text_input[0].input(url)
    at.button[0].click().run()
    assert not at.exception
    (error,) = [e.value.replace("\\", "") for e in at.error]  # Markdown escapes aside
    assert (
        error
        == "Le site est en panne (erreur 500)\u00a0: la source n’a pas été ajoutée, réessayez plus tard."
    )
