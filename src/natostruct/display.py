"""HTML for notebooks: a card for an entity, a tree for a Dataset, a table for a result.

Entities, Datasets and query results (:class:`~natostruct.reprs.Results`) show
these through ``_repr_html_``: an entity as a card (with its subordinates,
its head post's holders over time and its sources as links), a Dataset or
view as a collapsible tree (:func:`tree_html`), a result as a table. The
flat table of a Dataset is :func:`dataset_html`::

    from IPython.display import HTML
    HTML(dataset_html(ds.as_of("1990")))

Every piece of text from the data is HTML-escaped. On an ``as_of`` view,
the card and the table say what the sources leave in doubt that day: a value
in doubt is marked ``?`` (its candidates on hover in the table, in a row of
the card), an entity whose superior is not recorded that day says so, and the
table names the day, the day the data was last checked, and the entities
that may have existed that day but are not shown.

>>> import natostruct
>>> "<table" in dataset_html(natostruct.dataset().as_of("2025-12-31"))
True
>>> "<details" in tree_html(natostruct.dataset().subset("act"))
True
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Final, cast

from natostruct.errors import NoDatasetError
from natostruct.model import ENTITY_CLASSES
from natostruct.reprs import compact_fields
from natostruct.text import person, place

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from natostruct.dataset import Dataset
    from natostruct.model import Doubt, Entity, Source
    from natostruct.tree import TreeNode

__all__ = [
    "MAX_HOLDERS",
    "MAX_ROWS",
    "dataset_html",
    "dates_text",
    "entities_html",
    "entity_html",
    "results_html",
    "tree_html",
    "web_address",
]

#: The most rows a table shows, and entities a tree shows; a note says how many were left out.
MAX_ROWS: Final = 200
#: The most holders a card lists (the latest); a note counts the others.
MAX_HOLDERS: Final = 12
#: The URL schemes a source link may have: anything else is shown as text.
_LINKED: Final = ("https://", "http://")

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


#: The column of the table, and the row of the card, each doubted field shows in.
_DOUBTED: Final = {"name": "name", "parent_id": "parent", "location": "HQ", "head": "head"}


def _view(entity: Entity) -> Dataset | None:
    """The ``as_of`` view the entity was taken from, or None."""
    try:
        ds = entity.dataset
    except NoDatasetError:
        return None
    return ds if ds.date is not None else None


def _doubts(entity: Entity) -> dict[str, Doubt]:
    """The entity's doubts in its view, by the column they mark."""
    view = _view(entity)
    if view is None:
        return {}
    return {_DOUBTED.get(d.field, d.field): d for d in view.doubts(entity.id)}


def _hq(entity: Entity) -> str:
    return "" if entity.location is None else place(entity.location)


def _parent_text(entity: Entity, unplaced: frozenset[str] = frozenset()) -> str:
    if entity.id in unplaced:
        return "not recorded that day"
    try:
        parent = entity.parent
    except NoDatasetError:  # not linked to a Dataset: show the id
        return entity.parent_id or ""
    if parent is None:
        return entity.parent_id or ""
    return parent.abbreviation or parent.name


def _unplaced(view: Dataset | None) -> frozenset[str]:
    return frozenset() if view is None else frozenset(e.id for e in view.superior_unknown())


def _day_line(view: Dataset) -> str:
    """The day of a view and the day its data was last checked, as the CLI tree opens."""
    cut = view.data_as_of
    text = f"As of {view.date}"
    if cut is not None:
        text += f"; data checked to {cut}"
        if view.beyond_data:
            text += ": later changes are not in it"
    return text + "."


def dates_text(entity: Entity) -> str:
    """``1951 – 1994-07-01``; a bound stands in for an unknown start or end (``by 1962``)."""
    bound = entity.attested if entity.established is None else None
    start = str(entity.established) if entity.established else "?"
    if bound is not None:
        start = f"by {bound.date}"
    end = str(entity.disestablished) if entity.disestablished else ""
    last = entity.last_attested
    if last is not None:
        end = f"after {last.date}" + ("" if last.latest is None else f", by {last.latest}")
    if end:
        return f"{start} – {end}"
    return f"since {start}" if bound is None else f"known from {bound.date}"


def entity_html(entity: Entity) -> str:
    """A compact HTML card for one entity.

    Shows its name and abbreviation, kind and category, family, HQ and other
    sites, framework nations, accreditation, dates, head post and its most
    recent holder, and parent. An entity of an ``as_of`` view
    also shows the day, and each value the sources leave in doubt that day
    with its candidates.
    """
    view = _view(entity)
    doubts = _doubts(entity)
    rows: list[tuple[str, str]] = [
        ("day", "" if view is None else _day_line(view)),
        ("kind", entity.kind + (f" · {entity.category}" if entity.category else "")),
        ("family", entity.family or ""),
        ("organization", entity.organization),
        ("HQ", _hq(entity)),
        ("other sites", "; ".join(place(s) for s in entity.other_sites)),
        ("framework nations", ", ".join(n.country for n in entity.framework_nations)),
        ("accredited", "" if entity.accredited is None else str(entity.accredited.date)),
        ("dates", dates_text(entity)),
    ]
    head = entity.head
    if head is not None:
        holder = head.holder
        title = head.title + (f" ({head.abbreviation})" if head.abbreviation else "")
        # Vacant only where a source says so that day (a view keeps that day's
        # vacancies); otherwise the data is silent. The whole history names no day.
        vacant = view is not None and bool(head.vacancies)
        who = holder.name if holder is not None else "vacant" if vacant else "not recorded"
        if holder is None and "head" in doubts:
            who = "in doubt"  # the candidates follow in their own row
        if holder is not None:
            who = person(holder.name, holder.rank)
        rows.append(("head", f"{title}: {who}"))
    rows.append(("parent", _parent_text(entity, _unplaced(view)) or "—"))
    if view is not None:
        rows.extend(
            (f"{column} ?", "in doubt: " + " or ".join(d.candidates))
            for column, d in doubts.items()
        )
    below = _children(entity)
    if below:
        rows.append(("subordinates", ", ".join(e.abbreviation or e.name for e in below)))
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
        f"<td style='text-align:left'>{escape(v)}</td></tr>"
        for k, v in rows
        if v
    )
    body += _holders_rows(entity) + _sources_row(entity)
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


def _children(entity: Entity) -> tuple[Entity, ...]:
    try:
        return entity.children
    except NoDatasetError:  # not linked to a Dataset: nothing to resolve
        return ()


def _holders_rows(entity: Entity) -> str:
    """The head post's holders over time, the latest last; on a view, those of the day."""
    head = entity.head
    if head is None or not head.holders:
        return ""
    holders = head.holders[-MAX_HOLDERS:]
    lines = "".join(
        f"<div>{escape(str(h.period))} {escape(h.name)}{' (acting)' if h.acting else ''}</div>"
        for h in holders
    )
    left = len(head.holders) - len(holders)
    if left:
        lines = f"<div style='color:#777'>… {left} earlier</div>" + lines
    return (
        "<tr><th style='text-align:left;padding-right:1em;vertical-align:top'>holders</th>"
        f"<td style='text-align:left'>{lines}</td></tr>"
    )


def web_address(source: Source) -> str | None:
    """The source's URL if it is a web address (http or https), the only kind linked."""
    url = source.url
    return url if url is not None and url.startswith(_LINKED) else None


def _link(source: Source) -> str:
    """A source as a link where its URL is a web address, else as its title."""
    title = escape(source.title)
    url = web_address(source)
    if url is not None:
        return f"<a href=\"{escape(url, quote=True)}\" target='_blank' rel='noopener'>{title}</a>"
    return title


def _sources_row(entity: Entity) -> str:
    sources = entity.sources
    if not sources:
        return ""
    links = "".join(f"<li>{_link(s)}</li>" for s in sources)
    return (
        "<tr><th style='text-align:left;padding-right:1em;vertical-align:top'>sources</th>"
        f"<td style='text-align:left'><ul style='margin:0;padding-left:1.2em'>{links}</ul>"
        "</td></tr>"
    )


def _cell(text: str, doubt: Doubt | None) -> str:
    if doubt is None:
        return f"<td style='text-align:left'>{escape(text)}</td>"
    candidates = escape("in doubt: " + " or ".join(doubt.candidates), quote=True)
    return f"<td style='text-align:left' title=\"{candidates}\">{escape(text)} ?</td>"


def _row(entity: Entity, unplaced: frozenset[str]) -> tuple[str, bool]:
    """The row of an entity, and whether it marks a value in doubt."""
    doubts = {column: d for column, d in _doubts(entity).items() if column in _COLUMNS}
    cells = {
        "id": entity.id,
        "abbreviation": entity.abbreviation or "",
        "name": entity.name,
        "kind": entity.kind,
        "category": entity.category or "",
        "HQ": _hq(entity),
        "parent": _parent_text(entity, unplaced),
        "established": str(entity.established or ""),
        "disestablished": str(entity.disestablished or ""),
    }
    tds = "".join(_cell(cells[column], doubts.get(column)) for column in _COLUMNS)
    return f"<tr>{tds}</tr>", bool(doubts)


def _note(text: str) -> str:
    return f"<p class='natostruct-note'>{escape(text)}</p>"


def _table(entities: tuple[Entity, ...], caption: str, view: Dataset | None = None) -> str:
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in _COLUMNS)
    unplaced = _unplaced(view)
    rows = [_row(e, unplaced) for e in entities[:MAX_ROWS]]
    body = "".join(row for row, _ in rows)
    before, after = [], []
    if view is not None:
        marked = any(doubted for _, doubted in rows)
        legend = " Marked ?: in doubt that day (hover for the candidates)." if marked else ""
        before.append(_day_line(view) + legend)
        maybe = view.uncertain()
        if maybe:
            names = ", ".join(e.abbreviation or e.name for e in maybe)
            before.append(f"Not shown, as they may not have existed that day: {names}.")
    if len(entities) > MAX_ROWS:
        after.append(f"Showing the first {MAX_ROWS} of {len(entities)} entities.")
    return (
        f"<div class='natostruct-table'>{''.join(_note(n) for n in before)}"
        f"<table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f"{''.join(_note(n) for n in after)}</div>"
    )


def tree_html(ds: Dataset) -> str:
    """A collapsible tree of a Dataset (at most :data:`MAX_ROWS` entities), as ``tree`` prints it.

    Headed by the day and the day the data was last checked; an entity that
    only may have existed that day is marked ``?``, a value in doubt names
    its candidates on hover, and the entities whose superior is not recorded
    that day come last, under their own heading. The top levels are open.
    """
    from natostruct.tree import DOUBT_WORDS, count, tree  # noqa: PLC0415 (notebooks only)

    nodes = tree(ds)
    shown = [0]

    def item(node: TreeNode, level: int) -> str:
        if shown[0] >= MAX_ROWS:
            return ""
        shown[0] += 1
        text = f"<b>{escape(node['abbreviation'] or '')}</b> {escape(node['name'])}"
        if node["city"]:
            text += f" <span style='color:#777'>({escape(node['city'])})</span>"
        if not node["certain"]:
            text += " <span title='may not have existed that day' style='color:#b00'>?</span>"
        for field, candidates in node["doubts"].items():
            hover = escape("in doubt: " + " or ".join(candidates), quote=True)
            word = escape(DOUBT_WORDS.get(field, field))
            text += f" <span title=\"{hover}\" style='color:#b00'>[{word} in doubt]</span>"
        children = node["children"]
        if not children:
            return f"<li>{text}</li>"
        inner = "".join(item(child, level + 1) for child in children)
        below = f" <span style='color:#777'>· {count(children)} below</span>"
        opened = " open" if level < 1 else ""
        return (
            f"<li><details{opened}><summary>{text}{below}</summary>"
            f"<ul style='list-style:none;padding-left:1.2em;margin:0'>{inner}</ul></details></li>"
        )

    placed = "".join(item(n, 0) for n in nodes if n["superior_known"])
    loose = [n for n in nodes if not n["superior_known"]]
    if loose:
        inner = "".join(item(n, 1) for n in loose)
        placed += (
            f"<li><details><summary><i>Superior not recorded on this day</i> "
            f"<span style='color:#777'>· {count(loose)}</span></summary>"
            f"<ul style='list-style:none;padding-left:1.2em;margin:0'>{inner}</ul></details></li>"
        )
    head = (
        _day_line(ds)
        if ds.date is not None
        else "The whole history, by the latest reporting lines."
    )
    if ds.date is not None:
        head += (
            " Marked ?: may not have existed that day; hover over [… in doubt] for the candidates."
        )
    total = count(nodes)
    after = (
        f"Showing {MAX_ROWS} of {total} entities: a branch shows whole with subset()."
        if total > MAX_ROWS
        else ""
    )
    return (
        f"<div class='natostruct-tree' style='font-family:sans-serif'>{_note(head)}"
        f"<ul style='list-style:none;padding-left:0;margin:0'>{placed}</ul>"
        f"{_note(after) if after else ''}</div>"
    )


def dataset_html(ds: Dataset) -> str:
    """An HTML table of a Dataset's entities (at most :data:`MAX_ROWS` rows).

    On an ``as_of`` view it also names the day and what is in doubt that day.
    """
    return _table(ds.all(), repr(ds).strip("<>"), ds if ds.date is not None else None)


def entities_html(entities: Iterable[Entity]) -> str:
    """An HTML table of entities, e.g. a query result (at most :data:`MAX_ROWS` rows)."""
    found = tuple(entities)
    count = len(found)
    return _table(found, f"{count} entit{'y' if count == 1 else 'ies'}")


def _text(value: object) -> str:
    """A field as a table cell shows it: a date as written, a collection by its size."""
    if value is None or value is False:
        return ""
    if isinstance(value, tuple):
        if value and not isinstance(value[0], str):
            return str(len(value))
        return ", ".join(value)
    return str(value)


def results_html(items: Sequence[object]) -> str:
    """An HTML table of a query's result (at most :data:`MAX_ROWS` rows).

    Entities get the entity table; other records and values a column for
    each field their one-line repr shows.

    >>> import natostruct
    >>> "<th style='text-align:left'>accession</th>" in results_html(natostruct.members())
    True
    """
    if items and all(isinstance(item, ENTITY_CLASSES) for item in items):
        return entities_html(cast("Sequence[Entity]", items))
    kinds = sorted({type(item).__name__ for item in items})
    columns = compact_fields(type(items[0])) if len(kinds) == 1 else ()
    head = "".join(f"<th style='text-align:left'>{escape(c)}</th>" for c in columns)
    rows = "".join(
        "<tr>"
        + (
            "".join(
                f"<td style='text-align:left'>{escape(_text(getattr(item, c)))}</td>"
                for c in columns
            )
            or f"<td style='text-align:left'>{escape(repr(item))}</td>"
        )
        + "</tr>"
        for item in items[:MAX_ROWS]
    )
    count = len(items)
    caption = f"{count} {' or '.join(kinds) or 'results'}"
    after = f"Showing the first {MAX_ROWS} of {count}." if count > MAX_ROWS else ""
    return (
        f"<div class='natostruct-table'><table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        f"{_note(after) if after else ''}</div>"
    )
