"""Text normalisation (``curation.textnorm``) against its previous implementation, same run.

Run: ``python benchmarks/textnorm_bench.py [--runs 5] [--entries 10000] [--stories 3000]``.

Two corpora: the rules benchmark's entries (``benchmarks/rules_bench.py``, seed 7: titles and
plain-text summaries, French and English, few accents) and the story corpus
(``benchmarks/story_corpus.py``, seed 1: French and English news with accents, « ’ », « — »).
Each function (``tokens``, ``token_set``, ``content_tokens``, ``normalise_for_search``, ``fold``)
runs over every text of a corpus with its word caches emptied first; CPU time of the process,
median of ``--runs`` runs, the reference (the implementation before the byte tables and word
caches, kept by ``tests/test_textnorm_differential.py``) and the current one alternating; ratio =
reference / current. The outputs are checked equal on every text. The monitoring plugin itself is
timed by ``benchmarks/rules_bench.py``, the way a refresh runs it.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.rules_bench import make_items  # noqa: E402
from benchmarks.story_corpus import generate  # noqa: E402
from curation import textnorm  # noqa: E402
from curation.sanitize import to_text  # noqa: E402
from tests import test_textnorm_differential as ref  # noqa: E402

# The reference is the differential test's copy of the previous implementation.
REFERENCE = {
    "tokens": ref.ref_tokens,
    "token_set": ref.ref_token_set,
    "content_tokens": ref.ref_content_tokens,
    "normalise_for_search": ref.ref_normalise_for_search,
    "fold": ref.ref_fold,
}
CURRENT = {name: getattr(textnorm, name) for name in REFERENCE}


def _empty_caches() -> None:
    ref.ref_stem.cache_clear()
    textnorm._TOKENS.clear()
    textnorm._CONTENT.clear()


def _cpu(fn: Callable[[str], object], texts: list[str]) -> float:
    _empty_caches()
    start = time.process_time()
    for text in texts:
        fn(text)
    return time.process_time() - start


def corpora(entries: int, stories: int) -> dict[str, list[str]]:
    items = make_items(random.Random(7), entries)
    rules = [text for it in items for text in (it["title"], to_text(it["summary"]))]
    docs = generate(stories, seed=1)
    return {"rules_bench": rules, "story_corpus": [d.title for d in docs] + [d.text for d in docs]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=3000)
    args = parser.parse_args()
    result: dict = {"runs": args.runs}
    for corpus, texts in corpora(args.entries, args.stories).items():
        for name, reference in REFERENCE.items():
            current = CURRENT[name]
            assert all(current(t) == reference(t) for t in texts), (corpus, name)
            times: dict[str, list[float]] = {"reference": [], "current": []}
            for _ in range(args.runs):
                times["reference"].append(_cpu(reference, texts))
                times["current"].append(_cpu(current, texts))
            ref, cur = statistics.median(times["reference"]), statistics.median(times["current"])
            result[f"{corpus}/{name}"] = {
                "texts": len(texts),
                "chars": sum(map(len, texts)),
                "reference_cpu_s": round(ref, 4),
                "current_cpu_s": round(cur, 4),
                "ratio": round(ref / cur, 2),
            }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
