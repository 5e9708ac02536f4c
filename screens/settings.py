"""Réglages (trainers): the install's translation service, its e-mail server, its time zone and its
demo content.

A value set on the server (``ATELIER_*`` variable or secrets file) wins: it is shown, not editable.
Keys and passwords are stored encrypted and never shown back, only whether one is saved.
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace

import streamlit as st

from curation.demo import demo_content_summary, remove_demo_content
from curation.mail import check_connection as check_smtp
from curation.mail import send_mail
from curation.translation.providers import PROVIDERS, WHO_CAN_FIX, check_connection, provider_config
from ui.forms import number_field
from ui.session import attempt, read, require_actor
from ui.text import plain
from workbench.errors import UserError
from workbench.install_settings import save_settings, saved_settings
from workbench.localtime import zone_names
from workbench.numbers import quantity
from workbench.settings import env_name, get_settings

SECURITY = {"starttls": "STARTTLS (port 587)", "ssl": "SSL/TLS (port 465)", "none": "Aucune (réseau local)"}
CONFIRM_DEMO = "settings_confirm_demo_removal"
FLASH = "settings_saved"
ROUND = "settings_round"  # a new round after each save: the key and password fields come back empty
KEY_STATES = (
    "Clé fournie par le serveur.",
    "Clé enregistrée (chiffrée\u00a0; elle n’est jamais réaffichée).",
    "Aucune clé enregistrée.",
)
PASSWORD_STATES = (
    "Mot de passe fourni par le serveur.",
    "Mot de passe enregistré (chiffré\u00a0; il n’est jamais réaffiché).",
    "Aucun mot de passe enregistré.",
)

actor = require_actor("trainer")
st.title("Réglages")
st.caption(
    "Les réglages de toute l’installation, pour tous ses formateurs et stagiaires. Une valeur fixée sur "
    "le serveur (variable d’environnement ou fichier de secrets) l’emporte toujours\u00a0: elle est affichée "
    "ici sans pouvoir être changée."
)
saved = read(saved_settings, actor)
if saved is None:
    st.stop()
settings = get_settings()
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))


def fixed(name: str) -> bool:
    return name in saved.fixed


def server_note(name: str) -> str | None:
    """The help of a field the server sets."""
    if not fixed(name):
        return None
    return f"Fixé sur le serveur ({env_name(name)})\u00a0: modifiable seulement là."


def secret_state(name: str, states: tuple[str, str, str]) -> str:
    """One of (set on the server, saved here, none) for a key or a password; never the value."""
    on_server, here, none = states
    return on_server if fixed(name) else here if name in saved.secrets_saved else none


def secret_input(
    name: str, label: str, what: str, states: tuple[str, str, str], *, key: str
) -> tuple[str, bool]:
    """A key or a password: typed anew (left empty, ``what`` is kept), never shown back; its state
    below it, and « Oublier » when one is saved here. Returns (typed, forget)."""
    typed = st.text_input(  # markdown: the page's own label and setting name
        label,
        type="password",
        placeholder=f"laisser vide pour garder {what}",
        key=f"{key}-{st.session_state.get(ROUND, 0)}",  # a new, empty field after each save
        disabled=fixed(name),
        help=server_note(name),
    )
    st.caption(secret_state(name, states))  # markdown: the page's own state texts
    forget = name in saved.secrets_saved and st.checkbox(f"Oublier {what}")
    return typed, forget


def saved_then_rerun(values: dict[str, str | None], message: str) -> None:
    values = {k: v for k, v in values.items() if not fixed(k)}
    if attempt(save_settings, actor, values) is not None:
        st.session_state[FLASH] = message
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
        st.rerun()


def provider_label(name: str) -> str:
    spec = PROVIDERS[name]
    needs = [
        w
        for w, on in (("une clé d’API", spec.needs_key), ("l’adresse de votre serveur", spec.needs_url))
        if on
    ]
    label = spec.label + (f" — demande {' et '.join(needs)}" if needs else "")
    if name == "argos" and importlib.util.find_spec("argostranslate") is None:
        label += " — non installé sur ce serveur"
    return label


st.header("Traduction")
st.caption(
    "Le service qui traduit les articles du mur, la page Traduction et la revue. Google Traduction et "
    "MyMemory demandent un accès à Internet\u00a0; DeepL et Microsoft aussi, avec une clé d’API\u00a0; "
    "LibreTranslate est un serveur que vous hébergez (l’adresse de votre serveur, une clé s’il en "
    "demande une)\u00a0; Argos Translate traduit hors ligne sur ce serveur, s’il y est installé."
)
tr = settings.translation
with st.form("translation_settings"):
    names = list(PROVIDERS)
    provider = st.selectbox(
        "Service de traduction",
        names,
        index=names.index(tr.provider) if tr.provider in names else 0,
        format_func=provider_label,
        placeholder="Choisir un service",
        disabled=fixed("translation.provider"),
        help=server_note("translation.provider"),
    )
    provider_url = st.text_input(
        "Adresse du serveur (LibreTranslate)",
        value=tr.provider_url,
        placeholder="https://traduction.mon-organisme.fr/",
        disabled=fixed("translation.provider_url"),
        help=server_note("translation.provider_url"),
    )
    api_key, forget_key = secret_input(
        "translation.api_key", "Clé d’API", "la clé enregistrée", KEY_STATES, key="settings-api-key"
    )
    region = st.text_input(
        "Région Azure (Microsoft Translator)",
        value=tr.region,
        disabled=fixed("translation.region"),
        help=server_note("translation.region"),
    )
    left, right = st.columns(2)
    save_tr = left.form_submit_button("Enregistrer", type="primary")
    test_tr = right.form_submit_button("Tester la connexion", icon=":material/network_check:")

if test_tr:
    try:
        key = "" if forget_key else (api_key or (tr.api_key if provider == tr.provider else ""))
        config = provider_config(
            provider=provider, provider_url=provider_url.strip(), api_key=key, region=region
        )
        with st.spinner("Essai de traduction…"):
            st.success(check_connection(config))
    except UserError as exc:  # said to the trainer here: what to change on this page
        failed = str(exc).removesuffix(f" {WHO_CAN_FIX}")
        st.error(
            plain(
                f"{failed} Vérifiez l’adresse et la clé ci-dessus, ou choisissez un autre service, puis testez de nouveau."
            )
        )
if save_tr:
    saved_then_rerun(
        {
            "translation.provider": provider,
            "translation.provider_url": provider_url.strip() or None,
            "translation.region": region.strip() or None,
            "translation.api_key": None if forget_key else api_key.strip(),
        },
        "Réglages de traduction enregistrés.",
    )

st.header("E-mails (SMTP)")
st.caption("Le serveur qui envoie les revues de veille et les alertes.")
smtp = settings.smtp
with st.form("smtp_settings"):
    host = st.text_input(
        "Serveur", value=smtp.host, placeholder="smtp.mon-organisme.fr", disabled=fixed("smtp.host"),
        help=server_note("smtp.host"),
    )  # fmt: skip
    c1, c2 = st.columns(2)
    port = number_field(
        "Port", str(smtp.port), key="settings-port", where=c1, disabled=fixed("smtp.port"), help=server_note("smtp.port"),
        whole=True, minimum=1, maximum=65535,
    )  # fmt: skip
    security = c2.selectbox(
        "Sécurité",
        list(SECURITY),
        index=list(SECURITY).index(smtp.security) if smtp.security in SECURITY else 0,
        format_func=SECURITY.__getitem__,
        placeholder="Choisir une sécurité",
        disabled=fixed("smtp.security"),
        help=server_note("smtp.security"),
    )
    username = st.text_input(
        "Identifiant", value=smtp.username, disabled=fixed("smtp.username"), help=server_note("smtp.username")
    )
    password, forget_password = secret_input(
        "smtp.password",
        "Mot de passe",
        "le mot de passe enregistré",
        PASSWORD_STATES,
        key="settings-password",
    )
    sender = st.text_input(
        "Expéditeur", value=smtp.sender, disabled=fixed("smtp.sender"), help=server_note("smtp.sender")
    )
    c1, c2, c3 = st.columns(3)
    save_smtp = c1.form_submit_button("Enregistrer", type="primary")
    test_smtp = c2.form_submit_button("Tester la connexion", icon=":material/network_check:")
    send_test = c3.form_submit_button("Envoyer un e-mail d’essai", icon=":material/send:")

if (test_smtp or send_test) and not port.error:
    trial = replace(
        smtp,
        host=host.strip(),
        port=int(port.value or smtp.port),
        security=security,
        username=username.strip(),
        password="" if forget_password else (password or smtp.password),
        sender=sender.strip() or smtp.sender,
    )
    try:
        with st.spinner("Connexion au serveur d’envoi…"):
            if test_smtp:
                st.success(check_smtp(trial, in_app=True))
            else:
                send_mail(
                    trial,
                    actor.email,
                    "Atelier CM\u00a0: e-mail d’essai",
                    "Cet e-mail d’essai confirme que l’Atelier CM peut envoyer les revues et les alertes.",
                    retried=False,
                    in_app=True,
                )
                st.success(f"E-mail d’essai envoyé à {plain(actor.email)}.")
    except UserError as exc:
        st.error(plain(str(exc)))
if save_smtp and not port.error:
    saved_then_rerun(
        {
            "smtp.host": host.strip() or None,
            "smtp.port": str(int(port.value)) if port.value is not None else None,
            "smtp.security": security,
            "smtp.username": username.strip() or None,
            "smtp.password": None if forget_password else password,
            "smtp.sender": sender.strip() or None,
        },
        "Réglages d’envoi enregistrés.",
    )

st.header("Fuseau horaire")
st.caption(
    "L’heure que lisent les personnes sur toutes les pages, dans les exports et les e-mails, et l’heure "
    "d’envoi des revues. Les dates sont enregistrées en temps universel : changer de fuseau ne modifie "
    "aucune donnée."
)
with st.form("time_zone_settings"):
    zones = zone_names()
    time_zone = st.selectbox(
        "Fuseau horaire",
        zones,
        index=zones.index(settings.time_zone) if settings.time_zone in zones else None,
        placeholder="Choisir un fuseau horaire",
        disabled=fixed("time_zone"),
        help=server_note("time_zone"),
    )
    if st.form_submit_button("Enregistrer", type="primary"):
        saved_then_rerun({"time_zone": time_zone}, "Fuseau horaire enregistré.")

st.header("Contenu de démonstration")
summary = read(demo_content_summary)
if summary is None or not summary.feeds:
    st.caption("Aucun contenu de démonstration sur cette installation.")
else:
    st.caption(
        f"{summary.feeds}\u00a0flux de démonstration ({summary.entries}\u00a0articles), suivis par "
        f"{quantity(summary.subscriptions, 'abonnement')}\u00a0; {quantity(summary.pins, 'épingle')} en "
        f"{'a été faite' if summary.pins < 2 else 'ont été faites'}. "
        "Ils sont marqués «\u00a0démo\u00a0», n’entrent jamais dans une revue envoyée et disparaissent des sources "
        "d’une personne dès qu’elle suit les siennes."
    )
    if not st.session_state.get(CONFIRM_DEMO):
        if st.button("Retirer le contenu de démonstration…", icon=":material/delete:"):
            st.session_state[CONFIRM_DEMO] = True
            st.rerun()
    else:
        st.warning(
            "Retirer le contenu de démonstration pour tout le monde\u00a0? Ses flux, leurs articles, les "
            "abonnements et les épingles qui en viennent sont supprimés, et il ne sera plus proposé aux "
            "nouveaux venus. Cette action est définitive."
        )
        yes, no = st.columns(2)
        if yes.button("Oui, retirer la démonstration", type="primary"):
            st.session_state.pop(CONFIRM_DEMO, None)
            if attempt(remove_demo_content, actor) is not None:
                st.session_state[FLASH] = "Contenu de démonstration retiré."
                st.rerun()
        if no.button("Annuler"):
            st.session_state.pop(CONFIRM_DEMO, None)
            st.rerun()
    if fixed("demo_content") and settings.demo_content:
        st.caption(
            "ATELIER_DEMO_CONTENT est fixé sur le serveur\u00a0: la démonstration reviendra au prochain démarrage."
        )
