"""The digest's HTML e-mail, plain text and Markdown: well-formed, escaped, small, in French."""

from __future__ import annotations

from datetime import UTC, date, datetime

import lxml.etree as etree
import lxml.html

from curation.bundled_images import DEMO_IMAGE_URL, data_uri
from curation.digest.draft import DigestDraft, DigestItem, SourceLink
from curation.digest.render import render_digest, subject_for

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
    assert "\\<script\\>" in out.markdown and "<script>" not in out.markdown


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
