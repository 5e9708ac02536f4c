"""The notebooks shipped in notebooks/ run from top to bottom, offline."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(600)
def test_watch_analysis_notebook_runs(tmp_path):
    notebook = nbformat.read(ROOT / "notebooks" / "watch_analysis.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = {
        i: "".join(
            o.get("text", "") or str(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])
        )
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    }
    assert "Base de démonstration prête" in outputs[1]
    summary = outputs[max(outputs)]
    assert "'articles'" in summary and "'fr'" in summary and "'en'" in summary
