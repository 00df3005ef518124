"""Data files to a Dataset: read, parse, structure, validate; all or nothing.

The canonical data bundled in the package and a user's own files take the
same path. Every problem found on the way is collected, and a
:class:`~natostruct.DatasetError` lists them all; nothing is half-loaded.

Only a regular file is read, and at most :data:`MAX_FILE_BYTES` of it: a
device, a FIFO or a socket named by mistake is refused before it is read,
so that it can neither block the load nor fill the memory.
"""

from __future__ import annotations

import functools
import gc
import os
import stat
from typing import TYPE_CHECKING, BinaryIO, Final

from natostruct import bundle, fileformat, overlay
from natostruct.dataset import Dataset
from natostruct.errors import DatasetError, Problem
from natostruct.model import record_key
from natostruct.places import Placed, record_label
from natostruct.validate import validate

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence

    from natostruct.model import Source

__all__ = ["MAX_FILE_BYTES", "AnyPath", "load", "load_canonical", "read_file"]

#: What :func:`load` takes for a file: a path as text or bytes, or a path-like object.
AnyPath = str | bytes | os.PathLike[str] | os.PathLike[bytes]

#: Largest data file read, in bytes: 1 GiB, about ten times the largest benchmark
#: file (98 MB). A larger one is a problem of its own, found before it fills the memory.
MAX_FILE_BYTES: Final = 1 << 30

# Opening must not wait: a FIFO without a writer would block in open(), and a
# terminal named by mistake must not become the controlling one. Both flags are
# POSIX (Windows has no FIFOs in the file system); O_BINARY is Windows' own, so
# that its C runtime does not translate line ends.
_NONBLOCK: Final[int] = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS: Final[int] = (
    os.O_RDONLY | _NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
)
#: The files that are not regular, in words, by the test of their mode.
_SPECIAL: Final = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_CHUNK: Final = 1 << 24  # bytes read at a time from a file that outgrows its size


def load(*paths: AnyPath, base: Dataset | None = None) -> Dataset:
    """Load data files into a new Dataset.

    A path is a ``str``, ``bytes`` or path-like object; a problem with it (a
    missing file, a NUL character, not a regular file, larger than
    :data:`MAX_FILE_BYTES`) is a problem of the load like any other, named
    by the path (a ``bytes`` path decoded with :func:`os.fsdecode`).

    With ``base`` (e.g. ``natostruct.dataset()``) the files extend it: a record
    whose id is already in ``base`` replaces that record. Two records with the
    same id in the files given are an error. ``base`` itself is not changed.
    ``base`` must be a whole Dataset: an ``as_of`` view holds each entity as
    it stood that day, without its history, so a Dataset made from it would
    mix projected records with whole ones. Load onto the whole Dataset and
    take ``as_of`` afterwards.

    Raises:
        DatasetError: any file is unreadable or malformed, or the records break
            a rule; ``problems`` lists every reason.
        TypeError: a path is not a ``str``, ``bytes`` or path-like object
            (say an int, which ``open`` would take for a file descriptor), or
            ``base`` is not a Dataset; nothing is read.
        ValueError: ``base`` is an ``as_of`` view; nothing is read.

    .. versionadded:: 0.1.0
    """
    # Every argument is checked before any file is read.
    documents = [_document(path) for path in paths]
    if base is not None:
        _check_base(base)
    return _load(documents, base=base)


def read_file(path: AnyPath) -> bytes:
    """The bytes of one data file, read as :func:`load` reads it (the CLI's ``format``).

    Raises:
        DatasetError: the path is not a readable regular file of at most
            :data:`MAX_FILE_BYTES`; its one problem names the path.
        TypeError: ``path`` is not a ``str``, ``bytes`` or path-like object.
    """
    name, read = _document(path)
    try:
        return read()
    except _Unreadable as exc:
        raise DatasetError([Problem(name, None, None, exc.reason)]) from None


def _document(path: AnyPath) -> tuple[str, Callable[[], bytes]]:
    """How problems name ``path`` (a ``bytes`` path decoded), and its reader.

    Raises:
        TypeError: ``path`` is not a ``str``, ``bytes`` or path-like object.
    """
    # os.fspath refuses None, and an int, which open() would take for a file descriptor.
    raw = os.fspath(path)
    return os.fsdecode(raw), functools.partial(_read, raw)


def _check_base(base: object) -> None:
    if not isinstance(base, Dataset):
        msg = f"base must be a Dataset, got {type(base).__name__}"
        raise TypeError(msg)
    if base.date is not None:
        msg = (
            "base must be a whole Dataset, not an as_of view; "
            "load onto the whole Dataset and take as_of afterwards"
        )
        raise ValueError(msg)


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
    patches: list[overlay.Patch] = []
    table: dict[str, Source] | None = None
    with _gc_paused():
        for name, read in documents:
            try:
                data = read()
            except _Unreadable as exc:
                problems.append(Problem(name, None, None, exc.reason))
                continue
            except OSError as exc:  # a bundled file, read from the package
                problems.append(Problem(name, None, None, _os_reason(exc)))
                continue
            found, own, file_problems = fileformat.read(name, data, shared=table, patches=patches)
            if shared and table is None:
                table = own
            placed.extend(found)
            problems.extend(file_problems)
        if base is not None:
            placed = _merge(base, placed)
        # Patches change the records loaded so far: the base's and the files'.
        placed, patch_problems = overlay.apply(placed, patches, fileformat.structure)
        problems.extend(patch_problems)
        problems.extend(validate(placed))
        if problems:
            raise DatasetError(_in_file_order(problems, [name for name, _ in documents]))
        if base is not None and data_as_of is None:
            data_as_of = base.data_as_of
        return Dataset.trusted(
            (item.record for item in placed),
            data_as_of=data_as_of,
            replaced=_replacements(base, placed),
        )


def _replacements(
    base: Dataset | None, placed: Sequence[Placed]
) -> tuple[overlay.Replacement, ...]:
    """What the files did to the base's records, one Replacement per record they replaced."""
    if base is None:
        return ()
    before = {record_key(record): record for record in base.records}
    found = [
        overlay.replacement(before[key], item.record, item.file)
        for item in placed
        if item.file != _BASE and (key := record_key(item.record)) in before
    ]
    return tuple(sorted(found, key=lambda r: (r.record, r.file)))


class _Unreadable(Exception):  # noqa: N818 (internal: never leaves this module)
    """A path that names no data file this module reads; ``reason`` says why in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read(path: str | bytes) -> bytes:
    """The bytes of the regular file at ``path``, at most MAX_FILE_BYTES; else _Unreadable."""
    try:
        # Checked before opening: opening a device can have effects of its own.
        _check_regular(os.stat(path).st_mode)  # noqa: PTH116 (bytes paths too)
        fd = os.open(path, _OPEN_FLAGS)
        with os.fdopen(fd, "rb") as handle:
            # The path may have been replaced since the stat: check what was opened.
            status = os.fstat(fd)
            _check_regular(status.st_mode)
            if _NONBLOCK:
                os.set_blocking(fd, True)  # O_NONBLOCK was for the open only
            if status.st_size > MAX_FILE_BYTES:
                raise _Unreadable(_too_large())
            data = _read_at_most(handle, MAX_FILE_BYTES + 1, status.st_size)
    except OSError as exc:
        raise _Unreadable(_os_reason(exc)) from None
    except ValueError as exc:  # a NUL character, or one the file system cannot encode
        raise _Unreadable(f"not a valid path: {_path_fault(path, exc)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(_too_large())
    return data


def _check_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise _Unreadable("is a directory, not a file")
    what = next((words for test, words in _SPECIAL if test(mode)), "a special file")
    raise _Unreadable(f"not a regular file ({what})")


def _read_at_most(handle: BinaryIO, limit: int, size: int) -> bytes:
    """Up to ``limit`` bytes of ``handle``; ``size``, the file's size, sizes the first read.

    One read of ``limit`` would allocate all of it up front; a read of the
    size plus one byte is the whole file, in one buffer of its size. A file
    that grows meanwhile, or that reports no size (``/proc`` files), is read
    on in chunks up to ``limit``.
    """
    data = handle.read(min(size + 1, limit))
    if len(data) <= size or len(data) >= limit:
        return data
    parts = [data]
    total = len(data)
    while total < limit:
        part = handle.read(min(_CHUNK, limit - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot read: {exc.strerror or exc}"


def _path_fault(path: str | bytes, exc: ValueError) -> str:
    if isinstance(exc, UnicodeError):
        return "a character cannot be encoded for the file system"
    if b"\0" in path if isinstance(path, bytes) else "\0" in path:
        return "it contains a NUL character"
    return str(exc)


def _too_large() -> str:
    return f"larger than {_in_words(MAX_FILE_BYTES)}"


def _in_words(size: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift} {unit}"
    return f"{size} bytes"


def _in_file_order(problems: list[Problem], files: list[str]) -> list[Problem]:
    """Problems grouped by file in the order the files were given (stable)."""
    position = {name: i for i, name in reversed(list(enumerate(files)))}
    return sorted(problems, key=lambda p: position.get(p.file, -1))


#: The file name the base's records carry while a load merges them.
_BASE: Final = "<base>"


def _merge(base: Dataset, placed: list[Placed]) -> list[Placed]:
    replaced = {record_key(item.record) for item in placed}
    kept = [
        Placed(_BASE, record_label(i, record), record)
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
