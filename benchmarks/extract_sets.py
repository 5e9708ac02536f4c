"""Real pages with expected bodies from other projects' source distributions, laid out as
``DEST/html/NAME.html`` + ``DEST/txt/NAME.txt`` (or ``DEST/snippets/NAME.json``) for
``extract_bench.py --real DEST``.

    python -m benchmarks.extract_sets article-extractor SRC DEST
    python -m benchmarks.extract_sets trafilatura-realworld SRC DEST

The project ships none of these pages (they are third-party pages); the command that gets each
set is in ``docs/PERFORMANCE.md`` (« Article extraction »).

``article-extractor``: the fixtures of article-extractor 0.5.9's source distribution,
``tests/fixtures/fullpage_to_article_html/<host>/<case>/`` with ``raw.html`` (the whole page as a
browser rendered it), ``expected.html`` (the article area, cut by a selector chosen by hand for
each site and cleaned: ``meta.json`` says « manually curated selector + node cleanup ») and
``meta.json``. The expected text is the text of ``expected.html``, one line per block.

``trafilatura-realworld``: the pages of trafilatura 1.1.0's source distribution (``tests/cache/``)
that its ``tests/realworld_tests.py`` checks, each with the sentences its author wrote down as
article text (``'…' in result``) and as boilerplate (``'…' not in result``). Written by a person,
but for trafilatura's own regression tests: they favour trafilatura (its defaults, comments
included). Scored as trafilatura's evaluation does: snippets found or not, summed over pages.
"""

from __future__ import annotations

import argparse
import ast
import json
from pathlib import Path

import lxml.html
from lxml.html import defs

BLOCKS = defs.block_tags | {
    "article",
    "aside",
    "br",
    "figcaption",
    "figure",
    "footer",
    "header",
    "main",
    "nav",
    "section",
}
_BREAK = "\u2029"  # paragraph separator: marks the end of a block until lines are made


def block_text(markup: str) -> str:
    """The text of an HTML fragment, a line break after each block element (no words glued)."""
    root = lxml.html.document_fromstring(markup)
    for node in root.xpath("//script|//style|//noscript|//template"):
        node.drop_tree()
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag in BLOCKS:
            node.tail = _BREAK + (node.tail or "")  # the markup's own line breaks are spaces
    lines = (" ".join(line.split()) for line in root.text_content().split(_BREAK))
    return "\n".join(line for line in lines if line)


def article_extractor_set(src: Path, dest: Path) -> int:
    """article-extractor's ``fullpage_to_article_html`` fixtures → ``dest``; how many pages."""
    count = 0
    for meta in sorted(src.glob("*/*/meta.json")):
        case = meta.parent
        raw, expected = case / "raw.html", case / "expected.html"
        if not (raw.exists() and expected.exists()):
            continue
        name = f"{case.parent.name}--{case.name}"
        (dest / "html").mkdir(parents=True, exist_ok=True)
        (dest / "txt").mkdir(parents=True, exist_ok=True)
        (dest / "html" / f"{name}.html").write_bytes(raw.read_bytes())
        text = block_text(expected.read_text(encoding="utf-8"))
        (dest / "txt" / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        count += 1
    return count


def _snippets(test: ast.expr) -> tuple[list[str], list[str]]:
    """(wanted, unwanted) snippets of ``'a' in result and 'b' not in result …``."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for node in ast.walk(test):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
            and len(node.ops) == 1
            and isinstance(node.comparators[0], ast.Name)
            and node.comparators[0].id == "result"
        ):
            if isinstance(node.ops[0], ast.In):
                wanted.append(node.left.value)
            elif isinstance(node.ops[0], ast.NotIn):
                unwanted.append(node.left.value)
    return wanted, unwanted


def trafilatura_realworld_set(src: Path, dest: Path) -> int:
    """trafilatura 1.1.0's ``tests/`` (realworld_tests.py + cache/) → ``dest``; how many pages."""
    module = ast.parse((src / "realworld_tests.py").read_text(encoding="utf-8"))
    files: dict[str, str] = {}
    checks: dict[str, tuple[list[str], list[str]]] = {}
    page = None
    for node in module.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "MOCK_PAGES" for t in node.targets):
            files = ast.literal_eval(node.value)
        elif isinstance(node, ast.FunctionDef) and node.name == "test_extract":
            for statement in _statements(node.body):
                call = statement.value if isinstance(statement, ast.Assign) else None
                if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "load_mock_page":
                    page = ast.literal_eval(call.args[0])
                elif isinstance(statement, ast.Assert) and page:
                    wanted, unwanted = _snippets(statement.test)
                    known = checks.setdefault(page, ([], []))
                    known[0].extend(wanted)
                    known[1].extend(unwanted)
    count = 0
    for url, (wanted, unwanted) in checks.items():
        markup = src / "cache" / files.get(url, "")
        if not wanted or not markup.is_file():
            continue
        name = markup.stem
        (dest / "html").mkdir(parents=True, exist_ok=True)
        (dest / "snippets").mkdir(parents=True, exist_ok=True)
        (dest / "html" / f"{name}.html").write_bytes(markup.read_bytes())
        gold = {"url": url, "with": wanted, "without": unwanted}
        (dest / "snippets" / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1))
        count += 1
    return count


def _statements(body: list[ast.stmt]):
    """The statements of a body in order, those inside ``if`` blocks included."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            yield from _statements(statement.body)


SETS = {"article-extractor": article_extractor_set, "trafilatura-realworld": trafilatura_realworld_set}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=sorted(SETS))
    parser.add_argument("src", type=Path, help="the test folder inside the unpacked sdist")
    parser.add_argument("dest", type=Path, help="where html/ and txt/ (or snippets/) are written")
    args = parser.parse_args()
    print(f"{SETS[args.kind](args.src, args.dest)} pages written to {args.dest}")


if __name__ == "__main__":
    main()
