"""A board (or a selection of its pins) as Markdown, a self-contained HTML page, or CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from curation.boards import BoardView
from curation.bundled_images import shareable_image
from curation.masonry import group_by_section, page_html
from curation.pins import RELIABILITY, PinView
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
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Markdown-inert text: its own markup characters escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _sections(board: BoardView) -> list[tuple[int, str]]:
    return [(s.id, s.title) for s in board.sections]


def export_filename(board: BoardView, extension: str) -> str:
    return file_name("tableau", board.title, extension=extension)


def to_markdown(board: BoardView, pins: Sequence[PinView]) -> str:
    lines = [f"# {_md(board.title)}", ""]
    if board.description:
        lines += [_md(board.description), ""]
    lines += [f"_{len(pins)} épingle{'s' if len(pins) > 1 else ''} — exporté le {fr_date(utcnow())}_", ""]
    for group in group_by_section(pins, _sections(board)):
        if group.title:
            lines += [f"## {_md(group.title)}", ""]
        for pin in group.pins:
            link = web_url(pin.url)
            title = _md(pin.title or pin.url)
            lines.append(f"### [{title}](<{link}>)" if link else f"### {title}")
            details = []
            if pin.note:
                details.append(f"- **Pourquoi c’est utile\u00a0:** {_md(pin.note)}")
            if pin.angle_label:
                details.append(f"- **Angle\u00a0:** {pin.angle_label}")
            if pin.tags:
                details.append("- **Étiquettes\u00a0:** " + ", ".join(f"#{_md(t)}" for t in pin.tags))
            if pin.reliability:
                details.append(f"- **Fiabilité\u00a0:** {pin.reliability}/5 ({RELIABILITY[pin.reliability]})")
            if pin.site_name or pin.published_at:
                when = f", {fr_date(pin.published_at)}" if pin.published_at else ""
                details.append(f"- **Source\u00a0:** {_md(pin.site_name)}{when}")
            if pin.description:
                details.append(f"- {_md(pin.description)}")
            if pin.credit:
                details.append(f"- _{_md(pin.credit)}_")
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
