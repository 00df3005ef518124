"""The analyst notebook in docs/ runs top to bottom, offline, and writes its chart and map."""

from __future__ import annotations

import base64
import re
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.notebook

NOTEBOOK = Path(__file__).parent.parent / "docs" / "notebook.ipynb"
#: The most characters of text one cell may print, and the widest a figure may be.
MAX_OUTPUT = 5000
MAX_WIDTH_PX = 900
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
    offenders = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = output.get("text", "") + "".join(
                str(data[kind]) for kind in ("text/plain", "text/html") if kind in data
            )
            if len(text) > MAX_OUTPUT:
                offenders.append(f"cell {index}: {len(text)} characters")
            offenders.extend(
                f"cell {index}: a figure {width} px wide"
                for width in _widths(data)
                if width > MAX_WIDTH_PX
            )
    assert offenders == []
    out = tmp_path / "notebook_output"
    png = (out / "hq_map.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    svg = (out / "structure.svg").read_text(encoding="utf-8")
    assert "<svg" in svg


def _widths(data: dict[str, Any]) -> list[float]:
    """The widths in pixels of the figures of one output (PNG from its header, SVG in points)."""
    widths = []
    if "image/png" in data:
        header = base64.b64decode(data["image/png"])[:24]
        widths.append(float(struct.unpack(">I", header[16:20])[0]))
    if "image/svg+xml" in data:
        found = re.search(r'<svg[^>]* width="([\d.]+)pt"', str(data["image/svg+xml"]))
        assert found is not None
        widths.append(float(found.group(1)) * 4 / 3)  # 96 px to 72 pt
    return widths


def test_notebook_is_stored_clean() -> None:
    """The notebook is kept without outputs, so that diffs stay readable."""
    notebook = read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
