"""Sources: follow feeds (by feed or site address), OPML import/export, status and refresh."""

from __future__ import annotations

from itertools import groupby

import streamlit as st

from curation.demo import REAL_SOURCES_OPML, ensure_starter_subscriptions
from curation.feeds import (
    SubscriptionView,
    add_feed,
    list_folders,
    list_subscriptions,
    move_subscription,
    rename_subscription,
    unsubscribe,
)
from curation.opml import MAX_OPML_BYTES, export_opml, import_opml
from curation.refresh import FeedStatus, refresh_subscriptions
from ui.forms import clear_form, form_key
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.cohorts import list_cohorts

STATUS_ICONS = {
    "ok": ":material/check_circle:",
    "not_modified": ":material/check_circle:",
    "new": ":material/schedule:",
    "error": ":material/error:",
    "paused": ":material/pause_circle:",
    "demo": ":material/school:",
}
ME = 0
LAST_REFRESH = "sources_last_refresh"

actor = require_actor()
st.title("Sources")
st.caption(
    "Les flux que vous suivez pour votre veille. Collez l’adresse d’un flux RSS, Atom ou JSON Feed, "
    "ou simplement celle d’un site\u00a0: son flux est cherché automatiquement."
)

if "starter_checked" not in st.session_state:
    attempt(ensure_starter_subscriptions, actor)
    st.session_state["starter_checked"] = True

targets: dict[int, str] = {ME: "Moi"}
if actor.is_trainer:
    for cohort in read(list_cohorts, actor, default=[]) or []:
        if not cohort.closed:
            targets[cohort.id] = f"Session «\u00a0{cohort.name}\u00a0» (tous ses stagiaires)"
folders = read(list_folders, actor, default=[]) or []


def target_picker(key: str) -> int | None:
    """For a trainer: themselves or one of their cohorts (``None`` = themselves)."""
    if len(targets) == 1:
        return None
    chosen = st.selectbox(
        "Pour", list(targets), format_func=targets.__getitem__, key=key, placeholder="Choisir pour qui"
    )
    return None if chosen == ME else chosen


add_tab, import_tab, export_tab = st.tabs(["Ajouter une source", "Importer (OPML)", "Exporter (OPML)"])

with add_tab, st.form(form_key("add_feed")):
    url = st.text_input("Adresse du flux ou du site", placeholder="https://www.exemple.fr/feed")
    folder = st.text_input(
        "Dossier (facultatif)", placeholder=", ".join(folders[:3]) or "Réseaux sociaux, Concurrents…"
    )
    cohort_id = target_picker("add_target")
    if st.form_submit_button("Ajouter", type="primary"):
        with st.spinner("Recherche du flux…"):
            added = attempt(add_feed, actor, url, folder=folder, cohort_id=cohort_id)
        if added is not None:
            st.success(f"Source ajoutée\u00a0: {plain(added.title)} ({added.entry_count} articles).")
            clear_form("add_feed")

with import_tab:
    st.caption(
        "Un fichier OPML exporté de Feedly, Inoreader, FreshRSS ou d’un autre lecteur\u00a0: les dossiers "
        "sont conservés. Si le fichier est abîmé, rien n’est importé."
    )
    upload = st.file_uploader("Fichier OPML", type=["opml", "xml"], max_upload_size=MAX_OPML_BYTES // 1024**2)
    parent = st.text_input("Ranger sous le dossier (facultatif)", key="import_folder")
    import_target = target_picker("import_target")
    c1, c2 = st.columns(2)
    data: bytes | None = None
    if c1.button("Importer le fichier", type="primary", disabled=upload is None):
        data = upload.getvalue() if upload is not None else None
    if c2.button("Importer les sources publiques du CM", help="Blogs et médias francophones et anglophones"):
        data = REAL_SOURCES_OPML.read_bytes()
    if data is not None:
        result = attempt(import_opml, actor, data, folder=parent, cohort_id=import_target)
        if result is not None:
            st.success(
                f"{result.feeds} flux lus\u00a0: {result.added} nouveaux abonnements, {result.already} déjà suivis. "
                "Ils seront lus à la prochaine actualisation."
            )
            for skipped in result.skipped:
                st.warning(f"Adresse ignorée (ce n’est pas une adresse web)\u00a0: {plain(skipped)}")

with export_tab:
    st.caption("Vos abonnements (et ceux de vos sessions) au format OPML, pour un autre lecteur de flux.")
    exported = read(export_opml, actor)
    if exported:
        st.download_button(
            "Télécharger mes sources (OPML)",
            data=exported,
            file_name="atelier-cm-sources.opml",
            mime="text/x-opml",
        )

st.divider()
subscriptions: list[SubscriptionView] = read(list_subscriptions, actor, default=[]) or []
head, action = st.columns([3, 1], vertical_alignment="center")
errors = sum(v.status == "error" for v in subscriptions)
head.subheader(f"{len(subscriptions)} sources suivies" + (f" · {errors} en erreur" if errors else ""))

if action.button("Actualiser maintenant", icon=":material/refresh:", disabled=not subscriptions):
    with st.status("Actualisation des flux…", expanded=True) as status_box:
        bar = st.progress(0.0, text="Connexion aux sites…")

        def on_progress(done: int, total: int, feed: FeedStatus) -> None:
            if done >= total:  # the run ends with the stories and the watch rules of what it stored
                text = f"{done}/{total} flux lus — regroupement des articles et règles de veille…"
            else:
                text = f"{done}/{total} — {feed.title or feed.url}"
            bar.progress(done / max(total, 1), text=text)

        summary = attempt(refresh_subscriptions, actor, progress=on_progress)
        if summary is not None:
            status_box.update(label="Actualisation terminée.", state="complete", expanded=False)
    if summary is not None:
        st.session_state[LAST_REFRESH] = (
            f"Actualisation terminée en {summary.refresh_s:.0f}\u00a0s\u00a0: {summary.feeds} flux lus, "
            f"{summary.new_entries} nouveaux articles"
            + (f", {summary.errors} flux en erreur (détails ci-dessous)." if summary.errors else ".")
        )
        st.rerun()  # show every feed's new status

if LAST_REFRESH in st.session_state:
    st.success(st.session_state.pop(LAST_REFRESH))

if not subscriptions:
    st.info("Aucune source pour l’instant\u00a0: ajoutez l’adresse d’un site ou importez un fichier OPML.")


def show(view: SubscriptionView) -> None:
    with st.container(border=True):
        title_col, status_col, menu_col = st.columns([5, 3, 1], vertical_alignment="center")
        owner = "" if view.owner == "Moi" else f" · {plain(view.owner)}"
        title_col.markdown(
            f"**{plain(view.title)}**{owner}  \n{plain(view.url)}"
        )  # markdown: owner escaped above
        when = f" · {view.last_fetched_at:%d/%m à %H:%M}" if view.last_fetched_at else ""
        status_col.markdown(
            f"{STATUS_ICONS.get(view.status, '')} {view.status_label}{when}  \n{view.entry_count} articles"
        )
        if view.last_error:
            (st.error if view.status == "error" else st.caption)(view.last_error)
        if not view.can_edit:
            return
        with menu_col.popover("Gérer", icon=":material/more_vert:", help="Renommer, déplacer, se désabonner"):
            name = st.text_input("Nom affiché", value=view.title, key=f"name-{view.id}")
            place = st.text_input("Dossier", value=view.folder, key=f"folder-{view.id}")
            if st.button("Enregistrer", key=f"save-{view.id}", type="primary"):
                if name != view.title:
                    attempt(rename_subscription, actor, view.id, name)
                if place != view.folder:
                    attempt(move_subscription, actor, view.id, place)
                st.rerun()
            if (
                st.button("Se désabonner", key=f"unsub-{view.id}", icon=":material/delete:")
                and attempt(unsubscribe, actor, view.id, success=f"Désabonné·e de {view.title}.") is not None
            ):
                st.rerun()


for folder_name, group in groupby(subscriptions, key=lambda v: v.folder):
    views = list(group)
    with st.expander(f"{plain(folder_name) or 'Sans dossier'} ({len(views)})", expanded=True):
        for view in views:
            show(view)
