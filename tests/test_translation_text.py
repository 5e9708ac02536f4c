"""Text handling of the translation: protected spans, splitting, packing, glossary."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from curation.translation.glossary import load_glossary, parse_glossary
from curation.translation.protect import protect, restore
from curation.translation.segments import pack_requests, split_answer, split_text
from workbench.errors import UserError

EXAMPLES = Path(__file__).parent / "data" / "glossary_examples.yaml"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def test_protected_spans_are_replaced_and_restored(glossary) -> None:
    text = (
        "Hey @alice_cm, our community manager posted on Instagram: https://ex.com/a?b=1&c=(2). "
        "Mail contact@atelier.fr #CM #veille 🎉👍🏽 👩‍💻 🇫🇷 Run `pip install x` now.\n\n"
        "```\nprint('do not translate')\n```"
    )
    p = protect(text, glossary.keep_pattern())
    for span in [
        "@alice_cm",
        "community manager",
        "Instagram",
        "https://ex.com/a?b=1&c=(2)",
        # Spans separated by spaces only travel as one placeholder.
        "contact@atelier.fr #CM #veille 🎉👍🏽 👩‍💻 🇫🇷",
        "`pip install x`",
        "```\nprint('do not translate')\n```",
    ]:
        assert span in p.spans
        assert span not in p.text
    assert "posted on" in p.text and "now." in p.text
    assert restore(p.text, p.spans) == text


def test_sentence_punctuation_is_not_part_of_an_url() -> None:
    p = protect("Read https://example.com/page. Then (see https://ex.org/x).")
    assert p.spans == ("https://example.com/page", "https://ex.org/x")


def test_restore_tolerates_mangled_placeholders_and_appends_lost_ones() -> None:
    spans = ("@a", "#b", "https://c.fr", "🎉")
    assert restore("x ⟦ t0 ⟧ y [T 1] z ⟦t2⟧", spans) == "x @a y #b z https://c.fr 🎉"
    # A number the provider invented is left alone.
    assert restore("⟦T9⟧ ⟦T0⟧ ⟦T1⟧ ⟦T2⟧ ⟦T3⟧", spans) == "⟦T9⟧ @a #b https://c.fr 🎉"


def test_text_that_looks_like_a_placeholder_is_protected_itself() -> None:
    text = "Footnote [T1] and ⟦T0⟧ stay as written, @x too."
    p = protect(text)
    assert restore(p.text, p.spans) == text
    assert "[T1]" in p.spans[0] or "[T1]" in p.spans


def test_brand_case_matters_but_kept_terms_are_case_insensitive(glossary) -> None:
    p = protect("Long threads; Threads is a network. Community Manager jobs.", glossary.keep_pattern())
    assert p.spans == ("Threads", "Community Manager")
    assert p.text.startswith("Long threads")


def _random_text(rng: random.Random, size: int) -> str:
    words = ["reach", "the", "post", "@cm", "#tag", "https://a.fr/x", "engagement", "😀", "rate", "word"]
    out: list[str] = []
    while sum(map(len, out)) < size:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        out.append(sentence + rng.choice([". ", "! ", "? ", ".\n", ".\n\n", " "]))
    return "".join(out).strip()


@pytest.mark.parametrize("limit", [30, 200, 2000])
def test_split_is_exact_ordered_and_under_the_limit(limit: int) -> None:
    rng = random.Random(limit)
    for _ in range(20):
        text = _random_text(rng, rng.randint(1, 6000))
        pieces = split_text(text, limit)
        assert "".join(p.text + p.separator for p in pieces) == text
        assert all(0 < len(p.text) <= limit for p in pieces)
        assert all("\n\n" not in p.text for p in pieces)


def test_split_prefers_paragraphs_then_sentences() -> None:
    text = "First sentence here. Second one!\n\nA new paragraph. " + "x" * 30
    pieces = split_text(text, 40)
    assert [p.text for p in pieces] == [
        "First sentence here. Second one!",
        "A new paragraph.",
        "x" * 30,
    ]
    assert pieces[0].separator == "\n\n"


def test_split_of_twenty_thousand_characters() -> None:
    sentences = [f"Sentence {i:04d} says the reach grew." for i in range(600)]
    text = " ".join(sentences)
    assert len(text) > 20_000
    pieces = split_text(text, 2000)
    assert len(pieces) == len(text) // 2000 + 1
    assert all(p.text.endswith(".") for p in pieces)
    assert "".join(p.text + p.separator for p in pieces) == text


def test_packing_groups_short_pieces_under_the_limit() -> None:
    texts = ["a" * 10, "b" * 10, "c" * 30, "d" * 5]
    assert pack_requests(texts, 25) == [[0, 1], [2], [3]]
    assert split_answer("x\n\n y \n\nz", 3) == ["x", "y", "z"]
    assert split_answer("x y z", 3) is None


def test_glossary_file_is_valid_and_large_enough(glossary) -> None:
    assert len(glossary.terms) >= 40
    assert "community manager" in glossary.keep
    reach = next(t for t in glossary.terms if t.en == "reach")
    assert reach.fr == "portée"


def test_glossary_errors_are_in_french() -> None:
    with pytest.raises(UserError, match="invalide"):
        parse_glossary("terms: [{en: reach}]")
    with pytest.raises(UserError, match="double"):
        parse_glossary("terms: [{en: reach, fr: portée}, {en: Reach, fr: portée}]")
    with pytest.raises(UserError, match="YAML"):
        parse_glossary("terms: [")


def test_glossary_only_applies_terms_present_in_the_source(glossary) -> None:
    # "couverture" means media coverage here: the source has no "reach", nothing changes.
    assert glossary.apply("Press coverage was huge.", "La couverture médiatique a été énorme.") == (
        "La couverture médiatique a été énorme."
    )
    assert glossary.apply("Reach is up.", "Couverture en hausse.") == "Portée en hausse."
    assert glossary.apply("Our engagement rate", "Notre taux d'engagement") == "Notre taux d’engagement"


def test_glossary_on_recorded_machine_translations(glossary) -> None:
    """Real engines' raw outputs (recorded by hand): the glossary makes every one consistent."""
    examples = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    assert len(examples) >= 15
    for ex in examples:
        assert glossary.apply(ex["en"], ex["mt"]) == ex["expected"], ex["en"]
