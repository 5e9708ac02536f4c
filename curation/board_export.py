"""A board (or a selection of its pins) as Markdown, a self-contained HTML page, or CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from curation.boards import BoardView
from curation.bundled_images import shareable_image
from curation.masonry import group_by_section, page_html
from curation.pins import RELIABILITY, PinView
from curation.sanitize import commonmark_link, commonmark_text
from curation.urls import web_url
from workbench.db import utcnow
from workbench.filenames import file_name
from workbench.localtime import fr_date
from workbench.spreadsheets import spreadsheet_cell
from workbench.wording import de

CSV_COLUMNS = [
    "titre",
    "lien",
    "section",
    "site",
    "date",
    "note",
    "étiquettes",
    "angle",
    "fiabilité",
    "crédit",
    "image",
    "épinglé le",
]


def _sections(board: BoardView) -> list[tuple[int, str]]:
    return [(s.id, s.title) for s in board.sections]


def export_filename(board: BoardView, extension: str) -> str:
    return file_name("tableau", board.title, extension=extension)


def to_markdown(board: BoardView, pins: Sequence[PinView]) -> str:
    lines = [f"# {commonmark_text(board.title, at='heading')}", ""]
    if board.description:
        lines += [commonmark_text(board.description, at="line"), ""]
    lines += [f"_{len(pins)} épingle{'s' if len(pins) > 1 else ''} — exporté le {fr_date(utcnow())}_", ""]
    for group in group_by_section(pins, _sections(board)):
        if group.title:
            lines += [f"## {commonmark_text(group.title, at='heading')}", ""]
        for pin in group.pins:
            if web_url(pin.url):
                lines.append(f"### {commonmark_link(pin.title, pin.url)}")
            else:
                lines.append(f"### {commonmark_text(pin.title or pin.url, at='heading')}")
            details = []
            if pin.note:
                details.append(f"- **Pourquoi c’est utile\u00a0:** {commonmark_text(pin.note)}")
            if pin.angle_label:
                details.append(f"- **Angle\u00a0:** {pin.angle_label}")
            if pin.tags:
                details.append(
                    "- **Étiquettes\u00a0:** " + ", ".join(f"#{commonmark_text(t)}" for t in pin.tags)
                )
            if pin.reliability:
                details.append(f"- **Fiabilité\u00a0:** {pin.reliability}/5 ({RELIABILITY[pin.reliability]})")
            if pin.site_name or pin.published_at:
                when = f", {fr_date(pin.published_at)}" if pin.published_at else ""
                details.append(f"- **Source\u00a0:** {commonmark_text(pin.site_name)}{when}")
            if pin.description:
                details.append(f"- {commonmark_text(pin.description, at='line')}")
            if pin.shown_credit:
                details.append(f"- _{commonmark_text(pin.shown_credit)}_")
            lines += [*details, ""]
    return "\n".join(lines).rstrip() + "\n"


def to_html(board: BoardView, pins: Sequence[PinView]) -> str:
    intro = board.description or ""
    footer = f"{len(pins)} épingle{'s' if len(pins) > 1 else ''} — tableau {de(board.owner_name)}, exporté le {fr_date(utcnow())} depuis l’Atelier CM."
    return page_html(board.title, intro, group_by_section(pins, _sections(board)), footer=footer)


def to_csv(board: BoardView, pins: Sequence[PinView], base_url: str) -> str:
    """As French spreadsheets open it, like the app's other exports: a UTF-8 BOM (else Excel reads
    « é » as « Ã© »), semicolons (a comma is the decimal separator), dates as 07/12/2026.

    A bundled demo picture is written under ``base_url`` (the app's public address), so that the cell
    opens it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pin in pins:
        row = [
            pin.title,
            pin.url,
            board.section_title(pin.section_id),
            pin.site_name,
            fr_date(pin.published_at, empty=""),
            pin.note,
            ", ".join(pin.tags),
            pin.angle_label,
            str(pin.reliability or ""),
            pin.credit,
            shareable_image(pin.image_url, base_url),
            fr_date(pin.created_at),
        ]
        writer.writerow([spreadsheet_cell(v) for v in row])
    return "\ufeff" + buffer.getvalue()
