"""Overlays: what a user's files do to the records they load onto.

A record whose key is already in the base (``load(..., base=natostruct.dataset())``)
replaces the base's record whole: fields it leaves out are gone. A **patch
record** (format 2) changes only the fields it names instead, with JSON Merge
Patch semantics (RFC 7396): objects merge, arrays replace, ``null`` removes::

    {"kind": "patch", "target": "aco",
     "changes": {"name": "Allied Command Operations (mine)", "website": null}}

Either way the loaded Dataset says what each file did to a record of its
base, in :attr:`natostruct.Dataset.replaced`: a :class:`Replacement` per
record, naming the fields it lost and those it changed.

>>> merge_patch({"a": 1, "b": {"c": 2, "d": 3}, "e": [1]}, {"b": {"c": None, "x": 4}, "e": [2]})
{'a': 1, 'b': {'d': 3, 'x': 4}, 'e': [2]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import attrs

from natostruct.convert import CONVERTER, citing
from natostruct.errors import Problem
from natostruct.model import record_key
from natostruct.places import Placed, record_label
from natostruct.reprs import compact

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from natostruct.model import Record, Source

__all__ = ["PATCH_KIND", "Patch", "Replacement", "apply", "merge_patch", "replacement"]

#: The ``kind`` of a patch record.
PATCH_KIND: Final = "patch"


@attrs.frozen(kw_only=True)
class Patch:
    """A patch record as read: which record it changes, the changes, and where it came from.

    ``target`` is the key of the record changed, as problems name records
    (an entity's id, a member state's country code in lower case, a
    partnership's ``country:framework``). ``changes`` is the JSON Merge Patch;
    its source keys are looked up in ``sources``, the table of its file.
    """

    target: str
    changes: Mapping[str, Any]
    file: str
    index: int
    sources: Mapping[str, Source] = attrs.field(factory=dict, repr=False)


@compact("record", "file", "lost", "changed")
@attrs.frozen(kw_only=True, repr=False)
class Replacement:
    """What a file did to a record of the base: the fields it lost, and those it changed.

    ``lost`` are the fields the base's record gave that the new one leaves
    out (a replacing record that forgets ``parent_id`` loses the superior);
    ``changed`` are those given both times, with another value.
    """

    record: str
    file: str
    lost: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __str__(self) -> str:
        parts = []
        if self.lost:
            parts.append(f"loses {', '.join(self.lost)}")
        if self.changed:
            parts.append(f"changes {', '.join(self.changed)}")
        what = "; ".join(parts) or "the same fields and values"
        return f"{self.file}: replaces {self.record}: {what}"


def merge_patch(target: Any, patch: Any) -> Any:
    """``target`` changed by ``patch``, as RFC 7396 says; neither argument is changed."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def replacement(old: Record, new: Record, file: str) -> Replacement:
    """What ``new``, from ``file``, does to ``old``: the fields lost and changed."""
    lost, changed = [], []
    for field in attrs.fields(type(old)):
        if not field.init:
            continue
        before, after = getattr(old, field.name), getattr(new, field.name, None)
        if before == after:
            continue
        if after == field.default or (after == () and before != ()):
            lost.append(field.name)
        elif before != field.default:
            changed.append(field.name)
    return Replacement(
        record=record_label(0, old), file=file, lost=tuple(lost), changed=tuple(changed)
    )


def apply(
    placed: Sequence[Placed],
    patches: Sequence[Patch],
    structure: Any,
) -> tuple[list[Placed], list[Problem]]:
    """``placed`` with each patch applied, in order, to the record it names.

    ``structure`` is :func:`natostruct.fileformat.structure`, which builds the
    patched record (it is passed in, since that module imports this one).
    """
    records = {record_label(0, item.record): i for i, item in enumerate(placed)}
    out = list(placed)
    problems: list[Problem] = []
    for patch in patches:
        where = records.get(patch.target)
        if where is None:
            reason = f"changes no record: {patch.target!r} is not loaded before it"
            problems.append(Problem(patch.file, patch.target, "target", reason))
            continue
        old = out[where].record
        merged = merge_patch(CONVERTER.unstructure(old), dict(patch.changes))
        with citing(patch.sources):
            item, found = structure(patch.file, patch.index, merged)
        if item is None:
            problems.extend(attrs.evolve(p, record=patch.target) for p in found)
            continue
        if record_key(item.record) != record_key(old):
            reason = "a patch cannot change the key of the record it changes"
            problems.append(Problem(patch.file, patch.target, "changes", reason))
            continue
        out[where] = Placed(patch.file, patch.target, item.record)
    return out, problems
