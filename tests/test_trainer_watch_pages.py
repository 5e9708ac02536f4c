"""The trainer's side as a French trainer meets it: competence map with a whole cohort, shared
boards review, e-réputation and watch rules."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import openpyxl
from streamlit.testing.v1 import AppTest

from curation import boards, pins
from curation.board_models import COHORT, LINK, Pin
from curation.monitoring import watches as W
from curation.pins import PinData
from tests.apptest import ROOT, TIMEOUT
from tests.apptest import run_page as page
from tests.assessment_helpers import complete_attempt
from tests.monitoring_factory import store, subscribe
from training_modules import assessment_reports as reports
from ui.text import plain
from workbench.db import session_scope
from workbench.localtime import people_zone
from workbench.models import User

MAP = "screens/assessment_cohort.py"


def test_the_competence_map_names_who_has_not_answered_yet(people):
    with session_scope() as s:
        s.get(User, people.bob.id).display_name = "Zoé *Lefèvre*"
    complete_attempt(people.alice, 3)
    at = page(MAP, people.trainer)
    at.session_state["tab"] = "Carte de la session"
    at.run()
    assert not at.exception
    assert (
        "1 sur 2\u00a0stagiaires a terminé l’auto-évaluation. Pas encore de réponse\u00a0: Zoé \\*Lefèvre\\*."
        in [c.value for c in at.caption]
    )
    complete_attempt(people.bob, 4)
    at.run()
    assert not [c.value for c in at.caption if "Pas encore" in c.value]


def test_trying_a_rule_that_keeps_every_article_says_it_sorts_nothing(people):
    feed = subscribe(people.trainer, "https://presse.example.fr/rss")
    store(
        feed,
        [
            {"title": f"L’Oréal et le Crédit Agricole, épisode {i}", "text": "Zoé en parle."}
            for i in range(24)
        ],
    )
    at = page("screens/rules.py", people.trainer)
    for query, warned in (("/.*/", True), ("le", True), ("« épisode 3 »", False)):
        at.text_area[0].input(query)
        at.button(key="FormSubmitter:rule-new-Essayer").click().run()
        assert not at.exception
        assert any("ne trie rien" in w.value for w in at.warning) is warned, query


def test_the_review_page_counts_one_pin_and_one_board_in_the_singular(people):
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille « L’Oréal »", visibility=COHORT)
        pins.add_pin(
            s, people.alice, PinData(title="L’Oréal à 6,88 €", url="https://exemple.fr/a"), board_id=board.id
        )
    at = page("screens/board_review.py", people.trainer)
    assert not at.exception
    assert at.selectbox(key="review_board").options == [
        "Alice — Veille « L’Oréal » (1\u00a0épingle, à revoir)"
    ]
    assert "1\u00a0tableau partagé, 1 à revoir." in [c.value for c in at.caption]


def _plotly_stop(stops: list[dict], dtick: int) -> str:
    """The tick format plotly.js picks for ``dtick``: the first stop whose range holds it, both ends
    included (plotly.js ``axes.getTickFormat``, ``isProperStop``)."""
    for stop in stops:
        low, high = stop["dtickrange"]
        if (low is None or low <= dtick) and (high is None or high >= dtick):
            return stop["value"]
    raise AssertionError(f"no stop for {dtick}")


def test_mentions_over_time_read_as_french_days(people):
    feed = subscribe(people.trainer, "https://presse.example.fr/rss", title="Presse française")
    # yesterday's noon where people are: the two episodes an hour apart fall on one day at any hour
    noon = (datetime.now(people_zone()) - timedelta(days=1)).replace(hour=12, minute=0).astimezone(UTC)
    store(feed, [{"title": "L’Oréal rachète une marque", "published_at": noon - timedelta(days=2)}])
    store(
        feed, [{"title": f"L’Oréal, épisode {i}", "published_at": noon - timedelta(hours=i)} for i in (1, 2)]
    )
    with session_scope() as s:
        W.create_watch(s, people.trainer, W.WatchInput(name="L’Oréal"))
    at = page("screens/monitoring.py", people.trainer)
    assert not at.exception
    (timeline,) = [
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"] == "Mentions dans le temps"
    ]
    (bars,) = timeline["data"]
    assert "=" not in bars["hovertemplate"]  # not plotly express's « période=… mentions=… »
    assert {"1\u00a0mention", "2\u00a0mentions", "0\u00a0mention"} <= {c[0] for c in bars["customdata"]}
    assert "%H" not in _plotly_stop(
        timeline["layout"]["xaxis"]["tickformatstops"], 86_400_000
    )  # a day a tick
    assert "%H" in _plotly_stop(timeline["layout"]["xaxis"]["tickformatstops"], 3_600_000)
    assert timeline["layout"]["yaxis"]["dtick"] == 1  # two mentions a day: no « 0,5 » tick
    (sources_chart,) = [
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"] == "Par source"
    ]
    (sources,) = sources_chart["data"]
    assert sources["hovertemplate"] == "%{y}\u00a0: %{customdata[0]}<extra></extra>"
    assert [c[0] for c in sources["customdata"]] == ["3\u00a0mentions"]
    assert sources_chart["layout"]["xaxis"]["dtick"] == 1


def test_a_new_watch_says_what_it_found_empties_its_form_and_is_not_created_twice(people):
    feed = subscribe(people.trainer, "https://presse.example.fr/rss", title="Presse française")
    store(
        feed, [{"title": "L’Oréal à 6,88 €", "text": "Zoé adore L'Oréal."}, {"title": "Le Crédit Agricole"}]
    )
    at = page("screens/monitoring.py", people.trainer)
    for attempt, typed in enumerate(("L’Oréal", "l'oréal")):
        next(t for t in at.text_input if t.label == "Nom suivi").input(typed)
        next(b for b in at.get("form_submit_button") if b.label == "Créer la veille").click().run()
        assert not at.exception
        if attempt == 0:
            assert (
                "Veille «\u00a0L’Oréal\u00a0» créée\u00a0: 1\u00a0mention trouvée dans les articles déjà reçus."
                in [m.value for m in at.success]
            )
            assert next(t for t in at.text_input if t.label == "Nom suivi").value == ""
    assert [e.value for e in at.error] == [
        plain(
            "Vous suivez déjà «\u00a0L’Oréal\u00a0»\u00a0: ouvrez cette veille dans «\u00a0Mes veilles\u00a0» pour la "
            "modifier (variantes, exclusions, alertes)."
        )
    ]
    with session_scope() as s:
        assert [w.name for w in W.list_watches(s, people.trainer)] == ["L’Oréal"]
        W.update_watch(
            s, people.trainer, W.list_watches(s, people.trainer)[0].id, W.WatchInput(name="L'Oréal")
        )


def test_the_exports_tab_names_who_is_not_in_the_files(people):
    complete_attempt(people.alice, 3)
    at = page(MAP, people.trainer)
    at.session_state["tab"] = "Exports"
    at.run()
    assert not at.exception
    assert "1 sur 2\u00a0stagiaires a terminé l’auto-évaluation. Pas encore de réponse\u00a0: Bob." in [
        c.value for c in at.caption
    ]


def test_a_board_opened_by_its_secret_link_counts_its_pins_the_french_way(people):
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille « Zoé »", visibility=LINK)
        s.execute(
            Pin.__table__.insert(),
            [{"board_id": board.id, "title": f"Épingle {i}", "position": i} for i in range(1_200)],
        )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["board"] = board.share_token
    at.run()
    assert not at.exception
    assert "Tableau d’Alice, partagé en lecture seule — 1\u202f200\u00a0épingles." in [
        c.value for c in at.caption
    ]


def test_names_in_charts_are_text_not_plotly_markup(people):
    """Plotly reads tags in labels: a trainee's name or a feed's title could draw a link or a
    giant span in the trainer's heatmap or the e-réputation charts."""
    with session_scope() as s:
        s.get(User, people.alice.id).display_name = '<a href="https://evil.example">Alice</a>'
        s.get(User, people.bob.id).display_name = '<a href="https://evil.example">Alice</a>'
    complete_attempt(people.alice, 3)
    complete_attempt(people.bob, 4)
    at = page(MAP, people.trainer)
    at.session_state["tab"] = "Carte de la session"
    at.run()
    (heat,) = [
        t for c in at.get("plotly_chart") for t in json.loads(c.proto.spec)["data"] if t["type"] == "heatmap"
    ]
    assert heat["y"] == [
        '&lt;a href="https://evil.example"&gt;Alice&lt;/a&gt;',
        '&lt;a href="https://evil.example"&gt;Alice&lt;/a&gt; (2)',  # two rows, not one
    ]
    feed = subscribe(
        people.trainer, "https://presse.example.fr/rss", title='<span style="font-size:90px">Presse</span>'
    )
    store(feed, [{"title": "L’Oréal à 6,88 €"}], title='<span style="font-size:90px">Presse</span>')
    with session_scope() as s:
        W.create_watch(s, people.trainer, W.WatchInput(name="L’Oréal"))
        W.create_watch(s, people.trainer, W.WatchInput(name="<b>Crédit</b> Agricole", variants=["6,88"]))
    at = page("screens/monitoring.py", people.trainer)
    specs = {
        json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
    }
    assert specs["Par source"]["data"][0]["y"] == ['&lt;span style="font-size:90px"&gt;Presse&lt;/span&gt;']
    at.multiselect(key="sov-rivals").select(at.multiselect(key="sov-rivals").options[0]).run()
    (pie,) = [
        json.loads(c.proto.spec)["data"][0]
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"] == "Part de voix"
    ]
    assert "&lt;b&gt;Crédit&lt;/b&gt; Agricole" in pie["labels"]


def test_a_trainees_name_never_runs_as_a_formula_in_the_trainers_spreadsheets(people):
    name = '=HYPERLINK("https://evil.example";"Clic")'
    with session_scope() as s:
        s.get(User, people.alice.id).display_name = name
    complete_attempt(people.alice, 3)
    with session_scope() as s:
        csv_text = reports.cohort_csv(s, people.trainer, people.cohort_id).decode("utf-8-sig")
        workbook = openpyxl.load_workbook(
            io.BytesIO(reports.cohort_xlsx(s, people.trainer, people.cohort_id))
        )
    assert next(csv.DictReader(io.StringIO(csv_text), delimiter=";"))["Stagiaire"] == "'" + name
    for sheet in ("Scores", "Niveaux", "Missions"):
        cell = workbook[sheet]["A2"]
        assert (cell.value, cell.data_type) == ("'" + name, "s"), sheet


def test_a_mention_card_names_its_language_in_french():
    from curation.monitoring.display import mention_card_html

    mention = W.MentionView(
        1, 1, "L’Oréal", 1, "L’Oréal à 6,88 €", "https://exemple.fr/a", "Presse", "fr", "L’Oréal à 6,88 €",
        [[0, 7]], "neutral", datetime(2026, 12, 7, 23, 30, tzinfo=UTC),
    )  # fmt: skip
    card = mention_card_html(mention)
    assert "Presse · 08/12/2026 00:30 · français · " in card  # Paris time, the language's name
