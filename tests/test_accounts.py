from __future__ import annotations

import pytest

from workbench.access import Actor, can_read_user, require_read_user
from workbench.accounts import (
    authenticate,
    change_password,
    create_first_trainer,
    end_session,
    normalise_email,
    start_session,
    update_profile,
    user_for_token,
)
from workbench.cohorts import (
    accept_invitation,
    create_cohort,
    invite,
    join_with_code,
    list_cohorts,
    members,
    regenerate_code,
    set_closed,
    set_member_active,
    sign_up_with_code,
)
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError
from workbench.models import User


@pytest.mark.parametrize(
    "address",
    ["prenom.nom@exemple.fr", "a+veille@sous.domaine.example.org", "o'hara@x.fr", "élodie@café.fr"],
)
def test_ordinary_addresses_are_accepted(address):
    assert normalise_email(f"  {address.upper()} ") == address


def test_first_trainer_only_once(db_url):
    with session_scope() as s:
        user = create_first_trainer(s, email="Ana@Example.fr ", display_name="Ana", password="motdepasse-9")
        assert user.email == "ana@example.fr" and user.is_trainer
        assert user.password_hash.startswith("$argon2id$")
    with pytest.raises(UserError, match="déjà un compte"), session_scope() as s:
        create_first_trainer(s, email="b@example.fr", display_name="B", password="motdepasse-9")


@pytest.mark.parametrize("password", ["court1", "sanschiffres", "1234567890"])
def test_weak_password_states_the_rule(db_url, password):
    with pytest.raises(UserError, match="au moins 10 caractères"), session_scope() as s:
        create_first_trainer(s, email="a@example.fr", display_name="A", password=password)
    with session_scope() as s:
        assert s.query(User).count() == 0


def test_sign_up_does_not_tell_which_emails_have_accounts(people):
    """A join-code holder learns nothing: same outcome for a taken e-mail, nothing changed on it."""
    with session_scope() as s:
        taken = sign_up_with_code(
            s, code=people.code, email="ALICE@example.fr", display_name="Alice 2", password="motdepasse-a2"
        )
        assert taken is None
    with session_scope() as s:
        assert s.query(User).filter_by(display_name="Alice 2").count() == 0
        assert authenticate(s, "alice@example.fr", "motdepasse-a1").display_name == "Alice"
        assert len(list_cohorts(s, people.zoe)) == 1
    # Even the owner's own password changes nothing (she joins from « Mon compte »): the cohort's
    # trainer could otherwise test her password by watching who joins.
    with session_scope() as s:
        assert (
            sign_up_with_code(
                s,
                code=people.other_code,
                email="alice@example.fr",
                display_name="Alice",
                password="motdepasse-a1",
            )
            is None
        )
    with session_scope() as s:
        assert [c.name for c in list_cohorts(s, people.alice)] == ["Promo CM 2026"]


def test_wrong_and_closed_codes(people):
    with pytest.raises(UserError, match="Code de session inconnu"), session_scope() as s:
        sign_up_with_code(
            s, code="NOPE1234", email="x@example.fr", display_name="X", password="motdepasse-x1"
        )
    with session_scope() as s:
        set_closed(s, people.trainer, people.cohort_id)
    with pytest.raises(UserError, match="close"), session_scope() as s:
        sign_up_with_code(
            s, code=people.code.lower(), email="x@example.fr", display_name="X", password="motdepasse-x1"
        )
    with session_scope() as s:
        assert s.query(User).filter_by(email="x@example.fr").count() == 0


def test_session_token_survives_and_ends(people):
    with session_scope() as s:
        user = authenticate(s, "alice@example.fr", "motdepasse-a1")
        token = start_session(s, user)
    with session_scope() as s:
        assert user_for_token(s, token).email == "alice@example.fr"
        assert user_for_token(s, token + "x") is None
        end_session(s, token)
    with session_scope() as s:
        assert user_for_token(s, token) is None


def test_password_change_revokes_sessions(people):
    with session_scope() as s:
        token = start_session(s, authenticate(s, "bob@example.fr", "motdepasse-b1"))
    with pytest.raises(UserError, match="actuel est incorrect"), session_scope() as s:
        change_password(s, people.bob, "faux-faux-1", "nouveau-mdp-22")
    with session_scope() as s:
        change_password(s, people.bob, "motdepasse-b1", "nouveau-mdp-22")
        update_profile(s, people.bob, display_name="  Bob   Martin ")
    with session_scope() as s:
        assert user_for_token(s, token) is None
        assert authenticate(s, "bob@example.fr", "nouveau-mdp-22").display_name == "Bob Martin"


def test_deactivated_trainee_cannot_log_in(people):
    with session_scope() as s:
        set_member_active(s, people.trainer, people.cohort_id, people.alice.id, False)
    with pytest.raises(UserError, match="désactivé"), session_scope() as s:
        authenticate(s, "alice@example.fr", "motdepasse-a1")


def test_trainer_actions_refused_to_others(people):
    for actor in (people.alice, people.other_trainer):
        with pytest.raises(AccessDenied), session_scope() as s:
            regenerate_code(s, actor, people.cohort_id)
        with pytest.raises(AccessDenied), session_scope() as s:
            set_member_active(s, actor, people.cohort_id, people.bob.id, False)
        with pytest.raises(AccessDenied), session_scope() as s:
            set_closed(s, actor, people.cohort_id)
    with pytest.raises(AccessDenied), session_scope() as s:
        create_cohort(s, people.alice, name="Ma session")
    with pytest.raises(AccessDenied), session_scope() as s:
        members(s, people.zoe, people.cohort_id)


def test_read_rules(people):
    with session_scope() as s:
        assert can_read_user(s, people.alice, people.alice.id)
        assert not can_read_user(s, people.alice, people.bob.id)
        assert can_read_user(s, people.trainer, people.bob.id)
        assert not can_read_user(s, people.other_trainer, people.bob.id)
        with pytest.raises(AccessDenied):
            require_read_user(s, people.zoe, people.alice.id)
        assert [c.name for c in list_cohorts(s, people.alice)] == ["Promo CM 2026"]
        assert [m.display_name for m in members(s, people.trainer, people.cohort_id)] == ["Alice", "Bob"]


def test_invitation_and_second_cohort(people):
    with session_scope() as s:
        token = invite(s, people.trainer, people.cohort_id, "nina@example.fr")
    with session_scope() as s:
        nina = accept_invitation(s, token=token, display_name="Nina", password="motdepasse-n1")
        nina_actor = Actor.of(nina)
    with pytest.raises(UserError, match="pas valable"), session_scope() as s:
        accept_invitation(s, token=token, display_name="Nina", password="motdepasse-n1")
    with session_scope() as s:
        join_with_code(s, nina_actor, people.other_code)
        assert len(list_cohorts(s, nina_actor)) == 2
    with pytest.raises(UserError, match="déjà partie"), session_scope() as s:
        join_with_code(s, nina_actor, people.other_code)


def test_a_cohorts_members_are_listed_in_french_alphabetical_order(people):
    """On SQLite « Élodie » came after « Zoé » (code points) in the trainer's lists of the session."""
    from training_modules import assessment

    with session_scope() as s:
        for email, name in (
            ("zoe2@example.fr", "Zoé"),
            ("elodie@example.fr", "Élodie"),
            ("eric@example.fr", "eric"),
        ):
            sign_up_with_code(s, code=people.code, email=email, display_name=name, password="motdepasse-x1")
    with session_scope() as s:
        assert [m.display_name for m in members(s, people.trainer, people.cohort_id)] == [
            "Alice",
            "Bob",
            "Élodie",
            "eric",
            "Zoé",
        ]
        assert [name for _, name in assessment._members(s, people.cohort_id)] == [
            "Alice",
            "Bob",
            "Élodie",
            "eric",
            "Zoé",
        ]
