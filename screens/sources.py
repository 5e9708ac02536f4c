"""Sources: follow feeds (by feed or site address), OPML import/export, status and refresh."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from curation.demo import REAL_SOURCES_OPML, ensure_starter_subscriptions
from curation.feeds import (
    SubscriptionFilter,
    SubscriptionPage,
    add_feed,
    list_folders,
    move_many,
    rename_subscription,
    subscription_counts,
    subscription_ids,
    subscription_page,
    unsubscribe_many,
)
from curation.opml import MAX_OPML_BYTES, export_opml, import_opml
from curation.refresh import FeedStatus, RefreshSummary, refresh_subscriptions
from ui.forms import form_done, form_key, show_done
from ui.session import SOURCES_VERSION, attempt, read, require_actor, sources_changed
from ui.text import fr_int, plain, quoted
from workbench.cohorts import list_cohorts
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

ME = 0
PER_PAGE = 100
DONE = "sources_done"  # (message, warning?) shown after the rerun that follows an action
STATUS_CHOICES = {"all": "Toutes", "error": "En erreur", "pending": "En attente", "ok": "OK"}
ALL_FOLDERS = "\u0000all"  # the folder filter's « every folder » (no folder name can hold a NUL)

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
            targets[cohort.id] = f"Session {quoted(cohort.name)} (tous ses stagiaires)"
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

with add_tab:
    show_done("add_feed")
with add_tab, st.form(form_key("add_feed")):
    url = st.text_input("Adresse du flux ou du site", placeholder="https://www.exemple.fr/feed")
    folder = st.text_input(
        "Dossier (facultatif)", placeholder=", ".join(folders[:3]) or "Réseaux sociaux, Concurrents…"
    )
    cohort_id = target_picker("add_target")
    if st.form_submit_button("Ajouter", type="primary"):
        followed_before = set(read(subscription_ids, actor, SubscriptionFilter(), default=[]) or [])
        with st.spinner("Recherche du flux…"):
            added = attempt(add_feed, actor, url, folder=folder, cohort_id=cohort_id)
        if added is not None and added.id in followed_before:  # nothing added, nothing moved
            where = f", dans le dossier {quoted(plain(added.folder))}" if added.folder else ""
            st.info(f"Vous suivez déjà cette source\u00a0: {plain(added.title)}{where}.")
        elif added is not None:
            sources_changed()
            done = f"Source ajoutée\u00a0: {plain(added.title)} ({quantity(added.entry_count, 'article')})."
            form_done("add_feed", lambda: st.success(done))

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
            sources_changed()
            st.success(result.message)
            for skipped in result.skipped:
                st.warning(f"Adresse ignorée (ce n’est pas une adresse web)\u00a0: {plain(skipped)}")

with export_tab:
    st.caption("Vos abonnements (et ceux de vos sessions) au format OPML, pour un autre lecteur de flux.")
    st.download_button(
        "Télécharger mes sources (OPML)",
        data=lambda: read(export_opml, actor, default=b"") or b"",  # built when asked for, not at every run
        file_name="atelier-cm-sources.opml",
        mime="text/x-opml",
    )


def refresh_report(summary: RefreshSummary) -> tuple[str, bool]:
    """What a refresh did, failures in proportion and by kind: (text, warning?)."""
    updated, new = summary.feeds - summary.errors, summary.new_entries
    articles = f"{fr_int(new)}\u00a0{'nouveaux articles' if new > 1 else 'nouvel article'}"
    text = (
        f"Actualisation terminée en {summary.refresh_s:.0f}\u00a0s\u00a0: {fr_int(updated)}\u00a0flux "
        f"actualisé{'s' if updated > 1 else ''}"
    )
    waiting = summary.backing_off
    later = (
        f" {fr_int(waiting)}\u00a0source{'s' if waiting > 1 else ''} en erreur "
        f"{'attendent leur' if waiting > 1 else 'attend son'} prochain essai (de plus en plus espacé, une "
        "fois par semaine au plus)\u00a0: «\u00a0Réessayer les sources en erreur\u00a0» "
        f"{'les' if waiting > 1 else 'la'} lit maintenant."
        if waiting
        else ""
    )
    if not summary.errors:
        return f"{text}\u00a0; {articles}.{later}", False
    kinds = " · ".join(f"{kind}\u00a0: {fr_int(n)}" for kind, n in summary.error_kinds())
    return (
        f"{text}, {fr_int(summary.errors)} en erreur sur {fr_int(summary.feeds)} ({kinds})\u00a0; {articles}. "
        "Choisissez l’état «\u00a0En erreur\u00a0» ci-dessous pour les voir et vous désabonner de ceux qui ne "
        f"marchent plus.{later}"
    ), True


def run_refresh(ids: list[int] | None = None, *, failing: bool = False) -> None:
    """Refresh every followed feed but those backing off (or the selected subscriptions' feeds, or
    every failing one) with visible progress."""
    with st.status("Actualisation des flux…", expanded=True) as status_box:
        bar = st.progress(0.0, text="Connexion aux sites…")

        def on_progress(done: int, total: int, feed: FeedStatus) -> None:
            # The run ends with the stories and the watch rules of what it stored.
            now = (
                "regroupement des articles et règles de veille…"
                if done >= total
                else plain(feed.title or feed.url)
            )
            bar.progress(done / max(total, 1), text=f"{fr_int(done)} sur {fr_int(total)} flux lus — {now}")

        summary = attempt(
            refresh_subscriptions, actor, subscription_ids=ids, failing=failing, progress=on_progress
        )
        if summary is not None:
            status_box.update(label="Actualisation terminée.", state="complete", expanded=False)
    if summary is not None:
        done(*refresh_report(summary))


def done(message: str, warning: bool = False) -> None:
    """After an action: a fresh table (no row still ticked), the message shown after the rerun."""
    st.session_state[DONE] = (message, warning)
    sources_changed()
    st.rerun()


def table(page: SubscriptionPage) -> pd.DataFrame:
    """The page's subscriptions as plain cells (nothing in them is read as Markdown)."""
    return pd.DataFrame(
        {
            "Nom": [v.title for v in page.views],
            "Dossier": [v.folder or "Sans dossier" for v in page.views],
            "État": [v.status_label for v in page.views],
            "Erreur": [v.last_error for v in page.views],
            "Articles": [v.entry_count for v in page.views],
            "Lu le": [fr_datetime(v.last_fetched_at) for v in page.views],
            "Adresse": [v.url for v in page.views],
            "Gérée par": [v.owner for v in page.views],
        }
    )


st.divider()
overall = read(subscription_counts, actor, SubscriptionFilter(), default={}) or {}
followed = overall.get("all", 0)
head, action = st.columns(
    [2, 1], vertical_alignment="center"
)  # room for « Réessayer les sources en erreur (40) »
head.subheader(
    f"{fr_int(followed)} source{'s' if followed > 1 else ''} suivie{'s' if followed > 1 else ''}"
    + (f" · {fr_int(overall['error'])} en erreur" if overall.get("error") else "")
)
if action.button("Actualiser maintenant", icon=":material/refresh:", disabled=not followed):
    run_refresh()
if overall.get("error") and action.button(
    f"Réessayer les sources en erreur ({fr_int(overall['error'])})",
    icon=":material/replay:",
    key="sources_retry_failing",
    help="Sans attendre leur prochain essai\u00a0: une source qui échoue encore et encore est essayée de moins "
    "en moins souvent (une fois par semaine au plus).",
):
    run_refresh(failing=True)
if DONE in st.session_state:
    message, warning = st.session_state.pop(DONE)
    (st.warning if warning else st.success)(message)
if not followed:
    st.info("Aucune source pour l’instant\u00a0: ajoutez l’adresse d’un site ou importez un fichier OPML.")
    st.stop()

status_col, folder_col, search_col = st.columns([1, 1, 2])
folder = folder_col.selectbox(
    "Dossier",
    [ALL_FOLDERS, "", *folders],
    format_func=lambda f: "Tous les dossiers" if f == ALL_FOLDERS else f or "Sans dossier",
    key="sources_folder",
    placeholder="Choisir un dossier",
)
search = search_col.text_input("Rechercher une source", placeholder="Nom ou adresse", key="sources_search")
narrowed = SubscriptionFilter(folder=None if folder == ALL_FOLDERS else folder, search=search)
counts = read(subscription_counts, actor, narrowed, default={}) or {}
if "sources_status" in st.session_state:  # set again: the browser then shows the new counts in the
    st.session_state["sources_status"] = st.session_state["sources_status"]  # chosen label too
status = status_col.selectbox(
    "État",
    list(STATUS_CHOICES),
    format_func=lambda k: f"{STATUS_CHOICES[k]} ({fr_int(counts.get(k, 0))})",
    key="sources_status",
    placeholder="Choisir un état",
)
filters = SubscriptionFilter(None if status == "all" else status, narrowed.folder, narrowed.search)
if st.session_state.get("sources_filters") != filters:  # new filters: back to the first page
    st.session_state["sources_filters"] = filters
    st.session_state["sources_page"] = 1
page = read(
    subscription_page, actor, filters, page=st.session_state.get("sources_page", 1), per_page=PER_PAGE
)
if page is None:
    st.stop()
if not page.total:
    st.info("Aucune source ne correspond\u00a0: changez l’état, le dossier ou la recherche.")
    st.stop()

st.caption(f"{fr_int(page.total)} source{'s' if page.total > 1 else ''} · page {page.page} sur {page.pages}")
# The table's key changes with the page, the filters and after each action: a ticked row always
# means a row of the table on screen.
version = (st.session_state.get(SOURCES_VERSION, 0), page.page, filters)
event = st.dataframe(
    table(page),
    hide_index=True,
    on_select="rerun",
    selection_mode="multi-row",
    key=f"sources_table_{abs(hash(version))}",
    column_config={"Articles": st.column_config.NumberColumn(format="%d")},
)
if page.pages > 1:
    st.pagination(page.pages, key="sources_page")
ticked = [page.views[i].id for i in event.selection.rows if i < len(page.views)]

st.markdown("**Agir sur plusieurs sources**")
whole = read(subscription_ids, actor, filters, default=[]) or []
scope = st.radio(
    "Appliquer à",
    ["ticked", "filter"],
    format_func=lambda k: (
        f"Les lignes cochées ({fr_int(len(ticked))})"
        if k == "ticked"
        else f"Toutes les sources de ce filtre, toutes pages comprises ({fr_int(len(whole))})"
    ),
    horizontal=True,
    key="sources_scope",
)
chosen = ticked if scope == "ticked" else whole
if not chosen:
    st.caption(
        "Cochez des lignes du tableau (case à gauche de chaque ligne), ou choisissez toutes les sources "
        "du filtre. Les sources partagées par votre formateur ne peuvent pas être modifiées ici."
    )
move_col, retry_col, unsubscribe_col = st.columns([2, 1, 1], vertical_alignment="bottom")
destination = move_col.text_input(
    "Déplacer vers le dossier", placeholder=", ".join(folders[:3]) or "Archives", key="sources_move_to"
)
if move_col.button("Déplacer", icon=":material/drive_file_move:", key="sources_move", disabled=not chosen):
    moved = attempt(move_many, actor, chosen, destination)
    if moved is not None:
        where = plain(" ".join(destination.split())) or "Sans dossier"
        done(
            f"{fr_int(moved)} source{'s' if moved > 1 else ''} rangée{'s' if moved > 1 else ''} dans {quoted(where)}."
        )
if retry_col.button(
    "Réessayer maintenant", icon=":material/refresh:", key="sources_retry", disabled=not chosen
):
    run_refresh(chosen)
with unsubscribe_col.popover("Se désabonner", icon=":material/delete:", disabled=not chosen):
    st.markdown(
        f"Se désabonner de {fr_int(len(chosen))} source{'s' if len(chosen) > 1 else ''}\u00a0? Les articles "
        "déjà épinglés restent dans vos tableaux."
    )
    if st.button("Oui, se désabonner", type="primary", key="sources_unsubscribe"):
        removed = attempt(unsubscribe_many, actor, chosen)
        if removed is not None:
            done(f"Désabonné·e de {fr_int(removed)} source{'s' if removed > 1 else ''}.")
if scope == "ticked" and len(ticked) == 1:
    view = next(v for v in page.views if v.id == ticked[0])
    name_col, rename_col = st.columns([3, 1], vertical_alignment="bottom")
    name = name_col.text_input("Nom affiché", value=view.title, key=f"sources_name_{view.id}")
    if rename_col.button("Renommer", key="sources_rename"):
        renamed = attempt(rename_subscription, actor, view.id, name)
        if renamed is not None:
            done(
                f"Source renommée {quoted(plain(renamed))}."
                if renamed
                else "Nom personnalisé retiré\u00a0: la source reprend le titre de son flux."
            )
