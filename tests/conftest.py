"""Shared fixtures: a small hand-made dataset that does not change with the data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
