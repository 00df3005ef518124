"""Shapes and colours of the organisation charts (DOT and Mermaid)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["PALETTE", "SHAPES", "category_colours", "chart_edges"]

#: Graphviz node shape per kind of entity.
SHAPES: Final = {"body": "box", "command": "box3d", "division": "note", "mission": "tab"}
#: Fill colours given to categories in alphabetical order (then repeated).
PALETTE: Final = (
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#dbdb8d",
    "#9edae5",
    "#d9d9d9",
    "#fdd0a2",
    "#c7e9c0",
)
#: The fill of entities without a category.
NO_CATEGORY: Final = "#ffffff"


def category_colours(ds: Dataset) -> dict[str, str]:
    """A fill colour for each category in ``ds``, stable for a given set of categories."""
    names = sorted({e.category for e in ds if e.category})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def chart_edges(ds: Dataset) -> list[tuple[str, str]]:
    """The (parent id, child id) edges of the chart, both ends in ``ds``, by child id."""
    present = {e.id for e in ds}
    return [(e.parent_id, e.id) for e in ds if e.parent_id is not None and e.parent_id in present]
