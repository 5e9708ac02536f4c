"""Real pages with expected bodies from other projects' source distributions, laid out as
``DEST/html/NAME.html`` + ``DEST/txt/NAME.txt`` for ``extract_bench.py --real DEST``.

    python -m benchmarks.extract_sets article-extractor SRC DEST

The project ships none of these pages (they are third-party pages); the command that gets each
set is in ``docs/PERFORMANCE.md`` (« Article extraction »).

``article-extractor``: the fixtures of article-extractor 0.5.9's source distribution,
``tests/fixtures/fullpage_to_article_html/<host>/<case>/`` with ``raw.html`` (the whole page as a
browser rendered it), ``expected.html`` (the article area, cut by a selector chosen by hand for
each site and cleaned: ``meta.json`` says « manually curated selector + node cleanup ») and
``meta.json``. The expected text is the text of ``expected.html``, one line per block.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["article-extractor"])
    parser.add_argument("src", type=Path, help="the fixture folder inside the unpacked sdist")
    parser.add_argument("dest", type=Path, help="where html/ and txt/ are written")
    args = parser.parse_args()
    print(f"{article_extractor_set(args.src, args.dest)} pages written to {args.dest}")


if __name__ == "__main__":
    main()
