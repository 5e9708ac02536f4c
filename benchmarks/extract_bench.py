"""Article extraction: token precision/recall/F1 against the gold text, and pages per second.

    python benchmarks/extract_bench.py [--pages 60]

The local corpus: news-like articles (French and English, from the story corpus) laid out as four
kinds of real pages — a WordPress blog, a news site with JSON-LD and a cookie banner, a magazine
with related-article lists and comments, a minimal page — with navigation, sidebars, share
buttons and footers around the article. The gold text is the article's paragraphs.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.story_corpus import generate
from curation.extract import extract_article
from curation.textnorm import tokens

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


def f1(found: str, gold: str) -> tuple[float, float, float]:
    got, want = Counter(tokens(found)), Counter(tokens(gold))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    pages = corpus(args.pages)
    print(f"{len(pages)} pages, 4 layouts")
    for extractor in ("trafilatura", "newspaper"):
        extract_article(pages[0][0], "https://site.example/a", extractor=extractor)  # warm-up
        scores = []
        t0 = time.perf_counter()
        for markup, gold in pages:
            scores.append(
                f1(extract_article(markup, "https://site.example/a", extractor=extractor).text, gold)
            )
        elapsed = time.perf_counter() - t0
        p, r, f = (statistics.mean(s[k] for s in scores) for k in range(3))
        print(f"  {extractor:12} P={p:.3f} R={r:.3f} F1={f:.3f}  {len(pages) / elapsed:.1f} pages/s")


if __name__ == "__main__":
    main()
