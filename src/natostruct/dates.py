"""Dates with the precision their source gives, and the periods built from them.

A source may say "1967", "March 2004" or "19 June 2003". :class:`PartialDate`
keeps exactly that much and never invents a month or a day. :class:`Period`
turns two of them into a half-open span ``[start, end)`` that can be asked
whether it covers a calendar day.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import TYPE_CHECKING, Final, Literal

import attrs

from natostruct.reprs import compact
from natostruct.text import quote

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "ONE_DAY",
    "Holds",
    "PartialDate",
    "Period",
    "Precision",
    "both",
    "parse_date",
    "reversed_span",
    "today",
    "turning_days",
]

#: How much of a date a source gave.
Precision = Literal["year", "month", "day"]

_ISO: Final = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)  # ASCII digits only
#: The step from one calendar day to the next.
ONE_DAY: Final = dt.timedelta(days=1)
_MAX_YEAR: Final = 9999


def today() -> dt.date:
    """Today's date in the user's own calendar, which is what "today" means to them."""
    return dt.date.today()


def _check_int(field: str, value: object) -> None:
    # bool is an int subclass, so True would pass as year 1; a flag is never a date part.
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"{field} must be an int, got {type(value).__name__} {value!r}"
        raise TypeError(msg)


def _check_parts(year: int, month: int | None, day: int | None) -> None:
    _check_int("year", year)
    if month is not None:
        _check_int("month", month)
    if day is not None:
        _check_int("day", day)
    if not 1 <= year <= _MAX_YEAR:
        msg = f"year must be between 1 and 9999, got {year!r}"
        raise ValueError(msg)
    if month is None:
        if day is not None:
            msg = "a day needs a month"
            raise ValueError(msg)
        return
    if not 1 <= month <= 12:  # noqa: PLR2004 (months of the year)
        msg = f"month must be between 1 and 12, got {month!r}"
        raise ValueError(msg)
    if day is not None and not 1 <= day <= _days_in(year, month):
        msg = f"{year:04d}-{month:02d} has no day {day!r}"
        raise ValueError(msg)


@attrs.frozen(eq=False, order=False)
class PartialDate:
    """A calendar date known to the year, to the month, or to the day.

    ``str()`` gives ISO 8601 at the precision held (``1967``, ``2004-03``,
    ``2003-06-19``). ``year``, ``month`` and ``day`` must be ints (a bool is
    refused); :meth:`parse` reads the ISO text.

    Two PartialDates are equal when they have the same parts, so ``1967``,
    ``1967-01`` and ``1967-01-01`` are three different values. A day-precise
    PartialDate also equals that :class:`datetime.date` and hashes like it
    (one key in a dict or set); a year or a month equals no ``date``, not even
    its first day. A :class:`datetime.datetime` equals no PartialDate, as it
    equals no ``date``.

    Dates order by the first day they cover, then by the last, and a
    ``date`` is its own first and last day. So ``p < day`` means that ``p``
    begins before ``day``, and ``1967`` sorts after ``1967-01-01`` (it begins
    that day and covers more) but before ``1967-01-02``. Against a ``date``
    exactly one of ``<``, ``==`` and ``>`` holds. Ordering against a
    ``datetime`` is a TypeError.

    >>> PartialDate.parse("2004-03")
    PartialDate('2004-03')
    >>> str(PartialDate(2003, 6, 19)), PartialDate(1967).month
    ('2003-06-19', None)
    >>> import datetime
    >>> PartialDate(2003, 6, 19) == datetime.date(2003, 6, 19)
    True
    >>> PartialDate(2003, 6) == datetime.date(2003, 6, 1), PartialDate(2003) == PartialDate(2003, 1)
    (False, False)
    >>> datetime.date(1967, 1, 1) < PartialDate(1967) < datetime.date(1967, 1, 2)
    True
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __attrs_post_init__(self) -> None:
        _check_parts(self.year, self.month, self.day)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

        Raises:
            ValueError: the text is not one of those forms, or names no real day.

        >>> PartialDate.parse("1949-02-30")
        Traceback (most recent call last):
        ...
        ValueError: 1949-02 has no day 30
        """
        try:
            match = _ISO.fullmatch(text)
        except TypeError:  # not a string at all
            match = None
        if match is None:
            msg = f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {quote(text)}"
            raise ValueError(msg)
        year, month, day = match.groups()
        return cls(
            int(year),
            None if month is None else int(month),
            None if day is None else int(day),
        )

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        """The day-precise PartialDate of a :class:`datetime.date`."""
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        """``"year"``, ``"month"`` or ``"day"``."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def first_day(self) -> dt.date:
        """The first calendar day this date covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last calendar day this date covers."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, _days_in(self.year, self.month))
        return dt.date(self.year, self.month, self.day)

    def _key(self) -> tuple[dt.date, dt.date]:
        return (self.first_day, self.last_day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return (self.year, self.month, self.day) == (other.year, other.month, other.day)
        if isinstance(other, dt.datetime):
            return NotImplemented  # a moment is not a day; datetime then answers False
        if isinstance(other, dt.date):
            return self.day is not None and self.first_day == other
        return NotImplemented

    def __hash__(self) -> int:
        # Equal to its date means hashing like it; coarser dates equal no date,
        # so any hash of their parts will do.
        if self.day is not None:
            return hash(self.first_day)
        return hash((self.year, self.month))

    def __lt__(self, other: object) -> bool:
        key = _other_key(other)
        return NotImplemented if key is None else self._key() < key

    def __le__(self, other: object) -> bool:
        key = _other_key(other)
        return NotImplemented if key is None else self._key() <= key

    def __gt__(self, other: object) -> bool:
        key = _other_key(other)
        return NotImplemented if key is None else self._key() > key

    def __ge__(self, other: object) -> bool:
        key = _other_key(other)
        return NotImplemented if key is None else self._key() >= key


def _other_key(other: object) -> tuple[dt.date, dt.date] | None:
    if isinstance(other, PartialDate):
        return other._key()  # noqa: SLF001 (same class)
    if isinstance(other, dt.datetime):
        return None  # a datetime is not a day; refuse rather than guess
    if isinstance(other, dt.date):
        return (other, other)
    return None


def turning_days(dates: Iterable[PartialDate]) -> set[dt.date]:
    """The days on which what ``dates`` let a view state may change.

    A start becomes possible on its first day and sure on its last (``"1963"``
    surely holds from 1963-12-31); an end becomes possible on its first day
    and sure on its last; and the day after the last is where a partial date
    stops being one. Between two such days, every answer stands.

    >>> sorted(turning_days([PartialDate(1963)]))
    [datetime.date(1963, 1, 1), datetime.date(1963, 12, 31), datetime.date(1964, 1, 1)]
    """
    turns: set[dt.date] = set()
    for date in dates:
        turns.update((date.first_day, date.last_day))
        if date.last_day < dt.date.max:
            turns.add(date.last_day + ONE_DAY)
    return turns


def parse_date(value: str | int | dt.date | PartialDate) -> PartialDate:
    """Accept the date forms the public API takes and return a PartialDate.

    An int is a year (``1990`` is ``PartialDate('1990')``, whose first day a
    query takes); a bool is refused, though Python counts it an int.

    >>> parse_date(1990), parse_date("1990-05")
    (PartialDate('1990'), PartialDate('1990-05'))

    Raises:
        ValueError: a string in the wrong form, a date that does not exist, or
            a year outside 1-9999.
        TypeError: anything that is not a string, a year, a date or a PartialDate.
    """
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return PartialDate(value)
    if isinstance(value, dt.datetime):
        return PartialDate.from_date(value.date())
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        return PartialDate.parse(value)
    msg = f"expected a date, a PartialDate, a year or a YYYY[-MM[-DD]] string, got {quote(value)}"
    raise TypeError(msg)


class Holds(enum.Enum):
    """What the sources allow one to say of a dated fact on a day."""

    #: However the partial dates resolve, the fact holds that day.
    SURELY = "surely"
    #: It holds for some readings of the partial dates and not for others.
    MAYBE = "maybe"
    #: However the partial dates resolve, it does not hold that day.
    NOT = "not"

    @property
    def possibly(self) -> bool:
        """Whether the fact surely or maybe holds."""
        return self is not Holds.NOT

    def __bool__(self) -> bool:
        # A three-valued answer read as a bool would always be true (an enum
        # member is truthy), so that mistake is refused.
        msg = "a Holds has three values: compare it with Holds.SURELY, or use .possibly"
        raise TypeError(msg)


def both(first: Holds, second: Holds) -> Holds:
    """Whether two facts hold together: surely if both surely do, not if either surely does not."""
    if first is Holds.NOT or second is Holds.NOT:
        return Holds.NOT
    if first is Holds.MAYBE or second is Holds.MAYBE:
        return Holds.MAYBE
    return Holds.SURELY


@compact("start", "end")
@attrs.frozen(repr=False)
class Period:
    """A half-open span of time ``[start, end)``, each end known as precisely as a source gives it.

    A ``start`` names the day, month or year in which the fact began; an
    ``end`` names the day, month or year in which the first day without it
    falls. So ``Period(start="1963")`` surely holds from 1963-12-31 and may
    hold from 1963-01-01; ``Period(end="2017")`` surely holds through
    2016-12-31, may hold through 2017-12-30 and surely does not from
    2017-12-31. A day-precise date leaves no doubt. ``start=None`` means
    "since the beginning" (:attr:`start_known` is false); ``end=None`` means
    "still so".

    :meth:`holds_on` gives the three answers; :meth:`contains` is "surely".

    >>> p = Period(PartialDate(2014, 10, 1), PartialDate(2024, 10, 1))
    >>> import datetime
    >>> p.contains(datetime.date(2024, 9, 30)), p.contains(datetime.date(2024, 10, 1))
    (True, False)
    >>> q = Period(PartialDate(1963), PartialDate(2017))
    >>> days = (datetime.date(1963, 6, 1), datetime.date(1990, 1, 1), datetime.date(2017, 12, 31))
    >>> " ".join(q.holds_on(day).value for day in days)
    'maybe surely not'
    """

    start: PartialDate | None = None
    end: PartialDate | None = None

    @property
    def start_known(self) -> bool:
        """False where the source gives no start, read as "since the beginning"."""
        return self.start is not None

    @property
    def begins(self) -> dt.date:
        """The first day on which the fact surely holds (``date.min`` for an unknown start)."""
        return dt.date.min if self.start is None else self.start.last_day

    @property
    def ends(self) -> dt.date | None:
        """The first day on which it no longer surely holds, or None while it lasts."""
        return None if self.end is None else self.end.first_day

    @property
    def possible(self) -> tuple[dt.date, dt.date | None]:
        """The first day the fact may hold, and the first it surely no longer does (None: open).

        >>> Period(PartialDate(1963), PartialDate(2017)).possible
        (datetime.date(1963, 1, 1), datetime.date(2017, 12, 31))
        """
        return (
            dt.date.min if self.start is None else self.start.first_day,
            None if self.end is None else self.end.last_day,
        )

    def holds_on(self, day: dt.date) -> Holds:
        """Whether the fact surely holds on ``day``, maybe holds, or surely does not."""
        start, end = self.start, self.end
        if (start is not None and day < start.first_day) or (
            end is not None and day >= end.last_day
        ):
            return Holds.NOT
        if (start is not None and day < start.last_day) or (
            end is not None and day >= end.first_day
        ):
            return Holds.MAYBE
        return Holds.SURELY

    def contains(self, day: dt.date) -> bool:
        """Whether the fact surely holds on ``day``."""
        ends = self.ends
        return self.begins <= day and (ends is None or day < ends)

    def current_on(self, day: dt.date) -> bool:
        """Whether the fact surely began by ``day`` and has not surely ended.

        Of values that follow one another (names, seats, superiors), the one
        current on a day is the last that surely held: the old name stays
        until the rename is sure.
        """
        start, end = self.start, self.end
        return (start is None or start.last_day <= day) and (end is None or day < end.last_day)

    def is_reversed(self) -> bool:
        """Whether the period ends before it starts, at the precision given."""
        return reversed_span(self.start, self.end)

    def surely_overlaps(self, other: Period) -> bool:
        """Whether some day surely falls in both periods, however their dates resolve.

        Used for single-holder posts: a holder who left in "2025-07" and one
        who arrived on 2025-07-14 do not provably overlap, nor do one who left
        in "2017" and one who arrived on 2017-01-01.
        """
        first = max(self.begins, other.begins)
        ends = [e for e in (self.ends, other.ends) if e is not None]
        return not ends or first < min(ends)

    def __str__(self) -> str:
        start = "?" if self.start is None else str(self.start)
        end = "" if self.end is None else str(self.end)
        return f"{start}/{end}"


def reversed_span(start: PartialDate | None, end: PartialDate | None) -> bool:
    """Whether ``end`` falls before ``start``, at the precision given."""
    return start is not None and end is not None and end.last_day < start.first_day


def _days_in(year: int, month: int) -> int:
    """The number of days of a month (the calendar module costs a start 2-3 ms to import)."""
    if month == 12:  # noqa: PLR2004 (December)
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days
