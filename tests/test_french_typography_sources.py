"""The French that the command line, the digest, the mails, the watch pages and the trainer's pages write has its
non-breaking spaces: inside « », before : ; ! ? (a plain space lets a line break strand the sign)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.apptest import ROOT

FILES = sorted(
    [
        *ROOT.glob("curation/cli/*.py"),
        *ROOT.glob("curation/digest/*.py"),
        *ROOT.glob("curation/translation/*.py"),
        ROOT / "curation" / "mail.py",
        ROOT / "curation" / "opml.py",
        ROOT / "curation" / "page_preview.py",
        ROOT / "screens" / "digest.py",
        ROOT / "screens" / "sources.py",
        ROOT / "screens" / "translate.py",
        *ROOT.glob("curation/monitoring/*.py"),
        ROOT / "screens" / "monitoring.py",
        ROOT / "screens" / "rules.py",
        ROOT / "screens" / "cohorts.py",
        ROOT / "screens" / "assessment_cohort.py",
        ROOT / "screens" / "board_review.py",
        ROOT / "ui" / "assessment_charts.py",
        ROOT / "ui" / "assessment_views.py",
        ROOT / "ui" / "shared_board.py",
        ROOT / "ui" / "sharing.py",
        ROOT / "workbench" / "cohorts.py",
    ]
)
# A plain space before a high sign after a word or opening a string part (« + " : renseignez… »),
# or beside a guillemet.
PLAIN_SPACE = re.compile(r"(?:(?<=[\w)»…])|^) [:;!?](?=\s|$|\")|« | »")


def _texts(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_strings_have_their_non_breaking_spaces(path: Path) -> None:
    bad = [f"{line}: {text!r}" for line, text in _texts(path) if PLAIN_SPACE.search(text)]
    assert not bad, "\n".join(bad)
