"""The digest's HTML e-mail, plain text and Markdown: well-formed, escaped, small, in French."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import lxml.etree as etree
import lxml.html
import pytest
from markdown_it import MarkdownIt

from curation.bundled_images import DEMO_IMAGE_URL, data_uri
from curation.digest.draft import DigestDraft, DigestItem, SourceLink
from curation.digest.render import render_digest, subject_for
from curation.sanitize import squeeze

DAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & « guillemets »'


def item(i: int, **kw) -> DigestItem:
    values = {
        "entry_id": i,
        "title": f"Titre {i}",
        "summary": f"Résumé {i}.",
        "link": f"https://news.example/{i}?a=1&b=2",
        "section": "Réseaux",
        "sources": [SourceLink("Le Blog", f"https://news.example/{i}")],
    }
    values.update(kw)
    return DigestItem(**values)


def draft(items, **kw) -> DigestDraft:
    return DigestDraft(1, "Promo CM 2026", DAY, NOW, NOW, items, **{"app_url": "http://127.0.0.1:8501", **kw})


def test_subject_has_the_french_date():
    assert subject_for(DAY) == "Revue de veille du samedi 21 novembre 2026"


def test_html_is_well_formed_xml_with_colour_schemes_tables_and_inline_styles():
    out = render_digest(
        draft(
            [item(1, image_url="https://img.example/1.jpg", original_title="Original title", language="en")]
        )
    )
    root = etree.fromstring(out.html.encode("utf-8"))  # strict: every tag closed, entities valid
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    metas = {m.get("name"): m.get("content") for m in root.iterfind(".//h:meta", ns) if m.get("name")}
    assert metas["color-scheme"] == "light dark"
    assert root.find(".//h:table", ns) is not None
    img = root.find(".//h:img", ns)
    assert img.get("alt") == "Titre 1" and img.get("src") == "https://img.example/1.jpg"
    assert 'style="' in out.html and "Titre original" in out.html and 'lang="en"' in out.html
    assert "Original title" in out.html


def test_outside_text_is_escaped_everywhere():
    hostile = item(1, title=HOSTILE, summary=HOSTILE, sources=[SourceLink(HOSTILE, "javascript:alert(1)")])
    out = render_digest(draft([hostile], intro=HOSTILE))
    doc = lxml.html.document_fromstring(out.html)
    assert not doc.xpath("//script") and not doc.xpath("//img[@onerror]")
    assert "javascript:" not in out.html
    assert "&lt;script&gt;" in out.html
    assert "\\<script>" in out.markdown and not re.search(r"(?<!\\)<(script|img)", out.markdown)


def test_unsafe_links_and_images_are_dropped():
    out = render_digest(draft([item(1, link="javascript:alert(1)", image_url="data:image/png;base64,AAAA")]))
    doc = lxml.html.document_fromstring(out.html)
    assert not doc.xpath("//img")
    assert not [a for a in doc.xpath("//a/@href") if not a.startswith("http")]


def test_fifty_long_items_stay_under_100_kb():
    items = [
        item(
            i,
            title="Un titre assez long pour remplir la ligne " * 7,
            original_title="A rather long original title " * 9,
            summary="Une phrase de résumé en français. " * 9,
            image_url=f"https://img.example/{i}.jpg",
            sources=[SourceLink(f"Source {k}", f"https://s{k}.example/{i}") for k in range(8)],
            section=f"Section {i % 5}",
        )
        for i in range(50)
    ]
    out = render_digest(draft(items, intro="Bonjour à toutes et à tous.\n\nBonne lecture."))
    assert len(out.html.encode("utf-8")) < 100_000
    etree.fromstring(out.html.encode("utf-8"))
    assert out.html.count("<h3") == 50  # more compact, but every item is there
    assert out.text.count("\n   Source") == 50  # the text part is never shortened


def test_a_usual_digest_keeps_pictures_and_five_sources():
    items = [
        item(i, image_url=f"https://img.example/{i}.jpg", sources=[SourceLink(f"S{k}", "") for k in range(8)])
        for i in range(15)
    ]
    out = render_digest(draft(items))
    assert out.html.count("<img") == 15
    assert "et 3 autres" in out.html  # five sources shown, the others counted


def test_plain_text_and_markdown_carry_every_item_and_link():
    items = [item(1), item(2, section="Anglais", original_title="Original", note="À lire avant jeudi")]
    out = render_digest(draft(items, intro="Bonjour"))
    for part in (out.text, out.markdown):
        assert "Titre 1" in part and "Titre 2" in part and "Bonjour" in part
    assert "https://news.example/1?a=1&b=2" in out.text
    assert "[Titre 1](https://news.example/1?a=1&b=2)" in out.markdown
    assert "## Anglais" in out.markdown and "== Anglais ==" in out.text
    assert "Le mot du formateur\u00a0: À lire avant jeudi" in out.text


def test_empty_digest_says_so():
    out = render_digest(draft([]))
    assert "Aucun nouvel article" in out.text and "Aucun nouvel article" in out.html


def test_a_bundled_picture_is_absolute_under_a_public_address_and_unknown_ones_are_dropped():
    items = [
        item(1, image_url=DEMO_IMAGE_URL + "video.svg"),  # a pin of a demo entry
        item(2, image_url=data_uri("calendar.svg")),  # a demo entry: its picture inlined
        item(3, image_url=DEMO_IMAGE_URL + "absent.svg"),
        item(4, image_url=DEMO_IMAGE_URL + "../../secrets.toml"),
    ]
    public = render_digest(draft(items, app_url="https://atelier.example.org"))
    assert lxml.html.document_fromstring(public.html).xpath("//img/@src") == [
        "https://atelier.example.org/app/static/demo/video.svg",
        "https://atelier.example.org/app/static/demo/calendar.svg",
    ]
    local = render_digest(draft(items))  # http://127.0.0.1:8501: the send step attaches them
    assert lxml.html.document_fromstring(local.html).xpath("//img/@src") == [
        "/app/static/demo/video.svg",
        "/app/static/demo/calendar.svg",
    ]
    assert "static" not in local.markdown and "static" not in local.text  # neither shows pictures


# What a chat tool or a notes app reads: CommonMark with GFM's strikethrough and tables.
_COMMONMARK = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_COMMONMARK.validateLink = lambda url: True  # see every link the digest writes, javascript: ones included
FRENCH_TITLES = [
    "Instagram\u00a0: les nouveautés de la semaine\u00a0! Version 2.0.",
    "[Vidéo] Les 5 tendances TikTok de 2027 (et comment s’en servir)",
    "Étude\u00a0: 73,5 % des marques publient 3 fois par semaine - ou plus ?",
    "Le C# et le snake_case_des_devs, #CM2027 @agence",
    "« Citation » & réponse = 100 % + 1 ; a > b < c",
]
HOSTILE_TITLES = [
    "[x](javascript:alert(1))",
    "![pixel](http://tracker.test/t.png)",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<http://tracker.test/auto>",
    "**gras** _italique_ ~~barré~~ `code`",
    "[x]\n\n[x]: http://tracker.test/ref",
    "# Titre",
    "> citation",
    "- liste",
    "1. liste",
    "---",
    "===",
    "```",
    "&lt;script&gt; &#106;avascript:",
    "a \\*b\\* c \\",
    "[a [b](http://tracker.test/) c]",
    "a ]( b ) [",
    "fin #",
    "--- | ---",
]


def _item_texts(md: str) -> tuple[list[str], list[tuple[str, str]]]:
    """What a Markdown reader shows of a digest: every text run joined per block, and each link
    (its text, its address); images, raw HTML and code spans are reported as such."""
    blocks, links, current, href = [], [], [], None
    for token in _COMMONMARK.parse(md):
        for node in token.children or []:
            if node.type in ("image", "html_inline", "code_inline"):
                blocks.append(f"\0{node.type}")
            elif node.type == "link_open":
                href, label = str(node.attrGet("href")), []
            elif node.type == "link_close":
                links.append(("".join(label), href))
                href = None
            elif node.type in ("text", "softbreak"):
                content = node.content if node.type == "text" else "\n"
                current.append(content)
                if href is not None:
                    label.append(content)
        if token.type in ("html_block", "code_block", "fence", "hr", "table_open"):
            blocks.append(f"\0{token.type}")
        if token.type == "inline":
            blocks.append("".join(current))
            current = []
    return blocks, links


@pytest.mark.parametrize("title", FRENCH_TITLES + HOSTILE_TITLES)
def test_markdown_reads_as_the_text_itself_with_no_needless_backslash(title):
    one_line = squeeze(title)
    items = [
        item(
            1,
            title=title,
            summary=title,
            original_title=title,
            note=title,
            sources=[SourceLink(title, "https://s.example/1")],
        ),
        item(2, title=title, link="javascript:alert(1)", section=title, sources=[SourceLink(title, "")]),
    ]
    md = render_digest(draft(items, intro=title)).markdown
    blocks, links = _item_texts(md)
    assert links == [(one_line, "https://news.example/1?a=1&b=2"), (one_line, "https://s.example/1")]
    assert not [b for b in blocks if b.startswith("\0")], md  # no image, HTML, code, rule or table
    assert one_line in blocks  # the intro paragraph, as written
    assert f"Titre original\u00a0: {one_line}" in "".join(blocks)
    assert f"Le mot du formateur\u00a0: {one_line}" in "".join(blocks)
    tokens = [t.type for t in _COMMONMARK.parse(md)]
    assert tokens.count("heading_open") == 3  # the subject and the two sections, nothing more
    assert tokens.count("blockquote_open") == 1 and tokens.count("bullet_list_open") == 2
    emphasis = [n.type for t in _COMMONMARK.parse(md) for n in t.children or [] if n.type.endswith("_open")]
    assert emphasis.count("em_open") == 1 and emphasis.count("strong_open") == 2 and "s_open" not in emphasis
    if title in FRENCH_TITLES:
        assert title.split()[0] in md and "\\:" not in md and "\\!" not in md and "\\." not in md
