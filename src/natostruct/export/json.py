"""JSON export: the data file format, which :func:`natostruct.load` reads back.

The whole-history Dataset round-trips to an equal Dataset. An ``as_of`` view
is written as a snapshot: that day's names, parents and holders, only the
reporting line of that day, and no relation to an entity absent that day, so
that the file loads on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from natostruct import fileformat

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["render", "to_document"]


def to_document(ds: Dataset) -> dict[str, Any]:
    """The data file of ``ds`` in the current format: a sources table and the records citing it."""
    # A view's records are already as they stood that day (Entity.on), with
    # no line or relation to an entity absent that day: they load on their own.
    document, _ = fileformat.write(ds.records)
    return document


def render(ds: Dataset) -> str:
    """The data file text for ``ds`` (UTF-8, indented, ending in a newline)."""
    return fileformat.dumps(to_document(ds))
