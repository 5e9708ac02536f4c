"""Languages as people read them: « anglais », not « en » (Babel's French names, CLDR)."""

from __future__ import annotations

from functools import cache

UNKNOWN = "indéterminée"


@cache
def language_name(code: str | None) -> str:
    """The French name of an ISO 639 code (« anglais »); the code itself when Babel does not know
    it, « indéterminée » without one. Babel is imported on first use (a refresh never needs it)."""
    from babel import Locale

    code = (code or "").strip()
    if not code:
        return UNKNOWN
    return Locale("fr").languages.get(code.split("-")[0].lower(), code)
