"""Cohorts ("sessions de formation"): join codes, invitations, members, closing."""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.access import (
    Actor,
    require_cohort_trainer,
    require_cohort_visible,
    require_trainer,
    visible_cohort_ids,
)
from workbench.accounts import (
    check_password_strength,
    clean_name,
    create_user,
    hash_password,
    normalise_email,
)
from workbench.collation import name_order
from workbench.db import utcnow
from workbench.errors import UserError
from workbench.localtime import today
from workbench.models import TRAINEE, Cohort, Invitation, Membership, User
from workbench.wording import quoted

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud in class
CODE_LENGTH = 8
INVITATION_DAYS = 14
MAX_NAME = 120  # the column's length
NON_BREAKING = ("\u00a0", "\u202f")


@dataclass(frozen=True)
class MemberView:
    user_id: int
    display_name: str
    email: str
    active: bool
    joined_at: datetime


@dataclass(frozen=True)
class CohortView:
    """A cohort as screens and other libraries see it (no lazy loading after the transaction)."""

    id: int
    name: str
    starts_on: date | None
    ends_on: date | None
    join_code: str
    trainer_id: int
    trainer_name: str
    closed: bool
    show_cohort_average: bool

    @classmethod
    def of(cls, c: Cohort) -> CohortView:
        return cls(
            c.id,
            c.name,
            c.starts_on,
            c.ends_on,
            c.join_code,
            c.trainer_id,
            c.trainer.display_name,
            c.closed,
            c.show_cohort_average,
        )


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Cohort.id).where(Cohort.join_code == code)) is None:
            return code


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _clean_cohort_name(name: str) -> str:
    """Spaces collapsed, a typed non-breaking space (« Printemps ») kept."""
    name = re.sub(r"\s+", lambda m: m[0] if m[0] in NON_BREAKING else " ", (name or "").strip())
    if not name:
        raise UserError("Donnez un nom à la session de formation.")
    if len(name) > MAX_NAME:
        raise UserError(f"Le nom de la session est trop long ({len(name)} caractères, {MAX_NAME} au plus).")
    return name


def create_cohort(
    session: Session, actor: Actor, *, name: str, starts_on: date | None = None, ends_on: date | None = None
) -> Cohort:
    require_trainer(actor)
    name = _clean_cohort_name(name)
    if starts_on and ends_on and ends_on < starts_on:
        raise UserError("La date de fin doit être postérieure à la date de début.")
    cohort = Cohort(
        name=name, starts_on=starts_on, ends_on=ends_on, trainer_id=actor.id, join_code=_new_code(session)
    )
    session.add(cohort)
    session.flush()
    return cohort


def list_cohorts(session: Session, actor: Actor) -> list[CohortView]:
    """The cohorts a trainer runs, or a trainee belongs to (newest first)."""
    ids = visible_cohort_ids(session, actor)
    if not ids:
        return []
    rows = session.scalars(
        select(Cohort).where(Cohort.id.in_(ids)).order_by(Cohort.created_at.desc(), Cohort.id)
    )
    return [CohortView.of(c) for c in rows]


def get_cohort(session: Session, actor: Actor, cohort_id: int) -> CohortView:
    return CohortView.of(require_cohort_visible(session, actor, cohort_id))


def regenerate_code(session: Session, actor: Actor, cohort_id: int) -> str:
    cohort = require_cohort_trainer(session, actor, cohort_id)
    cohort.join_code = _new_code(session)
    return cohort.join_code


def rename_cohort(session: Session, actor: Actor, cohort_id: int, name: str) -> CohortView:
    cohort = require_cohort_trainer(session, actor, cohort_id)
    cohort.name = _clean_cohort_name(name)
    return CohortView.of(cohort)


def set_closed(session: Session, actor: Actor, cohort_id: int, closed: bool = True) -> Cohort:
    cohort = require_cohort_trainer(session, actor, cohort_id)
    cohort.closed = closed
    return cohort


def set_show_average(session: Session, actor: Actor, cohort_id: int, show: bool) -> None:
    require_cohort_trainer(session, actor, cohort_id).show_cohort_average = show


def members(session: Session, actor: Actor, cohort_id: int) -> list[MemberView]:
    """The cohort's trainees: for its trainer, or (names only matter) for a member."""
    require_cohort_visible(session, actor, cohort_id)
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.cohort_id == cohort_id)
    ).all()
    rows.sort(key=lambda row: name_order(row.User.display_name))
    show_email = actor.is_trainer
    return [
        MemberView(
            u.id, u.display_name, u.email if show_email or u.id == actor.id else "", m.active, m.joined_at
        )
        for m, u in rows
    ]


def set_member_active(session: Session, actor: Actor, cohort_id: int, user_id: int, active: bool) -> None:
    require_cohort_trainer(session, actor, cohort_id)
    membership = session.scalar(
        select(Membership).where(Membership.cohort_id == cohort_id, Membership.user_id == user_id)
    )
    if membership is None:
        raise UserError("Cette personne ne fait pas partie de la session.")
    membership.active = active


def _open_cohort_for_code(session: Session, code: str) -> Cohort:
    cohort = session.scalar(select(Cohort).where(Cohort.join_code == normalise_code(code)))
    if cohort is None:
        raise UserError("Code de session inconnu. Vérifiez-le auprès de votre formateur (8 caractères).")
    if cohort.closed:
        raise UserError("Cette session de formation est close\u00a0: elle n’accepte plus d’inscriptions.")
    if cohort.ends_on and cohort.ends_on < today():
        raise UserError(
            "Cette session de formation est terminée\u00a0: demandez un nouveau code à votre formateur."
        )
    return cohort


def sign_up_with_code(
    session: Session, *, code: str, email: str, display_name: str, password: str
) -> User | None:
    """A new trainee account joined to the cohort of ``code`` (both or nothing).

    When the e-mail already has an account, nothing tells it apart (no account enumeration by a
    join-code holder): no error, the same work, ``None`` returned, and the account is left as it
    was (not even joined to the cohort: that would let the cohort's trainer test passwords). The
    page answers the same words either way: log in; an owner joins with the code in « Mon compte ».
    """
    cohort = _open_cohort_for_code(session, code)
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is None:
        user = create_user(session, email=email, display_name=display_name, password=password, role=TRAINEE)
        session.add(Membership(cohort_id=cohort.id, user_id=user.id))
        session.flush()
        return user
    clean_name(display_name)
    check_password_strength(password)
    hash_password(password)  # the same cost as creating the account
    return None


def join_with_code(session: Session, actor: Actor, code: str) -> Cohort:
    """An existing trainee joins another cohort."""
    if actor.is_trainer:
        raise UserError("Un formateur ne rejoint pas une session avec un code\u00a0: il la crée.")
    cohort = _open_cohort_for_code(session, code)
    existing = session.scalar(
        select(Membership).where(Membership.cohort_id == cohort.id, Membership.user_id == actor.id)
    )
    if existing is not None:
        if not existing.active:
            raise UserError("Votre accès à cette session a été désactivé par le formateur.")
        raise UserError("Vous faites déjà partie de cette session.")
    session.add(Membership(cohort_id=cohort.id, user_id=actor.id))
    return cohort


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(session: Session, actor: Actor, cohort_id: int, email: str) -> str:
    """An invitation token (the link to send is ``?invitation=<token>``)."""
    cohort = require_cohort_trainer(session, actor, cohort_id)
    if cohort.closed:
        raise UserError("La session est close\u00a0: rouvrez-la avant d’inviter quelqu’un.")
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise UserError(
            "Un compte existe déjà pour cette adresse\u00a0: donnez-lui plutôt le code de la session à saisir "
            "dans «\u00a0Mon compte\u00a0»."
        )
    token = secrets.token_urlsafe(24)
    session.add(
        Invitation(
            token_hash=_hash(token),
            cohort_id=cohort.id,
            email=email,
            expires_at=utcnow() + timedelta(days=INVITATION_DAYS),
        )
    )
    return token


@dataclass(frozen=True)
class InvitationMail:
    """The e-mail that carries an invitation link: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def invitation_mail(cohort_name: str, inviter: Actor, link: str) -> InvitationMail:
    """The French e-mail inviting someone to ``cohort_name`` with ``link`` (from ``invite``'s token),
    signed by whoever invited. Every name is escaped in the HTML part: a session named
    ``<b>x</b>`` reads as typed."""
    session_name = quoted(cohort_name)
    who = f"{inviter.display_name} ({inviter.email})" if inviter.display_name else inviter.email
    invites = f"{who} vous invite à rejoindre la session de formation {session_name} sur l’Atelier CM."
    validity = f"Ce lien est valable {INVITATION_DAYS}\u00a0jours et ne sert qu’une seule fois."
    unknown = "Si vous ne vous attendiez pas à cette invitation, ignorez ce message\u00a0: aucun compte n’est créé sans ce lien."
    text = (
        f"Bonjour,\n\n{invites}\n\nPour créer votre compte, ouvrez ce lien\u00a0:\n{link}\n\n"
        f"{validity}\n\n{unknown}\n"
    )
    href = html.escape(link, quote=True)
    body = (
        f"<p>Bonjour,</p>\n<p>{html.escape(invites)}</p>\n"
        f'<p><a href="{href}">Créer mon compte et rejoindre la session</a></p>\n'
        f"<p>{html.escape(validity)} S’il ne s’ouvre pas, copiez cette adresse dans votre navigateur\u00a0:<br>"
        f"{html.escape(link)}</p>\n<p>{html.escape(unknown)}</p>\n"
    )
    return InvitationMail(f"Invitation à la session {session_name} — Atelier CM", text, body)


def invitation_email(session: Session, token: str) -> str:
    return _valid_invitation(session, token).email


def _valid_invitation(session: Session, token: str) -> Invitation:
    inv = session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token or "")))
    if inv is None or inv.accepted_at is not None:
        raise UserError("Ce lien d’invitation n’est pas valable (déjà utilisé ou erroné).")
    if inv.expires_at <= utcnow():
        raise UserError("Ce lien d’invitation a expiré\u00a0: demandez-en un nouveau à votre formateur.")
    return inv


def accept_invitation(session: Session, *, token: str, display_name: str, password: str) -> User:
    inv = _valid_invitation(session, token)
    cohort = session.get(Cohort, inv.cohort_id)
    if cohort is None or cohort.closed:
        raise UserError("Cette session de formation est close\u00a0: elle n’accepte plus d’inscriptions.")
    user = create_user(session, email=inv.email, display_name=display_name, password=password, role=TRAINEE)
    session.add(Membership(cohort_id=cohort.id, user_id=user.id))
    inv.accepted_at = utcnow()
    session.flush()
    return user
