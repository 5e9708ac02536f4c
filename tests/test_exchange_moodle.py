"""Moodle XML: real Moodle files in (a bank exported from Moodle, files amc2moodle writes),
Moodle XML out, round trips, and hostile or broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.feedserver import Route
from tests.moodle_files import AMC_FILES, MOODLE_BANK, WRITTEN_HERE, real
from training_modules.competences import framework
from training_modules.exchange.moodle import (
    MOODLE_GRADES,
    MoodleError,
    items_from_moodle,
    items_to_moodle,
    quizzes_from_moodle,
    quizzes_to_moodle,
)
from training_modules.exercises.loader import get_exercise, parse_exercise

WHO = {"competences": ["communication"], "missions": ["kpi"]}
ALL_FILES = [real(MOODLE_BANK), *map(real, AMC_FILES), *sorted(WRITTEN_HERE.glob("*.xml"))]


def imported(path: Path) -> list[dict]:
    return quizzes_from_moodle(path.read_bytes(), **WHO).quizzes


def objects(quizzes: list[dict]) -> list:
    return [parse_exercise(q, name=f"moodle-{i}", in_app=True) for i, q in enumerate(quizzes, 1)]


def question(quizzes: list[dict], prompt: str) -> dict:
    """The imported question whose prompt starts with ``prompt``."""
    [found] = [q for quiz in quizzes for q in quiz["questions"] if q["prompt"].startswith(prompt)]
    return found


def test_a_moodle_bank_gives_one_quiz_per_category_and_names_the_types_left_out():
    result = quizzes_from_moodle(real(MOODLE_BANK).read_bytes(), **WHO)
    # the « calculated » category holds only calculatedmulti questions: no quiz for it
    assert [q["title"] for q in result.quizzes] == ["moodle2amc", "num", "alternative-format"]
    assert [len(q["questions"]) for q in result.quizzes] == [3, 4, 2]
    assert result.quizzes[1]["brief"].startswith(
        "Questions importées de Moodle (catégorie «\u00a0moodle2amc / num"
    )
    assert result.report.imported == 9
    assert dict(result.report.skipped) == {"calculatedmulti": 2, "description": 1, "essay": 1}
    summary = result.report.summary("3 quiz")
    assert (
        "2\u00a0questions «\u00a0calculatedmulti\u00a0», 1\u00a0question «\u00a0description\u00a0»" in summary
    )
    # amc2moodle repeats the category before each question, and comes back to one later: one quiz each
    [num] = imported(real("payload_test_amc2moodle/numerical.xml"))
    assert num["title"] == "num" and len(num["questions"]) == 5
    qcm = imported(real("payload_test_amc2moodle/QCM.xml"))
    assert [(q["title"], len(q["questions"])) for q in qcm][:2] == [("cat1", 3), ("cat2", 1)]


def test_nested_categories_take_their_description_and_a_short_name_its_path():
    quizzes = imported(WRITTEN_HERE / "truefalse.xml")
    # « RS » is too short to be a title: it takes its path
    assert [q["title"] for q in quizzes] == ["Atelier CM", "Atelier CM / RS"]
    assert quizzes[0]["brief"] == "Vrai ou faux sur les usages des réseaux sociaux."


def test_single_choice_keeps_the_key_the_option_feedback_and_the_general_feedback():
    q = question(imported(real(MOODLE_BANK)), "Test html table conversion")
    assert q["type"] == "single" and q["answer"] == ["b"]
    assert q["options"][0] == {
        "id": "a",
        "text": "wrong answer",
        "feedback": "this the feedback of question 1",
    }
    assert q["explanation"] == "global feedback"


def test_multiple_choice_keeps_the_positive_fractions_and_negative_ones_are_wrong_options():
    quizzes = imported(real("payload_test_amc2moodle/QCM.xml"))
    cities = question(quizzes, "Among the following cities")  # fractions 50, −12.5, 50, −12.5
    assert cities["type"] == "multiple" and cities["answer"] == ["a", "c"]
    assert [o["text"] for o in cities["options"]] == [
        "Poitiers",
        "Sainte-Menehould",
        "Avignon",
        "None of these answers are correct.",
    ]
    sums = question(quizzes, "Quels sont les opérations")  # three of 33.3 %, four of −6.25 %
    assert sums["type"] == "multiple" and sums["answer"] == ["a", "b", "f"]
    fruit = question(quizzes, "Quel fruit possède un noyau")
    assert fruit["options"][2] == {"id": "c", "text": "le Kiwi", "feedback": "This is an answer feedback !"}
    assert fruit["explanation"].startswith("Fruits grow on trees")


def test_numerical_keeps_values_tolerances_partial_credit_and_feedback():
    bank = imported(real(MOODLE_BANK))
    assert question(bank, "Give an approximated value for \\(\\pi\\)")["numbers"] == [
        {"value": 3.141592653589793, "tolerance": 0.001}
    ]
    assert question(bank, "Give an approximated value for \\(\\sqrt{2}")["numbers"] == [
        {"value": 1.4142135623730951, "tolerance": 0.001},
        {
            "value": 1.4142135623730951,
            "tolerance": 0.1,
            "credit": 50.0,
            "feedback": "Be careful with rounding.",
        },
    ]
    assert question(bank, "Let \\(z=3+2")["numbers"] == [
        {"value": 2.0},
        {"value": 3.0, "credit": 0.0, "feedback": "No, this is the real part"},
    ]
    [num] = imported(real("payload_test_amc2moodle/numerical.xml"))
    assert num["questions"][1]["numbers"] == [
        {"value": 150.0},
        {"value": 150.5, "tolerance": 0.5, "credit": 25.0},
        {"value": 149.5, "tolerance": 0.5, "credit": 25.0},
    ]


def test_shortanswer_keeps_answers_in_order_with_credit_feedback_wildcard_and_case():
    [quiz] = imported(WRITTEN_HERE / "shortanswer.xml")
    first, second = quiz["questions"]
    assert first["type"] == "short" and "case_sensitive" not in first  # usecase 0: the default
    assert first["prompt"].endswith("au bout de 24\u00a0heures\u00a0?")
    assert first["accepted"] == [
        {"text": "story", "feedback": "Oui, la story."},
        {
            "text": "stories",
            "credit": 80.0,
            "feedback": "Presque\u00a0: au singulier, c’est «\u00a0story\u00a0».",
        },
        {"text": "*", "credit": 0.0, "feedback": "Pensez au format qui s’efface au bout d’une journée."},
    ]
    assert first["explanation"].startswith("La story reste 24\u00a0heures")
    assert second["case_sensitive"] is True and second["accepted"] == [{"text": "ROI"}]


def test_truefalse_becomes_a_single_choice_with_its_feedback():
    q = imported(WRITTEN_HERE / "truefalse.xml")[0]["questions"][0]
    assert q["type"] == "single" and q["answer"] == ["b"]
    assert q["options"] == [
        {"id": "a", "text": "Vrai", "feedback": "Non\u00a0: le lien s’affiche, mais ne s’ouvre pas."},
        {"id": "b", "text": "Faux", "feedback": "Exact, il faut passer par la bio ou une story."},
    ]


def test_html_becomes_plain_text_and_embedded_pictures_are_dropped():
    bank = imported(real(MOODLE_BANK))
    layout = question(bank, "a link here")  # <a>, <img src="@@PLUGINFILE@@/4.png">, <file> base64, <sub>…
    assert layout["prompt"].startswith("a link here and an image and an equation \\( \\int_{2\\pi}")
    assert layout["prompt"].endswith("there is also exponent and indice and that\nand svg file")
    assert layout["options"][0]["text"] == "This is the good underlined answer."
    qcm = imported(real("payload_test_amc2moodle/QCM.xml"))
    # an answer that is text and a picture keeps its text
    assert question(qcm, "Quels sont les opérations")["options"][2]["text"] == "la réponse en image"
    for text in (layout["prompt"], *(str(q) for quiz in bank + qcm for q in quiz["questions"])):
        assert "@@PLUGINFILE@@" not in text and "<img" not in text and "iVBORw0KGgo" not in text
    # other text formats are kept as the text they are, never read as markup
    plain = question(bank, "Nothing but plain text")
    assert [o["text"] for o in plain["options"]] == ["yes", "**no**", "no in html"]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_round_trip_real_file_to_ours_to_moodle_and_back(path: Path):
    first = imported(path)
    again = quizzes_from_moodle(quizzes_to_moodle(objects(first)), **WHO).quizzes
    assert again == first
    assert objects(again) == objects(first)


def _children(question: etree._Element) -> list[str]:
    tags = [c.tag for c in question if isinstance(c.tag, str)]
    return [t for i, t in enumerate(tags) if t not in tags[:i]]  # each tag once, in order


def _of_type(xml: bytes, kind: str) -> list[etree._Element]:
    return list(etree.fromstring(xml).iterfind(f"question[@type='{kind}']"))


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("multichoice", real(MOODLE_BANK)),
        ("numerical", real(MOODLE_BANK)),
        ("shortanswer", WRITTEN_HERE / "shortanswer.xml"),  # written here: the bank has none
    ],
    ids=["multichoice", "numerical", "shortanswer"],
)
def test_our_export_has_the_element_structure_of_moodles_own(kind: str, path: Path):
    theirs = _of_type(path.read_bytes(), kind)
    [ours, *_] = _of_type(quizzes_to_moodle(objects(imported(path))), kind)
    mine = _children(ours)
    for real_question in theirs:
        expected = _children(real_question)
        assert [t for t in mine if t in expected] == expected  # their elements, in their order
        for our_answer, real_answer in zip(ours.iter("answer"), real_question.iter("answer"), strict=False):
            assert [c.tag for c in our_answer] == [c.tag for c in real_answer]
    # and no element Moodle's own export does not write
    assert set(mine) <= {t for q in theirs for t in _children(q)}
    for answer in ours.iter("answer"):
        assert abs(float(answer.get("fraction"))) in MOODLE_GRADES


def test_our_bundled_quiz_goes_to_moodle_and_back_unchanged():
    quiz = get_exercise("quiz-indicateurs")
    xml = quizzes_to_moodle([quiz])
    root = etree.fromstring(xml)
    multiple = next(q for q in root.iter("question") if q.findtext("single") == "false")
    # this quiz's partial credit rule, written as Moodle fractions: right 100 ÷ 3, wrong −100 ÷ 3
    assert [a.get("fraction") for a in multiple.iter("answer")] == [
        "33.33333",
        "33.33333",
        "33.33333",
        "-33.33333",
    ]
    [back] = objects(quizzes_from_moodle(xml, competences=quiz.competences, missions=quiz.missions).quizzes)
    assert back.questions == quiz.questions and back.title == quiz.title


def test_typed_questions_and_option_feedback_go_to_moodle_and_back():
    data = {
        "kind": "quiz",
        "title": "Chiffres et mots",
        "brief": "Deux questions à réponse écrite.",
        "competences": ["communication"],
        "missions": ["kpi"],
        "feedback": {"success": "Bien.", "failure": "À revoir."},
        "questions": [
            {
                "id": "q1",
                "prompt": "Taux d’engagement\u00a0? Écrivez <b>6,88</b> & co",
                "type": "numerical",
                "numbers": [
                    {"value": 6.88, "tolerance": 0.01, "feedback": "Oui."},
                    {"value": 0.0688, "credit": 50},
                ],
                "explanation": "344 ÷ 5 000 × 100.",
            },
            {
                "id": "q2",
                "prompt": "Le réseau des stories\u00a0?",
                "type": "short",
                "case_sensitive": True,
                "accepted": [{"text": "Snapchat"}, {"text": "*insta*", "credit": 50}],
                "explanation": "Snapchat, 2013.",
            },
            {
                "id": "q3",
                "prompt": "Où recruter\u00a0?",
                "type": "single",
                "options": [
                    {"id": "a", "text": "LinkedIn"},
                    {"id": "b", "text": "Pinterest", "feedback": "Peu lu."},
                ],
                "answer": ["a"],
                "explanation": "",
            },
        ],
    }
    [quiz] = objects([data])
    xml = quizzes_to_moodle([quiz])
    assert b"<b>6,88</b>" not in xml  # our text is escaped, never markup
    [back] = objects(quizzes_from_moodle(xml, **WHO).quizzes)
    assert back.questions == quiz.questions


def test_situational_items_go_to_moodle_with_score_fractions_and_come_back():
    fw = framework()
    items = [(c.id, j) for c in fw.competences for j in c.situational[:2]]
    xml = items_to_moodle(items)
    first = etree.fromstring(xml).find("question[@type='multichoice']")
    scores = {o.text: o.score for o in items[0][1].options}
    fractions = {"0": 0, "33.33333": 1, "66.66667": 2, "100": 3}
    for answer in first.iter("answer"):
        assert fractions[answer.get("fraction")] == scores[answer.findtext("text")[3:-4]]
    back = items_from_moodle(xml)
    assert back.report.imported == len(items)
    for competence in fw.competences:
        mine = competence.situational[:2]
        theirs = back.items[competence.id]
        # the bank already holds these ids: the imported copies get new ones
        assert [t.id for t in theirs] == [f"{m.id}-2" for m in mine]
        assert [t.model_dump(exclude={"id"}) for t in theirs] == [m.model_dump(exclude={"id"}) for m in mine]


def test_items_from_a_category_that_names_no_competence():
    item = framework().competences[0].situational[0]
    xml = items_to_moodle([("empathie", item)]).replace(b"Mises en situation/Empathie", b"Banque du centre")
    with pytest.raises(MoodleError, match="ne nomme pas une compétence"):
        items_from_moodle(xml)
    assert list(items_from_moodle(xml, competence="empathie").items) == ["empathie"]
    with pytest.raises(MoodleError, match="une mise en situation est une question à choix unique"):
        items_from_moodle(
            xml.replace(b"<single>true</single>", b"<single>false</single>"), competence="empathie"
        )
    with pytest.raises(MoodleError, match="une mise en situation est une question à choix unique à 4"):
        items_from_moodle(real(MOODLE_BANK).read_bytes(), competence="empathie")


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="shortanswer"><name><text>&xxe;</text></name>
<questiontext format="html"><text>&xxe;</text></questiontext>
<answer fraction="100"><text>root</text></answer></question></quiz>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<quiz><question type="shortanswer"><name><text>&d;</text></name>
<questiontext format="html"><text>&d;</text></questiontext>
<answer fraction="100"><text>x</text></answer></question></quiz>"""
EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE quiz SYSTEM "{url}">
<quiz><question type="shortanswer"><name><text>Nom</text></name>
<questiontext format="html"><text>Avant &xxe; après</text></questiontext>
<answer fraction="100"><text>x</text></answer></question></quiz>"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_declarations_are_refused_before_anything_is_read(payload: bytes):
    with pytest.raises(MoodleError, match=r"déclare des entités XML.*rien n’a été importé"):
        quizzes_from_moodle(payload, **WHO)
    with pytest.raises(MoodleError, match="déclare des entités XML"):
        items_from_moodle(payload, competence="empathie")


def test_an_external_dtd_is_never_fetched_nor_its_entities_expanded(feed_server):
    url = feed_server.add(
        "/evil.dtd", Route(body=b'<!ENTITY xxe "PIRATE">', content_type="application/xml-dtd")
    )
    [q] = quizzes_from_moodle(EXTERNAL_DTD.format(url=url).encode(), **WHO).quizzes[0]["questions"]
    assert feed_server.hits["/evil.dtd"] == 0
    assert "PIRATE" not in q["prompt"] and q["prompt"].startswith("Avant")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<quiz><question type='multichoice'><name><text>x</text></name>", "erreur vers la ligne 1"),
        (b"<html><body>Bonjour</body></html>", "n’est pas un export de questions Moodle"),
        (b"\x89PNG\r\n\x1a\n", "n’est pas du XML lisible"),
        (
            real(MOODLE_BANK).read_bytes().replace(b'fraction="50"', b'fraction="cinquante"'),
            "«\u00a0num:2rounding\u00a0»\u00a0: la note d’une réponse",
        ),
        (
            b"<quiz><question type='essay'><name><text>E</text></name></question></quiz>",
            "Aucune question importable",
        ),
        (b"<quiz>" + b" " * (11 * 1024 * 1024) + b"</quiz>", "trop volumineux"),
    ],
    ids=["truncated", "not-moodle", "binary", "bad-fraction", "only-essays", "too-big"],
)
def test_a_broken_file_is_refused_whole_in_french(data: bytes, message: str):
    with pytest.raises(MoodleError, match=message) as refused:
        quizzes_from_moodle(data, **WHO)
    assert "rien n’a été importé" in str(refused.value)


def test_a_question_that_does_not_fit_is_named_in_the_report():
    # the « code » question of the bank with no right answer left
    right = b'<answer fraction="100" format="html">\n      <text><![CDATA[<p>the good answer</p>'
    data = real(MOODLE_BANK).read_bytes()
    assert data.count(right) == 1
    result = quizzes_from_moodle(data.replace(right, right.replace(b"100", b"0")), **WHO)
    assert result.report.imported == 8
    assert result.report.notes[0].startswith("«\u00a0code\u00a0» (multichoice)\u00a0:")
    assert "Non importée\u00a0: «\u00a0code\u00a0»" in result.report.summary("3 quiz")


def test_outside_html_is_plain_text_and_keeps_french_spaces():
    data = (
        b'<quiz><question type="shortanswer"><name><text>N</text></name>'
        b'<questiontext format="html"><text><![CDATA[<p onclick="x()">Votre avis&nbsp;? '
        b'<script>alert(1)</script><a href="javascript:alert(1)">ici</a></p>]]></text></questiontext>'
        b'<answer fraction="100" format="moodle_auto_format"><text>oui</text></answer></question></quiz>'
    )
    [q] = quizzes_from_moodle(data, **WHO).quizzes[0]["questions"]
    assert q["prompt"] == "Votre avis\u00a0? ici"
