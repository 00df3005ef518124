"""Rewrite the canonical data files in their one reviewable form.

Records sorted by id (member states by country code), keys in the order the
model declares its fields, defaults left out, two-space indent, UTF-8.
Run from the repository root: ``python tasks/format_data.py``; a test fails
when a file differs from this form.
"""

from __future__ import annotations

import json
import pathlib
import sys

from natostruct.convert import CONVERTER
from natostruct.loader import FORMAT_VERSION, parse_document

DATA = pathlib.Path(__file__).parent.parent / "src" / "natostruct" / "data"


def canonical_text(name: str, data: bytes) -> str:
    """The canonical text of one data file's bytes."""
    placed, problems = parse_document(name, data)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    records = sorted((item.record for item in placed), key=lambda r: r.id)
    document = {
        "format_version": FORMAT_VERSION,
        "records": [CONVERTER.unstructure(r) for r in records],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Rewrite every data file; print the ones that changed."""
    for path in sorted(DATA.glob("*.json")):
        text = canonical_text(path.name, path.read_bytes())
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            print(f"reformatted {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
