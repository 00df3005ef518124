"""The Dataset: immutable records, their indexes, and the queries over them.

A Dataset holds either the whole history (every entity that ever existed,
with its latest reporting line and name) or a view of one day made by
:meth:`Dataset.as_of` (only what existed that day, with that day's reporting
lines, names and holders). Queries return tuples in a documented order: by id,
unless the query has a natural order (a chain of command upward, members by
accession date).
"""

from __future__ import annotations

import datetime as dt
import threading
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar, overload

import attrs

from natostruct.countries import normalise_country
from natostruct.dates import Holds, PartialDate, parse_date, today
from natostruct.errors import AmbiguousKeyError, DatasetError, Problem, UnknownKeyError
from natostruct.lazy import LazyMapping
from natostruct.matching import TrigramIndex, normalise
from natostruct.model import (
    ENTITY_CLASSES,
    FAMILIES,
    Doubt,
    Entity,
    EntityKind,
    Family,
    Holder,
    Location,
    MemberState,
    Mission,
    Partnership,
    Post,
    Record,
    record_key,
)
from natostruct.people import Term, people_keys, terms
from natostruct.places import Placed, record_label
from natostruct.reprs import Results
from natostruct.text import quote, span

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    import pandas as pd

    from natostruct.changes import Change
    from natostruct.overlay import Replacement
    from natostruct.posts import Incumbency

__all__ = ["VIEW_CACHE_RECORDS", "Dataset", "DateLike", "Deferred", "Key", "entity_keys"]

#: What the queries accept for a date: a year as an int means its first day too.
DateLike = dt.date | PartialDate | str | int
#: What the queries accept for an entity: the entity itself or any key ``get`` takes.
Key = Entity | str

_KINDS: Final[dict[str, type[Entity]]] = {cls.kind: cls for cls in ENTITY_CLASSES}
_FAMILIES: Final[dict[str, Family]] = {f.casefold(): f for f in FAMILIES}
_MISSING: Final[Any] = object()
_RECORDS: Final = "<records>"  # the file named by problems in records given to Dataset()
_RECORD_CLASSES: Final = (*ENTITY_CLASSES, MemberState, Partnership)
#: The most entity records the ``as_of`` views kept by one Dataset hold together.
#: A view of the bundled data holds a few dozen, so thousands of days stay
#: cached; at 100,000 entities two views fill it. The oldest view goes first.
VIEW_CACHE_RECORDS: Final = 250_000
_MEMO_LIMIT: Final = 10_000  # spellings remembered per Dataset, beyond the ids
_T = TypeVar("_T")


def _day(value: DateLike) -> dt.date:
    """The calendar day a query date means: a partial date's first day."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return parse_date(value).first_day


class Dataset:
    """NATO's structure: entities, member states and partnerships, with queries.

    Build one with :func:`natostruct.load` or get the bundled one with
    :func:`natostruct.dataset`. ``Dataset(records)`` validates ``records``
    like the loader does and raises :class:`~natostruct.DatasetError`.

    >>> import natostruct
    >>> ds = natostruct.dataset()
    >>> ds.get("ims").parent.abbreviation
    'MC'
    """

    __slots__ = (
        "__weakref__",
        "_as_of_cache",
        "_cached_records",
        "_chains",
        "_child_ids",
        "_children",
        "_data_as_of",
        "_date",
        "_entities",
        "_keys",
        "_lock",
        "_make_keys",
        "_members",
        "_memo",
        "_names_from",
        "_others",
        "_partnerships",
        "_replaced",
        "_root",
        "_trigrams",
        "_uncertain",
    )

    _as_of_cache: dict[dt.date, Dataset]
    _cached_records: list[int]  # one number, the records the cached views hold
    _chains: dict[str, Results[Entity]]
    _child_ids: dict[str, tuple[str, ...]]
    _children: dict[str, tuple[Entity, ...]]
    _data_as_of: dt.date | None
    _date: dt.date | None
    _entities: Mapping[str, Entity]
    _keys: dict[str, tuple[tuple[int, str], ...]] | None
    _lock: threading.Lock
    _make_keys: Callable[[], dict[str, tuple[tuple[int, str], ...]]]
    _members: tuple[MemberState, ...] | None
    _memo: dict[object, Entity]
    _names_from: MappingProxyType[str, Entity] | None
    _others: Callable[[], Iterable[Record]] | None
    _partnerships: tuple[Partnership, ...] | None
    _replaced: tuple[Replacement, ...]
    _root: Dataset | None
    _trigrams: TrigramIndex | None
    _uncertain: tuple[Entity, ...]

    def __init__(self, records: Iterable[Record] = ()) -> None:
        """A Dataset of ``records``, checked as :func:`natostruct.load` checks a file's.

        Each item must be a record (a ``Body``, ``Command``, ``Division``,
        ``Mission``, ``MemberState`` or ``Partnership``), and each field of it
        of its declared type, as the loader's converter takes it: a
        ``PartialDate`` where a date is declared (``established="2000"`` is a
        problem), a tuple where a tuple is (a list is refused, not copied:
        ``aliases=(alias,)``, not ``[alias]``), nothing coerced. Then every
        rule of the loader is run over them all. Problems name the file
        ``<records>`` and each record by its id, or ``#index``.

        The records given are not changed: the Dataset holds its own copies,
        linked to it, so ``record.parent`` works on ``ds.get(record.id)``, not
        on ``record`` itself.

        Raises:
            DatasetError: an item is not a record, a field does not have its
                declared type, or the records break a rule; ``problems`` lists
                every reason.
            TypeError: ``records`` is not iterable.
        """
        from natostruct.validate import validate  # noqa: PLC0415

        placed: list[Placed] = []
        problems: list[Problem] = []
        for index, item in enumerate(tuple(records)):
            checked, found = _checked(index, item)
            if checked is not None:
                placed.append(checked)
            problems.extend(found)
        problems.extend(validate(placed))
        if problems:
            raise DatasetError(problems)
        # The checked records are new objects: linking them leaves the caller's alone.
        self._build(tuple(item.record for item in placed), date=None, root=None, names_from=None)

    @classmethod
    def trusted(
        cls,
        records: Iterable[Record],
        *,
        data_as_of: dt.date | None = None,
        replaced: tuple[Replacement, ...] = (),
    ) -> Dataset:
        """A Dataset of records already structured and validated (the loader's path).

        Nothing is checked, and the Dataset takes ownership of the records:
        each one not yet in a Dataset is linked to this one in place (one
        already in another Dataset is copied). Give it records nobody else
        holds, as the loader does; :class:`Dataset` checks and copies.

        ``data_as_of`` is the day the data was last checked against its
        sources, if it has one (see :attr:`data_as_of`); ``replaced``, what
        a load did to the records of its base (see :attr:`replaced`).
        """
        self = object.__new__(cls)
        self._build(tuple(records), date=None, root=None, names_from=None)
        object.__setattr__(self, "_data_as_of", data_as_of)
        object.__setattr__(self, "_replaced", replaced)
        return self

    @classmethod
    def deferred(cls, source: Deferred, *, data_as_of: dt.date | None = None) -> Dataset:
        """A Dataset whose records are built on first access, from ``source``.

        Holds exactly what a Dataset of ``source``'s records would; only the
        work of building each record waits until a query needs it (the
        bundled data, whose index says where each record is). Nothing is
        checked, and each entity ``source`` builds is linked in place, as by
        :meth:`trusted`: it must be new.
        """
        self = object.__new__(cls)
        entities = LazyMapping(sorted(source.ids()), lambda i: self._own(source.entity(i)))
        self._setup(
            entities,
            source.parents(),
            others=source.others,
            keys=source.keys,
            date=None,
            root=None,
            names_from=None,
        )
        object.__setattr__(self, "_data_as_of", data_as_of)
        return self

    def _build(
        self,
        records: tuple[Record, ...],
        *,
        date: dt.date | None,
        root: Dataset | None,
        names_from: MappingProxyType[str, Entity] | None,
    ) -> None:
        entities: dict[str, Entity] = {}
        others: list[Record] = []
        for record in records:
            if isinstance(record, (MemberState, Partnership)):
                others.append(record)
            else:
                entities[record.id] = self._own(record)
        entities = dict(sorted(entities.items()))
        parents = {ident: entity.parent_id for ident, entity in entities.items()}
        self._setup(
            entities,
            parents,
            others=lambda: others,
            keys=self._own_keys,
            date=date,
            root=root,
            names_from=names_from,
        )
        self._other_records()  # a built Dataset holds its records, not their recipe

    def _setup(
        self,
        entities: Mapping[str, Entity],
        parents: Mapping[str, str | None],
        *,
        others: Callable[[], Iterable[Record]],
        keys: Callable[[], dict[str, tuple[tuple[int, str], ...]]],
        date: dt.date | None,
        root: Dataset | None,
        names_from: MappingProxyType[str, Entity] | None,
    ) -> None:
        child_ids: dict[str, list[str]] = {}
        for ident in sorted(parents):
            parent_id = parents[ident]
            if parent_id is not None:
                child_ids.setdefault(parent_id, []).append(ident)
        put = object.__setattr__
        put(self, "_entities", entities)
        put(self, "_child_ids", {k: tuple(v) for k, v in child_ids.items()})
        put(self, "_children", {})
        put(self, "_members", None)
        put(self, "_partnerships", None)
        put(self, "_others", others)
        put(self, "_date", date)
        put(self, "_data_as_of", None)  # a view reads its root's (see data_as_of)
        put(self, "_replaced", ())
        put(self, "_uncertain", ())
        put(self, "_root", root)
        put(self, "_names_from", names_from)
        put(self, "_chains", {})
        put(self, "_memo", dict(entities) if isinstance(entities, dict) else {})
        put(self, "_keys", None)
        put(self, "_make_keys", keys)
        put(self, "_trigrams", None)
        put(self, "_as_of_cache", {})
        put(self, "_cached_records", [0])
        put(self, "_lock", threading.Lock())

    def _other_records(self) -> tuple[tuple[MemberState, ...], tuple[Partnership, ...]]:
        """The member states (by accession) and partnerships (by key), built on first use."""
        members, partnerships = self._members, self._partnerships
        if members is None or partnerships is None:
            with self._lock:
                members, partnerships = self._members, self._partnerships
                if members is None or partnerships is None:
                    others = self._others
                    assert others is not None  # noqa: S101 (set until the records are built)
                    records = tuple(others())
                    members = tuple(
                        sorted(
                            (r for r in records if isinstance(r, MemberState)),
                            key=_accession_order,
                        )
                    )
                    partnerships = tuple(
                        sorted((r for r in records if isinstance(r, Partnership)), key=record_key)
                    )
                    put = object.__setattr__
                    put(self, "_members", members)
                    put(self, "_partnerships", partnerships)
                    put(self, "_others", None)
        return members, partnerships

    def _children_of(self, ident: str) -> tuple[Entity, ...]:
        found = self._children.get(ident)
        if found is None:
            ids = self._child_ids.get(ident, ())
            found = self._children.setdefault(ident, tuple(self._entities[i] for i in ids))
        return found

    def _own(self, entity: Entity) -> Entity:
        # An unlinked record is the caller's to give away (trusted, deferred,
        # views, and the copies __init__ makes). One already linked to another
        # Dataset is copied, so that each Dataset's records resolve relations
        # in that Dataset.
        if entity._dataset is not None and entity._dataset is not self:  # noqa: SLF001
            entity = attrs.evolve(entity)
        object.__setattr__(entity, "_dataset", self)
        return entity

    def __reduce__(self) -> tuple[object, ...]:
        # A view pickles as "the root on that day"; the root as its records
        # and the day its data was checked. Unpickled records are new and
        # unlinked, so the trusted path may take them.
        if self._root is not None and self._date is not None:
            return (_view_of, (self._root, self._date))
        return (_unpickled, (self.records, self._data_as_of, self._replaced))

    def __setattr__(self, name: str, value: object) -> None:
        msg = f"Dataset is immutable; cannot set {name!r}"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = f"Dataset is immutable; cannot delete {name!r}"
        raise AttributeError(msg)

    def __copy__(self) -> Dataset:
        return self  # immutable: a copy would be indistinguishable

    def __deepcopy__(self, memo: dict[int, object]) -> Dataset:
        return self

    # --- what it holds --------------------------------------------------------------

    @property
    def date(self) -> dt.date | None:
        """The day of an ``as_of`` view, or None for the whole history."""
        return self._date

    @property
    def data_as_of(self) -> dt.date | None:
        """The day the data was last checked against its sources, where known.

        The bundled data's is :data:`natostruct.DATA_AS_OF`; a user's files
        have none, unless they extend the bundled data.
        """
        return self._root_or_self()._data_as_of  # noqa: SLF001 (same class)

    @property
    def replaced(self) -> tuple[Replacement, ...]:
        """What the load that made this Dataset did to the records of its ``base``.

        One :class:`~natostruct.overlay.Replacement` per record of the base
        that a file replaced or patched, naming the fields it lost and those
        it changed; empty without a base. A record that replaces ACO and
        leaves out its ``parent_id`` is listed as losing it.
        """
        return self._root_or_self()._replaced  # noqa: SLF001 (same class)

    @property
    def beyond_data(self) -> bool:
        """Whether this is a view of a day after :attr:`data_as_of`.

        Such a view shows the data as it was last checked: what changed since
        is not in it. The whole history is never beyond its data.
        """
        cut = self.data_as_of
        return self._date is not None and cut is not None and self._date > cut

    def superior_unknown(self) -> Results[Entity]:
        """The entities of a view shown without a superior, though one is recorded.

        Either the data leaves a gap in their reporting lines that day, or the
        superior they reported to is not shown that day. They are not at the
        top of the structure: what they reported to is not known. Empty on the
        whole history.
        """
        root, day = self._root, self._date
        if root is None or day is None:
            return Results()
        found = []
        for entity in self._entities.values():
            if entity.parent_id is not None:
                continue
            whole = root._entities[entity.id]  # noqa: SLF001 (same class)
            if whole.parent_id is None and not whole.reporting_lines:
                continue  # at the top of the structure
            if not whole.superior_known_on(day) or whole.parent_id_on(day) is not None:
                found.append(entity)
        return Results(found)

    def doubts(self, key: Key) -> Results[Doubt]:
        """What a view shows of ``key`` that the sources leave in doubt on its day.

        The view shows the last value that surely held (a name until the
        rename is sure); each :class:`~natostruct.model.Doubt` lists that value
        and the others that may hold. Empty on the whole history.
        """
        entity = self._entity(key)
        if self._root is None or self._date is None:
            return Results()
        return Results(self._root._entities[entity.id].doubts_on(self._date))  # noqa: SLF001

    def uncertain(self) -> Results[Entity]:
        """The entities a view does not show because they only may have existed that day.

        Their start or end is known too loosely to tell (``established:
        "1963"`` on 1963-06-01), or their start is unknown before the day
        by which a source shows them (``attested``). Each stands as it would
        that day; its superior may be shown or uncertain too. Empty on the
        whole history.
        """
        return Results(self._uncertain)

    @property
    def records(self) -> Results[Record]:
        """Every record: entities by id, member states by accession, partnerships."""
        members, partnerships = self._other_records()
        return Results((*self._entities.values(), *members, *partnerships))

    def all(self) -> Results[Entity]:
        """Every entity, by id."""
        return Results(self._entities.values())

    def __iter__(self) -> Iterator[Entity]:
        return iter(tuple(self._entities.values()))

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, key: object) -> bool:
        """Whether ``ds[key]`` gives an entity: an ambiguous key is not in the Dataset."""
        if not isinstance(key, (str, *ENTITY_CLASSES)):
            return False
        try:
            self.get(key)
        except UnknownKeyError:  # unknown, or ambiguous (its subclass)
            return False
        return True

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._date == other._date and self.records == other.records

    def __hash__(self) -> int:
        return hash((self._date, self.records))

    def __repr__(self) -> str:
        members, partnerships = self._other_records()
        return (
            f"<Dataset {span(self._date)}: {len(self._entities)} entities, "
            f"{len(members)} member states, {len(partnerships)} partnerships>"
        )

    def _repr_html_(self) -> str:
        from natostruct.display import tree_html  # noqa: PLC0415 (notebooks only)

        return tree_html(self)

    # --- lookup ---------------------------------------------------------------------

    @overload
    def get(self, key: Key) -> Entity: ...
    @overload
    def get(self, key: Key, default: _T) -> Entity | _T: ...

    def get(self, key: Key, default: Any = _MISSING) -> Any:
        """The entity an id, abbreviation, alias, name or HQ city names.

        Case, accents, spaces, hyphens and punctuation do not matter. Ids win
        over names and abbreviations, which win over aliases, which win over
        HQ cities; among several matches one that still exists wins.

        Raises:
            UnknownKeyError: nothing answers to ``key`` (and no ``default`` was
                given), or several entities do; the error lists near matches or
                the candidates.

        >>> import natostruct
        >>> natostruct.dataset().get("jfc brunssum").id
        'jfc-brunssum'
        """
        # Exact strings seen before (ids from the start) answer from one dict.
        # Only str keys are tried: hashing an entity would hash all its fields.
        if type(key) is str:
            found = self._memo.get(key)
            if found is not None:
                return found
        return self._get_slow(key, default)

    def __getitem__(self, key: Key) -> Entity:
        return self.get(key)

    def _get_slow(self, key: object, default: Any) -> Any:
        if isinstance(key, ENTITY_CLASSES):
            key = key.id
        if not isinstance(key, str):
            if default is not _MISSING:
                return default
            raise UnknownKeyError(key, as_of=self._when())
        found = self._entities.get(key)
        if found is None:
            found = self._resolve(key, default is _MISSING)
        if found is None:
            return default
        if len(self._memo) < len(self._entities) + _MEMO_LIMIT:
            self._memo[key] = found
        return found

    def _resolve(self, key: str, must: bool) -> Entity | None:
        norm = normalise(key)
        tiers = self._key_index().get(norm, ())
        for tier in range(4):
            ids = sorted({ident for t, ident in tiers if t == tier})
            if not ids:
                continue
            if len(ids) == 1:
                return self._entities[ids[0]]
            alive = [i for i in ids if not self._entities[i].ended]
            if len(alive) == 1:
                return self._entities[alive[0]]
            raise AmbiguousKeyError(key, alive or ids)
        if not must:
            return None
        other = None if self._root is None else self._root.get(key, None)
        if other is not None:
            existed = f"{other.label} ({other.id}) existed {other.period}"
            raise UnknownKeyError(
                key, as_of=self._when(), existed=existed, existed_period=other.period
            )
        near = [e.id for e in self.search(key, limit=3)] if norm else []
        raise UnknownKeyError(key, near, as_of=self._when())

    def _when(self) -> str | None:
        return None if self._date is None else self._date.isoformat()

    def _key_index(self) -> dict[str, tuple[tuple[int, str], ...]]:
        keys = self._keys
        if keys is None:
            with self._lock:
                keys = self._keys
                if keys is None:
                    keys = self._make_keys()
                    object.__setattr__(self, "_keys", keys)
        return keys

    def _own_keys(self) -> dict[str, tuple[tuple[int, str], ...]]:
        # A view is found by the names its entities bear in the whole history.
        names = self._entities if self._names_from is None else self._names_from
        return key_index((i, entity_keys(names[i])) for i in self._entities)

    def _entity(self, key: Key) -> Entity:
        if isinstance(key, str):
            found = self._entities.get(key)
            if found is not None:
                return found
        elif isinstance(key, ENTITY_CLASSES):
            found = self._entities.get(key.id)
            if found is not None:
                return found
            key = key.id
        return self.get(key)

    def search(self, text: str, limit: int = 10) -> Results[Entity]:
        """Entities whose names, abbreviations or aliases match ``text``, best first.

        Tolerates typos ("Brunsum") and partial words ("warfare"). After the
        entities found by their own names come those found by their HQ city
        or site and by the people who held their posts ("Rutte" finds the
        Secretary General's office).

        >>> import natostruct
        >>> natostruct.dataset().search("Joint Warfare Center")[0].id
        'jwc'
        """
        if not isinstance(text, str):  # untyped callers may pass anything
            return Results()
        index = self._trigrams
        if index is None:
            with self._lock:
                index = self._trigrams
                if index is None:
                    sources = {ident: self._names_source(ident) for ident in self._entities}
                    index = TrigramIndex(
                        {ident: _keys_of(e) for ident, e in sources.items()},
                        {ident: _secondary_keys_of(e) for ident, e in sources.items()},
                    )
                    object.__setattr__(self, "_trigrams", index)
        return Results(self._entities[i] for i in index.rank(normalise(text), limit))

    def _names_source(self, ident: str) -> Entity:
        names_from = self._names_from
        return self._entities[ident] if names_from is None else names_from[ident]

    # --- structure ------------------------------------------------------------------

    def filter(
        self,
        *,
        kind: EntityKind | type[Entity] | None = None,
        category: str | None = None,
        family: str | None = None,
        country: str | None = None,
        city: str | None = None,
        organization: str | None = None,
        any_site: bool = False,
    ) -> Results[Entity]:
        """Entities matching every criterion given, by id.

        ``kind`` is a class (``Command``) or its lowercase name (``"command"``);
        ``category``, ``family`` and ``organization`` ignore case; ``country``
        is the HQ country as an alpha-2 or alpha-3 code in any case; ``city``
        the HQ city, as :meth:`get` compares keys (case and accents do not
        matter). The HQ is the main seat, ``location``; with ``any_site``,
        ``country`` and ``city`` also match the ``other_sites``.

        >>> import natostruct
        >>> print(*(e.id for e in natostruct.dataset().filter(city="Stavanger")))
        headquarters-north joint-headquarters-north jwc sonor

        Raises:
            ValueError: an unknown kind, family or country code.
        """
        cls: type[Entity] | None = None
        if kind is not None:
            cls = kind if isinstance(kind, type) else _KINDS.get(str(kind).lower())
            if cls not in ENTITY_CLASSES:
                msg = f"expected kind to be one of {', '.join(_KINDS)}, got {quote(kind)}"
                raise ValueError(msg)
        code = None
        if country is not None:
            code = normalise_country(str(country))
            if code is None:
                msg = f"expected an ISO 3166-1 alpha-2 or alpha-3 code, got {quote(country)}"
                raise ValueError(msg)
        fam = None
        if family is not None:
            fam = _FAMILIES.get(str(family).casefold())
            if fam is None:
                msg = f"expected family to be one of {', '.join(FAMILIES)}, got {quote(family)}"
                raise ValueError(msg)
        cat = category.casefold() if category is not None else None
        org = organization.casefold() if organization is not None else None
        town = normalise(city) if city is not None else None
        place = code is not None or town is not None
        return Results(
            e
            for e in self._entities.values()
            if (cls is None or type(e) is cls)
            and (cat is None or (e.category or "").casefold() == cat)
            and (fam is None or e.family == fam)
            and (org is None or e.organization.casefold() == org)
            and (not place or _matches_place(e, code, town, any_site=any_site))
        )

    def parent(self, key: Key) -> Entity | None:
        """The entity ``key`` reports to, or None at the top."""
        parent_id = self._entity(key).parent_id
        return None if parent_id is None else self._entities.get(parent_id)

    def children(self, key: Key) -> Results[Entity]:
        """The entities reporting to ``key``, by id.

        On the whole history this includes former subordinates.
        """
        return Results(self._children_of(self._entity(key).id))

    def subtree(self, key: Key) -> Results[Entity]:
        """``key`` first, then everything below it, pre-order, children by id."""
        out: list[Entity] = []
        stack = [self._entity(key)]
        built = self._children  # each node's children, built once: read them directly
        seen: set[str] = set()  # records that were never validated may loop
        while stack:
            node = stack.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            out.append(node)
            below = built.get(node.id)
            stack.extend(reversed(below if below is not None else self._children_of(node.id)))
        return Results(out)

    def subset(self, root: Key) -> Dataset:
        """One branch as a Dataset of its own: ``root`` and its :meth:`subtree`.

        Every reference resolves inside it, so it loads on its own (and its
        JSON export loads back): ``root`` has no superior, and the reporting
        lines and relations of the branch to entities outside it are dropped.
        The days a dropped line covered become days whose superior is not
        recorded, not days under some other superior. Member states and
        partnerships are left out. On a view, the branch is what stood under
        ``root`` that day, and the answer is a view of the same day.

        >>> import natostruct
        >>> mc = natostruct.current().subset("mc")
        >>> mc.get("mc").parent is None, "ims" in mc, "nac" in mc
        (True, True, False)
        """
        whole = self._root_or_self()
        ids = {e.id for e in self.subtree(root)}
        top = self._entity(root).id
        records = [
            _inside(whole._entities[ident], ids, top=ident == top)  # noqa: SLF001
            for ident in sorted(ids)
        ]
        branch = Dataset.trusted(records, data_as_of=whole.data_as_of)
        return branch if self._date is None else branch.as_of(self._date)

    def chain_of_command(self, key: Key) -> Results[Entity]:
        """``key``, its parent, its parent's parent, ... up to the top."""
        if type(key) is str:
            chain = self._chains.get(key)
            if chain is not None:
                return chain
        entity = self._entity(key)
        chain = self._chains.get(entity.id)
        if chain is None:
            links = [entity]
            seen = {entity.id}  # records that were never validated may loop: stop there
            while (parent := self._entities.get(links[-1].parent_id or "")) is not None:
                if parent.id in seen:
                    break
                seen.add(parent.id)
                links.append(parent)
            chain = Results(links)
            self._chains[entity.id] = chain
        return chain

    def holders(self, key: Key, as_of: DateLike | None = None) -> Results[Holder]:
        """The holders of ``key``'s leading post, oldest first.

        With ``as_of``, only those in post that day; on an ``as_of`` view the
        view's day is the default; on the whole history, every holder recorded.
        """
        entity = self._entity(key)
        if as_of is None:
            head = entity.head
            return Results(() if head is None else head.holders)
        # A view keeps only its own day's holders: another day is the whole history's.
        head = self._root_or_self()._entity(entity.id).head  # noqa: SLF001 (same class)
        return Results(() if head is None else head.holders_on(_day(as_of)))

    def post(self, key: str) -> tuple[Entity, Post]:
        """The entity and the post ``key`` names, found in the whole history even on a view.

        ``key`` is a post's title or abbreviation, current or former, or any
        entity key, meaning its leading post. See :mod:`natostruct.posts`.

        >>> import natostruct
        >>> entity, post = natostruct.dataset().post("CMC")
        >>> entity.id, post.title
        ('mc', 'Chair of the Military Committee')

        Raises:
            AmbiguousKeyError: several posts answer to ``key``.
            UnknownKeyError: no post does, nor an entity with a leading post.
        """
        from natostruct.posts import find_post  # noqa: PLC0415

        return find_post(self._root_or_self(), key)

    def who(self, post: str, as_of: DateLike | None = None) -> Incumbency:
        """Who held ``post`` on a day (the view's day, or today on the whole history).

        One holder surely in post, or the candidates the sources leave in
        doubt, or a recorded vacancy, or nothing recorded: see
        :class:`~natostruct.posts.Incumbency`.

        >>> import natostruct
        >>> natostruct.dataset().who("SACEUR", 1990).holders[0].name
        'John Galvin'

        Raises:
            AmbiguousKeyError: several posts answer to ``post``.
            UnknownKeyError: no post does.
        """
        from natostruct.posts import who  # noqa: PLC0415

        day = _day(as_of) if as_of is not None else self._date or today()
        return who(self._root_or_self(), post, day)

    # --- time -----------------------------------------------------------------------

    def terms(self, person: str | None = None) -> Results[Term]:
        """The posts a person held, one row a term, oldest first; without a person, every term.

        On a view, the terms of that day. See :func:`natostruct.people.terms`
        for how the name is matched. ``ds.terms().to_dataframe()`` is every
        holder of every post, one row a term.

        >>> import natostruct
        >>> for term in natostruct.dataset().terms("Hastings Ismay"):
        ...     print(term.entity_id, term.start)
        secgen 1952-04-04
        """
        if person is not None and not isinstance(person, str):  # untyped callers
            return Results()
        return Results(terms(self._entities.values(), person))

    def member(self, key: str) -> MemberState:
        """The member state ``key`` names: its English name or its alpha-2 or alpha-3 code.

        Case and accents do not matter ("finland", "FI", "fin"). On a view,
        only the states that were members that day answer. Entities are found
        with :meth:`get`, member states only here: ``get("IS")`` is the
        International Staff, ``member("IS")`` and ``member("Iceland")`` Iceland.

        >>> import natostruct
        >>> natostruct.dataset().member("FIN").accession
        PartialDate('2023-04-04')

        Raises:
            UnknownKeyError: no member state answers to ``key``.
        """
        members = self._other_records()[0] if self._date is None else self.members()
        found = None
        if isinstance(key, str):
            code = normalise_country(key) if len(key) in {2, 3} else None
            norm = normalise(key)
            found = next(
                (m for m in members if m.country == code or normalise(m.name) == norm), None
            )
        if found is None:
            raise UnknownKeyError(key, as_of=self._when(), what="member state")
        return found

    def members(self, as_of: DateLike | None = None) -> Results[MemberState]:
        """The member states on a day, by accession date then country code.

        The day defaults to the view's day, or today on the whole history.
        """
        day = _day(as_of) if as_of is not None else self._date or today()
        view = self._root_or_self().as_of(day)
        return Results(view._other_records()[0])  # noqa: SLF001 (same class)

    def partnerships(self, country: str | None = None) -> Results[Partnership]:
        """Partnerships, by country and framework; optionally of one country."""
        partnerships = self._other_records()[1]
        if country is None:
            return Results(partnerships)
        code = normalise_country(country)
        return Results(p for p in partnerships if p.country == code)

    def as_of(self, date: DateLike) -> Dataset:
        """The Dataset as it stood on ``date`` (a partial date means its first day).

        Holds only what surely held that day: the entities that surely
        existed, each as it stood (:meth:`Entity.on`: that day's names,
        reporting line, seat and post holders), and the member states and
        partnerships of that day. What only may have existed is in
        :meth:`uncertain`; what the day leaves in doubt about an entity shown
        is in :meth:`doubts`. Views are cached by day.

        >>> import natostruct
        >>> view = natostruct.dataset().as_of("2017-06-01")
        >>> "jisd" in view, "jisd" in {e.id for e in view.uncertain()}
        (False, True)
        >>> view.beyond_data
        False

        The JISD was set up in "2017": on 1 June that year it may exist, and
        it is surely shown from 31 December.

        Raises:
            ValueError: a malformed date string.
        """
        day = _day(date)
        root = self._root_or_self()
        cached = root._as_of_cache.get(day)  # noqa: SLF001
        if cached is None:
            cached = root._make_view(day)  # noqa: SLF001
            views, held = root._as_of_cache, root._cached_records  # noqa: SLF001
            with root._lock:  # noqa: SLF001
                if day not in views:
                    size = len(cached._entities)  # noqa: SLF001
                    while views and held[0] + size > VIEW_CACHE_RECORDS:
                        oldest = views.pop(next(iter(views)))  # forget the oldest view
                        held[0] -= len(oldest._entities)  # noqa: SLF001
                    if size <= VIEW_CACHE_RECORDS:
                        views[day] = cached
                        held[0] += size
                cached = views.get(day, cached)
        return cached

    def clear_cache(self) -> None:
        """Forget the ``as_of`` views kept so far (the Dataset's answers do not change).

        Views are kept by day, holding at most :data:`VIEW_CACHE_RECORDS`
        entity records together; this frees them at once. On a view it
        clears the cache of the Dataset it was taken from.
        """
        root = self._root_or_self()
        with root._lock:  # noqa: SLF001
            root._as_of_cache.clear()  # noqa: SLF001
            root._cached_records[0] = 0  # noqa: SLF001

    @property
    def whole(self) -> Dataset:
        """The whole history: the Dataset a view was taken from, or this one."""
        return self._root_or_self()

    def _root_or_self(self) -> Dataset:
        return self if self._root is None else self._root

    def _make_view(self, day: dt.date) -> Dataset:
        members, partnerships = self._other_records()
        alive: dict[str, Entity] = {}
        maybe: dict[str, Entity] = {}
        for ident, entity in self._entities.items():
            exists = entity.exists_on(day)
            if exists is Holds.SURELY:
                alive[ident] = entity
            elif exists is Holds.MAYBE:
                maybe[ident] = entity
        _bound_timeless(alive, day, {m.country: m for m in members})
        records: list[Record] = [e.on(day, alive) for e in alive.values()]
        records.extend(m for m in members if m.member_on(day))
        records.extend(p for p in partnerships if p.period.contains(day))
        view = object.__new__(Dataset)
        view._build(
            tuple(records), date=day, root=self, names_from=MappingProxyType(self._entities)
        )
        known = {**alive, **maybe}
        uncertain = tuple(e.on(day, known) for e in maybe.values())
        object.__setattr__(view, "_uncertain", uncertain)
        return view

    def diff(self, date1: DateLike, date2: DateLike) -> Results[Change]:
        """Every change between two days, in date order: see :func:`natostruct.changes.diff`.

        >>> import natostruct
        >>> for change in natostruct.dataset().diff("2014-09-30", "2014-10-01"):
        ...     print(change)
        2014-10-01  head_changed  secgen: SG: Jens Stoltenberg succeeded Anders Fogh Rasmussen
        >>> for change in natostruct.dataset().diff("2017", "2018"):
        ...     if change.entity_id == "jisd":
        ...         print(change.date, change.type, change.source_date, change.certain)
        2017-12-31 added 2017 False
        """
        from natostruct.changes import diff  # noqa: PLC0415

        return Results(diff(self._root_or_self(), _day(date1), _day(date2)))

    def history(self, key: Key) -> Results[Change]:
        """Every recorded change of one entity, in date order."""
        from natostruct.changes import history  # noqa: PLC0415

        root = self._root_or_self()
        return Results(history(root, root._entity(key)))  # noqa: SLF001

    # --- integrations (optional extras, imported only when called) -----------------

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per entity, indexed by id (``natostruct[pandas]``)."""
        from natostruct.export.frame import to_dataframe  # noqa: PLC0415

        return to_dataframe(self)

    def to_networkx(self) -> Any:
        """A networkx DiGraph keyed by id, edges parent -> child (``natostruct[graph]``)."""
        from natostruct.export.graph import to_networkx  # noqa: PLC0415

        return to_networkx(self)

    def to_svg(self) -> str:
        """The organisation chart as SVG, drawn by Graphviz, at most about 900 pixels wide.

        Categories have fixed colours, named in a legend; for one branch, take
        :meth:`subset` first. In a notebook: ``IPython.display.SVG(ds.to_svg())``.

        Raises:
            FileNotFoundError: Graphviz's ``dot`` program is not installed.
        """
        return self.export("svg")

    def export(self, format: str) -> str:  # noqa: A002 (the CLI's word)
        """The Dataset as text in ``format``: json, csv, geojson, dot, mermaid, svg or html.

        See :func:`natostruct.export.export` for the formats and their errors.
        """
        from natostruct.export import export  # noqa: PLC0415

        return export(self, format)


def _inside(entity: Entity, ids: set[str], *, top: bool) -> Entity:
    """``entity`` with its links to entities outside ``ids`` dropped; at the top, no superior."""
    lines = () if top else tuple(r for r in entity.reporting_lines if r.parent_id in ids)
    return attrs.evolve(
        entity,
        parent_id=None if top or entity.parent_id not in ids else entity.parent_id,
        reporting_lines=lines,
        relations=tuple(r for r in entity.relations if r.target_id in ids),
    )


def _view_of(root: Dataset, day: dt.date) -> Dataset:
    return root.as_of(day)


def _unpickled(
    records: tuple[Record, ...],
    data_as_of: dt.date | None,
    replaced: tuple[Replacement, ...] = (),  # pickles of 0.2.0 before overlays have none
) -> Dataset:
    return Dataset.trusted(records, data_as_of=data_as_of, replaced=replaced)


def _checked(index: int, item: object) -> tuple[Placed | None, list[Problem]]:
    """One item given to ``Dataset(records)``, as a new record with its place, or its problems.

    The Python twin of :func:`natostruct.fileformat.structure`: the same
    rules (:func:`~natostruct.convert.check_record`), the problems made by the
    same code, so that they read as the loader's do.
    """
    from natostruct.convert import check_record  # noqa: PLC0415
    from natostruct.fileformat import _STRUCTURE_ERRORS, _failed  # noqa: PLC0415

    label = _label(index, item)
    try:
        record = check_record(item)
    except _STRUCTURE_ERRORS as exc:
        return None, _failed(_RECORDS, label, None, item, exc)
    return Placed(_RECORDS, label, record), []


def _label(index: int, item: object) -> str:
    """The label ``load`` would give ``item``, read from its fields before they are checked."""
    cls = next((c for c in _RECORD_CLASSES if isinstance(item, c)), None)
    if cls is None:
        return f"#{index}"
    declared = attrs.fields_dict(cls)  # type(item) passes isinstance, but may be no attrs class
    # The fields a label is made of, as a file would give them: of any type, or
    # none. Fields only: a member state's id is a property that needs its country.
    keys = [key for key in ("id", "country", "framework") if key in declared]
    return record_label(index, {"kind": cls.kind, **{k: getattr(item, k, None) for k in keys}})


def _accession_order(member: MemberState) -> tuple[dt.date, str]:
    return (member.accession.first_day, member.country)


def _bound_timeless(
    alive: dict[str, Entity], day: dt.date, members: dict[str, MemberState]
) -> None:
    """Drop the timeless entities that cannot be shown on ``day``.

    A record with no date of existence at all is shown wherever what it
    depends on is: its superior that day, and for the delegation of a member
    state, that state's membership. Dated entities are shown only on the
    days they surely existed (``Entity.exists_on``).
    """
    shown: dict[str, bool] = {}  # timeless entities decided so far
    for start, entity in alive.items():
        if not entity.timeless or start in shown:
            continue
        # Walk up while the superior is timeless and undecided, then settle the
        # whole path at once: each entity is looked at once, however deep the
        # chain (dropping one level per pass took minutes for 16,000 levels).
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        verdict = True
        while node is not None:
            if node in shown:
                verdict = shown[node]
                break
            current = alive.get(node)
            if current is None:
                verdict = False  # the superior is not shown that day
                break
            if not current.timeless:
                break  # a dated superior shown that day
            member = members.get(current.sending_state) if isinstance(current, Mission) else None
            if member is not None and not member.member_on(day):
                verdict = False  # a delegation of a state not a member that day
                path.append(node)
                break
            if node in on_path:
                break  # a loop of timeless entities (unvalidated data): keep them
            path.append(node)
            on_path.add(node)
            node = current.parent_id_on(day)
        for ident in path:
            shown[ident] = verdict
    for ident, keep in shown.items():
        if not keep:
            del alive[ident]


def _keys_of(entity: Entity) -> list[str]:
    """Normalised keys of an entity, most important first."""
    keys = [entity.abbreviation or "", entity.name, entity.id]
    for alias in entity.aliases:
        keys.extend((alias.abbreviation or "", alias.name))
    return [normalise(k) for k in keys if k]


def _secondary_keys_of(entity: Entity) -> list[str]:
    """Normalised keys that find an entity after its own names: its seats and its people."""
    keys = [normalise(t) for p in _sites(entity, others=True) for t in (p.city, p.site) if t]
    keys.extend(people_keys(entity))
    return keys


def _matches_place(
    entity: Entity, country: str | None, city: str | None, *, any_site: bool
) -> bool:
    """Whether the main seat (or, with ``any_site``, any site) is in ``country`` and ``city``."""
    return any(
        (country is None or site.country == country)
        and (city is None or (site.city is not None and normalise(site.city) == city))
        for site in _sites(entity, others=any_site)
    )


def _sites(entity: Entity, *, others: bool) -> tuple[Location, ...]:
    """The entity's main seat, if it has one, and with ``others`` its other sites."""
    main = () if entity.location is None else (entity.location,)
    return (*main, *entity.other_sites) if others else main


def entity_keys(entity: Entity) -> list[tuple[int, str]]:
    """The lookup keys of an entity, normalised, each with its tier.

    Tier 1 is the name or abbreviation, 2 an alias, 3 the HQ city or site
    (tier 0, the id, is added by :func:`key_index`). The bundled data's index
    stores these, so that a first lookup needs no record built.
    """
    texts = [(1, entity.name), (1, entity.abbreviation)]
    for alias in entity.aliases:
        texts.extend(((2, alias.name), (2, alias.abbreviation)))
    if entity.location is not None:
        texts.extend(((3, entity.location.city), (3, entity.location.site)))
    return [(tier, normalise(text)) for tier, text in texts if text]


def key_index(
    keys: Iterable[tuple[str, Iterable[tuple[int, str]]]],
) -> dict[str, tuple[tuple[int, str], ...]]:
    """Map each normalised key to the (tier, id) pairs it names, from each id's keys.

    Tier 0 is the id itself; see :func:`entity_keys` for the others.
    """
    index: dict[str, set[tuple[int, str]]] = {}
    for ident, pairs in keys:
        index.setdefault(normalise(ident), set()).add((0, ident))
        for tier, norm in pairs:
            if norm:
                index.setdefault(norm, set()).add((tier, ident))
    return {k: tuple(sorted(v)) for k, v in index.items()}


class Deferred(Protocol):
    """What :meth:`Dataset.deferred` builds from: where each record is, before it is built.

    It answers with ids, parents and keys from an index, and builds a record
    (new and unlinked: the Dataset takes ownership of it) only when asked.
    """

    def ids(self) -> Iterable[str]:
        """Every entity id."""
        ...

    def parents(self) -> Mapping[str, str | None]:
        """Each entity's ``parent_id``, by id."""
        ...

    def keys(self) -> dict[str, tuple[tuple[int, str], ...]]:
        """The key index :func:`key_index` makes of every entity's keys."""
        ...

    def entity(self, ident: str) -> Entity:
        """The entity ``ident``, built now."""
        ...

    def others(self) -> Iterable[Record]:
        """The member states and partnerships, built now."""
        ...
