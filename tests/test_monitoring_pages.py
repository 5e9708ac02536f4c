"""AppTest of the E-réputation and Règles de veille pages, for each role."""

from __future__ import annotations

from curation.monitoring import rules as R
from curation.monitoring import watches as W
from tests.apptest import run_page, wall_cards
from tests.monitoring_factory import store, subscribe
from workbench.db import session_scope

NEWS = [
    {"title": "Orange relève ses tarifs", "text": "Les clients d’Orange sont en colère."},
    {"title": "Un jus d’orange", "text": "Le fruit du matin."},
    {"title": "SFR et Orange en concurrence", "text": "Une offre excellente."},
]


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [s.value for s in at.success] + [e.value for e in at.error] + [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_monitoring_page_empty_for_each_role(people) -> None:
    for actor in (people.trainer, people.alice):
        at = run_page("screens/monitoring.py", actor)
        assert not at.exception
        assert "Créez votre première veille" in texts(at)
    at = run_page("screens/monitoring.py")
    assert "Connectez-vous" in texts(at)


def test_create_watch_then_dashboard_and_alert(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss", title="Le Journal")
    store(feed, NEWS)
    at = run_page("screens/monitoring.py", people.alice)
    next(t for t in at.text_input if t.label == "Nom suivi").input("Orange")
    next(a for a in at.text_area if a.label.startswith("Exclusions")).input("jus\nfruit")
    at.button(key="FormSubmitter:watch-new-0-Créer la veille").click().run()
    assert not at.exception, at.exception
    with session_scope() as s:
        (watch,) = W.list_watches(s, people.alice)
    assert watch.exclusions == ["jus", "fruit"] and watch.mention_count == 2
    # An alert arrives with the next refresh.
    with session_scope() as s:
        W.update_watch(
            s, people.alice, watch.id, W.WatchInput(name="Orange", exclusions=["jus"], alert_threshold=1)
        )
    store(feed, [{"title": "Orange en panne", "text": ""}])
    at = run_page("screens/monitoring.py", people.alice)
    assert not at.exception
    assert any("Orange" in str(t.value) for t in at.toast)
    assert any(e.label.startswith("Alertes (1 nouvelle)") for e in at.expander)
    assert len(at.get("plotly_chart")) >= 3
    html = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert "<mark>Orange</mark>" in html and "estimation automatique" in html
    at.button(key="alerts-seen").click().run()
    assert not at.exception
    assert not any(e.label.startswith("Alertes (") for e in at.expander)


def test_share_of_voice_tab(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    store(feed, NEWS)
    with session_scope() as s:
        W.create_watch(s, people.alice, W.WatchInput(name="Orange"))
        W.create_watch(s, people.alice, W.WatchInput(name="SFR"))
    at = run_page("screens/monitoring.py", people.alice)
    rivals = at.multiselect(key="sov-rivals")
    rivals.select(rivals.options[0]).run()
    assert not at.exception
    assert at.dataframe, "the share-of-voice table is shown"
    # Bob sees none of Alice's watches.
    at = run_page("screens/monitoring.py", people.bob)
    assert not at.exception and "Créez votre première veille" in texts(at)


def test_rules_page_try_save_and_list_for_each_role(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    store(feed, NEWS)
    at = run_page("screens/rules.py", people.alice)
    assert not at.exception
    at.text_area[0].input("orange SAUF jus")
    at.button(key="FormSubmitter:rule-new-Essayer").click().run()
    assert not at.exception
    assert "2\u00a0articles retenus" in texts(at)
    at.text_input[0].input("Orange l’opérateur")
    at.checkbox(key="new-highlight").check()
    at.button(key="FormSubmitter:rule-new-Enregistrer").click().run()
    assert not at.exception
    assert "2\u00a0articles retenus" in texts(at)
    with session_scope() as s:
        (rule,) = R.list_rules(s, people.alice)
    assert rule.match_count == 2
    # A rule that pins with tags, onto the default board.
    at.text_area[0].input("panne")
    at.text_input[0].input("Pannes")
    at.checkbox(key="new-highlight").uncheck()
    at.checkbox(key="new-pin").check()
    next(t for t in at.text_input if t.label == "Étiquettes de l’épingle").input("#Crise, orange")
    at.button(key="FormSubmitter:rule-new-Enregistrer").click().run()
    assert not at.exception
    with session_scope() as s:
        pinned = next(r for r in R.list_rules(s, people.alice) if r.name == "Pannes")
    assert pinned.actions.pin and pinned.actions.pin_tags == ("crise", "orange") and pinned.match_count == 0
    # A broken regex: a clear French message, nothing saved.
    at.text_area[0].input("titre:/(orange/")
    at.checkbox(key="new-pin").uncheck()
    at.checkbox(key="new-hide").check()
    at.button(key="FormSubmitter:rule-new-Enregistrer").click().run()
    assert not at.exception
    assert any("expression régulière" in e.value for e in at.error)
    # The trainer writes a cohort rule; Alice sees it without being able to change it.
    at = run_page("screens/rules.py", people.trainer)
    assert not at.exception
    assert len(next(b for b in at.selectbox if b.label == "Pour").options) == 2
    with session_scope() as s:
        R.create_rule(
            s,
            people.trainer,
            name="Crise",
            query="panne",
            actions=R.RuleActions(alert=True),
            cohort_id=people.cohort_id,
        )
    at = run_page("screens/rules.py", people.alice)
    assert not at.exception
    assert "seul votre formateur peut la modifier" in texts(at)
    at.button(key=f"apply-{rule.id}").click().run()
    assert not at.exception and "2\u00a0articles retenus, 0\u00a0nouvelle action." in texts(at)


def test_wall_shows_what_my_rules_highlight(people) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    with session_scope() as s:
        R.create_rule(s, people.alice, name="Concurrence", query="sfr", actions=R.RuleActions(highlight=True))
    store(feed, NEWS)
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    badges = [c["highlight"] for c in wall_cards(at).values() if c["highlight"]]  # ui.card_grid
    assert badges == ["Mis en évidence par «\u00a0Concurrence\u00a0»"]
    at = run_page("screens/wall.py", people.bob)  # Bob's wall: his own (demo) sources, no highlight
    assert not at.exception and wall_cards(at) and not [c for c in wall_cards(at).values() if c["highlight"]]


def test_watch_alert_numbers_are_typed_the_french_way(people) -> None:
    """Issue 18: every number field reads French input and refuses what it cannot read."""
    at = run_page("screens/monitoring.py", people.alice)
    next(t for t in at.text_input if t.label == "Nom suivi").input("Orange")
    threshold = next(t for t in at.text_input if t.label.startswith("Seuil"))
    threshold.input("12,5")
    at.button(key="FormSubmitter:watch-new-0-Créer la veille").click().run()
    assert not at.exception
    assert any("un nombre entier est attendu" in e.value for e in at.error)
    with session_scope() as s:
        assert not W.list_watches(s, people.alice)  # refused, not rounded
    next(t for t in at.text_input if t.label.startswith("Seuil")).input("1\u00a0000")
    next(t for t in at.text_input if t.label.startswith("Une alerte au plus")).input("abc")
    at.button(key="FormSubmitter:watch-new-0-Créer la veille").click().run()
    assert any("«\u00a0abc\u00a0» n’est pas un nombre lisible" in e.value for e in at.error)
    with session_scope() as s:
        assert not W.list_watches(s, people.alice)
    next(t for t in at.text_input if t.label.startswith("Une alerte au plus")).input("90")
    at.button(key="FormSubmitter:watch-new-0-Créer la veille").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope() as s:
        (watch,) = W.list_watches(s, people.alice)
    assert (watch.alert_threshold, watch.alert_period_minutes) == (1000, 90)
