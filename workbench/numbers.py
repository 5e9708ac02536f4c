"""Numbers as French people type and read them: ``6,88``, ``6,88 %``, ``1 234,5``, ``-3,5``.

One reader for every number a person types (exercise answers, settings, thresholds) and one
writer for every number shown. Babel (CLDR data, locale ``fr_FR``) does the reading, strictly:
a value it cannot read is refused with a French message, never changed into another number
(a browser number field turns ``6,88`` into ``688``).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from workbench.errors import UserError

LOCALE = "fr_FR"
_GROUP = "\u202f"  # CLDR's French group separator: narrow no-break space
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})
_WRITTEN = re.compile(r"[+-]?[0-9.,\u202f]+")


def parse_number(text: str) -> Decimal:
    """``text`` read as a French number (a trailing ``%`` allowed); ``ValueError`` when it is not one.

    Any space between digits (ordinary, no-break, narrow no-break) is a thousands separator.
    """
    cleaned = text.strip().removesuffix("%").strip().translate(_MINUS)
    cleaned = _SPACES.sub(_GROUP, cleaned)
    if not cleaned:
        raise ValueError("empty")
    if not _WRITTEN.fullmatch(cleaned):  # Python's forms Babel lets through: 1e5, 1_000, other digits
        raise ValueError("not a French number")
    from babel.numbers import NumberFormatError, parse_decimal  # see ``fr_number``

    try:
        value = parse_decimal(cleaned, locale=LOCALE, strict=True)
    except NumberFormatError as exc:
        raise ValueError(str(exc)) from exc
    if not value.is_finite():
        raise ValueError("not finite")
    return value


def read_number(
    value: object,
    *,
    label: str,
    field: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
) -> float | None:
    """What a person typed in the field ``label`` as a number, ``None`` when left empty.

    Text is read the French way (``parse_number``); numbers pass as they are. Anything else, a
    fraction where ``whole`` numbers are asked, or a value outside ``minimum``–``maximum``, is
    refused with a ``UserError`` naming the field (``field``), so a form shows it beside the input.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise UserError(f"«\u00a0{label}\u00a0»\u00a0: un nombre est attendu.", field=field)
    try:
        number = float(value) if isinstance(value, int | float) else float(parse_number(str(value)))
    except ValueError:
        example = "12" if whole else "6,88"
        raise UserError(
            f"«\u00a0{label}\u00a0»\u00a0: «\u00a0{value}\u00a0» n’est pas un nombre lisible. "
            f"Écrivez-le à la française, par exemple {example} (virgule pour les décimales, "
            "espace entre les milliers).",
            field=field,
        ) from None
    if not math.isfinite(number):
        raise UserError(f"«\u00a0{label}\u00a0»\u00a0: un nombre fini est attendu.", field=field)
    if whole and not number.is_integer():
        raise UserError(
            f"«\u00a0{label}\u00a0»\u00a0: un nombre entier est attendu (sans virgule).", field=field
        )
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        low = "" if minimum is None else f"au moins {fr_number(minimum, 0 if whole else 2)}"
        high = "" if maximum is None else f"au plus {fr_number(maximum, 0 if whole else 2)}"
        raise UserError(
            f"«\u00a0{label}\u00a0»\u00a0: {fr_number(number, 0 if whole else 2)} est hors limites "
            f"({' et '.join(b for b in (low, high) if b)}).",
            field=field,
        )
    return number


def fr_number(x: float | Decimal, digits: int = 1) -> str:
    """``x`` as French writes it, with ``digits`` decimals: ``1 234,50`` (narrow no-break space)."""
    # Babel (about 4 MB resident) loads with the first number read or written, not with every
    # module that may write one (a refresh process imports the monitoring rules, seldom writes).
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    with localcontext(rounding=ROUND_HALF_UP):  # 0,05 → 0,1 as people round, not to the even digit
        return format_decimal(x, format=pattern, locale=LOCALE)


def decimals(x: float) -> int:
    """How many decimals ``x`` is written with at its shortest: 6.88 → 2, 1e-05 → 5, 1e16 → 0."""
    if not math.isfinite(x):
        return 0
    exponent = Decimal(repr(float(x))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def signed_number(x: float | Decimal, digits: int = 0) -> str:
    """A difference as French writes it, with its sign: ``+33``, ``-29``, ``0`` (rounded as ``fr_number``)."""
    text = fr_number(x, digits)
    return f"+{text}" if x > 0 and text.strip("0,") else text


def fr_int(n: int) -> str:
    """A count as French writes it: ``1\u202f000`` (narrow no-break space between thousands)."""
    return fr_number(n, 0)


def quantity(n: int, singular: str, plural: str | None = None) -> str:
    """« 1 stagiaire », « 2 stagiaires », « 0 article » (French keeps 0 and 1 singular), not
    « 1 stagiaire(s) ». ``plural`` for a phrase or an irregular word (default: ``singular`` + s)."""
    return f"{fr_int(n)}\u00a0{singular if abs(n) < 2 else plural or singular + 's'}"
