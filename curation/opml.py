"""OPML import and export: nested outlines become folders ("Parent / Child").

Exports from Feedly, Inoreader, FreshRSS, NetNewsWire and others import as they are. The whole
file is read and checked before anything is written, and the import runs in the caller's single
transaction: a broken file gets a French message and imports nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from sqlalchemy.orm import Session

from curation.feeds import get_or_create_feed, list_subscriptions, normalise_feed_url, subscribe_feed
from curation.parse import ParseError, refuse_entity_declarations
from curation.urls import web_url
from workbench.access import Actor, require_cohort_trainer
from workbench.errors import UserError
from workbench.numbers import quantity

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_OUTLINES = 5000
FOLDER_SEPARATOR = " / "


class OpmlError(UserError):
    """An OPML file that cannot be imported; nothing was imported."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str
    folder: str
    site_url: str = ""


@dataclass
class OpmlDocument:
    title: str = ""
    feeds: list[OpmlFeed] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # outlines whose address is not a web feed
    duplicates: int = 0  # outlines repeating an address met earlier in the file


@dataclass
class ImportResult:
    added: int = 0  # new subscriptions
    already: int = 0  # subscriptions that existed
    feeds: int = 0  # feeds in the file
    folders: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0  # lines repeating a feed of the file
    feed_ids: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        """The French summary shown after an import (page and command line)."""
        text = (
            f"{quantity(self.feeds, 'flux lu', 'flux lus')}\u00a0: "
            f"{quantity(self.added, 'nouvel abonnement', 'nouveaux abonnements')}, "
            f"{quantity(self.already, 'déjà suivi', 'déjà suivis')}"
        )
        if self.duplicates:
            text += (
                f"\u00a0; {quantity(self.duplicates, 'adresse en double', 'adresses en double')} dans le fichier, "
                f"{'suivie' if self.duplicates < 2 else 'suivies'} une fois"
            )
        if not self.added:
            return text + ". Rien de nouveau à lire\u00a0: vous suiviez déjà tous ces flux."
        return text + ". Ils seront lus à la prochaine actualisation."


def _attr(node: ET.Element, name: str) -> str:
    """Attribute by name, case-insensitively (``xmlUrl``, ``xmlurl``, ``XMLURL`` all occur)."""
    for key, value in node.attrib.items():
        if key.rsplit("}", 1)[-1].lower() == name.lower():
            return value.strip()
    return ""


def parse_opml(data: bytes) -> OpmlDocument:
    """Read an OPML file; raises ``OpmlError`` (French) when it is not a usable OPML file."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError("Fichier OPML trop volumineux (plus de 5\u00a0Mo)\u00a0: rien n’a été importé.")
    try:
        refuse_entity_declarations(data)
        root = ET.fromstring(data)
    except ParseError as exc:
        raise OpmlError(
            "Fichier refusé\u00a0: il déclare des entités XML (une technique utilisée pour saturer les serveurs)"
            "\u00a0; rien n’a été importé."
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else "?"
        raise OpmlError(
            f"Ce fichier OPML est illisible (XML mal formé vers la ligne {line})\u00a0: rien n’a été importé. "
            "Exportez-le de nouveau depuis votre lecteur de flux."
        ) from exc
    if root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise OpmlError("Ce fichier n’est pas un fichier OPML\u00a0: rien n’a été importé.")
    body = next((child for child in root if child.tag.rsplit("}", 1)[-1].lower() == "body"), None)
    if body is None:
        raise OpmlError("Ce fichier OPML n’a pas de partie <body>\u00a0: rien n’a été importé.")
    head_title = root.findtext("head/title") or ""
    document = OpmlDocument(title=head_title.strip())
    count = 0
    seen: set[str] = set()

    def walk(node: ET.Element, folders: list[str]) -> None:
        nonlocal count
        for outline in node:
            if outline.tag.rsplit("}", 1)[-1].lower() != "outline":
                continue
            count += 1
            if count > MAX_OUTLINES:
                raise OpmlError(
                    f"Fichier OPML trop long (plus de {MAX_OUTLINES} lignes)\u00a0: rien n’a été importé."
                )
            label = _attr(outline, "title") or _attr(outline, "text")
            xml_url = _attr(outline, "xmlUrl")
            if xml_url:
                try:
                    url = normalise_feed_url(xml_url)
                except UserError:
                    document.skipped.append(xml_url)
                    continue
                if url in seen:
                    document.duplicates += 1
                    continue
                seen.add(url)
                document.feeds.append(
                    OpmlFeed(
                        url=url,
                        title=label,
                        folder=FOLDER_SEPARATOR.join(folders),
                        site_url=_attr(outline, "htmlUrl"),
                    )
                )
            walk(outline, [*folders, label] if not xml_url and label else folders)

    walk(body, [])
    if not document.feeds:
        raise OpmlError("Aucun flux trouvé dans ce fichier OPML\u00a0: rien n’a été importé.")
    return document


def import_opml(
    session: Session, actor: Actor, data: bytes, *, folder: str = "", cohort_id: int | None = None
) -> ImportResult:
    """Subscribe ``actor`` (or, for its trainer, a cohort) to every feed of the file, in one go."""
    document = parse_opml(data)
    if cohort_id is not None:
        require_cohort_trainer(session, actor, cohort_id)
    result = ImportResult(feeds=len(document.feeds), skipped=document.skipped, duplicates=document.duplicates)
    folders: set[str] = set()
    for item in document.feeds:
        target_folder = FOLDER_SEPARATOR.join(part for part in (folder.strip(), item.folder) if part)
        feed = get_or_create_feed(session, item.url)
        if not feed.title and item.title:
            feed.title = item.title[:500]
        if not feed.site_url:
            feed.site_url = web_url(item.site_url)[:2048]
        _, created = subscribe_feed(session, actor, feed, folder=target_folder, cohort_id=cohort_id)
        result.added += created
        result.already += not created
        result.feed_ids.append(feed.id)
        if target_folder:
            folders.add(target_folder)
    result.folders = sorted(folders, key=str.casefold)
    return result


def export_opml(session: Session, actor: Actor, *, title: str = "Atelier CM — mes sources") -> bytes:
    """My subscriptions (own and my cohorts') as OPML 2.0, folders as nested outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC), usegmt=True)
    body = ET.SubElement(root, "body")
    nodes: dict[str, ET.Element] = {"": body}
    seen: set[str] = set()
    for view in list_subscriptions(session, actor):
        if view.url in seen:
            continue
        seen.add(view.url)
        parent = body
        path = ""
        for part in [p for p in view.folder.split(FOLDER_SEPARATOR) if p.strip()]:
            path = f"{path}{FOLDER_SEPARATOR}{part}" if path else part
            if path not in nodes:
                nodes[path] = ET.SubElement(parent, "outline", text=part, title=part)
            parent = nodes[path]
        attrs = {"type": "rss", "text": view.title, "title": view.title, "xmlUrl": view.url}
        if view.site_url:
            attrs["htmlUrl"] = view.site_url
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
