"""An Atom feed of a list's past digests, for people who prefer their feed reader to e-mail."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from lxml import html as lxml_html
from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.digest.lists import owned_list
from curation.digest.models import Digest, DigestList
from curation.sanitize import safe_link
from workbench.access import Actor
from workbench.db import utcnow
from workbench.settings import get_settings

ATOM = "http://www.w3.org/2005/Atom"


def _tag_authority() -> str:
    host = urlsplit(get_settings().public_base_url).hostname or "localhost"
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
    authority = _tag_authority()
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fr"})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{authority}:list:{row.id}"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"Revue de veille — {row.name}"
    updated = digests[0].created_at if digests else row.created_at or utcnow()
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Atelier CM"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "Atelier CM"
    site = safe_link(get_settings().public_base_url)
    if site:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site})
    for digest in digests:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{authority}:digest:{digest.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = digest.subject
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = digest.created_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}published").text = digest.created_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"{digest.item_count} article(s)"
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "html"}).text = body_fragment(digest.html)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def list_atom(session: Session, actor: Actor, list_id: int) -> str:
    """The Atom feed of one of ``actor``'s lists."""
    return atom_feed(session, owned_list(session, actor, list_id))
