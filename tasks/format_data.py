"""Rewrite the bundled data files in their one reviewable form (data format 2).

Every source sits once in the shared table ``sources.json``, under a stable
key (a key a source already has is kept; a new source gets one from its URL
or document name), and the other files cite it by key. Records are sorted by
their key (entities by id, member states by country code), fields in the
order the model declares them, defaults left out, two-space indent, UTF-8.
The same run writes the package's ``index.json`` (where each entity is and
its parent) and ``index-keys.json`` (its lookup keys), which let the bundled
data load record by record (see ``natostruct.bundle``).
Run from the repository root: ``python tasks/format_data.py``; a test fails
when a file differs from this form. Format-1 files (whole sources inline) are
migrated by the same run.
"""

from __future__ import annotations

import pathlib
import sys
from typing import TYPE_CHECKING

from natostruct import bundle, fileformat
from natostruct.model import record_key

if TYPE_CHECKING:
    from collections.abc import Mapping

    from natostruct.model import Record, Source

PACKAGE = pathlib.Path(__file__).parent.parent / "src" / "natostruct"
DATA = PACKAGE / "data"


def canonical_texts(files: Mapping[str, bytes]) -> dict[str, str]:
    """The canonical text of each bundled data file, by name, given all of them.

    The two index files come last, under their own names (``bundle.INDEX`` and
    ``bundle.KEYS``), which no data file has.
    """
    shared = fileformat.SHARED_SOURCES
    keys: dict[str, Source] = {}
    problems = []
    if shared in files:
        _, keys, problems = fileformat.read(shared, files[shared])
    texts: dict[str, str] = {}
    cited: dict[str, Source] = {}
    kept: dict[str, tuple[str, list[Record]]] = {}
    for name in sorted(set(files) - {shared}):
        placed, own, found = fileformat.read(name, files[name], shared=keys)
        problems.extend(found)
        keys = {**keys, **{k: v for k, v in own.items() if k not in keys}}
        records = sorted((item.record for item in placed), key=record_key)
        document, used = fileformat.write(records, keys=keys, table=False)
        keys.update(used)
        cited.update(used)
        texts[name] = fileformat.dumps(document)
        kept[name] = (texts[name], records)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    texts[shared] = fileformat.dumps(fileformat.table_document(cited))
    kept[shared] = (texts[shared], [])
    texts.update(bundle.index_texts(kept))
    return texts


def main() -> int:
    """Rewrite every data file; print the ones that changed."""
    files = {path.name: path.read_bytes() for path in sorted(DATA.glob("*.json"))}
    for name, text in canonical_texts(files).items():
        path = PACKAGE / name if name in (bundle.INDEX, bundle.KEYS) else DATA / name
        if not path.exists() or text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            print(f"reformatted {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
