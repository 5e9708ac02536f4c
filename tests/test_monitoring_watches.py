"""Watches on stored entries: mentions (exclusions, visibility), tone, alerts once by e-mail, share of voice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from curation.feeds import list_subscriptions
from curation.monitoring import watches as W
from curation.monitoring.alerts import list_alerts
from curation.monitoring.models import Alert, Mention
from tests.monitoring_factory import store, subscribe
from tests.smtp_sink import smtp_sink_fixture  # noqa: F401 - the smtp_sink fixture
from workbench.db import session_scope, utcnow
from workbench.errors import AccessDenied, UserError

ORANGE = W.WatchInput(
    name="Orange",
    variants=["Orange", "Orange Business"],
    exclusions=["jus", "fruit", "couleur", "agrume"],
)
NEWS = [
    {"title": "Orange relève ses tarifs mobiles", "text": "Les clients d’Orange sont en colère."},
    {"title": "Un jus d’orange chaque matin", "text": "Le fruit préféré des Français."},
    {"title": "La couleur orange est tendance", "text": ""},
    {"title": "Orange Business remporte un contrat", "text": "Un succès remarquable."},
    {"title": "SFR lance une offre", "text": "Sans rapport."},
]


def mentions(watch_id: int) -> list[Mention]:
    with session_scope() as s:
        return list(s.scalars(select(Mention).where(Mention.watch_id == watch_id).order_by(Mention.id)))


def test_mentions_with_exclusions_context_and_tone(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss", title="Le Journal")
    store(feed, NEWS[:3])  # stored before the watch exists
    with session_scope() as s:
        watch = W.create_watch(s, people.alice, ORANGE)
    assert watch.mention_count == 1  # the stored entries are scanned at creation
    store(feed, NEWS[3:])  # and new ones at refresh time
    found = mentions(watch.id)
    assert [m.matched for m in found] == ["Orange", "Orange Business"]
    first = found[0]
    start, end = first.spans[0]
    assert first.snippet[start:end] == "Orange"
    assert first.tone == "negative" and found[1].tone == "positive"
    with session_scope() as s:
        rows = W.mention_rows(s, people.alice, [watch.id])
        assert [r.source for r in rows] == ["Le Journal", "Le Journal"]
        with pytest.raises(AccessDenied):
            W.mention_rows(s, people.bob, [watch.id])


def test_mentions_only_on_feeds_the_owner_sees(people) -> None:
    theirs = subscribe(people.zoe, "https://zoe.example.fr/rss")
    with session_scope() as s:
        watch = W.create_watch(s, people.alice, ORANGE)
    store(theirs, NEWS)
    assert mentions(watch.id) == []
    cohort_feed = subscribe(people.trainer, "https://cohorte.example.fr/rss", cohort_id=people.cohort_id)
    store(cohort_feed, NEWS[:1])
    assert len(mentions(watch.id)) == 1  # a cohort's feed is one of Alice's sources


def test_update_rescans_and_validation(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    store(feed, NEWS)
    with session_scope() as s:
        watch = W.create_watch(s, people.alice, W.WatchInput(name="Orange"))
        assert watch.variants == ["Orange"] and watch.mention_count == 4
        changed = W.update_watch(s, people.alice, watch.id, ORANGE)
        assert changed.mention_count == 2
        with pytest.raises(UserError):
            W.create_watch(s, people.alice, W.WatchInput(name=" "))
        with pytest.raises(UserError):
            W.create_watch(s, people.alice, W.WatchInput(name="Xbox", variants=["l’"]))
        with pytest.raises(AccessDenied):
            W.create_watch(s, people.alice, W.WatchInput(name="Xbox", alert_negative_feed_ids=[feed + 999]))
        with pytest.raises(AccessDenied):
            W.update_watch(s, people.bob, watch.id, ORANGE)
        W.delete_watch(s, people.alice, watch.id)
        assert W.list_watches(s, people.alice) == []


def test_volume_alert_sent_once_per_period_by_email(people, smtp_sink) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss", title="Le Journal")
    with session_scope() as s:
        watch = W.create_watch(s, people.alice, W.WatchInput(name="Orange", alert_threshold=3))
    store(feed, [{"title": f"Orange, épisode {i}", "text": ""} for i in range(2)])
    assert smtp_sink.messages == []  # 2 mentions in the hour: under the threshold
    store(feed, [{"title": "Orange, épisode 3", "text": ""}])
    store(feed, [{"title": f"Orange, épisode {i}", "text": ""} for i in range(4, 9)])
    assert len(smtp_sink.messages) == 1  # one alert for the period, however many mentions follow
    message = smtp_sink.messages[0]
    assert message["To"] == "alice@example.fr"
    assert "Orange" in message["Subject"] and "mentionné 3\u00a0fois" in message.get_content()
    with session_scope() as s:
        (alert,) = list_alerts(s, people.alice)
        assert alert.kind == "volume" and alert.email_status == "sent" and alert.watch_id == watch.id


def test_negative_mention_from_listed_source_alerts(people, smtp_sink) -> None:
    watched = subscribe(people.alice, "https://presse.example.fr/rss", title="La Presse")
    other = subscribe(people.alice, "https://blog.example.fr/rss", title="Un blog")
    with session_scope() as s:
        W.create_watch(s, people.alice, W.WatchInput(name="Orange", alert_negative_feed_ids=[watched]))
    store(other, [{"title": "Orange en panne", "text": "Scandale"}], title="Un blog")
    store(watched, [{"title": "Orange : une offre excellente", "text": ""}], title="La Presse")
    assert smtp_sink.messages == []
    store(watched, [{"title": "Orange en panne, les clients en colère", "text": ""}], title="La Presse")
    store(watched, [{"title": "Nouvelle panne chez Orange", "text": ""}], title="La Presse")
    assert len(smtp_sink.messages) == 1
    assert "La Presse" in smtp_sink.messages[0]["Subject"]


def _first_alert(people, watch: str, title: str):
    """Alice watches ``watch`` (alert from one mention); an article titled ``title`` arrives: its feed
    and the one alert it raised."""
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    with session_scope() as s:
        W.create_watch(s, people.alice, W.WatchInput(name=watch, alert_threshold=1))
    store(feed, [{"title": title, "text": ""}])
    with session_scope() as s:
        (alert,) = list_alerts(s, people.alice)
    return feed, alert


def test_alert_without_smtp_stays_in_the_app_and_mail_failure_is_recorded(people, monkeypatch) -> None:
    feed, alert = _first_alert(people, "Orange", "Orange")
    assert alert.email_status == ""
    # A server that cannot be reached: the alert is kept, its e-mail marked failed, the refresh fine.
    from workbench.settings import get_settings

    monkeypatch.setenv("ATELIER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ATELIER_SMTP_PORT", "9")
    monkeypatch.setenv("ATELIER_SMTP_SECURITY", "none")
    monkeypatch.setenv("ATELIER_SMTP_SENDER", "Atelier CM <veille@example.org>")
    get_settings.cache_clear()
    with session_scope() as s:
        W.create_watch(s, people.alice, W.WatchInput(name="SFR", alert_threshold=1))
    store(feed, [{"title": "SFR", "text": ""}])
    with session_scope() as s:
        failed = s.scalar(select(Alert).where(Alert.subject.like("watch:%"), Alert.email_status == "failed"))
        assert failed is not None and "SMTP" in failed.email_error
        assert s.scalar(select(func.count(Mention.id))) == 2


def test_share_of_voice_over_a_period(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    with session_scope() as s:
        ids = [W.create_watch(s, people.alice, W.WatchInput(name=n)).id for n in ("Orange", "SFR", "Free")]
    store(
        feed,
        [
            {"title": "Orange et SFR", "text": ""},
            {"title": "Orange encore", "text": ""},
            {"title": "Orange", "text": ""},
        ],
    )
    now = utcnow()
    with session_scope() as s:
        shares = W.share_of_voice(
            s, people.alice, ids, since=now - timedelta(days=1), until=now + timedelta(hours=1)
        )
        assert [(x.name, x.mentions) for x in shares] == [("Orange", 3), ("SFR", 1), ("Free", 0)]
        assert shares[0].share == pytest.approx(0.75)
        with pytest.raises(UserError):
            W.share_of_voice(s, people.alice, [*ids, 90, 91, 92], since=now, until=now + timedelta(1))
        with pytest.raises(AccessDenied):
            W.share_of_voice(s, people.bob, ids, since=now - timedelta(1), until=now)


def test_search_feeds_are_subscriptions_like_any_other(people) -> None:
    with session_scope() as s:
        watch = W.create_watch(s, people.alice, W.WatchInput(name="Orange", exclusions=["jus d’orange"]))
        added = W.add_search_feeds(s, people.alice, watch.id, ["google_news", "bing_news"])
        assert [a.created for a in added] == [True, True]
        assert W.add_search_feeds(s, people.alice, watch.id, ["google_news"])[0].created is False
        subs = {v.url: v for v in list_subscriptions(s, people.alice)}
    google = next(u for u in subs if "news.google.com" in u)
    assert "q=%22Orange%22+-%22jus+d%E2%80%99orange%22" in google and "ceid=FR%3Afr" in google
    assert subs[google].folder == "Veille · Orange" and subs[google].status == "new"
    with session_scope() as s, pytest.raises(AccessDenied):
        W.add_search_feeds(s, people.bob, watch.id, ["google_news"])


def test_a_volume_alert_counts_in_french(people) -> None:
    _, alert = _first_alert(people, "L’Oréal", "L’Oréal à 6,88 €")
    assert alert.title == "L’Oréal\u00a0: 1\u00a0mention en une heure"  # not « 1 mentions »
    assert alert.message == (
        "«\u00a0L’Oréal\u00a0» a été mentionné 1\u00a0fois dans la dernière heure (votre seuil\u00a0: 1)."
    )
