"""Shared fixtures: a small hand-made dataset that does not change with the data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest

import natostruct

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mini() -> natostruct.Dataset:
    """The fixture dataset tests/fixtures/mini.json."""
    return natostruct.load(FIXTURES / "mini.json")


@pytest.fixture
def write_doc(tmp_path: Path) -> Callable[..., Path]:
    """Write a data file holding ``records`` (or raw text) and return its path."""

    def write(
        records: Any = None, *, name: str = "data.json", raw: str | bytes | None = None
    ) -> Path:
        path = tmp_path / name
        if raw is not None:
            path.write_bytes(raw.encode() if isinstance(raw, str) else raw)
        else:
            path.write_text(json.dumps({"format_version": 1, "records": records}), encoding="utf-8")
        return path

    return write


#: A small history that leaves a view in doubt: a gap in a unit's reporting
#: lines (1970-1980), a rename dated by its year (1975), and a body that
#: may or may not exist in 1975. The name holds markup, to check escaping.
GAPPED: Final = [
    {"kind": "body", "id": "top", "name": "Top", "established": "1950-01-01"},
    {
        "kind": "command",
        "id": "unit",
        "name": "New <Unit>",
        "abbreviation": "NU",
        "parent_id": "top",
        "established": "1960-01-01",
        "reporting_lines": [
            {"parent_id": "top", "start": "1960-01-01", "end": "1970-01-01"},
            {"parent_id": "top", "start": "1980-01-01"},
        ],
        "aliases": [{"name": "Old Unit", "kind": "former", "start": "1960-01-01", "end": "1975"}],
    },
    {
        "kind": "body",
        "id": "later",
        "name": "Later Body",
        "parent_id": "top",
        "established": "1975",
    },
]


@pytest.fixture
def gapped_data(write_doc: Callable[..., Path]) -> natostruct.Dataset:
    """The Dataset of GAPPED."""
    return natostruct.load(write_doc(GAPPED))
