"""The shipped JSON Schema: generated from the model, and it accepts the data."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from natostruct.schema import json_schema


def _shipped() -> dict[str, Any]:
    return json.loads(files("natostruct").joinpath("schema.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_shipped_schema_is_generated() -> None:
    """schema.json is exactly what json_schema() generates (regenerate with python -m natostruct.schema)."""
    assert _shipped() == json_schema()


def test_schema_is_valid() -> None:
    """The schema itself is a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(_shipped())


@pytest.mark.parametrize(
    "name",
    sorted(
        p.name for p in files("natostruct").joinpath("data").iterdir() if p.name.endswith(".json")
    ),
)
def test_canonical_files_validate(name: str) -> None:
    """Every canonical data file satisfies the schema."""
    document = json.loads(
        files("natostruct").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    )
    jsonschema.Draft202012Validator(_shipped()).validate(document)


@pytest.mark.parametrize(
    "record",
    [
        {"kind": "body", "id": "a", "name": "A", "colour": "red"},
        {"kind": "body", "id": "a"},
        {"kind": "mission", "id": "m", "name": "M"},
        {"kind": "body", "id": "a", "name": "A", "established": "1967-1"},
        {
            "kind": "body",
            "id": "a",
            "name": "A",
            "relations": [{"type": "likes", "target_id": "b"}],
        },
    ],
)
def test_schema_rejects(record: dict[str, Any]) -> None:
    """Unknown fields, missing fields, bad dates and bad literals fail the schema."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format_version": 1, "records": [record]}, _shipped())


@pytest.mark.parametrize("version", [1, 2])
def test_exports_of_both_formats_validate(version: int) -> None:
    """The bundled data written in format 1 and in format 2 satisfies the schema."""
    import natostruct
    from natostruct import fileformat

    document, _ = fileformat.write(natostruct.dataset().records, version=version)
    jsonschema.Draft202012Validator(_shipped()).validate(document)


def test_format_one_has_no_sources_table() -> None:
    """A sources table is a format-2 field: the schema refuses it in format 1."""
    table = {"k": {"title": "T", "quality": "official", "url": "https://example.invalid/"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"format_version": 1, "sources": table, "records": []}, _shipped())
    jsonschema.validate({"format_version": 2, "sources": table, "records": []}, _shipped())
