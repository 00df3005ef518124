"""networkx integration (the ``natostruct[graph]`` extra): the reporting lines as a DiGraph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from natostruct.export._optional import require

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["to_networkx"]


def to_networkx(ds: Dataset) -> Any:
    """A DiGraph keyed by entity id, with edges from parent to child.

    Nodes carry ``name``, ``abbreviation``, ``kind``, ``category`` and
    ``country`` (the HQ's alpha-2 code); None where unknown.

    Raises:
        ImportError: networkx is not installed (``pip install natostruct[graph]``).
    """
    nx = require("networkx", "graph", "to_networkx()")
    graph = nx.DiGraph()
    for entity in ds:
        graph.add_node(
            entity.id,
            name=entity.name,
            abbreviation=entity.abbreviation,
            kind=entity.kind,
            category=entity.category,
            country=None if entity.location is None else entity.location.country,
        )
    for entity in ds:
        if entity.parent_id is not None and entity.parent_id in graph:
            graph.add_edge(entity.parent_id, entity.id)
    return graph
