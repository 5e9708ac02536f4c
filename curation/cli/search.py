"""Subcommands ``search``, ``stories`` and ``extract``."""

from __future__ import annotations

import argparse
import sys

from trafilatura.utils import decode_file

from curation.cli import add_common_arguments, add_json_argument, print_json, resolve_actor
from curation.extract import extract_article
from curation.fetch import fetch_url
from curation.search import search
from curation.stories import list_stories
from workbench.db import session_scope
from workbench.errors import UserError
from workbench.localtime import fr_date, fr_datetime
from workbench.wording import quoted


def register(subparsers: argparse._SubParsersAction) -> None:
    find = subparsers.add_parser(
        "search",
        help="chercher dans les articles (mots, «\u00a0expression exacte\u00a0», OR, -exclusion)",
    )
    find.add_argument("query", metavar="REQUÊTE", help="les mots cherchés")
    find.add_argument("--user", metavar="EMAIL", help="chercher dans les sources de cette personne")
    find.add_argument(
        "--limit", metavar="N", type=int, default=20, help="nombre de résultats (défaut\u00a0: 20)"
    )
    add_json_argument(find)
    add_common_arguments(find)
    find.set_defaults(handler=run_search)

    stories = subparsers.add_parser(
        "stories", help="les sujets repris par plusieurs sources, avec leurs liens"
    )
    stories.add_argument("--user", metavar="EMAIL", help="dans les sources de cette personne")
    stories.add_argument("--limit", metavar="N", type=int, help="nombre de sujets (défaut\u00a0: tous)")
    add_json_argument(stories)
    add_common_arguments(stories)
    stories.set_defaults(handler=run_stories)

    extract = subparsers.add_parser("extract", help="extraire le texte d’un article web")
    extract.add_argument("url", metavar="URL", nargs="?", help="l’adresse de l’article")
    extract.add_argument("--stdin", action="store_true", help="lire le HTML sur l’entrée standard")
    extract.add_argument(
        "--url", dest="page_url", metavar="URL", help="avec --stdin\u00a0: l’adresse de la page"
    )
    extract.add_argument(
        "--extractor",
        choices=["trafilatura", "newspaper"],
        default="trafilatura",
        help="la bibliothèque d’extraction (défaut\u00a0: trafilatura)",
    )
    output = extract.add_mutually_exclusive_group()
    output.add_argument("--text", action="store_true", help="le texte seul")
    output.add_argument("--json", action="store_true", help="tous les champs, en un objet JSON")
    add_common_arguments(extract)
    extract.set_defaults(handler=run_extract)


def run_search(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        results = search(session, actor, args.query, limit=max(1, args.limit))
    if args.json:
        print_json(
            {
                "query": args.query,
                "count": len(results),
                "results": [
                    {
                        "entry_id": r.entry_id,
                        "title": r.title,
                        "link": r.link,
                        "source": r.feed_title,
                        "published_at": r.published_at.isoformat() if r.published_at else None,
                        "language": r.language,
                        "story_id": r.story_id,
                    }
                    for r in results
                ],
            }
        )
        return 0
    if not results:
        print(f"Aucun article ne correspond à {quoted(args.query)}.")
    for r in results:
        day = fr_date(r.published_at, empty="sans date")
        print(f"{r.title}\n  {r.feed_title} · {day} · {r.language or '?'}\n  {r.link}")
    return 0


def run_stories(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        stories = list_stories(session, actor, limit=None if args.limit is None else max(1, args.limit))
    if args.json:
        print_json(
            {
                "count": len(stories),
                "stories": [
                    {
                        "story_id": s.story_id,
                        "title": s.title,
                        "source_count": s.source_count,
                        "sources": [
                            {
                                "entry_id": src.entry_id,
                                "source": src.feed_title,
                                "title": src.title,
                                "link": src.link,
                                "published_at": src.published_at.isoformat() if src.published_at else None,
                            }
                            for src in s.sources
                        ],
                    }
                    for s in stories
                ],
            }
        )
        return 0
    if not stories:
        print("Aucun sujet n’est repris par plusieurs sources pour l’instant.")
    for s in stories:
        print(f"{s.title} — {s.source_count}\u00a0sources")
        for src in s.sources:
            print(f"  · {src.feed_title}\u00a0: {src.link}")
    return 0


def run_extract(args: argparse.Namespace) -> int:
    if args.stdin:
        html, url = decode_file(sys.stdin.buffer.read()), args.page_url
    elif args.url:
        result = fetch_url(args.url, accept="text/html,application/xhtml+xml")
        html, url = decode_file(result.content), result.final_url or args.url
    else:
        raise UserError("Indiquez l’adresse d’un article, ou --stdin avec --url pour lire du HTML.")
    article = extract_article(html, url, extractor=args.extractor)
    if args.json:
        print_json(article.to_dict())
    elif args.text:
        print(article.text)
    else:
        if not article.text:
            raise UserError("Aucun texte d’article n’a été trouvé sur cette page.")
        day = fr_datetime(article.published, empty="date inconnue")
        print(f"{article.title}\n{article.site_name or url or ''} · {day} · {article.language or '?'}")
        if article.top_image:
            print(f"Image\u00a0: {article.top_image}")
        print(f"\n{article.text}")
    return 0
