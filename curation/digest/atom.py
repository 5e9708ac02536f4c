"""An Atom feed of a list's past digests, for people who prefer their feed reader to e-mail.

A list's owner may publish the feed at an unguessable address: the file ``<token>.xml`` is
written into ``settings.digest_feeds_dir`` (by default the app's ``static/digest/`` folder, which
Streamlit serves at ``/app/static/digest/`` as ``application/xml``) after each publication, and
rebuilt from the database whenever the page shows the address and the file is missing (a hosted
app's disk may be wiped on restart). Streamlit refuses files reached through a symbolic link out
of ``static/``, hence a real folder there rather than a link into the data folder; the database
stays the only source of truth. Turning the feed off deletes the file; turning it on again gives
a new address.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from lxml import html as lxml_html
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from curation.digest.lists import owned_list
from curation.digest.models import Digest, DigestList
from curation.urls import web_url
from workbench.access import Actor
from workbench.db import utcnow
from workbench.numbers import quantity
from workbench.public_address import public_base_url
from workbench.settings import get_settings

ATOM = "http://www.w3.org/2005/Atom"


def _tag_authority(base_url: str) -> str:
    host = urlsplit(base_url).hostname or "localhost"
    return f"tag:{host},2026:atelier-cm"


def body_fragment(document: str) -> str:
    """The inside of an archived e-mail's ``<body>``, as feed readers want it."""
    body = lxml_html.document_fromstring(document).body
    for hidden in body.xpath('.//div[contains(@style, "display:none")]'):
        hidden.drop_tree()  # the inbox preview line
    return "".join(lxml_html.tostring(child, encoding="unicode") for child in body)


def atom_feed(session: Session, row: DigestList, limit: int = 30) -> str:
    """Valid Atom 1.0 (RFC 4287): one entry per archived digest, newest first, HTML content."""
    digests = session.scalars(
        select(Digest).where(Digest.list_id == row.id).order_by(Digest.created_at.desc()).limit(limit)
    ).all()
    base_url = public_base_url(session)
    authority = _tag_authority(base_url)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{authority}:list:{row.id}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"Revue de veille — {row.name}"
    updated = digests[0].created_at if digests else row.created_at or utcnow()
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Atelier CM"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "Atelier CM"
    site = web_url(base_url)
    if site:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site})
    for digest in digests:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{authority}:digest:{digest.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = digest.subject
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = digest.created_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}published").text = digest.created_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = quantity(digest.item_count, "article")
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "html"}).text = body_fragment(digest.html)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def list_atom(session: Session, actor: Actor, list_id: int) -> str:
    """The Atom feed of one of ``actor``'s lists."""
    return atom_feed(session, owned_list(session, actor, list_id))


# --- the published feed ---------------------------------------------------------------------


def feeds_base_url(session: Session) -> str:
    settings = get_settings()
    return (settings.digest_feeds_url or f"{public_base_url(session)}/app/static/digest").rstrip("/")


def feed_path(token: str) -> Path:
    return get_settings().digest_feeds_dir / f"{token}.xml"


def feed_url(session: Session, token: str) -> str:
    return f"{feeds_base_url(session)}/{token}.xml"


def _write(path: Path, xml: str) -> None:
    """Atomically: a feed reader never gets half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".feed-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(xml)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


_PENDING = "digest_feed_files"  # session.info key: file actions waiting for the commit


def _run_pending(session: Session) -> None:
    for action in session.info.pop(_PENDING, []):
        action()


def _drop_pending(session: Session, _previous_transaction=None) -> None:
    session.info.pop(_PENDING, None)


def _after_commit(session: Session, action) -> None:
    """Run ``action`` once the transaction commits (dropped if it rolls back)."""
    if _PENDING not in session.info and not event.contains(session, "after_commit", _run_pending):
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_soft_rollback", _drop_pending)
    session.info.setdefault(_PENDING, []).append(action)


def refresh_feed_file(session: Session, row: DigestList) -> None:
    """Rewrite the list's public feed after this transaction commits (publication, feed turned on)."""
    if row.feed_token:
        path, xml = feed_path(row.feed_token), atom_feed(session, row)
        _after_commit(session, lambda: _write(path, xml))


def enable_feed(session: Session, actor: Actor, list_id: int) -> str:
    """Publish the list's feed at a new secret address; returns the address."""
    row = owned_list(session, actor, list_id)
    if not row.feed_token:
        row.feed_token = secrets.token_urlsafe(24)
        session.flush()
    refresh_feed_file(session, row)
    return feed_url(session, row.feed_token)


def disable_feed(session: Session, actor: Actor, list_id: int) -> bool:
    """Stop publishing: the file goes, and the old address stops working for good. Returns
    whether a feed was published."""
    row = owned_list(session, actor, list_id)
    if not row.feed_token:
        return False
    path = feed_path(row.feed_token)
    row.feed_token = None
    session.flush()
    _after_commit(session, lambda: path.unlink(missing_ok=True))
    return True


def subscription_url(session: Session, actor: Actor, list_id: int) -> str | None:
    """The list's feed address (the file rebuilt if it went missing), or None when not published."""
    row = owned_list(session, actor, list_id)
    if not row.feed_token:
        return None
    if not feed_path(row.feed_token).is_file():
        _write(feed_path(row.feed_token), atom_feed(session, row))
    return feed_url(session, row.feed_token)
