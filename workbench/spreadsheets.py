"""Cells of the files people open in a spreadsheet (CSV, Excel): text typed by someone never runs."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """``text`` quoted when it starts like a formula (« =HYPERLINK(…) » in a name), so that Excel or
    LibreOffice shows it instead of running it (OWASP, CSV injection)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
