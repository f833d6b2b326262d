"""The notebook is executed, so it cannot rot."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import REPO


@pytest.mark.slow
def test_notebook_runs_top_to_bottom() -> None:
    notebook = nbformat.read(REPO / "notebooks" / "kazakhstan-italy.ipynb", as_version=4)
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}
    ).execute()
    outputs = "".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for o in cell.outputs
    )
    assert "reached $20B in 2030" in outputs
    assert "13.8% in 2027, not 16.7%" in outputs
