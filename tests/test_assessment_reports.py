"""Reports: the PDF's text, the trainee's own CSV, the cohort's CSV and XLSX, and who may export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.assessment_helpers import complete_attempt, open_campaign
from training_modules import assessment
from training_modules import assessment_reports as reports
from training_modules.assessment_models import AssessmentAttempt
from training_modules.competences import framework
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError

EXERCISES = [
    {"id": "rep-1", "kind": "reply", "competences": ["empathie"], "missions": [], "title": "Client en colère"}
]


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_attempt_pdf_holds_scores_evolution_advice_and_situations(people):
    complete_attempt(people.alice, 2, best=False)
    latest = complete_attempt(people.alice, 4, best=True)
    with session_scope() as s:
        attempts = assessment.list_attempts(s, people.alice)
        view = assessment.get_attempt(s, people.alice, latest)
        data = reports.attempt_pdf(view, assessment.previous_of(attempts, latest), EXERCISES)
    text = pdf_text(data)
    assert "Auto-évaluation des compétences — Alice" in text
    assert "Relations publiques" in text and "85 — Expert" in text
    assert "15 → 85 (+70)" in text  # evolution since the first attempt
    assert "Priorités et recommandations" in text
    assert "Mises en situation" in text and "Missions" in text
    assert "ne peut pas vous placer" in " ".join(text.split())  # the scoring rule
    assert "Veille et curation : Autonome" in text


def test_pdf_of_a_weak_attempt_explains_the_situations_and_recommends_exercises(people):
    attempt_id = complete_attempt(people.bob, 1, best=False)
    with session_scope() as s:
        view = assessment.get_attempt(s, people.trainer, attempt_id)
        text = pdf_text(reports.attempt_pdf(view, None, EXERCISES))
    assert "Pas encore de compétence à 60 ou plus" in text
    assert "réponse recommandée" in text
    # options are named by their text: the page never shows letters
    assert not re.search(r"(votre réponse|recommandée)\s*:\s*[a-d]\b", text)
    assert re.search(r"votre réponse\s*:\s*«", text) and re.search(r"réponse recommandée\s*:\s*«", text)
    assert not re.search(r"«\s*«", text)  # a quoted reply is not quoted twice
    assert "Les abonnés veulent savoir ce qui se passe" in text  # an explanation is printed
    assert "Exercice : Client en colère" in text
    assert "www.academie-francaise.fr" in text


def test_trainee_pdf_for_the_trainer_and_refusals(people):
    with session_scope() as s, pytest.raises(UserError, match="aucune auto-évaluation"):
        reports.trainee_pdf(s, people.trainer, people.alice.id)
    complete_attempt(people.alice, 3)
    with session_scope() as s:
        for_trainer = pdf_text(reports.trainee_pdf(s, people.trainer, people.alice.id))
        assert "Alice" in for_trainer
        # written about Alice for her trainer, not to her
        assert re.search(r"sa réponse\s*:\s*«", for_trainer) and "votre réponse" not in for_trainer
        assert (
            re.search(r"les\s+réponses\s+d’Alice", for_trainer) and "Votre auto-évaluation" not in for_trainer
        )
        own = pdf_text(reports.trainee_pdf(s, people.alice, people.alice.id))
        assert "votre réponse" in own and re.search(r"Votre\s+auto-évaluation", own)
        with pytest.raises(AccessDenied):
            reports.trainee_pdf(s, people.other_trainer, people.alice.id)
        with pytest.raises(AccessDenied):
            reports.trainee_pdf(s, people.bob, people.alice.id)


def test_own_data_csv_holds_only_the_actors_answers(people):
    complete_attempt(people.alice, 4)
    complete_attempt(people.bob, 2)
    with session_scope() as s:
        rows = csv_rows(reports.own_data_csv(s, people.alice))
    kinds = {r["type"] for r in rows}
    assert kinds == {"score", "affirmation", "mise en situation", "mission"}
    assert len({r["tentative"] for r in rows}) == 1
    score = next(r for r in rows if r["type"] == "score" and r["identifiant"] == "communication")
    assert score["valeur"] == "85,0" and score["niveau"] == "Expert"  # a French spreadsheet's decimal comma
    assert any(r["libelle"].startswith("Avant d’écrire") for r in rows)
    situations = [r for r in rows if r["type"] == "mise en situation"]
    # the chosen option by its text (the page never shows letters), and how an experienced CM rates it
    assert situations and all(len(r["valeur"]) > 20 for r in situations)
    assert {r["niveau"] for r in situations} == {"meilleure réponse"}


def test_own_data_csv_includes_the_unfinished_attempts_answers(people):
    with session_scope() as s:
        draft = assessment.start_attempt(s, people.alice)
        assessment.save_answers(
            s, people.alice, draft.id, ratings={"com-s1": 2}, missions={"kpi": "referent"}
        )
    with session_scope() as s:
        rows = csv_rows(reports.own_data_csv(s, people.alice))
    assert {(r["type"], r["identifiant"], r["valeur"], r["terminee_le"]) for r in rows} == {
        ("affirmation", "com-s1", "2", "en cours"),
        ("mission", "kpi", "referent", "en cours"),
    }


def test_cohort_csv_and_xlsx(people):
    campaign = open_campaign(people.trainer, people.cohort_id)
    complete_attempt(people.alice, 4, campaign_id=campaign)
    complete_attempt(people.bob, 2, best=False)
    with session_scope() as s:
        rows = csv_rows(reports.cohort_csv(s, people.trainer, people.cohort_id))
        in_campaign = csv_rows(reports.cohort_csv(s, people.trainer, people.cohort_id, campaign))
        workbook = load_workbook(io.BytesIO(reports.cohort_xlsx(s, people.trainer, people.cohort_id)))
        with pytest.raises(AccessDenied):
            reports.cohort_csv(s, people.alice, people.cohort_id)
        with pytest.raises(AccessDenied):
            reports.cohort_xlsx(s, people.other_trainer, people.cohort_id)
    assert [r["Stagiaire"] for r in rows] == ["Alice", "Bob"]
    assert (
        rows[0]["Communiquer"] == "85,0" and rows[1]["Communiquer"] == "15,0"
    )  # « 85.0 » reads as text in French Excel
    assert [r["Stagiaire"] for r in in_campaign] == ["Alice"]
    assert workbook.sheetnames == ["Scores", "Niveaux", "Moyennes", "Missions"]
    scores = list(workbook["Scores"].values)
    assert scores[0][:3] == ("Stagiaire", "Terminée le", "Communiquer") and scores[1][2] == 85
    levels = list(workbook["Niveaux"].values)
    assert levels[1][2] == "Expert" and levels[2][2] == "À découvrir"
    means = list(workbook["Moyennes"].values)
    assert means[1] == ("Communiquer", 50, 2)


def test_cohort_xlsx_stores_real_dates_and_the_missions(people):
    """Issue 18: the dates were text and the missions were left out."""
    attempt_id = complete_attempt(people.alice, 4)
    with session_scope() as s:
        workbook = load_workbook(io.BytesIO(reports.cohort_xlsx(s, people.trainer, people.cohort_id)))
        completed_at = assessment.get_attempt(s, people.alice, attempt_id).completed_at
    cell = workbook["Scores"]["B2"]
    assert cell.is_date and cell.value == completed_at.astimezone(ZoneInfo("Europe/Paris")).replace(
        tzinfo=None, microsecond=cell.value.microsecond
    )
    # shown as French people read a date (pandas 3 ignores ExcelWriter's datetime_format with
    # openpyxl: the cells showed 2026-12-07 01:02:33 in Excel and LibreOffice)
    assert [c.number_format for c in workbook["Scores"]["B"][1:]] == ["DD/MM/YYYY HH:MM"]
    assert workbook["Niveaux"]["B2"].number_format == "DD/MM/YYYY HH:MM"
    fw = framework()
    missions = list(workbook["Missions"].values)
    assert missions[0][0] == "Stagiaire" and missions[1][0] == "Alice"
    row = dict(zip(missions[0], missions[1], strict=True))
    assert row[fw.mission("veille").name] == fw.mastery_label("autonome")
    assert row[fw.mission("kpi").name] == fw.mastery_label("decouverte")
    assert row[fw.mission("strategie").name] in (None, "")


def test_empty_cohort_exports_have_headers_only(people):
    with session_scope() as s:
        data = reports.cohort_csv(s, people.trainer, people.cohort_id)
        workbook = load_workbook(io.BytesIO(reports.cohort_xlsx(s, people.trainer, people.cohort_id)))
    assert data.decode("utf-8-sig").splitlines()[0].startswith("Stagiaire;Terminée le;Communiquer")
    assert len(list(workbook["Scores"].values)) == 1


def test_the_pdf_is_named_after_the_day_people_read_on_the_page(people):
    """Finished at 00:30 in Paris on 8 December (23:30 UTC the day before): the page says
    « 08/12/2026 00:30 », the PDF was named « …-2026-12-07.pdf » (the UTC date)."""
    attempt_id = complete_attempt(people.alice, 4)
    with session_scope() as s:
        s.get(AssessmentAttempt, attempt_id).completed_at = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    with session_scope() as s:
        (view,) = assessment.list_attempts(s, people.alice)
    assert reports.pdf_file_name(view) == "auto-évaluation-2026-12-08.pdf"
    assert reports.pdf_file_name(view, "Alice Martin") == "auto-évaluation-alice-martin-2026-12-08.pdf"
