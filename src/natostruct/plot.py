"""Charts for notebooks (the ``natostruct[plot]`` extra, matplotlib): each returns its Axes.

- :func:`holders`: a post's holders over time, one bar a term;
- :func:`lifespans`: when entities existed, one bar each;
- :func:`members`: the number of member states by accession;
- :func:`hq_map`: the headquarters on a map of coastlines and borders drawn
  from Natural Earth's 1:110m countries (public domain), shipped with the
  package, so the map needs no network; headquarters sharing a site are one
  point, labelled once.

What the sources leave in doubt is drawn as such: the part of a term or a
lifespan that only may have held is pale, the part that surely held solid.
Every chart has a title and labelled axes or a legend.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from natostruct.dates import Holds
from natostruct.export._optional import require

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from natostruct.dataset import Dataset
    from natostruct.model import Entity, Holder, MemberState

__all__ = ["SURE", "UNSURE", "holders", "hq_map", "lifespans", "members"]

#: The colour of what surely held, and of what only may have held.
SURE: Final = "#1f77b4"
UNSURE: Final = "#aec7e8"
_WIDTH: Final = 9.0  # inches: a notebook column at 100 dpi
_NAMED: Final = 4  # accessions of more states at once are counted, not named
_CLEAR: Final = 1.2  # degrees of latitude a label keeps from another (twice that in longitude)


def _pyplot() -> Any:
    return require("matplotlib.pyplot", "plot", "natostruct.plot")


def _axes(ax: Any, height: float) -> Any:
    if ax is not None:
        return ax
    _, made = _pyplot().subplots(figsize=(_WIDTH, height), dpi=100)
    return made


def _bar(ax: Any, row: int, start: dt.date, end: dt.date, colour: str) -> None:
    if end > start:
        ax.barh(row, (end - start).days, left=start, height=0.6, color=colour)


def _spans(
    start: dt.date | None, sure_from: dt.date | None, sure_until: dt.date | None, end: dt.date
) -> list[tuple[dt.date, dt.date, str]]:
    """The pale and solid stretches of a span that may begin at ``start`` and last to ``end``."""
    first = start or sure_from or end
    spans = []
    if sure_from is None or sure_until is None or sure_until <= sure_from:
        return [(first, end, UNSURE)]
    spans.append((first, sure_from, UNSURE))
    spans.append((sure_from, sure_until, SURE))
    spans.append((sure_until, end, UNSURE))
    return spans


def _term(holder: Holder, until: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    if holder.start is None:
        return []
    period = holder.period
    first, last = period.possible  # may hold from first, surely not from last
    ends = period.ends
    return _spans(
        first,
        period.begins,
        until if ends is None else min(ends, until),
        until if last is None else min(last, until),
    )


def _legend(ax: Any) -> None:
    patches = require("matplotlib.patches", "plot", "natostruct.plot")
    ax.legend(
        handles=[
            patches.Patch(color=SURE, label="surely"),
            patches.Patch(color=UNSURE, label="may have (dates known to the month or year)"),
        ],
        # Above the plot, under the title: it never hides a bar.
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=2,
        frameon=False,
        fontsize="small",
    )


def holders(ds: Dataset, post: str, ax: Any = None) -> Any:
    """A post's holders over time, one row a holder, oldest at the top.

    ``post`` names it as :meth:`Dataset.who <natostruct.Dataset.who>` does
    (``"SACEUR"``, ``"CMC"``, an entity key). Holders without a start are left
    out: no source places them in time.
    """
    entity, found = ds.post(post)
    until = ds.data_as_of or dt.date.today()
    if entity.disestablished is not None:
        until = min(until, entity.disestablished.last_day)
    placed = [h for h in found.holders if h.start is not None]
    ax = _axes(ax, max(2.5, 0.25 * len(placed) + 1.2))
    for row, holder in enumerate(placed):
        for start, end, colour in _term(holder, until):
            _bar(ax, row, start, end, colour)
    ax.set_yticks(range(len(placed)), [h.name + (" (acting)" if h.acting else "") for h in placed])
    ax.tick_params(axis="y", labelsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("year")
    ax.set_ylabel("holder")
    ax.set_title(f"{found.title} ({entity.abbreviation or entity.name}): holders", pad=22)
    _legend(ax)
    return ax


def lifespans(entities: Iterable[Entity], ax: Any = None, until: dt.date | None = None) -> Any:
    """When each entity existed, one row each, in the order given.

    The solid part is when it surely existed (``Entity.exists_on``), the pale
    part when it only may have; an entity still existing runs to ``until``
    (default today). An entity with no date at all (``Entity.timeless``) has
    a row but no bar: it stands wherever its superior does, and no source
    dates it.
    """
    rows = list(entities)
    last = until or dt.date.today()
    ax = _axes(ax, max(2.5, 0.22 * len(rows) + 1.2))
    for row, entity in enumerate(rows):
        start = entity.established.first_day if entity.established else None
        if start is None and entity.attested is not None:
            earliest = entity.attested.earliest
            start = earliest.first_day if earliest else entity.attested.date.first_day
        end = last if entity.disestablished is None else entity.disestablished.last_day
        if entity.last_attested is not None and entity.last_attested.latest is not None:
            end = entity.last_attested.latest.last_day
        sure_from, sure_until = entity.surely_from, entity.surely_until
        if entity.exists_on(last) is Holds.SURELY:
            sure_until = last
        for first, stop, colour in _spans(start, sure_from, sure_until, end):
            _bar(ax, row, first, stop, colour)
    ax.set_yticks(range(len(rows)), [e.abbreviation or e.name for e in rows])
    ax.tick_params(axis="y", labelsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("year")
    ax.set_ylabel("entity")
    ax.set_title("When each existed", pad=22)
    _legend(ax)
    return ax


def members(states: Sequence[MemberState], ax: Any = None) -> Any:
    """The number of member states over time, a step at each accession, each labelled."""
    ordered = sorted(states, key=lambda m: (m.accession.first_day, m.country))
    ax = _axes(ax, 4.0)
    days = [m.accession.first_day for m in ordered]
    counts = list(range(1, len(ordered) + 1))
    ax.step(days, counts, where="post", color=SURE)
    ax.plot(days, counts, "o", color=SURE, markersize=3)
    seen: dict[dt.date, list[str]] = {}
    for member in ordered:
        seen.setdefault(member.accession.first_day, []).append(member.country)
    for day, codes in seen.items():
        count = counts[days.index(day) + len(codes) - 1]
        text = " ".join(codes) if len(codes) <= _NAMED else f"{len(codes)} states"
        ax.annotate(text, (day, count), xytext=(4, -10), textcoords="offset points", fontsize=7)
    ax.set_xlabel("accession")
    ax.set_ylabel("member states")
    ax.set_title("NATO's member states by accession")
    return ax


def _outline() -> dict[str, Any]:
    text = resources.files("natostruct.mapdata").joinpath("outline.json").read_text("utf-8")
    outline: dict[str, Any] = json.loads(text)
    return outline


def hq_map(ds: Dataset, ax: Any = None) -> Any:
    """The headquarters of ``ds`` with coordinates, on coastlines and borders.

    Entities of one city (the many bodies at NATO HQ in Brussels) are one
    marker, sized by their number and labelled once with the city and how
    many there are; a label that would fall on a bigger site's is left out.
    """
    outline = _outline()
    ax = _axes(ax, 6.0)
    for ring in outline["rings"]:
        xs, ys = zip(*ring, strict=True)
        ax.fill(xs, ys, facecolor="#f2efe6", edgecolor="#999999", linewidth=0.4)
    sites: dict[tuple[str, str], list[Entity]] = {}
    for entity in ds:
        place = entity.location
        if place is None or place.latitude is None or place.longitude is None:
            continue
        sites.setdefault((place.country, place.city or ""), []).append(entity)
    points = {
        key: (
            sum(e.location.longitude for e in found if e.location and e.location.longitude)
            / len(found),
            sum(e.location.latitude for e in found if e.location and e.location.latitude)
            / len(found),
        )
        for key, found in sites.items()
    }
    labelled: list[tuple[float, float]] = []
    for key, found in sorted(sites.items(), key=lambda item: (-len(item[1]), item[0])):
        lon, lat = points[key]
        ax.scatter([lon], [lat], s=12 + 6 * len(found), color=SURE, alpha=0.75, zorder=3)
        city = key[1]
        label = f"{city} ({len(found)})" if len(found) > 1 else (found[0].abbreviation or city)
        # A label goes where no bigger site's label already is: no pile-up at Brussels.
        if all(abs(lon - x) > _CLEAR * 2 or abs(lat - y) > _CLEAR for x, y in labelled):
            labelled.append((lon, lat))
            ax.annotate(label, (lon, lat), xytext=(3, 3), textcoords="offset points", fontsize=7)
    lons = [lon for lon, _ in points.values()] or [0.0]
    lats = [lat for _, lat in points.values()] or [50.0]
    ax.set_xlim(min(lons) - 4, max(lons) + 4)
    ax.set_ylim(min(lats) - 3, max(lats) + 3)
    ax.set_aspect(1.4)
    ax.set_xlabel("longitude (°)")
    ax.set_ylabel("latitude (°)")
    when = (
        "of the whole history (each body's last seat)"
        if ds.date is None
        else (f"on {ds.date.isoformat()}")
    )
    ax.set_title(f"Headquarters {when}: a marker per city, with the number of bodies there")
    ax.annotate(
        "Map: Natural Earth (public domain)",
        (0.99, 0.01),
        xycoords="axes fraction",
        ha="right",
        fontsize=6,
        color="#777777",
    )
    return ax
