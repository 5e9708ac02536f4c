"""Translation pieces shared by the Translation page, the wall and the reading view."""

from __future__ import annotations

import streamlit as st

from curation.translation.entries import (
    EntryTranslation,
    needs_translation,
    translate_entries,
    translate_entry_article,
)
from curation.translation.memory import save_correction
from curation.translation.service import FROM_OWN_REVIEW, FROM_REVIEW, UNCHANGED, TranslationRun
from ui.session import attempt, read, rerun
from ui.text import plain
from workbench.access import Actor
from workbench.settings import get_settings


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
        placeholder="Choisir un paragraphe",
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
            )
            if saved is not None:
                item.translated, item.correction_id = saved.corrected_text, saved.id
                item.origin = FROM_REVIEW if saved.validated else FROM_OWN_REVIEW
                rerun("Traduction relue enregistrée.")


WALL_KEY = "wall_translations"
CARD_FAILURES = "card_translation_failures"
REMEMBERED_SECONDS = 60  # a translation someone else asks for shows on my cards within a minute


@st.cache_data(ttl=REMEMBERED_SECONDS, max_entries=500, show_spinner=False)
def _remembered(
    _session, database: str, user_id: int, entry_ids: tuple[int, ...], _actor: Actor
) -> dict[int, EntryTranslation]:
    """The translations the memory already holds for a wall page, not recomputed on each rerun;
    keyed on the database and the person (their own reviewed translations are theirs)."""
    return dict(
        translate_entries(_session, _actor, list(entry_ids), summaries=True, memory_only=True).entries
    )


def wall_translations(actor: Actor, entry_ids: list[int]) -> dict[int, EntryTranslation]:
    """French titles and summaries already known for these entries (the foreign-language ones of a
    page; nothing is sent), plus a « Traduire les titres » button that translates every visible
    title in one batched run."""
    known: dict[int, EntryTranslation] = st.session_state.setdefault(WALL_KEY, {})
    if not entry_ids:  # a page in French: nothing to look up, nothing to offer
        return known
    missing: list[int] = []
    remembered = read(_remembered, get_settings().database_url, actor.id, tuple(entry_ids), actor) or {}
    for entry_id, tr in remembered.items():
        if tr.title is not None:
            known[entry_id] = _merge_known(known.get(entry_id), tr)
        elif entry_id not in known:
            missing.append(entry_id)
    if missing and st.button(
        "Traduire les titres", icon=":material/translate:", help="Titres des articles en langue étrangère"
    ):
        bar = st.progress(0.0, text="Traduction des titres…")
        result = attempt(
            translate_entries,
            actor,
            missing,
            progress=lambda done, total: bar.progress(done / max(total, 1), text="Traduction des titres…"),
        )
        bar.empty()
        if result is not None:
            if result.message:
                st.warning(result.message)
            for entry_id, tr in result.entries.items():
                if tr.title is not None:
                    known[entry_id] = _merge_known(known.get(entry_id), tr)
    return known


def _merge_known(old: EntryTranslation | None, new: EntryTranslation) -> EntryTranslation:
    """A newer result without a summary keeps the summary translated earlier for the card."""
    if old is not None and not new.summary and old.summary:
        return EntryTranslation(new.entry_id, new.title, old.summary, new.error)
    return new


def card_translation_parts(entry_id: int, language: str, known: dict[int, EntryTranslation]) -> dict | None:
    """On a wall card, as text for the card (``ui.card_grid``): the French title and summary once
    translated (the original stays above them), and what they are; ``None`` before that."""
    tr = known.get(entry_id) if needs_translation(language) else None
    if tr is None or tr.title is None:
        return None
    note = ""
    if tr.summary is not None:
        note = f"Traduit de «\u00a0{language or '?'}\u00a0» en français · l’original est au-dessus"
    return {"title": tr.title, "summary": tr.summary or "", "note": note}


def card_translation_wanted(entry_id: int, language: str, known: dict[int, EntryTranslation]) -> bool:
    """A card in a foreign language whose title and summary are not both translated yet: it offers
    « Traduire »."""
    tr = known.get(entry_id)
    return needs_translation(language) and not (
        tr is not None and tr.title is not None and tr.summary is not None
    )


def card_failures() -> dict[int, str]:
    """Why a card's last « Traduire » failed, per entry, kept until a later success."""
    return st.session_state.setdefault(CARD_FAILURES, {})


def translate_card(actor: Actor, entry_id: int, known: dict[int, EntryTranslation]) -> None:
    """« Traduire » on a wall card: its title and summary, kept in ``known`` for the card; a
    failure's message kept for the card (a failed title leaves « Traduire les titres » on offer)."""
    result = attempt(translate_entries, actor, [entry_id], summaries=True)
    if result is None:
        return
    if result.message:
        card_failures()[entry_id] = result.message
    else:
        card_failures().pop(entry_id, None)
    done = result.entries.get(entry_id)
    if done is not None and done.title is not None:
        known[entry_id] = done


def reading_translation(actor: Actor, entry_id: int, language: str) -> bool:
    """In the reading view of a foreign-language article: « Lire en français » shows it side by
    side with the original, paragraph by paragraph; « Voir l’original » comes back. True when
    the translation is shown (the caller then skips the original layout)."""
    if not needs_translation(language):
        return False
    key = f"reading-fr-{entry_id}"
    run: TranslationRun | None = st.session_state.get(key)
    if run is None:
        if st.button("Lire en français", icon=":material/translate:", key=f"{key}-go"):
            bar = st.progress(0.0, text="Traduction de l’article…")
            run = attempt(
                translate_entry_article,
                actor,
                entry_id,
                progress=lambda done, total: bar.progress(
                    done / max(total, 1), text="Traduction de l’article…"
                ),
            )
            bar.empty()
            if run is not None:
                st.session_state[key] = run
                st.rerun()
        return False
    if st.button("Voir l’original", icon=":material/undo:", key=f"{key}-back"):
        st.session_state.pop(key, None)
        st.rerun()
    side_by_side(run, key=key, source_label=f"Original ({language or '?'})")
    with st.expander("Corriger une traduction"):
        correction_form(actor, run, key=key)
    return True
