"""Translation pieces shared by the Translation page, the wall and the reading view."""

from __future__ import annotations

import streamlit as st

from curation.translation.memory import save_correction
from curation.translation.service import FROM_OWN_REVIEW, FROM_REVIEW, UNCHANGED, TranslationRun
from ui.session import attempt
from ui.text import plain
from workbench.access import Actor


def side_by_side(run: TranslationRun, *, key: str, source_label: str = "Original") -> None:
    """English | French, paragraph by paragraph, with a « Français seulement » toggle."""
    if run.message:
        st.warning(run.message)
    only_french = st.toggle("Français seulement", key=f"{key}-only-fr")
    if not only_french:
        left, right = st.columns(2)
        left.caption(source_label)
        right.caption("Français")
    for index, item in enumerate(run.items, start=1):
        if only_french:
            st.markdown(plain(item.shown))
            continue
        left, right = st.columns(2)
        left.markdown(plain(item.source))
        right.markdown(plain(item.shown))
        right.caption(f"§ {index} · {item.origin}" if item.origin else f"§ {index} · original (non traduit)")


def correction_form(actor: Actor, run: TranslationRun, *, key: str) -> None:
    """Correct one paragraph's translation ("traduction relue"), kept and preferred next time."""
    translated = [i for i, item in enumerate(run.items, start=1) if item.ok and item.origin != UNCHANGED]
    if not translated:
        return
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
        translated,
        format_func=lambda i: f"§ {i} — {run.items[i - 1].source[:70]}",
        key=f"{key}-paragraph",
    )
    item = run.items[choice - 1]
    with st.form(f"{key}-correct-{choice}"):
        corrected = st.text_area("Traduction relue", value=item.translated or "", height=150)
        if st.form_submit_button("Enregistrer la traduction relue"):
            saved = attempt(
                save_correction,
                actor,
                item.source,
                corrected,
                source_lang=item.source_lang,
                target_lang="fr",
                success="Traduction relue enregistrée.",
            )
            if saved is not None:
                item.translated, item.correction_id = saved.corrected_text, saved.id
                item.origin = FROM_REVIEW if saved.validated else FROM_OWN_REVIEW
                st.rerun()
