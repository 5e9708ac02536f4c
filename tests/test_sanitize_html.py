"""``sanitize_html`` with cleaners built once gives exactly what nh3 built for each call gives,
relative links resolved against each call's own base, in any thread (seeded differential test)."""

from __future__ import annotations

import random
import threading

import nh3

from curation import sanitize
from curation.sanitize import sanitize_html
from curation.urls import absolutise

PIECES = [
    "<p>", "</p>", "Texte", " l’offre ", "&amp;", "&nbsp;", "é", "<br>", "<b>", "</b>", "<em>", "</em>",
    '<a href="/relatif?a=1&amp;b=2">', '<a href="page.html" title="t">', '<a href="#ancre">',
    '<a href="javascript:alert(1)">', '<a href="https://exemple.fr/x">', '<a href="mailto:a@b.fr">',
    '<a href=" //autre.example/y ">', "</a>", '<img src="img/x.png" alt="a" onerror="x()">',
    '<img src="data:image/png;base64,AAAA">', '<img src="data:text/html,<b>">', "<script>alert(1)</script>",
    '<blockquote cite="../source">', "</blockquote>", '<q cite="q.html">', "</q>", "<iframe src=x></iframe>",
    "<!-- c -->", '<span style="color:red">', "</span>", "<table><tr><td>", "</td></tr></table>",
]  # fmt: skip
BASES = [None, "", "https://site.example/dossier/article", "http://autre.example/", "https://x.example/a/b/c"]


def _reference(html: str, base_url: str | None) -> str:
    """``sanitize_html`` as it was: nh3's configuration built for each call, the base in a closure."""

    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if (tag, attr) not in sanitize.URL_ATTRIBUTES:
            return value
        value = value.strip()
        if value.lower().startswith("data:"):
            return value if tag == "img" and sanitize.SAFE_DATA_IMAGE.match(value) else None
        if value.startswith("#") and tag == "a":
            return None
        return absolutise(value, base_url)

    return nh3.clean(
        html,
        tags=set(sanitize.ALLOWED_TAGS),
        clean_content_tags=sanitize.DROPPED_WITH_CONTENT,
        attributes={k: set(v) for k, v in sanitize.ALLOWED_ATTRIBUTES.items()},
        attribute_filter=attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def _fragments(seed: int, n: int) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    return [("".join(rng.choices(PIECES, k=rng.randint(1, 20))), rng.choice(BASES)) for _ in range(n)]


def test_equals_nh3_built_per_call_on_random_fragments() -> None:
    for html, base in _fragments(20261207, 3000):
        assert sanitize_html(html, base) == _reference(html, base), (html, base)
    assert sanitize_html('<a href="x">', None) == _reference('<a href="x">', None)  # no base left behind


def test_each_thread_resolves_links_against_its_own_base() -> None:
    cases = _fragments(23, 400)
    expected = [_reference(html, base) for html, base in cases]
    wrong: list[tuple[str, str | None]] = []

    def clean(offset: int) -> None:
        for i in range(len(cases)):
            html, base = cases[(i + offset) % len(cases)]
            if sanitize_html(html, base) != expected[(i + offset) % len(cases)]:
                wrong.append((html, base))

    threads = [threading.Thread(target=clean, args=(k * 97,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
