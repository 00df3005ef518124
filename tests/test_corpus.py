"""The corpus of malformed data files: each one's first problem, and no harm done.

Every file in tests/corpus/ holds one thing wrong; tests/corpus/expected.json
maps its name to the first problem the loader must report (record, field, the
start of the reason, and for a syntax error its line). This is the one table
of validation cases: each rule the loader enforces has a file here. A failed load must leave every Dataset loaded before
it exactly as it was.

What cannot be a file in the corpus (a path of bytes or with a NUL in it, an
as_of view as the base) is tested at the end. A FIFO, a device and a file
over the size limit, which a broken loader would hang on, are in
tests/test_limits.py, run in a subprocess with a limit.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import pytest

import natostruct
from natostruct import Dataset, DatasetError, Problem, loader

if TYPE_CHECKING:
    from collections.abc import Callable

CORPUS = Path(__file__).parent / "corpus"
EXPECTED_FILE = CORPUS / "expected.json"


class _Position(TypedDict, total=False):
    """Where a syntax error is: the line number the problem must carry."""

    line: int


class Expected(_Position):
    """The first problem a corpus file must raise."""

    record: str | None
    field: str | None
    reason: str


def _expected() -> dict[str, Expected]:
    data: dict[str, Expected] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
    return data


EXPECTED = _expected()
CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p != EXPECTED_FILE)


def snapshot(ds: Dataset) -> tuple[object, ...]:
    """What a caller can see of a Dataset: records, iteration order and a few lookups."""
    first = ds.all()[0]
    return (
        ds.records,
        tuple(e.id for e in ds),
        len(ds),
        repr(ds),
        ds.get(first.id),
        ds.chain_of_command(first.id),
        ds.children(first.id),
        ds.members("2020-01-01"),
        ds.as_of("2020-01-01").records,
    )


def canonical_snapshot() -> tuple[object, ...]:
    """The canonical Dataset as seen through the package-level helpers."""
    ims = natostruct.get("ims")
    parent = ims.parent
    return (
        snapshot(natostruct.dataset()),
        ims,
        None if parent is None else parent.id,
        tuple(e.id for e in natostruct.chain_of_command("ims")),
        natostruct.get("mc"),
    )


def check_problem(problem: Problem, path: Path, expected: Expected) -> None:
    """Assert that ``problem`` is the one ``expected`` describes, in ``path``."""
    assert problem.file == str(path)
    assert (problem.record, problem.field) == (expected["record"], expected["field"]), problem
    assert problem.reason.startswith(expected["reason"]), problem.reason
    assert problem.line == expected.get("line"), problem
    assert str(problem).startswith(str(path))


def test_every_corpus_file_has_an_expectation() -> None:
    """expected.json lists exactly the corpus files."""
    assert sorted(EXPECTED) == CORPUS_FILES


def test_corpus_is_large_enough() -> None:
    """The corpus covers the rules broadly: at least 40 malformed files."""
    assert len(CORPUS_FILES) >= 40


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file(name: str, mini: Dataset) -> None:
    """Loading the file raises DatasetError with the expected first problem and changes nothing."""
    path = CORPUS / name
    expected = EXPECTED[name]
    canonical = natostruct.dataset()
    canonical_before = canonical_snapshot()
    mini_before = snapshot(mini)

    with pytest.raises(DatasetError) as alone:
        natostruct.load(path)
    check_problem(alone.value.problems[0], path, expected)
    assert isinstance(alone.value, ValueError)
    assert pickle.loads(pickle.dumps(alone.value)).problems == alone.value.problems  # noqa: S301 (our own bytes)

    for base in (mini, canonical):
        with pytest.raises(DatasetError) as extended:
            natostruct.load(path, base=base)
        check_problem(extended.value.problems[0], path, expected)

    assert natostruct.dataset() is canonical
    assert canonical_snapshot() == canonical_before
    assert snapshot(mini) == mini_before


def test_directory_instead_of_file(tmp_path: Path, mini: Dataset) -> None:
    """A directory given as a data file is a file-level problem, and nothing changes."""
    before = snapshot(mini), canonical_snapshot()
    with pytest.raises(DatasetError) as info:
        natostruct.load(tmp_path, base=mini)
    (problem,) = info.value.problems
    assert (problem.file, problem.record, problem.field) == (str(tmp_path), None, None)
    assert problem.reason == "is a directory, not a file"
    assert (snapshot(mini), canonical_snapshot()) == before


def test_missing_file(tmp_path: Path, mini: Dataset) -> None:
    """A file that does not exist is a file-level problem, and nothing changes."""
    missing = tmp_path / "no-such-file.json"
    before = snapshot(mini), canonical_snapshot()
    with pytest.raises(DatasetError) as info:
        natostruct.load(missing, base=mini)
    (problem,) = info.value.problems
    assert (problem.file, problem.record, problem.field) == (str(missing), None, None)
    assert problem.reason == "file not found"
    assert (snapshot(mini), canonical_snapshot()) == before


def test_whole_corpus_at_once(mini: Dataset) -> None:
    """Loading every corpus file in one call reports a problem for each of them."""
    paths = [CORPUS / name for name in CORPUS_FILES]
    before = snapshot(mini)
    with pytest.raises(DatasetError) as info:
        natostruct.load(*paths, base=mini)
    reported = {Path(p.file).name for p in info.value.problems}
    # Duplicates across files hide nothing: every file still has its own problem.
    assert reported == set(CORPUS_FILES)
    assert snapshot(mini) == before


# --- paths: what cannot be a corpus file -----------------------------------------------


def test_bytes_path_with_a_problem(tmp_path: Path, mini: Dataset) -> None:
    """A bytes path is a path: its problem is a DatasetError naming it, decoded, not a TypeError."""
    path = os.fsencode(tmp_path / "no-such-file.json")
    before = snapshot(mini)
    with pytest.raises(DatasetError) as info:
        natostruct.load(path, base=mini)
    (problem,) = info.value.problems
    assert (problem.file, problem.reason) == (os.fsdecode(path), "file not found")
    assert snapshot(mini) == before


@pytest.mark.skipif(sys.platform == "win32", reason="Windows file names are text, not bytes")
def test_bytes_path_not_utf8(tmp_path: Path) -> None:
    """A bytes path that is not UTF-8 names its problem as os.fsdecode decodes it."""
    path = os.fsencode(tmp_path) + b"/\xff-no-such-file.json"
    with pytest.raises(DatasetError) as info:
        natostruct.load(path)
    assert info.value.problems[0].file == os.fsdecode(path)


def test_valid_bytes_path(mini: Dataset) -> None:
    """A bytes path to a good file loads like the text path."""
    path = Path(__file__).parent / "fixtures" / "mini.json"
    assert natostruct.load(os.fsencode(path)) == mini


@pytest.mark.parametrize("path", ["a\x00b.json", b"a\x00b.json"], ids=["str", "bytes"])
def test_nul_in_path(path: str | bytes, mini: Dataset) -> None:
    """A NUL character in a path is a problem naming the path, not a bare ValueError."""
    before = snapshot(mini)
    with pytest.raises(DatasetError) as info:
        natostruct.load(path, base=mini)
    (problem,) = info.value.problems
    assert (problem.file, problem.record, problem.field) == ("a\x00b.json", None, None)
    assert problem.reason == "not a valid path: it contains a NUL character"
    assert snapshot(mini) == before


@pytest.mark.skipif(sys.platform == "win32", reason="Windows file names may hold lone surrogates")
def test_unencodable_path() -> None:
    """A path the file system cannot encode (a lone surrogate) is a problem naming the path."""
    with pytest.raises(DatasetError) as info:
        natostruct.load("\ud800.json")
    (problem,) = info.value.problems
    assert problem.file == "\ud800.json"
    assert problem.reason == "not a valid path: a character cannot be encoded for the file system"


@pytest.mark.parametrize("path", [0, 5, None, 1.5], ids=["fd-0", "int", "None", "float"])
def test_wrong_path_type(path: object, write_doc: Callable[..., Path]) -> None:
    """A path of a wrong type is a TypeError naming what is expected, before anything is read.

    An int is not taken for a file descriptor (0 would read stdin).
    """
    good = write_doc([])
    with pytest.raises(TypeError, match=r"expected str, bytes or os\.PathLike object"):
        natostruct.load(good, path)  # type: ignore[arg-type]


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="no /proc on this platform")
def test_file_without_a_size_is_read_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file that reports size 0 (/proc) is read, but never past MAX_FILE_BYTES."""
    with pytest.raises(DatasetError) as whole:
        natostruct.load("/proc/self/status")
    assert whole.value.problems[0].reason.startswith("invalid JSON")
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    with pytest.raises(DatasetError) as capped:
        natostruct.load("/proc/self/status")
    assert capped.value.problems[0].reason == "larger than 100 bytes"


def test_view_as_base_is_refused(mini: Dataset, write_doc: Callable[..., Path]) -> None:
    """An as_of view as the base is refused up front, whatever the files; nothing changes."""
    empty = write_doc([])
    view = mini.as_of("2000")
    before = snapshot(mini), view.records
    message = (
        "base must be a whole Dataset, not an as_of view; "
        "load onto the whole Dataset and take as_of afterwards"
    )
    for paths in ([empty], [empty.parent / "no-such-file.json"]):
        with pytest.raises(ValueError) as info:
            natostruct.load(*paths, base=view)
        assert str(info.value) == message
        assert not isinstance(info.value, DatasetError)
    assert (snapshot(mini), view.records) == before
    # The way the message gives: load onto the whole Dataset, then take the day.
    assert natostruct.load(empty, base=mini).as_of("2000") == view


def test_base_must_be_a_dataset(write_doc: Callable[..., Path]) -> None:
    """A base that is not a Dataset is a TypeError saying so."""
    with pytest.raises(TypeError, match="base must be a Dataset, got list"):
        natostruct.load(write_doc([]), base=[])  # type: ignore[arg-type]
