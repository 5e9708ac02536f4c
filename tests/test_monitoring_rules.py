"""Rules on stored entries: dry run equals application, access, refresh-time application, regex errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from curation.models import Entry, EntryState
from curation.monitoring import rules as R
from curation.monitoring.models import Rule, RuleMatch
from curation.monitoring.plugin import apply_to_new_entries
from tests.monitoring_factory import store, subscribe
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError

ITEMS = [
    {"title": "Orange relève ses tarifs mobiles", "text": "Les abonnés d’Orange paieront plus."},
    {"title": "Recette : le jus d’orange pressé", "text": "Un fruit plein de vitamines."},
    {"title": "Panne géante chez Orange", "text": "Le service client est injoignable."},
    {"title": "Les réseaux sociaux en 2026", "text": "L’engagement des communautés progresse."},
    {"title": "SFR lance une offre fibre", "text": "Concurrence avec Orange sur la fibre."},
    {"title": "How brands handle outages", "text": "Orange and SFR were down.", "language": "en"},
]


def actions(**kw: bool) -> R.RuleActions:
    return R.RuleActions(**kw)


def states(user_id: int) -> dict[int, tuple[bool, bool]]:
    with session_scope() as s:
        return {
            st.entry_id: (st.read, st.hidden)
            for st in s.scalars(select(EntryState).where(EntryState.user_id == user_id))
        }


@pytest.fixture
def world(people):
    feed = subscribe(people.alice, "https://journal.example.fr/rss", folder="Marques", title="Le Journal")
    ids = store(feed, ITEMS)
    return people, feed, ids


def test_dry_run_counts_equal_what_the_rule_does(world) -> None:
    people, _feed, ids = world
    query = "orange SAUF (jus OU fruit)"
    with session_scope() as s:
        run = R.dry_run(s, people.alice, query)
    assert run.count == 4 and run.scanned == 6
    assert {e.title for e in run.examples} == {
        "Orange relève ses tarifs mobiles",
        "Panne géante chez Orange",
        "SFR lance une offre fibre",
        "How brands handle outages",
    }
    with session_scope() as s:
        rule = R.create_rule(
            s, people.alice, name="Orange", query=query, actions=actions(highlight=True, mark_read=True)
        )
    with session_scope() as s:
        result = R.apply_rule(s, people.alice, rule.id)
    assert result.matched == run.count == 4 and result.new_matches == 4
    read = {e for e, (r, _h) in states(people.alice.id).items() if r}
    assert read == set(run.entry_ids)
    with session_scope() as s:
        assert R.get_rule(s, people.alice, rule.id).match_count == run.count
        highlighted = R.highlighted_entry_ids(s, people.alice, ids)
        assert set(highlighted) == set(run.entry_ids) and highlighted[run.entry_ids[0]] == ["Orange"]
        # Re-applying is idempotent.
        assert R.apply_rule(s, people.alice, rule.id).new_matches == 0
        assert s.scalar(select(func.count(RuleMatch.id))) == 4


def test_rules_apply_at_refresh_time_to_new_entries(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss", folder="Tech")
    with session_scope() as s:
        R.create_rule(
            s,
            people.alice,
            name="Masquer les recettes",
            query="recette OU cuisine",
            actions=actions(hide=True),
        )
        R.create_rule(
            s,
            people.alice,
            name="Dossier tech",
            query="dossier:tech langue:en",
            actions=actions(mark_read=True),
        )
    ids = store(feed, ITEMS)  # the post-store plugin runs inside this refresh's transaction
    by_title = dict(zip([i["title"] for i in reversed(ITEMS)], ids, strict=True))
    got = states(people.alice.id)
    assert got[by_title["Recette : le jus d’orange pressé"]] == (False, True)
    assert got[by_title["How brands handle outages"]] == (True, False)
    assert len(got) == 2
    # Bob does not see Alice's feed: her rules act for her only, and his for his feeds only.
    assert states(people.bob.id) == {}


def test_rules_turn_on_states_a_person_already_has(world) -> None:
    """A state the person set (saved, read) is updated in place: nothing turned off, no second row."""
    from curation.wall import mark_read, set_saved

    people, _feed, ids = world
    by_title = dict(zip([i["title"] for i in reversed(ITEMS)], ids, strict=True))
    saved = by_title["Panne géante chez Orange"]
    already_read = by_title["Orange relève ses tarifs mobiles"]
    with session_scope() as s:
        set_saved(s, people.alice, saved)
        mark_read(s, people.alice, already_read)
    with session_scope() as s:
        hide_orange = R.create_rule(s, people.alice, name="o", query="orange", actions=actions(hide=True))
        read_panne = R.create_rule(s, people.alice, name="p", query="panne", actions=actions(mark_read=True))
    with session_scope() as s:
        assert R.apply_rule(s, people.alice, hide_orange.id).matched == 5
        assert R.apply_rule(s, people.alice, read_panne.id).matched == 1
        got = {
            st.entry_id: (st.read, st.saved, st.hidden)
            for st in s.scalars(select(EntryState).where(EntryState.user_id == people.alice.id))
        }
    assert got[saved] == (True, True, True)  # still saved; now read (panne) and hidden (orange)
    assert got[already_read] == (True, False, True)  # still read; now hidden
    assert got[by_title["Recette : le jus d’orange pressé"]] == (False, False, True)  # a new state
    assert len(got) == 5  # one state per entry, whatever the number of rules
    with session_scope() as s:
        assert R.apply_rule(s, people.alice, hide_orange.id).new_matches == 0
        assert s.scalar(select(func.count(EntryState.id)).where(EntryState.user_id == people.alice.id)) == 5


def test_cohort_rule_acts_for_members_over_cohort_feeds(people) -> None:
    cohort_feed = subscribe(people.trainer, "https://cohorte.example.fr/rss", cohort_id=people.cohort_id)
    private = subscribe(people.zoe, "https://zoe.example.fr/rss")
    with session_scope() as s:
        rule = R.create_rule(
            s,
            people.trainer,
            name="Crise",
            query="panne",
            actions=actions(highlight=True),
            cohort_id=people.cohort_id,
        )
        with pytest.raises(AccessDenied):
            R.create_rule(
                s,
                people.alice,
                name="x",
                query="panne",
                actions=actions(hide=True),
                cohort_id=people.cohort_id,
            )
    store(cohort_feed, ITEMS)
    store(private, ITEMS)
    with session_scope() as s:
        run = R.dry_run_rule(s, people.trainer, rule.id)
        assert run.count == 1
        users = set(s.scalars(select(RuleMatch.user_id).where(RuleMatch.rule_id == rule.id)))
        assert users == {people.alice.id, people.bob.id}
        # Members see the cohort's rule but cannot change it; other cohorts do not see it.
        assert [r.can_edit for r in R.list_rules(s, people.alice)] == [False]
        with pytest.raises(AccessDenied):
            R.update_rule(s, people.alice, rule.id, enabled=False)
        with pytest.raises(AccessDenied):
            R.get_rule(s, people.zoe, rule.id)
        assert R.list_rules(s, people.zoe) == []


def test_matches_only_over_feeds_the_person_can_see(people) -> None:
    mine = subscribe(people.alice, "https://alice.example.fr/rss")
    theirs = subscribe(people.zoe, "https://zoe.example.fr/rss")
    store(mine, ITEMS[:1])
    store(theirs, ITEMS)
    with session_scope() as s:
        assert R.dry_run(s, people.alice, "orange").count == 1
        assert R.dry_run(s, people.zoe, "orange").count == 5


def test_broken_regex_refused_at_save_and_never_crashes_a_refresh(world) -> None:
    people, feed, _ids = world
    with session_scope() as s, pytest.raises(UserError, match="expression régulière"):
        R.create_rule(s, people.alice, name="x", query="titre:/(orange/", actions=actions(hide=True))
    with session_scope() as s:
        good = R.create_rule(s, people.alice, name="ok", query="tarifs", actions=actions(mark_read=True))
        # A rule stored before a stricter check (or edited in the database) no longer compiles.
        s.add(Rule(user_id=people.alice.id, name="cassée", query="/(a/", actions={"hide": True}))
        slow = R.create_rule(s, people.alice, name="lente", query="/(a+)+$/", actions=actions(hide=True))
    ids = store(feed, [{"title": "Nouveaux tarifs", "text": "a" * 3000 + "!"}])
    assert states(people.alice.id)[ids[0]] == (True, False)
    with session_scope() as s:
        report = apply_to_new_entries(s, ids)
    assert len(report.skipped_rules) == 1 and report.rules == 2 and report.regex_timeouts >= 1
    with session_scope() as s:
        assert R.get_rule(s, people.alice, slow.id).match_count == 0
        assert R.get_rule(s, people.alice, good.id).match_count == 1


def test_rule_alert_action_once_per_period(world) -> None:
    from curation.monitoring.alerts import list_alerts, mark_seen, unseen_count

    people, feed, _ids = world
    with session_scope() as s:
        R.create_rule(s, people.alice, name="Fibre", query="fibre", actions=actions(alert=True))
    store(feed, [{"title": "La fibre arrive", "text": ""}])
    store(feed, [{"title": "Encore la fibre", "text": ""}])
    with session_scope() as s:
        alerts = list_alerts(s, people.alice)
        assert len(alerts) == 1 and alerts[0].kind == "rule" and "Fibre" in alerts[0].title
        assert unseen_count(s, people.alice) == 1 and unseen_count(s, people.bob) == 0
        with pytest.raises(UserError):
            mark_seen(s, people.bob, [alerts[0].id])
        assert mark_seen(s, people.alice) == 1
        assert unseen_count(s, people.alice) == 0


def test_validation_and_ownership(world) -> None:
    people, _feed, _ids = world
    with session_scope() as s:
        with pytest.raises(UserError, match="action"):
            R.create_rule(s, people.alice, name="x", query="orange", actions=actions())
        rule = R.create_rule(s, people.alice, name="", query="orange", actions=actions(hide=True))
        assert rule.name == "orange" and rule.owner == "Moi"
        with pytest.raises(AccessDenied):
            R.delete_rule(s, people.bob, rule.id)
        changed = R.update_rule(s, people.alice, rule.id, query="orange SAUF jus", enabled=False)
        assert changed.query == "orange SAUF jus" and not changed.enabled
        R.delete_rule(s, people.alice, rule.id)
        assert R.list_rules(s, people.alice) == []
        assert s.scalar(select(func.count(Entry.id))) == 6


def test_pin_action_tags_entries_on_a_board(world) -> None:
    from curation.boards import create_board, list_my_boards
    from curation.pins import board_pins

    people, feed, _ids = world
    with session_scope() as s:
        board = create_board(s, people.alice, title="Crises")
        with pytest.raises(AccessDenied):
            other = create_board(s, people.bob, title="Bob")
            R.create_rule(
                s, people.alice, name="x", query="panne", actions=actions(pin=True, pin_board_id=other.id)
            )
    with session_scope() as s:
        rule = R.create_rule(
            s,
            people.alice,
            name="Pannes",
            query="panne OR outages",
            actions=R.RuleActions(pin=True, pin_board_id=board.id, pin_tags=("#Crise", "orange")),
        )
        assert (
            rule.actions.pin_tags == ("crise", "orange")
            and "Épingler (#crise, #orange)" in rule.actions.labels()
        )
    with session_scope() as s:
        run = R.dry_run_rule(s, people.alice, rule.id)
        assert R.apply_rule(s, people.alice, rule.id).matched == run.count == 2
        assert R.apply_rule(s, people.alice, rule.id).new_matches == 0  # pinned once
    store(feed, [{"title": "Nouvelle panne", "text": ""}])
    with session_scope() as s:
        pins = board_pins(s, people.alice, board.id)
        assert sorted(p.title for p in pins) == [
            "How brands handle outages",
            "Nouvelle panne",
            "Panne géante chez Orange",
        ]
        assert [sorted(p.tags) for p in pins] == [["crise", "orange"]] * 3, [p.tags for p in pins]
    # A cohort rule pins to each member's default board.
    cohort_feed = subscribe(people.trainer, "https://cohorte.example.fr/rss", cohort_id=people.cohort_id)
    with session_scope() as s:
        with pytest.raises(UserError, match="tableau par défaut"):
            R.create_rule(
                s,
                people.trainer,
                name="x",
                query="grève",
                cohort_id=people.cohort_id,
                actions=R.RuleActions(pin=True, pin_board_id=board.id),
            )
        R.create_rule(
            s,
            people.trainer,
            name="Grèves",
            query="grève",
            cohort_id=people.cohort_id,
            actions=R.RuleActions(pin=True),
        )
    store(cohort_feed, [{"title": "Grève chez Orange", "text": ""}])
    with session_scope() as s:
        default = next(b for b in list_my_boards(s, people.bob) if b.is_default)
        assert [p.title for p in board_pins(s, people.bob, default.id)] == ["Grève chez Orange"]


def test_applying_a_rule_to_articles_already_received_alerts_nobody(world) -> None:
    """Saving or re-applying a rule runs it over the stored articles: they are not « nouveaux
    articles », and a session rule would otherwise alert (and e-mail) every trainee about them."""
    from curation.monitoring.alerts import list_alerts

    people, feed, _ids = world
    with session_scope() as s:
        rule = R.create_rule(s, people.alice, name="Orange", query="orange", actions=actions(alert=True))
        applied = R.apply_rule(s, people.alice, rule.id)
        assert applied.matched == applied.new_matches > 0
        assert list_alerts(s, people.alice) == []
    store(feed, [{"title": "Orange encore en panne", "text": ""}])
    with session_scope() as s:
        (alert,) = list_alerts(s, people.alice)
    assert alert.message == "La règle «\u00a0Orange\u00a0» a retenu 1\u00a0nouvel article."
