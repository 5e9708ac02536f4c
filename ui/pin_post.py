"""Pin to post: draft a social post from a pin, counted live by the network's own rule."""

from __future__ import annotations

import streamlit as st

from curation.networks import count, load_networks
from curation.pin_posts import delete_draft, list_drafts, save_draft, starter_text
from curation.pins import PinView
from curation.utm import Utm, retag_links, utm_link
from ui.session import attempt, read
from ui.text import fr_int, plain
from workbench.access import Actor
from workbench.errors import UserError
from workbench.localtime import fr_date, fr_datetime
from workbench.wording import de


def _link(pin: PinView, utm: Utm) -> str:
    if not pin.url:
        return ""
    try:
        return utm_link(pin.url, utm)
    except UserError as exc:
        st.error(plain(str(exc)))
        return pin.url


def pin_post_panel(actor: Actor, pin: PinView, *, can_write: bool) -> None:
    networks = load_networks()
    key = f"post_{pin.id}"
    network = st.selectbox(
        "Réseau",
        list(networks),
        format_func=lambda k: networks[k].name,
        key=f"{key}_net",
        placeholder="Choisir un réseau",
    )
    net = networks[network]
    with st.expander("Lien suivi (paramètres UTM)"):
        cols = st.columns(3)
        medium = cols[0].text_input("Support (utm_medium)", value="social", key=f"{key}_medium")
        campaign = cols[1].text_input(
            "Campagne (utm_campaign)", key=f"{key}_campaign", placeholder="rentree-2026"
        )
        content = cols[2].text_input("Contenu (utm_content)", key=f"{key}_content", placeholder="post-1")
        st.caption(
            "La source (utm_source) est le réseau choisi ; le lien est nettoyé de ses anciens traceurs."
        )
    utm = Utm(source=network, medium=medium, campaign=campaign, content=content)
    link = _link(pin, utm)
    if link:
        st.caption("Lien à publier :")
        st.code(link, language=None)
    text_key = f"{key}_text"
    if text_key not in st.session_state:
        st.session_state[text_key] = starter_text(pin, link)
    elif link != pin.url:  # another network or campaign: the link already in the text follows
        st.session_state[text_key] = retag_links(st.session_state[text_key], pin.url, utm)

    def restart() -> None:
        st.session_state[text_key] = starter_text(pin, link)

    text = st.text_area("Texte du post", key=text_key, height=200)
    st.button("Repartir du modèle (titre, note, lien, crédit)", key=f"{key}_restart", on_click=restart)
    counted = count(text, network)
    st.progress(min(counted.length / counted.limit, 1.0))
    cols = st.columns(4)
    cols[0].metric("Caractères", f"{fr_int(counted.length)}\u202f/\u202f{fr_int(counted.limit)}")
    cols[1].metric("Restants", fr_int(counted.remaining))
    cols[2].metric("Hashtags", len(counted.hashtags))
    cols[3].metric("Mentions", len(counted.mentions))
    for problem in counted.problems():
        st.error(problem)
    if counted.ok:
        st.success(f"Longueur correcte pour {plain(net.name)}.")
    st.caption(
        f"Règle {de(plain(net.name))}\u00a0: {plain(net.note)} Limites vérifiées le {fr_date(net.checked_on)} — source\u00a0: {plain(net.source)}."
    )
    if pin.credit:
        st.caption(f"Crédit à citer\u00a0: {plain(pin.credit)}")
    if can_write and st.button("Enregistrer le brouillon", key=f"{key}_save", type="primary"):
        attempt(save_draft, actor, pin.id, network, text, link, success="Brouillon enregistré sur l’épingle.")
    drafts = read(list_drafts, actor, pin.id, default=[]) or []
    if drafts:
        st.markdown("**Brouillons enregistrés** (copiez le texte avec l’icône en haut à droite du bloc)")
    for draft in drafts:
        draft_count = count(draft.text, draft.network)
        flag = " — trop long" if draft_count.over_limit else ""
        st.caption(
            f"{draft.network_name}, {fr_datetime(draft.updated_at)} — {draft_count.length}/{draft_count.limit}{flag}"
        )
        st.code(draft.text, language=None, wrap_lines=True)
        if can_write and st.button("Supprimer ce brouillon", key=f"draft_del_{draft.id}"):
            attempt(delete_draft, actor, draft.id, success="Brouillon supprimé.", then_rerun=True)
