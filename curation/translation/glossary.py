"""The CM glossary (``curation/content/glossary.yaml``): validated at load, applied to translations.

Two mechanisms, chosen on measured examples (docs/PERFORMANCE.md, "Translation"):

- brands and kept terms (``community manager``, ``hashtag``…) are *protected* before sending:
  they must come out identical, and a placeholder cannot be mistranslated;
- translated terms are *normalised after* translation: a known variant (``couverture`` for
  *reach*) becomes the retained term (``portée``), only when the English source contains the term.
  Protecting those instead would hide the word from the engine, which then guesses articles and
  agreements blind (« le ⟦T0⟧ » → « le portée »).

The machine output is stored raw in the translation memory and the glossary is applied when it is
read, so editing the glossary improves past translations too.
"""

from __future__ import annotations

from pathlib import Path

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbench.errors import UserError
from workbench.once import cache_once

GLOSSARY_PATH = Path(__file__).resolve().parent.parent / "content" / "glossary.yaml"
_APOSTROPHES = "'’ʼ"


def fold(text: str) -> str:
    """Case and apostrophe-insensitive key."""
    return regex.sub(f"[{_APOSTROPHES}]", "’", text).casefold()


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid")

    en: str = Field(min_length=2)
    fr: str = Field(min_length=2)
    variants: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("en", "fr")
    @classmethod
    def _stripped(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError("espaces en trop au début ou à la fin")
        return value


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    brands: list[str] = Field(default_factory=list)
    keep: list[str] = Field(default_factory=list)
    terms: list[Term] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Glossary:
        seen: dict[str, str] = {}
        for label, words in (("marque", self.brands), ("terme gardé", self.keep)):
            for word in words:
                key = fold(word)
                if not word.strip() or key in seen:
                    raise ValueError(f"{label} vide ou en double\u00a0: «\u00a0{word}\u00a0»")
                seen[key] = label
        for term in self.terms:
            key = fold(term.en)
            if key in seen:
                raise ValueError(f"terme en double (ou déjà gardé tel quel)\u00a0: «\u00a0{term.en}\u00a0»")
            seen[key] = "terme"
        retained = {fold(t.fr) for t in self.terms}
        for term in self.terms:
            for variant in term.variants:
                if fold(variant) in retained and fold(variant) != fold(term.fr):
                    raise ValueError(
                        f"«\u00a0{variant}\u00a0» (variante de «\u00a0{term.en}\u00a0») est le terme retenu d’un autre"
                    )
        return self

    def keep_pattern(self) -> regex.Pattern[str] | None:
        """One pattern for the spans to protect: brands (case kept) and kept terms (any case)."""
        alternatives = [regex.escape(b) for b in sorted(self.brands, key=len, reverse=True)]
        alternatives += [f"(?i:{regex.escape(k)})" for k in sorted(self.keep, key=len, reverse=True)]
        if not alternatives:
            return None
        return regex.compile(r"(?<![\p{L}\p{N}_-])(?:" + "|".join(alternatives) + r")(?![\p{L}\p{N}_-])")

    def apply(self, source: str, translated: str) -> str:
        """Replace the variants of the terms present in ``source`` by the retained French terms."""
        folded_source = fold(source)
        wanted: dict[str, str] = {}
        for term in self.terms:
            if regex.search(rf"(?<![\p{{L}}-]){regex.escape(fold(term.en))}(?![\p{{L}}-])", folded_source):
                for form in (term.fr, *term.variants):
                    wanted.setdefault(fold(form), term.fr)
        if not wanted:
            return translated
        alternation = "|".join(
            regex.escape(k).replace("’", f"[{_APOSTROPHES}]") for k in sorted(wanted, key=len, reverse=True)
        )
        pattern = regex.compile(rf"(?<![\p{{L}}-])(?:{alternation})(?![\p{{L}}-])", regex.IGNORECASE)

        def replace(m: regex.Match[str]) -> str:
            found = m.group()
            retained = wanted[fold(found)]
            return retained[0].upper() + retained[1:] if found[0].isupper() else retained

        return pattern.sub(replace, translated)


def parse_glossary(text: str, origin: str = "glossaire") -> Glossary:
    """Validate a glossary document; a French message names what is wrong."""
    try:
        data = yaml.safe_load(text)
        return Glossary.model_validate(data)
    except yaml.YAMLError as exc:
        raise UserError(f"Le {origin} n’est pas un YAML valide\u00a0: {exc}") from exc
    except ValidationError as exc:
        problems = "\u00a0; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'racine'}\u00a0: {err['msg']}" for err in exc.errors()
        )
        raise UserError(f"Le {origin} est invalide\u00a0: {problems}") from exc


@cache_once
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    return parse_glossary(path.read_text(encoding="utf-8"), origin=f"glossaire {path.name}")
