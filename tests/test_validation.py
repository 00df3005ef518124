"""Loading several files, files on a base, and what a valid file gives back.

The bad input of each rule is a file in tests/corpus/ (see test_corpus.py).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

import natostruct
from natostruct import DatasetError, Problem, fileformat

SOURCE = {"title": "Test", "quality": "official", "url": "https://example.invalid/"}


def body(ident: str = "alpha", **fields: Any) -> dict[str, Any]:
    """A valid body record with ``fields`` overriding."""
    record: dict[str, Any] = {
        "kind": "body",
        "id": ident,
        "name": ident.title(),
        "sources": [SOURCE],
    }
    record.update(fields)
    return record


def holder(name: str, start: str | None, end: str | None = None) -> dict[str, Any]:
    """A holder record."""
    out: dict[str, Any] = {"name": name}
    if start:
        out["start"] = start
    if end:
        out["end"] = end
    return out


def test_all_problems_reported_at_once(write_doc: Callable[..., Path]) -> None:
    """Every problem in every file is collected before raising."""
    first = write_doc([body(name=""), body("b", parent_id="zz")], name="one.json")
    second = write_doc(raw="{", name="two.json")
    with pytest.raises(DatasetError) as info:
        natostruct.load(first, second)
    assert [(Path(p.file).name, p.record, p.field) for p in info.value.problems] == [
        ("one.json", "alpha", "name"),
        ("one.json", "b", "parent_id"),
        ("two.json", None, None),
    ]
    assert str(info.value).startswith("3 problems in the data\n")


def test_duplicate_across_files(write_doc: Callable[..., Path]) -> None:
    """The same id in two of the files given is an error."""
    first = write_doc([body()], name="one.json")
    second = write_doc([body()], name="two.json")
    with pytest.raises(DatasetError) as info:
        natostruct.load(first, second)
    (problem,) = info.value.problems
    assert (Path(problem.file).name, problem.record, problem.field) == ("two.json", "alpha", "id")


class TestExtendingBase:
    def test_replaces_and_adds(
        self, mini: natostruct.Dataset, write_doc: Callable[..., Path]
    ) -> None:
        """Files on a base replace records with the same id and add new ones; the base is unchanged."""
        before = mini.records
        path = write_doc(
            [
                body("council", name="Renamed Council"),
                {"kind": "command", "id": "new-unit", "name": "New Unit", "parent_id": "hq-east"},
            ]
        )
        extended = natostruct.load(path, base=mini)
        assert extended.get("council").name == "Renamed Council"
        assert extended.get("new-unit").parent is extended.get("hq-east")
        assert mini.get("council").name == "Council"
        assert mini.records == before
        assert len(extended) == len(mini) + 1

    def test_failed_extension_changes_nothing(
        self, mini: natostruct.Dataset, write_doc: Callable[..., Path]
    ) -> None:
        """A failing load on a base raises and leaves the base exactly as it was."""
        before = copy.copy(mini.records)
        path = write_doc([body("x", parent_id="nowhere")])
        with pytest.raises(DatasetError):
            natostruct.load(path, base=mini)
        assert mini.records == before
        assert mini.get("hq-east").parent is mini.get("council")

    def test_reference_into_base(self, write_doc: Callable[..., Path]) -> None:
        """User records may refer to ids of the base."""
        base = natostruct.load(write_doc([body("root")], name="base.json"))
        extended = natostruct.load(
            write_doc([body("leaf", parent_id="root")], name="more.json"), base=base
        )
        assert [e.id for e in extended.chain_of_command("leaf")] == ["leaf", "root"]


def test_dataset_constructor_validates() -> None:
    """Dataset(records) applies the same rules as the loader."""
    record = natostruct.Body(id="a", name="A", parent_id="missing")
    with pytest.raises(DatasetError) as info:
        natostruct.Dataset([record])
    assert info.value.problems == (
        Problem("<records>", "a", "parent_id", "refers to unknown id 'missing'"),
    )


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("location.latitude", {"location": {"latitude": True, "longitude": 4.0}}),
        ("location.longitude", {"location": {"latitude": 50.0, "longitude": False}}),
        ("staff[0].count", {"staff": True}),
    ],
)
def test_dataset_constructor_refuses_a_bool_for_a_number(
    field: str, fields: dict[str, Any]
) -> None:
    """A bool passes as an int to mypy and to comparisons, so Dataset(records) names it."""
    location = natostruct.Location(
        country="BE", basis="site", **fields.get("location", {"latitude": 50.0, "longitude": 4.0})
    )
    staff = (natostruct.StaffCount(count=True),) if "staff" in fields else ()
    record = natostruct.Body(id="a", name="A", location=location, staff=staff)
    with pytest.raises(DatasetError) as info:
        natostruct.Dataset([record])
    value = "False" if "longitude" in field else "True"
    expected = "an integer" if "count" in field else "a number"  # what load says of a file
    assert [(p.field, p.reason) for p in info.value.problems] == [
        (field, f"expected {expected}, got bool {value}")
    ]


def test_valid_document_round_trips(write_doc: Callable[..., Path]) -> None:
    """A valid file loads, and its JSON text is what the converter writes back."""
    records = [
        body(
            "a",
            established="1967",
            posts=[{"title": "Head", "leading": True, "holders": [holder("X", "2010", "2012")]}],
        )
    ]
    ds = natostruct.load(write_doc(records))
    from natostruct.convert import CONVERTER

    assert json.loads(json.dumps(CONVERTER.unstructure(ds.get("a")))) == records[0]


def test_partnerships_of_one_country_in_turn(write_doc: Callable[..., Path]) -> None:
    """Two partnerships of one country and framework that follow each other both load."""
    malta = [
        {
            "kind": "partnership",
            "country": "MT",
            "framework": "PfP",
            "start": start,
            **({"end": end} if end else {}),
            "sources": [SOURCE],
        }
        for start, end in (("1995-04-26", "1996-10-27"), ("2008-04-03", None))
    ]
    ds = natostruct.load(write_doc(malta))
    assert [str(p.start) for p in ds.partnerships("MT")] == ["1995-04-26", "2008-04-03"]


def test_one_source_object_per_key(tmp_path: Path) -> None:
    """A source cited by key in several records is one shared object in the Dataset."""
    path = tmp_path / "keyed.json"
    path.write_text(
        json.dumps(
            {
                "format_version": 2,
                "sources": {"test": SOURCE},
                "records": [body("a", sources=["test"]), body("b", sources=["test", SOURCE])],
            }
        ),
        encoding="utf-8",
    )
    ds = natostruct.load(path)
    first, second = ds.get("a").sources[0], ds.get("b").sources[0]
    assert first is second
    assert ds.get("b").sources[1] == first


def test_record_key() -> None:
    """A record's key: the id for entities, the country for members, country, framework and start for partnerships."""
    from natostruct.dates import PartialDate
    from natostruct.model import record_key

    assert record_key(natostruct.Command(id="aco", name="ACO")) == ("entity", "aco")
    member = natostruct.MemberState(country="BE", name="Belgium", accession=PartialDate(1949))
    assert record_key(member) == ("member_state", "BE")
    pfp = natostruct.Partnership(country="MT", framework="PfP", start=PartialDate(1995, 4, 26))
    assert record_key(pfp) == ("partnership", "MT", "PfP", "1995-04-26")


def test_data_page_example_loads(tmp_path: Path) -> None:
    """The complete file shown in docs/data.md loads on its own, sources cited by key."""
    import re

    page = (Path(__file__).parent.parent / "docs" / "data.md").read_text(encoding="utf-8")
    found = re.search(r'```json\n(\{\n  "format_version": 2.*?)\n```', page, re.DOTALL)
    assert found is not None
    path = tmp_path / "example.json"
    path.write_text(found.group(1), encoding="utf-8")
    mission = natostruct.load(path).get("delegation-of-belgium-to-nato")
    assert mission.location is not None
    assert mission.location.sources[0] is mission.sources[0]


class TestDatasetConstructorChecksTypes:
    """Dataset(records) checks each item and each field as load checks a file's records."""

    @pytest.mark.parametrize(
        ("item", "type_name"),
        [(1, "int"), ({"kind": "body"}, "dict"), (None, "NoneType"), ("body", "str")],
    )
    def test_an_item_that_is_not_a_record(self, item: object, type_name: str) -> None:
        """Not a record: one DatasetError problem naming the item, not an AttributeError."""
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset([item])  # type: ignore[list-item]
        reason = (
            "expected a Body, Command, Division, Mission, MemberState or Partnership,"
            f" got {type_name}"
        )
        assert info.value.problems == (Problem("<records>", "#0", None, reason),)

    def test_one_problem_per_bad_item(self) -> None:
        """Every bad item is named by its index; the good records are still validated."""
        items = [natostruct.Body(id="a", name="A", parent_id="missing"), 2, {"kind": "body"}]
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset(items)  # type: ignore[arg-type]
        assert [(p.record, p.field) for p in info.value.problems] == [
            ("#1", None),
            ("#2", None),
            ("a", "parent_id"),
        ]

    def test_an_object_posing_as_a_record(self) -> None:
        """What passes isinstance without being a record is checked field by field too."""
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset([mock.Mock(spec=natostruct.Body)])
        [first, *_] = info.value.problems
        assert (first.record, first.field) == ("#0", "id")
        assert first.reason.startswith("expected a string, got Mock")

    def test_records_not_iterable(self) -> None:
        """``records`` that is not iterable at all is a TypeError, as documented."""
        with pytest.raises(TypeError):
            natostruct.Dataset(1)  # type: ignore[arg-type]

    def test_a_list_where_a_tuple_is_declared(self) -> None:
        """A list is refused, not copied: the record could change and would not hash."""
        alias = natostruct.Alias(name="Ex", kind="former")
        record = natostruct.Body(id="x", name="X", aliases=[alias])  # type: ignore[arg-type]
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset([record])
        [problem] = info.value.problems
        assert (problem.file, problem.record, problem.field) == ("<records>", "x", "aliases")
        assert problem.reason.startswith("expected a tuple, got list [Alias(")
        fixed = natostruct.Body(id="x", name="X", aliases=(alias,))
        assert natostruct.Dataset([fixed]).get("Ex").aliases == (alias,)

    @pytest.mark.parametrize(
        "value", ["2000", 2000, dt.date(2000, 1, 1)], ids=["str", "int", "date"]
    )
    def test_a_date_that_is_not_a_partial_date(self, value: object) -> None:
        """``established="2000"`` is a problem of the field, not a crash in a later query."""
        record = natostruct.Body(id="x", name="X", established=value)  # type: ignore[arg-type]
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset([record])
        [problem] = info.value.problems
        assert (problem.record, problem.field) == ("x", "established")
        assert problem.reason == f"expected a PartialDate, got {type(value).__name__} {value!r}"

    def test_a_wrong_type_nested_deep(self) -> None:
        """A holder's start given as an int, inside a post, is named by its whole path."""
        holder = natostruct.Holder(name="H", start=2000)  # type: ignore[arg-type]
        post = natostruct.Post(title="Head", leading=True, holders=(holder,))
        record = natostruct.Body(id="x", name="X", posts=(post,))
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset([record])
        assert info.value.problems == (
            Problem(
                "<records>",
                "x",
                "posts[0].holders[0].start",
                "expected a PartialDate, got int 2000",
            ),
        )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"location": {"country": "BE"}}, "location"),
            ({"aliases": ({"name": "Ex"},)}, "aliases[0]"),
            ({"sources": ("nato-topics",)}, "sources[0]"),
        ],
    )
    def test_a_mapping_or_key_where_a_record_is_declared(
        self, fields: dict[str, Any], field: str
    ) -> None:
        """A dict or a source key is what a file holds; in Python the record is required."""
        record = natostruct.Body(id="x", name="X", **fields)
        with pytest.raises(DatasetError) as info:
            natostruct.Dataset([record])
        [problem] = info.value.problems
        assert problem.field == field
        assert problem.reason.startswith("expected a")

    def test_problems_read_as_the_loaders(self, write_doc: Callable[..., Path]) -> None:
        """Where Python and JSON hold the same value, the two report the same problems."""
        bad = {"name": 1, "staff": [{"count": True}], "location": {"country": "BE", "basis": "x"}}
        with pytest.raises(DatasetError) as loaded:
            natostruct.load(write_doc([{"kind": "body", "id": "x", **bad}]))
        record = natostruct.Body(
            id="x",
            name=1,  # type: ignore[arg-type]
            staff=(natostruct.StaffCount(count=True),),
            location=natostruct.Location(country="BE", basis="x"),  # type: ignore[arg-type]
        )
        with pytest.raises(DatasetError) as built:
            natostruct.Dataset([record])
        assert [(p.record, p.field, p.reason) for p in built.value.problems] == [
            (p.record, p.field, p.reason) for p in loaded.value.problems
        ]
        assert {p.file for p in built.value.problems} == {"<records>"}

    def test_the_callers_records_are_not_changed(self) -> None:
        """The Dataset links copies of its own; the records given stay unlinked and equal."""
        root = natostruct.Body(id="root", name="Root")
        leaf = natostruct.Body(id="leaf", name="Leaf", parent_id="root")
        member = natostruct.MemberState(
            country="BE", name="Belgium", accession=natostruct.PartialDate(1949, 8, 24)
        )
        records: list[natostruct.Record] = [root, leaf, member]
        before = copy.deepcopy(records)
        ds = natostruct.Dataset(records)
        assert records == before
        assert [id(r) for r in records] == [id(root), id(leaf), id(member)]
        for entity in (root, leaf):
            assert entity._dataset is None
            assert ds.get(entity.id) == entity
            assert ds.get(entity.id) is not entity
        assert ds.get("leaf").parent is ds.get("root")
        with pytest.raises(natostruct.NoDatasetError):
            _ = leaf.parent

    def test_records_of_another_dataset_stay_linked_to_it(self, mini: natostruct.Dataset) -> None:
        """Records taken from a Dataset are copied; the Dataset they came from keeps its own."""
        again = natostruct.Dataset(mini.records)
        assert again == mini
        assert mini.get("field-1").dataset is mini
        assert again.get("field-1").dataset is again
        assert again.get("field-1") is not mini.get("field-1")

    def test_trusted_takes_ownership(self) -> None:
        """The loader's path links the unlinked records it is given in place (documented)."""
        record = natostruct.Body(id="a", name="A")
        ds = natostruct.Dataset.trusted([record])
        assert ds.get("a") is record
        assert record.dataset is ds


def test_framework_nations_sites_and_accreditation(write_doc: Callable[..., Path]) -> None:
    """A Centre of Excellence's nations, sites and accreditation load, and a view keeps those of its day."""
    record = body(
        family="centre of excellence",
        established="2008",
        location={"country": "EE", "city": "Tallinn"},
        other_sites=[{"country": "LV", "city": "Riga", "start": "2020", "sources": [SOURCE]}],
        accredited={"date": "2008-10-28", "sources": [SOURCE]},
        framework_nations=[
            {"country": "EE", "start": "2008", "sources": [SOURCE]},
            {"country": "PL", "start": "2021-01", "sources": [SOURCE]},
        ],
    )
    entity = natostruct.load(write_doc([record]))["alpha"]
    assert entity.family == "centre of excellence"
    assert [n.country for n in entity.framework_nations] == ["EE", "PL"]
    assert str(entity.accredited.date) == "2008-10-28"  # type: ignore[union-attr]
    assert [s.city for s in entity.other_sites] == ["Riga"]
    view = entity.dataset.as_of("2019")["alpha"]
    assert ([n.country for n in view.framework_nations], view.other_sites) == (["EE"], ())


def test_framework_nations_sites_and_accreditation_checked(write_doc: Callable[..., Path]) -> None:
    """A bad nation, a bad site, an unsourced or late accreditation and an unknown family are named."""
    record = body(
        family="Centre",
        disestablished="2000",
        established="1990",
        other_sites=[{"country": "XX"}],
        accredited={"date": "2001"},
        framework_nations=[{"country": "ZZ", "start": "1999", "end": "1995"}],
    )
    with pytest.raises(DatasetError) as info:
        natostruct.load(write_doc([record]))
    assert [p.field for p in info.value.problems] == [
        "family",
        "other_sites[0].country",
        "accredited.date",
        "accredited.sources",
        "framework_nations[0].country",
        "framework_nations[0].end",
    ]


def test_a_start_bounded_on_both_sides(write_doc: Callable[..., Path]) -> None:
    """Between its earliest bound and its attested day an entity may exist; before, it does not."""
    bounded = body(attested={"date": "2015-06", "earliest": "2014-09-04", "sources": [SOURCE]})
    open_ended = body("beta", attested={"date": "2015-06", "sources": [SOURCE]})
    ds = natostruct.load(write_doc([bounded, open_ended]))
    assert [e.id for e in ds.as_of("2014-01-01").uncertain()] == ["beta"]
    assert [e.id for e in ds.as_of("2014-10-01").uncertain()] == ["alpha", "beta"]
    assert {e.id for e in ds.as_of("2015-07-01")} == {"alpha", "beta"}


def test_an_earliest_bound_after_the_day_it_bounds(write_doc: Callable[..., Path]) -> None:
    record = body(attested={"date": "2015", "earliest": "2016-01", "sources": [SOURCE]})
    with pytest.raises(DatasetError) as info:
        natostruct.load(write_doc([record]))
    assert [(p.field, p.reason) for p in info.value.problems] == [
        ("attested.earliest", "falls after the day it bounds (2015)")
    ]


def test_a_source_url_urllib_cannot_split_still_gets_a_key(tmp_path: Path) -> None:
    """Writing format 2 keys every source, even one whose URL urllib refuses ("http://[x")."""
    odd = natostruct.Source(title="Odd", quality="secondary", url="http://[x/page")
    assert fileformat.derive_key(odd) == "http-x-page"
    path = tmp_path / "odd.json"
    record = body(sources=[{"title": "Odd", "quality": "secondary", "url": "http://[x/page"}])
    path.write_text(json.dumps({"format_version": 1, "records": [record]}), encoding="utf-8")
    document, keys = fileformat.write(natostruct.load(path).records, version=2)
    assert list(document["sources"]) == ["http-x-page"]
    assert keys


def test_an_end_bounded_on_both_sides(write_doc: Callable[..., Path]) -> None:
    """Until its last attested day an entity surely exists; then it may; from ``latest`` it does not."""
    bounded = body(
        established="1952",
        last_attested={"date": "1988-12-09", "latest": "2003-06-19", "sources": [SOURCE]},
    )
    open_ended = body(
        "beta", established="1952", last_attested={"date": "1988", "sources": [SOURCE]}
    )
    ds = natostruct.load(write_doc([bounded, open_ended]))
    assert {e.id for e in ds.as_of("1988-01-01")} == {"alpha", "beta"}
    assert [e.id for e in ds.as_of("1988-12-09")] == ["alpha"]
    assert [e.id for e in ds.as_of("1988-12-10").uncertain()] == ["alpha", "beta"]
    assert [e.id for e in ds.as_of("2003-06-19").uncertain()] == ["beta"]
    assert ds.get("alpha").ended
    assert not ds.get("beta").ended
    removed = [c for c in ds.history("alpha") if c.type == "removed"]
    assert [(str(c.date), c.certain, c.detail) for c in removed] == [
        ("1988-12-10", False, "last known to exist in 1988-12-09, gone by 2003-06-19")
    ]


def test_an_end_bound_that_contradicts_the_dates(write_doc: Callable[..., Path]) -> None:
    record = body(
        established="1990",
        disestablished="2000",
        last_attested={"date": "1985", "latest": "1984-06", "sources": []},
    )
    with pytest.raises(DatasetError) as info:
        natostruct.load(write_doc([record]))
    assert [(p.field, p.reason) for p in info.value.problems] == [
        ("last_attested", "a bound is for an unknown end: the entity has one (disestablished)"),
        ("last_attested.latest", "falls before the day it bounds (1985)"),
        ("last_attested.date", "falls before the entity is known to exist (1990)"),
        (
            "last_attested.sources",
            "a bound needs a source that shows the entity still existed then",
        ),
    ]
