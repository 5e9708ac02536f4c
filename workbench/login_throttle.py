"""Login throttling: growing delays after failed logins, never a lock the account's owner cannot pass.

Following the OWASP authentication cheat sheet and NIST SP 800-63B §5.2.2, failures are counted
in three places, each a row of ``login_throttles`` (so several app processes share them):

- per client (the address the request comes from), across every e-mail: a password sprayed
  over many accounts from one client is slowed;
- per account and client: guesses on one account from one client are slowed hard;
- per account, across every client: a distributed attack on one account is slowed too, but this
  delay is capped short (``ACCOUNT_MAX_DELAY``), so the owner, from a device that has not been
  failing, gets in at once or after at most that delay, whatever a stranger does.

Each delay doubles with every failure beyond a free allowance, up to its cap; failures are
forgotten after ``FORGET_AFTER`` without a new one, and a successful login clears the account's
own counts (never the client's: an attacker cannot reset a client by logging into their own
account). A refused attempt is not counted, so waiting is the only way on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from workbench.access import Actor, require_trainer, trainer_cohort_ids
from workbench.db import utcnow
from workbench.errors import AccessDenied, UserError
from workbench.models import LoginThrottle, Membership, User

FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Rule:
    free: int  # failures allowed before any delay
    first_delay: timedelta  # the delay after the first failure beyond ``free``, doubled after each
    max_delay: timedelta


CLIENT_RULE = Rule(free=10, first_delay=timedelta(seconds=1), max_delay=timedelta(minutes=15))
PAIR_RULE = Rule(free=3, first_delay=timedelta(seconds=2), max_delay=timedelta(minutes=15))
ACCOUNT_MAX_DELAY = timedelta(seconds=30)
ACCOUNT_RULE = Rule(free=10, first_delay=timedelta(seconds=1), max_delay=ACCOUNT_MAX_DELAY)


def client_address(peer: str | None, forwarded_for: str | None, proxy_hops: int) -> str:
    """The address a login comes from: the connection's, or behind ``proxy_hops`` proxies the one
    they recorded in X-Forwarded-For (entries left of theirs can be forged by the caller)."""
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    if proxy_hops > 0 and hops:
        return hops[-min(proxy_hops, len(hops))][:64]
    return (peer or "local")[:64]


def _rule(email: str, client: str) -> Rule:
    if email and client:
        return PAIR_RULE
    return ACCOUNT_RULE if email else CLIENT_RULE


def _delay(rule: Rule, failures: int) -> timedelta:
    beyond = failures - rule.free
    if beyond <= 0:
        return timedelta(0)
    return min(rule.max_delay, rule.first_delay * 2 ** min(beyond - 1, 30))


def _wait(row: LoginThrottle, now: datetime) -> float:
    """Seconds left before this row lets another attempt through (0 when none)."""
    if now - row.last_failure_at >= FORGET_AFTER:
        return 0.0
    ready = row.last_failure_at + _delay(_rule(row.email, row.client), row.failures)
    return max(0.0, (ready - now).total_seconds())


def _keys(email: str, client: str) -> list[tuple[str, str]]:
    return [(email, ""), ("", client), (email, client)]


def _rows(session: Session, email: str, client: str) -> list[LoginThrottle]:
    clauses = [(LoginThrottle.email == e) & (LoginThrottle.client == c) for e, c in _keys(email, client)]
    return list(session.scalars(select(LoginThrottle).where(or_(*clauses))))


def login_wait(session: Session, email: str, client: str) -> float:
    """Seconds this client must wait before trying this e-mail again (0: it may try now)."""
    now = utcnow()
    return max((_wait(row, now) for row in _rows(session, email, client)), default=0.0)


def _french_wait(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def check_login_allowed(session: Session, email: str, client: str) -> None:
    """Refuse (in French, the same words for every e-mail) while a delay runs."""
    wait = login_wait(session, email, client)
    if wait > 0:
        raise UserError(
            "Trop d’essais infructueux depuis cet appareil ou pour ce compte. "
            f"Réessayez dans {_french_wait(wait)}\u00a0; votre formateur peut aussi lever ce ralentissement."
        )


def record_failure(session: Session, email: str, client: str) -> None:
    """Count one failure in its own transaction: the caller's rolls back with the refusal."""
    now = utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stale = LoginThrottle.last_failure_at < now - FORGET_AFTER
    with Session(session.get_bind()) as own:
        # Forgotten counts go (a spray leaves a row per e-mail tried); the index on the time keeps it cheap.
        own.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - FORGET_AFTER))
        for e, c in _keys(email, client):
            stmt = insert(LoginThrottle).values(email=e, client=c, failures=1, last_failure_at=now)
            own.execute(
                stmt.on_conflict_do_update(
                    index_elements=["email", "client"],
                    set_={
                        "failures": case((stale, 1), else_=LoginThrottle.failures + 1),
                        "last_failure_at": now,
                    },
                )
            )
        own.commit()


def record_success(session: Session, email: str, client: str) -> None:
    """The owner proved who they are: their account's counts go, the client's stay."""
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.email == email, LoginThrottle.client.in_(["", client]))
    )


@dataclass(frozen=True)
class ThrottleView:
    """A throttle as the trainer's page shows it; ``email`` or ``client`` is empty for a one-sided row."""

    id: int
    email: str
    client: str
    failures: int
    last_failure_at: datetime
    wait_seconds: float


def _visible_emails(session: Session, actor: Actor) -> set[str]:
    """The trainer's own e-mail and their trainees': the accounts whose throttles they may lift."""
    cohorts = trainer_cohort_ids(session, actor)
    emails = set(
        session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id.in_(cohorts))
        )
    )
    emails.add(actor.email)
    return emails


def _may_clear(row: LoginThrottle, emails: set[str]) -> bool:
    return not row.email or row.email in emails


def current_throttles(session: Session, actor: Actor) -> list[ThrottleView]:
    """Throttles that slow someone now or will at the next failure, for a trainer.

    A trainer sees the clients (addresses) being slowed and the throttles on their own trainees'
    accounts, not those on other trainers' trainees nor on e-mails without an account.
    """
    require_trainer(actor)
    now = utcnow()
    emails = _visible_emails(session, actor)
    rows = session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.last_failure_at >= now - FORGET_AFTER)
        .order_by(LoginThrottle.last_failure_at.desc())
    )
    return [
        ThrottleView(row.id, row.email, row.client, row.failures, row.last_failure_at, _wait(row, now))
        for row in rows
        if _may_clear(row, emails) and row.failures >= _rule(row.email, row.client).free
    ]


def clear_throttles(session: Session, actor: Actor, throttle_ids: list[int]) -> int:
    """Lift throttles (an account's also lifts its per-client ones); how many rows went.

    Rows already gone (lifted meanwhile, or forgotten) are fine."""
    require_trainer(actor)
    emails = _visible_emails(session, actor)
    rows = list(session.scalars(select(LoginThrottle).where(LoginThrottle.id.in_(throttle_ids))))
    if not all(_may_clear(row, emails) for row in rows):
        raise AccessDenied("Seul le formateur de ce stagiaire peut lever ce ralentissement.")
    accounts = [row.email for row in rows if row.email and not row.client]
    result = session.execute(
        delete(LoginThrottle).where(
            or_(LoginThrottle.id.in_([row.id for row in rows]), LoginThrottle.email.in_(accounts))
        )
    )
    return result.rowcount
