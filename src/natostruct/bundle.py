"""The bundled data, read as queries need it, through the index written beside it.

The package holds the canonical data files (``data/*.json``) and two index
files: ``index.json`` gives each entity's file, the byte span of its record
there and its ``parent_id``, and the files that hold member states and
partnerships; ``index-keys.json`` gives each entity's lookup keys. Both are
written by ``tasks/format_data.py`` together with the data files, and a test
fails when they differ from what those files give.

With the index, the first answer needs neither every file parsed nor every
record built: ``natostruct.get("ims")`` parses the one span of the file that
holds ``ims`` and builds that record, through the same converter and with the
same checks of each field as any user file
(:func:`natostruct.fileformat.structure`). The keys are read on the first
lookup by a name. The rules across records are not run again at every start,
since the test suite runs every rule over these very files.
"""

from __future__ import annotations

import json
import pkgutil
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from natostruct import fileformat
from natostruct.convert import citing
from natostruct.dataset import Dataset, entity_keys, key_index
from natostruct.errors import DatasetError, Problem
from natostruct.model import ENTITY_CLASSES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from natostruct.model import Entity, Record, Source

__all__ = ["INDEX", "INDEX_VERSION", "KEYS", "index_texts", "load", "record_spans"]

#: The index of the bundled data: a file of the package, beside ``data/``.
INDEX: Final = "index.json"
#: The lookup keys of the bundled entities, read on the first lookup by a name.
KEYS: Final = "index-keys.json"
#: What each entity's entry in :data:`INDEX` holds, in order.
_COLUMNS: Final = ("file", "start", "end", "parent")
#: The layout of the index this release writes and reads.
INDEX_VERSION: Final = 1
#: How the index names the tiers of :func:`~natostruct.dataset.entity_keys`.
_TIERS: Final = {1: "names", 2: "aliases", 3: "places"}
_ENTITY_KINDS: Final = frozenset(cls.kind for cls in ENTITY_CLASSES)
_STALE: Final = "the bundled index does not match the data files (run tasks/format_data.py)"


def load() -> Dataset:
    """The bundled Dataset, each record built on first access.

    Raises:
        DatasetError: the index or a data file is missing, malformed or out of
            step with the other (a bug in this release).
    """
    from natostruct import DATA_AS_OF  # noqa: PLC0415 (the package is loaded by now)

    return Dataset.deferred(_Bundle(_read_index(_read), _read), data_as_of=DATA_AS_OF)


def index_texts(files: Mapping[str, tuple[str, Sequence[Record]]]) -> dict[str, str]:
    """The texts of the two index files, by name, given each data file's text and records.

    :data:`INDEX` gives each entity's file, the byte span of its record in
    that file and its parent; :data:`KEYS` its normalised lookup keys, which
    only a lookup by something other than an id reads. One entity a line, so
    that a change to the data shows as a short diff.
    """
    places: dict[str, list[Any]] = {}
    keys: dict[str, dict[str, list[str]]] = {}
    others: list[str] = []
    for name in sorted(files):
        text, records = files[name]
        spans = record_spans(text)
        if len(spans) != len(records):
            msg = f"{name}: {len(spans)} records in the text, {len(records)} given"
            raise ValueError(msg)
        for record, (start, end) in zip(records, spans, strict=True):
            if isinstance(record, ENTITY_CLASSES):
                places[record.id] = [name, start, end, record.parent_id]
                own = keys[record.id] = {}
                for tier, key in entity_keys(record):
                    own.setdefault(_TIERS[tier], []).append(key)
            elif name not in others:
                others.append(name)
    head = [
        f'  "index_version": {INDEX_VERSION},',
        '  "about": "Written by tasks/format_data.py from data/*.json: do not edit by hand.",',
    ]
    return {
        INDEX: _document(
            [*head, f'  "others": {_compact(others)},', f'  "columns": {_compact(_COLUMNS)},'],
            "entities",
            places,
        ),
        KEYS: _document(head, "keys", keys),
    }


def _document(head: list[str], field: str, entries: Mapping[str, object]) -> str:
    body = ",\n".join(f"    {_compact(key)}: {_compact(entries[key])}" for key in sorted(entries))
    return "\n".join(["{", *head, f'  "{field}": {{', body, "  }", "}"]) + "\n"


def record_spans(text: str) -> list[tuple[int, int]]:
    """The byte span (start, end) in ``text``'s UTF-8 of each item of its ``records``.

    ``text`` is a data file as :func:`natostruct.fileformat.dumps` writes it;
    ``json.loads`` of the bytes of a span gives that record.
    """
    decoder = json.JSONDecoder()
    document, _ = decoder.raw_decode(text)
    marker = '\n  "records": ['  # top level: a string value holds no raw newline
    position = text.index(marker) + len(marker)
    spans: list[tuple[int, int]] = []
    offset, counted = 0, 0  # the byte offset of the character at ``counted``
    for _ in document["records"]:
        while text[position] in " \n,":
            position += 1
        _, end = decoder.raw_decode(text, position)
        offset += len(text[counted:position].encode("utf-8"))
        start = offset
        offset += len(text[position:end].encode("utf-8"))
        counted = position = end
        spans.append((start, offset))
    return spans


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _read(name: str) -> bytes:
    # pkgutil.get_data reads a package's file wherever the package is (a folder
    # or a zip), like importlib.resources, whose import costs a first answer
    # about ten times as much (benchmarks/README.md).
    try:
        data = pkgutil.get_data("natostruct", name)
    except OSError as exc:
        raise DatasetError([Problem(f"natostruct/{name}", None, None, _why(exc))]) from None
    if data is None:  # no loader that can read files: not an installed package
        raise DatasetError([Problem(f"natostruct/{name}", None, None, "cannot read")])
    return data


def _why(exc: OSError) -> str:
    return "file not found" if isinstance(exc, FileNotFoundError) else f"cannot read: {exc}"


def _read_index(
    read: Callable[[str], bytes], name: str = INDEX, fields: Mapping[str, type] | None = None
) -> dict[str, Any]:
    """An index file, checked to have the layout this release reads."""
    where = f"natostruct/{name}"
    try:
        index = fileformat.loads(read(name))
    except ValueError as exc:
        raise DatasetError([Problem(where, None, None, str(exc))]) from None
    if not isinstance(index, dict) or index.get("index_version") != INDEX_VERSION:
        found = index.get("index_version") if isinstance(index, dict) else None
        reason = f"expected index_version {INDEX_VERSION}, got {found!r}"
        raise DatasetError([Problem(where, None, "index_version", reason)])
    expected = fields if fields is not None else {"entities": dict, "others": list}
    for field, kind in expected.items():
        if not isinstance(index.get(field), kind):
            reason = f"expected {'an object' if kind is dict else 'an array'}"
            raise DatasetError([Problem(where, None, field, reason)])
    if name == INDEX and index.get("columns") != list(_COLUMNS):
        reason = f"expected {list(_COLUMNS)}"
        raise DatasetError([Problem(where, None, "columns", reason)])
    return index


class _Bundle:
    """The bundled files behind a deferred Dataset: each read once, each record parsed alone."""

    def __init__(self, index: dict[str, Any], read: Callable[[str], bytes]) -> None:
        self._read = read
        self._entities: dict[str, list[Any]] = index["entities"]
        self._others: list[str] = index["others"]
        self._data: dict[str, bytes] = {}
        self._table: _SourceTable | None = None

    def ids(self) -> Iterable[str]:
        return self._entities.keys()

    def parents(self) -> Mapping[str, str | None]:
        return {ident: entry[3] for ident, entry in self._entities.items()}

    def keys(self) -> dict[str, tuple[tuple[int, str], ...]]:
        keys: dict[str, dict[str, list[str]]] = _read_index(self._read, KEYS, {"keys": dict})[
            "keys"
        ]
        if keys.keys() != self._entities.keys():
            raise DatasetError([Problem(f"natostruct/{KEYS}", None, "keys", _STALE)])
        return key_index(
            (ident, [(tier, key) for tier, name in _TIERS.items() for key in entry.get(name, ())])
            for ident, entry in keys.items()
        )

    def entity(self, ident: str) -> Entity:
        name, start, end, _ = self._entities[ident]
        try:
            raw = fileformat.loads(self._bytes(name)[start:end])
        except ValueError:
            raw = None
        if not (_is_entity(raw) and raw.get("id") == ident):
            raise DatasetError([Problem(_place(name), ident, None, _STALE)])
        record = self._structure(name, 0, raw)
        assert isinstance(record, ENTITY_CLASSES)  # noqa: S101 (its kind was checked)
        return record

    def others(self) -> Iterator[Record]:
        for name in self._others:
            for index, raw in enumerate(self._document(name)):
                if not _is_entity(raw):
                    yield self._structure(name, index, raw)

    def _structure(self, name: str, index: int, raw: object) -> Record:
        with citing(self._sources()):
            placed, problems = fileformat.structure(_place(name), index, raw)
        if placed is None:
            raise DatasetError(problems)
        return placed.record

    def _bytes(self, name: str) -> bytes:
        found = self._data.get(name)
        if found is None:
            found = self._data.setdefault(name, self._read(f"data/{name}"))
        return found

    def _document(self, name: str) -> list[Any]:
        document, problem = fileformat.parse(_place(name), self._bytes(name))
        if problem is not None:
            raise DatasetError([problem])
        records: list[Any] = document["records"]
        return records

    def _sources(self) -> _SourceTable:
        table = self._table
        if table is None:
            table = self._table = _SourceTable(self._bytes(fileformat.SHARED_SOURCES))
        return table


class _SourceTable(Mapping[str, "Source"]):
    """The shared sources table, each source read from its own span of the file when first cited.

    ``sources.json`` is in its canonical form (``tasks/format_data.py``, and a
    test): each entry opens a line of its own at four spaces, ``"KEY": {``,
    and closes at the next line that holds four spaces and ``}``. Finding a
    key is a scan of the bytes, not a parse of the whole table, so that the
    first answer stays quick however many sources the data cites. Listing
    the keys (which no record needs) parses the table whole.
    """

    __slots__ = ("_built", "_data", "_keys")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._built: dict[str, Source] = {}
        self._keys: tuple[str, ...] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """The source of ``key``, read now if need be, or ``default`` for a key not held."""
        found = self._built.get(key)
        if found is None:
            found = self._read(key)
            if found is None:
                return default
            found = self._built.setdefault(key, found)
        return found

    def __getitem__(self, key: str) -> Source:
        found: Source | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._all_keys())

    def __len__(self) -> int:
        return len(self._all_keys())

    def _read(self, key: str) -> Source | None:
        if not isinstance(key, str):
            return None
        opening = f"\n    {json.dumps(key, ensure_ascii=False)}: {{".encode()
        at = self._data.find(opening)
        if at < 0:
            return None
        start = at + len(opening) - 1
        end = self._data.find(b"\n    }", start)
        place = _place(fileformat.SHARED_SOURCES)
        try:
            raw = fileformat.loads(self._data[start : end + len(b"\n    }")])
        except ValueError:
            raise DatasetError([Problem(place, None, f"sources.{key}", _STALE)]) from None
        source, problems = fileformat.structure_source(place, key, raw)
        if source is None:
            raise DatasetError(problems)
        return source

    def _all_keys(self) -> tuple[str, ...]:
        keys = self._keys
        if keys is None:
            name = fileformat.SHARED_SOURCES
            document, problem = fileformat.parse(_place(name), self._data)
            if problem is not None:
                raise DatasetError([problem])
            keys = self._keys = tuple(document.get("sources", {}))
        return keys


def _place(name: str) -> str:
    return f"natostruct/data/{name}"


def _is_entity(raw: object) -> bool:
    return isinstance(raw, dict) and raw.get("kind") in _ENTITY_KINDS
