"""Web/SEO writing: title and meta-description lengths, keyword placement, heading structure.

The body may be Markdown (ATX ``#`` or underlined headings) or HTML; both are reduced to an
outline (headings with their level) and paragraphs.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import lxml.html
from pydantic import BaseModel

from curation.networks import grapheme_count
from training_modules.exercises.result import GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import SeoExercise
from training_modules.exercises.text import fold, words
from workbench.numbers import quantity

HTML_HINT = re.compile(r"<\s*(h[1-6]|p|div|section|article|ul|ol)\b", re.IGNORECASE)
ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


class SeoAnswer(BaseModel):
    title: str
    meta_description: str
    body: str


@dataclass
class Document:
    headings: list[tuple[int, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join([h for _, h in self.headings] + self.paragraphs)


def parse_html(body: str) -> Document:
    doc = Document()
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li"):
        text = " ".join(el.text_content().split())
        if not text:
            continue
        if el.tag.startswith("h"):
            doc.headings.append((int(el.tag[1]), text))
        else:
            doc.paragraphs.append(text)
    return doc


def parse_markdown(body: str) -> Document:
    doc = Document()
    lines = body.replace("\r\n", "\n").split("\n")
    block: list[str] = []

    def flush() -> None:
        if block:
            doc.paragraphs.append(" ".join(s.strip() for s in block))
            block.clear()

    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        m = ATX.match(line.strip())
        if m:
            flush()
            doc.headings.append((len(m.group(1)), m.group(2)))
        elif (
            line.strip()
            and re.fullmatch(r"=+|-+", nxt.strip() or "x")
            and not re.fullmatch(r"[=\-]+", line.strip())
        ):
            flush()
            doc.headings.append((1 if nxt.strip().startswith("=") else 2, line.strip()))
        elif re.fullmatch(r"\s*(=+|-+)\s*", line) and doc.headings and not block:
            continue  # the underline of a setext heading
        elif not line.strip():
            flush()
        else:
            block.append(re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line))
    flush()
    return doc


def parse_body(body: str) -> Document:
    return parse_html(body) if HTML_HINT.search(body) else parse_markdown(body)


def _has(keyword: str, text: str) -> bool:
    return fold(keyword) in fold(text)


def grade(exercise: SeoExercise, answer: object, user_id: int | None = None) -> GradeResult:
    a = parse_answer(SeoAnswer, answer)
    r, kw = exercise.rules, exercise.keyword
    doc = parse_body(a.body)
    t_len, m_len = grapheme_count(a.title.strip()), grapheme_count(a.meta_description.strip())
    h1 = [h for level, h in doc.headings if level == 1]
    h2 = [h for level, h in doc.headings if level == 2]
    levels = [level for level, _ in doc.headings]
    skips = [f"H{a_} → H{b}" for a_, b in itertools.pairwise(levels) if b > a_ + 1]
    first = doc.paragraphs[0] if doc.paragraphs else ""
    n_words = len(words(doc.text))
    checks = [
        check(
            "Longueur du titre",
            r.title_min <= t_len <= r.title_max,
            f"{t_len} caractères\u202f; entre {r.title_min} et {r.title_max} pour ne pas être tronqué.",
        ),
        check(
            "Mot-clé dans le titre",
            _has(kw, a.title),
            f"«\u00a0{kw}\u00a0» "
            + ("figure dans le titre." if _has(kw, a.title) else "n’apparaît pas dans le titre."),
        ),
        check(
            "Longueur de la méta-description",
            r.meta_min <= m_len <= r.meta_max,
            f"{m_len} caractères\u202f; entre {r.meta_min} et {r.meta_max}.",
        ),
        check(
            "Un seul titre H1",
            len(h1) == 1,
            f"{quantity(len(h1), 'titre')} de niveau 1\u202f; il en faut exactement un.",
        ),
        check(
            "Mot-clé dans le H1",
            bool(h1) and _has(kw, h1[0]),
            f"H1\u00a0: «\u00a0{h1[0]}\u00a0»." if h1 else "Pas de H1.",
        ),
        check(
            "Mot-clé dans le premier paragraphe",
            _has(kw, first),
            "Présent dès l’introduction."
            if _has(kw, first)
            else "Placez le mot-clé dans le premier paragraphe.",
        ),
        check(
            "Structure des intertitres",
            bool(levels) and levels[0] == 1 and not skips and len(h2) >= r.min_h2,
            (
                f"{quantity(len(h2), 'intertitre')} H2 (au moins {r.min_h2})"
                + (f"\u202f; niveau sauté\u00a0: {', '.join(skips)}" if skips else "")
                + ("" if levels and levels[0] == 1 else "\u202f; la page doit commencer par le H1")
                + "."
            ),
        ),
        check("Longueur du texte", n_words >= r.min_words, f"{n_words} mots\u202f; au moins {r.min_words}."),
    ]
    return build_result(
        exercise,
        checks,
        extra={
            "outline": [[level, h] for level, h in doc.headings],
            "serp": {"title": a.title.strip(), "meta": a.meta_description.strip()},
            "model_title": exercise.model_title,
            "model_meta": exercise.model_meta,
        },
    )
