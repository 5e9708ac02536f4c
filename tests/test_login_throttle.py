"""Login throttling: growing delays per account and per client, never a lock the owner cannot pass."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.apptest import run_page as page
from workbench.accounts import authenticate
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError
from workbench.login_throttle import (
    ACCOUNT_MAX_DELAY,
    FORGET_AFTER,
    clear_throttles,
    client_address,
    current_throttles,
    login_wait,
)
from workbench.models import LoginThrottle

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def _try(email: str, password: str, client: str) -> str:
    """``"ok"``, ``"wrong"`` or ``"slowed"``: what one login attempt got."""
    try:
        with session_scope() as s:
            authenticate(s, email, password, client=client)
    except UserError as exc:
        return "slowed" if "Trop d’essais" in str(exc) else "wrong"
    return "ok"


def _let_time_pass(seconds: float) -> None:
    """Move every recorded failure into the past, as if ``seconds`` had gone by."""
    with session_scope() as s:
        for row in s.query(LoginThrottle):
            row.last_failure_at -= timedelta(seconds=seconds)


def _wait(email: str, client: str) -> float:
    with session_scope() as s:
        return login_wait(s, email, client)


def test_one_password_sprayed_across_accounts_is_slowed(people):
    emails = ["bob@example.fr"] + [f"personne{i}@example.fr" for i in range(40)]
    outcomes = [_try(email, "Printemps2026", ATTACKER) for email in emails]
    assert outcomes[0] == "wrong"
    assert "slowed" in outcomes
    first_slowed = outcomes.index("slowed")
    assert first_slowed <= 12
    # Waiting the announced delay lets exactly one more guess through, and the delays grow.
    waits = []
    for _ in range(4):
        waits.append(_wait("quelquun@example.fr", ATTACKER))
        _let_time_pass(waits[-1])
        assert _try("quelquun@example.fr", "Printemps2026", ATTACKER) == "wrong"
        assert _try("autre@example.fr", "Printemps2026", ATTACKER) == "slowed"
    assert waits == sorted(waits) and waits[-1] >= 4 * waits[0] > 0
    # The owner of a sprayed account logs in from their own device at once.
    assert _try("bob@example.fr", "motdepasse-b1", OWNER) == "ok"


def test_lockout_attempt_does_not_stop_the_owner_on_another_device(people):
    wrong = 0
    for _ in range(60):  # an attacker who patiently waits out every delay
        outcome = _try("alice@example.fr", "devine-1234", ATTACKER)
        if outcome == "slowed":
            _let_time_pass(_wait("alice@example.fr", ATTACKER))
        else:
            wrong += 1
    assert wrong >= 20
    attacker_wait = _wait("alice@example.fr", ATTACKER)
    owner_wait = _wait("alice@example.fr", OWNER)
    assert owner_wait <= ACCOUNT_MAX_DELAY.total_seconds() < attacker_wait
    _let_time_pass(owner_wait)
    assert _try("alice@example.fr", "motdepasse-a1", OWNER) == "ok"
    # The attacker's device is still slowed on that account, even with the right password.
    assert _try("alice@example.fr", "motdepasse-a1", ATTACKER) == "slowed"


def test_a_few_typos_cost_the_owner_nothing(people):
    for _ in range(3):
        assert _try("bob@example.fr", "motdepasse-b2", OWNER) == "wrong"
    assert _try("bob@example.fr", "motdepasse-b1", OWNER) == "ok"
    with session_scope() as s:
        assert login_wait(s, "bob@example.fr", OWNER) == 0


def test_counts_are_forgotten_after_an_hour_without_failure(people):
    for i in range(5):
        _try(f"personne{i}@example.fr", "devine-1234", ATTACKER)
    _let_time_pass(FORGET_AFTER.total_seconds() + 1)
    assert _try("bob@example.fr", "devine-1234", OWNER) == "wrong"
    with session_scope() as s:  # the old rows are gone, only the new failure's remain
        assert {(r.email, r.client, r.failures) for r in s.query(LoginThrottle)} == {
            ("bob@example.fr", "", 1),
            ("", OWNER, 1),
            ("bob@example.fr", OWNER, 1),
        }


def test_slowed_answer_is_the_same_for_unknown_and_known_emails(people):
    messages = []
    for email in ("alice@example.fr", "personne@example.fr"):
        while _try(email, "devine-1234", ATTACKER) != "slowed":
            pass
        with pytest.raises(UserError) as exc, session_scope() as s:
            authenticate(s, email, "devine-1234", client=ATTACKER)
        messages.append(str(exc.value).split("Réessayez")[0])
    assert messages[0] == messages[1]


def test_trainer_sees_and_clears_throttles_of_their_trainees(people):
    while _try("alice@example.fr", "devine-1234", ATTACKER) != "slowed":
        pass
    while _try("zoe@example.fr", "devine-1234", OWNER) != "slowed":
        pass
    with session_scope() as s:
        views = current_throttles(s, people.trainer)
    emails = {v.email for v in views}
    assert "alice@example.fr" in emails
    assert "zoe@example.fr" not in emails  # another trainer's trainee
    alice_rows = [v for v in views if v.email == "alice@example.fr"]
    assert any(v.wait_seconds > 0 for v in alice_rows)
    with session_scope() as s:
        clear_throttles(s, people.trainer, [view.id for view in alice_rows])
    assert _try("alice@example.fr", "motdepasse-a1", ATTACKER) == "ok"
    # Zoé's throttle belongs to the other trainer's trainee: not clearable from here.
    with session_scope() as s:
        zoe_ids = [v.id for v in current_throttles(s, people.other_trainer) if v.email == "zoe@example.fr"]
    assert zoe_ids
    with pytest.raises(AccessDenied), session_scope() as s:
        clear_throttles(s, people.trainer, zoe_ids)


def test_a_trainee_can_neither_see_nor_clear(people):
    while _try("bob@example.fr", "devine-1234", ATTACKER) != "slowed":
        pass
    with session_scope() as s:
        some_id = s.query(LoginThrottle.id).first()[0]
    with pytest.raises(AccessDenied), session_scope() as s:
        current_throttles(s, people.alice)
    with pytest.raises(AccessDenied), session_scope() as s:
        clear_throttles(s, people.alice, [some_id])
    assert _try("bob@example.fr", "motdepasse-b1", ATTACKER) == "slowed"


def test_sessions_page_lists_and_clears_the_chosen_throttles(people):
    while _try("alice@example.fr", "devine-1234", ATTACKER) != "slowed":
        pass
    while _try("bob@example.fr", "devine-1234", OWNER) != "slowed":
        pass
    at = page("screens/cohorts.py", people.trainer)
    assert not at.exception
    assert {"alice@example.fr", "bob@example.fr"} <= set(at.dataframe[0].value["Compte"])
    chosen = at.multiselect(key="throttles-chosen")
    assert len(chosen.value) >= 2  # all chosen at first
    chosen.set_value([i for i in chosen.value if "alice" in chosen.format_func(i)]).run()
    at.button(key="throttles-clear").click().run()
    assert not at.exception
    assert at.success and "levé" in at.success[0].value
    assert _try("alice@example.fr", "motdepasse-a1", ATTACKER) == "ok"
    with session_scope() as s:  # Bob's was not chosen: still counted
        assert s.query(LoginThrottle).filter_by(email="bob@example.fr", client=OWNER).one().failures >= 4


@pytest.mark.parametrize(
    ("peer", "forwarded", "hops", "expected"),
    [
        ("198.51.100.7", None, 0, "198.51.100.7"),
        (None, None, 0, "local"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", 0, "10.0.0.2"),  # no proxy configured: the header is ignored
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", 1, "203.0.113.5"),  # the left entry is the caller's forgery
        ("10.0.0.2", "203.0.113.5", 2, "203.0.113.5"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(peer, forwarded, hops, expected):
    assert client_address(peer, forwarded, hops) == expected
