"""A check of the house rule: outside or user-written text reaches Streamlit only escaped.

Every call in ``app.py``, ``screens/`` and ``ui/`` that renders Markdown (``st.markdown``, ``st.write``,
titles, captions, alerts, widget labels…) is read: a value whose name says it holds outside or
user-written text (a title, a display name, a note, a link…) must go through ``plain`` or ``link``
(``ui.text``). Bundled content written as Markdown on purpose is marked on its line with
``# markdown: <why>``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([ROOT / "app.py", *ROOT.glob("screens/*.py"), *ROOT.glob("ui/*.py")])
MARKDOWN_SINKS = {
    "markdown", "write", "title", "header", "subheader", "caption", "info", "warning", "error",
    "success", "toast", "expander", "button", "checkbox", "radio", "toggle", "link_button",
    "page_link", "tabs", "metric", "badge", "popover", "download_button", "form_submit_button",
    "text_input", "text_area", "number_input", "selectbox", "multiselect", "slider", "date_input",
    "status", "spinner", "latex",
    "rerun",  # ui.session.rerun(toast): the toast shown at the next run
}  # fmt: skip
# Names of values that hold text from outside (feeds, pages) or typed by a person.
OUTSIDE = {
    "display_name", "user_name", "author_name", "reviewer_name", "trainer_name", "owner_name", "owner",
    "cohort_name", "board_title", "feed_title", "campaign_name", "email", "title", "description",
    "note", "comment", "body", "folder", "folder_name", "fetch_note", "credit", "snippet", "summary",
    "link", "url", "author", "name", "query", "tags", "site_name", "source", "label", "text",
}  # fmt: skip
SAFE_CALLS = {"plain", "link", "readable", "verbatim", "len", "fr_number", "fr_percent", "when"}


def _terminal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return None


def _unsafe(node: ast.AST) -> list[str]:
    """Outside-text values in ``node`` not wrapped by a safe call (what is rendered, not what is
    tested: an attribute's owner and a conditional's test are not shown)."""
    if isinstance(node, ast.Call):
        func = node.func
        if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) in SAFE_CALLS:
            return []
    if _terminal(node) in OUTSIDE:
        return [ast.unparse(node)]
    if isinstance(node, ast.Attribute):
        return []
    if isinstance(node, ast.IfExp):
        return _unsafe(node.body) + _unsafe(node.orelse)
    return [name for child in ast.iter_child_nodes(node) for name in _unsafe(child)]


def _rendered_args(call: ast.Call) -> list[ast.AST]:
    args = list(call.args[:1])
    args += [k.value for k in call.keywords if k.arg in ("label", "body", "help")]
    return args


def _violations(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
            continue
        if _terminal(node.func) not in MARKDOWN_SINKS:
            continue
        marked = any(
            "# markdown:" in lines[n - 1] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)
        )
        if marked:
            continue
        for arg in _rendered_args(node):
            out += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in _unsafe(arg)]
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_outside_text_reaches_markdown_only_escaped(path):
    assert _violations(path) == []


def test_the_check_finds_an_unescaped_title(tmp_path):
    page = tmp_path / "page.py"
    page.write_text(
        "import streamlit as st\n"
        "st.markdown(f'- [{src.feed_title}]({src.link})')\n"
        "st.title(board.title)\n"
        "st.caption(plain(board.description))\n"
        "st.button(f'Ouvrir {len(items)}')\n"
        "rerun(f'{board.title} supprimé.')\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _violations(page) == [
            "page.py:2: src.feed_title",
            "page.py:2: src.link",
            "page.py:3: board.title",
            "page.py:6: board.title",
        ]
    finally:
        ROOT = saved
