"""Moodle XML files for the exchange tests.

Real files come from the amc2moodle package (a test dependency in requirements-dev.txt, GPL v3,
installed, never copied here): a question bank exported from Moodle and files amc2moodle writes.
Types those files lack (shortanswer, truefalse) are in tests/fixtures/moodle/, written here.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

WRITTEN_HERE = Path(__file__).parent / "fixtures" / "moodle"

# Exported from Moodle: essay, multichoice ×5, description, numerical ×4, calculatedmulti ×2.
MOODLE_BANK = "payload_test_moodle2amc/moodle-bank-exemple.xml"
# Written by amc2moodle from AMC (LaTeX) quizzes: a second generator of Moodle XML.
AMC_FILES = (
    "payload_test_amc2moodle/numerical.xml",
    "payload_test_amc2moodle/QCM.xml",
    "payload_test_amc2moodle/QCM_wo-tikz.xml",
    "payload_test_amc2moodle/cleaning.xml",
)


def real(name: str) -> Path:
    """A real Moodle XML file shipped in amc2moodle's tests (located without importing it: its
    import may need ImageMagick)."""
    spec = importlib.util.find_spec("amc2moodle")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "The Moodle XML tests read real Moodle files shipped in the amc2moodle package, which is "
            "not installed: run `pip install -r requirements-dev.txt` (or `make test`)."
        )
    path = Path(spec.submodule_search_locations[0]) / "tests" / name
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: install amc2moodle at the version requirements-dev.txt pins.")
    return path
