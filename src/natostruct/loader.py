"""Data files to a Dataset: read, parse, structure, validate; all or nothing.

The canonical data bundled in the package and a user's own files take the
same path. Every problem found on the way is collected, and a
:class:`~natostruct.DatasetError` lists them all; nothing is half-loaded.
"""

from __future__ import annotations

import gc
import json
import os
from importlib.resources import files
from typing import TYPE_CHECKING, Final

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from natostruct.convert import structure_record
from natostruct.dataset import Dataset, record_key
from natostruct.errors import DatasetError, Problem
from natostruct.validate import Placed, record_label, validate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

__all__ = ["FORMAT_VERSION", "load", "load_canonical", "parse_document"]

#: The data file format this version reads and writes.
FORMAT_VERSION: Final = 1
_MAX_DEPTH: Final = 200  # deeper JSON is a malformed file, not data


StrPath = str | os.PathLike[str]


def load(*paths: StrPath, base: Dataset | None = None) -> Dataset:
    """Load data files into a new Dataset.

    With ``base`` (e.g. ``natostruct.dataset()``) the files extend it: a record
    whose id is already in ``base`` replaces that record. Two records with the
    same id in the files given are an error. ``base`` itself is not changed.

    Raises:
        DatasetError: any file is unreadable or malformed, or the records break
            a rule; ``problems`` lists every reason.

    .. versionadded:: 0.1.0
    """
    documents = [(os.fspath(path), _file_reader(os.fspath(path))) for path in paths]
    return _load(documents, base=base, trusted=False)


def load_canonical() -> Dataset:
    """Load the data files bundled in the package (``natostruct/data/*.json``).

    The bundled files are trusted: they are parsed and structured as strictly
    as any file, but the rules across records are not run again at every
    start, since the test suite runs every rule over these very files.

    Raises:
        DatasetError: the bundled data is broken (a bug in this release).
    """
    folder = files("natostruct").joinpath("data")
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(".json")), key=lambda e: e.name
    )
    documents = [(f"natostruct/data/{entry.name}", entry.read_bytes) for entry in entries]
    return _load(documents, base=None, trusted=True)


def _load(
    documents: Sequence[tuple[str, Callable[[], bytes]]],
    *,
    base: Dataset | None,
    trusted: bool,
) -> Dataset:
    """Read, parse and structure each document, merge onto ``base``, validate; all or nothing.

    ``trusted`` skips the validator (the rules across records); only the
    bundled data, which the test suite validates in full, may ask for that.
    """
    placed: list[Placed] = []
    problems: list[Problem] = []
    with _gc_paused():
        for name, read in documents:
            try:
                data = read()
            except FileNotFoundError:
                problems.append(Problem(name, None, None, "file not found"))
                continue
            except IsADirectoryError:
                problems.append(Problem(name, None, None, "is a directory, not a file"))
                continue
            except OSError as exc:
                problems.append(Problem(name, None, None, f"cannot read: {exc.strerror}"))
                continue
            found, file_problems = parse_document(name, data)
            placed.extend(found)
            problems.extend(file_problems)
        if base is not None:
            placed = _merge(base, placed)
        if not trusted:
            problems.extend(validate(placed))
        if problems:
            raise DatasetError(_in_file_order(problems, [name for name, _ in documents]))
        return Dataset.trusted(item.record for item in placed)


def _file_reader(name: str) -> Callable[[], bytes]:
    def read() -> bytes:
        with open(name, "rb") as handle:  # noqa: PTH123 (accepts any PathLike)
            return handle.read()

    return read


def _in_file_order(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Problems grouped by file in the order the files were given (stable)."""
    position = {name: i for i, name in reversed(list(enumerate(files)))}
    return sorted(problems, key=lambda p: position.get(p.file, -1))


def _merge(base: Dataset, placed: list[Placed]) -> list[Placed]:
    replaced = {record_key(item.record) for item in placed}
    kept = [
        Placed("<base>", record_label(i, record), record)
        for i, record in enumerate(base.records)
        if record_key(record) not in replaced
    ]
    return kept + placed


def parse_document(file: str, data: bytes) -> tuple[list[Placed], list[Problem]]:
    """Parse and structure one data file's bytes; never raises for bad data."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(file, None, None, f"not UTF-8 text (byte {exc.start})")]
    if not text.strip():
        return [], [Problem(file, None, None, "the file is empty")]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Problem(file, None, None, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)]
    except RecursionError:
        return [], [Problem(file, None, None, "invalid JSON: nested too deeply")]
    except ValueError as exc:  # an integer longer than sys.get_int_max_str_digits()
        return [], [Problem(file, None, None, f"invalid JSON: {exc}")]
    top = _top_level_problem(document)
    if top is not None:
        field, reason = top
        return [], [Problem(file, None, field, reason)]
    placed: list[Placed] = []
    problems: list[Problem] = []
    for index, raw in enumerate(document["records"]):
        label = record_label(index, raw) if isinstance(raw, dict) else f"#{index}"
        if not isinstance(raw, dict):
            problems.append(
                Problem(file, label, None, f"expected an object, got {type(raw).__name__}")
            )
            continue
        try:
            record = structure_record(raw)
        except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
            # A valid record is shallow: only one that failed can be absurdly deep.
            if _depth(raw) > _MAX_DEPTH:
                problems.append(Problem(file, label, None, "nested too deeply"))
                continue
            problems.extend(Problem(file, label, f, r) for f, r in _walk(exc, ""))
            continue
        placed.append(Placed(file, label, record))
    return placed, problems


def _top_level_problem(document: object) -> tuple[str | None, str] | None:
    if not isinstance(document, dict):
        return None, f"expected a JSON object at the top level, got {_json_type(document)}"
    extra = sorted(set(document) - {"format_version", "records"})
    if extra:
        return extra[0], "unknown field"
    if "format_version" not in document:
        return "format_version", "missing required field"
    version = document["format_version"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        return "format_version", f"expected {FORMAT_VERSION}, got {version!r}"
    if "records" not in document:
        return "records", "missing required field"
    if not isinstance(document["records"], list):
        return "records", f"expected an array, got {_json_type(document['records'])}"
    return None


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


class _gc_paused:  # noqa: N801 (used like a function)
    """Pause the cyclic garbage collector while records are built.

    Building tens of thousands of small objects triggers many collections that
    find nothing (the records hold no cycles); pausing roughly halves the time
    of a large load. The previous state is restored on exit.
    """

    def __enter__(self) -> None:
        self._was = gc.isenabled()
        gc.disable()

    def __exit__(self, *_: object) -> None:
        if self._was:
            gc.enable()
