"""pandas integration (the ``natostruct[pandas]`` extra): DataFrames of entities and of results.

A date the sources give to the month or year cannot be one ``datetime64``
and stay honest, so each date becomes two columns: the first day it covers
(``start``, a ``datetime64``; NaT where unknown) and how precise it is
(``start_precision``: ``"day"``, ``"month"`` or ``"year"``). ``"1963"`` is
1963-01-01 with precision ``year``; the pair loses nothing.

The entities' DataFrame has the CSV export's columns, its dates split so;
:meth:`Results.to_dataframe <natostruct.reprs.Results.to_dataframe>` gives
one row per item of any query (holders, terms, member states, changes).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Final, cast

import attrs

from natostruct.dates import PartialDate
from natostruct.export._columns import COLUMNS, entity_row
from natostruct.export._optional import require
from natostruct.model import ENTITY_CLASSES

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    import pandas as pd
    from attrs import AttrsInstance

    from natostruct.dataset import Dataset
    from natostruct.model import Entity

__all__ = ["DATE_COLUMNS", "frame_of", "to_dataframe"]

#: The entities' date columns, each followed by its ``_precision`` column.
DATE_COLUMNS: Final = ("established", "disestablished")

_Cell = str | float | int | bool | dt.date | PartialDate | None


def _plain(item: AttrsInstance) -> dict[str, _Cell]:
    """The plain fields of an attrs record or value, as they are.

    Collections (sources, notes, holders) are left out; an enum is its value.
    """
    row: dict[str, _Cell] = {}
    for field in attrs.fields(type(item)):
        value = getattr(item, field.name)
        if isinstance(value, enum.Enum):
            row[field.name] = value.value
        elif value is None or isinstance(value, (str, int, float, dt.date, PartialDate)):
            row[field.name] = value
    return row


def _declared(cls: type[AttrsInstance]) -> tuple[list[str], set[str], set[str]]:
    """The plain fields of ``cls`` and which of them are partial dates or days, by declaration.

    The columns follow the class, not the values: a column of holders that
    all still hold the post is still a date column, with its precision.
    """
    keys, partial, days = [], set(), set()
    for field in attrs.fields(cls):
        declared = str(field.type)
        if "tuple" in declared:
            continue  # sources, notes, holders: collections
        keys.append(field.name)
        if "PartialDate" in declared:
            partial.add(field.name)
        elif declared in {"dt.date", "datetime.date", "<class 'datetime.date'>"}:
            days.add(field.name)
    return keys, partial, days


def _entity_row(entity: Entity) -> dict[str, _Cell]:
    row: dict[str, _Cell] = dict(entity_row(entity))
    for name in DATE_COLUMNS:  # the CSV's text, replaced by the date itself
        row[name] = getattr(entity, name)
    return row


def _frame(
    rows: Sequence[dict[str, _Cell]],
    keys: Sequence[str] | None = None,
    dated: Collection[str] = (),
    days: Collection[str] = (),
) -> pd.DataFrame:
    """The DataFrame of ``rows``, each partial date split into its first day and precision.

    The columns are ``keys`` (by default every key of the rows, in order);
    ``dated`` names the partial-date columns and ``days`` the plain dates (a
    row's PartialDate makes its column one too). Dates are ``datetime64[s]``,
    which reaches back to year 1 as partial dates do.
    """
    pandas = require("pandas", "pandas", "to_dataframe()")
    numpy = require("numpy", "pandas", "to_dataframe()")
    if keys is None:
        keys = list(dict.fromkeys(key for row in rows for key in row))
    dated = {*dated, *(k for row in rows for k, v in row.items() if isinstance(v, PartialDate))}
    columns: list[str] = []
    for key in keys:
        columns.append(key)
        if key in dated:
            columns.append(f"{key}_precision")
    cells: dict[str, list[_Cell]] = {column: [] for column in columns}
    for row in rows:
        for key in keys:
            value = row.get(key)
            if key in dated:
                date = value if isinstance(value, PartialDate) else None
                cells[key].append(None if date is None else date.first_day)
                cells[f"{key}_precision"].append(None if date is None else date.precision)
            else:
                cells[key].append(value)
    data = {}
    for column, values in cells.items():
        if column in dated or column in days:
            missing = numpy.datetime64("NaT", "s")  # with its unit: NumPy 2.5 wants one
            stamps = [missing if v is None else numpy.datetime64(v, "s") for v in values]
            data[column] = pandas.Series(numpy.array(stamps, dtype="datetime64[s]"))
        else:
            data[column] = values or pandas.Series([], dtype=object)
    frame: pd.DataFrame = pandas.DataFrame(data, columns=columns)
    return frame


def to_dataframe(ds: Dataset) -> pd.DataFrame:
    """A DataFrame indexed by ``id``: the CSV export's other columns, dates split in two.

    ``established`` and ``disestablished`` are ``datetime64[s]`` (the first
    day the date covers), each followed by its ``_precision`` column.

    Raises:
        ImportError: pandas is not installed (``pip install natostruct[pandas]``).
    """
    frame = _frame([_entity_row(e) for e in ds], COLUMNS, DATE_COLUMNS)
    frame["latitude"] = frame["latitude"].astype("float64")
    frame["longitude"] = frame["longitude"].astype("float64")
    indexed: pd.DataFrame = frame.set_index("id")
    return indexed


def frame_of(items: Sequence[object]) -> pd.DataFrame:
    """A DataFrame of a query's result, one row per item, with a plain index.

    Entities give the entities' columns (with their ``id`` as a column);
    other records and values one column per plain field, each partial date
    split into its first day and its precision (a holder's ``start`` and
    ``start_precision``), a change's ``date`` a ``datetime64``. The columns
    follow the items' class, so that a column without a value keeps its type.

    Raises:
        ImportError: pandas is not installed (``pip install natostruct[pandas]``).
        TypeError: an item is not a record or value of natostruct.
    """
    rows = []
    for item in items:
        if isinstance(item, ENTITY_CLASSES):
            rows.append(_entity_row(item))
        elif attrs.has(type(item)):
            rows.append(_plain(cast("AttrsInstance", item)))
        else:
            msg = f"expected records or values of natostruct, got {type(item).__name__}"
            raise TypeError(msg)
    classes = {type(item) for item in items}
    if len(classes) == 1 and not isinstance(items[0], ENTITY_CLASSES):
        keys, partial, days = _declared(cast("type[AttrsInstance]", classes.pop()))
        return _frame(rows, keys, partial, days)
    if items and all(isinstance(item, ENTITY_CLASSES) for item in items):
        return _frame(rows, COLUMNS, DATE_COLUMNS)
    return _frame(rows)
