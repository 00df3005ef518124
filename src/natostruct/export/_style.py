"""Shapes and colours of the organisation charts (DOT and Mermaid)."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from natostruct.dataset import Dataset

__all__ = ["CATEGORY_COLOURS", "NO_CATEGORY", "SHAPES", "category_colours", "chart_edges"]

#: Graphviz node shape per kind of entity.
SHAPES: Final = {"body": "box", "command": "box3d", "division": "note", "mission": "tab"}
#: The fill colour of each category of :data:`natostruct.model.CATEGORIES`, fixed, so
#: that a category has the same colour in every chart and every year. The colours
#: come in shades of one hue, four to a hue, in the list's order.
CATEGORY_COLOURS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # the Council, its committees and its staffs
        "political body": "#8ebadb",
        "committee": "#aed2e8",
        "board": "#cae2ee",
        "office": "#e0ebf6",
        "staff": "#f1a27a",
        "military body": "#fec094",
        "military staff": "#fed2ae",
        "division": "#fee5cc",
        "integrated entity": "#8ecca1",
        "liaison office": "#b3dfb4",
        "regional centre": "#cbeac8",
        # the command structure
        "strategic command": "#e0f3dc",
        "operational command": "#b3aed4",
        "component command": "#cac7e1",
        "training command": "#dadbec",
        "operational headquarters": "#ebebf4",
        "air operations centre": "#a9a9a9",
        "area command": "#c5c5c5",
        "sub-area command": "#dbdbdb",
        "island command": "#eaeaea",
        "joint sub-regional command": "#9293b5",
        "army group headquarters": "#a0a1cc",
        "tactical air force headquarters": "#aeafe5",
        "operations centre": "#c9caed",
        "maritime subordinate command": "#a9b592",
        "signal battalion": "#c0cca0",
        "force integration unit": "#d6e5ae",
        "ballistic missile defence site": "#e4ebc9",
        # the force structure
        "corps headquarters": "#c0af8e",
        "division headquarters": "#dbca92",
        "maritime headquarters": "#f2d9a0",
        "air component headquarters": "#f2e2c4",
        "standing naval group": "#bb9492",
        "naval force": "#d29b9b",
        # agencies and organisations
        "agency": "#e8a8ae",
        "agency programme": "#f2c5c9",
        "production and logistics organisation": "#b696b2",
        "research organisation": "#ce9fc4",
        "research centre": "#e4afdb",
        "school": "#edcae8",
        "training centre": "#84b4d6",
        "multinational force": "#d2e0f2",
        "flying unit": "#ffb97a",
        "innovation accelerator": "#ffdab5",
        "venture capital fund": "#8bcb8b",
        "parliamentary assembly": "#c6edbf",
        "centre of excellence": "#e88889",
        # missions to NATO
        "permanent mission": "#ffc6c5",
        "military representation": "#c4abdb",
        "partner mission": "#dfd4e8",
    }
)
#: The fill of entities without a category, or with one outside the list (user data).
NO_CATEGORY: Final = "#ffffff"


def category_colours(ds: Dataset) -> dict[str, str]:
    """The fill colour of each category in ``ds`` (the fixed table's, or NO_CATEGORY), by name."""
    names = sorted({e.category for e in ds if e.category})
    return {name: CATEGORY_COLOURS.get(name, NO_CATEGORY) for name in names}


def chart_edges(ds: Dataset) -> list[tuple[str, str]]:
    """The (parent id, child id) edges of the chart, both ends in ``ds``, by child id."""
    present = {e.id for e in ds}
    return [(e.parent_id, e.id) for e in ds if e.parent_id is not None and e.parent_id in present]
