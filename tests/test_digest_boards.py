"""Boards in the digest: new pins as sources, « le choix du formateur », grouping by board section,
a digest composed from one board, and the boards' access rules — on each database backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from curation import boards, pins
from curation.board_models import COHORT, Pin
from curation.digest.archive import get_digest, publish
from curation.digest.board_sources import readable_boards
from curation.digest.compose import build_board_draft, build_draft
from curation.digest.draft import PICKS_SECTION
from curation.digest.lists import ListSettings, create_list, get_list, update_list
from curation.digest.models import SECTION_BY_BOARD
from curation.digest.render import render_markdown, render_text
from curation.models import Entry
from curation.pins import PinData
from tests.digest_data import NOW, cohort_world
from workbench.db import session_scope
from workbench.errors import UserError


def _pin(session, actor, board_id, title, *, url, note="", section_id=None, hours_ago=1.0, entry_id=None):
    if entry_id is not None:
        view = pins.pin_entry(session, actor, entry_id, board_id=board_id, section_id=section_id, note=note)
    else:
        data = PinData(title=title, url=url, note=note, description=f"Résumé de « {title} ».",
                       site_name="Le Site")  # fmt: skip
        view = pins.add_pin(session, actor, data, board_id=board_id, section_id=section_id)
    session.get(Pin, view.id).created_at = NOW - timedelta(hours=hours_ago)  # pinned in the window
    session.flush()
    return view


def test_trainer_pins_are_picks_first_with_their_note_and_merge_with_their_entry(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        board = boards.create_board(s, people.trainer, "À lire cette semaine")
        tiktok = s.scalar(select(Entry).where(Entry.title.like("TikTok%")))
        _pin(s, people.trainer, board.id, "", url="", entry_id=tiktok.id, note="À comparer avec Reels.")
        _pin(s, people.trainer, board.id, "Guide de la modération", url="https://guide.example/moderation",
             note="La méthode à appliquer lundi.")  # fmt: skip
        _pin(s, people.trainer, board.id, "Trop vieux", url="https://old.example/", hours_ago=80)
        current = get_list(s, people.trainer, list_id).settings
        current.board_ids, current.folders = [board.id], ["Réseaux sociaux", "Anglais"]
        current.max_items = 3
        update_list(s, people.trainer, list_id, current)
        draft = build_draft(s, people.trainer, list_id, now=NOW)
    sections = draft.sections()
    assert sections[0][0] == PICKS_SECTION
    picks = {i.title: i for i in sections[0][1]}
    assert set(picks) == {"TikTok teste les publications longues", "Guide de la modération"}
    assert picks["TikTok teste les publications longues"].note == "À comparer avec Reels."
    assert [src.name for src in picks["TikTok teste les publications longues"].sources] == [
        "Le Blog du Modérateur"
    ]  # the pin and the feed's entry are one story
    assert picks["Guide de la modération"].entry_id is None
    assert picks["Guide de la modération"].summary == "Résumé de « Guide de la modération »."  # spaces folded
    assert len(draft.items) == 3  # the picks count in the list's maximum
    assert sum(i.title.startswith("TikTok") for i in draft.items) == 1
    assert "Trop vieux" not in [i.title for i in draft.items]  # pinned before the window
    text = render_text(draft)
    assert (
        "== Le choix du formateur ==" in text
        and "Le mot du formateur\u00a0: La méthode à appliquer lundi." in text
    )
    assert "La méthode à appliquer lundi" in render_markdown(draft)


def test_board_only_list_groups_a_trainee_shared_board_by_section(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille d’Alice", visibility=COHORT)
        outils = boards.add_section(s, people.alice, board.id, "Outils")
        _pin(
            s,
            people.alice,
            board.id,
            "Canva ajoute la vidéo",
            url="https://canva.example/v",
            section_id=outils.id,
        )
        _pin(s, people.alice, board.id, "Un article sans section", url="https://x.example/1")
        assert board.id in [b.id for b in readable_boards(s, people.trainer)]
        current = get_list(s, people.trainer, list_id).settings
        current.board_ids, current.section_by = [board.id], SECTION_BY_BOARD
        update_list(s, people.trainer, list_id, current)
        draft = build_draft(s, people.trainer, list_id, now=NOW)
    # no feed chosen and a board chosen: the board's pins only, not picks (a trainee's board)
    assert {i.title for i in draft.items} == {"Canva ajoute la vidéo", "Un article sans section"}
    assert not any(i.pick for i in draft.items)
    assert {i.title: i.section for i in draft.items} == {
        "Canva ajoute la vidéo": "Outils",
        "Un article sans section": "Veille d’Alice",
    }
    assert draft.candidate_count == 2 and not draft.notices


def test_boards_access_rules_hold(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        private = boards.create_board(s, people.other_trainer, "Privé de l’autre formateur")
        shared = boards.create_board(s, people.alice, "Partagé", visibility=COHORT)
        _pin(s, people.alice, shared.id, "Épingle d’Alice", url="https://a.example/1")
        assert private.id not in [b.id for b in readable_boards(s, people.trainer)]
        current = get_list(s, people.trainer, list_id).settings
        current.board_ids = [private.id]
        with pytest.raises(UserError, match="privé"):
            update_list(s, people.trainer, list_id, current)
        with pytest.raises(UserError, match="privé"):
            create_list(s, people.bob, ListSettings(name="Bob", addresses=["b@x.fr"], board_ids=[private.id]))
        with pytest.raises(UserError):
            build_board_draft(s, people.trainer, list_id, private.id, now=NOW)
        current.board_ids = [shared.id]
        update_list(s, people.trainer, list_id, current)
    with session_scope() as s:  # Alice makes her board private again: the digest no longer shows it
        boards.set_visibility(s, people.alice, shared.id, "private")
    with session_scope() as s:
        draft = build_draft(s, people.trainer, list_id, now=NOW)
    assert "Épingle d’Alice" not in [i.title for i in draft.items]
    assert any("n’est plus accessible" in n for n in draft.notices)


def test_compose_from_a_board_reorder_add_intro_and_send(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        board = boards.create_board(s, people.trainer, "Sélection du lundi", visibility=COHORT)
        section = boards.add_section(s, people.trainer, board.id, "Études")
        first = _pin(s, people.trainer, board.id, "Baromètre 2026", url="https://etude.example/b",
                     section_id=section.id, note="Chiffres à citer.")  # fmt: skip
        _pin(s, people.trainer, board.id, "Une astuce", url="https://astuce.example/", hours_ago=200)
        draft = build_board_draft(s, people.trainer, list_id, board.id, now=NOW)
    assert draft.board_title == "Sélection du lundi"
    # every pin of the board (not only new ones), in board order: pins outside sections first
    assert [i.title for i in draft.items] == ["Une astuce", "Baromètre 2026"]
    assert [i.section for i in draft.items] == ["Sélection", "Études"]
    draft.move(1, -1)
    draft.intro = "Bonne lecture, et rendez-vous lundi."
    assert [i.title for i in draft.items] == ["Baromètre 2026", "Une astuce"]
    with session_scope() as s:
        summary = publish(s, people.trainer, draft)
    with session_scope() as s:
        view = get_digest(s, people.trainer, summary.id)
        alice_view = get_digest(s, people.alice, summary.id)
    assert view.summary.item_count == 2 and alice_view.html == view.html
    assert view.html.index("Baromètre 2026") < view.html.index("Une astuce")
    assert "Bonne lecture, et rendez-vous lundi." in view.html and "Chiffres à citer." in view.html
    assert {d.email for d in view.deliveries} == {"alice@example.fr", "bob@example.fr"}
    assert first.id  # the pin stays on its board
    with session_scope() as s:
        assert s.get(Pin, first.id).deleted_at is None


def test_compose_from_an_empty_board_says_what_to_do(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        board = boards.create_board(s, people.trainer, "Vide")
        with pytest.raises(UserError, match="aucune épingle"):
            build_board_draft(s, people.trainer, list_id, board.id, now=NOW)
