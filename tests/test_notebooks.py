"""The notebooks shipped in notebooks/ run from top to bottom, offline, and speak French to their reader."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
PLOTLY = "application/vnd.plotly.v1+json"


@pytest.fixture(scope="module")
def watch_analysis():
    notebook = nbformat.read(ROOT / "notebooks" / "watch_analysis.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _text(cell) -> str:
    return "".join(
        o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])
    )


@pytest.mark.timeout(600)
def test_watch_analysis_notebook_runs(watch_analysis):
    assert "Base de démonstration prête" in _text(watch_analysis[0])
    summary = _text(watch_analysis[-1])
    assert "'articles'" in summary and "'fr'" in summary and "'en'" in summary


@pytest.mark.timeout(600)
def test_watch_analysis_notebook_shows_french_tables_charts_and_paris_days(watch_analysis):
    """Tables and charts showed « published_at », « language », « story_title », dates in UTC with
    +00:00 (the daily volume counted UTC days), and « 000 » (from « 6 000 ») as a topic word."""
    tables = "\n".join(_text(cell) for cell in watch_analysis)
    for english in ("published_at", "language", "story_title", "source_count", "+00:00"):
        assert english not in tables, english
    assert "+01:00" in tables  # Paris time in December
    topics = next(_text(cell) for cell in watch_analysis if "mot (normalisé)" in _text(cell))
    assert not re.search(r"^\d+\s+\d+\s+\d+\s*$", topics, re.MULTILINE), topics
    charts = [o["data"][PLOTLY]["layout"] for cell in watch_analysis for o in cell.get("outputs", [])
              if PLOTLY in o.get("data", {})]  # fmt: skip
    assert len(charts) == 2
    for layout in charts:
        titles = {layout[axis]["title"]["text"] for axis in ("xaxis", "yaxis")} | {
            layout["legend"]["title"]["text"]
        }
        assert titles.isdisjoint({"published_at", "language"}), titles
        assert layout["separators"] == ",\u202f"
