"""Graphviz DOT export: the organisation chart, left to right, edges from parent to child.

Node shape follows the kind (body, command, division, mission), fill colour
the category (one fixed colour each, ``CATEGORY_COLOURS``); disestablished
entities (in a whole-history export) are dashed and grey. A legend box names
the categories shown. Render with ``dot -Tsvg chart.dot -o chart.svg``, or
call :meth:`Dataset.to_svg <natostruct.Dataset.to_svg>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from natostruct.export._style import NO_CATEGORY, SHAPES, category_colours, chart_edges
from natostruct.text import span

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["quote", "render"]


def quote(text: str) -> str:
    r"""``text`` as a DOT double-quoted string (backslashes and quotes escaped).

    >>> quote('say "hi"\\')
    '"say \\"hi\\"\\\\"'
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def render(ds: Dataset) -> str:
    """The DOT text of the chart of ``ds``."""
    colours = category_colours(ds)
    lines = [
        "digraph natostruct {",
        f"  graph [rankdir=LR, fontname=Helvetica, label={quote(_title(ds))}, labelloc=t];",
        '  node [fontname=Helvetica, fontsize=10, style="filled"];',
        "  edge [arrowsize=0.6];",
    ]
    for category, colour in colours.items():
        lines.append(f"  // category {quote(category)}: {colour}")
    for entity in ds:
        label = entity.name
        if entity.abbreviation:
            label = f"{entity.abbreviation}\n{entity.name}"
        if entity.location is not None and entity.location.city:
            label += f"\n({entity.location.city})"
        fill = colours.get(entity.category or "", NO_CATEGORY)
        style = '"filled"'
        if entity.ended and ds.date is None:
            style, fill = '"filled,dashed"', "#eeeeee"
        attributes = [
            f"label={quote(label)}",
            f"shape={SHAPES[entity.kind]}",
            f"fillcolor={quote(fill)}",
            f"style={style}",
            f"tooltip={quote(entity.category or entity.kind)}",
        ]
        lines.append(f"  {quote(entity.id)} [{', '.join(attributes)}];")
    lines.extend(f"  {quote(parent)} -> {quote(child)};" for parent, child in chart_edges(ds))
    lines.extend(_legend(colours, ended=ds.date is None and any(e.ended for e in ds)))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(colours: dict[str, str], *, ended: bool) -> list[str]:
    """A box of the categories the chart shows, each in its colour (and the ended style)."""
    if not colours and not ended:
        return []
    lines = [
        "  subgraph cluster_legend {",
        '    label="Legend"; fontsize=10; style="rounded"; color="#999999";',
        '    node [shape=box, style="filled", fontsize=9, width=0, height=0];',
    ]
    for index, (category, colour) in enumerate(colours.items()):
        key = quote(f"legend {index}")
        lines.append(f"    {key} [label={quote(category)}, fillcolor={quote(colour)}];")
    if ended:
        key = quote("legend ended")
        lines.append(
            f'    {key} [label="ended (dashed)", style="filled,dashed", fillcolor="#eeeeee"];'
        )
    # Unlinked, the legend's nodes share the first rank: one column, left to right.
    lines.append("  }")
    return lines


def _title(ds: Dataset) -> str:
    return f"NATO structure ({span(ds.date)})"
