"""The analyst notebook in docs/ runs top to bottom, offline, and writes its chart and map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.notebook

NOTEBOOK = Path(__file__).parent.parent / "docs" / "notebook.ipynb"
# nbformat.read carries no annotations; give it one for mypy --strict.
read: Callable[..., Any] = nbformat.read


# jupyter_client opens its connection file without an encoding; CI runs with
# PYTHONWARNDEFAULTENCODING=1 to catch that in our code, not in theirs.
@pytest.mark.filterwarnings("ignore::EncodingWarning")
def test_notebook_runs(tmp_path: Path) -> None:
    """Every cell executes without error and the PNG map and SVG chart are produced."""
    notebook = read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    # Say which cell failed and how: a bare "errors == []" hides the cause.
    assert errors == [], [(e.get("ename"), e.get("evalue")) for e in errors]
    out = tmp_path / "notebook_output"
    png = (out / "hq_map.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    svg = (out / "structure.svg").read_text(encoding="utf-8")
    assert "<svg" in svg


def test_notebook_is_stored_clean() -> None:
    """The notebook is kept without outputs, so that diffs stay readable."""
    notebook = read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
