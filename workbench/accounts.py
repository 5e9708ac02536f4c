"""Accounts: the first trainer, sign-up, login (throttled), login sessions, profile changes.

A database without any account is a valid single-user install for the command line (a freelance
CM's cron): the CLI then acts as the *local owner*, an account row that cannot log in
(``LOCAL_OWNER_EMAIL``, no password) and holds what the CLI creates: subscriptions, digest lists,
rules. It does not count as an account (``has_any_user``): the app still asks for its first
trainer, and the first account created (app, identity provider or CLI) takes that row over, so
every source, list and rule the CLI made becomes theirs, nothing lost.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workbench.access import Actor
from workbench.db import utcnow
from workbench.errors import UserError
from workbench.login_throttle import check_login_allowed, record_failure, record_success
from workbench.models import TRAINEE, TRAINER, AuthSession, Membership, User
from workbench.settings import get_settings

PASSWORD_RULE = (
    "Le mot de passe doit contenir au moins 10 caractères, dont au moins une lettre et un chiffre."
)
LOCAL_PART_RE = re.compile(r"[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*\Z")
DOMAIN_LABEL_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\Z")
TLD_RE = re.compile(r"([a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z")

# argon2id with OWASP's minimum parameters (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1)
# rather than the library's default (64 MiB, t = 3, p = 4): a class of 25 logging in at the same
# second took the app process from 330 to 960 MB and each check 0.18 s of CPU on 4 threads; these
# take 19 MiB and 0.02 s. Hashes made with other parameters are redone at the next login
# (``authenticate``: ``check_needs_rehash``).
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# And two hashes or checks at a time (the machine's cores): the others wait their turn, a few
# hundredths of a second each, so 25 at once never hold more than 2 × 19 MiB.
PASSWORD_CHECKS_AT_ONCE = 2
_argon2_slots = threading.BoundedSemaphore(PASSWORD_CHECKS_AT_ONCE)


def hash_password(password: str) -> str:
    with _argon2_slots:
        return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < 10 or not re.search(r"[^\W\d_]", password) or not re.search(r"\d", password):
        raise UserError(PASSWORD_RULE)


def _valid_domain(domain: str) -> bool:
    try:
        labels = domain.encode("idna").decode("ascii").split(".")
    except UnicodeError:
        return False
    return (
        len(labels) >= 2
        and all(DOMAIN_LABEL_RE.match(x) for x in labels)
        and TLD_RE.match(labels[-1]) is not None
    )


def normalise_email(email: str) -> str:
    """The address in lower case, if it is a plain ``local@domain`` address.

    Strict on purpose (what people type, not all RFC 5322 allows): the local part is dot-separated
    atoms without quotes, brackets or spaces, the domain host-name labels; so no ``<script>@x.fr``.
    """
    email = (email or "").strip().lower()
    local, _, domain = email.rpartition("@")
    if len(email) > 254 or len(local) > 64 or not LOCAL_PART_RE.match(local) or not _valid_domain(domain):
        raise UserError("Adresse e-mail invalide : vérifiez qu’elle a la forme nom@domaine.fr.")
    return email


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise UserError("Indiquez un nom (il sera affiché aux autres membres de la session).")
    if len(name) > 120:
        raise UserError("Le nom est trop long (120 caractères au plus).")
    return name


LOCAL_OWNER_EMAIL = "veille-locale@atelier.invalid"  # .invalid: never a real mailbox (RFC 2606)
LOCAL_OWNER_NAME = "Veille en ligne de commande"


def has_any_user(session: Session) -> bool:
    """Whether a real account exists (the CLI's local owner is not one)."""
    return session.scalar(select(func.count(User.id)).where(User.email != LOCAL_OWNER_EMAIL)) > 0


def has_local_owner(session: Session) -> bool:
    """Whether the command line made things (sources, lists, rules) the first account will take over."""
    return session.scalar(select(User.id).where(User.email == LOCAL_OWNER_EMAIL)) is not None


def local_owner(session: Session) -> User:
    """The CLI's owner while the install has no account (created on first use)."""
    if has_any_user(session):
        raise UserError("L’installation a déjà des comptes : précisez la personne avec --user EMAIL.")
    user = session.scalar(select(User).where(User.email == LOCAL_OWNER_EMAIL))
    if user is None:
        user = User(email=LOCAL_OWNER_EMAIL, display_name=LOCAL_OWNER_NAME, password_hash=None, role=TRAINER)
        session.add(user)
        session.flush()
    return user


def create_user(session: Session, *, email: str, display_name: str, password: str | None, role: str) -> User:
    """Create an account (password may be None for OIDC-only accounts); the first one takes over
    the CLI's local owner and all it holds."""
    email = normalise_email(email)
    name = clean_name(display_name)
    if password is not None:
        check_password_strength(password)
    if email == LOCAL_OWNER_EMAIL or session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError("Un compte existe déjà avec cette adresse e-mail : connectez-vous plutôt.")
    password_hash = hash_password(password) if password is not None else None
    user = (
        None if has_any_user(session) else session.scalar(select(User).where(User.email == LOCAL_OWNER_EMAIL))
    )
    if user is not None:  # the first account takes over what the command line made
        user.email, user.display_name, user.password_hash, user.role = email, name, password_hash, role
    else:
        user = User(email=email, display_name=name, password_hash=password_hash, role=role)
        session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same e-mail
        raise UserError("Un compte existe déjà avec cette adresse e-mail : connectez-vous plutôt.") from exc
    return user


def create_first_trainer(session: Session, *, email: str, display_name: str, password: str) -> User:
    """Only on an empty installation: the first account is a trainer."""
    if has_any_user(session):
        raise UserError("L’installation a déjà un compte formateur : connectez-vous.")
    return create_user(session, email=email, display_name=display_name, password=password, role=TRAINER)


def password_matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is this account's; the same argon2 cost when there is no such account."""
    if user is None or not user.password_hash:
        hash_password(password or "x")
        return False
    try:
        with _argon2_slots:
            return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, email: str, password: str, *, client: str = "") -> User:
    """The user for these credentials, with growing delays after failures (``workbench.login_throttle``).

    ``client`` names where the attempt comes from (the request's address): failures are counted
    per account, per client and per both, so a stranger's guesses never lock the owner out.
    """
    try:
        email = normalise_email(email)
    except UserError:
        raise UserError("E-mail ou mot de passe incorrect.") from None
    check_login_allowed(session, email, client)
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not password_matches(user, password):
        record_failure(session, email, client)
        raise UserError("E-mail ou mot de passe incorrect.")
    ensure_can_log_in(session, user)
    if _hasher.check_needs_rehash(user.password_hash or ""):
        user.password_hash = hash_password(password)
    record_success(session, email, client)
    return user


def ensure_can_log_in(session: Session, user: User) -> None:
    if not user.is_active:
        raise UserError("Ce compte est désactivé. Contactez votre formateur.")
    if user.role == TRAINEE:
        memberships = session.scalars(select(Membership).where(Membership.user_id == user.id)).all()
        if memberships and not any(m.active for m in memberships):
            raise UserError("Votre formateur a désactivé votre accès à la session. Contactez-le.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    """A new login session; the returned token goes (signed) into the browser's cookie."""
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=get_settings().session_days),
        )
    )
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The logged-in user for a session token, or None if unknown, revoked or expired."""
    if not token:
        return None
    # Every page run asks: the login session and its user in one statement.
    found = session.execute(
        select(AuthSession, User)
        .join(User, User.id == AuthSession.user_id)
        .where(AuthSession.token_hash == _token_hash(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked or row.expires_at <= utcnow():
        return None
    try:
        ensure_can_log_in(session, user)
    except UserError:
        return None
    return user


def end_session(session: Session, token: str) -> None:
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == _token_hash(token)))
    if row is not None:
        row.revoked = True


def change_password(
    session: Session, actor: Actor, current: str, new: str, keep_token: str | None = None
) -> None:
    """Change the password; every login session of the account ends except ``keep_token``'s."""
    user = session.get(User, actor.id)
    if user is None or not user.password_hash:
        raise UserError(
            "Ce compte se connecte par un fournisseur d’identité : pas de mot de passe à changer."
        )
    if not password_matches(user, current):
        raise UserError("Le mot de passe actuel est incorrect.")
    check_password_strength(new)
    user.password_hash = hash_password(new)
    kept = _token_hash(keep_token) if keep_token else None
    for row in session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)):
        if row.token_hash != kept:
            row.revoked = True


def update_profile(
    session: Session, actor: Actor, *, display_name: str, digest_opt_out: bool | None = None
) -> User:
    user = session.get(User, actor.id)
    if user is None:
        raise UserError("Compte introuvable.")
    user.display_name = clean_name(display_name)
    if digest_opt_out is not None:
        user.digest_opt_out = digest_opt_out
    return user


def user_for_oidc(session: Session, email: str, name: str) -> User:
    """Map an identity provider's e-mail to an account (the first one on an empty install is a trainer)."""
    email = normalise_email(email)
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        if has_any_user(session):
            raise UserError(
                "Aucun compte n’est associé à cette adresse. Demandez une invitation à votre formateur "
                "ou inscrivez-vous avec un code de session."
            )
        user = create_user(session, email=email, display_name=name or email, password=None, role=TRAINER)
    ensure_can_log_in(session, user)
    return user
