"""Typed change records: what changed between two days, and one entity's history.

A :class:`Change` is dated by the first day on which it shows in
:meth:`Dataset.as_of <natostruct.Dataset.as_of>` views, so that ``diff`` and
``history`` always agree with ``as_of``. Views show what surely holds (see
:class:`~natostruct.Period`). For a day-precise date that is the date the
source gives. A partial start shows on its last day: ``established: "1963"``
shows on 1963-12-31. A partial end shows on its first day:
``disestablished: "2012"`` is no longer shown from 2012-01-01. ``detail``
keeps the date as the source gave it.

>>> import natostruct
>>> natostruct.dataset().history("jwc")[0].type
'added'
"""

from __future__ import annotations

import datetime as dt
import heapq
from typing import TYPE_CHECKING, Final, Literal, TypeVar

import attrs

from natostruct.dates import ONE_DAY, Holds, PartialDate
from natostruct.reprs import compact
from natostruct.text import label

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from natostruct.dataset import Dataset
    from natostruct.model import Entity, Post

__all__ = ["CHANGE_TYPES", "Change", "ChangeType", "diff", "history"]

#: The kinds of change, in the order changes on one day are listed.
ChangeType = Literal["added", "renamed", "reparented", "head_changed", "removed"]
CHANGE_TYPES: Final[tuple[ChangeType, ...]] = (
    "added",
    "renamed",
    "reparented",
    "head_changed",
    "removed",
)
_ORDER: Final = {name: index for index, name in enumerate(CHANGE_TYPES)}
_T = TypeVar("_T")


@compact("date", "type", "entity_id", "before", "after", "certain")
@attrs.frozen(kw_only=True, repr=False)
class Change:
    """One change to one entity on one day.

    ``before`` and ``after`` depend on ``type``: the entity's label
    (``"IMS — International Military Staff"``) for ``added`` (after only),
    ``removed`` (before only) and ``renamed``; the parent's id for
    ``reparented`` (None at the top); the name of the head post's holder for
    ``head_changed`` (None when vacant; where terms overlap, the holder who
    took post last, as :attr:`Post.holder <natostruct.Post.holder>` picks). ``detail`` is
    one readable sentence.
    """

    date: dt.date
    type: ChangeType
    entity_id: str
    before: str | None = None
    after: str | None = None
    detail: str = ""
    #: The date of the event as the source gives it (``"1951"``), where one does.
    source_date: PartialDate | None = None
    #: False where the source dates the event only to the month or year, so
    #: that ``date`` is the first day the change is sure, not the day it happened.
    certain: bool = True

    def __str__(self) -> str:
        return f"{self.date.isoformat()}  {self.type:<12}  {self.entity_id}: {self.detail}"

    def to_dict(self) -> dict[str, str | bool | None]:
        """The change as JSON-ready data (the CLI's ``--json`` form)."""
        return {
            "date": self.date.isoformat(),
            "type": self.type,
            "entity_id": self.entity_id,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
            "source_date": None if self.source_date is None else str(self.source_date),
            "certain": self.certain,
        }


def _sort_key(change: Change) -> tuple[dt.date, int, str]:
    return (change.date, _ORDER[change.type], change.entity_id)


# --- the state of one entity on one day, read exactly as ``as_of`` reads it ----------


def _name_on(entity: Entity, day: dt.date) -> str:
    return label(*entity.names_on(day))


def _parent_on(entity: Entity, day: dt.date) -> str | None:
    return entity.parent_id_on(day)


def _by_id(root: Dataset, ident: str) -> Entity | None:
    """The entity with that id, and only that: ``get`` would also try names."""
    found = root.get(ident, None)
    return found if found is not None and found.id == ident else None


def _shown_parent(root: Dataset) -> Callable[[Entity, dt.date], str | None]:
    """The superior a view of ``root`` shows on a day: none while that superior is not shown."""

    def state(entity: Entity, day: dt.date) -> str | None:
        parent = entity.parent_id_on(day)
        other = None if parent is None else _by_id(root, parent)
        if other is None or (not other.timeless and other.exists_on(day) is not Holds.SURELY):
            return None
        return parent

    return state


def _holders_by_day(post: Post, days: Iterable[dt.date]) -> dict[dt.date, str | None]:
    """The holder a view names on each of ``days`` (``post.on(day).holder``), in one sweep.

    Asking ``Post.on`` day by day costs a pass over every holder per day:
    with thousands of holders, minutes. Here holders enter in order of the
    day they surely begin and leave on the day they surely end.
    """
    placed = sorted((h.period.begins, i) for i, h in enumerate(post.holders) if h.start is not None)
    ending: list[tuple[dt.date, int]] = []  # (first day no longer sure, holder) as a heap
    latest: list[tuple[bool, int, int]] = []  # heap, first the one Post.holder would pick
    active: set[int] = set()
    out: dict[dt.date, str | None] = {}
    nxt = 0
    for day in sorted(days):
        while nxt < len(placed) and placed[nxt][0] <= day:
            i = placed[nxt][1]
            nxt += 1
            holder = post.holders[i]
            ends = holder.period.ends
            if ends is not None and ends <= day:
                continue
            active.add(i)
            if ends is not None:
                heapq.heappush(ending, (ends, i))
            first = holder.start.first_day if holder.start is not None else dt.date.min
            heapq.heappush(latest, (holder.end is not None, _negated(first), i))
        while ending and ending[0][0] <= day:
            active.discard(heapq.heappop(ending)[1])
        while latest and latest[0][2] not in active:
            heapq.heappop(latest)
        if not active or (post.single_holder and len(active) > 1):
            out[day] = None
        else:
            out[day] = post.holders[latest[0][2]].name
    return out


def _negated(day: dt.date) -> int:
    """A sort key that puts later days first in a min-heap."""
    return -day.toordinal()


def _bounds(
    items: Iterable[tuple[PartialDate | None, PartialDate | None]],
) -> dict[dt.date, PartialDate]:
    """The days on which what a view shows may change, each with the date that makes it."""
    days: dict[dt.date, PartialDate] = {}
    for start, end in items:
        for date in (start, end):
            if date is not None:
                days.setdefault(date.first_day, date)
                days.setdefault(date.last_day, date)
    return days


def _dated(change: Change, date: PartialDate | None) -> Change:
    """``change`` with the date its source gives, and whether that date is a day."""
    certain = date is None or date.day is not None
    return attrs.evolve(change, source_date=date, certain=certain)


def _shown_from(entity: Entity) -> dt.date:
    """The first day views show ``entity`` (``date.min`` where nothing bounds it)."""
    return entity.surely_from or dt.date.min


def _label(root: Dataset | None, ident: str | None, day: dt.date) -> str:
    """A parent's abbreviation (else name) as it was on ``day``."""
    if ident is None:
        return "no known superior"
    other = None if root is None else _by_id(root, ident)
    if other is None:
        return ident
    name, abbreviation = other.names_on(day)
    return abbreviation or name


def _transitions(
    entity: Entity,
    days: dict[dt.date, PartialDate],
    state: Callable[[Entity, dt.date], _T],
) -> list[tuple[dt.date, PartialDate, _T, _T]]:
    """(day, source date, before, after) wherever ``state`` differs from the day before.

    Only days on which views show the entity count.
    """
    begins = _shown_from(entity)
    ends = entity.surely_until
    out: list[tuple[dt.date, PartialDate, _T, _T]] = []
    for day in sorted(days):
        if day <= begins or (ends is not None and day >= ends):
            continue
        before, after = state(entity, day - ONE_DAY), state(entity, day)
        if before != after:
            out.append((day, days[day], before, after))
    return out


def history(root: Dataset, entity: Entity) -> tuple[Change, ...]:
    """Every dated event of ``entity``, in date order.

    Its establishment, renames (from its ``former`` aliases), changes of
    reporting line, changes of the head post's holders, and its
    disestablishment. Events whose date the data does not give are left out.
    ``root`` is the whole-history Dataset used to name parents.
    """
    changes: list[Change] = []
    ident = entity.id
    known = entity.established if entity.established is not None else None
    bound = entity.attested.date if known is None and entity.attested is not None else None
    gone = entity.surely_until
    if gone is not None and gone <= _shown_from(entity):
        # Its start and end are known too loosely for any view to show it surely:
        # "1956-05-05" to "1956". No view adds or removes it.
        known = bound = None
    if known is not None or bound is not None:
        day = _shown_from(entity)
        parent = _parent_on(entity, day)
        under = "" if parent is None else f" under {_label(root, parent, day)}"
        what = f"established {known}" if known is not None else f"known to exist by {bound}"
        added = Change(
            date=day,
            type="added",
            entity_id=ident,
            after=_name_on(entity, day),
            detail=f"{what}{under}: {_name_on(entity, day)}",
        )
        added = _dated(added, known or bound)
        if known is None:  # a bound is never the day the entity began: that day is unknown
            added = attrs.evolve(added, certain=False)
        changes.append(added)
    formers = [a for a in entity.aliases if a.kind == "former"]
    names = _bounds((a.start, a.end) for a in formers)
    for day, date, old, new in _transitions(entity, names, _name_on):
        renamed = Change(
            date=day,
            type="renamed",
            entity_id=ident,
            before=old,
            after=new,
            detail=f"renamed from {old} to {new}",
        )
        changes.append(_dated(renamed, date))
    lines = _bounds((r.start, r.end) for r in entity.reporting_lines)
    # A superior that is not shown yet, or no longer, leaves the view without one.
    superiors = {r.parent_id for r in entity.reporting_lines}
    if entity.parent_id is not None:
        superiors.add(entity.parent_id)
    for superior in sorted(superiors):
        other = _by_id(root, superior)
        if other is not None:
            start = other.established or (other.attested.date if other.attested else None)
            for day, date in _bounds([(start, other.disestablished)]).items():
                lines.setdefault(day, date)
            other_gone = other.surely_until
            if other_gone is not None and other.last_attested is not None:
                lines.setdefault(other_gone, other.last_attested.date)
    for day, date, old_parent, new_parent in _transitions(entity, lines, _shown_parent(root)):
        changes.append(_dated(_reparented(root, entity, day, old_parent, new_parent), date))
    head = entity.head
    if head is not None:
        days = _bounds((h.start, h.end) for h in head.holders)
        # Each day and the day before it (none before the first day of all).
        asked = {day - ONE_DAY for day in days if day > dt.date.min} | set(days)
        holders = _holders_by_day(head, asked)
        for day, date, old_holders, new_holders in _transitions(
            entity, days, lambda _, day: holders[day]
        ):
            changes.append(_dated(_head_changed(entity, day, old_holders, new_holders), date))
    # An entity never shown as surely existing (no start, no bound) is never removed from a view.
    if gone is not None and (known is not None or bound is not None):
        changes.append(_removed(entity, gone))
    return tuple(sorted(changes, key=_sort_key))


def _removed(entity: Entity, gone: dt.date) -> Change:
    """The change of the first day views no longer show ``entity`` (``gone``)."""
    before = _name_on(entity, gone - ONE_DAY if gone > dt.date.min else gone)
    last = entity.last_attested
    date: PartialDate | None
    if last is None:
        detail, date = f"disestablished {entity.disestablished}", entity.disestablished
    else:
        latest = "" if last.latest is None else f", gone by {last.latest}"
        detail, date = f"last known to exist in {last.date}{latest}", last.date
    removed = Change(date=gone, type="removed", entity_id=entity.id, before=before, detail=detail)
    removed = _dated(removed, date)
    if last is not None:  # the last day a source shows is not the day the entity ended
        removed = attrs.evolve(removed, certain=False)
    return removed


def _reparented(
    root: Dataset | None,
    entity: Entity,
    day: dt.date,
    old: str | None,
    new: str | None,
) -> Change:
    return Change(
        date=day,
        type="reparented",
        entity_id=entity.id,
        before=old,
        after=new,
        detail=(
            f"moved from under {_label(root, old, day - ONE_DAY)} to under {_label(root, new, day)}"
        ),
    )


def _head_changed(entity: Entity, day: dt.date, old: str | None, new: str | None) -> Change:
    head = entity.head
    title = head.abbreviation or head.title if head is not None else "head"
    if new is None:
        detail = f"{title}: {old} left; no successor recorded"
    elif old is None:
        detail = f"{title}: {new} took post"
    else:
        detail = f"{title}: {new} succeeded {old}"
    return Change(
        date=day, type="head_changed", entity_id=entity.id, before=old, after=new, detail=detail
    )


def diff(root: Dataset, day1: dt.date, day2: dt.date) -> tuple[Change, ...]:
    """Every change between ``root.as_of(day1)`` and ``root.as_of(day2)``, in date order.

    Each entity added or removed, each rename, change of superior and
    succession in a head post in ``(day1, day2]``, each dated by the first day
    views show it (see the module docstring), so that the diff over a span is
    the diffs of its parts, one after the other. A timeless record (no date
    at all) is compared on the two days only, and its change dated ``day2``.

    Raises:
        ValueError: ``day1`` is after ``day2``.
    """
    if day1 > day2:
        msg = f"the first date must not be after the second, got {day1} and {day2}"
        raise ValueError(msg)
    changes = [
        change
        for entity in root
        if not entity.timeless
        for change in history(root, entity)
        if day1 < change.date <= day2
    ]
    timeless = {e.id for e in root if e.timeless}
    if timeless:
        old, new = root.as_of(day1), root.as_of(day2)
        old_ids, new_ids = {e.id for e in old} & timeless, {e.id for e in new} & timeless
        for ident in sorted(new_ids - old_ids):
            label = new.get(ident).label
            detail = f"appears: {label}"
            changes.append(
                Change(date=day2, type="added", entity_id=ident, after=label, detail=detail)
            )
        for ident in sorted(old_ids - new_ids):
            label = old.get(ident).label
            detail = f"gone: {label}"
            changes.append(
                Change(date=day2, type="removed", entity_id=ident, before=label, detail=detail)
            )
    return tuple(sorted(changes, key=_sort_key))
