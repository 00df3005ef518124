"""JSON export: the data file format, which :func:`natostruct.load` reads back.

The whole-history Dataset round-trips to an equal Dataset. An ``as_of`` view
is written as a snapshot: that day's names, parents and holders, only the
reporting line of that day, and no relation to an entity absent that day, so
that the file loads on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from natostruct import fileformat
from natostruct.model import MemberState, Partnership, Record

if TYPE_CHECKING:
    import datetime as dt

    from natostruct.dataset import Dataset

__all__ = ["render", "to_document"]


def _snapshot(record: Record, present: set[str], day: dt.date) -> Record:
    if isinstance(record, (MemberState, Partnership)):
        return record
    # Keep only the reporting line that held that day (its parent is the view's).
    line = next((r for r in record.reporting_lines if r.period.contains(day)), None)
    lines = () if line is None or line.parent_id != record.parent_id else (line,)
    return attrs.evolve(
        record,
        reporting_lines=lines,
        relations=tuple(r for r in record.relations if r.target_id in present),
    )


def to_document(ds: Dataset) -> dict[str, Any]:
    """The data file of ``ds`` in the current format: a sources table and the records citing it."""
    records = ds.records
    if ds.date is not None:
        present = {e.id for e in ds}
        records = tuple(_snapshot(r, present, ds.date) for r in records)
    document, _ = fileformat.write(records)
    return document


def render(ds: Dataset) -> str:
    """The data file text for ``ds`` (UTF-8, indented, ending in a newline)."""
    return fileformat.dumps(to_document(ds))
