"""One-line reprs of records and values, and the Results tuple queries return."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import attrs
import pytest

import natostruct
from natostruct import PartialDate, Results
from natostruct.changes import Change
from natostruct.errors import Problem
from natostruct.overlay import Replacement
from natostruct.people import Term
from natostruct.reprs import MAX_ITEMS, compact_fields

#: The longest repr of any single record or value object.
MAX_REPR = 500

DS = natostruct.dataset()


def _values(obj: object) -> Iterator[object]:
    """``obj`` and every attrs value inside it, depth first."""
    yield obj
    cls = type(obj)
    if attrs.has(cls):
        for field in attrs.fields(cls):
            value = getattr(obj, field.name)
            items = value if isinstance(value, tuple) else (value,)
            for item in items:
                if attrs.has(type(item)):
                    yield from _values(item)


def test_every_value_class_has_a_compact_repr() -> None:
    """Each attrs class a record holds, and each a query returns, says which fields identify it."""
    classes = {type(v) for record in DS.records for v in _values(record)}
    classes |= {Change, Problem, Replacement, Term}
    own = {*natostruct.model.ENTITY_CLASSES, PartialDate}  # reprs written by hand
    missing = sorted(c.__name__ for c in classes - own if not compact_fields(c))
    assert missing == []


def test_every_repr_is_short() -> None:
    """No record or value of the bundled data, nor a change or a term, has a repr over 500."""
    values = [v for record in DS.records for v in _values(record)]
    values += list(DS.history("jfc-naples")) + list(DS.diff("1990", "2010"))
    values += list(DS.terms("Jens Stoltenberg"))
    offenders = sorted(
        {f"{type(v).__name__}: {len(repr(v))}" for v in values if len(repr(v)) > MAX_REPR}
    )
    assert offenders == []


def test_the_repr_leaves_out_defaults_and_counts_collections() -> None:
    post = DS.get("CMC").head
    assert post is not None
    text = repr(post)
    assert text.startswith("Post(title='Chair of the Military Committee', abbreviation='CMC'")
    assert f"holders=<{len(post.holders)}>" in text
    assert "single_holder" not in text  # at its default


def test_a_long_text_is_cut() -> None:
    note = natostruct.Note(text="x" * 300, kind="remark")
    assert len(repr(note)) < 120
    assert "…" in repr(note)


def test_members_repr_fits_a_cell() -> None:
    assert len(repr(natostruct.members())) < 5000


class TestResults:
    def test_queries_return_results(self) -> None:
        view = DS.as_of("2025-12-31")
        answers = (
            DS.all(),
            DS.search("Brunssum"),
            DS.filter(kind="command"),
            DS.children("mc"),
            DS.subtree("mc"),
            DS.chain_of_command("jfc-naples"),
            DS.holders("secgen"),
            DS.terms("Jens Stoltenberg"),
            DS.members(),
            DS.partnerships(),
            DS.diff("2000", "2010"),
            DS.history("ims"),
            view.uncertain(),
            view.superior_unknown(),
            view.doubts("ims"),
            natostruct.members(),
            natostruct.search("Naples"),
        )
        assert [type(a).__name__ for a in answers] == ["Results"] * len(answers)

    def test_equal_to_the_plain_tuple(self) -> None:
        members = DS.members("1950-01-01")
        assert members == tuple(members)
        assert hash(members) == hash(tuple(members))
        assert isinstance(members, tuple)

    def test_pickles(self) -> None:
        members = DS.members("1950-01-01")
        again = pickle.loads(pickle.dumps(members))  # noqa: S301 (our own bytes)
        assert type(again) is Results
        assert again == members

    def test_repr_lists_the_first_items_and_counts_the_rest(self) -> None:
        everything = DS.all()
        assert len(everything) > MAX_ITEMS
        text = repr(everything)
        assert text.count("\n  ") == MAX_ITEMS + 1
        assert f"… {len(everything) - MAX_ITEMS} more" in text
        assert repr(Results()) == "()"

    @pytest.mark.parametrize(
        ("answer", "column"),
        [
            (DS.members, "accession"),
            (lambda: DS.holders("secgen"), "name"),
            (lambda: DS.history("ims"), "entity_id"),
            (lambda: DS.filter(kind="command"), "category"),
        ],
    )
    def test_html_table(self, answer: object, column: str) -> None:
        results = answer()  # type: ignore[operator]
        html = results._repr_html_()
        assert f"<th style='text-align:left'>{column}</th>" in html
        assert html.count("<tr>") == min(len(results), 200) + 1
