"""``to_text``'s fast path gives exactly the text the nh3 path gives (seeded differential test)."""

from __future__ import annotations

import html as html_module
import random
import re

import nh3
import pytest

from curation import sanitize
from curation.sanitize import to_text

PIECES = [
    " \u2028", "\u3000", "\x85", "\u202f", "\n \n",
    "Orange", " annonce ", "l’offre", " &amp; ", "&eacute;t&eacute;", "&nbsp;", "&lt;b&gt;", "&amp;lt;",
    "&#233;", "&#x27;", "&notit;", "&amp", " 5 % ", "\n", "  ", "\t", "é", "«\u00a0citation\u00a0»",
    "<p>", "</p>", "<br>", "<br/>", "</br>", "<b>", "</b>", "<i>", "</i>", "<em>", "</em>", "<strong>",
    '<a href="https://exemple.fr/?a=1&amp;b=2" title="t">', "</a>", "<span class=x>", "</span>",
    "<div>", "</div>", "<ul>", "<li>", "</li>", "</ul>", "<h2>", "</h2>", '<img src="x.png" alt="a">',
    "<blockquote>", "</blockquote>", "<P>", "</P>", "<hr/>", "<q>", "</q>",
]  # fmt: skip
TRICKY = [
    "<p>a<table><tr><td>b</td></tr>c</table></p>",
    "<pre>\nligne</pre>",
    "a<!-- commentaire -->b",
    "<p>x > y</p>",
    "<a title='a>b'>lien</a>",
    "<b>un</b>\r\ndeux\rtrois",
    "<script>alert(1)</script>texte",
    "<textarea><b>brut</b></textarea>",
    "<p>a &lt; b</p>",
    "<style>p{}</style><p>ok</p>",
    "<svg><title>t</title></svg>fin",
    "<p>5 < 6 and 7 >8</p>",
    "<p>  a \u00a0\t b  </p>\n\n \u2028<p>\u3000c\u2028\n</p>",
]


def _nh3_text(html: str) -> str:
    """The reference: ``to_text`` as it was before its fast paths (nh3, then whitespace regexes)."""
    marked = sanitize._BLOCK_END.sub("\n", html)
    bare = nh3.clean(marked, tags=set(), clean_content_tags=sanitize.DROPPED_WITH_CONTENT)
    text = re.sub(r"[ \t\r\f\v\u00a0]+", " ", html_module.unescape(bare))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


@pytest.mark.parametrize("html", TRICKY)
def test_fast_path_leaves_what_parsers_treat_specially_to_nh3(html: str) -> None:
    assert to_text(html) == _nh3_text(html)


def test_fast_path_equals_nh3_on_random_fragments() -> None:
    rng = random.Random(20261121)
    fast = 0
    for _ in range(3000):
        html = "".join(rng.choices(PIECES, k=rng.randint(1, 25)))
        assert to_text(html) == _nh3_text(html), html
        fast += sanitize._strip_simple(sanitize._BLOCK_END.sub("\n", html)) is not None
    assert fast > 2000  # the fast path is really taken


def test_plain_text_path_equals_the_reference() -> None:
    rng = random.Random(7)
    plain = [p for p in PIECES if "<" not in p and "&" not in p]
    for _ in range(2000):
        text = "".join(rng.choices(plain, k=rng.randint(1, 20)))
        assert to_text(text) == _nh3_text(text), text


def test_addresses_read_as_written_and_never_live():
    """Issue 18: feedback showed « www\\.site\\.com »; an address is a code span instead."""
    from curation.sanitize import markdown_code, markdown_readable

    assert markdown_code("https://www.site.com/a") == "`https://www.site.com/a`"
    assert markdown_code("a``b") == "```a``b```" and markdown_code("`x") == "`` `x ``"
    assert markdown_code("") == ""
    shown = markdown_readable("Ajoutez le lien : https://www.site.com/a-b. [x](javascript:alert(1))")
    assert "`https://www.site.com/a-b`\\." in shown  # sentence full stop outside the address
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in shown  # the rest stays escaped text
    assert "\u2060" not in shown.split("`")[1]
