"""AppTests of « Mes tableaux », « Tableaux de la session » and the shared-board link, per role."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from curation import boards, pins
from curation.board_models import COHORT, LINK
from curation.pins import PinData
from tests.apptest import ROOT, TIMEOUT, click_card, kept_toasts, run_page
from workbench.db import session_scope


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def html_of(at: AppTest) -> str:
    return "".join(el.proto.body for el in at.get("html"))


def _seed(people, visibility=COHORT):
    board = run(
        boards.create_board, people.alice, "Veille Instagram", "Pour la rentrée", visibility=visibility
    )
    section = run(boards.add_section, people.alice, board.id, "Chiffres")
    first = run(
        pins.add_pin,
        people.alice,
        PinData(
            title="Chiffres Instagram <b>2026</b>",
            url="https://exemple.fr/a",
            note="Pour nos TPE",
            tags=["instagram"],
            angle="chiffre",
        ),
        board_id=board.id,
        section_id=section.id,
    )
    second = run(
        pins.add_pin, people.alice, PinData(title="Tuto Reels", url="https://exemple.fr/b"), board_id=board.id
    )
    return board, first, second


def test_empty_boards_page_for_a_trainee(people) -> None:
    at = run_page("screens/boards.py", people.alice)
    assert not at.exception
    assert at.title[0].value == "Mes tableaux"
    assert "Aucune épingle pour l’instant" in html_of(at)
    assert any(b.label == "Créer le tableau" for b in at.get("form_submit_button"))


def test_create_a_board_from_the_page(people) -> None:
    at = run_page("screens/boards.py", people.alice)
    at.text_input[0].input("Idées TikTok")
    submit = next(b for b in at.get("form_submit_button") if b.label == "Créer le tableau")
    submit.click().run()
    assert not at.exception
    assert [b.title for b in run(boards.list_my_boards, people.alice)] == ["Idées TikTok"]


def test_board_with_pins_shows_the_masonry_and_the_selected_pin_panel(people) -> None:
    board, first, second = _seed(people)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id)
    assert not at.exception
    html = html_of(at)
    assert 'class="atl-cols' in html and "Chiffres Instagram &lt;b&gt;2026&lt;/b&gt;" in html
    assert "<b>2026</b>" not in html
    assert [t.label for t in at.tabs] == [
        "Modifier",
        "Ranger",
        "Rédiger un post",
        "Commentaires du formateur",
    ]
    picker = at.selectbox(key="boards_pin")
    assert picker.value == second.id  # the pin outside sections comes first
    picker.set_value(first.id).run()
    assert not at.exception


def test_all_pins_view_shows_board_tiles_and_every_board(people) -> None:
    _seed(people)
    other = run(boards.create_board, people.alice, "Idées Reels")
    run(pins.add_pin, people.alice, PinData(title="Reels du lundi"), board_id=other.id)
    at = run_page("screens/boards.py", people.alice)
    assert not at.exception
    html = html_of(at)
    assert 'class="atl-boards"' in html and "Idées Reels" in html
    assert "Reels du lundi" in html and "Tuto Reels" in html


def test_edit_delete_and_undo_from_the_page(people) -> None:
    board, _first, second = _seed(people)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=second.id)
    note = [t for t in at.text_area if t.label == "Pourquoi c’est utile pour ma communauté"][
        -1
    ]  # the edit form
    note.input("À montrer en atelier Reels")
    next(b for b in at.get("form_submit_button") if b.label == "Enregistrer l’épingle").click().run()
    assert not at.exception
    assert run(pins.get_pin, people.alice, second.id).note == "À montrer en atelier Reels"

    next(b for b in at.button if b.label == "Supprimer" and "delete" in (b.proto.icon or "")).click().run()
    assert not at.exception
    assert second.id not in [p.id for p in run(pins.board_pins, people.alice, board.id)]
    next(b for b in at.button if b.label == "Annuler la suppression").click().run()
    assert not at.exception
    assert second.id in [p.id for p in run(pins.board_pins, people.alice, board.id)]


def test_pin_to_post_flags_an_x_post_over_the_limit(people) -> None:
    board, first, _ = _seed(people)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=first.id)
    network = at.selectbox(key=f"post_{first.id}_net")
    network.set_value("x").run()
    at.text_area(key=f"post_{first.id}_text").input("Trop long " * 40).run()
    assert not at.exception
    assert any("Texte trop long pour X" in e.value for e in at.error)
    at.text_area(key=f"post_{first.id}_text").input("Court et clair #CM @atelier https://exemple.fr/a").run()
    assert not at.error
    assert [m.value for m in at.metric][2:] == ["1", "1"]  # hashtags, mentions
    next(b for b in at.button if b.label == "Enregistrer le brouillon").click().run()
    assert not at.exception
    drafts = [c.value for c in at.code]
    assert "Court et clair #CM @atelier https://exemple.fr/a" in drafts


def test_pin_to_post_counts_are_french_numbers(people) -> None:
    """A LinkedIn post of 3,500 characters read « 3500 / 3000 »."""
    board, first, _ = _seed(people)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=first.id)
    at.selectbox(key=f"post_{first.id}_net").set_value("linkedin").run()
    at.text_area(key=f"post_{first.id}_text").input("x" * 3_500).run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == ["3\u202f500\u202f/\u202f3\u202f000", "-500"]


def test_someone_elses_board_cannot_be_opened_by_its_id(people) -> None:
    board, _, _ = _seed(people, visibility="private")
    at = run_page("screens/boards.py", people.zoe, boards_board=board.id)
    assert not at.exception
    assert "Veille Instagram" not in html_of(at)
    assert at.selectbox(key="boards_board").value == 0


def test_trainer_review_page(people) -> None:
    board, first, _ = _seed(people)
    at = run_page("screens/board_review.py", people.trainer)
    assert not at.exception
    assert at.selectbox(key="review_board").options == [
        "Alice — Veille Instagram (2\u00a0épingles, à revoir)"
    ]
    assert "Chiffres Instagram" in html_of(at)
    next(b for b in at.button if b.label == "Marquer comme revu").click().run()
    assert not at.exception
    assert run(boards.get_board, people.alice, board.id).reviewed_at is not None
    at.selectbox(key=f"review_pin_{board.id}").set_value(first.id).run()
    at.text_area[0].input("Bonne source ; citez l’étude.")
    next(b for b in at.get("form_submit_button") if b.label == "Publier le commentaire").click().run()
    assert not at.exception
    assert [c.body for c in run(pins.get_pin, people.alice, first.id).comments] == [
        "Bonne source ; citez l’étude."
    ]
    # The trainee sees the comment beside her pin.
    mine = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=first.id)
    assert "Bonne source ; citez l’étude." in html_of(mine)


def test_review_page_is_for_trainers_only(people) -> None:
    at = run_page("screens/board_review.py", people.alice)
    assert not at.exception
    assert at.error and "formateurs" in at.error[0].value


def test_other_trainer_sees_nothing_of_another_cohort(people) -> None:
    _seed(people)
    at = run_page("screens/board_review.py", people.other_trainer)
    assert not at.exception
    assert "Chiffres Instagram" not in html_of(at)


def test_shared_link_opens_a_read_only_board_without_login(people) -> None:
    board, _, _ = _seed(people, visibility=LINK)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["board"] = board.share_token
    at.run()
    assert not at.exception
    assert at.title[0].value == "Veille Instagram"
    assert "Chiffres Instagram" in html_of(at)
    assert not at.button and not at.text_input  # read-only: no widget to change anything
    bad = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    bad.query_params["board"] = "not-a-real-token-at-all"
    bad.run()
    assert not bad.exception
    assert "n’est pas valide" in bad.error[0].value


def test_long_boards_are_shown_a_page_at_a_time(people) -> None:
    board = run(boards.create_board, people.alice, "Long")
    with session_scope() as s:
        for i in range(152):
            pins.add_pin(s, people.alice, PinData(title=f"Épingle {i}"), board_id=board.id)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id)
    assert not at.exception
    assert html_of(at).count('class="atl-pin"') == 150
    more = next(b for b in at.button if b.label.startswith("Afficher les épingles suivantes"))
    assert "(2 de plus)" in more.label
    more.click().run()
    assert html_of(at).count('class="atl-pin"') == 152


def test_pin_one_click_and_in_the_chosen_board_from_the_wall(people) -> None:
    """« Épingler » to the default board, then « Choisir le tableau »: its dialog, for that card,
    with the board, the section and a note; it closes once pinned."""
    from tests.entry_factory import add_entry, add_feed

    with session_scope() as s:
        feed = add_feed(s, "Le Blog du CM", user_id=people.alice.id)
        entry_id = add_entry(s, feed, "Dix idées de posts", "<p>Pour la rentrée.</p>").id
    board = run(boards.create_board, people.alice, "Idées")
    section = run(boards.add_section, people.alice, board.id, "Posts")
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    assert not [w for w in at.selectbox if (w.key or "").startswith("pin_entry_")]  # no dialog yet
    click_card(at, entry_id, "pin")
    assert not at.exception
    default = next(b for b in run(boards.list_my_boards, people.alice) if b.is_default)
    [pin] = run(pins.board_pins, people.alice, default.id)
    assert (pin.title, pin.entry_id, pin.site_name) == ("Dix idées de posts", entry_id, "Le Blog du CM")
    click_card(at, entry_id, "choose")
    assert not at.exception
    at.selectbox(key=f"pin_entry_{entry_id}_board").set_value(board.id).run()
    at.selectbox(key=f"pin_entry_{entry_id}_section").set_value(section.id).run()
    at.text_input(key=f"pin_entry_{entry_id}_note").input("Pour la série de lundi")
    at.button(key=f"pin_entry_{entry_id}_chosen").click().run()
    assert not at.exception
    [pin] = run(pins.board_pins, people.alice, board.id)
    assert (pin.section_id, pin.note) == (section.id, "Pour la série de lundi")
    assert kept_toasts(at) == ["Épinglé."]  # the dialog closes by running the page again
    assert not [w for w in at.selectbox if (w.key or "").startswith("pin_entry_")]  # the dialog closed


def test_pin_from_the_reading_view_with_a_note_and_tags(people) -> None:
    """The reading view had no « Épingler »: a trainee reading an article had to go back to the
    wall to pin it, and no pin made from the wall could carry tags."""
    from tests.entry_factory import add_entry, add_feed
    from ui.card_grid import READING

    with session_scope() as s:
        feed = add_feed(s, "Le Blog du CM", user_id=people.alice.id)
        entry_id = add_entry(s, feed, "Dix idées de posts", "<p>Pour la rentrée.</p>", language="en").id
    run(pins.add_pin, people.alice, PinData(title="Ancienne", tags=["Rentrée"]))  # a tag already used
    board = run(boards.create_board, people.alice, "Idées")
    at = run_page("screens/wall.py", people.alice)
    at.session_state[READING] = entry_id
    at.run()
    assert not at.exception
    assert any("anglais" in c.value for c in at.caption)  # the language named, not « en »
    next(b for b in at.button if b.label == "Épingler").click().run()
    assert not at.exception
    default = next(b for b in run(boards.list_my_boards, people.alice) if b.is_default)
    assert any(p.entry_id == entry_id for p in run(pins.board_pins, people.alice, default.id))
    assert [t.value for t in at.toast] == ["Épinglé dans votre tableau par défaut."]
    next(b for b in at.button if b.label == "Choisir le tableau").click().run()
    assert not at.exception
    at.selectbox(key=f"pin_entry_{entry_id}_board").set_value(board.id).run()
    at.text_input(key=f"pin_entry_{entry_id}_note").input("Pour la série « Lundi »")
    tags = at.multiselect(key=f"pin_entry_{entry_id}_tags")
    assert "rentrée" in tags.options  # the person's own tags offered
    tags.set_value(["rentrée", "#Idées"])
    at.button(key=f"pin_entry_{entry_id}_chosen").click().run()
    assert not at.exception
    [pin] = run(pins.board_pins, people.alice, board.id)
    assert (pin.note, sorted(pin.tags)) == ("Pour la série « Lundi »", ["idées", "rentrée"])
    assert at.header[0].value == "Dix idées de posts"  # still reading
    assert kept_toasts(at) == ["Épinglé."]


def test_trainer_shares_a_reference_board_with_the_cohort(people) -> None:
    board = run(boards.create_board, people.trainer, "Références de la promo")
    run(pins.add_pin, people.trainer, PinData(title="Le guide des formats"), board_id=board.id)
    at = run_page("screens/boards.py", people.trainer, boards_board=board.id)
    at.radio(key=f"visibility_{board.id}").set_value(COHORT).run()
    assert not at.exception
    next(b for b in at.button if b.label == "Appliquer la visibilité").click().run()
    assert not at.exception
    shared = run(boards.list_shared_boards, people.alice)
    assert [(b.title, b.is_reference) for b in shared] == [("Références de la promo", True)]
    mine = run_page("screens/boards.py", people.alice, boards_board=board.id)
    assert not mine.exception
    assert "Le guide des formats" in html_of(mine)
    assert (
        "Références de la promo — référence par Claire Formatrice"
        in mine.selectbox(key="boards_board").options
    )


def _after(at: AppTest, form_key: str, label: str):
    """The element right after the field labelled ``label`` in the form ``form_key``."""
    form = next(b for b in at.get("form") if b.proto.form.form_id == form_key)
    children = list(form.children.values())
    index = next(i for i, el in enumerate(children) if getattr(el, "label", None) == label)
    return children[index + 1]


def test_refused_new_board_keeps_what_was_typed_with_the_message_by_the_title(people) -> None:
    at = run_page("screens/boards.py", people.alice)
    long_title, description = "T" * 201, "Une longue description. " * 100
    at.text_input[0].input(long_title)
    at.text_area[0].input(description)
    at.text_input[1].input("https://exemple.fr/couverture.png")
    next(b for b in at.get("form_submit_button") if b.label == "Créer le tableau").click().run()
    assert not at.exception
    assert at.text_input[0].value == long_title and at.text_area[0].value == description
    assert at.text_input[1].value == "https://exemple.fr/couverture.png"
    message = _after(at, "new_board-0", "Titre du tableau")
    assert type(message).__name__ == "Error"
    assert "Titre trop long" in message.value
    assert run(boards.list_my_boards, people.alice) == []
    # Fixed, it is created and the form is empty again.
    at.text_input[0].input("Idées TikTok")
    next(b for b in at.get("form_submit_button") if b.label == "Créer le tableau").click().run()
    assert [b.title for b in run(boards.list_my_boards, people.alice)] == ["Idées TikTok"]
    assert at.text_input[0].value == "" and at.text_area[0].value == ""


def test_board_description_fields_stop_at_the_limit(people) -> None:
    run(boards.create_board, people.alice, "Veille", "")
    at = run_page(
        "screens/boards.py", people.alice, boards_board=run(boards.list_my_boards, people.alice)[0].id
    )
    areas = [a for a in at.text_area if a.label.startswith("Description")]
    assert len(areas) == 2 and all(a.proto.max_chars == boards.MAX_DESCRIPTION for a in areas)


def test_refused_pin_from_an_address_keeps_address_note_and_tags(people) -> None:
    at = run_page("screens/boards.py", people.alice)
    tags = ", ".join(f"tag{i}" for i in range(20))
    form = "pin_url-0"
    at.text_input(key=f"{form}-url").input("http://127.0.0.1:9/article")
    at.text_area(key=f"{form}-note").input("Chiffres pour la rentrée")
    at.text_input(key=f"{form}-tags").input(tags)
    next(b for b in at.get("form_submit_button") if b.label == "Épingler").click().run()
    assert not at.exception
    assert at.text_input(key=f"{form}-url").value == "http://127.0.0.1:9/article"
    assert at.text_area(key=f"{form}-note").value == "Chiffres pour la rentrée"
    assert at.text_input(key=f"{form}-tags").value == tags
    assert "20 étiquettes" in _after(at, form, "Étiquettes (séparées par des virgules)").value
    assert run(pins.search_pins, people.alice, pins.PinFilter()) == []


def _namesake_comments(people):
    """Alice's pin with a comment by the trainer and one by a trainee who took the trainer's name."""
    from curation.board_models import PinComment
    from workbench.accounts import update_profile

    board, first, _ = _seed(people)
    run(update_profile, people.bob, display_name=people.trainer.display_name)
    real = run(pins.add_comment, people.trainer, first.id, "Commentaire de la formatrice")
    with session_scope() as s:  # a comment from a trainee's account, written straight to the database
        fake = PinComment(pin_id=first.id, author_id=people.bob.id, body="Commentaire de l’homonyme")
        s.add(fake)
        s.flush()
        fake_id = fake.id
    return board, first, real.id, fake_id


def test_comments_carry_their_authors_id_and_role_from_the_database(people) -> None:
    _, first, real_id, fake_id = _namesake_comments(people)
    by_id = {c.id: c for c in run(pins.get_pin, people.alice, first.id).comments}
    assert by_id[real_id].author_name == by_id[fake_id].author_name == "Claire Formatrice"
    assert (by_id[real_id].author_id, by_id[real_id].author_is_trainer) == (people.trainer.id, True)
    assert (by_id[fake_id].author_id, by_id[fake_id].author_is_trainer) == (people.bob.id, False)


def test_review_page_tells_namesakes_apart_by_account_not_by_name(people) -> None:
    board, first, real_id, _ = _namesake_comments(people)
    at = run_page("screens/board_review.py", people.trainer)
    at.selectbox(key=f"review_pin_{board.id}").set_value(first.id).run()
    assert not at.exception
    # « Supprimer » only under the trainer's own comment, whatever name the other one shows.
    assert [b.key for b in at.button if b.label == "Supprimer"] == [f"del_comment_{real_id}"]
    # The trainer's mark only for the real trainer.
    assert [m.avatar for m in at.get("chat_message")] == [":material/school:", ":material/person:"]


def test_trainee_sees_the_trainer_mark_only_on_the_real_trainers_comment(people) -> None:
    board, first, _, _ = _namesake_comments(people)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=first.id)
    assert not at.exception
    assert [m.avatar for m in at.get("chat_message")] == [":material/school:", ":material/person:"]


def test_edit_form_tags_field_is_the_pin_dialogs(people) -> None:
    """The edit form's « Étiquettes » was a copy of the pin dialog's (``ui.board_pickers.tags_field``
    now draws both): same label, help and placeholder, new tags typed, the pin's tags kept."""
    board, first, _ = _seed(people)
    at = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=first.id)
    [tags] = [m for m in at.multiselect if m.label == "Étiquettes"]
    assert (tags.label, tags.help, tags.placeholder) == (
        "Étiquettes",
        "Choisissez parmi vos étiquettes ou tapez-en une nouvelle.",
        "Choisir ou saisir des étiquettes",
    )
    assert tags.value == ["instagram"]
    tags.set_value(["instagram", "Rentrée"])
    next(b for b in at.get("form_submit_button") if b.label == "Enregistrer l’épingle").click().run()
    assert not at.exception
    assert sorted(run(pins.get_pin, people.alice, first.id).tags) == ["instagram", "rentrée"]
    [tags] = [m for m in at.multiselect if m.label == "Étiquettes"]
    assert sorted(tags.value) == ["instagram", "rentrée"]  # as stored, not as typed (« Rentrée »)


def test_tags_field_offers_the_persons_tags_and_takes_new_ones() -> None:
    """``ui.board_pickers.tags_field``, the one « Étiquettes » field of the pin dialog and the
    pin edit form: the tags offered, the default chosen, a new tag typed accepted."""

    def page() -> None:
        import streamlit as st

        from ui.board_pickers import tags_field

        st.session_state["chosen"] = tags_field(["instagram", "rentrée"], ["instagram"], key="tags")

    at = AppTest.from_function(page, default_timeout=TIMEOUT).run()
    assert not at.exception
    tags = at.multiselect(key="tags")
    assert (tags.options, tags.value, tags.placeholder) == (
        ["instagram", "rentrée"],
        ["instagram"],
        "Choisir ou saisir des étiquettes",
    )
    tags.set_value(["rentrée", "Idées TikTok"]).run()
    assert at.session_state["chosen"] == ["rentrée", "Idées TikTok"]
