"""A trainee completes two self-assessments and sees both on the radar; the trainer sees the
cohort heatmap and downloads the cohort CSV."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, wait_idle
from training_modules.competences import framework
from workbench import db as wdb
from workbench.accounts import create_first_trainer
from workbench.cohorts import create_cohort, sign_up_with_code

pytestmark = pytest.mark.browser

FW = framework()


def _seed(url: str) -> None:
    """A trainer, a cohort and a trainee, as after the foundation journey."""
    from workbench.access import Actor

    wdb.upgrade_database(url)
    with wdb.session_scope(url) as s:
        trainer = create_first_trainer(
            s, email="claire@example.fr", display_name="Claire Formatrice", password="atelier-2026"
        )
        cohort = create_cohort(s, Actor.of(trainer), name="Promo radar")
        sign_up_with_code(
            s,
            code=cohort.join_code,
            email="alice@example.fr",
            display_name="Alice Stagiaire",
            password="alice-pass-1",
        )
    wdb.dispose_engines()
    wdb._factories.clear()


def _settled(page, last_text: str) -> None:
    """Wait until the run has rendered ``last_text`` (late in the page) and is over: until then
    Streamlit may still show the previous step's form, with the same button labels."""
    page.get_by_text(last_text, exact=False).first.wait_for()
    wait_idle(page)


def _answer_every_step(page, pick: int) -> None:
    """Answer each competence step by clicking option ``pick`` of every question, then finish."""
    for comp in FW.competences:
        page.get_by_role("heading", name=comp.name, exact=True).wait_for()
        _settled(page, comp.situational[-1].question)
        groups = page.get_by_test_id("stForm").first.get_by_role("radiogroup")
        expect(groups).to_have_count(len(comp.statements) + len(comp.situational))
        expect(groups.first).to_have_attribute("aria-label", comp.statements[0].text)
        for i in range(groups.count()):
            options = groups.nth(i).locator("label")
            options.nth(min(pick, options.count() - 1)).click()
        page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Les 14 missions du métier").wait_for()
    _settled(page, FW.missions[-1].levels["referent"])
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.get_by_role("heading", name="Vérifier et terminer").wait_for()
    finish = page.get_by_role("button", name="Terminer et voir mes résultats")
    expect(finish).to_be_enabled()
    wait_idle(page)
    finish.click()
    page.get_by_text("Votre auto-évaluation est enregistrée").wait_for()


def test_two_attempts_on_the_radar_then_the_trainers_heatmap_and_csv(app_server, new_context):
    _seed(f"sqlite:///{app_server.data_dir / 'atelier.db'}")

    trainer = new_context().new_page()
    trainer.set_default_timeout(60_000)  # the trainer's page renders several charts; the machine is shared
    log_in(trainer, app_server.url)
    trainer.get_by_role("link", name="Carte des compétences").click()
    trainer.get_by_label("Nom", exact=True).fill("Début de formation")
    trainer.get_by_role("button", name="Ouvrir la campagne").click()
    trainer.get_by_text("Début de formation").first.wait_for()

    trainee = new_context().new_page()
    trainee.set_default_timeout(60_000)
    log_in(trainee, app_server.url, "alice@example.fr", "alice-pass-1")
    trainee.get_by_role("link", name="Auto-évaluation").click()
    trainee.get_by_text("Votre formateur a ouvert une campagne").wait_for()
    trainee.get_by_role("button", name="Commencer l’auto-évaluation").click()
    _answer_every_step(trainee, pick=1)
    trainee.get_by_role("button", name="Commencer l’auto-évaluation").click()
    _answer_every_step(trainee, pick=3)

    trainee.get_by_role("link", name="Mes résultats").click()
    wait_idle(trainee)
    radar = trainee.locator(".js-plotly-plot").first
    expect(radar.locator(".legendtext")).to_have_count(2)
    expect(radar.locator(".legendtext").first).to_have_text(re.compile("^Précédente"))
    expect(radar.locator(".legendtext").last).to_have_text(re.compile("^Auto-évaluation du"))
    expect(radar.locator(".scatterlayer .trace")).to_have_count(2)

    trainer.reload()
    _settled(trainer, "Clore la campagne aujourd’hui")
    trainer.get_by_role("tab", name="Carte de la session").click()
    heatmap = trainer.locator(".js-plotly-plot").filter(has=trainer.locator("g.hm"))
    heatmap.first.wait_for()
    expect(heatmap.first.locator(".ytick", has_text="Alice Stagiaire").first).to_be_attached()

    trainer.get_by_role("tab", name="Exports").click()
    with trainer.expect_download() as download:
        trainer.get_by_role("button", name="Télécharger la session (CSV)").click()
    content = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert [r["Stagiaire"] for r in rows] == ["Alice Stagiaire"]
    assert all(rows[0][c.name] for c in FW.competences)
