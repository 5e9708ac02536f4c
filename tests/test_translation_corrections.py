"""Reviewed translations ("traductions relues"): who sees and who may change what, on both
database backends; the translation memory's idempotent storage."""

from __future__ import annotations

import pytest

from curation.translation.memory import (
    delete_correction,
    lookup_memory,
    pending_corrections,
    save_correction,
    store_memory,
    validate_correction,
)
from curation.translation.providers import ProviderConfig
from curation.translation.service import FROM_OWN_REVIEW, FROM_REVIEW, translate_texts
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError

SOURCE = "Our reach grew."
NO_NETWORK = ProviderConfig(provider="libre", provider_url="http://translate.atelier.invalid/", timeout_s=2)


def _seen_by(actor) -> tuple[str | None, str]:
    """What ``actor`` reads for SOURCE (the provider is unreachable: only reviews can answer)."""
    with session_scope() as s:
        item = translate_texts(s, [SOURCE], source="en", actor=actor, config=NO_NETWORK).items[0]
    return item.translated, item.origin


def test_trainee_correction_is_personal_until_their_trainer_validates_it(people) -> None:
    with session_scope() as s:
        mine = save_correction(
            s, people.alice, SOURCE, "Notre portée a grandi.", source_lang="en", target_lang="fr"
        )
    assert not mine.validated
    assert _seen_by(people.alice) == ("Notre portée a grandi.", FROM_OWN_REVIEW)
    assert _seen_by(people.bob)[0] is None
    assert _seen_by(None)[0] is None  # the digest

    with session_scope() as s:
        assert [c.id for c in pending_corrections(s, people.trainer)] == [mine.id]
        assert pending_corrections(s, people.other_trainer) == []
        with pytest.raises(AccessDenied):
            validate_correction(s, people.other_trainer, mine.id)
        with pytest.raises(AccessDenied):
            validate_correction(s, people.bob, mine.id)
    with session_scope() as s:
        assert validate_correction(s, people.trainer, mine.id).validated
    assert _seen_by(people.bob) == ("Notre portée a grandi.", FROM_REVIEW)
    assert _seen_by(None)[0] == "Notre portée a grandi."


def test_own_correction_wins_over_the_validated_one(people) -> None:
    with session_scope() as s:
        save_correction(
            s, people.trainer, SOURCE, "Notre portée a augmenté.", source_lang="en", target_lang="fr"
        )
        save_correction(
            s, people.bob, SOURCE, "Notre portée a progressé.", source_lang="en", target_lang="fr"
        )
    assert _seen_by(people.alice) == ("Notre portée a augmenté.", FROM_REVIEW)
    assert _seen_by(people.bob) == ("Notre portée a progressé.", FROM_OWN_REVIEW)
    assert _seen_by(people.zoe)[0] == "Notre portée a augmenté."


def test_editing_a_validated_correction_makes_it_personal_again(people) -> None:
    with session_scope() as s:
        c = save_correction(s, people.alice, SOURCE, "Version 1.", source_lang="en", target_lang="fr")
        validate_correction(s, people.trainer, c.id)
    with session_scope() as s:
        again = save_correction(s, people.alice, SOURCE, "Version 2.", source_lang="en", target_lang="fr")
    assert again.id == c.id and not again.validated
    assert _seen_by(people.bob)[0] is None


def test_who_may_delete(people) -> None:
    with session_scope() as s:
        c = save_correction(s, people.alice, SOURCE, "Texte.", source_lang="en", target_lang="fr")
    with session_scope() as s, pytest.raises(AccessDenied):
        delete_correction(s, people.bob, c.id)
    with session_scope() as s, pytest.raises(AccessDenied):
        delete_correction(s, people.other_trainer, c.id)
    with session_scope() as s:
        delete_correction(s, people.trainer, c.id)
    with session_scope() as s:
        assert pending_corrections(s, people.alice) == []


def test_empty_correction_is_refused(people) -> None:
    with session_scope() as s, pytest.raises(UserError, match="vide"):
        save_correction(s, people.alice, SOURCE, "  ", source_lang="en", target_lang="fr")


def test_memory_store_is_idempotent(db_url) -> None:
    with session_scope() as s:
        store_memory(s, "google", "en", "fr", [("h1", "Hello", "Bonjour", 5)])
    with session_scope() as s:
        store_memory(s, "google", "en", "fr", [("h1", "Hello", "Salut", 5), ("h2", "World", "Monde", 5)])
    with session_scope() as s:
        assert lookup_memory(s, "google", "en", "fr", ["h1", "h2", "h3"]) == {"h1": "Bonjour", "h2": "Monde"}
        assert lookup_memory(s, "deepl", "en", "fr", ["h1"]) == {}
