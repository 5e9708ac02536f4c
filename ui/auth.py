"""Login, sign-up and the first trainer's account; the login survives a reload via a signed cookie.

The cookie holds a signed random token naming a server-side ``AuthSession`` row, so a logout or a
password change ends it everywhere. It is HttpOnly: set and cleared by our own HTTP routes
(``ui/session_cookie.py``), which the page calls with a one-minute handoff after a login. With ``[auth]`` secrets, Streamlit's OIDC ``st.login`` is used
instead and the identity provider's e-mail is mapped to an account.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.session import ACTOR_KEY, attempt
from ui.session_cookie import COOKIE, LOGOUT_PATH, SESSION_PATH, handoff_for, token_from_cookie
from ui.text import plain
from workbench.access import Actor
from workbench.accounts import (
    PASSWORD_RULE,
    authenticate,
    create_first_trainer,
    end_session,
    has_any_user,
    has_local_owner,
    start_session,
    user_for_oidc,
    user_for_token,
)
from workbench.cohorts import accept_invitation, invitation_email, sign_up_with_code
from workbench.db import session_scope
from workbench.errors import UserError
from workbench.login_throttle import client_address
from workbench.settings import get_settings

TOKEN_KEY = "auth_token"


def _cookie_request(path: str, handoff: str = "") -> None:
    """Have the browser ask our own route to set (with ``handoff``) or clear the HttpOnly cookie.

    The script only posts; it never sees the cookie. ``handoff`` is dead after a minute.
    """
    body = json.dumps({"handoff": handoff}).replace("<", "\\u003c")  # no « </script> » in it
    st.html(
        "<script>fetch(" + json.dumps(path) + ", {method: 'POST', credentials: 'same-origin', "
        f"body: new URLSearchParams({body})}});</script>",
        unsafe_allow_javascript=True,
    )


def _log_in(user_actor: Actor, token: str | None) -> None:
    st.session_state[ACTOR_KEY] = user_actor
    if token:
        st.session_state[TOKEN_KEY] = token
        st.session_state["_cookie_to_set"] = handoff_for(token)


def restore_login() -> Actor | None:
    """The actor of this browser session: from session state (re-checked), the cookie, or OIDC."""
    if "_cookie_to_set" in st.session_state:
        _cookie_request(SESSION_PATH, st.session_state.pop("_cookie_to_set"))
    token = st.session_state.get(TOKEN_KEY)
    if token is None:
        raw = st.context.cookies.get(COOKIE)
        if raw and st.session_state.get("_cookie_rejected") != raw:
            token = token_from_cookie(raw)
    if token:
        with session_scope() as s:
            user = user_for_token(s, token)
            actor = Actor.of(user) if user else None
        if actor is None:
            st.session_state.pop(ACTOR_KEY, None)
            st.session_state.pop(TOKEN_KEY, None)
            st.session_state["_cookie_rejected"] = st.context.cookies.get(COOKIE)
            st.session_state["auth_notice"] = "Votre session a expiré ou a été fermée : reconnectez-vous."
            _cookie_request(LOGOUT_PATH)
            return None
        st.session_state[ACTOR_KEY] = actor
        st.session_state[TOKEN_KEY] = token
        return actor
    if get_settings().oidc_configured and getattr(st.user, "is_logged_in", False):
        try:
            with session_scope() as s:
                actor = Actor.of(user_for_oidc(s, st.user.get("email", ""), st.user.get("name", "")))
        except UserError as exc:
            st.session_state["auth_notice"] = str(exc)
            return None
        st.session_state[ACTOR_KEY] = actor
        return actor
    st.session_state.pop(ACTOR_KEY, None)
    return None


def log_out() -> None:
    token = st.session_state.pop(TOKEN_KEY, None)
    if token:
        with session_scope() as s:
            end_session(s, token)
    st.session_state.pop(ACTOR_KEY, None)
    st.session_state["_cookie_rejected"] = st.context.cookies.get(COOKIE)  # this page still sends it
    st.session_state["auth_notice"] = "Vous êtes déconnecté·e."
    _cookie_request(LOGOUT_PATH)
    if get_settings().oidc_configured and getattr(st.user, "is_logged_in", False):
        st.logout()


def _client() -> str:
    """Where this login comes from, for throttling (the proxy's record when proxies are configured)."""
    peer = st.context.ip_address  # None on localhost (and not a string under AppTest)
    return client_address(
        peer if isinstance(peer, str) else None,
        st.context.headers.get("X-Forwarded-For"),
        get_settings().proxy_hops,
    )


def _login_with(session, email: str, password: str) -> tuple[Actor, str]:
    user = authenticate(session, email, password, client=_client())
    return Actor.of(user), start_session(session, user)


def _first_trainer(session, email: str, name: str, password: str) -> tuple[Actor, str]:
    user = create_first_trainer(session, email=email, display_name=name, password=password)
    session.flush()
    return Actor.of(user), start_session(session, user)


SIGNED_UP = (
    "C’est noté. Connectez-vous maintenant avec cette adresse e-mail et ce mot de passe. Si vous aviez "
    "déjà un compte à cette adresse, connectez-vous avec son mot de passe habituel, puis saisissez le "
    "code de session dans «\u00a0Mon compte\u00a0». Mot de passe oublié\u00a0? Demandez à votre formateur."
)


def _sign_up(session, code: str, email: str, name: str, password: str) -> str:
    """The same answer whether or not the e-mail already had an account (no account enumeration)."""
    sign_up_with_code(session, code=code, email=email, display_name=name, password=password)
    return email.strip()


def _accept(session, token: str, name: str, password: str) -> tuple[Actor, str]:
    user = accept_invitation(session, token=token, display_name=name, password=password)
    return Actor.of(user), start_session(session, user)


def _finish(result: tuple[Actor, str] | None) -> None:
    if result is not None:
        _log_in(*result)
        st.rerun()


def _log_in_from_form() -> None:
    """« Se connecter », in the button's callback: the app then runs once, logged in, on its home
    page (an error shows above the form)."""
    state = st.session_state
    result = attempt(_login_with, state.get("login_email", ""), state.get("login_password", ""))
    if result is not None:
        _log_in(*result)


def first_trainer_form() -> None:
    st.title("Bienvenue dans l’Atelier CM")
    st.write(
        "Cette installation est vide. Créez le premier compte **formateur** : il pourra ensuite ouvrir "
        "des sessions de formation et y inviter des stagiaires."
    )
    with session_scope() as s:
        from_cli = has_local_owner(s)
    if from_cli:
        st.info(
            "Des sources, listes de diffusion ou règles de veille ont déjà été créées en ligne de commande\u00a0: "
            "ce premier compte les reprend toutes."
        )
    with st.form("first_trainer"):
        name = st.text_input("Nom affiché")
        email = st.text_input("Adresse e-mail")
        password = st.text_input("Mot de passe", type="password", help=PASSWORD_RULE)
        if st.form_submit_button("Créer le compte formateur", type="primary"):
            _finish(attempt(_first_trainer, email, name, password))


def login_page() -> None:
    """The page shown to visitors who are not logged in."""
    if notice := st.session_state.pop("auth_notice", None):
        st.info(notice)
    if email_to_fill := st.session_state.pop("_login_email_to_fill", None):
        st.session_state["login_email"] = email_to_fill
    with session_scope() as s:
        empty = not has_any_user(s)
    if empty and not get_settings().oidc_configured:
        first_trainer_form()
        return
    st.title("Atelier CM")
    st.caption("La veille et l’entraînement des community managers.")
    invitation = st.query_params.get("invitation")
    if invitation:
        _invitation_form(invitation)
        return
    if get_settings().oidc_configured:
        st.button("Se connecter avec le fournisseur d’identité", on_click=st.login, type="primary")
    login_tab, signup_tab = st.tabs(["Se connecter", "Rejoindre une session"])
    with login_tab, st.form("login"):
        st.text_input("Adresse e-mail", key="login_email")
        st.text_input("Mot de passe", type="password", key="login_password")
        st.form_submit_button("Se connecter", type="primary", on_click=_log_in_from_form)
    with signup_tab, st.form("signup"):
        st.write("Votre formateur vous a donné un **code de session** de 8 caractères.")
        code = st.text_input("Code de session", key="signup_code")
        name = st.text_input("Nom affiché", key="signup_name")
        email = st.text_input("Adresse e-mail", key="signup_email")
        password = st.text_input("Mot de passe", type="password", help=PASSWORD_RULE, key="signup_password")
        if st.form_submit_button("Créer mon compte stagiaire") and (
            signed_up := attempt(_sign_up, code, email, name, password)
        ):
            st.session_state["auth_notice"] = SIGNED_UP
            st.session_state["_login_email_to_fill"] = signed_up
            st.rerun()


def _invitation_form(token: str) -> None:
    try:
        with session_scope() as s:
            email = invitation_email(s, token)
    except UserError as exc:
        st.error(plain(str(exc)))
        return
    st.subheader("Invitation à une session de formation")
    with st.form("invitation"):
        st.text_input("Adresse e-mail", value=email, disabled=True)
        name = st.text_input("Nom affiché", key="invite_name")
        password = st.text_input("Mot de passe", type="password", help=PASSWORD_RULE, key="invite_password")
        if st.form_submit_button("Créer mon compte", type="primary"):
            result = attempt(_accept, token, name, password)
            if result is not None:
                st.query_params.clear()
            _finish(result)
