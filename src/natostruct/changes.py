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
from typing import TYPE_CHECKING, Final, Literal, TypeVar

import attrs

from natostruct.dates import ONE_DAY, PartialDate
from natostruct.text import label

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from natostruct.dataset import Dataset
    from natostruct.model import Entity

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


@attrs.frozen(kw_only=True)
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

    def __str__(self) -> str:
        return f"{self.date.isoformat()}  {self.type:<12}  {self.entity_id}: {self.detail}"

    def to_dict(self) -> dict[str, str | None]:
        """The change as JSON-ready data (the CLI's ``--json`` form)."""
        return {
            "date": self.date.isoformat(),
            "type": self.type,
            "entity_id": self.entity_id,
            "before": self.before,
            "after": self.after,
            "detail": self.detail,
        }


def _sort_key(change: Change) -> tuple[dt.date, int, str]:
    return (change.date, _ORDER[change.type], change.entity_id)


# --- the state of one entity on one day, read exactly as ``as_of`` reads it ----------


def _name_on(entity: Entity, day: dt.date) -> str:
    return label(*entity.names_on(day))


def _parent_on(entity: Entity, day: dt.date) -> str | None:
    return entity.parent_id_on(day)


def _holder_on(entity: Entity, day: dt.date) -> str | None:
    """The head post's holder on ``day`` as ``Post.holder`` picks it in a view."""
    head = entity.head
    if head is None:
        return None
    holder = attrs.evolve(head, holders=head.holders_on(day)).holder
    return None if holder is None else holder.name


def _bounds(items: Iterable[tuple[PartialDate | None, PartialDate | None]]) -> set[dt.date]:
    """The days on which what a view shows may change: where a start or end becomes sure."""
    days: set[dt.date] = set()
    for start, end in items:
        for date in (start, end):
            if date is not None:
                days.update((date.first_day, date.last_day))
    return days


def _label(root: Dataset | None, ident: str | None, day: dt.date) -> str:
    """A parent's abbreviation (else name) as it was on ``day``."""
    if ident is None:
        return "no known superior"
    other = None if root is None else root.get(ident, None)
    if other is None:
        return ident
    name, abbreviation = other.names_on(day)
    return abbreviation or name


def _transitions(
    entity: Entity,
    days: set[dt.date],
    state: Callable[[Entity, dt.date], _T],
) -> list[tuple[dt.date, _T, _T]]:
    """(day, before, after) wherever ``state`` differs from the day before."""
    begins = entity.period.begins
    ends = entity.period.ends
    out: list[tuple[dt.date, _T, _T]] = []
    for day in sorted(days):
        if day <= begins or (ends is not None and day >= ends):
            continue
        before, after = state(entity, day - ONE_DAY), state(entity, day)
        if before != after:
            out.append((day, before, after))
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
    if entity.established is not None:
        day = entity.period.begins  # the first day it surely existed
        parent = _parent_on(entity, day)
        under = "" if parent is None else f" under {_label(root, parent, day)}"
        changes.append(
            Change(
                date=day,
                type="added",
                entity_id=ident,
                after=_name_on(entity, day),
                detail=f"established {entity.established}{under}: {_name_on(entity, day)}",
            )
        )
    formers = [a for a in entity.aliases if a.kind == "former"]
    for day, old, new in _transitions(entity, _bounds((a.start, a.end) for a in formers), _name_on):
        changes.append(
            Change(
                date=day,
                type="renamed",
                entity_id=ident,
                before=old,
                after=new,
                detail=f"renamed from {old} to {new}",
            )
        )
    lines = _bounds((r.start, r.end) for r in entity.reporting_lines)
    for day, old_parent, new_parent in _transitions(entity, lines, _parent_on):
        changes.append(_reparented(root, entity, day, old_parent, new_parent))
    head = entity.head
    if head is not None:
        days = _bounds((h.start, h.end) for h in head.holders)
        for day, old_holders, new_holders in _transitions(entity, days, _holder_on):
            changes.append(_head_changed(entity, day, old_holders, new_holders))
    if entity.disestablished is not None:
        bound = entity.disestablished.first_day  # the first day it no longer surely existed
        changes.append(
            Change(
                date=bound,
                type="removed",
                entity_id=ident,
                before=_name_on(entity, bound - ONE_DAY if bound > dt.date.min else bound),
                detail=f"disestablished {entity.disestablished}",
            )
        )
    return tuple(sorted(changes, key=_sort_key))


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
    """What changed between ``root.as_of(day1)`` and ``root.as_of(day2)``, in date order.

    Entities added or removed, renamed, re-parented, or whose head changed.
    Each change is dated by the event in ``(day1, day2]`` that the data gives
    (see the module docstring; the last one where there are several); where
    it gives none, by ``day2``. Several renames in between show as one change
    from the first name to the last; likewise for parents and holders.

    Raises:
        ValueError: ``day1`` is after ``day2``.
    """
    if day1 > day2:
        msg = f"the first date must not be after the second, got {day1} and {day2}"
        raise ValueError(msg)
    old, new = root.as_of(day1), root.as_of(day2)
    old_ids = {e.id for e in old}
    new_ids = {e.id for e in new}
    changes: list[Change] = []
    events: dict[str, tuple[Change, ...]] = {}

    def dated(ident: str, kind: ChangeType) -> dt.date:
        found = events.get(ident)
        if found is None:
            found = history(root, root.get(ident))
            events[ident] = found
        # The last such event is the one that made the state of day2.
        for change in reversed(found):
            if change.type == kind and day1 < change.date <= day2:
                return change.date
        return day2

    appeared: tuple[ChangeType, set[str], Dataset, str] = (
        "added",
        new_ids - old_ids,
        new,
        "appears",
    )
    vanished: tuple[ChangeType, set[str], Dataset, str] = (
        "removed",
        old_ids - new_ids,
        old,
        "gone",
    )
    for kind, ids, view, undated in (appeared, vanished):
        for ident in sorted(ids):
            label = view.get(ident).label
            whole = root.get(ident)
            bound = whole.established if kind == "added" else whole.disestablished
            verb = "established" if kind == "added" else "disestablished"
            change = Change(
                date=dated(ident, kind),
                type=kind,
                entity_id=ident,
                before=label if kind == "removed" else None,
                after=label if kind == "added" else None,
                detail=f"{f'{verb} {bound}' if bound else undated}: {label}",
            )
            changes.append(change)
    for ident in sorted(old_ids & new_ids):
        a, b = old.get(ident), new.get(ident)
        if a.label != b.label:
            changes.append(
                Change(
                    date=dated(ident, "renamed"),
                    type="renamed",
                    entity_id=ident,
                    before=a.label,
                    after=b.label,
                    detail=f"renamed from {a.label} to {b.label}",
                )
            )
        if a.parent_id != b.parent_id:
            change = _reparented(root, b, dated(ident, "reparented"), a.parent_id, b.parent_id)
            changes.append(change)
        before, after = _view_holder(a), _view_holder(b)
        if a.head is not None and b.head is not None and before != after:
            changes.append(_head_changed(b, dated(ident, "head_changed"), before, after))
    return tuple(sorted(changes, key=_sort_key))


def _view_holder(entity: Entity) -> str | None:
    """The head post's holder in an ``as_of`` view (its holders are already that day's)."""
    head = entity.head
    holder = None if head is None else head.holder
    return None if holder is None else holder.name
