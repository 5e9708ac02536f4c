"""Mes tableaux: boards and sections, the masonry wall of pins, pinning a URL, filters, the selected
pin's panel (edit, arrange, delete with undo, post draft, trainer comments), sharing and export."""

from __future__ import annotations

import streamlit as st

from curation import board_export, boards, pins
from curation.board_models import COHORT, LINK, VISIBILITIES
from curation.boards import VISIBILITY_LABELS, BoardView
from curation.masonry import WallGroup, first_pins, group_by_section
from curation.page_preview import preview_page
from curation.pins import ANGLES, RELIABILITY, PinData, PinFilter, PinView
from ui.addresses import app_base_url
from ui.board_pickers import section_select, tags_field
from ui.forms import clear_form, form_done, form_key, show_done
from ui.masonry import board_tiles, masonry, pin_comment
from ui.pin_post import pin_post_panel
from ui.session import attempt, read, require_actor, rerun
from ui.text import fr_int, plain, quoted
from workbench.cohorts import list_cohorts
from workbench.errors import UserError
from workbench.localtime import fr_date

ALL = 0  # « toutes mes épingles » in the board picker
BOARD_KEY, PIN_KEY, UNDO_KEY, LIMIT_KEY = "boards_board", "boards_pin", "boards_undo", "boards_limit"
CURRENT_KEY = "boards_current"  # survives visits to other pages (widget keys do not)
URL_BOARD, URL_BOARD_FOR = "url_board", "url_board_for"  # « Épingler une adresse web »: board, for which view
PAGE_SIZE = 150  # cards per page: a long board is shown a page at a time

actor = require_actor()
st.title("Mes tableaux")
st.caption(
    "Épinglez les articles utiles à votre communauté, classez-les en tableaux et en sections, "
    "notez pourquoi ils comptent, puis transformez-les en posts."
)

mine: list[BoardView] = read(boards.list_my_boards, actor, default=[]) or []
shared: list[BoardView] = read(boards.list_shared_boards, actor, default=[]) or []
by_id = {b.id: b for b in [*mine, *shared]}


def board_label(board_id: int) -> str:
    if board_id == ALL:
        return "Toutes mes épingles"
    b = by_id[board_id]
    if b.can_write:
        return b.title
    kind = "référence" if b.is_reference else "partagé"
    return f"{b.title} — {kind} par {b.owner_name}"


# --- undo -----------------------------------------------------------------------------------

if undo := st.session_state.get(UNDO_KEY):
    pin_id, title = undo
    cols = st.columns([4, 1])
    cols[0].info(f"Épingle {quoted(plain(title))} supprimée.")
    if (
        cols[1].button("Annuler la suppression", icon=":material/undo:")
        and attempt(pins.restore_pin, actor, pin_id) is not None
    ):
        st.session_state.pop(UNDO_KEY, None)
        st.session_state[PIN_KEY] = pin_id
        rerun("Épingle restaurée.")

# --- new board ------------------------------------------------------------------------------

with (
    st.expander("Nouveau tableau", icon=":material/add:", expanded=not mine),
    st.form(form_key("new_board")),
):
    title = st.text_input("Titre du tableau", placeholder="Idées de posts Instagram")
    beside = {"title": st.empty()}
    description = st.text_area("Description (facultative)", height=68, max_chars=boards.MAX_DESCRIPTION)
    beside["description"] = st.empty()
    cover = st.text_input("Image de couverture (adresse, facultative)")
    beside["cover"] = st.empty()
    visibility = st.radio(
        "Visibilité", VISIBILITIES, format_func=VISIBILITY_LABELS.__getitem__, horizontal=True
    )
    if st.form_submit_button("Créer le tableau", type="primary"):
        created = attempt(
            boards.create_board,
            actor,
            title,
            description,
            cover_image_url=cover,
            visibility=visibility,
            beside=beside,
        )
        if created is not None:
            st.session_state[BOARD_KEY] = created.id
            clear_form("new_board")
            rerun("Tableau créé.")

# --- board picker ---------------------------------------------------------------------------

options = [ALL, *(b.id for b in mine), *(b.id for b in shared)]
if BOARD_KEY not in st.session_state:  # back from another page: the board chosen last time
    st.session_state[BOARD_KEY] = st.session_state.get(CURRENT_KEY, ALL)
if st.session_state[BOARD_KEY] not in options:
    st.session_state[BOARD_KEY] = ALL
board_id = st.selectbox(
    "Tableau", options, format_func=board_label, key=BOARD_KEY, placeholder="Choisir un tableau"
)
st.session_state[CURRENT_KEY] = board_id
board = by_id.get(board_id)

if board is None and mine:
    covers = read(boards.board_covers, actor, mine, default={}) or {}
    board_tiles(
        [
            (b.title, covers.get(b.id, ""), b.pin_count, VISIBILITY_LABELS[b.visibility].split(" (")[0])
            for b in mine
        ]
    )
if board is not None:
    if board.description:
        st.caption(plain(board.description))
    status = [VISIBILITY_LABELS[board.visibility]]
    if board.reviewed_at:
        status.append(f"revu par {plain(board.reviewer_name)} le {fr_date(board.reviewed_at)}")
    if board.is_reference:
        status.append("tableau de référence de la session")
    st.caption(" · ".join(status))

# --- board settings (owner) -----------------------------------------------------------------

if board is not None and board.can_write:
    with st.expander("Paramètres du tableau, sections et partage", icon=":material/settings:"):
        with st.form(f"edit_board_{board.id}"):
            new_title = st.text_input("Titre", value=board.title)
            beside = {"title": st.empty()}
            new_description = st.text_area(
                "Description", value=board.description, height=68, max_chars=boards.MAX_DESCRIPTION
            )
            beside["description"] = st.empty()
            new_cover = st.text_input("Image de couverture (adresse)", value=board.cover_image_url)
            beside["cover"] = st.empty()
            if st.form_submit_button("Enregistrer"):
                attempt(
                    boards.update_board,
                    actor,
                    board.id,
                    title=new_title,
                    description=new_description,
                    cover_image_url=new_cover,
                    success="Tableau mis à jour.",
                    beside=beside,
                    then_rerun=True,
                )

        st.markdown("**Partage**")
        cohort_id = None
        new_visibility = st.radio(
            "Visibilité",
            VISIBILITIES,
            index=VISIBILITIES.index(board.visibility),
            format_func=VISIBILITY_LABELS.__getitem__,
            horizontal=True,
            key=f"visibility_{board.id}",
        )
        if new_visibility == COHORT and actor.is_trainer:
            cohorts = read(list_cohorts, actor, default=[]) or []
            names = {c.id: c.name for c in cohorts}
            if names:
                cohort_id = st.selectbox(
                    "Session qui le reçoit comme tableau de référence",
                    list(names),
                    format_func=names.__getitem__,
                    index=list(names).index(board.cohort_id) if board.cohort_id in names else 0,
                    placeholder="Choisir une session",
                )
        if (new_visibility != board.visibility or (cohort_id and cohort_id != board.cohort_id)) and st.button(
            "Appliquer la visibilité"
        ):
            attempt(
                boards.set_visibility,
                actor,
                board.id,
                new_visibility,
                cohort_id,
                success="Visibilité modifiée.",
                then_rerun=True,
            )
        if board.visibility == LINK and board.share_token:
            st.caption(
                "Lien secret, en lecture seule (toute personne qui l’a peut voir le tableau, sans compte)\u00a0:"
            )
            st.code(boards.share_url(app_base_url(), board.share_token), language=None)
            if st.button("Créer un nouveau lien (l’ancien ne marchera plus)"):
                attempt(
                    boards.renew_share_link, actor, board.id, success="Nouveau lien créé.", then_rerun=True
                )
        elif board.visibility == COHORT:
            st.caption(
                "Les membres de la session et son formateur voient ce tableau\u00a0; le formateur peut le commenter."
            )
        else:
            st.caption("Vous seul·e voyez ce tableau.")

        st.markdown("**Sections**")
        with st.form(form_key(f"add_section_{board.id}")):
            section_title = st.text_input("Nouvelle section", placeholder="Chiffres clés")
            beside = {"title": st.empty()}
            if st.form_submit_button("Ajouter la section") and attempt(
                boards.add_section, actor, board.id, section_title, beside=beside
            ):
                clear_form(f"add_section_{board.id}")
                rerun("Section ajoutée.")
        for section in board.sections:
            cols = st.columns([3, 1, 1])
            renamed = cols[0].text_input(
                "Nom de la section",
                value=section.title,
                key=f"section_title_{section.id}",
                label_visibility="collapsed",
            )
            if cols[1].button("Renommer", key=f"section_rename_{section.id}"):
                attempt(
                    boards.rename_section,
                    actor,
                    board.id,
                    section.id,
                    renamed,
                    success="Section renommée.",
                    then_rerun=True,
                )
            if cols[2].button(
                "Supprimer", key=f"section_delete_{section.id}", help="Les épingles restent sur le tableau."
            ):
                attempt(
                    boards.delete_section,
                    actor,
                    board.id,
                    section.id,
                    success="Section supprimée.",
                    then_rerun=True,
                )

        st.markdown("**Autres actions**")
        if not board.is_default and st.button("En faire mon tableau par défaut (épingles en un clic)"):
            attempt(
                boards.set_default_board,
                actor,
                board.id,
                success="Tableau par défaut changé.",
                then_rerun=True,
            )
        confirm = st.checkbox(
            "Je veux supprimer ce tableau et toutes ses épingles", key=f"confirm_delete_{board.id}"
        )
        if (
            st.button("Supprimer le tableau", disabled=not confirm, type="secondary")
            and (deleted := attempt(boards.delete_board, actor, board.id)) is not None
        ):
            rerun(
                f"Tableau {quoted(plain(deleted))} supprimé."
            )  # the picker, drawn already, falls back to « Toutes mes épingles » on the next run

# --- pin a URL ------------------------------------------------------------------------------

with st.expander(
    "Épingler une adresse web",
    icon=":material/add_link:",
    expanded=False,
):
    target_options = [b.id for b in mine] or [ALL]
    if (
        st.session_state.get(URL_BOARD_FOR) != board_id
        or st.session_state.get(URL_BOARD) not in target_options
    ):
        # another board in view: preselect it, else the board last pinned to, else the default one
        last = board.id if board is not None and board.can_write else read(pins.last_pinned_board_id, actor)
        st.session_state[URL_BOARD] = last if last in target_options else target_options[0]
        st.session_state[URL_BOARD_FOR] = board_id
    target = st.selectbox(
        "Tableau",
        target_options,
        format_func=lambda i: by_id[i].title if i in by_id else boards.DEFAULT_BOARD_TITLE,
        key=URL_BOARD,
        placeholder="Choisir un tableau",
    )
    target_sections = {s.id: s.title for s in by_id[target].sections} if target in by_id else {}
    url_section = section_select("Section", target_sections, key="url_section")
    show_done("pin_url")
    pin_form = form_key("pin_url")
    with st.form(pin_form):
        url = st.text_input("Adresse de la page", placeholder="https://…", key=f"{pin_form}-url")
        beside = {"url": st.empty()}
        note = st.text_area("Pourquoi c’est utile pour ma communauté", height=68, key=f"{pin_form}-note")
        beside["note"] = st.empty()
        tag_text = st.text_input("Étiquettes (séparées par des virgules)", key=f"{pin_form}-tags")
        beside["tags"] = st.empty()
        if st.form_submit_button("Épingler", type="primary"):
            try:
                pins.clean_tags(tag_text)  # refused before the page is fetched
                with st.spinner("Lecture de la page…"):
                    preview = preview_page(url)
            except UserError as exc:
                (beside.get(exc.field) or beside["url"]).error(plain(str(exc)))
            else:
                outcome = attempt(
                    pins.pin_url,
                    actor,
                    url,
                    board_id=target if target in by_id else None,
                    section_id=url_section,
                    note=note,
                    tags=tag_text,
                    preview=preview,
                    beside=beside,
                )
                if outcome is not None:
                    st.session_state[PIN_KEY] = outcome.pin.id
                    fresh, messages = not outcome.pin.already_pinned, list(outcome.messages)

                    def show_outcome(fresh: bool = fresh, messages: list[str] = messages) -> None:
                        if fresh:
                            st.toast("Épinglé.")
                        for message in messages:
                            st.warning(message)

                    form_done("pin_url", show_outcome)

# --- filters --------------------------------------------------------------------------------

tags_used = read(pins.suggest_tags, actor, default=[]) or []
with st.container(border=True):
    cols = st.columns([3, 2, 2, 2])
    text = cols[0].text_input("Rechercher", placeholder="mot, note, site, étiquette…", key="pin_text")
    tag = cols[1].selectbox(
        "Étiquette",
        ["", *tags_used],
        format_func=lambda t: (t and f"#{t}") or "(toutes)",
        key="pin_tag",
        placeholder="Toutes les étiquettes",
    )
    angle = cols[2].selectbox(
        "Angle",
        ["", *ANGLES],
        format_func=lambda a: ANGLES.get(a, "(tous)"),
        key="pin_angle",
        placeholder="Tous les angles",
    )
    section_choices = {s.id: s.title for s in board.sections} if board is not None else {}
    with cols[3]:
        section_id = section_select(
            "Section", section_choices, key="pin_section", none_label="(toutes)", disabled=not section_choices
        )
    cols = st.columns(2)
    date_from = cols[0].date_input("Épinglées depuis le", value=None, format="DD/MM/YYYY", key="pin_from")
    date_to = cols[1].date_input("Jusqu’au", value=None, format="DD/MM/YYYY", key="pin_to")

filters = PinFilter(
    text=text,
    tag=tag,
    board_id=board.id if board is not None else None,
    section_id=section_id if section_id in section_choices else None,
    angle=angle,
    date_from=date_from,
    date_to=date_to,
)
shown: list[PinView] = read(pins.search_pins, actor, filters, default=[]) or []

if board is not None:
    groups = group_by_section(shown, [(s.id, s.title) for s in board.sections])
else:
    groups = [WallGroup(b.title, [p for p in shown if p.board_id == b.id]) for b in mine]
    groups = [g for g in groups if g.pins]
total = sum(len(g.pins) for g in groups)
limit = st.session_state.get(LIMIT_KEY, PAGE_SIZE)
groups = first_pins(groups, limit)
ordered = [p for g in groups for p in g.pins]
numbers = {p.id: i for i, p in enumerate(ordered, start=1)}

filtered = any([text, tag, angle, filters.section_id, date_from, date_to])
shown_count = f"{fr_int(len(ordered))} sur {fr_int(total)}" if total > len(ordered) else fr_int(total)
st.caption(f"{shown_count} épingle{'s' if total > 1 else ''}{' (filtrées)' if filtered else ''}.")
masonry(
    groups,
    empty="Aucune épingle ne correspond."
    if filtered
    else "Aucune épingle pour l’instant\u00a0: épinglez un article du mur ou une adresse web.",
)
if total > len(ordered) and st.button(
    f"Afficher les épingles suivantes ({min(PAGE_SIZE, total - len(ordered))} de plus)"
):
    st.session_state[LIMIT_KEY] = limit + PAGE_SIZE
    st.rerun()

# --- selected pin ---------------------------------------------------------------------------

if ordered:
    st.divider()
    if st.session_state.get(PIN_KEY) not in numbers:
        st.session_state[PIN_KEY] = ordered[0].id
    by_pin = {p.id: p for p in ordered}
    pin_id = st.selectbox(
        "Épingle sélectionnée",
        list(numbers),
        format_func=lambda i: f"n°\u00a0{numbers[i]} — {by_pin[i].title[:90]}",
        key=PIN_KEY,
        placeholder="Choisir une épingle",
    )
    pin = by_pin[pin_id]
    owner_board = by_id.get(pin.board_id)
    can_write = owner_board is not None and owner_board.can_write
    if pin.fetch_note:
        st.caption(plain(pin.fetch_note))
    names = ["Rédiger un post", "Commentaires du formateur"]
    if can_write:
        names = ["Modifier", "Ranger", *names]
    tabs = dict(zip(names, st.tabs(names), strict=True))

    if can_write:
        with tabs["Modifier"], st.form(form_key(f"edit_pin_{pin.id}")):
            e_title = st.text_input("Titre", value=pin.title)
            e_note = st.text_area("Pourquoi c’est utile pour ma communauté", value=pin.note, height=90)
            e_tags = tags_field(sorted(set(tags_used) | set(pin.tags)), list(pin.tags))
            cols = st.columns(2)
            angle_keys = ["", *ANGLES]
            e_angle = cols[0].selectbox(
                "Angle / format",
                angle_keys,
                index=angle_keys.index(pin.angle) if pin.angle in angle_keys else 0,
                format_func=lambda a: ANGLES.get(a, "(non précisé)"),
                placeholder="Choisir un angle",
            )
            e_reliability = cols[1].select_slider(
                "Fiabilité de la source",
                [0, *RELIABILITY],
                value=pin.reliability or 0,
                format_func=lambda r: RELIABILITY.get(r, "non notée"),
            )
            e_url = st.text_input("Lien", value=pin.url)
            e_image = st.text_input("Image (adresse)", value=pin.image_url)
            e_site = st.text_input("Site", value=pin.site_name)
            e_credit = st.text_input("Crédit de la source", value=pin.credit)
            e_description = st.text_area("Description", value=pin.description, height=90)
            if st.form_submit_button("Enregistrer l’épingle", type="primary"):
                data = PinData(
                    title=e_title,
                    url=e_url,
                    image_url=e_image,
                    description=e_description,
                    site_name=e_site,
                    published_at=pin.published_at,
                    note=e_note,
                    tags=e_tags,
                    reliability=e_reliability or None,
                    angle=e_angle,
                    credit=e_credit,
                )
                if attempt(pins.update_pin, actor, pin.id, data):
                    clear_form(f"edit_pin_{pin.id}")
                    rerun("Épingle enregistrée.")

        with tabs["Ranger"]:
            cols = st.columns(3)
            same_board = [p.id for p in shown if p.board_id == pin.board_id]
            board_index = same_board.index(pin.id) if not filtered else None
            if cols[0].button("Monter", icon=":material/arrow_upward:", disabled=board_index in (None, 0)):
                attempt(pins.reorder_pin, actor, pin.id, board_index - 1)
                st.rerun()
            if cols[1].button(
                "Descendre",
                icon=":material/arrow_downward:",
                disabled=board_index is None or board_index >= len(same_board) - 1,
            ):
                attempt(pins.reorder_pin, actor, pin.id, board_index + 1)
                st.rerun()
            if (
                cols[2].button("Supprimer", icon=":material/delete:")
                and attempt(pins.delete_pin, actor, pin.id) is not None
            ):
                st.session_state[UNDO_KEY] = (pin.id, pin.title)
                st.session_state.pop(PIN_KEY, None)
                st.rerun()
            if filtered:
                st.caption("Retirez les filtres pour changer l’ordre des épingles.")
            st.markdown("**Déplacer ou copier vers**")
            dest = st.selectbox(
                "Tableau de destination",
                [b.id for b in mine],
                format_func=lambda i: by_id[i].title,
                key=f"dest_{pin.id}",
                placeholder="Choisir un tableau",
            )
            dest_sections = {s.id: s.title for s in by_id[dest].sections}
            dest_section = section_select(
                "Section de destination", dest_sections, key=f"dest_section_{pin.id}"
            )
            cols = st.columns(2)
            if cols[0].button("Déplacer", icon=":material/drive_file_move:"):
                attempt(
                    pins.move_pin,
                    actor,
                    pin.id,
                    dest,
                    dest_section,
                    success="Épingle déplacée.",
                    then_rerun=True,
                )
            if cols[1].button("Copier", icon=":material/content_copy:"):
                attempt(
                    pins.copy_pin,
                    actor,
                    pin.id,
                    dest,
                    dest_section,
                    success="Épingle copiée.",
                    then_rerun=True,
                )

    with tabs["Rédiger un post"]:
        pin_post_panel(actor, pin, can_write=can_write)

    with tabs["Commentaires du formateur"]:
        if not pin.comments:
            st.caption(
                "Pas encore de commentaire. Partagez le tableau avec votre session pour que le formateur le voie."
            )
        for comment in pin.comments:
            pin_comment(comment)
elif not filtered and board is None and mine:
    st.caption(
        "Astuce\u00a0: sur le mur, le bouton «\u00a0Épingler\u00a0» range un article en un clic dans votre tableau par défaut."
    )

# --- export ---------------------------------------------------------------------------------

if board is not None and ordered:
    with st.expander("Exporter", icon=":material/download:"):
        picked = st.multiselect(
            "Épingles à exporter (toutes celles affichées si vous n’en choisissez aucune)",
            [p.id for p in ordered],
            format_func=lambda i: f"n°\u00a0{numbers[i]} — {by_pin[i].title[:60]}",
            placeholder="Toutes les épingles affichées",
            select_all=False,
        )
        selection = [p for p in ordered if p.id in picked] if picked else ordered
        cols = st.columns(3)
        cols[0].download_button(
            "Markdown",
            board_export.to_markdown(board, selection),
            file_name=board_export.export_filename(board, "md"),
            mime="text/markdown",
            icon=":material/description:",
        )
        cols[1].download_button(
            "Page HTML",
            board_export.to_html(board, selection),
            file_name=board_export.export_filename(board, "html"),
            mime="text/html",
            icon=":material/web:",
        )
        cols[2].download_button(
            "Tableur (CSV)",
            board_export.to_csv(board, selection, app_base_url()),
            file_name=board_export.export_filename(board, "csv"),
            mime="text/csv",
            icon=":material/table:",
        )
