"""The corpus of malformed data files: each one's first problem, and no harm done.

Every file in tests/corpus/ holds one thing wrong; tests/corpus/expected.json
maps its name to the first problem the loader must report (record, field, the
start of the reason, and for a syntax error its line). This is the one table
of validation cases: each rule the loader enforces has a file here. A failed load must leave every Dataset loaded before
it exactly as it was.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import TypedDict

import pytest

import natostruct
from natostruct import Dataset, DatasetError, Problem

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
