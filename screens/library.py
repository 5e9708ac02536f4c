"""Trainer: « Bibliothèque » — every exercise and assessment item, previewed as a trainee sees it,
duplicated and adapted, written from scratch for each of the ten kinds, saved with its sharing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import streamlit as st

from training_modules.competences import framework
from training_modules.exercises.kpi import METRIC_LABELS, base_values
from training_modules.exercises.loader import parse_exercise
from training_modules.exercises.schema import KIND_LABELS, KIND_MODELS
from training_modules.library import (
    LibraryEntry,
    dataset_bytes,
    duplicate_data,
    editable_data,
    exercise_entry,
    save_exercise,
    visible_exercises,
)
from ui import library_drafts
from ui.exercises import workspace
from ui.library_exchange import exercises_exchange, items_exchange
from ui.library_items import close_item, item_address, item_panel, items_section, open_item
from ui.schema_form import UPLOADED_NAMES, draw, empty, value_label
from ui.session import Session, attempt, read, require_actor, rerun
from ui.sharing import SHARING_LABELS, sharing_choice
from ui.text import plain, quoted
from workbench.access import Actor
from workbench.errors import UserError
from workbench.localtime import fr_datetime
from workbench.numbers import fr_number, quantity

actor = require_actor("trainer")
state = st.session_state
PREVIEW_NOTE = (
    "Aperçu\u00a0: l’exercice tel que le stagiaire le voit. Vous pouvez le faire et voir la correction "
    "automatique\u202f; rien n’est enregistré."
)
NEVER = datetime.min.replace(tzinfo=UTC)
fw = framework()
competence_names = fw.names
mission_names = {m.id: m.name for m in fw.missions}


def networks(ex: Any) -> set[str]:
    """The networks an exercise is about (its own, its calendar's, its rules')."""
    found = set(getattr(ex, "networks", []) or [])
    for owner in (ex, getattr(ex, "rules", None)):
        if isinstance(getattr(owner, "network", None), str):
            found.add(owner.network)
    return found


def open_view(view: str, **details: Any) -> None:
    state["library"] = {"view": view, **details}


def close() -> None:
    state.pop("library", None)


def abandon(view: dict[str, Any]) -> None:
    library_drafts.forget(actor, view["draft"])
    close()


# What is open, also named in the address, as on « Mes exercices »: a reload or a lost connection (a
# new session) opens it again, with the form as typed (its editor draft); the menu's link (the
# address without query) shows the list.
ADDRESS = "library_address"  # the address this session last wrote


def address(view: dict[str, Any]) -> dict[str, str]:
    if view.get("view") == "preview":
        return {"apercu": view["exercise_id"]}
    if view.get("view") == "saved":
        return {"exercice": view["exercise_id"], "vue": "enregistre"}
    if view.get("view") != "edit":
        return {}
    if view["copy_of"] is not None:
        return {"copie": view["copy_of"]}
    if view["exercise_id"] is None:
        return {"nouveau": view["kind"]}
    return {"exercice": view["exercise_id"], "vue": "modifier"}


def open_address(given: dict[str, str]) -> None:
    """Open what the address names (nothing: the list)."""
    close()
    close_item()
    if open_item(actor, given):
        return
    if given.get("apercu"):
        open_view("preview", exercise_id=given["apercu"])
    elif given.get("nouveau") in KIND_MODELS:
        start_editing(None, kind=given["nouveau"])
    elif given.get("copie"):
        start_editing(None, copy_of=given["copie"])
    elif given.get("exercice") and given.get("vue") == "enregistre":
        open_view("saved", exercise_id=given["exercice"])
    elif given.get("exercice"):
        entry = read(exercise_entry, actor, given["exercice"])
        if entry is not None and entry.origin == "trainer" and entry.author_id == actor.id:
            start_editing(entry)
        elif entry is not None:  # only its author edits it: the others see it
            open_view("preview", exercise_id=entry.exercise.id)


def follow_address() -> None:
    """The address and the session agree on what is open: the address wins when it changed outside
    the page (a reload, the menu's link), the session otherwise."""
    given = st.query_params.to_dict()
    if state.get(ADDRESS) != given:
        open_address(given)
    wanted = item_address() or address(state.get("library") or {})
    if given != wanted:
        st.query_params.from_dict(wanted)
    state[ADDRESS] = wanted


def origin_line(entry: LibraryEntry) -> str:
    if entry.origin == "bundled":
        bits = ["Fourni avec l’atelier"]
    else:
        author = "vous" if entry.author_id == actor.id else plain(entry.author_name or "un formateur")
        bits = [
            f"Créé par {author}",
            SHARING_LABELS[entry.sharing or "private"],
            f"version {entry.version}",
        ]
        if entry.updated_at is not None:
            bits.append(f"modifié le {fr_datetime(entry.updated_at)}")
    bits.append(quantity(entry.submissions, "copie commencée ou rendue", "copies commencées ou rendues"))
    return " · ".join(bits)


def uploaded_files(session: Session, actor: Actor, exercise_id: str) -> dict[str, bytes]:
    """The files a trainer-made KPI exercise was given (bundled ones go by name): a copy takes them
    along, and an edit's preview and expected values read them."""
    source = exercise_entry(session, actor, exercise_id)
    if source.origin != "trainer" or source.exercise.kind != "kpi":
        return {}
    names = (source.exercise.posts_csv, source.exercise.messages_csv)
    return {n: dataset_bytes(session, source.exercise, n) for n in names}


def start_editing(entry: LibraryEntry | None, *, kind: str | None = None, copy_of: str | None = None) -> None:
    """Open the form: a new exercise of ``kind``, a copy of ``copy_of``, or ``entry`` itself."""
    carried: dict[str, bytes] = {}
    if copy_of is not None:
        data = read(duplicate_data, actor, copy_of)
        if data is None:
            return
        carried = read(uploaded_files, actor, copy_of, default={}) or {}
        kind = data["kind"]
    elif entry is not None:
        data, kind = editable_data(entry.exercise), entry.exercise.kind
        carried = read(uploaded_files, actor, entry.exercise.id, default={}) or {}
    else:
        data = {**empty(KIND_MODELS[kind]), "kind": kind}
    state["library_forms"] = state.get("library_forms", 0) + 1  # fresh widgets, never an old form's
    exercise_id = entry.exercise.id if entry is not None else None
    target = f"copy:{copy_of}" if copy_of else f"exercise:{exercise_id}" if exercise_id else f"new:{kind}"
    sharing = (entry.sharing if entry is not None else None) or "private"
    draft = library_drafts.resumed(actor, target)
    if draft is not None:
        # Uploaded files are not in the draft: a file name it holds that is not carried goes back.
        for name, uploaded in UPLOADED_NAMES.items():
            if draft["data"].get(name) == uploaded and uploaded not in carried:
                draft["data"][name] = data.get(name)
        data, sharing = draft["data"], draft["sharing"]
    open_view(
        "edit",
        kind=kind,
        initial=data,
        exercise_id=exercise_id,
        copy_of=copy_of,
        sharing=sharing,
        carried=carried,
        version=entry.version if entry is not None else None,
        submissions=entry.submissions if entry is not None else 0,
        form=f"library-{state['library_forms']}",
        draft=target,
        resumed=draft is not None,
    )


def preview_panel(exercise_id: str, back: dict[str, Any] | None) -> None:
    if back is None:
        st.button("← Bibliothèque", on_click=close)
    else:
        st.button("← Retour", on_click=state.__setitem__, args=("library", back))
    entry = read(exercise_entry, actor, exercise_id)
    if entry is None:
        return
    st.info(PREVIEW_NOTE)
    workspace(entry.exercise, actor, None, preview=True)


def saved_panel(exercise_id: str) -> None:
    st.button("← Bibliothèque", on_click=close)
    entry = read(exercise_entry, actor, exercise_id)
    if entry is None:
        return
    st.success(
        f"{quoted(plain(entry.exercise.title))} est enregistré (version {entry.version}, "
        f"{SHARING_LABELS[entry.sharing or 'private'].lower()})."
    )
    cols = st.columns(3)
    cols[0].page_link(
        "screens/exercise_assign.py",
        label="L’assigner à une session",
        icon=":material/assignment_add:",
        query_params={"exercice": entry.exercise.id},
    )
    if cols[1].button("Aperçu", icon=":material/visibility:", key="saved-preview"):
        open_view("preview", exercise_id=entry.exercise.id, back=state["library"])
        st.rerun()
    if cols[2].button("Modifier encore", icon=":material/edit:", key="saved-edit"):
        start_editing(entry)
        st.rerun()


def editor_panel(view: dict[str, Any]) -> None:
    st.button("← Bibliothèque (abandonner les modifications)", on_click=abandon, args=(view,))
    kind, exercise_id = view["kind"], view["exercise_id"]
    model = KIND_MODELS[kind]
    if view["copy_of"] is not None:
        st.header(f"Adapter une copie\u00a0: {KIND_LABELS[kind]}")
        st.caption("L’original reste tel quel\u00a0; la copie est à vous, enregistrée sous votre nom.")
    elif exercise_id is None:
        st.header(f"Nouvel exercice\u00a0: {KIND_LABELS[kind]}")
    else:
        st.header(f"Modifier\u00a0: {plain(view['initial'].get('title', ''))}")
        if view["submissions"]:
            st.info(
                f"Cet exercice a déjà {quantity(view['submissions'], 'copie', 'copies')}\u00a0: l’enregistrer "
                f"crée la version {view['version'] + 1}. Le travail déjà fait garde la version "
                f"{view['version']}."
            )
    if view["resumed"]:
        st.info(library_drafts.RESUMED)
    st.caption(
        "Chaque champ est vérifié à l’enregistrement\u00a0; une erreur s’affiche sous le champ concerné et "
        "rien n’est enregistré tant qu’il en reste. Ce que vous tapez est gardé en brouillon\u00a0: "
        "recharger la page le retrouve."
    )
    if kind == "kpi":
        st.caption(
            "Les fichiers CSV déposés ne sont pas gardés dans le brouillon\u00a0: après un rechargement de "
            "la page, déposez-les à nouveau."
        )
    form = draw(model, view["initial"], key=view["form"])
    files = {**view["carried"], **form.files}
    sharing = sharing_choice(
        view["sharing"],
        key=f"{view['form']}#sharing",
        help="Privé\u00a0: vous seul. Mes sessions\u00a0: les formateurs de vos stagiaires le voient. "
        "Tous les formateurs\u00a0: chacun peut le voir, le dupliquer et l’assigner.",
    )
    outcome = st.empty()
    library_drafts.keep(actor, view["draft"], view["form"], {"data": form.data, "sharing": sharing})

    def built() -> Any:
        """The exercise as typed, with its files (None, errors shown beside the fields, if refused)."""
        if form.validated(model) is None:
            return None
        try:
            return parse_exercise(form.data, name=exercise_id or "f-apercu", uploads=files, in_app=True)
        except UserError as exc:
            form.show_errors({exc.field or "(racine)": str(exc)})
            return None

    if kind == "kpi" and st.toggle("Valeurs attendues sur ces fichiers", key=f"{view['form']}#values"):
        exercise = built()
        if exercise is not None:
            st.caption(
                "Calculées sur les fichiers tels quels\u00a0; chaque stagiaire reçoit des chiffres écartés "
                f"d’au plus {fr_number(exercise.variation * 100, 0)}\u00a0%, et ses propres valeurs attendues."
            )
            st.markdown(  # markdown: the app's own labels and numbers
                "\n".join(
                    f"- {METRIC_LABELS[m]}\u00a0: {fr_number(v, 2)}" for m, v in base_values(exercise).items()
                )
            )
    if st.toggle("Aperçu tel que le stagiaire le verra", key=f"{view['form']}#preview"):
        exercise = built()
        if exercise is not None:
            with st.container(border=True):
                st.info(PREVIEW_NOTE)
                workspace(exercise, actor, None, preview=True)
    if st.button("Enregistrer", type="primary", icon=":material/save:", key=f"{view['form']}#save"):
        if form.validated(model) is None:
            outcome.error("L’exercice n’est pas enregistré\u00a0: corrigez les champs signalés en rouge.")
            return
        entry = attempt(
            save_exercise,
            actor,
            form.data,
            sharing=sharing,
            datasets=files,
            exercise_id=exercise_id,
            beside=form.slots,
        )
        if entry is not None:
            library_drafts.forget(actor, view["draft"])
            open_view("saved", exercise_id=entry.exercise.id)
            rerun("Exercice enregistré.")


def exercises_tab(entries: list[LibraryEntry]) -> None:
    with st.container(border=True):
        cols = st.columns([3, 1], vertical_alignment="bottom")
        kind = cols[0].selectbox(
            "Nouvel exercice", list(KIND_LABELS), format_func=KIND_LABELS.get, placeholder="Choisir un type"
        )
        if cols[1].button("Nouveau", type="primary", icon=":material/add:", key="new"):
            start_editing(None, kind=kind)
            st.rerun()
    cols = st.columns(3)
    kinds = cols[0].multiselect(
        "Types",
        list(KIND_LABELS),
        format_func=KIND_LABELS.get,
        placeholder="Tous",
        key="f-kinds",
        select_all=False,
    )
    comps = cols[1].multiselect(
        "Compétences",
        list(competence_names),
        format_func=competence_names.get,
        placeholder="Toutes",
        key="f-comps",
        select_all=False,
    )
    missions = cols[2].multiselect(
        "Missions",
        list(mission_names),
        format_func=mission_names.get,
        placeholder="Toutes",
        key="f-missions",
        select_all=False,
    )
    cols = st.columns(3)
    all_networks = sorted({n for e in entries for n in networks(e.exercise)}, key=value_label)
    nets = cols[0].multiselect(
        "Réseaux",
        all_networks,
        format_func=value_label,
        placeholder="Tous",
        key="f-networks",
        select_all=False,
    )
    longest = max([e.exercise.duration_minutes for e in entries] or [15])
    low, high = cols[1].slider("Durée (minutes)", 0, longest, (0, longest), key="f-duration")
    origins = {"bundled": "Fournis avec l’atelier", "trainer": "Créés par des formateurs"}
    origin = cols[2].multiselect(
        "Origine",
        list(origins),
        format_func=origins.get,
        placeholder="Toutes",
        key="f-origin",
        select_all=False,
    )
    shown = [
        e
        for e in entries
        if (not kinds or e.exercise.kind in kinds)
        and (not comps or set(comps) & set(e.exercise.competences))
        and (not missions or set(missions) & set(e.exercise.missions))
        and (not nets or set(nets) & networks(e.exercise))
        and low <= e.exercise.duration_minutes <= high
        and (not origin or e.origin in origin)
    ]
    exercises_exchange(actor, shown)
    st.caption(quantity(len(shown), "exercice"))
    for e in shown:
        ex = e.exercise
        with st.container(border=True):
            st.markdown(f"**{plain(ex.title)}** · {KIND_LABELS[ex.kind]} · {ex.duration_minutes}\u00a0min")
            st.caption(
                "Compétences\u00a0: "
                + ", ".join(competence_names[c] for c in ex.competences)
                + " · Missions\u00a0: "
                + ", ".join(mission_names[m] for m in ex.missions)
                + (
                    " · Réseaux\u00a0: " + ", ".join(map(value_label, sorted(networks(ex))))
                    if networks(ex)
                    else ""
                )
            )
            st.caption(origin_line(e))
            c = st.columns(3)
            if c[0].button("Aperçu", key=f"preview:{ex.id}", icon=":material/visibility:"):
                open_view("preview", exercise_id=ex.id)
                st.rerun()
            if c[1].button("Dupliquer et adapter", key=f"copy:{ex.id}", icon=":material/content_copy:"):
                start_editing(None, copy_of=ex.id)
                st.rerun()
            mine = e.origin == "trainer" and e.author_id == actor.id
            if mine and c[2].button("Modifier", key=f"edit:{ex.id}", icon=":material/edit:"):
                start_editing(e)
                st.rerun()


follow_address()
if item_panel(actor):  # a situational item opened: previewed, edited or just saved (ui/library_items.py)
    st.stop()
view = state.get("library") or {}
if view.get("view") == "preview":
    preview_panel(view["exercise_id"], view.get("back"))
    st.stop()
if view.get("view") == "edit":
    editor_panel(view)
    st.stop()
if view.get("view") == "saved":
    saved_panel(view["exercise_id"])
    st.stop()

st.title("Bibliothèque")
tab_exercises, tab_items = st.tabs(["Exercices", "Mises en situation (auto-évaluation)"])
with tab_exercises:
    entries = read(visible_exercises, actor, default=[]) or []
    # Trainer-made first (the trainer's own, then the shared ones, newest first), then the bundled.
    entries.sort(
        key=lambda e: (e.origin == "bundled", e.author_id != actor.id, -(e.updated_at or NEVER).timestamp())
    )
    exercises_tab(entries)
with tab_items:
    items_exchange(actor)
    items_section(actor)
