"""Unsubscribing an outside recipient (a client, not a member of a session) from a list.

A cohort member stops the digest in their account; an address typed on a list has no account, so
its messages carry a link of its own: ``<public address>/?desinscription=<token>``, the token
signed with the installation's secret key (list and address), honoured by the app's
« Désinscription » page (``ui/unsubscribe.py``) after a click on its button (a mail scanner
opening the link does not unsubscribe anyone). The page only answers GET, so the messages carry
no ``List-Unsubscribe-Post`` (RFC 8058 one-click needs a POST endpoint): their ``List-Unsubscribe``
header gives the link and a ``mailto:`` to the sender. Without a public address for the app (a
local run) the link would lead nowhere: only the ``mailto:`` is given, and the footer says to
reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import quote, urlencode

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from curation.digest.models import FAILED, PENDING, SKIPPED, Delivery, Digest, DigestList
from curation.urls import web_url
from workbench.errors import UserError
from workbench.public_address import is_public_base
from workbench.settings import get_settings
from workbench.wording import quoted

QUERY_PARAM = "desinscription"
_SALT = "digest-unsubscribe"


@dataclass(frozen=True)
class UnsubscribeLinks:
    """Where an outside recipient of a list unsubscribes: the app's page (empty without a public
    address) and a mail to the sender."""

    list_name: str
    url: str
    mailto: str

    @property
    def header(self) -> str:
        """The ``List-Unsubscribe`` value (RFC 2369)."""
        return ", ".join(f"<{link}>" for link in (self.url, self.mailto) if link)


@dataclass(frozen=True)
class UnsubscribeRequest:
    list_id: int
    list_name: str
    email: str
    subscribed: bool  # False: already removed


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt=_SALT)


def unsubscribe_links(
    base_url: str, list_id: int, list_name: str, email: str, sender: str
) -> UnsubscribeLinks:
    """The links an outside recipient gets (``base_url``: the app's public address)."""
    base = web_url(base_url)
    url = ""
    if is_public_base(base):
        token = _serializer().dumps([list_id, email.lower()])
        url = f"{base.rstrip('/')}/?{urlencode({QUERY_PARAM: token})}"
    address = parseaddr(sender)[1]
    subject = quote(f"Désinscription de la revue {quoted(list_name)}")
    return UnsubscribeLinks(list_name, url, f"mailto:{address}?subject={subject}" if address else "")


def _decode(session: Session, token: str) -> tuple[DigestList, str]:
    try:
        list_id, email = _serializer().loads(token or "")
    except (BadSignature, ValueError, TypeError):
        raise UserError(
            "Ce lien de désinscription n’est pas valide\u00a0: copiez-le en entier depuis l’e-mail reçu."
        ) from None
    row = session.get(DigestList, int(list_id))
    if row is None:
        raise UserError("Cette liste de diffusion n’existe plus\u00a0: vous ne recevrez plus sa revue.")
    return row, str(email)


def read_request(session: Session, token: str) -> UnsubscribeRequest:
    """What the link is for (the page shows it before the click)."""
    row, email = _decode(session, token)
    subscribed = email in {a.lower() for a in row.addresses or []}
    return UnsubscribeRequest(row.id, row.name, email, subscribed)


def unsubscribe(session: Session, token: str) -> UnsubscribeRequest:
    """Remove the address from the list and drop its deliveries still waiting to be sent."""
    row, email = _decode(session, token)
    before = list(row.addresses or [])
    row.addresses = [a for a in before if a.lower() != email]
    session.execute(
        update(Delivery)
        .where(
            Delivery.email == email,
            Delivery.user_id.is_(None),
            Delivery.status.in_((PENDING, FAILED)),
            Delivery.digest_id.in_(select(Digest.id).where(Digest.list_id == row.id)),
        )
        .values(status=SKIPPED)
        .execution_options(synchronize_session=False)
    )
    return UnsubscribeRequest(row.id, row.name, email, len(row.addresses) != len(before))
