"""People: the terms of those who held a post, found by their name.

A person is not a record of their own: they are the holders of posts, and
one person may hold several posts over a career (Lord Ismay was Secretary
General; Wesley Clark was SACEUR). :func:`terms` gathers them as rows, one a
term, the way an analyst asks: "which posts did Mark Rutte hold, and when?".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from natostruct.dates import PartialDate, Period
from natostruct.matching import normalise
from natostruct.reprs import compact

if TYPE_CHECKING:
    from collections.abc import Iterable

    from natostruct.model import Entity, Holder, Post

__all__ = ["Term", "people_keys", "terms"]

#: A query shorter than this (normalised) matches whole names only, not parts of them.
_SHORTEST_PART = 4


@compact("name", "post", "entity_id", "start", "end", "acting")
@attrs.frozen(kw_only=True, repr=False)
class Term:
    """One person's time in one post: who, which post, of which entity, when."""

    name: str
    post: str
    entity_id: str
    entity: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    acting: bool = False

    @property
    def period(self) -> Period:
        """When the person held the post: ``[start, end)``."""
        return Period(self.start, self.end)

    def __str__(self) -> str:
        acting = " (acting)" if self.acting else ""
        return f"{self.period}  {self.name}: {self.post}{acting}, {self.entity}"


def people_keys(entity: Entity) -> list[str]:
    """The normalised names of everyone who held a post of ``entity``."""
    return [normalise(h.name) for post in entity.posts for h in post.holders]


def terms(entities: Iterable[Entity], name: str | None) -> tuple[Term, ...]:
    """The terms of the person called ``name``, oldest first; with None, every term.

    Case, accents and punctuation do not matter. A name that is nobody's
    whole name matches the people whose names contain it ("Rutte" finds
    Mark Rutte), if it has at least four letters or digits; a term without
    a start comes last.
    """
    if name is None:
        return tuple(
            sorted(
                (_term(e, p, h) for e in entities for p in e.posts for h in p.holders), key=_order
            )
        )
    query = normalise(name)
    if not query:
        return ()
    whole: list[Term] = []
    part: list[Term] = []
    for entity in entities:
        for post in entity.posts:
            for holder in post.holders:
                key = normalise(holder.name)
                if key != query and (len(query) < _SHORTEST_PART or query not in key):
                    continue
                term = _term(entity, post, holder)
                (whole if key == query else part).append(term)
    return tuple(sorted(whole or part, key=_order))


def _term(entity: Entity, post: Post, holder: Holder) -> Term:
    return Term(
        name=holder.name,
        post=post.title,
        entity_id=entity.id,
        entity=entity.label,
        start=holder.start,
        end=holder.end,
        acting=holder.acting,
    )


def _order(term: Term) -> tuple[bool, object, str, str]:
    start = term.start
    return (start is None, start.first_day if start else None, term.entity_id, term.name)
