"""One-line reprs for records and value objects, and the tuple every query returns.

A record's full field list runs to pages (a post with its holders and their
notes and sources is 18 KB), which floods a notebook cell. Each class names
the few fields that identify it, as pycountry's ``Country(...)`` does;
:func:`compact` writes its repr from them, leaving out fields at their
default, cutting long texts and counting collections:

>>> import natostruct
>>> post = natostruct.get("CMC").head
>>> post
Post(title='Chair of the Military Committee', abbreviation='CMC', leading=True, holders=<36>)
>>> natostruct.get("jfc-naples").location
Location(country='IT', city='Naples', site='Lago Patria', start=PartialDate('2012-12-13'))

Queries return :class:`Results`, a tuple with a short repr and a notebook table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Generic, TypeVar

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

__all__ = ["MAX_ITEMS", "MAX_TEXT", "Results", "compact", "compact_fields"]

#: The most characters of a text a repr shows; longer ones end in an ellipsis.
MAX_TEXT: Final = 80
#: The most items the repr of :class:`Results` lists; it counts the rest.
MAX_ITEMS: Final = 10

_C = TypeVar("_C", bound=type)
_T_co = TypeVar("_T_co", covariant=True)
_FIELDS: Final = "__compact_fields__"


def _value(value: object) -> str:
    if isinstance(value, str):
        return repr(value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…")
    if isinstance(value, tuple):
        if value and not isinstance(value[0], str):
            return f"<{len(value)}>"  # a collection of records: its size only
        return "(" + ", ".join(map(_value, value)) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def compact(*fields: str) -> Callable[[_C], _C]:
    """A class decorator for an attrs class: the repr shows ``fields`` only.

    A field at its default (None, False, an empty tuple) is left out. Put the
    decorator above the attrs one, which then need not write a repr.
    """

    def decorate(cls: _C) -> _C:
        setattr(cls, _FIELDS, fields)
        defaults = {f.name: f.default for f in attrs.fields(cls)}

        def __repr__(self: object) -> str:  # noqa: N807 (it is the method)
            parts = (
                f"{name}={_value(value)}"
                for name in fields
                if (value := getattr(self, name)) != defaults.get(name, attrs.NOTHING)
            )
            return f"{type(self).__name__}({', '.join(parts)})"

        cls.__repr__ = __repr__  # type: ignore[assignment]
        return cls

    return decorate


def compact_fields(cls: type) -> tuple[str, ...]:
    """The fields :func:`compact` shows for ``cls`` (none for a class it does not know)."""
    fields: tuple[str, ...] = getattr(cls, _FIELDS, ())
    return fields


class Results(tuple[_T_co, ...], Generic[_T_co]):
    """What a query returns: a tuple, equal to the plain one, with a short repr.

    It lists the first :data:`MAX_ITEMS` items and counts the others; in a
    notebook it shows as a table. Indexing gives the items; slicing, ``+``
    and the like give plain tuples.

    >>> import natostruct
    >>> members = natostruct.members("1949-12-31")
    >>> members == tuple(members), len(repr(natostruct.members())) < 5000
    (True, True)
    """

    __slots__ = ()

    def __repr__(self) -> str:
        shown = [repr(item) for item in self[:MAX_ITEMS]]
        if len(self) > MAX_ITEMS:
            shown.append(f"… {len(self) - MAX_ITEMS} more")
        lines = "".join(f"\n  {item}," for item in shown)
        return f"({lines}\n)" if shown else "()"

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per item (``natostruct[pandas]``).

        Each partial date is two columns, its first day as a ``datetime64``
        and its precision: see :mod:`natostruct.export.frame`.

        >>> import natostruct
        >>> frame = natostruct.dataset().holders("secgen").to_dataframe()
        >>> frame.loc[0, ["name", "start", "start_precision"]].tolist()
        ['Hastings Ismay', Timestamp('1952-04-04 00:00:00'), 'day']

        Raises:
            ImportError: pandas is not installed.
        """
        from natostruct.export.frame import frame_of  # noqa: PLC0415 (pandas only when asked)

        return frame_of(self)

    def _repr_html_(self) -> str:
        from natostruct.display import results_html  # noqa: PLC0415 (notebooks only)

        html: str = results_html(self)
        return html
