"""Tableaux de la session (trainer): the boards trainees share with the cohort, comments on pins,
boards marked as reviewed."""

from __future__ import annotations

import streamlit as st

from curation import boards, pins
from curation.masonry import group_by_section
from ui.forms import clear_form, form_key
from ui.masonry import masonry, pin_comment
from ui.session import attempt, read, require_actor, rerun
from ui.text import plain
from workbench.cohorts import list_cohorts
from workbench.localtime import fr_date
from workbench.numbers import fr_int, quantity

actor = require_actor("trainer")
st.title("Tableaux de la session")
st.caption(
    "Les tableaux que vos stagiaires partagent avec leur session\u00a0: commentez une épingle (la personne "
    "voit votre commentaire à côté) et marquez un tableau comme revu. Pour partager vos propres "
    "tableaux de référence, choisissez «\u00a0Partagé avec ma session\u00a0» dans «\u00a0Mes tableaux\u00a0»."
)

cohorts = read(list_cohorts, actor, default=[]) or []
if not cohorts:
    st.info(
        "Vous n’animez encore aucune session\u00a0: créez-en une dans «\u00a0Sessions de formation\u00a0»."
    )
    st.stop()
names = {c.id: c.name for c in cohorts}
cohort_id = st.selectbox(
    "Session",
    list(names),
    format_func=names.__getitem__,
    key="review_cohort",
    placeholder="Choisir une session",
)

shared = [
    b
    for b in read(boards.cohort_boards_for_trainer, actor, cohort_id, default=[]) or []
    if not b.is_reference
]
if not shared:
    st.info("Aucun stagiaire de cette session n’a encore partagé de tableau.")
    st.stop()

to_review = sum(1 for b in shared if b.reviewed_at is None)
st.caption(f"{quantity(len(shared), 'tableau partagé', 'tableaux partagés')}, {fr_int(to_review)} à revoir.")
by_id = {b.id: b for b in shared}


def label(board_id: int) -> str:
    b = by_id[board_id]
    state = f"revu le {fr_date(b.reviewed_at)}" if b.reviewed_at else "à revoir"
    return f"{b.owner_name} — {b.title} ({quantity(b.pin_count, 'épingle')}, {state})"


board_id = st.selectbox(
    "Tableau", list(by_id), format_func=label, key="review_board", placeholder="Choisir un tableau"
)
board = by_id[board_id]
if board.description:
    st.caption(plain(board.description))

cols = st.columns([1, 3])
if board.reviewed_at is None:
    if cols[0].button("Marquer comme revu", type="primary", icon=":material/task_alt:"):
        attempt(
            boards.mark_reviewed, actor, board.id, True, success="Tableau marqué comme revu.", then_rerun=True
        )
else:
    cols[1].success(f"Revu par {plain(board.reviewer_name)} le {fr_date(board.reviewed_at)}.")
    if cols[0].button("Remettre «\u00a0à revoir\u00a0»") and attempt(
        boards.mark_reviewed, actor, board.id, False
    ):
        st.rerun()

items = read(pins.board_pins, actor, board.id, default=[]) or []
groups = group_by_section(items, [(s.id, s.title) for s in board.sections])
masonry(groups, empty="Ce tableau ne contient encore aucune épingle.")

ordered = [p for g in groups for p in g.pins]
if ordered:
    numbers = {p.id: i for i, p in enumerate(ordered, start=1)}
    by_pin = {p.id: p for p in ordered}
    st.divider()
    pin_id = st.selectbox(
        "Épingle à commenter",
        list(numbers),
        format_func=lambda i: f"n°\u00a0{numbers[i]} — {by_pin[i].title[:90]}",
        key=f"review_pin_{board.id}",
        placeholder="Choisir une épingle",
    )
    pin = by_pin[pin_id]
    for comment in pin.comments:
        box = pin_comment(comment)
        # Only the author deletes a comment (the rule of pins.delete_comment): same account, not same name.
        if comment.author_id == actor.id and box.button("Supprimer", key=f"del_comment_{comment.id}"):
            attempt(pins.delete_comment, actor, comment.id, success="Commentaire supprimé.", then_rerun=True)
    with st.form(form_key(f"comment_{pin.id}")):
        body = st.text_area(
            "Votre commentaire",
            placeholder="Source fiable\u00a0; précisez en quoi c’est utile à votre cible.",
        )
        if st.form_submit_button("Publier le commentaire", type="primary") and attempt(
            pins.add_comment, actor, pin.id, body
        ):
            clear_form(f"comment_{pin.id}")
            rerun("Commentaire publié.")
