"""Every validation rule, each with a bad input file and its exact problem."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import natostruct
from natostruct import DatasetError, Problem

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


# (id, records, expected (record, field, reason-start))
CASES: list[tuple[str, list[Any], tuple[str | None, str | None, str]]] = [
    # shape and types (the converter)
    ("unknown-field", [body(colour="blue")], ("alpha", "colour", "unknown field")),
    (
        "missing-name",
        [{"kind": "body", "id": "alpha"}],
        ("alpha", "name", "missing required field"),
    ),
    ("missing-kind", [{"id": "alpha", "name": "A"}], ("alpha", "kind", "missing required field")),
    (
        "unknown-kind",
        [body(kind="army")],
        ("alpha", "kind", "expected one of body, command, division"),
    ),
    ("name-not-string", [body(name=5)], ("alpha", "name", "expected a string, got int 5")),
    (
        "bool-not-int",
        [body(staff=[{"count": True}])],
        ("alpha", "staff[0].count", "expected an integer, got bool True"),
    ),
    (
        "string-not-bool",
        [body(posts=[{"title": "T", "leading": "yes"}])],
        ("alpha", "posts[0].leading", "expected true or false"),
    ),
    ("string-not-array", [body(aliases="x")], ("alpha", "aliases", "expected an array, got str")),
    (
        "number-not-date",
        [body(established=1967)],
        ("alpha", "established", "expected a date string"),
    ),
    (
        "bad-literal",
        [body(relations=[{"type": "likes", "target_id": "alpha"}])],
        ("alpha", "relations[0].type", ""),
    ),
    ("record-not-object", [["body"]], ("#0", None, "expected an object, got list")),
    (
        "nested-holder-field",
        [body(posts=[{"title": "T", "holders": [{"name": "A"}, {"nam": "B"}]}])],
        ("alpha", "posts[0].holders[1].nam", "unknown field"),
    ),
    # values
    ("empty-name", [body(name="  ")], ("alpha", "name", "must not be empty")),
    (
        "empty-holder-name",
        [body(posts=[{"title": "T", "holders": [{"name": ""}]}])],
        ("alpha", "posts[0].holders[0].name", "must not be empty"),
    ),
    (
        "huge-name",
        [body(name="N" * 600)],
        ("alpha", "name", "too long: 600 characters, at most 500"),
    ),
    ("bad-id", [body("Alpha One")], ("Alpha One", "id", "expected a lowercase slug")),
    (
        "impossible-date",
        [body(established="1949-02-30")],
        ("alpha", "established", "1949-02 has no day 30"),
    ),
    (
        "end-before-start",
        [body(established="2010", disestablished="2009")],
        ("alpha", "disestablished", "ends (2009) before it starts"),
    ),
    (
        "holder-end-before-start",
        [body(posts=[{"title": "T", "holders": [holder("A", "2010-05-02", "2010-05-01")]}])],
        ("alpha", "posts[0].holders[0].end", "ends (2010-05-01) before it starts"),
    ),
    (
        "overlapping-holders",
        [
            body(
                posts=[
                    {
                        "title": "T",
                        "holders": [holder("A", "2010", "2015"), holder("B", "2014", None)],
                    }
                ]
            )
        ],
        ("alpha", "posts[0].holders[1].start", "overlaps holders[0] (A, 2010/2015)"),
    ),
    (
        "invalid-country",
        [body(location={"country": "XX"})],
        ("alpha", "location.country", "expected an ISO 3166-1 alpha-2 code, got 'XX'"),
    ),
    (
        "lowercase-country",
        [body(location={"country": "be"})],
        ("alpha", "location.country", "expected an uppercase ISO 3166-1 alpha-2 code, got 'be'"),
    ),
    (
        "alpha3-sending-state",
        [{"kind": "mission", "id": "m", "name": "M", "sending_state": "USA"}],
        ("m", "sending_state", "expected an ISO 3166-1 alpha-2 code, got 'USA'"),
    ),
    (
        "latitude-range",
        [body(location={"country": "BE", "latitude": 91.0, "longitude": 4.0, "basis": "site"})],
        ("alpha", "location.latitude", "expected a value between -90 and 90, got 91.0"),
    ),
    (
        "longitude-range",
        [body(location={"country": "BE", "latitude": 50.0, "longitude": -181, "basis": "site"})],
        ("alpha", "location.longitude", "expected a value between -180 and 180"),
    ),
    (
        "half-coordinates",
        [body(location={"country": "BE", "latitude": 50.0})],
        ("alpha", "location.latitude", "latitude and longitude go together"),
    ),
    (
        "coordinates-without-basis",
        [body(location={"country": "BE", "latitude": 50.0, "longitude": 4.0})],
        ("alpha", "location.basis", "coordinates need a basis"),
    ),
    (
        "source-without-place",
        [body(sources=[{"title": "T", "quality": "official"}])],
        ("alpha", "sources[0]", "a source needs a url or a document name"),
    ),
    # across records
    ("duplicate-id", [body(), body()], ("alpha", "id", "duplicate id 'alpha'")),
    (
        "dangling-parent",
        [body(parent_id="nowhere")],
        ("alpha", "parent_id", "refers to unknown id 'nowhere'"),
    ),
    (
        "dangling-relation",
        [body(relations=[{"type": "successor_of", "target_id": "gone"}])],
        ("alpha", "relations[0].target_id", "refers to unknown id 'gone'"),
    ),
    (
        "self-parent",
        [body(parent_id="alpha")],
        ("alpha", "parent_id", "an entity cannot report to itself"),
    ),
    (
        "cycle",
        [body("a", parent_id="b"), body("b", parent_id="c"), body("c", parent_id="a")],
        ("a", "parent_id", "reporting-line cycle: a -> b -> c -> a"),
    ),
    (
        "last-line-not-parent",
        [body("a"), body("b"), body("c", parent_id="a", reporting_lines=[{"parent_id": "b"}])],
        ("c", "parent_id", "expected the last reporting line's parent 'b'"),
    ),
    (
        "duplicate-member",
        [{"kind": "member_state", "country": "BE", "name": "Belgium", "accession": "1949"}] * 2,
        ("be", "country", "duplicate country 'BE'"),
    ),
]


@pytest.mark.parametrize(("records", "expected"), [pytest.param(r, e, id=i) for i, r, e in CASES])
def test_rule(
    write_doc: Callable[..., Path], records: list[Any], expected: tuple[str | None, str | None, str]
) -> None:
    """The bad file raises DatasetError whose problem names the file, record and field."""
    path = write_doc(records)
    with pytest.raises(DatasetError) as info:
        natostruct.load(path)
    record, field, reason = expected
    matching = [p for p in info.value.problems if (p.record, p.field) == (record, field)]
    assert matching, info.value.problems
    assert matching[0].file == str(path)
    assert matching[0].reason.startswith(reason), matching[0].reason
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("raw", "field", "reason", "line"),
    [
        (b'{"format_version": 1, "records": [', None, "invalid JSON: Expecting value", 1),
        (b'{"format_version": 1,\n "records": [}\n', None, "invalid JSON: Expecting value", 2),
        (b"", None, "the file is empty", None),
        (b"\xff\xfe{}", None, "not UTF-8 text (byte 0)", None),
        (b"[]", None, "expected a JSON object at the top level, got array", None),
        (b'{"records": []}', "format_version", "missing required field", None),
        (b'{"format_version": 2, "records": []}', "format_version", "expected 1, got 2", None),
        (b'{"format_version": 1}', "records", "missing required field", None),
        (b'{"format_version": 1, "records": {}}', "records", "expected an array, got object", None),
        (b'{"format_version": 1, "records": [], "extra": 1}', "extra", "unknown field", None),
        (
            b'{"format_version": 1, "records": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
            None,
            "invalid JSON: nested too deeply",
            None,
        ),
    ],
)
def test_file_level(
    write_doc: Callable[..., Path], raw: bytes, field: str | None, reason: str, line: int | None
) -> None:
    """Problems with the whole file have no record, and syntax errors carry a line."""
    path = write_doc(raw=raw)
    with pytest.raises(DatasetError) as info:
        natostruct.load(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.record, problem.field) == (str(path), None, field)
    assert problem.reason.startswith(reason), problem.reason
    assert problem.line == line


def test_missing_file_and_directory(tmp_path: Path) -> None:
    """A missing file and a directory are problems, not OSErrors."""
    with pytest.raises(DatasetError) as info:
        natostruct.load(tmp_path / "nope.json", tmp_path)
    assert [(p.file, p.reason) for p in info.value.problems] == [
        (str(tmp_path / "nope.json"), "file not found"),
        (str(tmp_path), "is a directory, not a file"),
    ]


def test_nan_coordinates(write_doc: Callable[..., Path]) -> None:
    """JSON's NaN is parsed, then refused as a coordinate."""
    path = write_doc(
        raw='{"format_version": 1, "records": [{"kind": "body", "id": "a", "name": "A", '
        '"location": {"country": "BE", "latitude": NaN, "longitude": 4.0, "basis": "site"}}]}'
    )
    with pytest.raises(DatasetError) as info:
        natostruct.load(path)
    assert [(p.record, p.field, p.reason) for p in info.value.problems] == [
        ("a", "location.latitude", "expected a finite number, got nan")
    ]


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
