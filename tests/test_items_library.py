"""Situational items written by trainers: create, edit, versions, duplicate, sharing and access
rules, and what a trainee's assessment holds and keeps (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.assessment_helpers import uniform_answers
from training_modules import assessment, items_library
from training_modules.assessment_models import TrainerItem, TrainerItemVersion
from training_modules.assessment_reports import attempt_pdf
from training_modules.competences import framework
from training_modules.recommendations import judgement_feedback
from workbench.cohorts import join_with_code
from workbench.db import session_scope
from workbench.errors import AccessDenied, NotFound, UserError

PLAIN = "emp-j2"  # a bundled item whose best option is not the longest
LONGEST = "emp-j1"  # one whose best option is the longest (within the bank's bound)


def _copy(actor, source: str = PLAIN, *, sharing: str = "private", **changes) -> items_library.ItemEntry:
    with session_scope() as s:
        competence, data = items_library.duplicate_item(s, actor, source)
        return items_library.save_item(s, actor, {**data, **changes}, competence=competence, sharing=sharing)


def _edit(actor, entry: items_library.ItemEntry, **changes) -> items_library.ItemEntry:
    data = {**items_library.editable_item(entry.item), **changes}
    with session_scope() as s:
        return items_library.save_item(
            s,
            actor,
            data,
            competence=entry.competence_id,
            sharing=entry.sharing or "private",
            item_id=entry.item.id,
        )


def _items_of(actor) -> dict[str, object]:
    with session_scope() as s:
        view = assessment.start_attempt(s, actor)
        return {j.id: j for c in view.content.competences for j in c.situational}


def _count(model) -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(model))


# --- create, edit, versions, duplicate -------------------------------------------------------------


def test_a_copy_of_a_bundled_item_is_a_new_trainer_made_one(people):
    entry = _copy(people.trainer)
    source = next(j for c in framework().competences for j in c.situational if j.id == PLAIN)
    assert entry.origin == "trainer" and entry.version == 1 and entry.competence_id == "empathie"
    assert entry.item.id.startswith(items_library.ITEM_PREFIX) and len(entry.item.id) <= 40
    assert entry.item.title == f"{source.title} (copie)" and entry.item.options == source.options
    assert (entry.author_id, entry.author_name, entry.sharing) == (
        people.trainer.id,
        "Claire Formatrice",
        "private",
    )
    again = _copy(people.trainer)
    assert again.item.id == f"{entry.item.id}-2"
    with session_scope() as s:
        mine = [e for e in items_library.visible_items(s, people.trainer) if e.origin == "trainer"]
    assert {e.item.id for e in mine} == {entry.item.id, again.item.id}


def test_a_new_item_from_scratch_is_checked_by_the_files_model_and_refused_by_field_in_french(people):
    with session_scope() as s:
        data = items_library.editable_item(items_library.item_entry(s, people.trainer, PLAIN).item)
    data["title"] = "Le commentaire ironique"
    data["options"][1]["score"] = 5
    with session_scope() as s, pytest.raises(UserError) as refused:
        items_library.save_item(s, people.trainer, data, competence="empathie", sharing="cohort")
    assert refused.value.field == "options.1.score"
    assert "champ «\u00a0options.1.score\u00a0»" in str(refused.value) and "au plus 3" in str(refused.value)
    data["options"][1]["score"] = 1
    data["options"] = data["options"][:3]
    with session_scope() as s, pytest.raises(UserError) as refused:
        items_library.save_item(s, people.trainer, data, competence="empathie", sharing="cohort")
    assert refused.value.field == "options"
    assert "il faut exactement 4 réponses proposées (ici 3)" in str(refused.value)
    with session_scope() as s, pytest.raises(UserError) as refused:
        items_library.save_item(s, people.trainer, data, competence="inconnue", sharing="cohort")
    assert refused.value.field == "competence"
    assert _count(TrainerItem) == 0 and _count(TrainerItemVersion) == 0  # nothing half-saved


def test_a_best_option_that_its_length_gives_away_is_refused_and_the_longest_is_warned(people):
    with session_scope() as s:
        item = items_library.item_entry(s, people.trainer, PLAIN).item
        data = items_library.editable_item(item)
    best = [o.id for o in item.options].index(item.best.id)
    data["options"][best]["text"] = data["options"][best]["text"] + " " + "Et j’ajoute une précision. " * 8
    with session_scope() as s, pytest.raises(UserError) as refused:
        items_library.save_item(s, people.trainer, data, competence="empathie", sharing="private")
    assert refused.value.field == f"options.{best}.text"
    assert "nettement plus longue" in str(refused.value)
    with session_scope() as s:
        longest = items_library.item_entry(s, people.trainer, LONGEST).item
        plain = items_library.item_entry(s, people.trainer, PLAIN).item
    assert (
        items_library.check_giveaway(longest) and "la plus longue" in items_library.check_giveaway(longest)[0]
    )
    assert items_library.check_giveaway(plain) == []


def test_editing_an_unanswered_item_changes_it_and_an_answered_one_makes_a_version_the_attempt_keeps(people):
    entry = _copy(people.trainer, sharing="cohort")
    entry = _edit(people.trainer, entry, title="Premier titre")
    assert entry.version == 1 and _count(TrainerItemVersion) == 1
    item_id = entry.item.id
    with session_scope() as s:
        attempt = assessment.start_attempt(s, people.alice)
        assessment.save_answers(s, people.alice, attempt.id, choices={item_id: entry.item.best.id})
    edited = _edit(
        people.trainer, entry, title="Titre corrigé", explanation="Une autre explication, plus juste."
    )
    assert edited.version == 2 and edited.answers == 1
    again = _edit(people.trainer, edited, title="Titre corrigé deux fois")
    assert again.version == 2  # nobody answered version 2: changed in place
    ratings, choices = uniform_answers(3, best=True)
    with session_scope() as s:
        view = assessment.save_answers(s, people.alice, attempt.id, ratings=ratings, choices=choices)
        assert {j.id: j.title for c in view.content.competences for j in c.situational}[
            item_id
        ] == "Premier titre"
        done = assessment.complete_attempt(s, people.alice, attempt.id)
    with session_scope() as s:
        kept = assessment.get_attempt(s, people.trainer, done.id)
    feedback = {fb.item.id: fb for fb in judgement_feedback(kept.content, kept.choices)}
    assert feedback[item_id].item.title == "Premier titre" and feedback[item_id].is_best
    assert feedback[item_id].item.explanation == entry.item.explanation
    assert (
        kept.report.scores["empathie"].total
        == len(framework().competence("empathie").statements)
        + len(framework().competence("empathie").situational)
        + 1
    )
    assert attempt_pdf(kept).startswith(b"%PDF")
    # A new attempt shows the latest version.
    assert _items_of(people.alice)[item_id].title == "Titre corrigé deux fois"


def test_the_competence_of_an_answered_item_no_longer_changes(people):
    entry = _copy(people.trainer, sharing="cohort")
    with session_scope() as s:
        attempt = assessment.start_attempt(s, people.alice)
        assessment.save_answers(s, people.alice, attempt.id, choices={entry.item.id: entry.item.best.id})
    data = items_library.editable_item(entry.item)
    with session_scope() as s, pytest.raises(UserError) as refused:
        items_library.save_item(
            s, people.trainer, data, competence="assertivite", sharing="cohort", item_id=entry.item.id
        )
    assert refused.value.field == "competence"


# --- what a trainee's assessment holds --------------------------------------------------------------


def test_a_trainees_assessment_holds_items_shared_by_their_trainer_and_no_other(people):
    cohort = _copy(people.trainer, sharing="cohort", title="Partagée avec la session")
    everyone = _copy(people.trainer, sharing="trainers", title="Partagée avec les formateurs")
    private = _copy(people.trainer, sharing="private", title="Gardée pour soi")
    elsewhere = _copy(people.other_trainer, sharing="trainers", title="D’un autre formateur")
    alice = _items_of(people.alice)
    assert cohort.item.id in alice and everyone.item.id in alice
    assert private.item.id not in alice and elsewhere.item.id not in alice
    assert set(_items_of(people.zoe)) & {cohort.item.id, everyone.item.id, private.item.id} == set()
    assert elsewhere.item.id in _items_of(people.zoe)
    # An answer to an item the attempt does not hold is refused.
    with session_scope() as s:
        attempt = assessment.start_attempt(s, people.alice)
        with pytest.raises(UserError):
            assessment.save_answers(s, people.alice, attempt.id, choices={private.item.id: "a"})


def test_a_trainer_made_item_is_scored_like_the_others(people):
    entry = _copy(people.trainer, sharing="cohort")
    worst = min(entry.item.options, key=lambda o: o.score)
    ratings, choices = uniform_answers(3, best=True)
    with session_scope() as s:
        attempt = assessment.start_attempt(s, people.alice)
        before = assessment.save_answers(s, people.alice, attempt.id, ratings=ratings, choices=choices)
        after = assessment.save_answers(s, people.alice, attempt.id, choices={entry.item.id: worst.id})
    assert before.report.scores["empathie"].judgement_score == 100
    n = len(framework().competence("empathie").situational) + 1
    assert after.report.scores["empathie"].judgement_score == round(100 * (n - 1) / n, 1)


# --- access rules -----------------------------------------------------------------------------------


def test_only_trainers_read_the_library_and_only_the_author_edits(people):
    private = _copy(people.trainer, sharing="private")
    everyone = _copy(people.trainer, sharing="trainers")
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            items_library.visible_items(s, people.alice)
        with pytest.raises(AccessDenied):
            items_library.item_entry(s, people.alice, everyone.item.id)
        with pytest.raises(AccessDenied):
            items_library.item_entry(s, people.other_trainer, private.item.id)
        with pytest.raises(NotFound):
            items_library.item_entry(s, people.trainer, "f-nulle-part")
        seen = {e.item.id for e in items_library.visible_items(s, people.other_trainer)}
    assert everyone.item.id in seen and private.item.id not in seen
    with pytest.raises(AccessDenied):
        _edit(people.other_trainer, everyone, title="Pas à moi")
    with session_scope() as s, pytest.raises(AccessDenied):
        data = items_library.editable_item(items_library.item_entry(s, people.trainer, PLAIN).item)
        items_library.save_item(
            s, people.trainer, data, competence="empathie", sharing="private", item_id=PLAIN
        )
    copy = _copy(people.other_trainer, everyone.item.id)  # adapting another's item is duplicating it
    assert copy.author_id == people.other_trainer.id and copy.sharing == "private"


def test_a_cohort_shared_item_is_seen_by_the_trainers_of_the_authors_trainees(people):
    cohort = _copy(people.trainer, sharing="cohort")
    with session_scope() as s:
        assert cohort.item.id not in {e.item.id for e in items_library.visible_items(s, people.other_trainer)}
    with session_scope() as s:
        join_with_code(s, people.bob, people.other_code)
    with session_scope() as s:
        assert cohort.item.id in {e.item.id for e in items_library.visible_items(s, people.other_trainer)}
    assert cohort.item.id not in _items_of(people.zoe)  # it enters the author's cohorts only


def test_no_bundled_item_id_looks_trainer_made():
    ids = [j.id for c in framework().competences for j in c.situational]
    assert ids and not any(i.startswith(items_library.ITEM_PREFIX) for i in ids)
