"""Posts by name, and who held one on a day: the answer of ``natostruct who``.

A post is named by its title or abbreviation, current or former
(``"SACEUR"``, ``"Chair of the Military Committee"``), or by any key of its
entity, which then means the entity's leading post (``"ims"`` is the
Director General of the IMS). What the sources allow one to say of a day
follows the "Honest time" rules of :class:`~natostruct.model.Post`: one
holder surely in post, or the holders who may have been, or a vacancy a
source records, or nothing recorded.

>>> import natostruct
>>> answer = natostruct.dataset().who("SACEUR", "1989-11-09")
>>> answer.status, answer.holders[0].name
('held', 'John Galvin')
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Final, Literal, get_args

import attrs

from natostruct.dates import Holds
from natostruct.errors import AmbiguousKeyError, UnknownKeyError
from natostruct.matching import normalise
from natostruct.reprs import compact

if TYPE_CHECKING:
    import datetime as dt

    from natostruct.dataset import Dataset
    from natostruct.model import Entity, Holder, Post

__all__ = ["STATUSES", "Incumbency", "Status", "find_post", "incumbency", "who"]

#: What :attr:`Incumbency.status` may say, in the order it decides.
Status = Literal[
    "not in existence", "held", "vacant", "in doubt", "may not have existed", "not recorded"
]
STATUSES: Final[tuple[Status, ...]] = get_args(Status)


@compact("entity_id", "title", "day", "status")
@attrs.frozen(kw_only=True, repr=False)
class Incumbency:
    """Who held a post on one day, as far as the sources say.

    ``title`` is the post's title that day; ``holders`` those surely in post
    (one at most for a single-holder post); ``candidates`` those who may have
    been; ``vacant`` whether a source records a vacancy; ``exists`` whether
    the entity existed that day.
    """

    entity_id: str
    entity: str
    title: str
    abbreviation: str | None
    day: dt.date
    holders: tuple[Holder, ...] = ()
    candidates: tuple[Holder, ...] = ()
    vacant: Holds = Holds.NOT
    exists: Holds = Holds.SURELY

    @property
    def status(self) -> Status:
        """One of :data:`STATUSES`: the first that holds, in that order.

        ``may not have existed`` is for a day on which the entity only may have
        existed and no holder is named: the post itself is in doubt.
        """
        if self.exists is Holds.NOT:
            return "not in existence"
        if self.holders:
            return "held"
        if self.vacant is Holds.SURELY:
            return "vacant"
        if self.candidates:
            return "in doubt"
        if self.exists is Holds.MAYBE:
            return "may not have existed"
        return "not recorded"


def _names(post: Post) -> set[str]:
    names = {post.title, post.abbreviation}
    for alias in post.aliases:
        names.update((alias.name, alias.abbreviation))
    return {normalise(n) for n in names if n}


def find_post(root: Dataset, key: str) -> tuple[Entity, Post]:
    """The entity and the post ``key`` names (see the module's rules) in a whole history.

    A post's own names win over the entity keys that :meth:`Dataset.get
    <natostruct.Dataset.get>` takes. :meth:`Dataset.post
    <natostruct.Dataset.post>` calls this on the whole history of a view.

    Raises:
        AmbiguousKeyError: several posts answer to ``key``.
        UnknownKeyError: no post does, and no entity with a leading post.
        TypeError: ``key`` is not a str.
    """
    if not isinstance(key, str):
        msg = f"expected a post's name or an entity key as str, got {type(key).__name__}"
        raise TypeError(msg)
    wanted = normalise(key)
    found = [(e, p) for e in root for p in e.posts if wanted in _names(p)]
    if len(found) > 1:
        raise AmbiguousKeyError(key, [f"{p.title} ({e.id})" for e, p in found], what="post")
    if found:
        return found[0]
    entity = root.get(key, None)
    if entity is None:
        raise UnknownKeyError(key, _near(root, key), what="post")
    if entity.head is None:
        existed = f"{entity.label} ({entity.id}) has no leading post"
        raise UnknownKeyError(key, what="post", existed=existed)
    return entity, entity.head


def _near(root: Dataset, key: str) -> list[str]:
    """The post names most like ``key``, for the error message."""
    names = {n for e in root for p in e.posts for n in (p.abbreviation, p.title) if n}
    by_form = {normalise(n): n for n in sorted(names)}
    close = difflib.get_close_matches(normalise(key), list(by_form), n=3, cutoff=0.6)
    return [by_form[c] for c in close]


def who(root: Dataset, key: str, date: dt.date) -> Incumbency:
    """Who held the post ``key`` names on ``date``, in a whole history.

    Raises:
        AmbiguousKeyError: several posts answer to ``key``.
        UnknownKeyError: no post does.
    """
    entity, post = find_post(root, key)
    return incumbency(entity, post, date)


def incumbency(entity: Entity, post: Post, date: dt.date) -> Incumbency:
    """Who held ``post`` of ``entity`` (records of the whole history) on ``date``."""
    shown = post.on(date)
    return Incumbency(
        entity_id=entity.id,
        entity=entity.names_on(date)[0],
        title=shown.title,
        abbreviation=shown.abbreviation,
        day=date,
        holders=post.holders_on(date),
        candidates=post.candidates_on(date),
        vacant=post.vacant_on(date),
        exists=entity.exists_on(date),
    )
