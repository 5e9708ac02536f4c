"""AppTest for « Bibliothèque »: a trainer creates, edits, duplicates and previews exercises of
every kind in the browser; errors stay beside their field, in French."""

from __future__ import annotations

import csv
import re
from datetime import time
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import run_app, run_page
from training_modules.exercises import load_exercises
from training_modules.exercises.kpi import METRIC_LABELS, base_values
from training_modules.exercises.loader import DATASETS_DIR, get_exercise
from training_modules.exercises.models import Submission
from training_modules.exercises.schema import KINDS
from training_modules.library import (
    dataset_bytes,
    editable_data,
    exercise_entry,
    save_exercise,
    visible_exercises,
)
from workbench.db import session_scope
from workbench.numbers import fr_number

PAGE = "screens/library.py"


def open_library(actor) -> AppTest:
    at = run_app(actor, page=PAGE)
    assert not at.exception, at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    next(b for b in at.button if b.key == key).click().run()
    assert not at.exception, at.exception
    return at


def form_key(at: AppTest) -> str:
    return at.session_state["library"]["form"]


def widgets(at: AppTest) -> list[Any]:
    return [
        *at.text_input,
        *at.text_area,
        *at.selectbox,
        *at.multiselect,
        *at.checkbox,
        *at.time_input,
        *at.file_uploader,
    ]


def lookup(data: Any, parts: list[str]) -> Any:
    """The value a widget path names in ``data``: list items by position, a union's type skipped,
    a dict's entries as (name, value) pairs."""
    for part in parts:
        if isinstance(data, dict) and part not in data and data.get("rule") == part:
            continue
        if isinstance(data, dict) and part.isdigit() and part not in data:
            data = list(data.items())[int(part)]
        elif isinstance(data, list | tuple):
            data = data[int(part)]
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def fill(at: AppTest, data: dict[str, Any], datasets: dict[str, bytes] | None = None) -> AppTest:
    """Type ``data`` into the form as a trainer would: add the list items it needs, pick each
    constraint's type, then fill every field (numbers the French way)."""
    prefix = form_key(at) + "."
    for _ in range(8):  # structure first: as many items as the data, each union of its type
        changed = False
        for w in at.selectbox:
            if w.key.startswith(prefix) and w.key.endswith("#rule"):
                wanted = lookup(data, w.key[len(prefix) :].removesuffix("#rule").split("."))["rule"]
                if w.value != wanted:
                    w.set_value(wanted)
                    changed = True
        for b in at.button:
            if b.key and b.key.startswith(prefix) and b.key.endswith("#add"):
                path = b.key[len(prefix) :].removesuffix("#add")
                have = len(
                    [
                        x
                        for x in at.button
                        if x.key and re.fullmatch(re.escape(f"{prefix}{path}") + r"\.\d+#remove", x.key)
                    ]
                )
                if have < len(lookup(data, path.split(".")) or []):
                    b.click()
                    changed = True
        if not changed:
            break
        at.run()
        assert not at.exception, at.exception
    for w in widgets(at):
        if not (w.key or "").startswith(prefix) or w.key.endswith("#rule"):
            continue
        path, _, part = w.key[len(prefix) :].partition("#")
        value = lookup(data, path.split("."))
        if part:  # a dict entry: name or value
            value = value[0] if part == "name" else value[1]
        if w.type == "file_uploader":
            w.set_value((value, datasets[value], "text/csv"))
        elif isinstance(value, list) and w.type == "text_area":
            w.input("\n".join(value))
        elif isinstance(value, bool) or w.type in ("selectbox", "multiselect", "time_input"):
            w.set_value(
                time.fromisoformat(value) if w.type == "time_input" and isinstance(value, str) else value
            )
        elif isinstance(value, int | float):
            w.input(fr_number(value, 0 if isinstance(value, int) else 2))
        else:
            w.input(value or "")
    at.run()
    assert not at.exception, at.exception
    return at


def new_form(at: AppTest, kind: str) -> AppTest:
    at.selectbox[0].set_value(kind)
    return click(at, "new")


def save(at: AppTest) -> AppTest:
    return click(at, form_key(at) + "#save")


def shown(text: object) -> str:
    """Text as the person reads it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", str(text))


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


BY_KIND = {
    kind: next(e for e in sorted(load_exercises().values(), key=lambda e: e.id) if e.kind == kind)
    for kind in KINDS
}


def test_a_trainee_cannot_open_the_library(people):
    at = run_page(PAGE, people.alice)
    assert "réservée aux formateurs" in at.error[0].value
    assert not at.button


@pytest.mark.parametrize("kind", KINDS)
def test_a_trainer_creates_an_exercise_of_each_kind_from_the_form(people, kind):
    source = BY_KIND[kind]
    at = new_form(open_library(people.trainer), kind)
    assert at.header[0].value.startswith("Nouvel exercice")
    data = {**source.model_dump(mode="json", exclude={"id"}), "title": f"Ma version\u00a0: {source.title}"}
    datasets = {}
    if kind == "kpi":
        datasets = {n: (DATASETS_DIR / n).read_bytes() for n in (source.posts_csv, source.messages_csv)}
    save(fill(at, data, datasets))
    assert not errors(at), errors(at)
    saved_id = at.session_state["library"]["exercise_id"]
    assert "est enregistré (version 1" in at.success[0].value
    with session_scope() as s:
        entry = exercise_entry(s, people.trainer, saved_id)
    assert entry.origin == "trainer" and entry.sharing == "private" and entry.author_id == people.trainer.id
    assert entry.exercise.model_dump(
        exclude={"id", "title", "posts_csv", "messages_csv"}
    ) == source.model_dump(exclude={"id", "title", "posts_csv", "messages_csv"})


def test_a_duplicated_bundled_exercise_is_adapted_and_saved_as_the_trainers_own(people):
    at = click(open_library(people.trainer), "copy:post-fournil-nouveaute")
    key = form_key(at)
    assert at.text_input(key=f"{key}.title").value.endswith("(copie)")
    at.text_input(key=f"{key}.title").input("Nouveauté du Fournil, version Lyon")
    at.text_input(key=f"{key}.duration_minutes").input("25")
    at.radio(key=f"{key}#sharing").set_value("trainers")
    save(at.run())
    assert not errors(at)
    with session_scope() as s:
        entry = exercise_entry(s, people.other_trainer, at.session_state["library"]["exercise_id"])
    assert entry.exercise.title == "Nouveauté du Fournil, version Lyon"
    assert entry.exercise.duration_minutes == 25 and entry.sharing == "trainers"
    assert load_exercises()["post-fournil-nouveaute"].duration_minutes != 25  # the bundled one is untouched


def test_editing_an_exercise_with_work_on_it_makes_a_new_version(people):
    with session_scope() as s:
        data = {**editable_data(BY_KIND["seo"]), "title": "Fiche produit de la librairie"}
        entry = save_exercise(s, people.trainer, data, sharing="cohort")
        ex_id = entry.exercise.id
        # A trainee's work on version 1 (as handing it in stores it).
        s.add(Submission(user_id=people.alice.id, exercise_id=ex_id, version=1, answer={"title": "Un début"}))
    at = open_library(people.trainer)
    # Only the author's own trainer-made exercise can be edited; bundled ones are duplicated.
    assert [b.key for b in at.button if (b.key or "").startswith("edit:")] == [f"edit:{ex_id}"]
    click(at, f"edit:{ex_id}")
    assert "l’enregistrer crée la version 2" in " ".join(str(i.value) for i in at.info)
    at.text_input(key=f"{form_key(at)}.keyword").input("librairie indépendante")
    save(at.run())
    assert "version 2" in at.success[0].value
    with session_scope() as s:
        assert exercise_entry(s, people.trainer, ex_id).exercise.keyword == "librairie indépendante"
        assert get_exercise(ex_id, 1, session=s).keyword == BY_KIND["seo"].keyword  # the work's version
    other = open_library(people.other_trainer)
    assert f"edit:{ex_id}" not in [b.key for b in other.button]  # only the author edits


def test_errors_are_shown_beside_their_field_in_french_and_nothing_is_saved(people):
    at = click(open_library(people.trainer), "copy:kpi-fournil-mars")
    key = form_key(at)
    at.text_input(key=f"{key}.tolerance_points").input("0,25")  # French decimals are read
    at.text_input(key=f"{key}.context.followers_start").input("12 lapins")
    at.text_input(key=f"{key}.title").input("ab")
    save(at.run())
    assert "n’est pas un nombre lisible" in " ".join(errors(at))
    assert "texte trop court (au moins 3\u00a0caractères)" in errors(at)
    assert any("corrigez les champs signalés" in e for e in errors(at))
    # The message sits right under its field: the element that follows the title input.
    title_index = next(i for i, w in enumerate(at.main) if getattr(w, "key", None) == f"{key}.title")
    assert shown(list(at.main)[title_index + 1].value) == "texte trop court (au moins 3\u00a0caractères)"
    assert at.session_state["library"]["view"] == "edit"
    at.text_input(key=f"{key}.context.followers_start").input("1 200")
    at.text_input(key=f"{key}.title").input("Les chiffres du Fournil en avril")
    save(at.run())
    assert not errors(at)
    with session_scope() as s:
        entry = exercise_entry(s, people.trainer, at.session_state["library"]["exercise_id"])
    assert entry.exercise.tolerance_points == 0.25 and entry.exercise.context.followers_start == 1200


def test_a_bad_csv_is_refused_on_upload(people):
    at = click(open_library(people.trainer), "copy:kpi-fournil-mars")
    key = form_key(at)
    at.file_uploader(key=f"{key}.posts_csv").set_value(
        ("mars.csv", b"post_id,impressions\nP1,10\n", "text/csv")
    )
    at.run()
    assert any("il manque" in e for e in errors(at))
    save(at)
    assert at.session_state["library"]["view"] == "edit"


def test_the_preview_is_what_a_trainee_sees_and_saves_nothing(people):
    at = click(open_library(people.trainer), "preview:quiz-indicateurs")
    ex = load_exercises()["quiz-indicateurs"]
    assert at.header[0].value == ex.title
    assert "rien n’est enregistré" in at.info[0].value
    assert click(at, f"ex:{ex.id}:check")
    with session_scope() as s:
        assert s.query(Submission).count() == 0


def test_the_form_previews_unsaved_work_as_a_trainee_sees_it(people):
    at = click(open_library(people.trainer), f"copy:{BY_KIND['seo'].id}")
    key = form_key(at)
    at.text_input(key=f"{key}.title").input("Fiche produit, brouillon non enregistré")
    at.toggle(key=f"{key}#preview").set_value(True).run()
    assert not at.exception
    assert "Fiche produit, brouillon non enregistré" in [h.value for h in at.header]
    assert "rien n’est enregistré" in " ".join(str(i.value) for i in at.info)
    with session_scope() as s:
        assert not [e for e in visible_exercises(s, people.trainer) if e.origin == "trainer"]
    assert at.session_state["library"]["view"] == "edit"  # still editing, nothing lost
    assert at.text_input(key=f"{key}.title").value == "Fiche produit, brouillon non enregistré"


def test_the_assign_page_opened_from_the_library_shows_that_exercise(people):
    with session_scope() as s:
        data = {**editable_data(BY_KIND["post"]), "title": "Publication de la médiathèque"}
        ex_id = save_exercise(s, people.trainer, data, sharing="private").exercise.id
    at = run_app(people.trainer, page="screens/exercise_assign.py")
    at.query_params["exercice"] = ex_id
    at.run()
    assert [b.key for b in at.button if (b.key or "").startswith("assign:")] == [f"assign:{ex_id}"]
    next(b for b in at.button if b.label == "Voir tout le catalogue").click().run()
    assert len([b for b in at.button if (b.key or "").startswith("assign:")]) > 1


def test_a_copy_of_a_trainer_made_kpi_keeps_its_uploaded_files(people):
    source = BY_KIND["kpi"]
    posts = (DATASETS_DIR / source.posts_csv).read_bytes().replace(b"\n", b"\r\n")  # its own bytes
    with session_scope() as s:
        data = {
            **editable_data(source),
            "title": "KPI de la médiathèque",
            "posts_csv": "posts-mediatheque.csv",
        }
        shared = save_exercise(
            s, people.other_trainer, data, sharing="trainers", datasets={"posts-mediatheque.csv": posts}
        ).exercise.id
    at = click(open_library(people.trainer), f"copy:{shared}")
    save(at)
    assert not errors(at), errors(at)
    with session_scope() as s:
        copy = exercise_entry(s, people.trainer, at.session_state["library"]["exercise_id"])
        assert copy.author_id == people.trainer.id
        assert dataset_bytes(s, copy.exercise, "posts-mediatheque.csv") == posts


def test_a_kpi_form_shows_the_values_expected_on_its_files(people):
    at = click(open_library(people.trainer), "copy:kpi-fournil-mars")
    at.toggle(key=f"{form_key(at)}#values").set_value(True).run()
    assert not at.exception
    shown_values = " ".join(shown(m.value) for m in at.markdown)
    for metric, value in base_values(load_exercises()["kpi-fournil-mars"]).items():
        assert f"{METRIC_LABELS[metric]}\u00a0: {fr_number(value, 2)}" in shown_values


def test_the_expected_values_are_those_of_the_files_as_written():
    ex = load_exercises()["kpi-fournil-mars"]
    rows = list(csv.DictReader((DATASETS_DIR / ex.posts_csv).read_text(encoding="utf-8").splitlines()))
    clicks = sum(int(r["clicks"]) for r in rows)
    impressions = sum(int(r["impressions"]) for r in rows)
    growth = 100 * (ex.context.followers_end - ex.context.followers_start) / ex.context.followers_start
    values = base_values(ex)
    assert values["ctr"] == round(100 * clicks / impressions, 2)
    assert values["audience_growth"] == round(growth, 2)


def listed(at: AppTest) -> set[str]:
    return {b.key.removeprefix("preview:") for b in at.button if (b.key or "").startswith("preview:")}


def test_the_library_filters_by_kind_competence_mission_network_and_duration(people):
    bundled = load_exercises()
    at = open_library(people.trainer)
    assert listed(at) == set(bundled)
    at.multiselect(key="f-kinds").set_value(["moderation", "reply"]).run()
    assert listed(at) == {i for i, e in bundled.items() if e.kind in ("moderation", "reply")}
    at.multiselect(key="f-networks").set_value(["tiktok"]).run()
    assert listed(at) == {
        i for i, e in bundled.items() if e.kind in ("moderation", "reply") and e.network == "tiktok"
    }
    at.multiselect(key="f-kinds").set_value([])
    at.multiselect(key="f-networks").set_value([])
    at.multiselect(key="f-comps").set_value(["anglais"])
    at.multiselect(key="f-missions").set_value(["veille"]).run()
    wanted = {i for i, e in bundled.items() if "anglais" in e.competences and "veille" in e.missions}
    assert wanted and listed(at) == wanted
    at.multiselect(key="f-comps").set_value([])
    at.multiselect(key="f-missions").set_value([])
    at.slider(key="f-duration").set_value((0, 15)).run()
    assert listed(at) == {i for i, e in bundled.items() if e.duration_minutes <= 15}


def test_editing_a_trainer_made_kpi_reads_its_uploaded_files(people):
    source = BY_KIND["kpi"]
    with session_scope() as s:
        data = {**editable_data(source), "title": "KPI du club", "messages_csv": "messages-club.csv"}
        files = {"messages-club.csv": (DATASETS_DIR / source.messages_csv).read_bytes()}
        ex_id = save_exercise(s, people.trainer, data, sharing="private", datasets=files).exercise.id
    at = click(open_library(people.trainer), f"edit:{ex_id}")
    at.toggle(key=f"{form_key(at)}#values").set_value(True).run()
    assert not errors(at), errors(at)
    assert "Taux" in " ".join(shown(m.value) for m in at.markdown)
