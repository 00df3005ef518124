"""The flat columns shared by the CSV export and the DataFrame."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from natostruct.model import Entity

__all__ = ["COLUMNS", "Value", "entity_row"]

#: One row per entity: these columns, in this order (``id`` is the DataFrame's index).
COLUMNS: Final = (
    "id",
    "kind",
    "name",
    "abbreviation",
    "category",
    "organization",
    "parent_id",
    "established",
    "disestablished",
    "city",
    "site",
    "country",
    "latitude",
    "longitude",
    "head_title",
    "head_holder",
    "website",
)

#: A cell: text, a coordinate, or missing.
Value = str | float | None


def entity_row(entity: Entity) -> dict[str, Value]:
    """The flat row of one entity, keyed by :data:`COLUMNS` (None where unknown).

    ``head_holder`` is the head post's most recent holder recorded; in an
    ``as_of`` view that is the holder on the view's day.
    """
    location = entity.location
    head = entity.head
    holder = head.holder if head is not None else None
    return {
        "id": entity.id,
        "kind": entity.kind,
        "name": entity.name,
        "abbreviation": entity.abbreviation,
        "category": entity.category,
        "organization": entity.organization,
        "parent_id": entity.parent_id,
        "established": None if entity.established is None else str(entity.established),
        "disestablished": None if entity.disestablished is None else str(entity.disestablished),
        "city": None if location is None else location.city,
        "site": None if location is None else location.site,
        "country": None if location is None else location.country,
        "latitude": None if location is None else location.latitude,
        "longitude": None if location is None else location.longitude,
        "head_title": None if head is None else head.title,
        "head_holder": None if holder is None else holder.name,
        "website": entity.website,
    }
