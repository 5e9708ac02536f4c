"""A draft as an e-mail (subject, HTML, plain text) and as Markdown for Slack, Teams or Discord.

Everything from outside (titles, summaries, source names) is plain text already (``to_text``)
and is escaped here: Jinja's autoescape for HTML, ``commonmark_text``/``commonmark_link`` for Markdown (where it
would be markup only: chat tools show a needless backslash). Links and images
are kept only when they are absolute http(s) URLs (``web_url``), or, for images, a bundled demo
picture: absolute under the app's public address, or by its app URL when the app has none, which
the send step turns into a picture attached to the message (``curation.digest.send``). The HTML
uses tables and inline styles (what mail clients render), declares light and dark colour schemes,
and stays well-formed XML so that it can be checked strictly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

from curation.bundled_images import shareable_image
from curation.digest.draft import DigestDraft, DigestItem, SourceLink
from curation.sanitize import commonmark_link, commonmark_text, squeeze
from curation.urls import web_url
from workbench.public_address import is_public_base
from workbench.wording import quoted

MAX_HTML_BYTES = 100_000  # Gmail clips messages over ~102 KB
NBSP = "\u00a0"
NNBSP = "\u202f"
_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    html: str
    text: str
    markdown: str


def french_date(day: date) -> str:
    """« samedi 21 novembre 2026 »."""
    return format_date(day, format="full", locale="fr_FR")


def subject_for(day: date) -> str:
    return f"Revue de veille du {french_date(day)}"


def _paragraphs(text: str) -> list[str]:
    return [squeeze(p) for p in re.split(r"\n[ \t\r\f\v]*\n", text or "") if p.strip()]


def _sources_label(item: DigestItem) -> str:
    return "Source" if len(item.sources) == 1 else "Sources"


@dataclass(frozen=True)
class _ItemView:
    """An item with what the template needs precomputed."""

    title: str
    original_title: str
    summary: str
    note: str
    link: str
    image_url: str
    language: str
    sources_label: str
    shown_sources: list[SourceLink]
    more_sources: int


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class _Level:
    """How much of each item fits: the e-mail is rendered again, more compact, until it is small."""

    sources: int = 5
    source_links: bool = True
    original_chars: int = 200
    summary_chars: int = 320
    images: bool = True


LEVELS = [
    _Level(),
    _Level(sources=3, original_chars=120),
    _Level(sources=2, source_links=False, original_chars=120, summary_chars=200, images=False),
]


def _view(item: DigestItem, level: _Level, image_base: str) -> _ItemView:
    shown = item.sources[: level.sources]
    return _ItemView(
        title=_cut(item.title, 200),
        original_title=_cut(item.original_title, level.original_chars),
        summary=_cut(item.summary, level.summary_chars),
        note=_cut(item.note, 500),
        link=web_url(item.link),
        image_url=shareable_image(item.image_url, image_base) if level.images else "",
        language=item.language,
        sources_label=_sources_label(item),
        shown_sources=[
            SourceLink(_cut(s.name, 80), web_url(s.link) if level.source_links else "") for s in shown
        ],
        more_sources=len(item.sources) - len(shown),
    )


def account_url(app_url: str) -> str:
    return f"{app_url.rstrip('/')}/compte" if app_url else ""


def render_html(draft: DigestDraft) -> str:
    """The e-mail under ``MAX_HTML_BYTES``: more compact items, then fewer, until it fits."""
    for level in LEVELS:
        html = _render_html(draft, level, len(draft.items))
        if len(html.encode("utf-8")) <= MAX_HTML_BYTES:
            return html
    keep = len(draft.items)
    while keep > 0 and len(html.encode("utf-8")) > MAX_HTML_BYTES:
        keep = int(keep * 0.9)
        html = _render_html(draft, LEVELS[-1], keep)
    return html


def _render_html(draft: DigestDraft, level: _Level, keep: int) -> str:
    kept = {id(i) for i in draft.items[:keep]}
    image_base = draft.app_url if is_public_base(draft.app_url) else ""
    sections = [
        (title, [_view(i, level, image_base) for i in items if id(i) in kept])
        for title, items in draft.sections()
    ]
    sections = [(title, items) for title, items in sections if items]
    preheader = _cut(" · ".join(i.title for i in draft.items[:3]), 150)
    return _env.get_template("email.html").render(
        subject=subject_for(draft.day),
        left_out=len(draft.items) - keep,
        date_label=french_date(draft.day).capitalize(),
        list_name=draft.list_name,
        cohort_name=draft.cohort_name,
        intro_paragraphs=_paragraphs(draft.intro),
        sections=sections,
        preheader=preheader,
        app_url=web_url(draft.app_url),
        account_url=account_url(web_url(draft.app_url)),
        nbsp=NBSP,
    )


_MEMBER_FOOTER = re.compile(r"<!--recipient-footer-->.*?<!--/recipient-footer-->", re.DOTALL)
_APP_LINK = re.compile(r"<!--app-link-->.*?<!--/app-link-->", re.DOTALL)
_TEXT_SIGNATURE = "Revue préparée avec Atelier CM"


def for_outside_recipient(html: str, text: str, list_name: str, unsubscribe_url: str) -> tuple[str, str]:
    """The archived HTML and text of a digest with the footer of someone outside the session (a
    client): why they receive it and how to stop (the link, or a reply without a public address),
    in place of the members' « Mon compte » footer. Without a public address (no unsubscribe
    link), the links to the app go too: they would lead to the sender's own ``localhost``."""
    why = f"Vous recevez la revue {quoted(list_name)} parce que votre adresse figure sur cette liste de diffusion."
    if unsubscribe_url:
        stop_html = (
            f'<a class="link" href="{escape(unsubscribe_url)}" style="color:#1a56b0;">'
            f"Se désinscrire</a> (un clic sur le bouton de la page qui s’ouvre)."
        )
        stop_text = f"Se désinscrire{NBSP}: {unsubscribe_url}"
    else:
        stop_html = stop_text = (
            "Pour ne plus la recevoir, répondez à ce message en demandant la désinscription."
        )
    footer = f'<p style="margin:6px 0 0 0;">{escape(why)} {stop_html}</p>'
    html = _MEMBER_FOOTER.sub(lambda _: footer, html, count=1)
    head, found, tail = text.partition(_TEXT_SIGNATURE)
    signature = found + tail.split("\n", 1)[0] if found else ""
    if not unsubscribe_url:
        html = _APP_LINK.sub("", html)
        signature = f"{found}." if found else ""
    return html, f"{head}{signature}\n{why}\n{stop_text}\n"


def render_text(draft: DigestDraft) -> str:
    """The plain-text alternative part."""
    lines = [subject_for(draft.day), draft.list_name, ""]
    for paragraph in _paragraphs(draft.intro):
        lines += [paragraph, ""]
    if not draft.items:
        lines += ["Aucun nouvel article dans vos sources depuis la dernière revue.", ""]
    number = 0
    for title, items in draft.sections():
        lines += [f"== {title} ==", ""]
        for item in items:
            number += 1
            lines.append(f"{number}. {item.title}")
            if item.original_title:
                lines.append(f"   Titre original{NBSP}: {item.original_title}")
            if item.summary:
                lines.append(f"   {item.summary}")
            if item.note:
                lines.append(f"   Le mot du formateur{NBSP}: {item.note}")
            names = ", ".join(s.name for s in item.sources)
            lines.append(f"   {_sources_label(item)}{NBSP}: {names}")
            if item.link:
                lines.append(f"   {item.link}")
            lines.append("")
    lines.append(_TEXT_SIGNATURE + (f" — {draft.app_url}" if draft.app_url else "") + ".")
    if draft.cohort_name:
        lines.append(
            f"Pour ne plus recevoir cette revue{NBSP}: Mon compte"
            + (f" ({account_url(draft.app_url)})" if draft.app_url else "")
            + f", «{NBSP}Ne pas recevoir la revue de veille{NBSP}»."
        )
    return "\n".join(lines) + "\n"


def render_markdown(draft: DigestDraft) -> str:
    """Markdown for chat tools: headings, bold links, italics for the original title."""
    lines = [f"# {commonmark_text(subject_for(draft.day), at='heading')}", ""]
    for paragraph in _paragraphs(draft.intro):
        lines += [commonmark_text(paragraph, at="line"), ""]
    if not draft.items:
        lines += ["Aucun nouvel article dans vos sources depuis la dernière revue.", ""]
    for title, items in draft.sections():
        lines += [f"## {commonmark_text(title, at='heading')}", ""]
        for item in items:
            head = commonmark_link(item.title, item.link)
            lines.append(f"- **{head}**")
            if item.original_title:
                lines.append(f"  _Titre original{NBSP}: {commonmark_text(item.original_title)}_")
            if item.summary:
                lines.append(f"  {commonmark_text(item.summary, at='line')}")
            if item.note:
                lines.append(f"  > Le mot du formateur{NBSP}: {commonmark_text(item.note)}")
            sources = ", ".join(commonmark_link(s.name, s.link) for s in item.sources)
            lines.append(f"  {_sources_label(item)}{NBSP}: {sources}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_digest(draft: DigestDraft) -> RenderedDigest:
    return RenderedDigest(
        subject=subject_for(draft.day),
        html=render_html(draft),
        text=render_text(draft),
        markdown=render_markdown(draft),
    )
