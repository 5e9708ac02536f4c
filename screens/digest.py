"""Revue de veille: configure a recipient list, preview and compose today's digest, send it, and
read past digests. Trainers send to their cohorts; anyone may keep a list of addresses (a client)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from curation.digest.archive import get_digest, history, publish
from curation.digest.atom import disable_feed, enable_feed, list_atom, subscription_url
from curation.digest.board_sources import readable_boards
from curation.digest.compose import build_board_draft, build_draft
from curation.digest.draft import DigestDraft
from curation.digest.lists import (
    SECTION_LABELS,
    ListSettings,
    create_list,
    delete_list,
    my_lists,
    parse_terms,
    update_list,
)
from curation.digest.models import ABANDONED, FAILED, PENDING, SENT, SKIPPED
from curation.digest.render import render_html, render_markdown, subject_for
from curation.digest.send import SmtpNotConfigured, deliver_pending
from curation.feeds import list_subscriptions
from ui.forms import number_field
from ui.html_frame import inert_html
from ui.session import attempt, read, require_actor, rerun, show_error
from ui.text import plain, quoted
from workbench.cohorts import list_cohorts
from workbench.errors import UserError
from workbench.localtime import fr_datetime, zone_label
from workbench.numbers import fr_number, quantity, read_number
from workbench.wording import de

DRAFT = "digest_draft"
SELECT_NEXT = "digest_select_next"
NEW = 0
MODES = {"new": "Nouveaux articles des sources de la liste", "board": "Un tableau, dans l’ordre choisi"}
WINDOWS = {"last": "Depuis la dernière revue", "24": "24 dernières heures", "48": "48 dernières heures",
           "168": "7 derniers jours"}  # fmt: skip
# A digest's deliveries counted by state in « Historique » (« 2 en échec »).
DELIVERY_COUNTS = {
    SENT: ("réussi", "réussis"),
    PENDING: ("en attente", "en attente"),
    FAILED: ("en échec", "en échec"),
    ABANDONED: ("abandonné", "abandonnés"),
    SKIPPED: ("non envoyé (désinscription)", "non envoyés (désinscription)"),
}
# What a person can do when no SMTP server is set (the exception names the server's variables).
NO_SMTP = {
    True: "aucun serveur d’envoi d’e-mails n’est réglé. Réglez le serveur SMTP et l’adresse d’expéditeur sur "
    "la page « Réglages » (menu Formateur) : les e-mails de cette revue partiront au prochain "
    "envoi de la liste.",
    False: "aucun serveur d’envoi d’e-mails n’est réglé. Votre formateur ou formatrice le règle sur la page "
    "« Réglages » : les e-mails de cette revue partiront au prochain envoi de la liste.",
}

actor = require_actor()
st.title("Revue de veille")
st.caption(
    "La revue du jour : les nouveaux articles de vos sources, classés selon vos sujets, traduits en français, "
    "envoyés par e-mail (et en Markdown pour Slack, Teams ou Discord)."
)

lists = read(my_lists, actor, default=[]) or []
by_id = {v.id: v for v in lists}
if SELECT_NEXT in st.session_state:  # a list just created or deleted (set before the widget exists)
    st.session_state["digest_list"] = st.session_state.pop(SELECT_NEXT)
choice = st.selectbox(
    "Liste de diffusion",
    [*by_id, NEW],
    format_func=lambda i: "➕ Nouvelle liste…" if i == NEW else by_id[i].name,
    key="digest_list",
    placeholder="Choisir une liste",
)
current = by_id.get(choice)
subs = read(list_subscriptions, actor, default=[]) or []
feeds = {s.feed_id: s.title for s in subs}
board_choices = {b.id: b for b in read(readable_boards, actor, default=[]) or []}
cohorts = {c.id: c.name for c in read(list_cohorts, actor, default=[]) or [] if actor.is_trainer}
tab_send, tab_settings, tab_history = st.tabs(["Préparer et envoyer", "Réglages", "Historique"])


def _select_list(list_id: int, done: str) -> None:
    """Show the list ``list_id`` (run the page again), saying ``done``."""
    st.session_state.pop(DRAFT, None)
    st.session_state[SELECT_NEXT] = list_id
    rerun(done)


def _first_list_guide() -> None:
    """What a newcomer sees before any list exists: what a list is, and a one-click first list."""
    if actor.is_trainer:
        st.info(
            "Créez d’abord une liste de diffusion : elle dit à qui envoyer la revue (une session de "
            "formation, des adresses e-mail) et ce qu’elle contient (vos sources, vos tableaux, vos "
            "mots-clés). Réglez-la dans l’onglet « Réglages », ou partez de votre session ci-dessous."
        )
    else:
        st.info(
            "Les revues que votre formateur envoie à votre session sont dans l’onglet « Historique ». "
            "Pour préparer votre propre revue (pour un client, pour vous-même), créez d’abord une liste de "
            "diffusion dans l’onglet « Réglages » : un nom et au moins une adresse e-mail."
        )
    if not feeds and not board_choices:
        st.warning(
            "Vous ne suivez encore aucune source : ajoutez des flux dans la page « Sources » "
            "(ou épinglez des articles dans « Mes tableaux ») pour que la revue ait de quoi parler."
        )
    for cohort_id, cohort_name in cohorts.items():
        if st.button(
            f"Créer la liste de la session {quoted(plain(cohort_name))}", key=f"digest-first-{cohort_id}"
        ):
            settings = ListSettings(name=cohort_name, cohort_id=cohort_id)
            created = attempt(create_list, actor, settings)
            if created is not None:
                _select_list(created.id, "Liste créée.")


def read_weights(feeds: dict[int, str], typed: pd.Series) -> dict[int, float] | None:
    """The sources' weights as typed in the table (French numbers, empty = 1); ``None``, with the
    message shown, when one cannot be read."""
    try:
        return {
            f: 1.0
            if (w := read_number(text, label=f"Poids {de(feeds[f])}", minimum=0, maximum=5)) is None
            else w
            for f, text in zip(feeds, typed, strict=True)
        }
    except UserError as exc:
        show_error(exc)
        return None


with tab_settings:
    folders = sorted({s.folder for s in subs if s.folder}, key=str.casefold)
    s = current.settings if current else ListSettings(name="")
    if not feeds:
        st.info(
            "Vous ne suivez encore aucune source : ajoutez des flux dans la page « Sources » pour choisir "
            "ici lesquels alimentent la revue. Une liste peut aussi ne reprendre que des tableaux."
        )
    with st.form("digest-settings"):
        name = st.text_input(
            "Nom de la liste", value=s.name, placeholder="Promo CM 2026, Client Boulangerie…"
        )
        beside = {"name": st.empty()}
        cohort_id = None
        if cohorts:
            options = [None, *cohorts]
            cohort_id = st.selectbox(
                "Session destinataire (ses stagiaires, sauf qui s’est désinscrit)",
                options,
                index=options.index(s.cohort_id) if s.cohort_id in options else 0,
                format_func=lambda i: "Aucune" if i is None else cohorts[i],
                placeholder="Choisir une session",
            )
        addresses = st.text_area("Autres destinataires (une adresse par ligne)", value="\n".join(s.addresses))
        beside["addresses"] = st.empty()
        keywords = st.text_area("Mots-clés d’intérêt (un par ligne ou séparés par des virgules)",
                                value="\n".join(s.keywords))  # fmt: skip
        tags = st.text_input(
            "Étiquettes (dossiers ou #hashtags, séparées par des virgules)", value=", ".join(s.tags)
        )
        chosen_feeds = st.multiselect(
            "Sources (aucune : toutes vos sources, sauf si vous choisissez des tableaux ci-dessous)",
            list(feeds),
            default=[f for f in s.feed_ids if f in feeds],
            format_func=feeds.__getitem__,
            placeholder="Toutes vos sources",
            select_all=False,
        )
        chosen_folders = st.multiselect(
            "Dossiers",
            folders,
            default=[f for f in s.folders if f in folders],
            placeholder="Tous les dossiers",
            select_all=False,
        )
        chosen_boards = st.multiselect(
            "Tableaux (leurs nouvelles épingles ; celles d’un tableau de formateur forment « Le choix du formateur »)",
            list(board_choices),
            default=[b for b in s.board_ids if b in board_choices],
            format_func=lambda i: board_choices[i].label,
            placeholder="Aucun tableau",
            select_all=False,
        )
        weights = (
            st.data_editor(
                pd.DataFrame(
                    {
                        "Source": [feeds[f] for f in feeds],
                        "Poids": [fr_number(s.source_weights.get(f, 1.0), 1) for f in feeds],
                    }
                ),
                disabled=["Source"],
                hide_index=True,
                column_config={
                    "Poids": st.column_config.TextColumn(help="De 0 à 5, par exemple 1,5 (vide\u00a0: 1)")
                },
                key="digest-weights",
            )
            if feeds
            else pd.DataFrame({"Poids": []})
        )
        left, right = st.columns(2)
        list_key = current.id if current else NEW
        max_items = number_field(
            "Nombre d’articles au plus", s.max_items, key=f"digest-max-{list_key}", where=left,
            whole=True, minimum=1, maximum=50,
        )  # fmt: skip
        hour = number_field(
            f"Heure d’envoi ({zone_label()})", s.schedule_hour, key=f"digest-hour-{list_key}", where=right,
            whole=True, minimum=0, maximum=23,
        )  # fmt: skip
        section_by = st.radio(
            "Regrouper", list(SECTION_LABELS), index=list(SECTION_LABELS).index(s.section_by),
            format_func=SECTION_LABELS.__getitem__, horizontal=True,
        )  # fmt: skip
        intro = st.text_area("Introduction habituelle (modifiable à chaque envoi)", value=s.intro)
        beside["intro"] = st.empty()
        translate = st.checkbox("Traduire en français les articles en anglais", value=s.translate)
        submitted = st.form_submit_button("Enregistrer la liste", type="primary")
        source_weights = read_weights(feeds, weights["Poids"]) if submitted else None
        if source_weights is not None and not (max_items.error or hour.error):
            new = ListSettings(
                name=name,
                cohort_id=cohort_id,
                addresses=parse_terms(addresses),
                keywords=parse_terms(keywords),
                tags=parse_terms(tags),
                feed_ids=chosen_feeds,
                folders=chosen_folders,
                board_ids=chosen_boards,
                source_weights=source_weights,
                max_items=int(max_items.value or ListSettings.max_items),
                schedule_hour=int(hour.value if hour.value is not None else ListSettings.schedule_hour),
                section_by=section_by,
                intro=intro,
                translate=translate,
            )
            saved = (
                attempt(update_list, actor, current.id, new, beside=beside)
                if current
                else attempt(create_list, actor, new, beside=beside)
            )
            if saved is not None:
                _select_list(saved.id, "Liste enregistrée." if current else "Liste créée.")
    deleting = current is not None and st.button("Supprimer cette liste", key="digest-delete")
    if deleting and attempt(delete_list, actor, current.id):
        _select_list(NEW, "Liste supprimée.")

with tab_send:
    if current is None and not lists:
        _first_list_guide()
    elif current is None:
        st.info(
            "Créez d’abord une liste dans l’onglet « Réglages » (nom, destinataires, sources), "
            "puis revenez ici pour préparer la revue."
        )
    else:
        who = [f"la session {quoted(plain(current.cohort_name))}"] if current.cohort_name else []
        who += [quantity(len(current.settings.addresses), "adresse")] if current.settings.addresses else []
        st.caption(
            f"Destinataires : {' et '.join(who)}. Envoi automatique vers {current.settings.schedule_hour} h."
        )
        mode = st.radio(
            "Contenu", list(MODES), format_func=MODES.__getitem__, horizontal=True, key="digest-mode"
        )
        if mode == "new":
            window = st.selectbox(
                "Articles",
                list(WINDOWS),
                format_func=WINDOWS.__getitem__,
                key="digest-window",
                placeholder="Choisir une période",
            )
            if st.button("Préparer l’aperçu", type="primary", key="digest-preview"):
                since = None if window == "last" else timedelta(hours=int(window))
                with st.spinner("Sélection, classement et traduction des articles…"):
                    draft = attempt(build_draft, actor, current.id, since=since)
                if draft is not None:
                    st.session_state[DRAFT] = draft
        elif not board_choices:
            st.info(
                "Vous n’avez encore aucun tableau : épinglez des articles depuis le « Mur de veille » "
                "ou créez un tableau dans « Mes tableaux », puis revenez composer la revue."
            )
        else:
            board_id = st.selectbox(
                "Tableau",
                list(board_choices),
                format_func=lambda i: (
                    f"{board_choices[i].label} — {quantity(board_choices[i].pin_count, 'épingle')}"
                ),
                key="digest-board",
                placeholder="Choisir un tableau",
            )
            if st.button("Préparer l’aperçu", type="primary", key="digest-board-preview"):
                with st.spinner("Reprise des épingles et traduction…"):
                    draft = attempt(build_board_draft, actor, current.id, board_id)
                if draft is not None:
                    st.session_state[DRAFT] = draft
        draft: DigestDraft | None = st.session_state.get(DRAFT)
        if draft is not None and draft.list_id == current.id:
            for notice in draft.notices:
                st.warning(notice)
            if draft.board_title:
                st.caption(
                    f"Composée à partir du tableau {quoted(plain(draft.board_title))} : {quantity(len(draft.items), 'épingle')}, "
                    "dans l’ordre du tableau. Réordonnez-les ci-dessous."
                )
            else:
                st.caption(
                    f"{quantity(draft.candidate_count, 'nouvel article examiné', 'nouveaux articles examinés')}, "
                    f"{quantity(len(draft.items), 'retenu')}."
                )
            draft.intro = st.text_area("Introduction de cette revue", value=draft.intro, key="digest-intro")
            with st.expander("Composer : ordre et choix des articles", expanded=bool(draft.board_title)):
                if not draft.items:
                    st.caption("Aucun article dans cette revue.")
                for index, item in enumerate(draft.items):
                    cols = st.columns([8, 1, 1, 1])
                    label = f"**{plain(item.title)}**  \n{plain(item.section)}"
                    if item.pick:
                        label += " · le choix du formateur"
                    cols[0].markdown(label)  # markdown: built from escaped parts above
                    if cols[1].button("↑", key=f"up-{index}", help="Monter"):
                        draft.move(index, -1)
                        st.rerun()
                    if cols[2].button("↓", key=f"down-{index}", help="Descendre"):
                        draft.move(index, 1)
                        st.rerun()
                    if cols[3].button("✕", key=f"drop-{index}", help="Retirer de la revue"):
                        draft.remove(index)
                        st.rerun()
            st.subheader(subject_for(draft.day))
            html = render_html(draft)  # built from escaped, sanitised content only
            inert_html(html, height=700, title="Aperçu de la revue de veille")
            with st.expander("Version Markdown (Slack, Teams, Discord)"):
                st.code(render_markdown(draft), language="markdown", wrap_lines=True)
            force = st.checkbox("Renvoyer quand même si la revue du jour est déjà partie", key="digest-force")
            if st.button("Envoyer la revue", type="primary", key="digest-send"):
                published = attempt(publish, actor, draft, force=force)
                if published is not None:
                    with st.spinner("Envoi des e-mails…"):
                        try:
                            report = deliver_pending(current.id, actor=actor, in_app=True)
                        except SmtpNotConfigured:  # its message names the server's variables
                            st.error(f"Revue archivée, mais non envoyée : {NO_SMTP[actor.is_trainer]}")
                        except UserError as exc:
                            st.error(f"Revue archivée, mais non envoyée : {exc}")
                        else:
                            if not report.sent and (report.failed or report.abandoned):
                                st.error(f"Revue archivée, mais non envoyée : {report.message}")
                            else:
                                (st.warning if report.failed or report.abandoned else st.success)(
                                    f"Revue envoyée et archivée : {report.message}"
                                )
                    st.session_state.pop(DRAFT, None)

with tab_history:
    past = read(history, actor, default=[]) or []
    if not past:
        st.info(
            "Aucune revue envoyée pour l’instant : préparez la première dans l’onglet « Préparer et envoyer »."
            if actor.is_trainer
            else "Aucune revue pour l’instant : celles que votre formateur envoie à votre session "
            "apparaîtront ici, comme celles de vos propres listes."
        )
    else:
        labels = {d.id: d for d in past}
        picked = st.selectbox(
            "Revue",
            list(labels),
            format_func=lambda i: labels[i].label,
            key="digest-history",
            placeholder="Choisir une revue",
        )
        view = read(get_digest, actor, picked)
        if view is not None:
            counts = view.summary.counts
            when = fr_datetime(view.summary.created_at, at=True)
            if counts.get(SENT):  # « envois : 2 réussis, 1 en échec »
                listed = ", ".join(quantity(n, *DELIVERY_COUNTS[status]) for status, n in counts.items())
                happened = f"envoyée le {when} · envois : {listed}"
            else:  # no e-mail left: « archivée le …, 2 envois en échec, 1 envoi en attente »
                happened = ", ".join(
                    [f"archivée le {when}"]
                    + [quantity(n, f"envoi {one}", f"envois {many}")
                       for status, n in counts.items() for one, many in [DELIVERY_COUNTS[status]]]
                )  # fmt: skip
            st.caption(f"{quantity(view.summary.item_count, 'article')} · {happened}")
            inert_html(view.html, height=700, title="Revue de veille envoyée")
            st.download_button(
                "Télécharger en Markdown", view.markdown, file_name="revue.md", mime="text/markdown"
            )
            if view.deliveries:
                st.dataframe(
                    pd.DataFrame(
                        [
                            {
                                "Adresse": d.email,
                                "État": d.status_label,
                                "Essais": d.attempts,
                                "Erreur": d.error,
                            }
                            for d in view.deliveries
                        ]
                    ),
                    hide_index=True,
                )
    if current is not None:
        st.subheader("Abonnement Atom")
        url = read(subscription_url, actor, current.id)
        if url:
            st.caption(
                "Adresse à coller dans un lecteur de flux (Feedly, Thunderbird, Inoreader…) : chaque revue "
                "envoyée à cette liste y apparaît. Gardez-la pour les destinataires : qui la connaît lit les revues."
            )
            st.code(url, language=None)
            if st.button("Ne plus publier ce flux", key="digest-feed-off") and attempt(
                disable_feed, actor, current.id
            ):
                st.rerun()
        else:
            st.caption(
                "Publiez les revues de cette liste à une adresse secrète, pour les lire dans un lecteur de flux."
            )
            if st.button("Publier un flux Atom", key="digest-feed-on") and attempt(
                enable_feed, actor, current.id
            ):
                st.rerun()
        atom = read(list_atom, actor, current.id)
        if atom:
            st.download_button(
                "Télécharger le flux Atom",
                atom,
                file_name="revues.atom",
                mime="application/atom+xml",
            )
