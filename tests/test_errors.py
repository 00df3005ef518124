"""The error family: built-in bases, messages, pickling."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import natostruct
from natostruct import (
    AmbiguousKeyError,
    DatasetError,
    NatostructError,
    NoDatasetError,
    Period,
    Problem,
    UnknownKeyError,
)
from natostruct.dates import PartialDate


def test_subclass_relationships() -> None:
    """Each error is also the built-in a caller would catch."""
    assert issubclass(DatasetError, NatostructError)
    assert issubclass(DatasetError, ValueError)
    assert issubclass(UnknownKeyError, NatostructError)
    assert issubclass(UnknownKeyError, KeyError)
    assert issubclass(AmbiguousKeyError, UnknownKeyError)
    assert issubclass(NoDatasetError, NatostructError)
    assert issubclass(NoDatasetError, LookupError)
    assert issubclass(NatostructError, Exception)


def test_dataset_error_message_lists_problems() -> None:
    """The message has a count, then one FILE: RECORD: FIELD: REASON line per problem."""
    error = DatasetError(
        [
            Problem("a.json", "ims", "parent_id", "refers to unknown id 'x'"),
            Problem("b.json", None, None, "invalid JSON: Expecting value", 3, 7),
        ]
    )
    assert str(error).splitlines() == [
        "2 problems in the data",
        "a.json: ims: parent_id: refers to unknown id 'x'",
        "b.json:3:7: -: -: invalid JSON: Expecting value",
    ]


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (UnknownKeyError("imz", ["ims", "is"]), "no entity 'imz'; did you mean ims, is?"),
        (UnknownKeyError("zzz"), "no entity 'zzz'"),
        (UnknownKeyError("jisd", as_of="1990-01-01"), "no entity 'jisd' on 1990-01-01"),
        (
            UnknownKeyError("x", as_of="1990-01-01", existed="X (x) existed 2003/"),
            "no entity 'x' on 1990-01-01: X (x) existed 2003/",
        ),
        (
            AmbiguousKeyError("Norfolk", ["act", "jfc-norfolk"]),
            "'Norfolk' is ambiguous: it names act, jfc-norfolk",
        ),
    ],
)
def test_unknown_key_messages(error: UnknownKeyError, text: str) -> None:
    """Messages name the key and the near matches or candidates, without KeyError's quotes."""
    assert str(error) == text


@pytest.mark.parametrize(
    "error",
    [
        DatasetError([Problem("a.json", "x", "name", "must not be empty")]),
        UnknownKeyError("imz", ["ims"], as_of="2020-01-01"),
        UnknownKeyError("x", as_of="1990-01-01", existed="X (x) existed 2003/"),
        AmbiguousKeyError("x", ["a", "b"]),
        UnknownKeyError("x", as_of="1990-01-01", existed_period=Period(PartialDate(2003))),
        NoDatasetError("ims"),
    ],
)
def test_errors_pickle(error: NatostructError) -> None:
    """Errors survive pickling (multiprocessing, logging) with their attributes."""
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own object)
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    if isinstance(error, DatasetError):
        assert isinstance(copy, DatasetError)
        assert copy.problems == error.problems
    if isinstance(error, UnknownKeyError):
        assert isinstance(copy, UnknownKeyError)
        assert (copy.key, copy.candidates, copy.ambiguous) == (
            error.key,
            error.candidates,
            error.ambiguous,
        )
        assert (copy.as_of, copy.existed, copy.existed_period) == (
            error.as_of,
            error.existed,
            error.existed_period,
        )


def test_unknown_key_from_lookup_names_near_matches(mini: natostruct.Dataset) -> None:
    """A failed lookup raises UnknownKeyError carrying the key and near matches."""
    with pytest.raises(UnknownKeyError) as info:
        mini.get("Headquaters Eats")
    assert info.value.key == "Headquaters Eats"
    assert info.value.candidates[0] == "hq-east"
    assert not info.value.ambiguous


def test_absent_on_the_day_gives_the_period(mini: natostruct.Dataset) -> None:
    """A key that names an entity absent from a view says when it existed, as a Period too."""
    whole = mini.get("hq-east")
    day = whole.period.begins.replace(year=whole.period.begins.year - 1)
    with pytest.raises(UnknownKeyError) as info:
        mini.as_of(day).get("hq-east")
    assert info.value.existed_period == whole.period
    assert info.value.existed is not None
    assert str(whole.period) in info.value.existed


def test_ambiguous_key_is_its_own_class(mini: natostruct.Dataset) -> None:
    """A key several entities answer to raises AmbiguousKeyError, flagged as ambiguous."""
    with pytest.raises(AmbiguousKeyError) as info:
        mini.get("Brussels")
    assert info.value.ambiguous
    assert type(info.value).__name__ == "AmbiguousKeyError"


def test_problem_to_dict() -> None:
    """A problem's dict form has every field, under the field's own name."""
    problem = Problem("a.json", "x", "name", "must not be empty", 3, 4)
    assert problem.to_dict() == {
        "file": "a.json",
        "record": "x",
        "field": "name",
        "reason": "must not be empty",
        "line": 3,
        "column": 4,
    }


def test_problem_is_one_line() -> None:
    """A newline inside a key or reason is escaped, so each problem stays one line."""
    problem = Problem("a.json", "x", "bad\nkey", "unknown field")
    assert str(problem) == "a.json: x: bad\\nkey: unknown field"
    assert len(str(DatasetError([problem])).splitlines()) == 2


class TestPickle:
    def test_entity(self, mini: natostruct.Dataset) -> None:
        """An entity pickles without its Dataset link and compares equal."""
        entity = mini.get("hq-east")
        copy = pickle.loads(pickle.dumps(entity))  # noqa: S301 (our own object)
        assert copy == entity
        assert copy._dataset is None

    def test_dataset_and_view(self, mini: natostruct.Dataset) -> None:
        """A Dataset pickles as its records, a view as its root's day; both relink."""
        copy = pickle.loads(pickle.dumps(mini))  # noqa: S301
        assert copy == mini
        assert copy.get("field-1").parent is copy.get("hq-west")
        view = pickle.loads(pickle.dumps(mini.as_of("1990")))  # noqa: S301
        assert view == mini.as_of("1990")
        assert view.get("hq-east").name == "Old Eastern Command"

    def test_dataset_keeps_its_data_as_of(self) -> None:
        """The day the data was checked survives a pickle, and with it beyond_data."""
        ds = natostruct.dataset()
        copy = pickle.loads(pickle.dumps(ds))  # noqa: S301
        assert copy.data_as_of == natostruct.DATA_AS_OF
        assert copy.as_of("2999").beyond_data


def test_a_field_of_the_wrong_type_hides_no_other_problem(tmp_path: Path) -> None:
    """Every problem of a record is reported at once, even beside a field of the wrong type."""
    doc = {
        "format_version": 1,
        "records": [
            {"kind": "body", "id": "alpha", "name": "", "parent_id": 5},
            {
                "kind": "body",
                "id": "beta",
                "name": "B",
                "location": {"country": "ZZ", "latitude": "a", "longitude": 4.0, "basis": "site"},
            },
            {
                "kind": "body",
                "id": "gamma",
                "name": "G",
                "posts": [{"title": " ", "holders": [{"name": "A", "start": 2000}]}],
            },
        ],
    }
    path = tmp_path / "data.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(natostruct.DatasetError) as info:
        natostruct.load(path)
    found = {(p.record, p.field) for p in info.value.problems}
    assert found == {
        ("alpha", "parent_id"),  # the wrong type...
        ("alpha", "name"),  # ...and the rule the record also breaks
        ("beta", "location.latitude"),
        ("beta", "location.country"),
        ("gamma", "posts[0].holders[0].start"),
        ("gamma", "posts[0].title"),
    }


def test_a_pickled_dataset_keeps_what_its_load_replaced(tmp_path: Path) -> None:
    """Dataset.replaced survives a pickle, as data_as_of does."""
    path = tmp_path / "mine.json"
    record = {"kind": "command", "id": "aco", "name": "ACO (mine)"}
    path.write_text(json.dumps({"format_version": 2, "records": [record]}), encoding="utf-8")
    ds = natostruct.load(path, base=natostruct.dataset())
    assert pickle.loads(pickle.dumps(ds)).replaced == ds.replaced != ()  # noqa: S301
