"""Data files to a Dataset: read, parse, structure, validate; all or nothing.

The canonical data bundled in the package and a user's own files take the
same path. Every problem found on the way is collected, and a
:class:`~natostruct.DatasetError` lists them all; nothing is half-loaded.
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING

from natostruct import bundle, fileformat
from natostruct.dataset import Dataset
from natostruct.errors import DatasetError, Problem
from natostruct.model import record_key
from natostruct.places import Placed, record_label
from natostruct.validate import validate

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence

    from natostruct.model import Source

__all__ = ["load", "load_canonical"]

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
    return _load(documents, base=base)


def load_canonical(*, validate: bool = False) -> Dataset:
    """Load the data files bundled in the package (``natostruct/data/*.json``).

    The bundled files are trusted: each record is parsed and structured as
    strictly as in any file, but only when a query first needs it (see
    :mod:`natostruct.bundle`), and the rules across records are not run again
    at every start, since the test suite runs every rule over these very
    files. ``validate=True`` reads every file at once and runs every rule.

    Raises:
        DatasetError: the bundled data is broken (a bug in this release).
    """
    if not validate:
        return bundle.load()
    from importlib.resources import files  # noqa: PLC0415 (the tests' path, not every start's)

    folder = files("natostruct").joinpath("data")
    # The shared sources table first: the other files cite its keys.
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(".json")),
        key=lambda e: (e.name != fileformat.SHARED_SOURCES, e.name),
    )
    documents = [(f"natostruct/data/{entry.name}", entry.read_bytes) for entry in entries]
    from natostruct import DATA_AS_OF  # noqa: PLC0415 (the package is loaded by now)

    return _load(documents, base=None, shared=True, data_as_of=DATA_AS_OF)


def _load(
    documents: Sequence[tuple[str, Callable[[], bytes]]],
    *,
    base: Dataset | None,
    shared: bool = False,
    data_as_of: dt.date | None = None,
) -> Dataset:
    """Read, parse and structure each document, merge onto ``base``, validate; all or nothing.

    With ``shared``, the first document's sources table is cited by the others.
    """
    placed: list[Placed] = []
    problems: list[Problem] = []
    table: dict[str, Source] | None = None
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
            found, own, file_problems = fileformat.read(name, data, shared=table)
            if shared and table is None:
                table = own
            placed.extend(found)
            problems.extend(file_problems)
        if base is not None:
            placed = _merge(base, placed)
        problems.extend(validate(placed))
        if problems:
            raise DatasetError(_in_file_order(problems, [name for name, _ in documents]))
        if base is not None and data_as_of is None:
            data_as_of = base.data_as_of
        return Dataset.trusted((item.record for item in placed), data_as_of=data_as_of)


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
