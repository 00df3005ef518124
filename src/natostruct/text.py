"""The phrases every output shares, written once: labels, places, the day shown.

The CLI, the change records, the notebook displays and the chart exports all
describe an entity, an HQ and a view's day the same way; these helpers are
that one way.

>>> label("International Military Staff", "IMS")
'IMS — International Military Staff'
>>> import datetime
>>> span(None), span(datetime.date(1990, 1, 1))
('whole history', 'as of 1990-01-01')
>>> long = quote("x" * 100_000)
>>> quote("jfc-naples"), len(long), long.endswith("x'...")
("'jfc-naples'", 85, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import datetime as dt

    from natostruct.model import Location

__all__ = ["QUOTE_LIMIT", "label", "place", "quote", "span"]

#: How many characters of a key or value an error message quotes at most.
QUOTE_LIMIT: Final = 80


def label(name: str, abbreviation: str | None) -> str:
    """``"ABBR — Name"``, or the name alone where there is no abbreviation."""
    return f"{abbreviation} — {name}" if abbreviation else name


def person(name: str, rank: str | None) -> str:
    """A holder as lists print one: ``"General John Galvin"``, or the name alone."""
    return f"{rank} {name}" if rank else name


def place(location: Location) -> str:
    """An HQ as ``"site, city, country"``, leaving out the parts not recorded."""
    parts = [p for p in (location.site, location.city) if p]
    return ", ".join([*parts, location.country])


def span(day: dt.date | None) -> str:
    """What a Dataset covers: ``"whole history"`` or ``"as of YYYY-MM-DD"``."""
    return "whole history" if day is None else f"as of {day.isoformat()}"


def quote(value: object) -> str:
    """``repr(value)`` for an error message, cut after QUOTE_LIMIT characters with ``...``.

    A key or value given by a user or a data file may be of any length; the
    message quoting it stays one readable line.
    """
    if isinstance(value, str):
        # Cut before repr(): a huge string is never copied whole.
        text = repr(value[:QUOTE_LIMIT])
        return f"{text}..." if len(value) > QUOTE_LIMIT else text
    text = repr(value)
    return f"{text[:QUOTE_LIMIT]}..." if len(text) > QUOTE_LIMIT else text
