"""PartialDate and Period: precision kept, order, containment, overlap."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from natostruct import Holds, PartialDate, Period
from natostruct.dates import parse_date


class TestPartialDate:
    @pytest.mark.parametrize(
        ("text", "parts", "precision"),
        [
            ("1967", (1967, None, None), "year"),
            ("2004-03", (2004, 3, None), "month"),
            ("2003-06-19", (2003, 6, 19), "day"),
            ("2024-02-29", (2024, 2, 29), "day"),
        ],
    )
    def test_parse_keeps_precision(
        self, text: str, parts: tuple[int, int | None, int | None], precision: str
    ) -> None:
        """Parsing keeps exactly the parts given, and str() gives them back."""
        date = PartialDate.parse(text)
        assert (date.year, date.month, date.day) == parts
        assert date.precision == precision
        assert str(date) == text

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("1949-02-30", "1949-02 has no day 30"),
            ("2023-02-29", "2023-02 has no day 29"),
            ("2004-13", "month must be between 1 and 12, got 13"),
            ("2004-00", "month must be between 1 and 12, got 0"),
            ("0000", "year must be between 1 and 9999, got 0"),
            ("04-03-2004", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '04-03-2004'"),
            ("2004-3", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got '2004-3'"),
            ("", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got ''"),
            (" 2004", "expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got ' 2004'"),
        ],
    )
    def test_parse_rejects(self, text: str, message: str) -> None:
        """Impossible or malformed dates raise ValueError saying what was wrong."""
        with pytest.raises(
            ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"
        ):
            PartialDate.parse(text)

    def test_day_needs_month(self) -> None:
        """A day without a month is refused."""
        with pytest.raises(ValueError, match="a day needs a month"):
            PartialDate(2004, None, 3)

    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("1967", dt.date(1967, 1, 1), dt.date(1967, 12, 31)),
            ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
            ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
            ("2003-06-19", dt.date(2003, 6, 19), dt.date(2003, 6, 19)),
        ],
    )
    def test_first_and_last_day(self, text: str, first: dt.date, last: dt.date) -> None:
        """A partial date covers every day of its year or month."""
        date = PartialDate.parse(text)
        assert (date.first_day, date.last_day) == (first, last)

    def test_orders_with_dates_and_each_other(self) -> None:
        """PartialDates sort by first day then last day, and compare with datetime.date."""
        dates = [
            PartialDate.parse(t)
            for t in ("2004-03-29", "2004", "2003-12-31", "2004-01", "2004-01-01")
        ]
        assert [str(d) for d in sorted(dates)] == [
            "2003-12-31",
            "2004-01-01",
            "2004-01",
            "2004",
            "2004-03-29",
        ]
        assert PartialDate(1967) < dt.date(1968, 1, 1)
        assert dt.date(1966, 12, 31) < PartialDate(1967)
        assert PartialDate(2003, 6, 19) <= dt.date(2003, 6, 19)
        assert PartialDate(2003, 6, 19) >= dt.date(2003, 6, 19)
        assert PartialDate(2003, 6, 19) == dt.date(2003, 6, 19)  # the same day, so equal

    def test_refuses_to_order_against_other_types(self) -> None:
        """Ordering against a string or a datetime is a TypeError, not a guess."""
        with pytest.raises(TypeError):
            _ = PartialDate(2004) < "2005"
        with pytest.raises(TypeError):
            _ = PartialDate(2004) < dt.datetime(2005, 1, 1)  # noqa: DTZ001

    def test_a_day_precise_date_equals_its_day_and_hashes_like_it(self) -> None:
        """PartialDate(2000, 1, 1) is 2000-01-01: equal both ways, one key in a set or dict."""
        day = dt.date(2000, 1, 1)
        assert PartialDate(2000, 1, 1) == day
        assert day == PartialDate(2000, 1, 1)
        assert not PartialDate(2000, 1, 1) != day  # noqa: SIM202 (the != operator itself)
        assert hash(PartialDate(2000, 1, 1)) == hash(day)
        assert {PartialDate(2000, 1, 1), day} == {day}
        keyed: dict[object, str] = {day: "x"}
        assert keyed[PartialDate(2000, 1, 1)] == "x"
        assert PartialDate(2000, 1, 2) != day

    @pytest.mark.parametrize("date", [PartialDate(2000), PartialDate(2000, 1)])
    def test_a_coarser_date_equals_no_day(self, date: PartialDate) -> None:
        """A year or a month is not its first day: it equals no date, and keys stay apart."""
        day = dt.date(2000, 1, 1)
        assert date != day
        assert day != date
        assert not date == day  # noqa: SIM201 (the == operator itself)
        assert len({date, day}) == 2
        assert len({date, PartialDate(2000, 1, 1)}) == 2

    @pytest.mark.parametrize(
        "date",
        [PartialDate(2000), PartialDate(2000, 1), PartialDate(2000, 12), PartialDate(2000, 1, 1)],
    )
    @pytest.mark.parametrize(
        "day",
        [
            dt.date(1999, 12, 31),
            dt.date(2000, 1, 1),
            dt.date(2000, 1, 2),
            dt.date(2000, 12, 1),
            dt.date(2000, 12, 31),
            dt.date(2001, 1, 1),
        ],
    )
    def test_comparisons_with_a_day_are_coherent(self, date: PartialDate, day: dt.date) -> None:
        """Exactly one of <, ==, > holds; <= is < or ==, >= is > or ==; either side may come first."""
        lt, eq, gt = date < day, date == day, date > day
        assert [lt, eq, gt].count(True) == 1
        assert (date <= day) == (lt or eq)
        assert (date >= day) == (gt or eq)
        assert (date != day) == (not eq)
        assert (day > date, day == date, day < date) == (lt, eq, gt)
        assert lt == (date.first_day < day)  # before means it begins before that day

    def test_a_year_sorts_just_after_its_first_day(self) -> None:
        """1967 begins on 1967-01-01 and covers more, so it sorts between that day and the next."""
        assert dt.date(1967, 1, 1) < PartialDate(1967) < dt.date(1967, 1, 2)
        assert PartialDate(1967) > dt.date(1967, 1, 1)
        assert PartialDate(1967) < dt.date(1967, 6, 1)

    def test_a_datetime_equals_no_partial_date(self) -> None:
        """A datetime is not a day: never equal, as a date never equals a datetime."""
        moment = dt.datetime(2000, 1, 1)  # noqa: DTZ001
        assert PartialDate(2000, 1, 1) != moment
        assert moment != PartialDate(2000, 1, 1)
        assert dt.date(2000, 1, 1) != moment  # the rule datetime itself follows
        with pytest.raises(TypeError):
            _ = moment < PartialDate(2000, 1, 1)

    def test_dates_of_different_precision_stay_unequal(self) -> None:
        """A year, its first month and its first day are three different PartialDates."""
        year, month, day = PartialDate(2000), PartialDate(2000, 1), PartialDate(2000, 1, 1)
        assert len({year, month, day}) == 3
        assert year != month
        assert month != day
        assert year != day
        assert day < month < year

    @pytest.mark.parametrize(
        ("parts", "field", "given"),
        [
            ((True,), "year", "bool True"),
            ((2000, True), "month", "bool True"),
            ((2000, 1, True), "day", "bool True"),
            ((2000, False), "month", "bool False"),
            ((2000.0,), "year", "float 2000.0"),
            (("2000",), "year", "str '2000'"),
            ((None,), "year", "NoneType None"),
            ((2000, 1.0), "month", "float 1.0"),
            ((2000, 1, "1"), "day", "str '1'"),
        ],
    )
    def test_parts_must_be_ints(self, parts: tuple[object, ...], field: str, given: str) -> None:
        """A bool or any other non-int for a part is a TypeError naming the field."""
        with pytest.raises(TypeError, match=f"^{field} must be an int, got {given}$"):
            PartialDate(*parts)  # type: ignore[arg-type]

    def test_evolve_checks_parts_too(self) -> None:
        """attrs.evolve builds through the same checks as the constructor."""
        with pytest.raises(TypeError, match=r"^day must be an int, got bool True$"):
            attrs.evolve(PartialDate(2000, 1, 1), day=True)

    def test_values_are_hashable_and_equal_by_parts(self) -> None:
        """Equal parts make equal, hashable values."""
        assert {PartialDate.parse("2004-03"), PartialDate(2004, 3)} == {PartialDate(2004, 3)}
        assert repr(PartialDate(2004, 3)) == "PartialDate('2004-03')"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("2004", PartialDate(2004)),
            (dt.date(2004, 3, 29), PartialDate(2004, 3, 29)),
            (dt.datetime(2004, 3, 29, 12), PartialDate(2004, 3, 29)),  # noqa: DTZ001
            (PartialDate(2004, 3), PartialDate(2004, 3)),
        ],
    )
    def test_parse_date_accepts(self, value: object, expected: PartialDate) -> None:
        """parse_date takes strings, dates, datetimes and PartialDates."""
        assert parse_date(value) == expected  # type: ignore[arg-type]

    def test_parse_date_rejects_other_types(self) -> None:
        """Anything else is a TypeError naming what was given; a bool is no year."""
        for value in (True, 2004.0, None, [2004]):
            with pytest.raises(TypeError, match="got "):
                parse_date(value)  # type: ignore[arg-type]

    def test_an_int_is_a_year(self) -> None:
        assert parse_date(2004) == PartialDate(2004)
        assert parse_date(1).first_day == dt.date(1, 1, 1)
        for year in (0, -1, 10000):
            with pytest.raises(ValueError, match="between 1 and 9999"):
                parse_date(year)


class TestPeriod:
    def test_half_open_with_day_precise_end(self) -> None:
        """A day-precise end is the first day outside the period."""
        period = Period(PartialDate(2014, 10, 1), PartialDate(2024, 10, 1))
        assert period.contains(dt.date(2014, 10, 1))
        assert period.contains(dt.date(2024, 9, 30))
        assert not period.contains(dt.date(2024, 10, 1))
        assert not period.contains(dt.date(2014, 9, 30))

    def test_partial_bounds_hold_surely_maybe_or_not(self) -> None:
        """A partial start may hold from its first day and surely from its last; an end mirrors it."""
        period = Period(PartialDate(2004, 3), PartialDate(2010))
        answers = {
            dt.date(2004, 2, 29): Holds.NOT,
            dt.date(2004, 3, 1): Holds.MAYBE,
            dt.date(2004, 3, 30): Holds.MAYBE,
            dt.date(2004, 3, 31): Holds.SURELY,
            dt.date(2009, 12, 31): Holds.SURELY,
            dt.date(2010, 1, 1): Holds.MAYBE,
            dt.date(2010, 12, 30): Holds.MAYBE,
            dt.date(2010, 12, 31): Holds.NOT,
        }
        assert {day: period.holds_on(day) for day in answers} == answers
        assert [d for d, a in answers.items() if period.contains(d) != (a is Holds.SURELY)] == []
        assert (period.begins, period.ends) == (dt.date(2004, 3, 31), dt.date(2010, 1, 1))

    def test_a_year_end_and_a_first_of_january_start_do_not_surely_overlap(self) -> None:
        """One holder leaving in "2017" and the next arriving on 2017-01-01 is consistent."""
        left = Period(PartialDate(2010), PartialDate(2017))
        arrived = Period(PartialDate(2017, 1, 1))
        assert not left.surely_overlaps(arrived)
        assert left.surely_overlaps(Period(PartialDate(2016, 12, 30)))

    def test_current_on_keeps_the_old_value_until_the_change_is_sure(self) -> None:
        """A name that ended in "2010" is still the current one on 2010-12-30, not on the 31st."""
        old = Period(PartialDate(1990), PartialDate(2010))
        assert old.current_on(dt.date(2010, 12, 30))
        assert not old.current_on(dt.date(2010, 12, 31))
        assert not old.current_on(dt.date(1990, 6, 1))

    def test_unknown_start_is_flagged(self) -> None:
        """No start means since the beginning, and start_known says so."""
        period = Period(None, PartialDate(1990))
        assert not period.start_known
        assert period.contains(dt.date(1, 1, 1))
        assert Period(PartialDate(1990)).start_known

    def test_open_end(self) -> None:
        """No end means the period still lasts."""
        assert Period(PartialDate(2024, 10, 1)).contains(dt.date(9999, 12, 31))
        assert Period(PartialDate(2024, 10, 1)).ends is None

    @pytest.mark.parametrize(
        ("start", "end", "reversed_"),
        [
            ("2010", "2009", True),
            ("2010-05-02", "2010-05-01", True),
            ("2010-05", "2010", False),  # same year: the end's year covers the start
            ("2010-05-01", "2010-05-01", False),
            ("2009", "2010", False),
        ],
    )
    def test_reversed(self, start: str, end: str, reversed_: bool) -> None:
        """A period ends before it starts only when no reading of its dates allows it."""
        assert Period(PartialDate.parse(start), PartialDate.parse(end)).is_reversed() is reversed_

    @pytest.mark.parametrize(
        ("a", "b", "overlap"),
        [
            (("2019-07-11", "2022-07-14"), ("2022-07-14", None), False),  # hand-over day
            (("2019-07-11", "2022-07-15"), ("2022-07-14", None), True),
            (("2022-07-14", "2025-07"), ("2025-07-14", None), False),  # month-precise end
            (("2022-07-14", "2025-08"), ("2025-07-14", None), True),
            ((None, "2000"), ("1999", None), True),
            (("2010", None), ("2012", None), True),
        ],
    )
    def test_surely_overlaps(
        self, a: tuple[str | None, str | None], b: tuple[str | None, str | None], overlap: bool
    ) -> None:
        """Overlap is reported only where the dates prove it."""

        def period(pair: tuple[str | None, str | None]) -> Period:
            return Period(*(None if t is None else PartialDate.parse(t) for t in pair))

        assert period(a).surely_overlaps(period(b)) is overlap
        assert period(b).surely_overlaps(period(a)) is overlap

    def test_str(self) -> None:
        """str() shows start/end with '?' for an unknown start."""
        assert str(Period(None, PartialDate(1990))) == "?/1990"
        assert str(Period(PartialDate(2004, 3))) == "2004-03/"
