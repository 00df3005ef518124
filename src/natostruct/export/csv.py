"""CSV export: one row per entity, the same flat columns as the DataFrame.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and some treat a leading tab or carriage return the same way), so
text from a data file could run as ``=HYPERLINK(...)`` when the export is
opened. Every text cell is therefore quoted, and one that starts with any of
those characters gets a leading ``'`` (OWASP's rule against CSV injection);
coordinates stay plain numbers.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Final

from natostruct.export._columns import COLUMNS, Value, entity_row

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["FORMULA_STARTS", "cell", "render"]

#: The first characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Value) -> str | float:
    """``value`` as the CSV writes it: text that starts like a formula gets a leading ``'``.

    Numbers are left as numbers (a longitude of -76.2853 is no formula) and a
    missing value is an empty cell.

    >>> cell("=1+1"), cell("-1"), cell("a-1"), cell(-76.2853), cell(None)
    ("'=1+1", "'-1", 'a-1', -76.2853, '')
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render(ds: Dataset) -> str:
    """A header row of :data:`~natostruct.export._columns.COLUMNS`, then one row per entity.

    Missing values are empty cells; rows are in id order. Text cells are
    quoted, and one that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading ``'`` so that no spreadsheet runs it as a
    formula; coordinates are written as plain numbers.
    """
    out = io.StringIO()
    # Quoting every text cell keeps a carriage return inside one in its cell:
    # with "\n" as the line end, Python before 3.13 leaves a lone "\r"
    # unquoted, and readers take it for the end of a row.
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(COLUMNS)
    for entity in ds:
        row = entity_row(entity)
        writer.writerow([cell(row[c]) for c in COLUMNS])
    return out.getvalue()
