"""Moodle XML, the question format French training centres' LMS hold: quiz questions and
situational items, both ways.

Mapping (Moodle → here, and back):

- ``multichoice`` with ``<single>true</single>`` ↔ a ``single`` question (the 100 % answer is the
  key); ``single`` false ↔ ``multiple`` (answers with a positive fraction are the key; on export
  each right option is worth 100 ÷ n % and each wrong one −100 ÷ n %, which is this quiz's partial
  credit rule); ``truefalse`` → a ``single`` question « Vrai » / « Faux »;
- ``shortanswer`` ↔ ``short`` (answers in order with their credit, ``*`` wildcard, ``usecase``);
- ``numerical`` ↔ ``numerical`` (value, tolerance, credit);
- per-answer ``<feedback>`` ↔ the option's or answer's ``feedback``; ``generalfeedback`` ↔ the
  explanation; a ``<question type="category">`` groups what follows: one quiz per category on
  import (its ``<info>`` is the brief), the competence of situational items;
- situational item ↔ single-answer ``multichoice`` whose fractions are the option scores
  (0, 1, 2, 3 → 0, 33.33333, 66.66667, 100 %), with the item's id as ``idnumber``.

Text: ``format="html"`` goes through the project's sanitiser to plain text; what we write is
escaped HTML. Other question types are counted and named in the French report, never dropped
silently; a file that is not readable Moodle XML is refused whole. Entity declarations are refused
and nothing is fetched or expanded (XXE, « billion laughs »).
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from lxml import etree
from pydantic import ValidationError
from sqlalchemy.orm import Session

from curation.parse import ParseError, refuse_entity_declarations
from curation.sanitize import to_text
from training_modules.competences import (
    BEST_OPTION_SCORE,
    CONTENT_DIR,
    OPTIONS_PER_ITEM,
    SituationalItem,
    framework,
    load_framework,
)
from training_modules.exercises.graders.quiz import fold
from training_modules.exercises.loader import parse_exercise
from training_modules.exercises.schema import Question, QuizExercise
from training_modules.items_library import ItemEntry, editable_item, save_item, visible_items
from training_modules.library import LibraryEntry, editable_data, exercise_entry, save_exercise
from workbench.access import Actor, require_trainer
from workbench.errors import UserError
from workbench.numbers import quantity
from workbench.wording import quoted

MAX_MOODLE_BYTES = 10 * 1024 * 1024  # a bank of a few hundred questions with pictures
MAX_QUESTIONS = 2000
IMPORTED = "Importé de Moodle"
SUPPORTED = ("multichoice", "truefalse", "shortanswer", "numerical")
DEFAULT_QUESTION = "Que faites-vous\u00a0?"
# Moodle accepts only these grades (question_bank::fraction_options_full), in percent.
MOODLE_GRADES = (
    100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,
    12.5, 11.11111, 10, 5, 0,
)  # fmt: skip
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_pis=True, recover=False
)
_NBSP = "\ue000"  # keeps French non-breaking spaces through the sanitiser's space folding
_NBSP_HTML = re.compile(r"&nbsp;|&#160;|&#x0*a0;|\u00a0", re.IGNORECASE)
_CATEGORY_ROOT = re.compile(r"^\$[a-z0-9]+\$/")
_CATEGORY_SPLIT = re.compile(r"(?<!/)/(?!/)")
_TOP_KEY = re.compile(r"^[A-Za-z_]+:")
_TRUE_FALSE = {"true": "Vrai", "false": "Faux"}


class MoodleError(UserError):
    """A file that cannot be imported as Moodle XML; nothing was imported."""


@dataclass
class MoodleReport:
    """What an import found besides what it kept: other question types, questions left out."""

    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # Moodle type → questions not imported
    notes: list[str] = field(default_factory=list)  # « name » : why it was left out

    def summary(self, what: str) -> str:
        """The report in French: « 3 questions importées (2 quiz). Non importées : … »."""
        lines = [f"{quantity(self.imported, 'question importée', 'questions importées')} ({what})."]
        if self.skipped:
            kinds = ", ".join(
                f"{quantity(n, 'question')} «\u00a0{kind}\u00a0»" for kind, n in sorted(self.skipped.items())
            )
            lines.append(f"Non importées, ce type de question n’existe pas dans l’atelier\u00a0: {kinds}.")
        lines += [f"Non importée\u00a0: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class QuizImport:
    quizzes: list[dict[str, Any]]  # what a quiz file would hold, one per Moodle category, validated
    report: MoodleReport


@dataclass
class ItemImport:
    items: dict[str, list[SituationalItem]]  # competence id → items, validated
    report: MoodleReport


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Question:
    category: tuple[str, ...]  # the category path, top first
    node: etree._Element

    @property
    def name(self) -> str:
        return _plain(self.node.find("name")) or "(sans nom)"


def _root(data: bytes) -> etree._Element:
    if len(data) > MAX_MOODLE_BYTES:
        raise MoodleError(
            f"Fichier trop volumineux (plus de {MAX_MOODLE_BYTES // (1024 * 1024)}\u00a0Mo)\u00a0: rien n’a été "
            "importé. Exportez les catégories de questions une à une depuis Moodle."
        )
    try:
        refuse_entity_declarations(data)
        root = etree.fromstring(data, _PARSER)
    except ParseError as exc:
        raise MoodleError(
            "Fichier refusé\u00a0: il déclare des entités XML (une technique utilisée pour lire les fichiers "
            "du serveur ou le saturer)\u00a0; rien n’a été importé."
        ) from exc
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or "?"
        raise MoodleError(
            f"Ce fichier n’est pas du XML lisible (erreur vers la ligne {line})\u00a0: rien n’a été importé. "
            "Exportez de nouveau les questions depuis Moodle au format «\u00a0Moodle XML\u00a0»."
        ) from exc
    if root.tag != "quiz":
        raise MoodleError(
            "Ce fichier n’est pas un export de questions Moodle (format «\u00a0Moodle XML\u00a0», élément "
            "<quiz>)\u00a0: rien n’a été importé."
        )
    return root


def _questions(root: etree._Element, report: MoodleReport) -> list[_Question]:
    """The supported questions in file order, each with its category; others counted."""
    category: tuple[str, ...] = ()
    found = []
    for node in root.iterchildren("question"):
        kind = node.get("type", "")
        if kind == "category":
            category = _category(node)
            continue
        if len(found) + sum(report.skipped.values()) >= MAX_QUESTIONS:
            raise MoodleError(
                f"Fichier trop long (plus de {MAX_QUESTIONS} questions)\u00a0: rien n’a été importé. "
                "Exportez les catégories de questions une à une depuis Moodle."
            )
        if kind in SUPPORTED:
            found.append(_Question(category, node))
        else:
            report.skipped[kind or "sans type"] += 1
    return found


def _category(node: etree._Element) -> tuple[str, ...]:
    """« $course$/top/Atelier/Quiz // oral » → (« Atelier », « Quiz / oral ») (``//``: a slash in a name)."""
    path = _CATEGORY_ROOT.sub("", (node.findtext("category/text") or "").strip())
    parts = [p.replace("//", "/").strip() for p in _CATEGORY_SPLIT.split(path)]
    parts = [p for p in parts if p]
    return tuple(parts[1:] if parts[:1] == ["top"] else parts)


def _shown(category: tuple[str, ...]) -> str:
    return " / ".join(category)


def _plain(node: etree._Element | None) -> str:
    """The text of a Moodle text element (``<x format="…"><text>…</text></x>``), as plain text."""
    if node is None:
        return ""
    text = node.findtext("text") or ""
    if node.get("format", "html") == "html":
        return to_text(_NBSP_HTML.sub(_NBSP, text)).replace(_NBSP, "\u00a0")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _fraction(q: _Question, answer: etree._Element) -> float:
    raw = answer.get("fraction", "0")
    try:
        return float(raw)
    except ValueError:
        raise MoodleError(
            f"Question {quoted(q.name)}\u00a0: la note d’une réponse («\u00a0{raw}\u00a0») n’est pas un "
            "nombre. Corrigez-la dans Moodle puis exportez de nouveau\u00a0; rien n’a été importé."
        ) from None


def _number(q: _Question, text: str, what: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise MoodleError(
            f"Question {quoted(q.name)}\u00a0: {what} («\u00a0{text.strip()}\u00a0») n’est pas un nombre. "
            "Corrigez-la dans Moodle puis exportez de nouveau\u00a0; rien n’a été importé."
        ) from None


def _single(node: etree._Element) -> bool:
    """A multichoice question with one right answer (Moodle writes true/false, older files 1/0)."""
    return (node.findtext("single") or "true").strip().lower() in ("true", "1")


def _option_id(i: int) -> str:
    return chr(ord("a") + i) if i < 26 else f"o{i + 1}"


def _question_data(q: _Question, number: int) -> dict[str, Any]:
    """One supported Moodle question as the quiz schema's question (not yet validated)."""
    node, kind = q.node, q.node.get("type")
    answers = node.findall("answer")
    base = {
        "id": f"q{number}",
        "prompt": _plain(node.find("questiontext")) or q.name,
        "explanation": _plain(node.find("generalfeedback")),
    }
    if kind == "shortanswer":
        return {
            **base,
            "type": "short",
            "case_sensitive": (node.findtext("usecase") or "0").strip() in ("1", "true"),
            "accepted": [
                {"text": _plain(a), "credit": _fraction(q, a), "feedback": _plain(a.find("feedback"))}
                for a in answers
            ],
        }
    if kind == "numerical":
        numbers = []
        for a in answers:
            value = (a.findtext("text") or "").strip()
            if value == "*":
                continue  # Moodle's « any other number »: wrong here anyway
            numbers.append(
                {
                    "value": _number(q, value, "la valeur attendue"),
                    "tolerance": abs(_number(q, a.findtext("tolerance") or "0", "la tolérance")),
                    "credit": _fraction(q, a),
                    "feedback": _plain(a.find("feedback")),
                }
            )
        return {**base, "type": "numerical", "numbers": numbers}
    fractions = [_fraction(q, a) for a in answers]
    options = [
        {
            "id": _option_id(i),
            "text": _TRUE_FALSE.get(_plain(a).lower(), _plain(a)) if kind == "truefalse" else _plain(a),
            "feedback": _plain(a.find("feedback")),
        }
        for i, a in enumerate(answers)
    ]
    single = kind == "truefalse" or _single(node)
    if single:
        key = [o["id"] for o, f in zip(options, fractions, strict=True) if f >= 100]
    else:
        key = [o["id"] for o, f in zip(options, fractions, strict=True) if f > 0]
    return {**base, "type": "single" if single else "multiple", "options": options, "answer": key}


def _checked(q: _Question, data: dict[str, Any], report: MoodleReport) -> dict[str, Any] | None:
    """``data`` if it is a valid question; otherwise noted in the report by name, and left out."""
    try:
        Question.model_validate(data)
    except ValidationError as exc:
        reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        report.notes.append(f"{quoted(q.name)} ({q.node.get('type')})\u00a0: {reason}.")
        return None
    return data


def _default_brief(category: tuple[str, ...]) -> str:
    where = f" (catégorie «\u00a0{_shown(category)}\u00a0»)" if category else ""
    return (
        f"Questions importées de Moodle{where}\u00a0: répondez à chacune, l’explication suit la correction."
    )


def quizzes_from_moodle(data: bytes, *, competences: list[str], missions: list[str]) -> QuizImport:
    """One quiz per Moodle category, as quiz files would hold them, every one validated.

    ``competences`` and ``missions`` (Moodle has neither) are given to every quiz; the trainer
    adapts them afterwards. Raises ``MoodleError`` (or ``ContentError``) and returns nothing when
    the file cannot be imported whole."""
    report = MoodleReport()
    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    root = _root(data)
    briefs = {
        _category(n): _plain(n.find("info"))
        for n in root.iterchildren("question")
        if n.get("type") == "category"
    }
    for q in _questions(root, report):
        questions = grouped.setdefault(q.category, [])
        checked = _checked(q, _question_data(q, len(questions) + 1), report)
        if checked is not None:
            questions.append(checked)
    quizzes = []
    for i, (category, questions) in enumerate(grouped.items(), 1):
        if not questions:
            continue
        leaf = category[-1] if category else ""
        title = leaf if len(leaf) >= 3 else _shown(category) or IMPORTED
        brief = briefs.get(category, "")
        quiz = {
            "kind": "quiz",
            "title": title if len(title) >= 3 else IMPORTED,
            "brief": brief if len(brief) >= 10 else _default_brief(category),
            "competences": list(competences),
            "missions": list(missions),
            "duration_minutes": min(240, max(5, 2 * len(questions))),
            "feedback": {
                "success": "Bonne maîtrise de ces notions.",
                "failure": "Relisez les explications de chaque question puis recommencez.",
            },
            "questions": questions,
        }
        quizzes.append(editable_data(parse_exercise(quiz, name=f"moodle-{i}", in_app=True)))
        report.imported += len(questions)
    if not quizzes:
        raise MoodleError(
            "Aucune question importable dans ce fichier (choix unique ou multiple, vrai-faux, réponse courte, "
            "numérique)\u00a0: rien n’a été importé.\n" + report.summary("aucun quiz")
        )
    return QuizImport(quizzes, report)


def _competence_of(category: tuple[str, ...]) -> str | None:
    """The competence a category names (its last part: an id or a name, case and accents aside)."""
    leaf = fold(category[-1]) if category else ""
    return next((c.id for c in framework().competences if leaf in (fold(c.id), fold(c.name))), None)


def _item_id(q: _Question, taken: set[str]) -> str:
    wanted = (q.node.findtext("idnumber") or "").strip()
    base = wanted if re.fullmatch(r"[a-z0-9][a-z0-9\-]{2,40}", wanted) else "moodle-j"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def items_from_moodle(data: bytes, *, competence: str | None = None) -> ItemImport:
    """Situational items from single-answer multichoice questions with four answers: scores from
    the fractions, the competence from the category (or ``competence`` when it names none)."""
    report = MoodleReport()
    fw = framework()
    taken = {j.id for c in fw.competences for j in c.situational} | {
        s.id for c in fw.competences for s in c.statements
    }
    if competence is not None and competence not in {c.id for c in fw.competences}:
        raise MoodleError(f"Compétence inconnue «\u00a0{competence}\u00a0»\u00a0: rien n’a été importé.")
    items: dict[str, list[SituationalItem]] = {}
    for q in _questions(_root(data), report):
        target = _competence_of(q.category) or competence
        answers = q.node.findall("answer")
        if target is None:
            report.notes.append(
                f"{quoted(q.name)}\u00a0: sa catégorie («\u00a0{_shown(q.category)}\u00a0») ne nomme pas une compétence "
                "et aucune compétence n’a été choisie pour l’import."
            )
            continue
        if q.node.get("type") != "multichoice" or not _single(q.node) or len(answers) != OPTIONS_PER_ITEM:
            report.notes.append(
                f"{quoted(q.name)}\u00a0: une mise en situation est une question à choix unique à "
                f"{OPTIONS_PER_ITEM} réponses."
            )
            continue
        lines = _plain(q.node.find("questiontext")).split("\n")
        scenario, question = (
            ("\n".join(lines[:-1]), lines[-1]) if len(lines) > 1 else (lines[0], DEFAULT_QUESTION)
        )
        raw = {
            "id": _item_id(q, taken),
            "title": q.name,
            "scenario": scenario,
            "question": question,
            "options": [
                {
                    "id": _option_id(i),
                    "text": _plain(a),
                    "score": max(0, round(_fraction(q, a) / 100 * BEST_OPTION_SCORE)),
                    "feedback": _plain(a.find("feedback")),
                }
                for i, a in enumerate(answers)
            ],
            "explanation": _plain(q.node.find("generalfeedback")),
        }
        try:
            item = SituationalItem.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            report.notes.append(f"{quoted(q.name)}, champ «\u00a0{where}\u00a0»\u00a0: {err['msg']}.")
            taken.discard(raw["id"])
            continue
        items.setdefault(target, []).append(item)
        report.imported += 1
    if not items:
        raise MoodleError(
            "Aucune mise en situation importable dans ce fichier\u00a0: rien n’a été importé.\n"
            + report.summary("aucune compétence")
        )
    return ItemImport(items, report)


# --- writing ------------------------------------------------------------------------------


def _html(text: str) -> str:
    """Plain text as the HTML Moodle shows: one paragraph per line, everything escaped."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())


def _grade(percent: float) -> str:
    """The Moodle grade nearest ``percent`` (Moodle refuses any other), as Moodle writes it."""
    nearest = min(MOODLE_GRADES, key=lambda g: abs(g - abs(percent)))
    value = -nearest if percent < 0 else nearest
    return f"{value:.5f}".rstrip("0").rstrip(".") if value else "0"


def _number_text(x: float) -> str:
    """``x`` written so that it reads back the same (3.141592653589793, 1e-05, 150)."""
    return repr(float(x)).removesuffix(".0")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _text(parent: etree._Element, tag: str, text: str, fmt: str = "html") -> etree._Element:
    node = _sub(parent, tag, format=fmt)
    _sub(node, "text").text = _cdata(text) if fmt == "html" else text
    return node


def _cdata(text: str) -> str | etree.CDATA:
    """Escaped HTML in a CDATA section, as Moodle writes it (plain escaping if the text ends one)."""
    markup = _html(text)
    return etree.CDATA(markup) if markup and "]]>" not in markup else markup


def _category_node(quiz: etree._Element, category: tuple[str, ...], info: str = "") -> None:
    quiz.append(etree.Comment(" question: 0  "))
    node = _sub(quiz, "question", type="category")
    path = "/".join(part.replace("/", "//") for part in category)
    _sub(_sub(node, "category"), "text", f"$course$/top/{path}")
    _text(node, "info", info)


def _head(
    quiz: etree._Element, kind: str, name: str, prompt: str, explanation: str, idnumber: str = ""
) -> etree._Element:
    node = _sub(quiz, "question", type=kind)
    _sub(_sub(node, "name"), "text", name[:255])
    _text(node, "questiontext", prompt)
    _text(node, "generalfeedback", explanation)
    _sub(node, "defaultgrade", "1.0000000")
    _sub(node, "penalty", "0.3333333")
    _sub(node, "hidden", "0")
    _sub(node, "idnumber", idnumber)
    return node


def _choices(node: etree._Element, single: bool, shuffle: bool) -> None:
    _sub(node, "single", "true" if single else "false")
    _sub(node, "shuffleanswers", "true" if shuffle else "false")
    _sub(node, "answernumbering", "abc")
    _sub(node, "showstandardinstruction", "0")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(node, tag, "")
    _sub(node, "shownumcorrect")


def _answer(
    node: etree._Element, percent: float, text: str, feedback: str, fmt: str = "html"
) -> etree._Element:
    answer = _sub(node, "answer", fraction=_grade(percent), format=fmt)
    _sub(answer, "text").text = _cdata(text) if fmt == "html" else text
    _text(answer, "feedback", feedback)
    return answer


def _quiz_question(quiz: etree._Element, q: Question) -> None:
    name = q.prompt.split("\n", 1)[0]
    if q.type == "short":
        node = _head(quiz, "shortanswer", name, q.prompt, q.explanation)
        _sub(node, "usecase", "1" if q.case_sensitive else "0")
        for a in q.accepted:
            _answer(node, a.credit, a.text, a.feedback, fmt="moodle_auto_format")
    elif q.type == "numerical":
        node = _head(quiz, "numerical", name, q.prompt, q.explanation)
        for n in q.numbers:
            answer = _answer(node, n.credit, _number_text(n.value), n.feedback, fmt="moodle_auto_format")
            _sub(answer, "tolerance", _number_text(n.tolerance))
        for tag, value in (
            ("unitgradingtype", "0"),
            ("unitpenalty", "0.1000000"),
            ("showunits", "3"),
            ("unitsleft", "0"),
        ):
            _sub(node, tag, value)
    else:
        node = _head(quiz, "multichoice", name, q.prompt, q.explanation)
        _choices(node, q.type == "single", shuffle=False)  # the quiz shows its options in file order
        share = 100 / len(q.answer)
        for o in q.options:
            right = o.id in q.answer
            percent = (100 if right else 0) if q.type == "single" else (share if right else -share)
            _answer(node, percent, o.text, o.feedback)


def _document(quiz: etree._Element) -> bytes:
    etree.indent(quiz, space="  ")
    return etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def quizzes_to_moodle(quizzes: list[QuizExercise]) -> bytes:
    """Moodle XML for these quizzes: one category each (its brief as the category's description)."""
    quiz = etree.Element("quiz")
    for ex in quizzes:
        _category_node(quiz, (ex.title,), ex.brief)
        for q in ex.questions:
            _quiz_question(quiz, q)
    return _document(quiz)


def items_to_moodle(items: list[tuple[str, SituationalItem]]) -> bytes:
    """Moodle XML for situational items ``(competence id, item)``: one category per competence."""
    quiz = etree.Element("quiz")
    names = framework().names
    current = None
    for competence, item in items:
        if competence != current:
            _category_node(quiz, ("Mises en situation", names[competence]))
            current = competence
        node = _head(
            quiz, "multichoice", item.title, f"{item.scenario}\n{item.question}", item.explanation, item.id
        )
        _choices(node, single=True, shuffle=True)
        for o in item.options:
            _answer(node, o.score / BEST_OPTION_SCORE * 100, o.text, o.feedback)
    return _document(quiz)


# --- with the library and the bank ----------------------------------------------------------


def export_quizzes(session: Session, actor: Actor, exercise_ids: list[str]) -> bytes:
    """Moodle XML of the quizzes a trainer chose (bundled or trainer-made they may see)."""
    require_trainer(actor)
    exercises = [exercise_entry(session, actor, i).exercise for i in exercise_ids]
    others = [e.title for e in exercises if e.kind != "quiz"]
    if not exercises or others:
        named = ", ".join(f"«\u00a0{t}\u00a0»" for t in others)
        raise UserError(
            "Seuls les quiz s’exportent en Moodle XML"
            + (f"\u00a0; retirez\u00a0: {named}" if others else "")
            + ". Pour les autres exercices, exportez un pack de contenu.",
            field="exercises",
        )
    return quizzes_to_moodle(exercises)  # type: ignore[arg-type]


def _wanted(competence_ids: list[str] | None) -> list[str]:
    """These competences (all of them when none), each one known."""
    fw = framework()
    wanted = competence_ids or [c.id for c in fw.competences]
    unknown = [c for c in wanted if c not in fw.names]
    if unknown:
        raise UserError(f"Compétence inconnue\u00a0: {', '.join(unknown)}.", field="competences")
    return wanted


def export_items(competence_ids: list[str] | None = None) -> bytes:
    """Moodle XML of the bank's situational items (of these competences, else all of them)."""
    fw = framework()
    return items_to_moodle([(c, j) for c in _wanted(competence_ids) for j in fw.competence(c).situational])


def export_library_items(session: Session, actor: Actor, competence_ids: list[str] | None = None) -> bytes:
    """Moodle XML of the situational items the trainer ``actor`` sees in the library (bundled and
    trainer-made, latest versions) of these competences, else of all of them."""
    entries = visible_items(session, actor)
    return items_to_moodle(
        [(c, e.item) for c in _wanted(competence_ids) for e in entries if e.competence_id == c]
    )


def import_items(
    session: Session, actor: Actor, data: bytes, *, competence: str | None = None, sharing: str = "private"
) -> tuple[list[ItemEntry], MoodleReport]:
    """The situational items of a Moodle file saved as the actor's own trainer-made items, all or
    none (one savepoint): an item the library refuses (its best option given away by its length,
    a field too long…) refuses the whole file, named in French. Questions that are not situational
    items are left out and named in the report."""
    require_trainer(actor)
    found = items_from_moodle(data, competence=competence)
    entries = []
    with session.begin_nested():
        for target, items in found.items.items():
            for item in items:
                try:
                    entries.append(
                        save_item(session, actor, editable_item(item), competence=target, sharing=sharing)
                    )
                except UserError as exc:
                    raise UserError(
                        f"Import refusé, {quoted(item.title)}\u00a0: {exc} Rien n’a été importé\u00a0: "
                        "corrigez cette question dans Moodle, puis exportez-la de nouveau."
                    ) from exc
    return entries, found.report


def import_quizzes(
    session: Session,
    actor: Actor,
    data: bytes,
    *,
    competences: list[str],
    missions: list[str],
    sharing: str = "private",
) -> tuple[list[LibraryEntry], MoodleReport]:
    """Each quiz of the file saved as the actor's own, all or none (one savepoint); the report
    names what was left out."""
    require_trainer(actor)
    found = quizzes_from_moodle(data, competences=competences, missions=missions)
    with session.begin_nested():
        entries = [save_exercise(session, actor, quiz, sharing=sharing) for quiz in found.quizzes]
    return entries, found.report


def items_yaml(items: dict[str, list[SituationalItem]]) -> str:
    """Imported items as YAML in the bank's schema: under each competence id, the list to add to
    the ``situational`` list of ``content/competences/<id>.yaml``."""
    data = {c: {"situational": [_item_data(j) for j in found]} for c, found in items.items()}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _item_data(item: SituationalItem) -> dict[str, Any]:
    return item.model_dump(mode="json", exclude_defaults=True)


def add_items_to_bank(items: dict[str, list[SituationalItem]], content_dir: Path = CONTENT_DIR) -> list[Path]:
    """Append imported items to the competence files of the bank (the files' other lines kept as
    they are). The whole framework is loaded from a copy first: nothing is written unless every
    file still validates (ids unique across files, four options, one best…)."""
    changed: dict[Path, str] = {}
    for competence, found in items.items():
        path = content_dir / "competences" / f"{competence}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        start = lines.index("situational:\n")
        end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
        block = yaml.safe_dump([_item_data(j) for j in found], allow_unicode=True, sort_keys=False, width=100)
        changed[path] = "".join([*lines[:end], *(f"  {line}\n" for line in block.splitlines()), *lines[end:]])
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content_dir, copy, ignore=shutil.ignore_patterns("exercises"))
        for path, text in changed.items():
            (copy / "competences" / path.name).write_text(text, encoding="utf-8")
        load_framework(copy)
    for path, text in changed.items():
        path.write_text(text, encoding="utf-8")
    return list(changed)
