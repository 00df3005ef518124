"""The data file format: the one place that reads, writes and versions a document.

A data file is a JSON object::

    {"format_version": 2,
     "sources": {"nato-topics-49174": {"title": "...", "quality": "official", "url": "..."}},
     "records": [{"kind": "body", "id": "nac", ..., "sources": ["nato-topics-49174"]}]}

- ``format_version`` 2 (written by this release) has a ``sources`` table:
  each source once, under a short key, which records cite. A citation may
  also be a whole source object, as in format 1. Keys are local to the file,
  except that the bundled data keeps one shared table (``sources.json``) that
  its other files cite.
- ``format_version`` 1 has no table: every citation is a whole object. It is
  still read; :func:`write` can still produce it (``version=1``).
- In either version an object may give each key once: a second ``records``
  or ``name`` is an error (:func:`loads`), not a silent override.

In Python nothing of this shows: ``entity.sources`` holds :class:`Source`
values, one object shared by all the records that cite it.

Keys are stable: :func:`write` keeps the key a source already has (pass the
table it was read with) and gives a new source a key made from its URL or
document name (:func:`derive_key`).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from natostruct.convert import CONVERTER, citing, structure_record
from natostruct.errors import Problem
from natostruct.model import Source
from natostruct.overlay import PATCH_KIND, Patch
from natostruct.places import Placed, record_label
from natostruct.text import quote

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from natostruct.model import Record

__all__ = [
    "FORMAT_VERSION",
    "MAX_KEY",
    "READABLE_VERSIONS",
    "SHARED_SOURCES",
    "derive_key",
    "dumps",
    "loads",
    "parse",
    "read",
    "structure",
    "structure_source",
    "table_document",
    "write",
]

#: The format this release writes.
FORMAT_VERSION: Final = 2
#: The formats this release reads.
READABLE_VERSIONS: Final = (1, 2)
#: The bundled data's shared sources table: a file of the package's ``data/`` folder.
SHARED_SOURCES: Final = "sources.json"
#: Longest source key accepted, in characters.
MAX_KEY: Final = 100
_MAX_DEPTH: Final = 200  # deeper JSON is a malformed file, not data
#: What the converter raises for data that does not fit (see :func:`_walk`).
_STRUCTURE_ERRORS: Final = (cattrs.BaseValidationError, ValueError, TypeError, KeyError)
_TOP_FIELDS: Final = {1: {"format_version", "records"}, 2: {"format_version", "sources", "records"}}
_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")
_EXTENSION: Final = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cfm|txt|pdf)$", re.IGNORECASE)


def read(
    file: str,
    data: bytes,
    *,
    shared: Mapping[str, Source] | None = None,
    patches: list[Patch] | None = None,
) -> tuple[list[Placed], dict[str, Source], list[Problem]]:
    """Parse and structure one data file's bytes; never raises for bad data.

    Returns the records with their places, the file's own sources table, and
    every problem found. ``shared`` is a table whose keys the file may cite
    too (the bundled data's ``sources.json``); the file's own keys win.
    Patch records (format 2, see :mod:`natostruct.overlay`) are appended to
    ``patches``; without that list, one is a problem, since only a load has
    records for a patch to change.
    """
    document, problem = parse(file, data)
    if problem is not None:
        return [], {}, [problem]
    problems: list[Problem] = []
    table: dict[str, Source] = {}
    version = document["format_version"]
    if version >= 2:  # noqa: PLR2004 (the first format with a table)
        table = _read_table(file, document.get("sources", {}), problems)
    keys = table if not shared else {**shared, **table}
    placed: list[Placed] = []
    with citing(keys if version >= 2 else None):  # noqa: PLR2004
        for index, raw in enumerate(document["records"]):
            if isinstance(raw, dict) and raw.get("kind") == PATCH_KIND:
                problems.extend(
                    _read_patch(file, index, raw, version=version, keys=keys, patches=patches)
                )
                continue
            item, found = structure(file, index, raw)
            if item is not None:
                placed.append(item)
            problems.extend(found)
    return placed, table, problems


_PATCH_FIELDS: Final = frozenset({"kind", "target", "changes"})


def _read_patch(
    file: str,
    index: int,
    raw: dict[str, Any],
    *,
    version: int,
    keys: Mapping[str, Source],
    patches: list[Patch] | None,
) -> list[Problem]:
    """Check a patch record's shape and keep it in ``patches``; or its problems."""
    target = raw.get("target")
    label = target if isinstance(target, str) and target else f"#{index}"
    if version < 2:  # noqa: PLR2004 (patches came with format 2)
        return [Problem(file, label, "kind", "a patch record needs format_version 2")]
    if patches is None:
        reason = "a patch record changes a record loaded before it: only a load applies it"
        return [Problem(file, label, "kind", reason)]
    problems = [
        Problem(file, label, key, "unknown field") for key in sorted(raw.keys() - _PATCH_FIELDS)
    ]
    if not isinstance(target, str) or not target:
        problems.append(
            Problem(file, label, "target", "expected the key of a record, such as 'aco'")
        )
    changes = raw.get("changes")
    if not isinstance(changes, dict):
        problems.append(
            Problem(file, label, "changes", "expected an object of the fields to change")
        )
    elif "kind" in changes:
        problems.append(
            Problem(file, label, "changes.kind", "a patch cannot change a record's kind")
        )
    if not problems and isinstance(changes, dict):
        patches.append(Patch(target=label, changes=changes, file=file, index=index, sources=keys))
    return problems


def structure(file: str, index: int, raw: object) -> tuple[Placed | None, list[Problem]]:
    """One item of a file's ``records``, as a record with its place, or its problems.

    Source keys resolve in the table of the enclosing :func:`~natostruct.convert.citing`.
    """
    if not isinstance(raw, dict):
        reason = f"expected an object, got {type(raw).__name__}"
        return None, [Problem(file, f"#{index}", None, reason)]
    label = record_label(index, raw)
    try:
        record = structure_record(raw)
    except _STRUCTURE_ERRORS as exc:
        problems = _failed(file, label, None, raw, exc)
        return None, problems + _salvaged_problems(file, label, raw, problems)
    return Placed(file, label, record), []


def _salvaged_problems(
    file: str, label: str, raw: dict[str, Any], problems: list[Problem]
) -> list[Problem]:
    """The rule problems of a record that failed to structure, from the fields that did.

    One field of the wrong type must not hide the rest: a record with a
    numeric ``parent_id`` and an empty ``name`` has two problems. The fields
    that failed are left out (a list, whole) and the record is built again;
    the rules then run on it, except on the fields left out. A record
    still not built after a few rounds (a required field left out, an
    unknown ``kind``) gives only the problems already found.
    """
    from natostruct.validate import record_problems  # noqa: PLC0415 (only a failed load needs it)

    paths = [p.field for p in problems]
    if not paths or None in paths or "kind" in paths:
        return []
    left_out: list[str] = []
    fixed = json.loads(json.dumps(raw))  # a copy: the caller's JSON stays as it was
    for _ in range(_SALVAGE_ROUNDS):
        for path in paths:
            assert path is not None  # noqa: S101 (checked above, and below)
            left_out.append(_leave_out(fixed, path))
        try:
            record = structure_record(fixed)
        except _STRUCTURE_ERRORS as exc:
            paths = [field for field, _ in _walk(exc, "")]
            if None in paths or "kind" in paths:
                return []
            continue
        return record_problems(Placed(file, label, record), skip=left_out)
    return []


#: How often a record that failed to structure is built again without its bad fields.
_SALVAGE_ROUNDS: Final = 3
_PATH_STEP: Final = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _leave_out(document: dict[str, Any], path: str) -> str:
    """Remove the field at ``path`` from ``document`` (a whole list for an item); what went."""
    steps = [(name, index) for name, index in _PATH_STEP.findall(path)]
    # A list item cannot go alone (the later ones would change index): its list goes.
    while steps and steps[-1][1]:
        steps.pop()
    parent: Any = document
    taken: list[str] = []
    for name, index in steps[:-1]:
        if name and isinstance(parent, dict):
            parent = parent.get(name)
        elif index and isinstance(parent, list) and int(index) < len(parent):
            parent = parent[int(index)]
        else:
            return path  # not there to take: the next round sees the same problem
        taken.append(name or f"[{index}]")
    last = steps[-1][0] if steps else ""
    if isinstance(parent, dict):
        parent.pop(last, None)
    gone = ".".join([*taken, last]).replace(".[", "[")
    return gone or path


def structure_source(file: str, key: str, raw: object) -> tuple[Source | None, list[Problem]]:
    """One entry of a file's sources table, or its problems."""
    if not 0 < len(key) <= MAX_KEY or key != key.strip() or not key.isprintable():
        reason = f"expected a key of 1 to {MAX_KEY} printable characters, got {quote(key)}"
        return None, [Problem(file, None, f"sources.{key}", reason)]
    try:
        return CONVERTER.structure(raw, Source), []
    except _STRUCTURE_ERRORS as exc:
        return None, _failed(file, None, f"sources.{key}", raw, exc)


def write(
    records: Iterable[Record],
    *,
    version: int = FORMAT_VERSION,
    keys: Mapping[str, Source] | None = None,
    table: bool = True,
) -> tuple[dict[str, Any], dict[str, Source]]:
    """The document for ``records``, and the sources table it cites.

    In format 2 every source is cited by key: the key it has in ``keys``
    (a table read before), else a new key from :func:`derive_key`. With
    ``table=False`` the document leaves the table out, for a caller that
    writes it to a shared file. In format 1 sources are written whole and
    the table is empty.

    Raises:
        ValueError: an unknown format version.
    """
    if version not in READABLE_VERSIONS:
        msg = f"expected a format version in {READABLE_VERSIONS}, got {quote(version)}"
        raise ValueError(msg)
    records = list(records)
    if version == 1:
        return {"format_version": 1, "records": [CONVERTER.unstructure(r) for r in records]}, {}
    known = {source: key for key, source in (keys or {}).items()}
    taken = set(known.values())
    used: dict[str, Source] = {}

    def key_of(source: Source) -> str:
        key = known.get(source)
        if key is None:
            key = derive_key(source, taken)
            known[source] = key
            taken.add(key)
        used[key] = source
        return key

    with citing(key_of=key_of):
        unstructured = [CONVERTER.unstructure(r) for r in records]
    used = dict(sorted(used.items()))
    document: dict[str, Any] = {"format_version": version}
    if table:
        document["sources"] = {key: CONVERTER.unstructure(src) for key, src in used.items()}
    document["records"] = unstructured
    return document, used


def table_document(table: Mapping[str, Source]) -> dict[str, Any]:
    """A file holding only a sources table, by key (the bundled ``sources.json``)."""
    return {
        "format_version": FORMAT_VERSION,
        "sources": {key: CONVERTER.unstructure(table[key]) for key in sorted(table)},
        "records": [],
    }


def dumps(document: Mapping[str, Any]) -> str:
    """A document as the text of a data file: UTF-8, two-space indent, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def derive_key(source: Source, taken: Iterable[str] = ()) -> str:
    """A short, readable key for ``source``: its URL's host and last path part, or its document.

    A key already ``taken`` gets a number (``-2``, ``-3``...).

    >>> derive_key(Source(title="Topics", quality="official",
    ...                   url="https://www.nato.int/cps/en/natohq/topics_49174.htm"))
    'nato-int-topics-49174'
    """
    if source.url:
        from urllib.parse import urlsplit  # noqa: PLC0415 (only writing needs it, not loading)

        try:
            parts = urlsplit(source.url)
            host = (parts.hostname or "").removeprefix("www.")
        except ValueError:  # not a URL urllib can take apart ("http://[x"): key it by its text
            text = source.url
        else:
            tail = [_EXTENSION.sub("", p) for p in parts.path.split("/") if p][-1:]
            text = "-".join([host, *tail])
    else:
        text = _EXTENSION.sub("", source.document or source.title)
    base = _NOT_SLUG.sub("-", text.lower()).strip("-")[:60].strip("-") or "source"
    taken = set(taken)
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


# --- reading ---------------------------------------------------------------------------


def parse(file: str, data: bytes) -> tuple[dict[str, Any], Problem | None]:
    """A data file's bytes as a JSON document whose top level fits the format, or its problem.

    The records and the sources table are left as JSON: :func:`read` structures
    them all, the bundled data one at a time.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, Problem(file, None, None, f"not UTF-8 text (byte {exc.start})")
    if not text.strip():
        return {}, Problem(file, None, None, "the file is empty")
    duplicates = _Duplicates()
    try:
        document = json.loads(text, object_pairs_hook=duplicates)
    except json.JSONDecodeError as exc:
        return {}, Problem(file, None, None, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)
    except RecursionError:
        return {}, Problem(file, None, None, "invalid JSON: nested too deeply")
    except ValueError as exc:  # an integer longer than sys.get_int_max_str_digits()
        return {}, Problem(file, None, None, f"invalid JSON: {exc}")
    if duplicates.found:
        return {}, duplicates.problem(file, document)
    top = _top_level_problem(document)
    if top is not None:
        field, reason = top
        return {}, Problem(file, None, field, reason)
    return document, None


def loads(text: str | bytes) -> Any:
    """``json.loads``, refusing an object that gives one key twice (ValueError naming the key).

    Python's json module keeps the last of two equal keys, so a file with two
    ``records`` arrays would silently load only the second.
    """
    duplicates = _Duplicates()
    value = json.loads(text, object_pairs_hook=duplicates)
    if duplicates.found:
        key = next(iter(duplicates.found.values()))
        msg = f"duplicate key {key!r} in a JSON object"
        raise ValueError(msg)
    return value


class _Duplicates:
    """An ``object_pairs_hook`` that notes each object giving a key twice (and keeps the last)."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found: dict[int, str] = {}  # id of the object -> the key it repeats

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):  # rare: look for the repeated key only then
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.found[id(made)] = key
                    break
                seen.add(key)
        return made

    def problem(self, file: str, document: object) -> Problem:
        """The problem of the first such object, with its record and field path."""
        for path, value in _objects(document):
            key = self.found.get(id(value))
            if key is None:
                continue
            record, field = None, path
            if path.startswith("records["):
                index = int(path[len("records[") : path.index("]")])
                raw = document["records"][index]  # type: ignore[index]
                record = record_label(index, raw) if isinstance(raw, dict) else f"#{index}"
                field = path[path.index("]") + 1 :].lstrip(".")
            where = f"{field}.{key}" if field else key
            return Problem(file, record, where, f"duplicate key {key!r}: a key may appear once")
        return Problem(file, None, None, "duplicate key in a JSON object")  # pragma: no cover


def _objects(document: object) -> Iterator[tuple[str, object]]:
    """Every JSON object in ``document`` with its path (``records[3].posts[0]``), iteratively."""
    stack: list[tuple[str, object]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            yield path, value
            # Reversed, so that objects come out in the order the file gives them.
            stack.extend(reversed([(f"{path}.{k}" if path else k, v) for k, v in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", v) for i, v in enumerate(value)]))


def _top_level_problem(document: object) -> tuple[str | None, str] | None:
    if not isinstance(document, dict):
        return None, f"expected a JSON object at the top level, got {_json_type(document)}"
    if "format_version" not in document:
        return "format_version", "missing required field"
    version = document["format_version"]
    if type(version) is not int or version not in READABLE_VERSIONS:
        listed = " or ".join(map(str, READABLE_VERSIONS))
        return "format_version", f"expected {listed}, got {quote(version)}"
    extra = sorted(set(document) - _TOP_FIELDS[version])
    if extra:
        return extra[0], "unknown field"
    if "records" not in document:
        return "records", "missing required field"
    if not isinstance(document["records"], list):
        return "records", f"expected an array, got {_json_type(document['records'])}"
    if not isinstance(document.get("sources", {}), dict):
        return "sources", f"expected an object, got {_json_type(document['sources'])}"
    return None


def _read_table(file: str, raw: dict[str, Any], problems: list[Problem]) -> dict[str, Source]:
    table: dict[str, Source] = {}
    for key, value in raw.items():
        source, found = structure_source(file, key, value)
        if source is not None:
            table[key] = source
        problems.extend(found)
    return table


def _failed(
    file: str, record: str | None, path: str | None, raw: object, exc: BaseException
) -> list[Problem]:
    """The problems of a value the converter refused, each with its field path."""
    # A valid value is shallow: only one that failed can be absurdly deep.
    if _depth(raw) > _MAX_DEPTH:
        return [Problem(file, record, path, "nested too deeply")]
    return [Problem(file, record, f, r) for f, r in _walk(exc, path or "")]


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _depth(value: object, limit: int = _MAX_DEPTH + 1) -> int:
    # Iterative, so that the check itself cannot overflow the stack.
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest >= limit:
            return deepest
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _walk(exc: BaseException, path: str) -> Iterator[tuple[str | None, str]]:
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield _join(path, key), "unknown field"
        return
    if isinstance(exc, cattrs.BaseValidationError):
        for sub in exc.exceptions:
            yield from _walk(sub, _step(sub, path))
        return
    if isinstance(exc, KeyError):
        # cattrs raises KeyError(name) for a required field that is absent.
        yield path or None, "missing required field"
        return
    yield path or None, _reason(exc)


def _step(exc: BaseException, path: str) -> str:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return _join(path, note.name)
        if isinstance(note, IterableValidationNote):
            return f"{path}[{note.index}]"
    return path


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if type(exc).__name__ == "TypeError" or isinstance(exc, ValueError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}"
