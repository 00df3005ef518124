"""Callers cannot change records, Datasets, their views, or the module-level tables.

Each test tries to change something and then checks, against a JSON
serialisation taken before, that the canonical data is exactly as it was.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest

import natostruct
import natostruct.countries
import natostruct.export
import natostruct.model
from natostruct import Command, Dataset, PartialDate, Period
from natostruct.convert import CONVERTER

DAY = "2020-01-01"


def serialise(ds: Dataset) -> str:
    """A deep, independent picture of a Dataset: its records as JSON text."""
    return json.dumps([CONVERTER.unstructure(r) for r in ds.records], sort_keys=True)


@pytest.fixture
def canonical() -> Iterator[Dataset]:
    """The canonical Dataset; after the test, it and its views must be unchanged."""
    ds = natostruct.dataset()
    before = (serialise(ds), serialise(ds.as_of(DAY)), len(ds), tuple(e.id for e in ds))
    kinds = dict(natostruct.model.RECORD_KINDS)
    countries = dict(natostruct.countries.ALPHA2)
    yield ds
    # A table that let itself be changed is put back, so other tests are not affected.
    table: Any = natostruct.model.RECORD_KINDS
    if isinstance(table, dict) and table != kinds:
        table.clear()
        table.update(kinds)
    assert natostruct.dataset() is ds
    assert (serialise(ds), serialise(ds.as_of(DAY)), len(ds), tuple(e.id for e in ds)) == before
    assert dict(natostruct.model.RECORD_KINDS) == kinds
    assert dict(natostruct.countries.ALPHA2) == countries
    assert natostruct.get("ims") == ds.get("ims")


def refuses(action: Callable[[], object]) -> None:
    """``action`` raises AttributeError or TypeError (what Python raises for read-only things)."""
    with pytest.raises((AttributeError, TypeError)):
        action()


def mutations(target: Any) -> list[Callable[[], object]]:
    """Every way a caller might change a sequence or mapping in place."""
    key: Any = next(iter(target)) if len(target) else 0
    calls: list[tuple[str, tuple[Any, ...]]] = [
        ("__setitem__", (key, None)),
        ("__delitem__", (key,)),
        ("append", (None,)),
        ("extend", ([None],)),
        ("insert", (0, None)),
        ("pop", ()),
        ("clear", ()),
        ("update", ({},)),
        ("setdefault", (key, None)),
        ("sort", ()),
        ("reverse", ()),
        ("__iadd__", ((None,),)),
    ]
    return [_call(target, name, args) for name, args in calls]


def _call(target: Any, name: str, args: tuple[Any, ...]) -> Callable[[], object]:
    def call() -> object:
        return getattr(target, name)(*args)

    return call


class TestRecords:
    def test_entity_attributes(self, canonical: Dataset) -> None:
        """Assigning or deleting an entity's attributes raises FrozenInstanceError."""
        ims = canonical.get("ims")
        for name in ("id", "name", "parent_id", "posts", "aliases", "location", "_dataset"):
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(ims, name, None)
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                delattr(ims, name)
        refuses(lambda: setattr(ims, "new_attribute", 1))

    def test_nested_values(self, canonical: Dataset) -> None:
        """Posts, holders, aliases, locations, sources and dates are frozen too."""
        values: list[Any] = [PartialDate(1949), Period(PartialDate(1949), None)]
        for entity in canonical:
            values.extend((*entity.posts, *entity.aliases, *entity.sources, *entity.notes))
            values.extend(h for post in entity.posts for h in post.holders)
            if entity.location is not None:
                values.append(entity.location)
        values.extend(canonical.members(DAY))
        values.extend(canonical.partnerships())
        for value in values:
            name = attrs.fields(type(value))[0].name
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(value, name, None)

    def test_collections_are_tuples(self, canonical: Dataset) -> None:
        """Every collection a record holds is a tuple that cannot change in place."""
        ims = canonical.get("ims")
        for collection in (ims.posts, ims.aliases, ims.sources, ims.reporting_lines, ims.notes):
            assert isinstance(collection, tuple)
            for action in mutations(collection):
                refuses(action)

    def test_evolve_makes_a_copy(self, canonical: Dataset) -> None:
        """attrs.evolve gives a new record and leaves the canonical one alone."""
        ims = canonical.get("ims")
        changed = attrs.evolve(ims, name="Changed", parent_id=None)
        assert changed.name == "Changed"
        assert canonical.get("ims") is ims
        assert ims.name != "Changed"


class TestDataset:
    @pytest.mark.parametrize("name", ["records", "date", "_entities", "_children", "_memo", "new"])
    def test_attributes(self, canonical: Dataset, name: str) -> None:
        """Setting or deleting any attribute of the Dataset or of a view raises AttributeError."""
        for ds in (canonical, canonical.as_of(DAY)):
            with pytest.raises(AttributeError):
                setattr(ds, name, None)
            with pytest.raises(AttributeError):
                delattr(ds, name)

    def test_returned_collections(self, canonical: Dataset) -> None:
        """Query results are tuples; changing them in place is refused."""
        view = canonical.as_of(DAY)
        results: list[tuple[Any, ...]] = [
            canonical.records,
            canonical.all(),
            canonical.children("mc"),
            canonical.chain_of_command("ims"),
            canonical.subtree("mc"),
            canonical.members(DAY),
            canonical.partnerships(),
            canonical.search("staff"),
            canonical.filter(kind="body"),
            canonical.holders("mc"),
            view.records,
            view.all(),
            view.children("mc"),
            view.chain_of_command("ims"),
        ]
        for result in results:
            assert isinstance(result, tuple)
            for action in mutations(result):
                refuses(action)

    def test_cached_chain_is_shared_safely(self, canonical: Dataset) -> None:
        """The cached chain of command comes back unchanged after a caller copies and edits it."""
        chain = canonical.chain_of_command("ims")
        edited = [*chain]
        edited.reverse()
        edited.clear()
        assert canonical.chain_of_command("ims") == chain
        assert canonical.chain_of_command("ims")[0] is canonical.get("ims")

    def test_copies_of_records_do_not_leak_back(self, canonical: Dataset) -> None:
        """Changing a list made from the records changes nothing in the Dataset."""
        records = list(canonical.records)
        records.clear()
        entities = {e.id: e for e in canonical}
        entities.clear()
        assert canonical.records
        assert "ims" in canonical

    def test_copy_returns_the_same_dataset(self, canonical: Dataset) -> None:
        """copy.copy and copy.deepcopy of an immutable Dataset give it back (or an equal one)."""
        for ds in (canonical, canonical.as_of(DAY)):
            assert copy.copy(ds) == ds
            assert copy.deepcopy(ds) == ds

    def test_loading_on_a_base_leaves_it_alone(self, canonical: Dataset, tmp_path: Any) -> None:
        """A successful load on the canonical Dataset gives a new Dataset; the base is unchanged."""
        path = tmp_path / "more.json"
        record = {"kind": "body", "id": "ims", "name": "Replaced", "parent_id": "mc"}
        path.write_text(json.dumps({"format_version": 1, "records": [record]}), encoding="utf-8")
        extended = natostruct.load(path, base=canonical)
        assert extended.get("ims").name == "Replaced"
        assert canonical.get("ims").name != "Replaced"
        assert canonical.get("ims").dataset is canonical
        assert extended.get("mc").dataset is extended


class TestModuleTables:
    def test_record_kinds(self, canonical: Dataset) -> None:
        """natostruct.model.RECORD_KINDS is read-only."""
        for action in mutations(natostruct.model.RECORD_KINDS):
            refuses(action)
        table: Any = natostruct.model.RECORD_KINDS
        with pytest.raises(TypeError):
            table["body"] = Command

    def test_alpha2(self, canonical: Dataset) -> None:
        """natostruct.countries.ALPHA2 and ALPHA3_TO_ALPHA2 are read-only, and so are their rows."""
        for table in (natostruct.countries.ALPHA2, natostruct.countries.ALPHA3_TO_ALPHA2):
            for action in mutations(table):
                refuses(action)
        assert isinstance(natostruct.countries.ALPHA2["BE"], tuple)
        row: Any = natostruct.countries.ALPHA2["BE"]
        refuses(_call(row, "__setitem__", (0, "XXX")))

    def test_export_formats(self, canonical: Dataset) -> None:
        """The tuple of export formats cannot change in place."""
        for action in mutations(natostruct.export.FORMATS):
            refuses(action)


def test_entity_kinds_are_distinct_values() -> None:
    """Entities of two kinds with the same fields are not equal, and each kind is an attrs class."""
    kinds = (natostruct.Body, natostruct.Command, natostruct.Division)
    values: list[natostruct.Entity] = [cls(id="a", name="A") for cls in kinds]
    assert len({type(v) for v in values}) == len(values)
    assert [a == b for a in values for b in values].count(True) == len(values)
    assert all(attrs.has(type(v)) for v in values)
    assert all(attrs.evolve(v, name="B").kind == v.kind for v in values)
    assert natostruct.Mission(id="a", name="A", sending_state="BE") != values[0]
