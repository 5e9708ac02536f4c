"""A real OPML's worth of sources in a real browser: 1,000 subscriptions, 541 of them in error, and
every one in error unsubscribed in one action. The account is seeded straight into the app's
database (not through 1,000 HTTP feeds), on a fresh installation of its own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from curation.models import Subscription
from tests.browser.conftest import TRAINER_EMAIL, sign_up_first_trainer, wait_idle
from tests.entry_factory import add_many_subscriptions
from workbench.db import session_scope
from workbench.models import User

pytestmark = pytest.mark.browser


def test_a_thousand_sources_and_a_bulk_unsubscribe(app_server, new_context) -> None:
    page = new_context().new_page()
    sign_up_first_trainer(page, app_server.url)
    database = f"sqlite:///{app_server.data_dir / 'atelier.db'}"
    with session_scope(database) as s:
        trainer = s.scalar(select(User.id).where(User.email == TRAINER_EMAIL))
        # the demo's starter feeds, subscribed on the newcomer's first page (home counts their stories)
        starters = s.scalar(select(func.count(Subscription.id)).where(Subscription.user_id == trainer))
        add_many_subscriptions(s, trainer, 1000 - starters, errors=541, pending=100)

    page.get_by_role("link", name="Sources").click()
    page.get_by_text("1\u202f000 sources suivies · 541 en erreur").wait_for()
    page.get_by_text("1\u202f000 sources · page 1 sur 10").wait_for()
    page.get_by_test_id("stSelectbox").filter(has_text="État").click()
    page.get_by_role("option", name="En erreur (541)").click()
    page.get_by_text("541 sources · page 1 sur 6").wait_for()
    wait_idle(page)
    page.get_by_text("Toutes les sources de ce filtre, toutes pages comprises (541)").click()
    wait_idle(page)
    page.get_by_role("button", name="Se désabonner").click()
    page.get_by_text("Se désabonner de 541 sources").wait_for()
    page.get_by_role("button", name="Oui, se désabonner").click()
    page.get_by_text("Désabonné·e de 541 sources.").wait_for()
    page.get_by_text("459 sources suivies", exact=True).wait_for()
    with session_scope(database) as s:
        assert s.scalar(select(func.count(Subscription.id)).where(Subscription.user_id == trainer)) == 459
