"""AppTest for the Sources page: trainee and trainer views, add, import, refresh, unsubscribe."""

from __future__ import annotations

from sqlalchemy import func, select

from curation.feeds import add_feed, list_subscriptions
from curation.models import Entry
from tests.apptest import run_page
from tests.feedserver import FeedServer, Route
from workbench.db import session_scope

PAGE = "pages/sources.py"


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
    assert "1 sources suivies" in at.subheader[0].value
    assert any("Promo CM 2026" in m.value for m in at.markdown)
    assert not [p for p in at.get("popover")]  # nothing to manage: the trainer's subscription
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
    at.run()
    assert "1 source" in at.subheader[0].value  # one's own source replaces the 7 demo feeds
    feed_server.routes["/f.xml"] = Route(body=b"<html>oops</html>", content_type="text/html")
    button(at, "Actualiser maintenant").click().run()
    assert not at.exception
    assert any("Actualisation terminée" in s.value and "1 flux en erreur" in s.value for s in at.success)
    assert any("page web" in e.value for e in at.error)  # the feed's French error, shown on its line
    button(at, "Se désabonner").click().run()
    assert not at.exception
    with session_scope() as s:
        assert list_subscriptions(s, people.alice) == []


def test_trainer_imports_public_sources_for_a_cohort(people) -> None:
    at = run_page(PAGE, people.trainer)
    assert not at.exception
    at.selectbox(key="import_target").select(people.cohort_id).run()
    button(at, "Importer les sources publiques du CM").click().run()
    assert not at.exception
    assert any("13 flux lus" in s.value for s in at.success)
    with session_scope() as s:
        alice = list_subscriptions(s, people.alice)
        assert len(alice) == 13 and all(not v.can_edit for v in alice)
        assert s.scalar(select(func.count(Entry.id))) >= 27  # demo entries are there, nothing fetched
