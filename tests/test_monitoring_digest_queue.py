"""The rule action « ajouter à la prochaine revue »: dry run, application, and the next digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from curation.digest.compose import build_draft
from curation.digest.lists import ListSettings, create_list
from curation.digest.queue import QUEUED_SECTION, QueuedEntry
from curation.monitoring import rules as R
from tests.monitoring_factory import store, subscribe
from tests.test_monitoring_rules import ITEMS
from workbench.db import session_scope, utcnow
from workbench.errors import AccessDenied, UserError

QUERY = "orange SAUF (jus OU fruit)"


@pytest.fixture
def world(people):
    feed = subscribe(people.alice, "https://journal.example.fr/rss", folder="Marques", title="Le Journal")
    ids = store(feed, ITEMS, when=utcnow() - timedelta(hours=2))
    with session_scope() as s:
        mine = create_list(
            s,
            people.alice,
            ListSettings(name="Client Alice", addresses=["client@example.org"], max_items=5, translate=False),
        )
    return people, feed, ids, mine.id


def digest_rule(actor, list_id: int | None, query: str = QUERY) -> R.RuleView:
    with session_scope() as s:
        return R.create_rule(
            s, actor, name="Orange", query=query, actions=R.RuleActions(digest=True, digest_list_id=list_id)
        )


def test_dry_run_then_application_queues_entries_for_the_next_digest(world) -> None:
    people, _feed, _ids, list_id = world
    with session_scope() as s:
        run = R.dry_run(s, people.alice, QUERY)
        assert run.count == 4
        assert s.scalar(select(func.count(QueuedEntry.id))) == 0  # a dry run writes nothing
    rule = digest_rule(people.alice, list_id)
    assert "Ajouter à la prochaine revue" in rule.actions.labels()
    with session_scope() as s:
        assert R.apply_rule(s, people.alice, rule.id).matched == run.count
        queued = set(s.scalars(select(QueuedEntry.entry_id).where(QueuedEntry.list_id == list_id)))
        assert queued == set(run.entry_ids)
        assert R.apply_rule(s, people.alice, rule.id).new_matches == 0  # idempotent
        assert s.scalar(select(func.count(QueuedEntry.id))) == 4
    with session_scope() as s:
        draft = build_draft(s, people.alice, list_id, translate=False)
    picked = [item for item in draft.items if item.section == QUEUED_SECTION]
    assert {item.entry_id for item in picked} == set(run.entry_ids)
    assert draft.items[:4] == picked  # shown first, then the list's best other entries
    assert len(draft.items) == 5 and draft.items[4].entry_id not in queued
    assert draft.sections()[0][0] == QUEUED_SECTION


def test_queued_entries_beyond_the_list_size_are_reported(world) -> None:
    people, _feed, _ids, _list_id = world
    with session_scope() as s:
        mine = create_list(
            s,
            people.alice,
            ListSettings(name="Courte", addresses=["client@example.org"], max_items=2, translate=False),
        )
    rule = digest_rule(people.alice, mine.id)
    with session_scope() as s:
        R.apply_rule(s, people.alice, rule.id)
        draft = build_draft(s, people.alice, mine.id, translate=False)
    assert [item.section for item in draft.items] == [QUEUED_SECTION, QUEUED_SECTION]
    assert any("2\u00a0autres articles sélectionnés par une règle n’ont" in n for n in draft.notices)


def test_queued_entries_are_offered_once(world) -> None:
    """A digest built after the window that held them no longer shows them."""
    people, _feed, _ids, list_id = world
    rule = digest_rule(people.alice, list_id)
    with session_scope() as s:
        R.apply_rule(s, people.alice, rule.id)
        later = build_draft(
            s, people.alice, list_id, since=timedelta(hours=1), now=utcnow() + timedelta(hours=2)
        )
    assert not [item for item in later.items if item.section == QUEUED_SECTION]


def test_rules_queue_new_entries_at_refresh_time(world) -> None:
    people, feed, _ids, list_id = world
    digest_rule(people.alice, list_id, query="panne")
    new = store(feed, [{"title": "Nouvelle panne chez Orange", "text": "Le réseau mobile est coupé."}])
    with session_scope() as s:
        assert set(s.scalars(select(QueuedEntry.entry_id))) == set(new)
        draft = build_draft(s, people.alice, list_id, translate=False)
    assert draft.items[0].entry_id == new[0] and draft.items[0].section == QUEUED_SECTION


def test_digest_action_needs_a_list_of_ones_own(world) -> None:
    people, _feed, _ids, list_id = world
    with pytest.raises(UserError, match="liste de diffusion"):
        digest_rule(people.alice, None)
    with pytest.raises(AccessDenied):
        digest_rule(people.bob, list_id)
