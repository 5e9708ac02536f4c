"""No Streamlit widget may fall back to its English placeholder (« Choose an option », « Choose options »…).

Streamlit shows its own English text in an empty selectbox or multiselect (and in one with no
options) unless the call passes ``placeholder=``: every call in ``screens/`` and ``ui/`` must.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.apptest import ROOT, run_page

WIDGETS = {"selectbox", "multiselect"}
ENGLISH_DEFAULTS = {
    "Choose an option",
    "Choose options",
    "Choose or add an option",
    "Choose or add options",
    "Add an option",
    "Add options",
    "No options to select",
}
SOURCES = sorted([*ROOT.glob("screens/*.py"), *ROOT.glob("ui/*.py")])


def _widget_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WIDGETS
    ]


def _placeholder_problem(call: ast.Call) -> str | None:
    """Why this call would show an English placeholder, or ``None`` when it passes a French one."""
    placeholder = next((k.value for k in call.keywords if k.arg == "placeholder"), None)
    if placeholder is None:
        return "no placeholder= (Streamlit would show its English default)"
    texts = [
        n.value for n in ast.walk(placeholder) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    if not texts:
        return "placeholder= is not a literal French text"
    for text in texts:
        if not text.strip() or text.strip() in ENGLISH_DEFAULTS:
            return f"placeholder={text!r} is empty or English"
    return None


def test_the_scan_finds_the_widgets():
    calls = {path.name: len(_widget_calls(path)) for path in SOURCES}
    assert sum(calls.values()) >= 40, calls  # the scan must not silently see nothing
    assert calls["wall.py"] >= 4 and calls["board_pickers.py"] == 2


def test_the_scan_catches_a_missing_or_english_placeholder():
    def problem(code: str) -> str | None:
        call = ast.parse(code).body[0].value  # type: ignore[attr-defined]
        return _placeholder_problem(call)

    assert "no placeholder" in problem('cols[0].multiselect("Sources", ["a"])')
    assert "English" in problem('st.selectbox("Tableau", [], placeholder="Choose an option")')
    assert "English" in problem('st.selectbox("T", [], placeholder="x" if ok else "No options to select")')
    assert "not a literal" in problem('st.selectbox("T", [], placeholder=label)')
    assert problem('st.selectbox("T", [], placeholder="Choisir un tableau")') is None


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_selectbox_and_multiselect_has_a_french_placeholder(path):
    problems = [
        f"{path.relative_to(ROOT)}:{call.lineno} {problem}"
        for call in _widget_calls(path)
        if (problem := _placeholder_problem(call))
    ]
    assert not problems, "\n".join(problems)


def _placeholders(at) -> dict[str, str]:
    return {w.label: w.placeholder for w in [*at.selectbox, *at.multiselect]}


def test_wall_filters_speak_french(db_url, people):
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    shown = _placeholders(at)
    assert shown["Sources"] == "Toutes les sources"
    assert shown["Dossier"] == "Tous les dossiers"
    assert not set(shown.values()) & ENGLISH_DEFAULTS


def test_digest_settings_speak_french(db_url, people):
    at = run_page("screens/digest.py", people.trainer)
    assert not at.exception
    shown = _placeholders(at)
    assert shown["Dossiers"] == "Tous les dossiers"  # an empty multiselect: its placeholder is what one sees
    assert all(shown.values()) and not set(shown.values()) & ENGLISH_DEFAULTS
