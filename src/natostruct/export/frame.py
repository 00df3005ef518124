"""pandas integration (the ``natostruct[pandas]`` extra): one row per entity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from natostruct.export._columns import COLUMNS, entity_row
from natostruct.export._optional import require

if TYPE_CHECKING:
    import pandas as pd

    from natostruct.dataset import Dataset

__all__ = ["to_dataframe"]


def to_dataframe(ds: Dataset) -> pd.DataFrame:
    """A DataFrame indexed by ``id`` whose columns are the CSV export's other columns.

    Raises:
        ImportError: pandas is not installed (``pip install natostruct[pandas]``).
    """
    pandas = require("pandas", "pandas", "to_dataframe()")
    rows = [entity_row(e) for e in ds]
    frame: pd.DataFrame = pandas.DataFrame(rows, columns=list(COLUMNS))
    frame["latitude"] = frame["latitude"].astype("float64")
    frame["longitude"] = frame["longitude"].astype("float64")
    indexed: pd.DataFrame = frame.set_index("id")
    return indexed
