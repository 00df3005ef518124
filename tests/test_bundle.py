"""The bundled data read through its index: one record built per first access."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

import pytest

from natostruct import Dataset, DatasetError, bundle, fileformat
from natostruct.bundle import _Bundle, _read, _read_index

if TYPE_CHECKING:
    from collections.abc import Callable


def deferred(read: Callable[[str], bytes] = _read) -> tuple[Dataset, list[str]]:
    """A fresh deferred Dataset over the bundled files, and the files it has read."""
    seen: list[str] = []

    def recording(name: str) -> bytes:
        seen.append(name)
        return read(name)

    return Dataset.deferred(_Bundle(_read_index(recording), recording)), seen


def edited(ident: str, old: bytes, new: bytes) -> Callable[[str], bytes]:
    """A reader of the bundled files in which the record ``ident`` has ``old`` replaced by ``new``."""
    file, start, end, _ = json.loads(_read(bundle.INDEX))["entities"][ident]

    def read(asked: str) -> bytes:
        data = _read(asked)
        if asked != f"data/{file}":
            return data
        record = data[start:end]
        assert old in record
        return data[:start] + record.replace(old, new, 1) + data[end:]

    return read


def test_first_answer_reads_one_file_and_builds_one_record() -> None:
    """``get`` by id reads the index, the sources and the file of that record, and builds it alone."""
    ds, seen = deferred()
    ims = ds.get("ims")
    assert ims.id == "ims"
    assert sorted(seen) == ["data/bodies.json", "data/sources.json", "index.json"]
    assert ds._entities.built() == ("ims",)  # type: ignore[attr-defined]
    assert ims.parent is not None
    assert sorted(ds._entities.built()) == ["ims", "mc"]  # type: ignore[attr-defined]
    assert ds.get("International Military Staff") is ims  # a name: now the keys are read
    assert seen[-1] == bundle.KEYS
    assert sorted(ds._entities.built()) == ["ims", "mc"]  # type: ignore[attr-defined]


def test_each_record_is_built_once() -> None:
    """Threads asking for one record at once all get the same object, which the Dataset holds."""
    ds, _ = deferred()
    found: list[object] = []
    threads = [
        threading.Thread(target=lambda: found.append(ds.get("jfc-naples"))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(entity) for entity in found}) == 1
    assert ds.all()[ds.all().index(found[0])] is found[0]


def test_sources_are_shared() -> None:
    """Two records citing one key hold one Source object."""
    ds, _ = deferred()
    objects: dict[object, set[int]] = {}
    for entity in ds.all():
        for source in entity.sources:
            objects.setdefault(source, set()).add(id(source))
    assert len(objects) > 100
    assert [source for source, ids in objects.items() if len(ids) > 1] == []


def test_each_source_is_read_from_its_own_span() -> None:
    """The shared table answers every key with the source a parse of the whole file gives."""
    data = _read("data/sources.json")
    _, whole, problems = fileformat.read("sources.json", data)
    assert problems == []
    table = bundle._SourceTable(data)
    assert {key: table[key] for key in whole} == whole
    assert table.get("no-such-key") is None
    assert table.get('"quality": {') is None  # text inside an entry is not a key
    assert len(table) == len(whole)
    assert list(table) == list(whole)


def test_a_stale_index_is_an_error_not_a_wrong_answer() -> None:
    """A record that is not where the index says fails, naming file and record."""
    ds, _ = deferred(edited("ims", b'"id": "ims"', b'"id": "imx"'))
    with pytest.raises(DatasetError) as info:
        ds.get("ims")
    problem = info.value.problems[0]
    assert (problem.file, problem.record) == ("natostruct/data/bodies.json", "ims")
    assert "does not match" in problem.reason


def test_a_broken_bundled_record_fails_with_its_field() -> None:
    """A record the converter refuses fails on first access with the problem a user file gets."""
    ds, _ = deferred(edited("ims", b'"abbreviation": "IMS"', b'"abbreviation": 12345'))
    with pytest.raises(DatasetError) as info:
        ds.get("ims")
    problem = info.value.problems[0]
    assert (problem.file, problem.record, problem.field) == (
        "natostruct/data/bodies.json",
        "ims",
        "abbreviation",
    )


@pytest.mark.parametrize(
    ("index", "field"),
    [(b"[]", "index_version"), (b'{"index_version": 99}', "index_version"),
     (b'{"index_version": 1, "others": []}', "entities")],
)  # fmt: skip
def test_a_malformed_index_is_refused(index: bytes, field: str) -> None:
    """An index of another layout is refused before any record is read."""

    def read(name: str) -> bytes:
        return index if name == bundle.INDEX else _read(name)

    with pytest.raises(DatasetError) as info:
        _read_index(read)
    assert info.value.problems[0].field == field


def test_keys_of_other_entities_are_refused() -> None:
    """Keys that do not cover exactly the indexed entities fail instead of finding the wrong one."""

    def read(name: str) -> bytes:
        data = _read(name)
        return data.replace(b'"aco": {', b'"acx": {', 1) if name == bundle.KEYS else data

    ds, _ = deferred(read)
    with pytest.raises(DatasetError) as info:
        ds.get("Allied Command Operations")
    assert info.value.problems[0].file == f"natostruct/{bundle.KEYS}"
