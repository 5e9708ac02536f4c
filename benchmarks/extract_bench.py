"""Article extraction: every candidate side by side, token precision/recall/F1 against the
expected text, pages per second.

    python benchmarks/extract_bench.py [--pages 60] [--real DIR ...]

``--real DIR``: real pages with their expected bodies, as ``DIR/html/NAME.html`` beside
``DIR/txt/NAME.txt`` (or ``DIR/snippets/NAME.json``). The project ships none (they are third-party
pages); three source distributions on PyPI hold such pages (``docs/PERFORMANCE.md`` gives the
commands, ``benchmarks/extract_sets.py`` lays the last two out):

- newspaper4k 0.9.6: 23 news pages in 8 languages, ``tests/data`` already in this layout; expected
  texts made with newspaper's own extractor (checked by its authors), which favours newspaper.
- article-extractor 0.5.9: 28 English blog and news pages; expected bodies cut by a selector
  chosen by hand for each site (« manually curated selector + node cleanup »).
- trafilatura 1.1.0: 83 pages (mostly German blogs and news) with sentences its author wrote down
  as article text or boilerplate (``snippets/``); made for trafilatura's regression tests, they
  favour trafilatura's defaults. Scored as trafilatura's evaluation does (snippets found or not,
  summed over pages).

Real pages are scored whole and in two halves (pages sorted by name, alternately); the settings
were first chosen on the first half of the newspaper4k set, the second half is the held-out
figure.

Candidates: the project's default (``extract_article``, metadata included), the same with the
blocks trafilatura's balanced pass keeps between two of its precise text's blocks (measured, not
the default: ``docs/PERFORMANCE.md``), trafilatura's settings (fallbacks on or off — its fallbacks are its bundled readability port and jusText —,
favor_precision, favor_recall, tables), readability-lxml when installed, and the installed
newspaper (newspaper3k from requirements.txt; newspaper4k in a separate environment, as both are
imported as ``newspaper``). rs-trafilatura 0.1.1 is published as a source distribution only and
its build downloads Rust crates, so it cannot be installed here.

Scoring: tokens as ``curation.textnorm`` makes them (Latin script), plus each letter of other
scripts (Arabic, Chinese, Thai… have no Latin words to count).

The local corpus: news-like articles (French and English, from the story corpus) laid out as four
kinds of real pages — a WordPress blog, a news site with JSON-LD and a cookie banner, a magazine
with related-article lists and comments, a minimal page — with navigation, sidebars, share
buttons and footers around the article. The gold text is the article's paragraphs.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import html
import importlib.metadata
import importlib.util
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lxml.html
import trafilatura
from lxml.etree import Element, _Element
from trafilatura.core import _forum_thread_page, _prepare_tree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.utils import decode_file
from trafilatura.xml import xmltotxt
from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH, REMOVE_COMMENTS_XPATH

from benchmarks.story_corpus import generate
from curation.extract import extract_article
from curation.textnorm import tokens

URL = "https://site.example/a"
_OTHER_SCRIPTS = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")

NAV = (
    "<nav><ul>"
    + "".join(
        f"<li><a href='/{w}'>{w}</a></li>"
        for w in ["Accueil", "Actualités", "Réseaux", "Outils", "Emploi", "Contact"]
    )
    + "</ul></nav>"
)
SHARE = "<div class='share'>Partager sur <a href='#'>Facebook</a> <a href='#'>X</a> <a href='#'>LinkedIn</a></div>"
FOOTER = "<footer><p>© 2026 {site}. Tous droits réservés.</p><p><a href='/mentions'>Mentions légales</a> · <a href='/cgu'>CGU</a> · <a href='/cookies'>Cookies</a></p></footer>"
COOKIES = "<div id='cookie-banner'><p>Nous utilisons des cookies pour mesurer l’audience et vous proposer des contenus adaptés. <button>Accepter</button> <button>Refuser</button></p></div>"


def _related(rng: random.Random, others: list[str]) -> str:
    items = "".join(
        f"<li><a href='/a/{i}'>{html.escape(t)}</a></li>" for i, t in enumerate(rng.sample(others, 5))
    )
    return f"<aside class='related'><h3>À lire aussi</h3><ul>{items}</ul></aside>"


def _comments(rng: random.Random) -> str:
    bodies = [
        "Merci pour cet article très clair !",
        "Je ne suis pas d’accord avec la conclusion.",
        "Quelqu’un a testé en agence ?",
        "Great summary, thanks.",
        "Source ?",
    ]
    items = "".join(
        f"<li class='comment'><b>Lecteur {i}</b><p>{b}</p></li>" for i, b in enumerate(rng.sample(bodies, 3))
    )
    return f"<section id='comments'><h3>3 commentaires</h3><ol>{items}</ol></section>"


def page(
    rng: random.Random, layout: int, title: str, paragraphs: list[str], lang: str, others: list[str]
) -> str:
    site = ["Le Blog du CM", "La Dépêche Tech", "Social Mag", "Veille Express"][layout]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    head = f"<html lang='{lang}'><head><meta charset='utf-8'><title>{html.escape(title)} | {site}</title>"
    if layout == 0:  # WordPress blog
        return (
            head
            + f"<meta property='og:site_name' content='{site}'><meta property='og:image' content='/wp-content/uploads/a.jpg'></head><body>"
            f"<header><div class='logo'>{site}</div>{NAV}</header><div id='content'><article class='post'><h1 class='entry-title'>{html.escape(title)}</h1>"
            f"<div class='entry-meta'>Publié le 20 novembre 2026 par Camille</div><div class='entry-content'>{body}</div>{SHARE}</article>"
            f"<aside id='sidebar'><h3>Catégories</h3><ul><li>Stratégie</li><li>Outils</li><li>Emploi</li></ul></aside></div>{FOOTER.format(site=site)}</body></html>"
        )
    if layout == 1:  # news site with JSON-LD and a cookie banner
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": "2026-11-20T09:15:00+01:00",
            "image": ["https://cdn.example/img/1.jpg"],
            "publisher": {"@type": "Organization", "name": site},
        }
        ld = f'<script type="application/ld+json">{json.dumps(data)}</script>'
        return (
            head
            + ld
            + f"</head><body>{COOKIES}<header>{NAV}</header><main><h1>{html.escape(title)}</h1><p class='chapo'><strong>{html.escape(paragraphs[0])}</strong></p>"
            f"<div class='article-body'>{''.join(f'<p>{html.escape(p)}</p>' for p in paragraphs[1:])}</div>{SHARE}{_related(rng, others)}</main>{FOOTER.format(site=site)}</body></html>"
        )
    if layout == 2:  # magazine with comments and related lists
        return (
            head
            + f"<meta name='twitter:image' content='https://mag.example/cover.png'></head><body><div class='top-bar'>Newsletter · Abonnement</div>{NAV}"
            f"<div class='layout'><div class='main'><h1>{html.escape(title)}</h1>{SHARE}<div class='text'>{body}</div>"
            f"<div class='newsletter-box'><p>Recevez chaque semaine l’essentiel de la veille sociale dans votre boîte mail.</p><input placeholder='Votre e-mail'></div>"
            f"{_comments(rng)}</div>{_related(rng, others)}</div>{FOOTER.format(site=site)}</body></html>"
        )
    return (
        head + f"</head><body><h1>{html.escape(title)}</h1>{body}<p><a href='/'>Retour</a></p></body></html>"
    )


def _tokens(text: str) -> list[str]:
    return tokens(text) + _OTHER_SCRIPTS.findall(text)


def f1(found: str, gold: str) -> tuple[float, float, float]:
    got, want = Counter(_tokens(found)), Counter(_tokens(gold))
    common = sum((got & want).values())
    p = common / sum(got.values()) if got else 0.0
    r = common / sum(want.values()) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def corpus(n: int, seed: int = 5) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    docs = [d for d in generate(n * 3, seed=seed) if d.text.count(". ") >= 4][:n]
    titles = [d.title for d in docs]
    pages = []
    for i, d in enumerate(docs):
        sentences = [s.strip() + "." for s in d.text.split(". ") if s.strip()]
        paragraphs = [" ".join(sentences[j : j + 2]).replace("..", ".") for j in range(0, len(sentences), 2)]
        pages.append((page(rng, i % 4, d.title, paragraphs, d.lang, titles), "\n".join(paragraphs)))
    return pages


class Snippets(NamedTuple):
    """Sentences a person wrote down as article text (wanted) and as boilerplate (unwanted)."""

    wanted: list[str]
    unwanted: list[str]


class Counts(NamedTuple):
    """Snippets of one page: wanted found, wanted missed, unwanted found."""

    found: int
    missed: int
    intruders: int


def real_pages(folder: Path) -> list[tuple[str, str | Snippets]]:
    """(page, expected text) for every ``html/NAME.html`` with a ``txt/NAME.txt``, then (page,
    snippets) for every one with a ``snippets/NAME.json``, by name."""
    pairs: list[tuple[str, str | Snippets]] = []
    for kind in ("txt", "snippets"):
        for expected in sorted((folder / kind).glob("*.*")):
            markup = folder / "html" / f"{expected.stem}.html"
            if not markup.exists():
                continue
            if kind == "txt":
                gold: str | Snippets = expected.read_text(encoding="utf-8")
            else:
                found = json.loads(expected.read_text(encoding="utf-8"))
                gold = Snippets(found["with"], found["without"])
            pairs.append((decode_file(markup.read_bytes()), gold))
    return pairs


def snippet_counts(found: str, gold: Snippets) -> Counts:
    """Which snippets the text holds (whitespace-insensitive), as trafilatura's evaluation counts."""
    text = " ".join(found.split())
    hits = sum(" ".join(s.split()) in text for s in gold.wanted)
    intruders = sum(" ".join(s.split()) in text for s in gold.unwanted)
    return Counts(hits, len(gold.wanted) - hits, intruders)


def _trafilatura(**settings: bool) -> Callable[[str], str]:
    def run(markup: str) -> str:
        found = trafilatura.extract(markup, url=URL, include_comments=False, include_images=False, **settings)
        return found or ""

    return run


# trafilatura 2.3.1's own steps for ``fast=True`` with comments off (``trafilatura_sequence``),
# run twice on one cleaned tree: favor_precision, then its balanced focus
_PRECISE = Extractor(fast=True, precision=True, comments=False, tables=True, images=False)
_BALANCED = Extractor(fast=True, comments=False, tables=True, images=False)


def _block_text(block: _Element) -> str:
    return " ".join("".join(block.itertext()).split())


def _between(precise: _Element, balanced: _Element) -> _Element:
    """The precise body's blocks in order, plus the balanced body's blocks lying between two of
    them (each precise block found in the balanced body by its text, in document order). Nothing
    before the first precise block or after the last: readers' comments and related articles."""
    blocks = list(balanced)
    texts = [_block_text(block) for block in blocks]
    merged, last = Element("body"), None
    for block in list(precise):
        text = _block_text(block)
        start = 0 if last is None else last + 1
        found = next((k for k in range(start, len(texts)) if texts[k] == text), None)
        if found is not None:
            if last is not None:
                merged.extend(blocks[last + 1 : found])
            last = found
        merged.append(block)
    return merged


def _text_with_between(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """favor_precision's text plus the balanced pass's blocks between its blocks: one parse, one
    cleaning, two passes (``extract_article``'s text step swapped for this one)."""
    tree = copy.copy(tree)
    forum = _forum_thread_page(tree)  # posts are the content there: the precise pass alone
    tree = prune_unwanted_nodes(tree, RAW_TREE_PRUNE_XPATH)
    tree = prune_unwanted_nodes(tree, REMOVE_COMMENTS_AND_LISTS_XPATH)
    converted = _prepare_tree(tree, _BALANCED, url)[0]
    spare = None if forum else copy.copy(converted)  # extract_content moves the blocks it takes
    if spare is not None:
        converted = prune_unwanted_nodes(converted, REMOVE_COMMENTS_XPATH)
    body, text = extract_content(converted, _PRECISE)
    if len(text) < _PRECISE.min_output_size:
        return None
    if spare is not None and len(body) > 1:
        body = _between(body, extract_content(spare, _BALANCED)[0])
    return xmltotxt(body, include_formatting=False)


def _default_with_between(markup: str) -> str:
    with mock.patch("curation.extract._article_text", _text_with_between):
        return extract_article(markup, URL).text


def _readability(markup: str) -> str:
    from readability import Document

    summary = lxml.html.fromstring(Document(markup).summary(html_partial=True))
    blocks = summary.iter("p", "h2", "h3", "h4", "li", "blockquote", "pre")
    return "\n".join(block.text_content() for block in blocks) or summary.text_content()


def candidates() -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {
        "project default (extract_article)": lambda markup: extract_article(markup, URL).text,
        "project default + balanced blocks between its blocks": _default_with_between,
        "trafilatura, fallbacks": _trafilatura(include_tables=False),
        "trafilatura, fast": _trafilatura(fast=True, include_tables=False),
        "trafilatura, fast, tables": _trafilatura(fast=True, include_tables=True),
        "trafilatura, precision, fallbacks": _trafilatura(favor_precision=True, include_tables=False),
        "trafilatura, precision, fast": _trafilatura(favor_precision=True, fast=True, include_tables=False),
        "trafilatura, precision, fast, tables": _trafilatura(
            favor_precision=True, fast=True, include_tables=True
        ),
        "trafilatura, precision, fallbacks, tables": _trafilatura(favor_precision=True, include_tables=True),
        "trafilatura, fallbacks, tables (its defaults)": _trafilatura(include_tables=True),
        "trafilatura, recall, fast": _trafilatura(favor_recall=True, fast=True, include_tables=False),
    }
    if importlib.util.find_spec("readability"):
        found[f"readability-lxml {importlib.metadata.version('readability-lxml')}"] = _readability
    spec = importlib.util.find_spec("newspaper")
    for dist in ("newspaper3k", "newspaper4k"):  # both are imported as newspaper: the one found
        try:
            owner = importlib.metadata.distribution(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
        if spec and Path(owner.locate_file("newspaper/__init__.py")) == Path(spec.origin or ""):
            found[f"{dist} {owner.version}"] = lambda markup: (
                extract_article(markup, URL, extractor="newspaper").text
            )
    return found


def score(extract: Callable[[str], str], pages: list[tuple[str, str | Snippets]]) -> tuple[list, float, int]:
    """Per-page (P, R, F1) or snippet counts, CPU seconds, pages the candidate failed on (scored
    as empty)."""
    scores, failed = [], 0
    for markup, _ in pages:  # warm-up: one-time costs (dateparser compiles its regexes) apart
        with contextlib.suppress(Exception):  # scored below
            extract(markup)
    t0 = time.process_time()
    for markup, gold in pages:
        try:
            text = extract(markup)
        except Exception:  # a candidate that crashes on a page scores it empty
            text, failed = "", failed + 1
        scores.append(snippet_counts(text, gold) if isinstance(gold, Snippets) else f1(text, gold))
    return scores, time.process_time() - t0, failed


def totals(scores: list) -> tuple[float, float, float]:
    """P, R, F1: the mean over pages of text scores; from the sums of snippet counts (found
    wanted over all found, over all wanted), as trafilatura's evaluation does."""
    if not all(isinstance(s, Counts) for s in scores):
        p, r, f = (statistics.mean(s[k] for s in scores) for k in range(3))
        return p, r, f
    found, missed, intruders = (sum(s[k] for s in scores) for k in range(3))
    p = found / (found + intruders) if found + intruders else 0.0
    r = found / (found + missed) if found + missed else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--real", type=Path, action="append", default=[], help="html/ + txt/ folder")
    parser.add_argument("--only", action="append", default=[], help="candidates whose name starts so")
    args = parser.parse_args()
    sets = [(f"local corpus, {args.pages} pages written here, 4 layouts", corpus(args.pages))]
    sets += [
        (f"real pages, {folder} ({len(real_pages(folder))} pages)", real_pages(folder))
        for folder in args.real
    ]
    chosen = {n: c for n, c in candidates().items() if not args.only or n.startswith(tuple(args.only))}
    for title, pages in sets:
        print(title)
        print(f"  {'candidate':44} {'P':>5} {'R':>5} {'F1':>5} {'tune':>5} {'held':>5} {'pages/s':>8} failed")
        for name, extract in chosen.items():
            scores, seconds, failed = score(extract, pages)
            p, r, f = totals(scores)
            tune, held = totals(scores[0::2])[2], totals(scores[1::2])[2]
            print(
                f"  {name:44} {p:.3f} {r:.3f} {f:.3f} {tune:.3f} {held:.3f} "
                f"{len(pages) / seconds:8.1f} {failed}",
                flush=True,
            )


if __name__ == "__main__":
    main()
