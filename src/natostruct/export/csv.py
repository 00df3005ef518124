"""CSV export: one row per entity, the same flat columns as the DataFrame."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from natostruct.export._columns import COLUMNS, entity_row

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["render"]


def render(ds: Dataset) -> str:
    """A header row of :data:`~natostruct.export._columns.COLUMNS`, then one row per entity.

    Missing values are empty cells; rows are in id order.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for entity in ds:
        row = entity_row(entity)
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return out.getvalue()
