"""A JSON Schema of the data file format, generated from the model.

The schema shipped as ``natostruct/schema.json`` is this function's output
(``python -m natostruct.schema > src/natostruct/schema.json``); a test keeps
the two identical. Editors and other tools can validate data files with it.
The loader does not use it: it applies the same rules, and the cross-record
ones no schema can express, itself. The schema covers every format the loader
reads; where a record cites a source, a string is a key of the sources table
(format 2 only: the loader refuses keys in a format-1 file).
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any, Literal, Union

import attrs

from natostruct.dates import PartialDate
from natostruct.fileformat import MAX_KEY, READABLE_VERSIONS
from natostruct.model import RECORD_KINDS, Source
from natostruct.overlay import PATCH_KIND

__all__ = ["json_schema"]

_SCHEMA_ID = "https://natostruct.invalid/schema/data-file.json"
_KEY = {"type": "string", "minLength": 1, "maxLength": MAX_KEY}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a natostruct data file."""
    defs: dict[str, Any] = {}
    records = []
    for kind, cls in sorted(RECORD_KINDS.items()):
        body = _class_schema(cls, defs)
        body["properties"] = {"kind": {"const": kind}, **body["properties"]}
        body["required"] = ["kind", *body["required"]]
        defs[f"{cls.__name__}Record"] = body
        records.append({"$ref": f"#/$defs/{cls.__name__}Record"})
    # A patch record (format 2) names a record and the fields it changes.
    defs["PatchRecord"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["kind", "target", "changes"],
        "properties": {
            "kind": {"const": PATCH_KIND},
            "target": {"type": "string", "minLength": 1},
            "changes": {"type": "object", "not": {"required": ["kind"]}},
        },
    }
    documents = []
    for version in READABLE_VERSIONS:
        properties: dict[str, Any] = {"format_version": {"const": version}}
        kinds = list(records)
        if version >= 2:  # noqa: PLR2004 (the first format with a sources table)
            properties["sources"] = {
                "type": "object",
                "propertyNames": _KEY,
                "additionalProperties": {"$ref": "#/$defs/Source"},
            }
            kinds.append({"$ref": "#/$defs/PatchRecord"})
        properties["records"] = {"type": "array", "items": {"oneOf": kinds}}
        documents.append(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["format_version", "records"],
                "properties": properties,
            }
        )
    defs["SourceCitation"] = {"anyOf": [_KEY, {"$ref": "#/$defs/Source"}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _SCHEMA_ID,
        "title": "natostruct data file",
        "oneOf": documents,
        "$defs": dict(sorted(defs.items())),
    }


def _class_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        name = field.alias or field.name
        properties[name] = _type_schema(hints[field.name], defs)
        if field.default is attrs.NOTHING:
            required.append(name)
    doc = (cls.__doc__ or "").strip().splitlines()
    return {
        "type": "object",
        "description": doc[0] if doc else cls.__name__,
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def _type_schema(type_: Any, defs: dict[str, Any], *, cited: bool = True) -> dict[str, Any]:
    origin = typing.get_origin(type_)
    args = typing.get_args(type_)
    if origin in (Union, types.UnionType):
        return {"anyOf": [_type_schema(arg, defs) for arg in args]}
    if origin is Literal:
        return {"enum": list(args)}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    simple = {
        str: {"type": "string"},
        int: {"type": "integer"},
        float: {"type": "number"},
        bool: {"type": "boolean"},
        type(None): {"type": "null"},
        PartialDate: {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    }
    if type_ in simple:
        return simple[type_]
    if type_ is Source and cited:
        _type_schema(Source, defs, cited=False)
        return {"$ref": "#/$defs/SourceCitation"}
    if attrs.has(type_):
        name = type_.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _class_schema(type_, defs)
        return {"$ref": f"#/$defs/{name}"}
    msg = f"no JSON Schema for {type_!r}"
    raise TypeError(msg)


if __name__ == "__main__":
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))  # noqa: T201
