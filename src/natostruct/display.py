"""HTML for notebooks: a card for an entity, a table for a Dataset or a query result.

Entities and Datasets show these through ``_repr_html_``. A query result is
a plain tuple, which cannot carry a ``_repr_html_``; show it with
:func:`entities_html`::

    from IPython.display import HTML
    HTML(entities_html(ds.filter(kind="command")))

Every piece of text from the data is HTML-escaped.

>>> import natostruct
>>> "<table" in dataset_html(natostruct.dataset().as_of("2025-12-31"))
True
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Final

from natostruct.errors import NoDatasetError
from natostruct.text import place

if TYPE_CHECKING:
    from collections.abc import Iterable

    from natostruct.dataset import Dataset
    from natostruct.model import Entity

__all__ = ["MAX_ROWS", "dataset_html", "entities_html", "entity_html"]

#: The most rows a table shows; a note says how many were left out.
MAX_ROWS: Final = 200

_CARD_STYLE: Final = (
    "border:1px solid #bbb;border-radius:6px;padding:8px 12px;"
    "display:inline-block;min-width:20em;font-family:sans-serif"
)
_COLUMNS: Final = (
    "id",
    "abbreviation",
    "name",
    "kind",
    "category",
    "HQ",
    "parent",
    "established",
    "disestablished",
)


def _hq(entity: Entity) -> str:
    return "" if entity.location is None else place(entity.location)


def _parent_text(entity: Entity) -> str:
    try:
        parent = entity.parent
    except NoDatasetError:  # not linked to a Dataset: show the id
        return entity.parent_id or ""
    if parent is None:
        return entity.parent_id or ""
    return parent.abbreviation or parent.name


def _dates(entity: Entity) -> str:
    start = str(entity.established) if entity.established else "?"
    end = str(entity.disestablished) if entity.disestablished else ""
    return f"{start} – {end}".rstrip() if end else f"since {start}"


def entity_html(entity: Entity) -> str:
    """A compact HTML card for one entity.

    Shows its name and abbreviation, kind and category, HQ, dates, head post
    and its most recent holder, and parent.
    """
    rows: list[tuple[str, str]] = [
        ("kind", entity.kind + (f" · {entity.category}" if entity.category else "")),
        ("organization", entity.organization),
        ("HQ", _hq(entity)),
        ("dates", _dates(entity)),
    ]
    head = entity.head
    if head is not None:
        holder = head.holder
        title = head.title + (f" ({head.abbreviation})" if head.abbreviation else "")
        # Vacant only where a source says so; otherwise the data is silent.
        who = holder.name if holder is not None else "vacant" if head.vacancies else "not recorded"
        if holder is not None and holder.rank:
            who = f"{holder.rank} {who}"
        rows.append(("head", f"{title}: {who}"))
    rows.append(("parent", _parent_text(entity) or "—"))
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
        f"<td style='text-align:left'>{escape(v)}</td></tr>"
        for k, v in rows
        if v
    )
    abbreviation = (
        f"<span style='color:#555'>{escape(entity.abbreviation)}</span> "
        if entity.abbreviation
        else ""
    )
    return (
        f"<div class='natostruct-entity' style='{_CARD_STYLE}'>"
        f"<div style='font-size:1.1em;font-weight:bold'>{abbreviation}{escape(entity.name)}</div>"
        f"<div style='color:#777;font-size:0.85em'>{escape(entity.id)}</div>"
        f"<table style='margin-top:4px'>{body}</table></div>"
    )


def _row(entity: Entity) -> str:
    cells = (
        entity.id,
        entity.abbreviation or "",
        entity.name,
        entity.kind,
        entity.category or "",
        _hq(entity),
        _parent_text(entity),
        str(entity.established or ""),
        str(entity.disestablished or ""),
    )
    tds = "".join(f"<td style='text-align:left'>{escape(c)}</td>" for c in cells)
    return f"<tr>{tds}</tr>"


def _table(entities: tuple[Entity, ...], caption: str) -> str:
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in _COLUMNS)
    body = "".join(_row(e) for e in entities[:MAX_ROWS])
    note = ""
    if len(entities) > MAX_ROWS:
        note = (
            f"<p class='natostruct-note'>Showing the first {MAX_ROWS} of "
            f"{len(entities)} entities.</p>"
        )
    return (
        f"<div class='natostruct-table'><table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}</div>"
    )


def dataset_html(ds: Dataset) -> str:
    """An HTML table of a Dataset's entities (at most :data:`MAX_ROWS` rows)."""
    return _table(ds.all(), repr(ds).strip("<>"))


def entities_html(entities: Iterable[Entity]) -> str:
    """An HTML table of entities, e.g. a query result (at most :data:`MAX_ROWS` rows)."""
    found = tuple(entities)
    count = len(found)
    return _table(found, f"{count} entit{'y' if count == 1 else 'ies'}")
