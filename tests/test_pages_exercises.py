"""AppTest for the exercise pages, for each role."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from curation.sanitize import markdown_text
from tests.apptest import run_app
from training_modules.exercises import assignments, get_exercise, live, reviews, submissions
from workbench.db import session_scope
from workbench.localtime import today

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def page(path: str, actor, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=TIMEOUT)
    at.session_state["actor"] = actor
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def texts(at: AppTest) -> str:
    """Everything written on the page, Markdown escapes removed."""
    return re.sub(r"\\(.)", r"\1", _texts(at))


def _texts(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [str(e.value) for e in at.info]
        + [str(e.value) for e in at.success]
        + [str(e.value) for e in at.warning]
        + [str(e.value) for e in at.error]
    )


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


# --- trainee ------------------------------------------------------------------------------


def test_my_exercises_lists_assigned_and_is_for_trainees(people):
    with session_scope() as s:
        assignments.assign(
            s,
            people.trainer,
            cohort_id=people.cohort_id,
            exercise_id="moderation-fournil-concours",
            due_on=date.today() + timedelta(days=3),
        )
    at = page("screens/my_exercises.py", people.alice)
    assert not at.exception
    assert at.title[0].value == "Mes exercices"
    assert "Trier les commentaires d’un concours Instagram" in texts(at)
    assert "à rendre le" in texts(at)
    at = page("screens/my_exercises.py", people.trainer)
    assert "Page non accessible" in at.error[0].value


def test_trainee_does_a_moderation_triage_with_instant_feedback(people):
    ex = get_exercise("moderation-fournil-concours")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    assert not at.exception
    for c in ex.comments:
        at.selectbox(key=f"ex:{ex.id}:{c.id}:action").set_value(c.key.action)
    at.text_input(key=f"ex:{ex.id}:c3:reason").input("Réclamation produit")
    button(at, "Rendre").click().run()
    assert not at.exception
    assert at.metric[0].value == "100,0\u202f%"
    assert "règle 5" in texts(at)
    with session_scope() as s:
        [sub] = submissions.attempts(s, people.alice, people.alice.id)
        assert sub.status == "submitted" and sub.answer["c3"]["reason"] == "Réclamation produit"


def test_trainee_saves_a_draft_and_finds_it_again(people):
    ex = get_exercise("post-veloce-recrutement-x")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    at.text_area(key=f"ex:{ex.id}:text").input("On recrute\u202f! #Recrutement").run()  # saved as typed
    assert not at.exception
    assert "pondérés selon la règle de X" in texts(at)
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    assert at.text_area(key=f"ex:{ex.id}:text").value == "On recrute\u202f! #Recrutement"
    assert "Brouillon repris" in texts(at)
    at = page("screens/my_exercises.py", people.alice)
    assert "En cours (1)" in [t.label for t in at.tabs]


def test_every_kind_renders_for_a_trainee(people):
    seen = set()
    for ex in __import__("training_modules.exercises", fromlist=["x"]).load_exercises().values():
        if ex.kind in seen:
            continue
        seen.add(ex.kind)
        at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
        assert not at.exception, ex.id
        assert at.header[0].value == markdown_text(ex.title)
    assert len(seen) == 10


def test_a_several_answers_question_shows_every_option_as_a_box_to_tick(people):
    """Its options were hidden in a drop-down (« Cochez une ou plusieurs réponses »): a trainee had to
    open it to read them, while the scoring rule speaks of « cases cochées »."""
    quiz = get_exercise("quiz-indicateurs")
    several = [q for q in quiz.questions if q.type == "multiple"]
    at = page("screens/my_exercises.py", people.alice, open_exercise=quiz.id)
    assert not at.multiselect
    for q in several:
        assert [c.label for c in at.checkbox if c.key.startswith(f"ex:{quiz.id}:{q.id}:")] == [
            markdown_text(o.text) for o in q.options
        ]
    # « 2. » written as is would be a Markdown numbered list: indented, in a larger type than the others
    prompts = [m.value for m in at.markdown if "(plusieurs réponses possibles)" in m.value]
    assert [p.split(" ", 1)[0] for p in prompts] == [f"{quiz.questions.index(q) + 1}\\." for q in several]
    first = several[0]
    at.checkbox(key=f"ex:{quiz.id}:{first.id}:{first.options[1].id}").check().run()
    at = page("screens/my_exercises.py", people.alice, open_exercise=quiz.id)  # a new visit: the draft
    assert at.checkbox(key=f"ex:{quiz.id}:{first.id}:{first.options[1].id}").value


def test_quiz_and_kpi_and_seo_submit(people):
    quiz = get_exercise("quiz-indicateurs")
    at = page("screens/my_exercises.py", people.alice, open_exercise=quiz.id)
    for q in quiz.questions:
        if q.type == "single":
            at.radio(key=f"ex:{quiz.id}:{q.id}").set_value(q.answer[0])
        else:
            for option in q.answer:
                at.checkbox(key=f"ex:{quiz.id}:{q.id}:{option}").check()
    button(at, "Rendre").click().run()
    assert not at.exception and at.metric[0].value == "100,0\u202f%"

    from training_modules.exercises.kpi import dataset_for, expected_values

    kpi = get_exercise("kpi-veloce-mars")
    values = expected_values(kpi, dataset_for(kpi, people.alice.id))
    at = page("screens/my_exercises.py", people.alice, open_exercise=kpi.id)
    for metric, value in values.items():  # typed the French way: « 6,88 » is 6.88, not 688
        at.text_input(key=f"ex:{kpi.id}:{metric}").input(f"{value:.2f}".replace(".", ","))
    button(at, "Rendre").click().run()
    assert not at.exception and at.metric[0].value == "100,0\u202f%"
    assert "Vous avez trouvé" not in texts(at)
    with session_scope() as s:
        [handed] = submissions.attempts(s, people.alice, people.alice.id, kpi.id)
    assert handed.answer == pytest.approx(values)  # stored as numbers, read the French way

    seo = get_exercise("seo-fiche-conseil-pain")
    at = page("screens/my_exercises.py", people.alice, open_exercise=seo.id)
    at.text_input(key=f"ex:{seo.id}:title").input("Pain")
    button(at, "Rendre").click().run()
    assert not at.exception
    assert "Longueur du titre" in texts(at)


@pytest.mark.parametrize("typed", ["6.8.8", "1e5", "1_000"])
def test_kpi_unreadable_value_is_refused_beside_its_field(people, typed):
    kpi = get_exercise("kpi-veloce-mars")
    first = kpi.metrics[0]
    at = page("screens/my_exercises.py", people.alice, open_exercise=kpi.id)
    at.text_input(key=f"ex:{kpi.id}:{first}").input(typed).run()
    assert any("n’est pas un nombre lisible" in e.value for e in at.error)
    button(at, "Rendre").click().run()
    assert not at.exception and not at.metric  # nothing graded, nothing handed in
    # Once, beside the field: the hand-in's refusal showed it a second time, under « Rendre ».
    [refusal] = [e for e in at.error if "n’est pas un nombre lisible" in e.value]

    def in_order(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from in_order(child)

    shown = list(in_order(at.main))
    field = next(i for i, e in enumerate(shown) if getattr(e, "key", None) == f"ex:{kpi.id}:{first}")
    assert shown[field + 1] is refusal
    assert at.text_input(key=f"ex:{kpi.id}:{first}").value == typed  # kept as typed
    with session_scope() as s:
        assert not [
            a
            for a in submissions.attempts(s, people.alice, people.alice.id, kpi.id)
            if a.status != "in_progress"
        ]


def test_calendar_add_and_remove(people):
    ex = get_exercise("calendar-fournil-semaine")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    at.selectbox(key=f"ex:{ex.id}:day").set_value("mercredi")
    at.selectbox(key=f"ex:{ex.id}:type").set_value("conseil")
    at.text_input(key=f"ex:{ex.id}:topic").input("Conserver son pain")
    at.button(key=f"FormSubmitter:ex:{ex.id}:add-Ajouter au calendrier").click().run()
    assert not at.exception
    assert "mercredi 12:00" in texts(at)
    button(at, "Rendre").click().run()
    assert "Rendez-vous #MercrediAstuce" in texts(at)
    assert "Reprenez le brief" in texts(at)  # one post is far from the pass mark


EMPTY_SUBJECT = "Indiquez le sujet de la publication\u00a0: ce qu’elle annonce ou raconte."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", EMPTY_SUBJECT),
        ("   ", EMPTY_SUBJECT),
        (
            "x" * 10_000,
            "Le sujet est trop long (10\u202f000 caractères, 300 au plus)\u00a0: résumez-le en une phrase.",
        ),
    ],
)
def test_calendar_refuses_a_post_without_a_subject_or_too_long_beside_the_field(people, typed, message):
    """An empty or blank subject once added « lundi 12:00 · Instagram · Annonce — » with nothing after
    the dash; 10,000 characters went into the plan whole."""
    ex = get_exercise("calendar-fournil-semaine")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    at.selectbox(key=f"ex:{ex.id}:day").set_value("mercredi")
    at.text_input(key=f"ex:{ex.id}:topic").input(typed)
    at.button(key=f"FormSubmitter:ex:{ex.id}:add-Ajouter au calendrier").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [markdown_text(message)]
    assert at.session_state[f"ex:{ex.id}:plan"] == []  # nothing added
    assert at.text_input(key=f"ex:{ex.id}:topic").value == typed  # what was typed is kept
    assert at.selectbox(key=f"ex:{ex.id}:day").value == "mercredi"
    at.text_input(key=f"ex:{ex.id}:topic").input("Conserver son pain")
    at.button(key=f"FormSubmitter:ex:{ex.id}:add-Ajouter au calendrier").click().run()
    assert not at.error and "mercredi 12:00" in texts(at)
    assert at.text_input(key=f"ex:{ex.id}:topic").value == ""  # ready for the next post


def test_crisis_solo_to_the_debrief(people):
    ex = get_exercise("crisis-fournil-rumeur")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    for step in ("s1", "s2", "s3"):
        at.radio(key=f"ex:{ex.id}:{step}").set_value("a").run()
        button(at, "Décider").click().run()
        assert not at.exception
    assert at.metric[0].value == "100,0\u202f%"
    assert any("Débrief" in e.label for e in at.expander)


def read_the_feedback(actor, comment: str) -> None:
    """« Retours reçus (1) », then « Lire le retour » shows the trainer's ``comment``."""
    at = page("screens/my_exercises.py", actor)
    assert "Retours reçus (1)" in [t.label for t in at.tabs]
    button(at, "Lire le retour").click().run()
    assert not at.exception
    assert comment in texts(at)


def test_reading_released_feedback(people):
    ex = get_exercise("reply-client-colis-perdu")
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, ex.id, {"text": ex.model_answer})
        reviews.grade_submission(
            s, people.trainer, sub.id, rubric_points=[6, 4, 4], comment="Bravo, ton juste."
        )
    at = page("screens/my_exercises.py", people.alice, open_submission=sub.id)
    assert "Bravo" not in texts(at)  # not released yet
    assert "En attente de correction" in texts(at)
    with session_scope() as s:
        reviews.release_feedback(s, people.trainer, sub.id)
    read_the_feedback(people.alice, "Bravo, ton juste.")
    # another trainee cannot open it
    at = page("screens/my_exercises.py", people.bob, open_submission=sub.id)
    assert "propres données" in at.error[0].value


def test_feedback_on_an_earlier_attempt_is_still_received(people):
    """The trainee tried the reply again before the trainer published the feedback on the first
    attempt: « Retours reçus » said 0 and the feedback was only in the history's detail."""
    ex = get_exercise("reply-client-colis-perdu")
    with session_scope() as s:
        first = submissions.submit(s, people.alice, ex.id, {"text": ex.model_answer})
        submissions.submit(s, people.alice, ex.id, {"text": ex.model_answer + " Belle journée."})
        reviews.grade_submission(
            s, people.trainer, first.id, rubric_points=[6, 4, 4], comment="Bravo, ton juste."
        )
        reviews.release_feedback(s, people.trainer, first.id)
    read_the_feedback(people.alice, "Bravo, ton juste.")
    at = run_app(people.alice, "screens/home.py")
    assert [m.value for m in at.metric if m.label == "Retours reçus"] == ["1"]


def test_live_crisis_for_a_trainee(people):
    with session_scope() as s:
        live_id = live.start_live(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id="crisis-lumen-lampe"
        ).id
    at = page("screens/my_exercises.py", people.alice)
    button(at, "Rejoindre la crise en direct").click().run()
    assert not at.exception
    assert "En attente de l’événement suivant" in texts(at)
    title = get_exercise("crisis-lumen-lampe").title  # quoted: it read « Crise en direct : X : Y »
    assert [h.value for h in at.header] == [f"Crise en direct\u00a0: «\u00a0{markdown_text(title)}\u00a0»"]
    with session_scope() as s:
        live.release_next(s, people.trainer, live_id)
    at = page("screens/my_exercises.py", people.alice, live_id=live_id)
    at.radio(key="live:s1").set_value("a").run()
    button(at, "Décider").click().run()
    assert not at.exception
    with session_scope() as s:
        assert live.live_state(s, people.trainer, live_id).rows[0].answered_rounds == 1


def test_a_live_crisis_shows_the_trainers_text_as_plain_text(people):
    """The live crisis wrote the trainer's step heading, options and consequences as Markdown (the
    solo crisis escapes them): « [clic](https://x.example) » became a link in every trainee's page."""
    from training_modules import library

    trap = "**Gras** [clic](https://x.example)"
    with session_scope() as s:
        data = library.duplicate_data(s, people.trainer, "crisis-lumen-lampe")
        for step in data["steps"]:
            step["channel"] = trap
            for choice in step["choices"]:
                choice["text"] = f"{choice['id']} {trap}"
                choice["consequence"] = trap
        ex_id = library.save_exercise(s, people.trainer, data, sharing="private").exercise.id
        live_id = live.start_live(s, people.trainer, cohort_id=people.cohort_id, exercise_id=ex_id).id
        live.release_next(s, people.trainer, live_id)
    at = page("screens/my_exercises.py", people.alice, live_id=live_id)
    shown = [*_texts(at).splitlines(), *at.radio(key="live:s1").options]
    at.radio(key="live:s1").set_value("a").run()
    button(at, "Décider").click().run()
    assert not at.exception
    shown += _texts(at).splitlines()
    with_trap = [v for v in shown if "Gras" in v]
    assert (
        len(with_trap) >= 6
    )  # the step (heading, options), then the step taken (heading, decision, consequence)
    assert not [v for v in with_trap if "**Gras**" in v or "](https://" in v]


# --- trainer ------------------------------------------------------------------------------


def test_trainer_assigns_previews_and_exports(people):
    at = page("screens/exercise_assign.py", people.trainer)
    assert not at.exception
    at.button(key="assign:quiz-indicateurs").click().run()
    assert not at.exception
    with session_scope() as s:
        [a] = assignments.cohort_assignments(s, people.trainer, people.cohort_id)
        assert a.exercise_id == "quiz-indicateurs" and a.due_on == today() + timedelta(days=7)
    at.run()
    assert "Avancement de la session" in [h.value for h in at.subheader]
    assert at.dataframe[0].value["Rendus"].tolist() == ["0 / 2"]
    at.button(key="preview:post-fournil-nouveaute").click().run()
    assert not at.exception
    ex = get_exercise("post-fournil-nouveaute")
    at.text_area(key=f"ex:{ex.id}:text").input(ex.model_answer)
    button(at, "Vérifier (aperçu formateur)").click().run()
    assert not at.exception and at.metric[0].value == "100,0\u202f%"
    with session_scope() as s:
        assert submissions.attempts(s, people.trainer, people.trainer.id) == []  # nothing saved
    at = page("screens/exercise_assign.py", people.alice)
    assert "réservée aux formateurs" in at.error[0].value


def test_trainer_reviews_and_releases(people):
    ex = get_exercise("reply-client-colis-perdu")
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, ex.id, {"text": ex.model_answer})
    at = page("screens/exercise_reviews.py", people.trainer)
    assert not at.exception
    assert "1\u00a0copie à corriger, 0\u00a0retour prêt à publier" in texts(at)  # not « 1 copie(s) »
    for i, points in enumerate([6, 0, 0]):
        at.radio(key=f"rubric:{sub.id}:{i}").set_value(points)
    at.text_area(key=f"comment:{sub.id}").input("Belle empathie\u202f; proposez un délai précis.")
    at.button(key=f"FormSubmitter:review:{sub.id}-Enregistrer la correction").click().run()
    assert not at.exception
    assert "La personne ne le voit pas encore" in texts(at)
    button(at, "Publier le retour").click().run()
    assert not at.exception
    with session_scope() as s:
        seen = submissions.get_submission(s, people.alice, sub.id)
        assert seen.status == "feedback_released" and seen.review.rubric_points == [6, 0, 0]
    with session_scope() as s:
        submissions.submit(
            s, people.bob, "seo-fiche-conseil-pain", {"title": "t", "meta_description": "m", "body": "b"}
        )
    at = page("screens/exercise_reviews.py", people.trainer)
    assert "Aucune copie en attente" in texts(at)
    at.radio(key="review_scope").set_value("optional").run()
    assert not at.exception
    assert "Bob — Rédiger une fiche conseil optimisée" in " ".join(at.selectbox[1].options)
    at = page("screens/exercise_reviews.py", people.other_trainer)
    assert "Aucune copie en attente" in texts(at)
    at = page("screens/exercise_reviews.py", people.bob)
    assert "réservée aux formateurs" in at.error[0].value


def test_trainer_runs_a_live_crisis(people):
    at = page("screens/crisis_live.py", people.trainer)
    assert not at.exception
    next(s for s in at.selectbox if s.label == "Scénario").set_value("crisis-fournil-rumeur").run()
    button(at, "Ouvrir la crise en direct").click().run()
    assert not at.exception
    button(at, "Diffuser l’événement suivant").click().run()
    assert not at.exception
    assert "1 / 3" in [m.value for m in at.metric]
    button(at, "Terminer la crise").click().run()
    assert not at.exception
    with session_scope() as s:
        assert live.running_lives(s, people.trainer) == []
    at = page("screens/crisis_live.py", people.alice)
    assert "réservée aux formateurs" in at.error[0].value


def test_live_tweet_drill_posts_are_timed_and_graded(people):
    ex = get_exercise("live-tweet-salon-gastronomie")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    button(at, "Démarrer le live").click().run()
    assert not at.exception
    assert "Ouverture de la finale" in texts(at)  # the script line at 00:00 is shown at once
    at.text_area(key=f"ex:{ex.id}:draft").input("C’est parti pour la finale ! #FinaleCroissant")
    at.button(key=f"FormSubmitter:ex:{ex.id}:compose-Publier").click().run()
    assert not at.exception
    assert "C’est parti pour la finale" in texts(at)
    button(at, "Terminer et rendre").click().run()
    assert not at.exception
    assert "Cadence" in texts(at) and "Hashtag #FinaleCroissant" in texts(at)
    with session_scope() as s:
        [sub] = submissions.attempts(s, people.alice, people.alice.id)
        assert [p["text"] for p in sub.answer["posts"]] == ["C’est parti pour la finale ! #FinaleCroissant"]
        assert 0 <= sub.answer["posts"][0]["at"] < 60


def test_watch_summary_from_the_given_article(people):
    ex = get_exercise("watch-summary-creator-economy")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    assert "Why brands are trading mega-influencers" in texts(at)
    # the address reads as written (not « www\\.site\\.com », no hidden characters), and is not a link
    assert any(f"`{ex.article.url}`" in c.value for c in at.caption)
    at.text_area(key=f"ex:{ex.id}:text").input("Un résumé sans le lien.")
    button(at, "Rendre").click().run()
    assert any("Ajoutez le lien" in m.value and f"`{ex.article.url}`" in m.value for m in at.markdown)
    at.text_area(key=f"ex:{ex.id}:text").input(ex.model_answer)
    button(at, "Rendre").click().run()
    assert not at.exception
    assert "transmise à votre formateur" in texts(at)


def test_private_message_reply_and_new_networks_render_for_a_trainee(people):
    dm = get_exercise("reply-dm-instagram-echange")
    at = page("screens/my_exercises.py", people.alice, open_exercise=dm.id)
    assert not at.exception
    assert "Message privé reçu sur Instagram" in texts(at)
    assert at.text_area(key=f"ex:{dm.id}:text").label == "Votre réponse en message privé"
    for exercise_id, network in (
        ("post-youtube-description-live", "YouTube"),
        ("post-pinterest-epingle-recette", "Pinterest"),
    ):
        ex = get_exercise(exercise_id)
        at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
        at.text_area(key=f"ex:{ex.id}:text").input(ex.model_answer).run()
        assert not at.exception, exercise_id
        assert f"Règle de {network}, vérifiée le 07/12/2026" in texts(at)
        button(at, "Rendre").click().run()
        assert not at.exception and at.metric[0].value == "100,0\u202f%", exercise_id


def test_the_network_rule_under_a_post_is_french(people):
    """It read « Règle du réseau (X (Twitter)) : twitter-text v3 configuration (…) and X Developer docs »."""
    from tests.test_networks import english_outside_titles

    ex = get_exercise("post-veloce-recrutement-x")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    (rule,) = [c.value for c in at.caption if c.value.startswith("Règle")]
    rule = re.sub(r"\\(.)", r"\1", rule)
    assert rule.startswith("Règle de X (Twitter), vérifiée le 21/11/2026\u00a0: "), rule
    assert "twitter-text" in rule and not english_outside_titles(rule), rule


def test_character_counts_are_french_numbers(people):
    """« 0 / 1300 caractères » under a LinkedIn post (« 1 300 » in French), « 10000 caractères » under
    a long meta description."""
    ex = get_exercise("watch-summary-ai-moderation")
    at = page("screens/my_exercises.py", people.alice, open_exercise=ex.id)
    at.text_area(key=f"ex:{ex.id}:text").input("x" * 10_000).run()
    shown = [e.value for e in at.error] + [c.value for c in at.caption]
    assert any(s.startswith("10\u202f000 / 1\u202f300 caractères") for s in shown), shown
    seo = get_exercise("seo-fiche-conseil-pain")
    at = page("screens/my_exercises.py", people.alice, open_exercise=seo.id)
    at.text_area(key=f"ex:{seo.id}:meta").input("x" * 10_000).run()
    # over the limit, in red as under a post (it was the same grey line as a count within it)
    assert any(e.value.startswith("10\u202f000 caractères (entre ") for e in at.error)
