"""Mermaid export: the organisation chart as a ``flowchart TD``.

Node ids are the entity ids made Mermaid-safe (``jfc-naples`` becomes
``n_jfc_naples``); the shape follows the kind, a class per category sets the
fill colour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from natostruct.export._style import category_colours, chart_edges

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["node_id", "render"]

# Mermaid node shapes by kind: (opening, closing) around the quoted label.
_SHAPES: Final = {
    "body": ("[", "]"),
    "command": ("[[", "]]"),
    "division": ("(", ")"),
    "mission": ("[/", "/]"),
}
_ENTITIES: Final = str.maketrans(
    {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;"}
)


def node_id(ident: str) -> str:
    """A Mermaid-safe node id for an entity id (never a keyword such as ``end``).

    >>> node_id("jfc-naples")
    'n_jfc_naples'
    """
    return "n_" + "".join(c if c.isalnum() else "_" for c in ident)


def _text(text: str) -> str:
    return text.translate(_ENTITIES)


def render(ds: Dataset) -> str:
    """The Mermaid text of the chart of ``ds``."""
    colours = category_colours(ds)
    classes = {category: f"cat{i}" for i, category in enumerate(colours)}
    lines = ["flowchart TD"]
    for entity in ds:
        label = _text(entity.abbreviation or entity.name)
        if entity.abbreviation:
            label += "<br/>" + _text(entity.name)
        opening, closing = _SHAPES[entity.kind]
        lines.append(f'  {node_id(entity.id)}{opening}"{label}"{closing}')
    lines.extend(f"  {node_id(parent)} --> {node_id(child)}" for parent, child in chart_edges(ds))
    for category, colour in colours.items():
        lines.append(f"  classDef {classes[category]} fill:{colour},stroke:#555")
        members = [node_id(e.id) for e in ds if e.category == category]
        lines.append(f"  class {','.join(members)} {classes[category]}")
    return "\n".join(lines) + "\n"
