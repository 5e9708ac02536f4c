"""Traduction: paste English text, read French side by side, copy it, correct it."""

from __future__ import annotations

import streamlit as st

from curation.translation.memory import (
    delete_correction,
    pending_corrections,
    validate_correction,
)
from curation.translation.providers import provider_config
from curation.translation.service import UNCHANGED, TranslationRun, translate_document
from curation.translation.web import translate_url
from curation.urls import web_url
from ui.session import attempt, read, require_actor
from ui.text import plain
from ui.translation import correction_form, side_by_side
from workbench.errors import UserError
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

RESULT = "translate_result"
PAGE_URL = "translate_page_url"
MODES = {"text": "Un texte", "url": "Une page web"}
SOURCES = {"auto": "Détection automatique", "en": "Anglais"}


def _already_french(run: TranslationRun) -> bool:
    """Every paragraph left as it was: the text was read as French, nothing was sent."""
    return bool(run.items) and all(item.origin == UNCHANGED for item in run.items)


actor = require_actor()
st.title("Traduction")
st.caption(
    "Collez un texte en anglais, ou l’adresse d’une page\u00a0: la traduction française s’affiche en face, "
    "paragraphe par paragraphe. "
    "Liens, @mentions, #hashtags, emoji, marques et code restent intacts\u00a0; le glossaire du CM est appliqué."
)

try:
    config = provider_config()
    st.caption(
        f"Service de traduction\u00a0: **{plain(config.spec.label)}**. "
        "Un·e formateur·rice peut en choisir un autre dans Réglages (menu Formateur)."
    )
except UserError as exc:
    config = None
    st.error(plain(str(exc)))

mode = st.radio("Que traduire\u00a0?", list(MODES), format_func=MODES.__getitem__, horizontal=True)
with st.form("translate"):
    if mode == "text":
        text = st.text_area("Texte à traduire", height=220, placeholder="Collez ici le texte anglais…")
        source = st.selectbox(
            "Langue du texte",
            list(SOURCES),
            format_func=SOURCES.__getitem__,
            placeholder="Choisir une langue",
        )
    else:
        url = st.text_input("Adresse de la page", placeholder="https://…")
    submitted = st.form_submit_button("Traduire", type="primary", disabled=config is None)

if submitted:
    wanted = text if mode == "text" else url
    if not wanted.strip():
        st.warning("Collez d’abord un texte à traduire." if mode == "text" else "Collez d’abord une adresse.")
    else:
        with st.status("Traduction en cours…", expanded=False) as status:
            bar = st.progress(0.0)

            def progress(done: int, total: int) -> None:
                bar.progress(done / max(total, 1))

            if mode == "text":
                run = attempt(
                    translate_document, text, source=source, actor=actor, config=config, progress=progress
                )
                st.session_state[PAGE_URL] = None
            else:
                page = attempt(translate_url, url, actor=actor, config=config, progress=progress)
                run = page.run if page is not None else None
                st.session_state[PAGE_URL] = page.article.url if page is not None else None
            if run is not None and _already_french(run):
                status.update(label="Rien à traduire.", state="complete")
            elif run is None or not any(item.ok for item in run.items):
                status.update(label="Traduction impossible.", state="error", expanded=True)
            elif run.message:
                status.update(label="Traduction incomplète.", state="error")
            else:
                status.update(label="Traduction terminée.", state="complete")
        if run is not None:
            st.session_state[RESULT] = run

run: TranslationRun | None = st.session_state.get(RESULT)
if run is not None:
    if original := web_url(st.session_state.get(PAGE_URL)):
        st.link_button("Ouvrir la page originale", original, icon=":material/open_in_new:")
    if run.memory_hits:
        st.caption(
            f"{quantity(run.memory_hits, 'paragraphe déjà traduit', 'paragraphes déjà traduits')}\u00a0: repris de la mémoire de traduction."
        )
    if _already_french(run):
        st.info(
            "Cette page semble déjà en français\u00a0: rien n’a été traduit."
            if st.session_state.get(PAGE_URL)
            else "Ce texte semble déjà en français\u00a0: rien n’a été traduit. S’il contient des paragraphes "
            "en anglais, choisissez «\u00a0Anglais\u00a0» dans «\u00a0Langue du texte\u00a0» et traduisez de nouveau."
        )
    side_by_side(run, key="translate")
    french = "\n\n".join(item.shown for item in run.items)
    st.subheader("Copier la traduction")
    st.code(french, language=None, wrap_lines=True)
    st.download_button("Télécharger (.txt)", french, file_name="traduction.txt", mime="text/plain")
    st.subheader("Corriger une traduction")
    correction_form(actor, run, key="translate")

st.divider()
if actor.is_trainer:
    st.subheader("Traductions relues par vos stagiaires, à valider")
else:
    st.subheader("Mes traductions relues")
reviews = read(pending_corrections, actor, default=[]) or []
if not reviews:
    st.caption("Aucune pour l’instant.")
for review in reviews:
    with st.container(border=True):
        left, right = st.columns(2)
        left.markdown(plain(review.source_text))
        right.markdown(plain(review.corrected_text))
        state = "validée (visible par tous)" if review.validated else "personnelle"
        st.caption(f"{plain(review.author_name)} · {state} · {fr_datetime(review.updated_at)}")
        buttons = st.columns(4)
        validate = actor.is_trainer and buttons[0].button("Valider", key=f"validate-{review.id}")
        if validate:
            attempt(
                validate_correction,
                actor,
                review.id,
                success="Traduction validée pour tous.",
                then_rerun=True,
            )
        remove = buttons[1].button("Supprimer", key=f"delete-{review.id}")
        if remove:
            attempt(
                delete_correction, actor, review.id, success="Traduction relue supprimée.", then_rerun=True
            )
