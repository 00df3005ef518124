"""Change records: Dataset.diff and Dataset.history on a small fixed dataset and the real data."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs
import pytest

import natostruct
from natostruct.changes import CHANGE_TYPES, Change, diff, history
from natostruct.dates import PartialDate

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

D = dt.date

# A tiny history: a renamed command with two heads, a body that closes in a
# month-precise "2010-06", and a division that moves when that body closes.
RECORDS: list[dict[str, Any]] = [
    {
        "kind": "body",
        "id": "top",
        "name": "Top Council",
        "abbreviation": "TC",
        "category": "political body",
        "established": "1949-09-17",
    },
    {
        "kind": "command",
        "id": "a",
        "name": "Alpha Command",
        "abbreviation": "AC",
        "parent_id": "top",
        "established": "1951",
        "aliases": [
            {
                "name": "Old Alpha",
                "abbreviation": "OA",
                "kind": "former",
                "start": "1951",
                "end": "2003-06-19",
            }
        ],
        "posts": [
            {
                "title": "Commander Alpha",
                "abbreviation": "CA",
                "leading": True,
                "holders": [
                    {"name": "X", "start": "1951-04-02", "end": "1960-01-01"},
                    {"name": "Y", "start": "1960-01-01"},
                ],
            }
        ],
    },
    {
        "kind": "body",
        "id": "b",
        "name": "Beta Board",
        "parent_id": "top",
        "established": "2000-01-01",
        "disestablished": "2010-06",
    },
    {
        "kind": "division",
        "id": "c",
        "name": "Charlie Division",
        "parent_id": "a",
        "established": "2000-01-01",
        "reporting_lines": [
            {"parent_id": "b", "start": "2000-01-01", "end": "2010-07-01"},
            {"parent_id": "a", "start": "2010-07-01"},
        ],
    },
]


@pytest.fixture
def small(write_doc: Callable[..., Path]) -> natostruct.Dataset:
    return natostruct.load(write_doc(RECORDS))


def summary(changes: tuple[Change, ...]) -> list[tuple[dt.date, str, str, str | None, str | None]]:
    return [(c.date, c.type, c.entity_id, c.before, c.after) for c in changes]


class TestChange:
    def test_is_a_frozen_value(self) -> None:
        """A Change is an immutable, hashable value."""
        change = Change(date=D(2000, 1, 1), type="added", entity_id="x", after="X")
        assert change == Change(date=D(2000, 1, 1), type="added", entity_id="x", after="X")
        assert hash(change) == hash(attrs.evolve(change))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            change.entity_id = "y"  # type: ignore[misc]

    def test_str_and_dict(self) -> None:
        """str() is one readable line and to_dict() is JSON-ready."""
        change = Change(
            date=D(2003, 6, 19), type="renamed", entity_id="a", before="A", after="B", detail="d"
        )
        assert str(change).startswith("2003-06-19  renamed")
        assert change.to_dict() == {
            "date": "2003-06-19",
            "type": "renamed",
            "entity_id": "a",
            "before": "A",
            "after": "B",
            "detail": "d",
            "source_date": None,
            "certain": True,
        }


class TestHistory:
    def test_every_event_in_date_order(self, small: natostruct.Dataset) -> None:
        """History lists establishment, heads and renames, each on the first day views show it.

        Established "1951", the command surely exists from 1951-12-31, with its
        name of that day and X, who took post in April, already its head.
        """
        assert summary(small.history("a")) == [
            (D(1951, 12, 31), "added", "a", None, "OA — Old Alpha"),
            (D(1960, 1, 1), "head_changed", "a", "X", "Y"),
            (D(2003, 6, 19), "renamed", "a", "OA — Old Alpha", "AC — Alpha Command"),
        ]

    def test_reparenting(self, small: natostruct.Dataset) -> None:
        """A change of reporting line is dated by the new line's start.

        Beta may have ended on any day of June 2010, so from June 1 views no
        longer show it, and Charlie has no superior shown until its new line.
        """
        assert summary(small.history("c")) == [
            (D(2000, 1, 1), "added", "c", None, "Charlie Division"),
            (D(2010, 6, 1), "reparented", "c", "b", None),
            (D(2010, 7, 1), "reparented", "c", None, "a"),
        ]

    def test_partial_end_shows_on_its_first_day(self, small: natostruct.Dataset) -> None:
        """A month-precise disestablishment shows from that month's first day, when it may have ended."""
        (*_, removed) = small.history("b")
        assert (removed.date, removed.type, removed.before) == (
            D(2010, 6, 1),
            "removed",
            "Beta Board",
        )
        assert "2010-06" in removed.detail

    def test_from_a_view_uses_the_whole_history(self, small: natostruct.Dataset) -> None:
        """History asked of an as_of view still covers every day."""
        assert small.as_of("1955").history("a") == small.history("a")

    def test_module_function(self, small: natostruct.Dataset) -> None:
        """history(root, entity) is what Dataset.history delegates to."""
        assert history(small, small.get("a")) == small.history("a")

    def test_unknown_key(self, small: natostruct.Dataset) -> None:
        """An unknown key raises UnknownKeyError."""
        with pytest.raises(natostruct.UnknownKeyError):
            small.history("nope")


class TestDiff:
    @pytest.mark.parametrize(
        ("day1", "day2", "expected"),
        [
            pytest.param("1950", "1950-06", [], id="nothing"),
            pytest.param(
                "1950",
                "1952",
                [(D(1951, 12, 31), "added", "a", None, "OA — Old Alpha")],
                id="added",
            ),
            pytest.param(
                "2005",
                "2012",
                [
                    (D(2010, 6, 1), "reparented", "c", "b", None),
                    (D(2010, 6, 1), "removed", "b", "Beta Board", None),
                    (D(2010, 7, 1), "reparented", "c", None, "a"),
                ],
                id="removed-and-reparented",
            ),
            pytest.param(
                "1955",
                "2005",
                [
                    (D(1960, 1, 1), "head_changed", "a", "X", "Y"),
                    (D(2000, 1, 1), "added", "b", None, "Beta Board"),
                    (D(2000, 1, 1), "added", "c", None, "Charlie Division"),
                    (D(2003, 6, 19), "renamed", "a", "OA — Old Alpha", "AC — Alpha Command"),
                ],
                id="mixed-in-date-order",
            ),
        ],
    )
    def test_table(
        self, small: natostruct.Dataset, day1: str, day2: str, expected: list[Any]
    ) -> None:
        """diff reports added, removed, renamed, re-parented and head changes in date order."""
        assert summary(small.diff(day1, day2)) == expected

    def test_dates_fall_between(self, small: natostruct.Dataset) -> None:
        """Every change is dated inside (day1, day2]."""
        for change in small.diff("1949-12-31", "2025-12-31"):
            assert D(1949, 12, 31) < change.date <= D(2025, 12, 31)

    def test_reversed_dates(self, small: natostruct.Dataset) -> None:
        """A first date after the second is a ValueError."""
        with pytest.raises(ValueError, match="must not be after"):
            small.diff("2010", "2000")

    def test_same_day(self, small: natostruct.Dataset) -> None:
        """Nothing changes between a day and itself."""
        assert diff(small, D(2005, 1, 1), D(2005, 1, 1)) == ()

    def test_agrees_with_as_of(self, small: natostruct.Dataset) -> None:
        """Applying diff's added and removed ids to day1's view gives day2's view."""
        old, new = small.as_of("1950"), small.as_of("2025")
        changes = small.diff("1950", "2025")
        added = {c.entity_id for c in changes if c.type == "added"}
        removed = {c.entity_id for c in changes if c.type == "removed"}
        assert ({e.id for e in old} | added) - removed == {e.id for e in new}


class TestCanonical:
    def test_history_of_every_entity(self) -> None:
        """Every entity's history is sorted, typed and starts with its establishment.

        An entity whose dates are too loose for any view to show it surely
        ("1956-05-05" to "1956") has neither.
        """
        ds = natostruct.dataset()
        never_shown = []
        for entity in ds:
            changes = ds.history(entity)
            assert [c.date for c in changes] == sorted(c.date for c in changes)
            assert all(c.type in CHANGE_TYPES and c.entity_id == entity.id for c in changes)
            if entity.established is not None and changes:
                assert changes[0].type == "added"
            elif entity.established is not None:
                never_shown.append(entity.id)
        assert all(
            not any(e.id == i for e in ds.as_of(d))
            for i in never_shown
            for d in ("1956-06-01", "1968-06-01")
        )
        assert sorted(never_shown) == [
            "committee-of-three-on-non-military-cooperation",
            "marairmed",
        ]

    def test_diff_since_2000(self) -> None:
        """Since 2000 the structure changed, and every change is dated in range."""
        changes = natostruct.dataset().diff("2000-01-01", "2025-12-31")
        assert changes
        assert all(D(2000, 1, 1) < c.date <= D(2025, 12, 31) for c in changes)
        assert [c.date for c in changes] == sorted(c.date for c in changes)


def test_history_of_a_term_that_ends_in_the_year_1() -> None:
    """A holder whose term ends in the year 1 is replayed: there is no day before 0001-01-01."""
    post = natostruct.Post(
        title="Chair", leading=True, holders=(natostruct.Holder(name="H", end=PartialDate(1)),)
    )
    ds = natostruct.Dataset([natostruct.Body(id="b", name="B", posts=(post,))])
    assert ds.history("b") == ()
