"""The masonry wall of pins as one HTML fragment (and the self-contained export page).

Cards of different heights are packed in CSS columns, like Pinterest; the number of columns
follows the width of the wall itself (container queries), from two on a phone to six on a wide
screen. Every string comes from outside (titles, notes, sites, tags): all of it is escaped here,
links keep only http(s) addresses, images too or a bundled picture (``curation.bundled_images``),
images are lazy-loaded, and a card without image gets a coloured placeholder with the site's
initial. No script, no inline style.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from curation.bundled_images import image_src
from curation.demo import DEMO_MARK, is_demo_link
from curation.pins import RELIABILITY, PinView
from curation.urls import web_url
from workbench.localtime import fr_date

HUES = 12  # placeholder colours: .atl-hue-0 … .atl-hue-11

MASONRY_CSS = """
.atl-wall{container-type:inline-size;width:100%;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328}
.atl-wall h2.atl-section{font-size:1.05rem;font-weight:650;margin:1.2rem 0 .6rem;color:#3b3f45}
.atl-cols{columns:2;column-gap:12px}
@container (min-width:560px){.atl-cols{columns:3}}
@container (min-width:820px){.atl-cols{columns:4;column-gap:16px}}
@container (min-width:1100px){.atl-cols{columns:5}}
@container (min-width:1450px){.atl-cols{columns:6}}
.atl-pin{break-inside:avoid;-webkit-column-break-inside:avoid;page-break-inside:avoid;display:block;margin:0 0 14px;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.12),0 1px 2px rgba(0,0,0,.06)}
.atl-media,.atl-wall a.atl-media:hover{display:block;line-height:0;position:relative;text-decoration:none}
.atl-media img{width:100%;height:auto;display:block;min-height:80px;background:#eef0f3}
.atl-ph{display:flex;align-items:center;justify-content:center;aspect-ratio:4/3;color:rgba(255,255,255,.92);font-size:2.6rem;font-weight:700;letter-spacing:.02em;line-height:1}
.atl-hue-0{background:linear-gradient(135deg,#f6a38e,#e0527a)}.atl-hue-1{background:linear-gradient(135deg,#fbc56d,#f08a4b)}
.atl-hue-2{background:linear-gradient(135deg,#d9e36f,#8cbf4a)}.atl-hue-3{background:linear-gradient(135deg,#8fdcae,#36a47a)}
.atl-hue-4{background:linear-gradient(135deg,#7fd6d9,#2f94b3)}.atl-hue-5{background:linear-gradient(135deg,#8fb7f4,#4a6fd8)}
.atl-hue-6{background:linear-gradient(135deg,#b4a2f2,#7555cf)}.atl-hue-7{background:linear-gradient(135deg,#e3a3ea,#b14fbf)}
.atl-hue-8{background:linear-gradient(135deg,#f4a6c4,#cf4f86)}.atl-hue-9{background:linear-gradient(135deg,#c9b89a,#8c7356)}
.atl-hue-10{background:linear-gradient(135deg,#a9b8c9,#5c6f86)}.atl-hue-11{background:linear-gradient(135deg,#9ad0c2,#4f8f86)}
.atl-body{padding:10px 12px 12px;font-size:.86rem;line-height:1.4}
.atl-num{position:absolute;top:8px;left:8px;background:rgba(255,255,255,.9);color:#333;border-radius:999px;padding:2px 8px;font-size:.72rem;line-height:1.4;font-weight:600}
.atl-badge{display:inline-block;background:#f1e9ff;color:#5b2fb0;border-radius:999px;padding:1px 8px;font-size:.72rem;font-weight:600;margin-bottom:4px}
.atl-demo{background:#e8eaed;color:#3c4043}
.atl-title{font-size:.95rem;font-weight:650;margin:2px 0 6px;line-height:1.3;overflow-wrap:anywhere}
.atl-title a{color:inherit;text-decoration:none}.atl-title a:hover{text-decoration:underline}
.atl-note{margin:0 0 6px;padding:6px 8px;background:#fff8e1;border-radius:8px;white-space:pre-line;overflow-wrap:anywhere}
.atl-desc{margin:0 0 6px;color:#4b5058;overflow-wrap:anywhere}
.atl-tags{list-style:none;padding:0;margin:0 0 6px;display:flex;flex-wrap:wrap;gap:4px}
.atl-tags li{background:#eef1f5;border-radius:6px;padding:0 6px;font-size:.75rem;color:#3b4450}
.atl-meta,.atl-credit,.atl-comment{margin:0;color:#6a7079;font-size:.76rem;overflow-wrap:anywhere}
.atl-comment{margin-top:6px;padding:6px 8px;border-left:3px solid #4a6fd8;background:#f3f6fd;color:#26324a}
.atl-stars{color:#e0a100;letter-spacing:1px}
.atl-wall .atl-body p,.atl-wall .atl-body li{font-size:.82rem;line-height:1.4}
.atl-wall .atl-body .atl-meta,.atl-wall .atl-body .atl-credit,.atl-wall .atl-body .atl-comment{font-size:.74rem}
.atl-wall .atl-body h3.atl-demo{background:#e8eaed;color:#3c4043}
.atl-title{font-size:.95rem;padding:0;margin:2px 0 6px;line-height:1.3}
.atl-wall ul.atl-tags{padding:0;margin:0 0 6px}.atl-wall .atl-tags li{margin:0;font-size:.72rem}
.atl-clamp{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}
.atl-wall .atl-title.atl-clamp{-webkit-line-clamp:4}.atl-wall .atl-note .atl-clamp{-webkit-line-clamp:7}
.atl-wall .atl-desc.atl-clamp{-webkit-line-clamp:4}
.atl-boards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px;margin:0 0 8px}
.atl-board{border-radius:16px;overflow:hidden;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.atl-board img,.atl-board .atl-ph{width:100%;aspect-ratio:3/2;object-fit:cover;display:flex;font-size:2rem}
.atl-wall .atl-board p{margin:6px 10px 8px;font-size:.8rem;line-height:1.3}
.atl-few-1{columns:1;max-width:260px}.atl-few-2{columns:2;max-width:540px}
@container (min-width:820px){.atl-few-3{columns:3;max-width:820px}}
.atl-empty{color:#6a7079;font-style:italic}
"""


@dataclass(frozen=True)
class WallGroup:
    """Pins shown under one heading (a section), or without heading (``title == ""``)."""

    title: str
    pins: Sequence[PinView]


def hue_of(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) % HUES


def initial_of(pin: PinView) -> str:
    for source in (pin.site_name, pin.title):
        for char in source:
            if char.isalnum():
                return char.upper()
    return "•"


def _date(value: datetime | None) -> str:
    return fr_date(value, empty="")


def card_html(
    pin: PinView, number: int | None = None, *, show_comments: bool = True, standalone: bool = False
) -> str:
    """One pin card; every value escaped, every address checked (``standalone``: for a file, not the app)."""
    link = web_url(pin.url)
    image = image_src(pin.image_url, standalone=standalone)
    href = f' href="{escape(link)}" target="_blank" rel="noopener noreferrer nofollow"' if link else ""
    number_html = f'<span class="atl-num">n°\u00a0{number}</span>' if number is not None else ""
    if image:
        media = (
            f'<img src="{escape(image)}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer">'
        )
    else:
        key = pin.site_name or pin.title
        media = (
            f'<div class="atl-ph atl-hue-{hue_of(key)}" aria-hidden="true">{escape(initial_of(pin))}</div>'
        )
    tag = "a" if link else "div"
    parts = [
        f'<article class="atl-pin" data-pin="{pin.id}"><{tag} class="atl-media"{href}>{number_html}{media}</{tag}>'
    ]
    parts.append('<div class="atl-body">')
    if is_demo_link(pin.url):
        parts.append(f'<span class="atl-badge atl-demo">{DEMO_MARK}</span> ')
    if pin.angle_label:
        parts.append(f'<span class="atl-badge">{escape(pin.angle_label)}</span>')
    title = escape(pin.title or pin.url)
    parts.append(
        f'<h3 class="atl-title atl-clamp"><a{href}>{title}</a></h3>'
        if link
        else f'<h3 class="atl-title atl-clamp">{title}</h3>'
    )
    if pin.note:
        parts.append(f'<p class="atl-note"><span class="atl-clamp">{escape(pin.note)}</span></p>')
    if pin.description:
        parts.append(f'<p class="atl-desc atl-clamp">{escape(_clip(pin.description))}</p>')
    if pin.tags:
        parts.append('<ul class="atl-tags">' + "".join(f"<li>#{escape(t)}</li>" for t in pin.tags) + "</ul>")
    meta = [escape(pin.site_name)] if pin.site_name else []
    if pin.published_at:
        meta.append(escape(_date(pin.published_at)))
    if pin.reliability:
        stars = "★" * pin.reliability + "☆" * (5 - pin.reliability)
        label = escape(f"Fiabilité\u00a0: {RELIABILITY[pin.reliability]}")
        meta.append(f'<span class="atl-stars" title="{label}" aria-label="{label}">{stars}</span>')
    if meta:
        parts.append(f'<p class="atl-meta">{" · ".join(meta)}</p>')
    if pin.shown_credit:
        parts.append(f'<p class="atl-credit">{escape(pin.shown_credit)}</p>')
    if show_comments:
        for comment in pin.comments:
            parts.append(
                f'<p class="atl-comment"><strong>{escape(comment.author_name)}</strong>\u00a0: {escape(comment.body)}</p>'
            )
    parts.append("</div></article>")
    return "".join(parts)


def _clip(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def wall_html(
    groups: Iterable[WallGroup],
    *,
    numbered: bool = False,
    show_comments: bool = True,
    empty: str = "",
    standalone: bool = False,
) -> str:
    """The wall: one masonry block per group; pins numbered 1, 2, … across groups when asked."""
    out = ['<div class="atl-wall">']
    number = 0
    any_pin = False
    for group in groups:
        if not group.pins and group.title == "":
            continue
        if group.title:
            out.append(f'<h2 class="atl-section">{escape(group.title)}</h2>')
        few = f" atl-few-{len(group.pins)}" if len(group.pins) < 4 else ""
        out.append(f'<div class="atl-cols{few}">')
        for pin in group.pins:
            number += 1
            any_pin = True
            out.append(
                card_html(
                    pin, number if numbered else None, show_comments=show_comments, standalone=standalone
                )
            )
        out.append("</div>")
    if not any_pin and empty:
        out.append(f'<p class="atl-empty">{escape(empty)}</p>')
    out.append("</div>")
    return "".join(out)


def group_by_section(pins: Sequence[PinView], sections: Sequence[tuple[int, str]]) -> list[WallGroup]:
    """Pins outside any section first, then one group per section in the board's order."""
    known = {sid for sid, _ in sections}
    groups = [WallGroup("", [p for p in pins if p.section_id not in known])]
    groups += [WallGroup(title, [p for p in pins if p.section_id == sid]) for sid, title in sections]
    return groups


def page_html(title: str, intro: str, groups: Iterable[WallGroup], *, footer: str = "") -> str:
    """A self-contained page (CSS inline, no script) with the masonry wall: the HTML export."""
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src https: http: data:; '
        "style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>body{{margin:0;background:#f6f7f9}}"
        "main{max-width:1600px;margin:0 auto;padding:20px 16px}"
        "header h1{font:700 1.6rem system-ui,sans-serif;margin:0 0 .3rem}"
        "header p,footer{font:.9rem system-ui,sans-serif;color:#555;margin:0 0 1rem;white-space:pre-line}"
        f"{MASONRY_CSS}</style></head><body><main>"
        f"<header><h1>{escape(title)}</h1><p>{escape(intro)}</p></header>"
        f"{wall_html(groups, show_comments=False, standalone=True)}"
        f"<footer>{escape(footer)}</footer></main></body></html>\n"
    )


def first_pins(groups: Sequence[WallGroup], limit: int) -> list[WallGroup]:
    """The groups cut after ``limit`` pins in wall order (long boards are shown a page at a time)."""
    out: list[WallGroup] = []
    left = limit
    for group in groups:
        out.append(WallGroup(group.title, list(group.pins[: max(left, 0)])))
        left -= len(group.pins)
    return [g for g in out if g.pins or (g.title and left >= 0)]


def boards_html(boards: Sequence[tuple[str, str, int, str]]) -> str:
    """Board tiles (title, cover address, pin count, caption) in a responsive grid."""
    tiles = []
    for title, cover, count, caption in boards:
        image = image_src(cover)
        media = (
            f'<img src="{escape(image)}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer">'
            if image
            else f'<div class="atl-ph atl-hue-{hue_of(title)}" aria-hidden="true">{escape((title or "•")[0].upper())}</div>'
        )
        label = f"{count} épingle{'s' if count > 1 else ''}" + (f" · {caption}" if caption else "")
        tiles.append(
            f'<div class="atl-board">{media}<p><strong>{escape(title)}</strong><br>{escape(label)}</p></div>'
        )
    return '<div class="atl-wall"><div class="atl-boards">' + "".join(tiles) + "</div></div>"
