"""``python -m curation translate``: stdin in English (or any language), French on stdout.

French errors go to stderr and the exit code is 1 when the text could not be translated (nothing
is written on stdout then, so ``… | translate > fr.txt`` never leaves a half file), 2 when there
was nothing to translate.
"""

from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from curation.cli import add_common_arguments, add_json_argument, print_json
from curation.translation.providers import PROVIDERS, provider_config
from curation.translation.service import translate_document
from workbench.cli import EXIT_FAILED, EXIT_USAGE
from workbench.db import session_scope


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "translate",
        help="traduire l’entrée standard (en français par défaut)",
        description="Lit un texte sur l’entrée standard et écrit sa traduction sur la sortie standard.",
    )
    parser.add_argument(
        "--to", dest="target", metavar="LANGUE", default="fr", help="langue cible (défaut\u00a0: fr)"
    )
    parser.add_argument(
        "--from", dest="source", metavar="LANGUE", default="auto", help="langue source (défaut\u00a0: auto)"
    )
    parser.add_argument("--provider", choices=sorted(PROVIDERS), help="service de traduction")
    parser.add_argument(
        "--provider-url", metavar="URL", help="adresse du serveur (LibreTranslate auto-hébergé)"
    )
    add_json_argument(parser)
    add_common_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text = sys.stdin.read()
    if not text.strip():
        print(
            "Rien à traduire\u00a0: envoyez le texte sur l’entrée standard "
            "(par exemple\u00a0: cat article.txt | python -m curation translate).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    config = provider_config(provider=args.provider, provider_url=args.provider_url)
    bar = tqdm(desc="Traduction", unit="requête", file=sys.stderr, disable=not sys.stderr.isatty())

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    with session_scope() as session:
        result = translate_document(
            session, text, source=args.source, target=args.target, config=config, progress=progress
        )
    bar.close()
    if not result.complete:
        print(result.message, file=sys.stderr)
        return EXIT_FAILED
    text = "\n\n".join(item.shown for item in result.items)
    if args.json:
        print_json({"text": text, "source": args.source, "target": args.target})
    else:
        sys.stdout.write(text + "\n")
    return 0
