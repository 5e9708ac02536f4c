"""The « Bibliothèque »'s situational items: the list by competence, a preview as the trainee
answers it, duplicate and adapt, create, edit one's own, sharing — errors beside the fields."""

from __future__ import annotations

from typing import Any

import streamlit as st

from training_modules.competences import OPTIONS_PER_ITEM, SituationalItem, framework
from training_modules.items_library import (
    ItemEntry,
    check_giveaway,
    duplicate_item,
    editable_item,
    item_entry,
    save_item,
    visible_items,
)
from ui import library_drafts
from ui.assessment_views import situation
from ui.schema_form import draw, empty
from ui.session import attempt, read, rerun
from ui.sharing import SHARING_LABELS, sharing_choice
from ui.text import plain, quoted
from workbench.access import Actor
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

STATE = "library_item"  # the item opened (preview, edit, saved); the list otherwise
PREVIEW_SEED = 0  # the preview shows one shuffled order, as an attempt would
SHARING_HELP = (
    "Privé\u00a0: vous seul. Mes sessions\u00a0: elle entre dans l’auto-évaluation de vos sessions, et les "
    "formateurs de vos stagiaires la voient. Tous les formateurs\u00a0: elle entre aussi dans l’auto-évaluation "
    "de vos sessions, et chaque formateur peut la voir et la dupliquer."
)


def _open(view: str, **details: Any) -> None:
    st.session_state[STATE] = {"view": view, **details}


def close_item() -> None:
    st.session_state.pop(STATE, None)


def _abandon(actor: Actor, view: dict[str, Any]) -> None:
    library_drafts.forget(actor, view["draft"])
    close_item()


def item_address() -> dict[str, str]:
    """The address naming the item opened (nothing: none is), as ``screens/library.py`` writes it."""
    view = st.session_state.get(STATE) or {}
    if view.get("view") == "preview":
        return {"situation": view["item_id"]}
    if view.get("view") == "saved":
        return {"situation": view["item_id"], "vue": "enregistree"}
    if view.get("view") != "edit":
        return {}
    if view["copy_of"] is not None:
        return {"copie-situation": view["copy_of"]}
    if view["item_id"] is None:
        return {"nouvelle": view["competence"]}
    return {"situation": view["item_id"], "vue": "modifier"}


def open_item(actor: Actor, given: dict[str, str]) -> bool:
    """Open the item the address names (a reload); whether it names one."""
    names = framework().names
    if given.get("nouvelle") in names:
        _start_editing(actor, None, competence=given["nouvelle"])
    elif given.get("copie-situation"):
        _start_editing(actor, None, competence="", copy_of=given["copie-situation"])
    elif given.get("situation") and given.get("vue") == "modifier":
        entry = read(item_entry, actor, given["situation"])
        if entry is not None and entry.origin == "trainer" and entry.author_id == actor.id:
            _start_editing(actor, entry, competence=entry.competence_id)
        elif entry is not None:  # only its author edits it: the others see it
            _open("preview", item_id=entry.item.id)
    elif given.get("situation"):
        _open("saved" if given.get("vue") == "enregistree" else "preview", item_id=given["situation"])
    else:
        return False
    return True


def _origin_line(entry: ItemEntry, actor: Actor) -> str:
    if entry.origin == "bundled":
        bits = ["Fournie avec l’atelier"]
    else:
        author = "vous" if entry.author_id == actor.id else plain(entry.author_name or "un formateur")
        bits = [f"Créée par {author}", SHARING_LABELS[entry.sharing or "private"], f"version {entry.version}"]
        if entry.updated_at is not None:
            bits.append(f"modifiée le {fr_datetime(entry.updated_at)}")
    bits.append(quantity(entry.answers, "réponse de stagiaire", "réponses de stagiaires"))
    return " · ".join(bits)


def _start_editing(
    actor: Actor, entry: ItemEntry | None, *, competence: str, copy_of: str | None = None
) -> None:
    """Open the form: a new item of ``competence``, a copy of ``copy_of``, or ``entry`` itself."""
    if copy_of is not None:
        copied = read(duplicate_item, actor, copy_of)
        if copied is None:
            return
        competence, data = copied
    elif entry is not None:
        data = editable_item(entry.item)
    else:
        data = {**empty(SituationalItem), "options": [{"id": i, "text": "", "score": 0} for i in "abcd"]}
    st.session_state["library_item_forms"] = st.session_state.get("library_item_forms", 0) + 1
    item_id = entry.item.id if entry is not None else None
    target = f"copy-item:{copy_of}" if copy_of else f"item:{item_id}" if item_id else f"new-item:{competence}"
    sharing = (entry.sharing if entry is not None else None) or "private"
    draft = library_drafts.resumed(actor, target)
    if draft is not None:
        data, sharing, competence = draft["data"], draft["sharing"], draft["competence"]
    _open(
        "edit",
        # the id is set by the library, never typed: a placeholder lets the form check the rest
        initial={**data, "id": item_id or "f-nouvelle"},
        item_id=item_id,
        copy_of=copy_of,
        competence=competence,
        sharing=sharing,
        version=entry.version if entry is not None else None,
        answers=entry.answers if entry is not None else 0,
        form=f"item-{st.session_state['library_item_forms']}",
        draft=target,
        resumed=draft is not None,
    )


def _as_trainee(item: SituationalItem, key: str) -> None:
    """The item as a trainee answers it; once answered, the feedback of the results page."""
    st.info("Aperçu\u00a0: la mise en situation telle que le stagiaire la voit. Rien n’est enregistré.")
    with st.container(border=True):
        chosen = situation(item, PREVIEW_SEED, None, key=key)
    option = item.option(chosen) if chosen else None
    if option is not None:
        (st.success if option.score == item.best.score else st.warning)(
            f"Cette réponse vaut {quantity(option.score, 'point')} sur {item.best.score}."
        )
        st.markdown(f"Réponse d’un CM expérimenté\u00a0: {plain(item.best.quoted)}")
        st.caption(plain(item.explanation))


def _preview_panel(actor: Actor, item_id: str) -> None:
    st.button("← Bibliothèque", on_click=close_item, key="item-back")
    entry = read(item_entry, actor, item_id)
    if entry is None:
        return
    view = st.session_state[STATE]
    for warning in view.get("warnings", []):
        st.warning(warning)
    if view["view"] == "saved":
        st.success(
            f"{quoted(plain(entry.item.title))} est enregistrée (version {entry.version}, "
            f"{SHARING_LABELS[entry.sharing or 'private'].lower()})."
        )
    st.caption(f"{framework().names[entry.competence_id]} · {_origin_line(entry, actor)}")
    _as_trainee(entry.item, key=f"item-try:{item_id}")
    mine = entry.origin == "trainer" and entry.author_id == actor.id
    if mine and st.button("Modifier", icon=":material/edit:", key="item-saved-edit"):
        _start_editing(actor, entry, competence=entry.competence_id)
        st.rerun()


def _editor_panel(actor: Actor, view: dict[str, Any]) -> None:
    st.button(
        "← Bibliothèque (abandonner les modifications)",
        on_click=_abandon,
        args=(actor, view),
        key="item-back",
    )
    item_id, names = view["item_id"], framework().names
    if view["copy_of"] is not None:
        st.header("Adapter une copie de mise en situation")
        st.caption("L’original reste tel quel\u00a0; la copie est à vous, enregistrée sous votre nom.")
    elif item_id is None:
        st.header("Nouvelle mise en situation")
    else:
        st.header(f"Modifier\u00a0: {plain(view['initial'].get('title', ''))}")
        if view["answers"]:
            st.info(
                f"Des stagiaires y ont déjà répondu ({quantity(view['answers'], 'réponse')})\u00a0: l’enregistrer "
                f"crée la version {view['version'] + 1}. Leurs résultats gardent la version {view['version']}."
            )
    if view["resumed"]:
        st.info(library_drafts.RESUMED)
    st.caption(
        f"{OPTIONS_PER_ITEM} réponses notées de 0 à 3, dont une à 3\u00a0; le stagiaire les voit dans un ordre "
        "tiré au hasard. Une erreur s’affiche sous le champ concerné et rien n’est enregistré tant qu’il en reste."
    )
    competence = st.selectbox(
        "Compétence évaluée",
        list(names),
        index=list(names).index(view["competence"]),
        format_func=names.__getitem__,
        key=f"{view['form']}#competence",
        placeholder="Choisir une compétence",
    )
    competence_slot = st.empty()
    form = draw(SituationalItem, view["initial"], key=view["form"])
    sharing = sharing_choice(view["sharing"], key=f"{view['form']}#sharing", help=SHARING_HELP)
    sharing_slot, outcome = st.empty(), st.empty()
    library_drafts.keep(
        actor, view["draft"], view["form"], {"data": form.data, "sharing": sharing, "competence": competence}
    )
    if st.toggle("Aperçu tel que le stagiaire le verra", key=f"{view['form']}#preview"):
        valid = form.validated(SituationalItem)
        if isinstance(valid, SituationalItem):
            _as_trainee(valid, key=f"{view['form']}#try")
    if st.button("Enregistrer", type="primary", icon=":material/save:", key=f"{view['form']}#save"):
        if form.validated(SituationalItem) is None:
            outcome.error(
                "La mise en situation n’est pas enregistrée\u00a0: corrigez les champs signalés en rouge."
            )
            return
        entry = attempt(
            save_item,
            actor,
            form.data,
            competence=competence,
            sharing=sharing,
            item_id=item_id,
            beside={**form.slots, "competence": competence_slot, "sharing": sharing_slot},
        )
        if entry is not None:
            library_drafts.forget(actor, view["draft"])
            _open("saved", item_id=entry.item.id, warnings=check_giveaway(entry.item))
            rerun("Mise en situation enregistrée.")


def item_panel(actor: Actor) -> bool:
    """Draw the item opened in the library (preview, form, just saved), if any; whether one was."""
    view = st.session_state.get(STATE)
    if not view:
        return False
    if view["view"] == "edit":
        _editor_panel(actor, view)
    else:
        _preview_panel(actor, view["item_id"])
    return True


def items_section(actor: Actor) -> None:
    """The items tab: new item, filter by competence and origin, each item with its actions."""
    names = framework().names
    st.caption(
        "Les mises en situation de l’auto-évaluation, avec la note de chaque réponse et le raisonnement "
        "d’un community manager expérimenté. Celles que vous partagez avec vos sessions entrent dans "
        "l’auto-évaluation de vos stagiaires."
    )
    with st.container(border=True):
        cols = st.columns([3, 1], vertical_alignment="bottom")
        new_for = cols[0].selectbox(
            "Nouvelle mise en situation pour la compétence",
            list(names),
            format_func=names.__getitem__,
            placeholder="Choisir une compétence",
        )
        if cols[1].button("Nouvelle", type="primary", icon=":material/add:", key="item-new"):
            _start_editing(actor, None, competence=new_for)
            st.rerun()
    cols = st.columns(2)
    comps = cols[0].multiselect(
        "Compétences",
        list(names),
        format_func=names.__getitem__,
        placeholder="Toutes",
        key="f-item-comps",
        select_all=False,
    )
    origins = {"bundled": "Fournies avec l’atelier", "trainer": "Créées par des formateurs"}
    origin = cols[1].multiselect(
        "Origine",
        list(origins),
        format_func=origins.__getitem__,
        placeholder="Toutes",
        key="f-item-origin",
        select_all=False,
    )
    entries = read(visible_items, actor, default=[]) or []
    shown = [
        e for e in entries if (not comps or e.competence_id in comps) and (not origin or e.origin in origin)
    ]
    # Trainer-made first (the trainer's own, then the shared ones), then the bundled, by competence.
    order = list(names)
    shown.sort(key=lambda e: (e.origin == "bundled", e.author_id != actor.id, order.index(e.competence_id)))
    st.caption(quantity(len(shown), "mise en situation", "mises en situation"))
    for e in shown:
        with st.container(border=True):
            st.markdown(f"**{plain(e.item.title)}** · {plain(names[e.competence_id])}")
            st.caption(_origin_line(e, actor))
            c = st.columns(3)
            if c[0].button("Aperçu", key=f"item-preview:{e.item.id}", icon=":material/visibility:"):
                _open("preview", item_id=e.item.id)
                st.rerun()
            if c[1].button(
                "Dupliquer et adapter", key=f"item-copy:{e.item.id}", icon=":material/content_copy:"
            ):
                _start_editing(actor, None, competence=e.competence_id, copy_of=e.item.id)
                st.rerun()
            mine = e.origin == "trainer" and e.author_id == actor.id
            if mine and c[2].button("Modifier", key=f"item-edit:{e.item.id}", icon=":material/edit:"):
                _start_editing(actor, e, competence=e.competence_id)
                st.rerun()
