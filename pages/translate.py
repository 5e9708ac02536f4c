"""Traduction: paste English text, read French side by side, copy it, correct it."""

from __future__ import annotations

import streamlit as st

from curation.translation.memory import (
    delete_correction,
    pending_corrections,
    save_correction,
    validate_correction,
)
from curation.translation.providers import provider_config
from curation.translation.service import FROM_OWN_REVIEW, FROM_REVIEW, TranslationRun, translate_document
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.errors import UserError

RESULT = "translate_result"
SOURCES = {"auto": "Détection automatique", "en": "Anglais"}

actor = require_actor()
st.title("Traduction")
st.caption(
    "Collez un texte en anglais : la traduction française s’affiche en face, paragraphe par paragraphe. "
    "Liens, @mentions, #hashtags, emoji, marques et code restent intacts ; le glossaire du CM est appliqué."
)

try:
    config = provider_config()
    st.caption(f"Service de traduction : **{config.spec.label}**.")
except UserError as exc:
    config = None
    st.error(str(exc))

with st.form("translate"):
    text = st.text_area("Texte à traduire", height=220, placeholder="Paste English text here…")
    source = st.selectbox("Langue du texte", list(SOURCES), format_func=SOURCES.__getitem__)
    submitted = st.form_submit_button("Traduire", type="primary", disabled=config is None)

if submitted:
    if not text.strip():
        st.warning("Collez d’abord un texte à traduire.")
    else:
        with st.status("Traduction en cours…", expanded=False) as status:
            bar = st.progress(0.0)
            run = attempt(
                translate_document,
                text,
                source=source,
                actor=actor,
                config=config,
                progress=lambda done, total: bar.progress(done / max(total, 1)),
            )
            status.update(label="Traduction terminée.", state="complete")
        if run is not None:
            st.session_state[RESULT] = (source, run)

stored: tuple[str, TranslationRun] | None = st.session_state.get(RESULT)
if stored:
    source, run = stored
    if run.message:
        st.warning(run.message)
    if run.memory_hits:
        st.caption(f"{run.memory_hits} paragraphe(s) déjà traduit(s) : repris de la mémoire de traduction.")
    only_french = st.toggle("Français seulement")
    for index, item in enumerate(run.items, start=1):
        if only_french:
            st.markdown(plain(item.shown))
            continue
        left, right = st.columns(2)
        left.markdown(plain(item.source))
        right.markdown(plain(item.shown))
        note = f"§ {index}" + (f" · {item.origin}" if item.origin else " · original (non traduit)")
        right.caption(note)

    french = "\n\n".join(item.shown for item in run.items)
    st.subheader("Copier la traduction")
    st.code(french, language=None, wrap_lines=True)
    st.download_button("Télécharger (.txt)", french, file_name="traduction.txt", mime="text/plain")

    translated = [(i, item) for i, item in enumerate(run.items, start=1) if item.ok]
    if translated:
        st.subheader("Corriger une traduction")
        st.caption(
            "Votre version relue remplace la traduction automatique pour vous ; "
            + (
                "comme formateur, vous la validez pour tout le monde."
                if actor.is_trainer
                else "elle sera visible par tous quand votre formateur l’aura validée."
            )
        )
        choice = st.selectbox(
            "Paragraphe",
            [i for i, _ in translated],
            format_func=lambda i: f"§ {i} — {run.items[i - 1].source[:70]}",
        )
        item = run.items[choice - 1]
        with st.form(f"correct-{choice}"):
            corrected = st.text_area("Traduction relue", value=item.translated or "", height=150)
            if st.form_submit_button("Enregistrer la traduction relue"):
                saved = attempt(
                    save_correction,
                    actor,
                    item.source,
                    corrected,
                    source_lang=source,
                    target_lang="fr",
                    success="Traduction relue enregistrée.",
                )
                if saved is not None:
                    item.translated, item.correction_id = saved.corrected_text, saved.id
                    item.origin = FROM_REVIEW if saved.validated else FROM_OWN_REVIEW
                    st.rerun()

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
        st.caption(f"{review.author_name} · {state} · {review.updated_at:%d/%m/%Y %H:%M}")
        buttons = st.columns(4)
        validate = actor.is_trainer and buttons[0].button("Valider", key=f"validate-{review.id}")
        if validate and attempt(
            validate_correction, actor, review.id, success="Traduction validée pour tous."
        ):
            st.rerun()
        remove = buttons[1].button("Supprimer", key=f"delete-{review.id}")
        if remove and attempt(delete_correction, actor, review.id, success="Traduction relue supprimée."):
            st.rerun()
