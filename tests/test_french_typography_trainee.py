"""The trainee's and the freelance CM's pages outside the wall write French with its non-breaking
spaces (inside « », before : ; ! ?): sources, boards, the self-assessment, account, settings, home."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apptest import ROOT
from tests.test_french_typography_sources import PLAIN_SPACE, _texts

FILES = sorted(
    [
        *(ROOT / "curation" / f"{name}.py" for name in ("feeds", "boards", "pins")),
        *(
            ROOT / "training_modules" / f"{name}.py"
            for name in ("assessment", "assessment_reports", "recommendations")
        ),
        *(
            ROOT / "screens" / f"{name}.py"
            for name in (
                "boards",
                "assessment_take",
                "assessment_progress",
                "assessment_results",
                "account",
                "settings",
                "home",
            )
        ),
    ]
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_strings_have_their_non_breaking_spaces(path: Path) -> None:
    bad = [f"{line}: {text!r}" for line, text in _texts(path) if PLAIN_SPACE.search(text)]
    assert not bad, "\n".join(bad)
