"""Reports of the self-assessment: a trainee's PDF, their own data as CSV, the cohort as CSV/XLSX.

CSV files use « ; » as separator and a UTF-8 byte-order mark, which is what French spreadsheet
software opens correctly by default. PDFs embed DejaVu Sans (shipped in ``fonts/``) so accents,
« » and narrow no-break spaces render on any machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy.orm import Session

from training_modules import assessment
from training_modules.assessment import AttemptView
from training_modules.competences import Framework, Option, framework
from training_modules.recommendations import judgement_feedback, recommend
from training_modules.scoring import NOT_SCORED, level_for, levels_sentence, scoring_rule
from workbench.access import Actor
from workbench.errors import UserError
from workbench.filenames import file_name
from workbench.localtime import fr_datetime, local
from workbench.numbers import fr_number
from workbench.spreadsheets import spreadsheet_cell

FONTS = Path(__file__).resolve().parent / "fonts"
CSV_SEPARATOR = ";"


def _fmt(score: float | None) -> str:
    return NOT_SCORED if score is None else f"{score:.0f}"


# --- PDF ------------------------------------------------------------------------------------------


class _Pdf(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("Atelier CM")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(110)
        self.cell(0, 6, f"Atelier CM — auto-évaluation — page {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: int = 13) -> None:
        self.ln(3)
        self.set_font("DejaVu", "B", size)
        self.set_text_color(20, 40, 90)
        self.multi_cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        self.set_font("DejaVu", "", 10)

    def para(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.multi_cell(0, 5.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("DejaVu", "", 10)


def _bars(pdf: _Pdf, fw: Framework, view: AttemptView, previous: AttemptView | None) -> None:
    """One bar per competence (0–100), the previous attempt as a grey tick."""
    assert view.report is not None
    label_w, bar_w, row_h = 52.0, 95.0, 7.0
    for comp in fw.competences:
        s = view.report.scores.get(comp.id)
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_font("DejaVu", "", 9)
        pdf.set_xy(x, y)
        pdf.cell(label_w, row_h, comp.name)
        pdf.set_fill_color(232, 236, 244)
        pdf.rect(x + label_w, y + 1.5, bar_w, row_h - 3, style="F")
        if s is not None and s.score is not None:
            pdf.set_fill_color(46, 94, 170)
            pdf.rect(x + label_w, y + 1.5, bar_w * s.score / 100, row_h - 3, style="F")
        old = previous.report.scores.get(comp.id) if previous and previous.report else None
        if old is not None and old.score is not None:
            pdf.set_draw_color(120)
            pdf.set_line_width(0.8)
            tick = x + label_w + bar_w * old.score / 100
            pdf.line(tick, y + 0.5, tick, y + row_h - 0.5)
        pdf.set_xy(x + label_w + bar_w + 3, y)
        text = _fmt(s.score if s else None) + (f" — {s.level_label}" if s and s.score is not None else "")
        pdf.cell(0, row_h, text)
        pdf.set_xy(x, y + row_h)
    if previous is not None:
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(110)
        pdf.cell(0, 5, f"Trait gris : auto-évaluation précédente ({fr_datetime(previous.completed_at)}).")
        pdf.ln(5)
        pdf.set_text_color(0)


def attempt_pdf(
    view: AttemptView,
    previous: AttemptView | None = None,
    exercises: Sequence[dict[str, Any]] = (),
    *,
    for_trainer: bool = False,
) -> bytes:
    """The report of one completed attempt: scores, evolution, advice, situations, missions.

    ``for_trainer``: written about the trainee (« sa réponse », « les réponses d’Alice ») for their
    trainer, instead of to them (« votre réponse »)."""
    fw = view.content  # the items at the version this attempt answered
    report = view.report
    if report is None:
        raise ValueError("attempt without a report")
    title = f"Auto-évaluation des compétences — {view.user_name}"
    pdf = _Pdf(title)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 10)
    when = fr_datetime(view.completed_at) if view.completed else "en cours (non terminée)"
    pdf.para(
        f"Auto-évaluation du {when}" + (f" — campagne « {view.campaign_name} »" if view.campaign_name else "")
    )

    pdf.heading("Scores par compétence (sur 100)")
    _bars(pdf, fw, view, previous)
    partial = [
        fw.competence(cid).name for cid, s in report.scores.items() if s.partial and s.score is not None
    ]
    if partial:
        pdf.para(f"Score calculé sur une partie des réponses seulement : {', '.join(partial)}.", size=9)
    capped = [fw.competence(cid).name for cid, s in report.scores.items() if s.capped]
    if capped:
        pdf.para(
            f"Score plafonné (l’auto-évaluation dépasse ce que montrent les mises en situation et les exercices)\u00a0: "
            f"{', '.join(capped)}.",
            size=9,
        )

    if previous is not None and previous.report is not None:
        pdf.heading("Évolution depuis la précédente")
        for comp in fw.competences:
            new, old = report.scores.get(comp.id), previous.report.scores.get(comp.id)
            if new and old and new.score is not None and old.score is not None:
                delta = new.score - old.score
                pdf.para(f"{comp.name} : {old.score:.0f} → {new.score:.0f} ({delta:+.0f})")

    pdf.heading("Points forts")
    pdf.para(
        ", ".join(fw.competence(c).name for c in report.strengths)
        or "Pas encore de compétence à 60 ou plus : les priorités ci-dessous sont le bon point de départ."
    )
    pdf.heading("Priorités et recommandations")
    if not report.priorities:
        pdf.para("Aucune priorité\u00a0: chaque compétence évaluée est au moins «\u00a0Maîtrisé\u00a0».")
    for rec in recommend(fw, report, exercises):
        score = report.scores[rec.competence_id]
        pdf.para(f"{rec.competence_name} ({_fmt(score.score)} — {score.level_label})", bold=True)
        for r in rec.resources:
            line = (
                f"• {r.title}"
                + (f" — {r.publisher}" if r.publisher else "")
                + (f" — {r.url}" if r.url else "")
            )
            pdf.para(line, size=9)
        for e in rec.exercises:
            pdf.para(f"• Exercice : {e.get('title') or e['id']}", size=9)

    pdf.heading("Mises en situation : ce qu’aurait fait un CM expérimenté")
    for fb in judgement_feedback(fw, view.choices):
        chosen = fb.chosen.quoted if fb.chosen else "sans réponse"
        verdict = "meilleure réponse" if fb.is_best else f"réponse recommandée\u00a0: {fb.best.quoted}"
        pdf.para(
            f"{fw.competence(fb.competence_id).name} — {fb.item.title} ({'sa' if for_trainer else 'votre'} réponse\u00a0: {chosen}\u202f; {verdict})",
            bold=True,
            size=9,
        )
        if not fb.is_best:
            pdf.para(fb.item.explanation, size=9)

    pdf.heading("Missions : niveau de maîtrise déclaré")
    for mission in fw.missions:
        level = view.missions.get(mission.id)
        pdf.para(f"{mission.name} : {fw.mastery_label(level) if level else 'non renseigné'}", size=9)

    pdf.heading("Comment lire ces scores", size=11)
    pdf.para(
        f"{scoring_rule(view.user_name if for_trainer else None)} {levels_sentence()}",
        size=8,
    )
    return bytes(pdf.output())


def pdf_file_name(view: AttemptView, person: str = "") -> str:
    """``auto-évaluation[-person]-YYYY-MM-DD.pdf``, dated as the page dates the attempt (people's time zone)."""
    assert view.completed_at is not None  # only a finished attempt has a report
    return file_name("auto-évaluation", person, f"{local(view.completed_at):%Y-%m-%d}", extension="pdf")


def trainee_pdf(
    session: Session, actor: Actor, user_id: int, exercises: Sequence[dict[str, Any]] = ()
) -> bytes:
    """The PDF of a trainee's latest completed attempt (for their trainer or themself)."""
    attempts = assessment.list_attempts(session, actor, user_id)
    if not attempts:
        raise UserError(
            "Cette personne n’a encore terminé aucune auto-évaluation : pas de rapport à produire."
        )
    latest = attempts[-1]
    return attempt_pdf(
        latest, assessment.previous_of(attempts, latest.id), exercises, for_trainer=actor.id != user_id
    )


# --- CSV and XLSX ---------------------------------------------------------------------------------


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """Semicolons and decimal commas, as a French spreadsheet opens it (« 85.0 » would be text)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=CSV_SEPARATOR, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {
            k: fr_number(v, 1) if isinstance(v, float) else spreadsheet_cell(v) if isinstance(v, str) else v
            for k, v in row.items()
        }
        for row in rows
    )
    return buffer.getvalue().encode("utf-8-sig")


OWN_COLUMNS = ["tentative", "terminee_le", "campagne", "type", "identifiant", "libelle", "valeur", "niveau"]


def own_data_rows(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Everything the actor answered and scored, one row per answer or score (their data, portable).

    The unfinished attempt's answers are included too (its scores are not: it is not scored yet).
    """
    fw = framework()
    labels = {s.id: s.text for c in fw.competences for s in c.statements}
    rows: list[dict[str, Any]] = []
    draft = assessment.in_progress(session, actor)
    for view in [*assessment.list_attempts(session, actor), *([draft] if draft else [])]:
        items = {j.id: j for c in view.content.competences for j in c.situational}
        base = {
            "tentative": view.id,
            "terminee_le": fr_datetime(view.completed_at) if view.completed else "en cours",
            "campagne": view.campaign_name or "",
        }
        assert view.report is not None
        for cid, s in view.report.scores.items() if view.completed else ():
            rows.append(
                base
                | {"type": "score", "identifiant": cid, "libelle": fw.competence(cid).name}
                | {"valeur": "" if s.score is None else s.score, "niveau": s.level_label}
            )
        for item_id, rating in view.ratings.items():
            rows.append(
                base
                | {"type": "affirmation", "identifiant": item_id, "libelle": labels.get(item_id, "")}
                | {"valeur": rating, "niveau": fw.rating_label(rating)}
            )
        for item_id, option_id in view.choices.items():
            item = items.get(item_id)
            option = item.option(option_id) if item else None
            rows.append(
                base
                | {"type": "mise en situation", "identifiant": item_id, "libelle": item.title if item else ""}
                | _option_cells(option, item.best if item else None)
            )
        for mission_id, level in view.missions.items():
            rows.append(
                base
                | {"type": "mission", "identifiant": mission_id, "libelle": fw.mission(mission_id).name}
                | {"valeur": level, "niveau": fw.mastery_label(level)}
            )
    return rows


def _option_cells(option: Option | None, best: Option | None) -> dict[str, str]:
    """A situation's answer by its text (the page shows no letters) and its worth for an experienced CM."""
    if option is None or best is None:
        return {"valeur": "", "niveau": ""}
    worth = "meilleure réponse" if option.score == best.score else f"{option.score}/{best.score}"
    return {"valeur": option.text, "niveau": worth}


def own_data_csv(session: Session, actor: Actor) -> bytes:
    return _csv(own_data_rows(session, actor), OWN_COLUMNS)


def cohort_frame(
    session: Session, actor: Actor, cohort_id: int, campaign_id: int | None = None
) -> pd.DataFrame:
    """Trainees × competences (latest completed attempt), for the trainer, notebooks and exports."""
    fw = framework()
    rows = assessment.cohort_scores(session, actor, cohort_id, campaign_id)
    records = []
    for r in rows:
        record: dict[str, Any] = {"Stagiaire": r.display_name, "Terminée le": fr_datetime(r.completed_at)}
        for comp in fw.competences:
            record[comp.name] = r.scores.get(comp.id)
        records.append(record)
    columns = ["Stagiaire", "Terminée le", *(c.name for c in fw.competences)]
    return pd.DataFrame.from_records(records, columns=columns)


def cohort_csv(session: Session, actor: Actor, cohort_id: int, campaign_id: int | None = None) -> bytes:
    frame = cohort_frame(session, actor, cohort_id, campaign_id)
    rows = [{k: ("" if pd.isna(v) else v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    return _csv(rows, list(frame.columns))


def cohort_xlsx(session: Session, actor: Actor, cohort_id: int, campaign_id: int | None = None) -> bytes:
    """A workbook: the scores, then the level of each score, then the cohort's means, then the
    missions' self-declared mastery. Dates are real spreadsheet dates (the people's time zone)."""
    fw = framework()
    frame = cohort_frame(session, actor, cohort_id, campaign_id)
    rows = assessment.cohort_scores(session, actor, cohort_id, campaign_id)
    frame["Terminée le"] = [local(r.completed_at).replace(tzinfo=None) for r in rows]
    frame["Stagiaire"] = [spreadsheet_cell(name) for name in frame["Stagiaire"]]
    levels = frame.copy()
    for comp in fw.competences:
        levels[comp.name] = [
            NOT_SCORED if pd.isna(v) else level_for(float(v)).label for v in frame[comp.name]
        ]
    means = pd.DataFrame(
        {
            "Compétence": [c.name for c in fw.competences],
            "Moyenne": [None if frame.empty else round(frame[c.name].mean(), 1) for c in fw.competences],
            "Répondants": [int(frame[c.name].notna().sum()) for c in fw.competences],
        }
    )
    missions = pd.DataFrame.from_records(
        [
            {"Stagiaire": spreadsheet_cell(r.display_name)}
            | {m.name: fw.mastery_label(r.missions[m.id]) if m.id in r.missions else "" for m in fw.missions}
            for r in rows
        ],
        columns=["Stagiaire", *(m.name for m in fw.missions)],
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Scores", index=False)
        levels.to_excel(writer, sheet_name="Niveaux", index=False)
        means.to_excel(writer, sheet_name="Moyennes", index=False)
        missions.to_excel(writer, sheet_name="Missions", index=False)
        for sheet in writer.sheets.values():
            sheet.freeze_panes = "B2"
            sheet.column_dimensions["A"].width = 24
            for row in sheet.iter_rows(min_row=2):  # pandas 3 leaves openpyxl's ISO format on dates
                for cell in row:
                    if cell.is_date:
                        cell.number_format = "DD/MM/YYYY HH:MM"
        writer.sheets["Scores"].column_dimensions["B"].width = 17
    return buffer.getvalue()
