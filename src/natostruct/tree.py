"""The organisation as a tree: what ``natostruct tree`` prints and notebooks draw.

One function builds it, so that the command line, the notebook display and
the HTML explorer order and mark it alike. The tops come by family (the NAC
first, the EU last); within a family the heads of a structure come before the
bodies that stand alone; children are by id. On an ``as_of`` view an entity
that only may have existed that day is ``certain: False``, one whose superior
is not recorded that day stands at the top with ``superior_known: False``,
and each value in doubt is listed with its candidates.

>>> import natostruct
>>> nodes = tree(natostruct.dataset().as_of("2025-12-31"), root="mc", depth=1)
>>> top = nodes[0]
>>> ids = [child.get("id") for child in top.get("children", ())]
>>> top.get("abbreviation"), ids[:3]
('MC', ['aco', 'act', 'ims'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypedDict

from natostruct.model import FAMILIES

if TYPE_CHECKING:
    from natostruct.dataset import Dataset, Key
    from natostruct.model import Entity

__all__ = ["DOUBT_WORDS", "TreeNode", "tree"]


class TreeNode(TypedDict):
    """One entity of the tree, with the entities below it (``tree --json`` prints these)."""

    id: str
    abbreviation: str | None
    name: str
    city: str | None
    family: str | None
    #: False for an entity that only may have existed that day (shown with ``?``).
    certain: bool
    #: False at the top level for an entity whose recorded superior is unknown that day.
    superior_known: bool
    #: The values in doubt that day (``name``, ``parent_id``, ``location``, ``head``),
    #: each with its candidates, the one shown first.
    doubts: dict[str, list[str]]
    children: list[TreeNode]


#: How a tree names the fields a view leaves in doubt.
DOUBT_WORDS: Final = {"parent_id": "superior", "location": "HQ"}

#: Where each family comes among the entities at the top of the tree.
_FAMILY_ORDER: Final[dict[str | None, int]] = {f: rank for rank, f in enumerate(FAMILIES)}


def tree(
    ds: Dataset,
    *,
    root: Key | None = None,
    family: str | None = None,
    depth: int | None = None,
) -> list[TreeNode]:
    """The tree of ``ds`` (a view, or the whole history by the latest reporting lines).

    ``root`` starts it at one entity; ``family`` keeps one family (its own
    tops are its members whose superior is of another family); ``depth``
    stops it that many levels below the top.
    """
    uncertain = ds.uncertain()
    below_uncertain: dict[str | None, list[Entity]] = {}
    for entity in uncertain:
        below_uncertain.setdefault(entity.parent_id, []).append(entity)
    unsure = {e.id for e in uncertain}
    unplaced = {e.id for e in ds.superior_unknown()}
    history = ds.whole
    # One that may have existed, at the top only because its superior is not
    # shown that day, is listed with those whose superior is not recorded.
    unplaced.update(
        e.id
        for e in below_uncertain.get(None, ())
        if history.get(e.id).parent_id is not None or history.get(e.id).reporting_lines
    )
    tops: tuple[Entity, ...]
    if root is not None:
        tops = (ds.get(root),)
    else:
        candidates = (*(e for e in ds if e.parent_id is None), *below_uncertain.get(None, ()))
        if family is not None:
            members = {e.id for e in ds.filter(family=family)}
            wanted = family.casefold()
            members.update(e.id for e in uncertain if (e.family or "").casefold() == wanted)
            candidates = tuple(
                e for e in (*ds, *uncertain) if e.id in members and e.parent_id not in members
            )
        heads = {e.parent_id for e in ds}
        tops = tuple(
            sorted(
                dict.fromkeys(candidates),
                # Those whose superior is unknown that day come last, under a heading.
                key=lambda e: (
                    e.id in unplaced,
                    e.organization != "NATO",
                    _FAMILY_ORDER.get(e.family, len(_FAMILY_ORDER)),
                    e.kind == "mission",
                    e.id not in heads,
                    e.id,
                ),
            )
        )

    def node(entity: Entity, level: int) -> TreeNode:
        # Doubts come from the whole record: `entity` stands as it is that day.
        day = ds.date
        doubts = () if day is None else history.get(entity.id).doubts_on(day)
        below: tuple[Entity, ...] = ()
        if depth is None or level < depth:
            shown = () if entity.id in unsure else ds.children(entity.id)
            below = tuple(sorted((*shown, *below_uncertain.get(entity.id, ())), key=lambda e: e.id))
            if family is not None:
                below = tuple(e for e in below if e.family == entity.family)
        return {
            "id": entity.id,
            "abbreviation": entity.abbreviation,
            "name": entity.name,
            "city": entity.location.city if entity.location else None,
            "family": entity.family,
            "certain": entity.id not in unsure,
            "superior_known": level > 0 or entity.id not in unplaced,
            "doubts": {d.field: list(d.candidates) for d in doubts},
            "children": [node(child, level + 1) for child in below],
        }

    return [node(top, 0) for top in tops]


def count(nodes: list[TreeNode]) -> int:
    """How many entities ``nodes`` hold, with everything below them."""
    return sum(1 + count(item["children"]) for item in nodes)
