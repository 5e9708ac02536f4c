"""How consistently the CM glossary's terms come out of machine translation, before and after
the glossary is applied, on recorded engine outputs (tests/data/glossary_examples.yaml).

For every glossary term present in an English example, the French text should contain the
retained term; a variant (or anything else) counts as inconsistent. Sentences without any glossary
term must come out unchanged (false replacements).

    python benchmarks/glossary_consistency.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from curation.translation.glossary import fold, load_glossary  # noqa: E402


def main() -> None:
    glossary = load_glossary()
    examples = yaml.safe_load((ROOT / "tests" / "data" / "glossary_examples.yaml").read_text("utf-8"))
    expected = before = after = untouched = untouched_ok = 0
    for ex in examples:
        source = fold(ex["en"])
        terms = [
            t
            for t in glossary.terms
            if regex.search(rf"(?<![\p{{L}}-]){regex.escape(fold(t.en))}(?![\p{{L}}-])", source)
        ]
        # A term contained in a longer matching term ("reach" in "organic reach") is counted once.
        terms = [t for t in terms if not any(o is not t and fold(t.en) in fold(o.en) for o in terms)]
        applied = glossary.apply(ex["en"], ex["mt"])
        if not terms:
            untouched += 1
            untouched_ok += applied == ex["mt"]
        for term in terms:
            expected += 1
            before += fold(term.fr) in fold(ex["mt"])
            after += fold(term.fr) in fold(applied)
    print(f"Examples: {len(examples)}; glossary terms in them: {expected}")
    print(f"Retained term used, raw engine output: {before}/{expected} ({before / expected:.0%})")
    print(f"Retained term used, glossary applied:  {after}/{expected} ({after / expected:.0%})")
    print(f"Sentences without a term left unchanged: {untouched_ok}/{untouched}")


if __name__ == "__main__":
    main()
