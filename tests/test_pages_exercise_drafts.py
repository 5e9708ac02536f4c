"""AppTest for work in progress on « Mes exercices »: the address names the open exercise, a reload
(a new session on the same address) finds the work where it was, empty answers are refused and a
finished crisis is not decided again."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from curation.sanitize import markdown_text
from tests.apptest import ROOT
from tests.test_pages_exercises import button, texts
from training_modules.exercises import get_exercise, live, submissions
from workbench.db import session_scope

PAGE = "screens/my_exercises.py"
REPLY = "reply-client-colis-perdu"
LIVE_TWEET = "live-tweet-salon-gastronomie"
CRISIS = "crisis-fournil-rumeur"
CALENDAR = "calendar-fournil-semaine"


def visit(actor, exercise_id: str | None = None, **address: str) -> AppTest:
    """The page as a browser opening (or reloading) its address: a new session, nothing in memory."""
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=60)
    at.session_state["actor"] = actor
    if exercise_id:
        at.query_params["exercice"] = exercise_id
    for name, value in address.items():
        at.query_params[name] = value
    return at.run()


def handed_in(actor) -> list[submissions.SubmissionView]:
    with session_scope() as s:
        return [h for h in submissions.attempts(s, actor, actor.id) if h.status != "in_progress"]


def test_the_address_names_the_open_exercise(people):
    at = visit(people.alice)
    at.selectbox(key="catalogue").set_value(REPLY).run()
    assert at.query_params == {"exercice": REPLY}
    button(at, "← Mes exercices").click().run()
    assert at.query_params == {}
    assert at.title[0].value == "Mes exercices"


def test_a_reload_finds_the_reply_as_typed(people):
    at = visit(people.alice, REPLY)
    at.text_area(key=f"ex:{REPLY}:text").input("Bonjour Julie, je regarde votre colis tout de suite.").run()
    assert not at.exception
    at = visit(people.alice, REPLY)  # F5: no « Enregistrer » was clicked
    assert (
        at.text_area(key=f"ex:{REPLY}:text").value == "Bonjour Julie, je regarde votre colis tout de suite."
    )
    assert "Brouillon repris" in texts(at)
    assert handed_in(people.alice) == []  # a draft, not a hand-in
    assert visit(people.bob, REPLY).text_area(key=f"ex:{REPLY}:text").value == ""  # Bob's own page


def test_a_reload_in_the_middle_of_a_live_tweet_keeps_messages_and_clock(people):
    at = visit(people.alice, LIVE_TWEET)
    button(at, "Démarrer le live").click().run()
    at.text_area(key=f"ex:{LIVE_TWEET}:draft").input("C’est parti pour la finale ! #FinaleCroissant")
    at.button(key=f"FormSubmitter:ex:{LIVE_TWEET}:compose-Publier").click().run()
    assert not at.exception
    with session_scope() as s:  # two minutes into the live when the connection drops
        draft = submissions.get_draft(s, people.alice, LIVE_TWEET).answer
        submissions.save_draft(s, people.alice, LIVE_TWEET, {**draft, "started_at": time.time() - 120})
    at = visit(people.alice, LIVE_TWEET)
    assert not at.exception
    assert "C’est parti pour la finale" in texts(at)
    assert at.metric[0].value.startswith("02:")
    assert not [b for b in at.button if b.label == "Démarrer le live"]
    button(at, "Terminer et rendre").click().run()
    [sub] = handed_in(people.alice)
    assert [p["text"] for p in sub.answer["posts"]] == ["C’est parti pour la finale ! #FinaleCroissant"]


def test_a_reload_in_the_middle_of_a_crisis_keeps_the_path_and_the_step(people):
    at = visit(people.alice, CRISIS)
    at.radio(key=f"ex:{CRISIS}:s1").set_value("a").run()
    button(at, "Décider").click().run()
    at = visit(people.alice, CRISIS)
    assert not at.exception
    first = get_exercise(CRISIS).steps[0].choices[0]
    assert f"Votre décision : **{first.text}**" in texts(at).replace("\u00a0", " ")
    assert at.radio(key=f"ex:{CRISIS}:s2").value is None  # the second step waits for a decision
    assert not [r for r in at.radio if r.key == f"ex:{CRISIS}:s1"]


def test_a_reload_keeps_an_unsaved_calendar(people):
    at = visit(people.alice, CALENDAR)
    at.selectbox(key=f"ex:{CALENDAR}:day").set_value("mercredi")
    at.selectbox(key=f"ex:{CALENDAR}:type").set_value("conseil")
    at.text_input(key=f"ex:{CALENDAR}:topic").input("Conserver son pain")
    at.button(key=f"FormSubmitter:ex:{CALENDAR}:add-Ajouter au calendrier").click().run()
    at = visit(people.alice, CALENDAR)
    assert "mercredi 12:00" in texts(at) and "Conserver son pain" in texts(at)


def test_an_empty_reply_is_refused_beside_the_field(people):
    at = visit(people.alice, REPLY)
    button(at, "Rendre").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        markdown_text("Votre réponse est vide\u00a0: écrivez-la avant de la rendre.")
    ]
    assert handed_in(people.alice) == []


def test_a_finished_crisis_is_not_decided_again(people):
    at = visit(people.alice, CRISIS)
    for step in ("s1", "s2", "s3"):
        at.radio(key=f"ex:{CRISIS}:{step}").set_value("a").run()
        button(at, "Décider").click().run()
    assert at.metric[0].value == "100,0\u202f%"
    at.run()
    assert not [b for b in at.button if b.label == "Décider"]
    assert at.metric[0].value == "100,0\u202f%"
    assert len(handed_in(people.alice)) == 1
    button(at, "Rejouer le scénario").click().run()
    assert at.radio(key=f"ex:{CRISIS}:s1").value is None
    assert at.query_params == {"exercice": CRISIS}  # a new attempt: no copy named any more
    assert len(handed_in(people.alice)) == 1


def test_a_reload_after_the_last_decision_shows_the_finished_scenario(people):
    """F5 after the crisis's last decision started the scenario again at its first step, « Décider »
    and all: the address named the exercise, not the copy just handed in."""
    at = visit(people.alice, CRISIS)
    for step in ("s1", "s2", "s3"):
        at.radio(key=f"ex:{CRISIS}:{step}").set_value("a").run()
        button(at, "Décider").click().run()
    at.run()
    [sub] = handed_in(people.alice)
    assert at.query_params == {"exercice": CRISIS, "rendu": str(sub.id)}
    at = visit(people.alice, **at.query_params)  # F5
    assert not at.exception
    assert not [b for b in at.button if b.label == "Décider"]
    assert at.metric[0].value == "100,0\u202f%"
    assert "Votre réponse" in [e.label for e in at.expander]
    assert len(handed_in(people.alice)) == 1
    at = visit(people.bob, exercice=CRISIS, rendu=str(sub.id))  # someone else's copy: refused
    assert [e.value for e in at.error] == [markdown_text("Vous ne pouvez consulter que vos propres données.")]


def test_the_address_names_an_opened_copy_for_its_owner_only(people):
    with session_scope() as s:
        sub = submissions.submit(s, people.alice, REPLY, {"text": get_exercise(REPLY).model_answer})
    at = visit(people.alice)
    at.button(key=f"hist:{sub.id}").click().run()
    assert at.query_params == {"copie": str(sub.id)}
    at = visit(people.alice, copie=str(sub.id))
    assert "Votre réponse" in [e.label for e in at.expander]
    at = visit(people.bob, copie=str(sub.id))
    assert [e.value for e in at.error] == [markdown_text("Vous ne pouvez consulter que vos propres données.")]


def test_the_serp_preview_cuts_a_long_title_on_a_word(people):
    seo = "seo-fiche-conseil-pain"
    at = visit(people.alice, seo)
    long_title = "Conserver son pain de campagne plus longtemps : les conseils du boulanger de quartier"
    at.text_input(key=f"ex:{seo}:title").input(long_title).run()
    shown = next(m.value for m in at.markdown if m.value.startswith(":blue[**"))
    assert shown == f":blue[**{markdown_text('Conserver son pain de campagne plus longtemps : les…')}**]"


def test_a_reload_keeps_the_article_chosen_from_the_wall(people):
    from curation.models import Entry, Feed, Subscription

    watch = "watch-summary-creator-economy"
    with session_scope() as s:
        feed = Feed(url="https://techwire.example.com/feed", title="TechWire")
        s.add(feed)
        s.flush()
        s.add(Subscription(feed_id=feed.id, user_id=people.alice.id))
        for n, title in enumerate(("Threads adds DMs", "Bluesky passes 30 million users")):
            s.add(
                Entry(
                    feed_id=feed.id,
                    guid=str(n),
                    link=f"https://techwire.example.com/{n}",
                    title=title,
                    language="en",
                )
            )
    at = visit(people.alice, watch)
    at.radio(key=f"ex:{watch}:source").set_value("wall").run()
    box = at.selectbox(key=f"ex:{watch}:item")
    box.select_index(next(n for n, label in enumerate(box.options) if "Bluesky" in label))
    at.text_area(key=f"ex:{watch}:text").input("Bluesky dépasse les 30 millions d’utilisateurs.").run()
    at = visit(people.alice, watch)
    assert at.radio(key=f"ex:{watch}:source").value == "wall"
    assert at.selectbox(key=f"ex:{watch}:item").value.title == "Bluesky passes 30 million users"


def test_a_reload_comes_back_to_the_live_crisis_of_ones_own_cohort(people):
    with session_scope() as s:
        live_id = live.start_live(
            s, people.trainer, cohort_id=people.cohort_id, exercise_id="crisis-lumen-lampe"
        ).id
        live.release_next(s, people.trainer, live_id)
    at = visit(people.alice)
    button(at, "Rejoindre la crise en direct").click().run()
    assert at.query_params == {"crise": str(live_id)}
    at = visit(people.alice, crise=str(live_id))
    assert at.radio(key="live:s1").value is None  # back at the released event, ready to decide
    at = visit(people.zoe, crise=str(live_id))
    assert "ne faites pas partie" in at.error[0].value


def test_the_live_tweet_says_when_the_live_is_over(people):
    """Back after the end of the live, the clock ran on (« 11:40 ») and a message could still be
    published, then silently left out of the grade. Now the clock stops at the live's length, the
    page says it is over, and a message posted too late is refused with the reason."""
    at = visit(people.alice, LIVE_TWEET)
    button(at, "Démarrer le live").click().run()
    with session_scope() as s:
        draft = submissions.get_draft(s, people.alice, LIVE_TWEET).answer
        submissions.save_draft(s, people.alice, LIVE_TWEET, {**draft, "started_at": time.time() - 700})
    at = visit(people.alice, LIVE_TWEET)
    assert not at.exception
    assert at.metric[0].value == "06:00"
    assert "Le direct est terminé" in texts(at)
    at.text_area(key=f"ex:{LIVE_TWEET}:draft").input("Trop tard ? #FinaleCroissant")
    at.button(key=f"FormSubmitter:ex:{LIVE_TWEET}:compose-Publier").click().run()
    assert not at.exception
    assert "ne compterait pas" in texts(at)
    with session_scope() as s:
        assert submissions.get_draft(s, people.alice, LIVE_TWEET).answer["posts"] == []
