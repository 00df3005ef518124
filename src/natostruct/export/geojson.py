"""GeoJSON export: a FeatureCollection of HQ points (RFC 7946).

Only entities whose HQ has coordinates appear; coordinates are
``[longitude, latitude]`` in WGS84, as GeoJSON requires.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from natostruct.export._columns import entity_row

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["render", "to_feature_collection"]


def to_feature_collection(ds: Dataset) -> dict[str, Any]:
    """The FeatureCollection as JSON-ready data."""
    features: list[dict[str, Any]] = []
    for entity in ds:
        location = entity.location
        if location is None or location.latitude is None or location.longitude is None:
            continue
        properties = entity_row(entity)
        properties.pop("latitude")
        properties.pop("longitude")
        properties["basis"] = location.basis
        features.append(
            {
                "type": "Feature",
                "id": entity.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [location.longitude, location.latitude],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def render(ds: Dataset) -> str:
    """The GeoJSON text for ``ds``."""
    return json.dumps(to_feature_collection(ds), ensure_ascii=False, indent=2) + "\n"
