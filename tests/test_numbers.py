"""French numbers typed by people: one reader (workbench.numbers) for every number field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workbench.errors import UserError
from workbench.numbers import decimals, fr_int, fr_number, parse_number, quantity, read_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("6,88", Decimal("6.88")),
        ("6,88 %", Decimal("6.88")),
        ("6,88\u00a0%", Decimal("6.88")),
        ("6,88%", Decimal("6.88")),
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("1\u202f234,5", Decimal("1234.5")),
        ("1 234 567,25", Decimal("1234567.25")),
        ("-3,5", Decimal("-3.5")),
        ("\u22123,5", Decimal("-3.5")),
        ("  42 ", Decimal("42")),
        ("0,05", Decimal("0.05")),
    ],
)
def test_french_forms_are_read(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    "typed",
    [
        "6.8.8",
        "6,8,8",
        "abc",
        "12a",
        "%",
        "1 2 3,4,5",
        "NaN",
        "inf",
        "1e5",
        "1E5",
        "1e-3",
        "2,5e3",
        "1_000",
        "1 000_000",
    ],
)
def test_unreadable_forms_are_refused(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


def test_read_number_names_the_field_and_never_changes_a_value():
    assert read_number("6,88", label="Taux") == pytest.approx(6.88)
    assert read_number(6.88, label="Taux") == 6.88
    assert read_number("", label="Taux") is None
    assert read_number(None, label="Taux") is None
    with pytest.raises(UserError) as err:
        read_number("6.8.8", label="Taux d’engagement (%)", field="engagement_rate")
    assert err.value.field == "engagement_rate"
    message = str(err.value)
    assert "«\u00a0Taux d’engagement (%)\u00a0»" in message and "«\u00a06.8.8\u00a0»" in message
    assert "n’est pas un nombre lisible" in message and "6,88" in message
    with pytest.raises(UserError, match="n’est pas un nombre lisible"):
        read_number("abc", label="Taux")


def test_read_number_whole_numbers_and_limits():
    assert read_number("1 000", label="Seuil", whole=True, minimum=1) == 1000
    with pytest.raises(UserError, match="nombre entier"):
        read_number("2,5", label="Seuil", whole=True)
    with pytest.raises(UserError, match=r"hors limites \(au moins 1 et au plus 23\)"):
        read_number("24", label="Heure", whole=True, minimum=1, maximum=23)


def test_numbers_are_written_the_french_way():
    assert fr_number(1234.5, 2) == "1\u202f234,50"
    assert fr_number(-3.5, 2) == "-3,50"
    assert fr_number(0.05, 1) == "0,1"
    assert fr_number(688, 0) == "688"
    assert fr_int(1000) == "1\u202f000"


def test_counts_agree_with_their_number():
    assert quantity(1, "stagiaire") == "1\u00a0stagiaire"
    assert quantity(0, "article") == "0\u00a0article"
    assert quantity(2, "stagiaire") == "2\u00a0stagiaires"
    assert quantity(1200, "nouvel article", "nouveaux articles") == "1\u202f200\u00a0nouveaux articles"


@pytest.mark.parametrize(
    ("x", "digits"), [(6.88, 2), (5.0, 0), (1e-05, 5), (0.00012, 5), (1e16, 0), (1500.0, 0), (0, 0)]
)
def test_decimals_are_those_a_number_is_written_with(x, digits):
    assert decimals(x) == digits


@pytest.mark.parametrize("typed", ["1e5", "1E5", "1_000", "inf", "nan", "-Infinity"])
def test_what_python_reads_but_a_french_person_would_not_write_is_refused_in_french(typed):
    """« 1e5 » was read as 100 000 and « 1_000 » as 1 000: Python's forms, not French ones."""
    with pytest.raises(UserError) as err:
        read_number(typed, label="Taux d’engagement (%)", field="engagement_rate")
    assert err.value.field == "engagement_rate"
    assert str(err.value) == (
        f"«\u00a0Taux d’engagement (%)\u00a0»\u00a0: «\u00a0{typed}\u00a0» n’est pas un nombre lisible. "
        "Écrivez-le à la française, par exemple 6,88 (virgule pour les décimales, espace entre les milliers)."
    )
