"""A real OPML's worth of subscriptions: one page at a time in SQL, filters, search, bulk actions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from curation.feeds import (
    SubscriptionFilter,
    list_folders,
    list_subscriptions,
    move_many,
    subscription_counts,
    subscription_ids,
    subscription_page,
    unsubscribe_many,
)
from curation.models import Feed, Subscription
from tests.entry_factory import add_feed, add_many_subscriptions
from workbench.db import session_scope
from workbench.errors import AccessDenied


@pytest.fixture
def many(people):
    """Alice follows 1,000 feeds (541 in error, 100 not fetched yet), plus her cohort's one."""
    with session_scope() as s:
        add_many_subscriptions(s, people.alice.id, 1000, errors=541, pending=100)
        add_feed(s, "Flux de la session", cohort_id=people.cohort_id, folder="Session")
    return people


def test_one_page_with_counts(many) -> None:
    with session_scope() as s:
        page = subscription_page(s, many.alice, SubscriptionFilter(), page=1, per_page=100)
        counts = subscription_counts(s, many.alice, SubscriptionFilter(status="ok"))  # status aside
    assert page.total == 1001 and page.pages == 11 and len(page.views) == 100
    assert counts == {"all": 1001, "error": 541, "pending": 101, "ok": 359}
    assert [v.folder.casefold() for v in page.views] == sorted(v.folder.casefold() for v in page.views)
    assert all(v.entry_count == (2 if v.status == "ok" else 0) for v in page.views)
    with session_scope() as s:
        last = subscription_page(s, many.alice, SubscriptionFilter(), page=11, per_page=100)
    assert len(last.views) == 1 and last.page == 11


def test_filter_by_status_folder_and_search(many) -> None:
    with session_scope() as s:
        errors = subscription_page(s, many.alice, SubscriptionFilter(status="error"), per_page=50)
        folder = subscription_page(s, many.alice, SubscriptionFilter(status="error", folder="Presse"))
        found = subscription_page(s, many.alice, SubscriptionFilter(search="source 0042"))
        address = subscription_page(s, many.alice, SubscriptionFilter(search="0042.EXAMPLE"))
        wildcard = subscription_page(s, many.alice, SubscriptionFilter(search="%"))
    assert errors.total == 541 and errors.pages == 11
    assert {v.status for v in errors.views} == {"error"} and all(v.last_error for v in errors.views)
    assert folder.total == len([i for i in range(541) if i % 8 == 2])  # "Presse" is every 8th, from the 3rd
    assert {v.folder for v in folder.views} == {"Presse"}
    assert [v.title for v in found.views] == ["Source 0042 Presse"]
    assert address.total == 1
    assert wildcard.total == 0  # typed text, not a LIKE pattern
    with session_scope() as s:
        assert "Presse" in list_folders(s, many.alice) and "Session" in list_folders(s, many.alice)


def test_bulk_unsubscribe_of_everything_in_error(many) -> None:
    with session_scope() as s:
        ids = subscription_ids(s, many.alice, SubscriptionFilter(status="error"))
        assert len(ids) == 541
        assert unsubscribe_many(s, many.alice, ids) == 541
    with session_scope() as s:
        assert len(list_subscriptions(s, many.alice)) == 460
        assert s.scalar(select(func.count(Feed.id)).where(Feed.last_status == "paused")) == 541
        assert subscription_page(s, many.alice, SubscriptionFilter(status="error")).total == 0


def test_bulk_move(many) -> None:
    with session_scope() as s:
        ids = subscription_ids(s, many.alice, SubscriptionFilter(search="Source 00"))[:30]
        assert move_many(s, many.alice, ids, "  Archives   2026 ") == 30
    with session_scope() as s:
        moved = subscription_page(s, many.alice, SubscriptionFilter(folder="Archives 2026"))
    assert moved.total == 30 and sorted(v.id for v in moved.views) == sorted(ids)


def test_bulk_actions_only_on_ones_own_subscriptions(many) -> None:
    """The cohort's subscription and Bob's are left out of « everything » and refused by id; a refused
    selection changes nothing at all."""
    with session_scope() as s:
        bob_feed = add_feed(s, "Bob privé", user_id=many.bob.id)
        bob_sub = s.scalar(select(Subscription.id).where(Subscription.feed_id == bob_feed.id))
        cohort_sub = s.scalar(select(Subscription.id).where(Subscription.cohort_id == many.cohort_id))
        mine = subscription_ids(s, many.alice, SubscriptionFilter())
    assert len(mine) == 1000 and cohort_sub not in mine and bob_sub not in mine
    for other in (bob_sub, cohort_sub):
        with pytest.raises(AccessDenied), session_scope() as s:
            unsubscribe_many(s, many.alice, [*mine[:5], other])
        with pytest.raises(AccessDenied), session_scope() as s:
            move_many(s, many.alice, [other, *mine[:5]], "Ailleurs")
    with session_scope() as s:
        assert len(list_subscriptions(s, many.alice)) == 1001
        assert s.scalar(select(func.count(Subscription.id)).where(Subscription.folder == "Ailleurs")) == 0
    with session_scope() as s:  # the trainer may act on their cohort's subscription
        assert unsubscribe_many(s, many.trainer, [cohort_sub]) == 1


def test_source_search_ignores_accents_and_case_as_french_people_type(people) -> None:
    """« échos » did not find « Les Échos » on SQLite (its lower() leaves É), nor « moderateur »
    « Le Blog du Modérateur » anywhere: the wall's search ignores both, the Sources page did not."""
    with session_scope() as s:
        add_feed(s, "Les Échos", user_id=people.alice.id)
        add_feed(s, "Le Blog du Modérateur", user_id=people.alice.id)
        add_feed(s, "L’Usine Digitale", user_id=people.alice.id)

    def found(text: str) -> list[str]:
        with session_scope() as s:
            return [
                v.title for v in subscription_page(s, people.alice, SubscriptionFilter(search=text)).views
            ]

    assert found("échos") == found("ECHOS") == found("les  Échos") == ["Les Échos"]
    assert found("moderateur") == found("MODÉRATEUR") == ["Le Blog du Modérateur"]
    assert found("l'usine") == ["L’Usine Digitale"]
    assert found("%") == found("e_hos") == []  # typed text, not a pattern
    assert len(found("les-echos")) == 1  # the address is searched too
