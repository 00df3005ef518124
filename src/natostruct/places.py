"""Where a record came from: its file and its label there, for the problems found in it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from natostruct.model import Record

__all__ = ["Placed", "record_label"]


class Placed(NamedTuple):
    """A record and where it came from: its file and its record label.

    A named tuple, not an attrs class: a load makes one per record, and a
    tuple costs a tenth as much to make.
    """

    file: str
    label: str
    record: Record


def record_label(index: int, record: Record | Mapping[str, object]) -> str:
    """The record's key: ``jfc-naples``, ``fr``, ``az:PfP``, or ``#3`` without one."""
    if not isinstance(record, Mapping):
        return record.id
    ident, country, framework = record.get("id"), record.get("country"), record.get("framework")
    if isinstance(ident, str) and ident:
        return ident
    if isinstance(country, str) and country:
        if record.get("kind") == "partnership" and isinstance(framework, str) and framework:
            return f"{country.lower()}:{framework}"
        return country.lower()
    return f"#{index}"
