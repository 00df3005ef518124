"""The records: four kinds of entity, member states, partnerships, and their values.

Every class is a frozen, slotted attrs class: records are values, equal when
their fields are equal, hashable and safe to share. Records refer to each other
by id; a :class:`~natostruct.Dataset` resolves those ids. An entity keeps a
link to the Dataset that holds it so that ``ims.parent`` works, but that link
takes no part in equality, hashing, repr or serialisation.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, Final, Literal, Union, cast, get_args

import attrs

from natostruct.dates import ONE_DAY, Holds, PartialDate, Period, both
from natostruct.errors import NoDatasetError
from natostruct.reprs import compact
from natostruct.text import label
from natostruct.text import place as place_text

if TYPE_CHECKING:
    from collections.abc import Container, Mapping, Sequence

    from typing_extensions import Self  # in typing from Python 3.11

    from natostruct.dataset import Dataset

__all__ = [
    "CATEGORIES",
    "ENTITY_CLASSES",
    "FAMILIES",
    "RECORD_KINDS",
    "Accreditation",
    "Alias",
    "AliasKind",
    "Attestation",
    "Body",
    "Command",
    "Division",
    "Doubt",
    "Entity",
    "EntityKind",
    "Family",
    "FrameworkNation",
    "Holder",
    "Location",
    "MemberState",
    "Mission",
    "Note",
    "NoteKind",
    "Partnership",
    "Post",
    "Quality",
    "Record",
    "RecordKind",
    "Relation",
    "RelationType",
    "ReportingLine",
    "Source",
    "StaffCount",
    "Vacancy",
    "record_key",
]

#: How far a source can be trusted: an organisation speaking of itself, or not.
Quality = Literal["official", "secondary"]
#: ``former``: a name the entity had before; ``variant``: another spelling or
#: language; ``post``: the abbreviation of the post that heads it (SACEUR).
AliasKind = Literal["former", "variant", "post"]
#: Secondary links between entities; the reporting line is not one of them.
RelationType = Literal[
    "jointly_run_with", "chairs", "successor_of", "site_successor_of", "supports"
]
#: ``dispute``: sources disagree; ``lineage``: why history is modelled so;
#: ``unconfirmed``: what no source could confirm; ``remark``: anything else.
NoteKind = Literal["dispute", "lineage", "unconfirmed", "remark"]
EntityKind = Literal["body", "command", "division", "mission"]
#: The families of NATO bodies, the first cut an analyst makes: where in the
#: Alliance a body belongs, whatever its kind or category.
Family = Literal[
    "political body",
    "committee",
    "international staff",
    "military staff",
    "command structure",
    "force structure",
    "agency",
    "centre of excellence",
    "delegation",
    "partner mission",
    "related body",
    "EU",
]
#: Every family, in the order a display groups them.
FAMILIES: Final[tuple[Family, ...]] = get_args(Family)
#: The categories the bundled data uses: what a body is within its family.
#: User data may use others; the test suite holds the bundled data to these.
CATEGORIES: Final = (
    # the Council, its committees and its staffs
    "political body",
    "committee",
    "board",
    "office",
    "staff",
    "military body",
    "military staff",
    "division",
    "integrated entity",
    "liaison office",
    "regional centre",
    # the command structure
    "strategic command",
    "operational command",
    "component command",
    "training command",
    "operational headquarters",
    "air operations centre",
    "area command",
    "sub-area command",
    "island command",
    "joint sub-regional command",
    "army group headquarters",
    "tactical air force headquarters",
    "operations centre",
    "maritime subordinate command",
    "signal battalion",
    "force integration unit",
    "ballistic missile defence site",
    # the force structure
    "corps headquarters",
    "division headquarters",
    "maritime headquarters",
    "air component headquarters",
    "standing naval group",
    "naval force",
    # agencies and organisations
    "agency",
    "agency programme",
    "production and logistics organisation",
    "research organisation",
    "research centre",
    "school",
    "training centre",
    "multinational force",
    "flying unit",
    "innovation accelerator",
    "venture capital fund",
    "parliamentary assembly",
    "centre of excellence",
    # missions to NATO
    "permanent mission",
    "military representation",
    "partner mission",
)
RecordKind = Literal["body", "command", "division", "mission", "member_state", "partnership"]


class _Dated:
    """The ``period`` of a value with ``start`` and ``end`` fields.

    A plain mixin, not an attrs class: it adds no field, so each record keeps
    its own field order (and with it the key order of the data files).
    """

    __slots__ = ()

    start: PartialDate | None
    end: PartialDate | None

    @property
    def period(self) -> Period:
        """When this held: ``[start, end)``."""
        return Period(self.start, self.end)


@compact("title", "quality", "url", "document")
@attrs.frozen(kw_only=True, repr=False)
class Source:
    """Where a fact comes from: a web page (``url``) or a document (``document``)."""

    title: str
    quality: Quality
    url: str | None = None
    document: str | None = None
    retrieved: PartialDate | None = None


@compact("kind", "field", "text", "sources")
@attrs.frozen(kw_only=True, repr=False)
class Note:
    """A claim about a record that is disputed, unconfirmed, or needs explaining."""

    text: str
    kind: NoteKind = "remark"
    field: str | None = None
    sources: tuple[Source, ...] = ()


@compact("name", "abbreviation", "kind", "language", "start", "end")
@attrs.frozen(kw_only=True, repr=False)
class Alias(_Dated):
    """Another name of an entity: a former name, a variant, or its head's post."""

    name: str
    abbreviation: str | None = None
    kind: AliasKind = "variant"
    language: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    sources: tuple[Source, ...] = ()


@compact("parent_id", "start", "end")
@attrs.frozen(kw_only=True, repr=False)
class ReportingLine(_Dated):
    """The entity stood under ``parent_id`` during ``[start, end)``."""

    parent_id: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("type", "target_id", "start", "end")
@attrs.frozen(kw_only=True, repr=False)
class Relation(_Dated):
    """A dated secondary link to another entity, e.g. ``successor_of``."""

    type: RelationType
    target_id: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("country", "city", "site", "start", "end")
@attrs.frozen(kw_only=True, repr=False)
class Location(_Dated):
    """Where a headquarters is.

    ``city`` is the English short name a NATO chart uses ("Mons", "İzmir"),
    ``site`` the finer place ("Casteau"), ``country`` an ISO 3166-1 alpha-2
    code. Coordinates are WGS84 degrees; ``basis`` says whether they locate
    the site itself or only the city. ``start`` and ``end`` say when the
    headquarters was there, where a source dates a move.
    """

    country: str
    city: str | None = None
    site: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    basis: Literal["site", "city"] | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    sources: tuple[Source, ...] = ()


@compact("name", "rank", "nationality", "start", "end", "acting")
@attrs.frozen(kw_only=True, repr=False)
class Holder(_Dated):
    """A person in a post during ``[start, end)``."""

    name: str
    rank: str | None = None
    nationality: str | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    acting: bool = False
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("start", "end")
@attrs.frozen(kw_only=True, repr=False)
class Vacancy(_Dated):
    """A span in which a source records a post as vacant: no holder, not even an acting one.

    A post with no holder recorded on a day and no vacancy recorded either
    is simply not documented that day, which is not the same thing.
    """

    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("title", "abbreviation", "leading", "holders", "vacancies")
@attrs.frozen(kw_only=True, repr=False)
class Post:
    """A post and its holders, oldest first.

    ``leading`` marks the post that heads the entity; ``single_holder`` posts
    never have two holders at once.
    """

    title: str
    abbreviation: str | None = None
    leading: bool = False
    single_holder: bool = True
    aliases: tuple[Alias, ...] = ()
    holders: tuple[Holder, ...] = ()
    vacancies: tuple[Vacancy, ...] = ()
    sources: tuple[Source, ...] = ()

    def vacant_on(self, day: dt.date) -> Holds:
        """Whether a source records the post as vacant on ``day`` (surely, maybe, or not)."""
        found = Holds.NOT
        for vacancy in self.vacancies:
            holds = vacancy.period.holds_on(day)
            if holds is Holds.SURELY:
                return holds
            if holds is Holds.MAYBE:
                found = holds
        return found

    def holders_on(self, day: dt.date) -> tuple[Holder, ...]:
        """The holders surely in post on ``day``; never two for a single-holder post.

        Where no holder surely held a single-holder post that day (a term
        recorded only to the year, say), none is stated: the ones who may
        have are :meth:`candidates_on`. A holder whose start no source gives
        is recorded but not placed in time: reading the unknown start as
        "since the beginning" would make them hold the post for decades
        before anyone named in the sources.
        """
        sure = tuple(h for h in self.holders if h.start is not None and h.period.contains(day))
        if self.single_holder and len(sure) > 1:
            return ()  # the sources contradict each other: state no one
        return sure

    def on(self, day: dt.date) -> Post:
        """The post as it stood on ``day``: that day's title and the holders surely in post."""
        title, abbreviation, aliases = _names_of_day(
            self.title, self.abbreviation, self.aliases, day
        )
        return attrs.evolve(
            self,
            title=title,
            abbreviation=abbreviation,
            aliases=aliases,
            holders=self.holders_on(day),
            vacancies=tuple(v for v in self.vacancies if v.period.contains(day)),
        )

    def candidates_on(self, day: dt.date) -> tuple[Holder, ...]:
        """The holders who may have been in post on ``day`` but are not stated as holding it."""
        stated = self.holders_on(day)
        return tuple(
            h
            for h in self.holders
            if h.start is not None and h.period.holds_on(day).possibly and h not in stated
        )

    @property
    def holder(self) -> Holder | None:
        """The most recent holder recorded (open-ended first), or None.

        A holder whose start no source gives comes last: the record cannot
        say they held the post after anyone with a date.
        """
        if not self.holders:
            return None
        return max(
            self.holders,
            key=lambda h: (
                h.start is not None,
                h.end is None,
                h.start.first_day if h.start else dt.date.min,
            ),
        )


@compact("count", "date", "approximate")
@attrs.frozen(kw_only=True, repr=False)
class StaffCount:
    """How many people worked there on a date; ``approximate`` for "about 500"."""

    count: int
    date: PartialDate | None = None
    approximate: bool = False
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("field", "candidates")
@attrs.frozen(kw_only=True, repr=False)
class Doubt:
    """A value a view shows that the sources leave in doubt on its day, with every candidate.

    ``field`` is ``name``, ``parent_id``, ``location`` or ``head`` (the head
    post's holder). The view shows the last value that surely held; the
    ``candidates`` are all the values that may hold that day, that one first.
    """

    field: str
    candidates: tuple[str, ...]


@compact("date", "earliest")
@attrs.frozen(kw_only=True, repr=False)
class Attestation:
    """For an entity whose start no source gives: the day by which a source shows it existed.

    Views show the entity from that day; before it, the entity may exist.
    The bound may be the earliest dated, sourced fact of the record itself
    (a delegation's first head's start), which ``note`` then names.
    ``earliest`` is the other bound, where a source gives one: the entity
    cannot have existed before it (it was set up under a decision of that
    day, or as part of a structure created then). Together they are what
    Wikidata calls the earliest and latest dates of the start.
    """

    date: PartialDate
    earliest: PartialDate | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("date", "latest")
@attrs.frozen(kw_only=True, repr=False)
class LastAttestation:
    """For an entity that ended on a day no source gives: the last day a source shows it.

    Views show the entity until that day; after it, the entity may exist.
    ``latest`` is the other bound, where a source gives one: the entity
    cannot have existed from that day on (its whole structure was abolished,
    or a dated source lists that structure without it). Together they bound
    the end as :class:`Attestation` bounds the start, like Wikidata's
    earliest and latest dates of an end.
    """

    date: PartialDate
    latest: PartialDate | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("date")
@attrs.frozen(kw_only=True, repr=False)
class Accreditation:
    """When NATO accredited a body (a Centre of Excellence): the Council's approval."""

    date: PartialDate
    note: str | None = None
    sources: tuple[Source, ...] = ()


@compact("country", "start", "end")
@attrs.frozen(kw_only=True, repr=False)
class FrameworkNation(_Dated):
    """A nation that leads a Centre of Excellence or a multinational headquarters.

    ``country`` is an ISO 3166-1 alpha-2 code; ``start`` and ``end`` say when
    the nation was one, where a source dates it (nations join and leave).
    """

    country: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    note: str | None = None
    sources: tuple[Source, ...] = ()


@attrs.frozen(kw_only=True, repr=False)
class _EntityBase:
    """Fields and conveniences shared by the four kinds of entity."""

    kind: ClassVar[EntityKind]

    id: str
    name: str
    abbreviation: str | None = None
    category: str | None = None
    family: Family | None = None
    organization: str = "NATO"
    parent_id: str | None = None
    reporting_lines: tuple[ReportingLine, ...] = ()
    relations: tuple[Relation, ...] = ()
    location: Location | None = None
    former_locations: tuple[Location, ...] = ()
    other_sites: tuple[Location, ...] = ()
    established: PartialDate | None = None
    disestablished: PartialDate | None = None
    attested: Attestation | None = None
    last_attested: LastAttestation | None = None
    accredited: Accreditation | None = None
    framework_nations: tuple[FrameworkNation, ...] = ()
    aliases: tuple[Alias, ...] = ()
    posts: tuple[Post, ...] = ()
    staff: tuple[StaffCount, ...] = ()
    website: str | None = None
    description: str | None = None
    notes: tuple[Note, ...] = ()
    sources: tuple[Source, ...] = ()
    # The Dataset that holds this record: for convenience only, never compared,
    # hashed, printed or serialised (cattrs skips init=False fields).
    # Typed as object because cattrs resolves annotations at run time, where
    # Dataset cannot be imported (it imports this module).
    _dataset: object = attrs.field(
        init=False,
        default=None,
        eq=False,
        hash=False,
        repr=False,
    )

    @property
    def period(self) -> Period:
        """When the entity existed, as its own dates give it."""
        return Period(self.established, self.disestablished)

    @property
    def timeless(self) -> bool:
        """Whether the record has no date of existence at all (data that does not track time).

        A timeless entity is shown on any day on which its superior is.
        """
        return (
            self.established is None
            and self.attested is None
            and self.disestablished is None
            and self.last_attested is None
        )

    def exists_on(self, day: dt.date) -> Holds:
        """Whether the entity surely existed on ``day``, maybe did, or surely did not.

        An unknown start is bounded by :attr:`attested`, the day by which a
        source shows the entity existed: surely from then, maybe before (but
        not before its ``earliest`` bound, where one is given). An unknown end
        is bounded the same way by :attr:`last_attested`.
        Without a start or a bound, an entity that ended only maybe existed
        before its end; a timeless one surely exists (see :attr:`timeless`).
        """
        if self.last_attested is not None:
            last = self.last_attested
            if day <= last.date.first_day:
                until = Holds.SURELY
            elif last.latest is not None and day >= last.latest.last_day:
                until = Holds.NOT
            else:
                until = Holds.MAYBE
        else:
            until = Period(None, self.disestablished).holds_on(day)
        if self.established is not None:
            since = Period(self.established, None).holds_on(day)
        elif self.attested is not None:
            attested = self.attested
            if attested.date.last_day <= day:
                since = Holds.SURELY
            elif attested.earliest is not None and day < attested.earliest.first_day:
                since = Holds.NOT
            else:
                since = Holds.MAYBE
        else:
            since = Holds.SURELY if self.disestablished is None else Holds.MAYBE
        return both(since, until)

    @property
    def surely_from(self) -> dt.date | None:
        """The first day :meth:`exists_on` says surely: its start's or bound's last day.

        None where neither a start nor an ``attested`` bound is given.
        """
        if self.established is not None:
            return self.established.last_day
        if self.attested is not None:
            return self.attested.date.last_day
        return None

    @property
    def surely_until(self) -> dt.date | None:
        """The first day :meth:`exists_on` no longer says surely (None: no known end).

        An end's first day; for an end known only by :attr:`last_attested`,
        the day after the first day of its ``date``.
        """
        if self.disestablished is not None:
            return self.disestablished.first_day
        if self.last_attested is not None:
            return self.last_attested.date.first_day + ONE_DAY
        return None

    @property
    def ended(self) -> bool:
        """Whether the entity surely no longer exists at some day: it has an end, or a bound."""
        last = self.last_attested
        return self.disestablished is not None or (last is not None and last.latest is not None)

    @property
    def head(self) -> Post | None:
        """The post that leads the entity (the first ``leading`` post), or None."""
        for post in self.posts:
            if post.leading:
                return post
        return None

    @property
    def label(self) -> str:
        """``"IMS — International Military Staff"``, or the name alone."""
        return label(self.name, self.abbreviation)

    def names_on(self, day: dt.date) -> tuple[str, str | None]:
        """The name and abbreviation the entity bore on ``day``.

        A former name counts only where its period is dated: it stands until
        the day the rename is sure (:meth:`Period.current_on`). An undated
        former name is a lookup key, not a point in time.
        """
        name, abbreviation, _ = _names_of_day(self.name, self.abbreviation, self.aliases, day)
        return name, abbreviation

    def on(self, day: dt.date, shown: Container[str]) -> Self:
        """The entity as it stood on ``day``: the one picture every view and export uses.

        That day's name, abbreviation and aliases ("former" means before that
        day; later names are left out), seat and earlier seats, other sites
        and framework nations of that day, superior (if
        it is among the ``shown`` ids), that day's reporting line, relations to
        entities ``shown`` that day, and each post as it stood (:meth:`Post.on`).
        """
        name, abbreviation, aliases = _names_of_day(self.name, self.abbreviation, self.aliases, day)
        parent_id = self.parent_id_on(day)
        if parent_id is not None and parent_id not in shown:
            parent_id = None
        line = next((r for r in self.reporting_lines if r.period.current_on(day)), None)
        location = self.location_on(day)
        earlier = tuple(
            place
            for place in self.former_locations
            if place is not location and place.end is not None and place.end.last_day <= day
        )
        return attrs.evolve(
            self,
            name=name,
            abbreviation=abbreviation,
            aliases=aliases,
            parent_id=parent_id,
            reporting_lines=() if line is None or line.parent_id != parent_id else (line,),
            relations=tuple(r for r in self.relations if r.target_id in shown),
            location=location,
            former_locations=earlier,
            other_sites=tuple(s for s in self.other_sites if s.period.current_on(day)),
            framework_nations=tuple(n for n in self.framework_nations if n.period.current_on(day)),
            posts=tuple(post.on(day) for post in self.posts),
        )

    def location_on(self, day: dt.date) -> Location | None:
        """Where the headquarters was on ``day``, as far as sources date it.

        A former location stands until the move is sure; then the current
        ``location``, from the day its start is sure. Between the two (no
        former location recorded, or a gap) the place that day is unknown.
        """
        for place in self.former_locations:
            if place.end is not None and place.period.current_on(day):
                return place
        current = self.location
        if current is not None and current.start is not None and day < current.start.last_day:
            return None
        return current

    def parent_id_on(self, day: dt.date) -> str | None:
        """The id of the entity this one reported to on ``day``, if known.

        Without dated reporting lines that is ``parent_id``. With them, it is
        the line current that day (the last that surely held, until the
        change is sure); a day no line covers has no known parent.
        """
        if not self.reporting_lines:
            return self.parent_id
        for line in self.reporting_lines:
            if line.period.current_on(day):
                return line.parent_id
        return None

    def doubts_on(self, day: dt.date) -> tuple[Doubt, ...]:
        """What the view of ``day`` shows of this entity that the sources leave in doubt."""
        name, abbreviation = self.names_on(day)
        names = [(a.name, a.abbreviation, a.period) for a in self.aliases if a.kind == "former"]
        renamed = max((a.end for a in self.aliases if a.kind == "former" and a.end), default=None)
        names.append((self.name, self.abbreviation, Period(renamed, None)))
        found = []
        shown = label(name, abbreviation)
        maybe = [label(n, ab) for n, ab, period in names if period.holds_on(day) is Holds.MAYBE]
        if maybe:
            found.append(Doubt(field="name", candidates=_first(shown, maybe)))
        lines = [(r.parent_id, r.period) for r in self.reporting_lines]
        maybe = [parent for parent, period in lines if period.holds_on(day) is Holds.MAYBE]
        if maybe:
            found.append(Doubt(field="parent_id", candidates=_first(self.parent_id_on(day), maybe)))
        seats = [*self.former_locations, *([self.location] if self.location else [])]
        maybe = [place_text(s) for s in seats if s.period.holds_on(day) is Holds.MAYBE]
        if maybe:
            here = self.location_on(day)
            seat = None if here is None else place_text(here)
            found.append(Doubt(field="location", candidates=_first(seat, maybe)))
        head = self.head
        if head is not None:
            maybe = [h.name for h in head.candidates_on(day)]
            if maybe:
                stated = [h.name for h in head.holders_on(day)]
                holder = stated[0] if stated else None
                found.append(Doubt(field="head", candidates=_first(holder, maybe)))
        return tuple(found)

    def superior_known_on(self, day: dt.date) -> bool:
        """Whether the data says what the entity reported to on ``day`` (or that it had none).

        False in a gap between dated reporting lines, before the first one,
        and after the last one ends while a ``parent_id`` is still recorded.
        """
        if not self.reporting_lines or self.parent_id_on(day) is not None:
            return True
        ended = all(
            line.end is not None and line.end.last_day <= day for line in self.reporting_lines
        )
        return ended and self.parent_id is None

    def __reduce__(self) -> tuple[object, ...]:
        # Pickle the fields only: the Dataset link would drag the whole
        # Dataset (and its lock) along; an unpickled record is unlinked.
        fields = {f.name: getattr(self, f.name) for f in attrs.fields(type(self)) if f.init}
        return (_restore, (type(self), fields))

    def __repr__(self) -> str:
        # The full field list runs to pages; show what identifies the entity.
        abbreviation = f", abbreviation={self.abbreviation!r}" if self.abbreviation else ""
        return f"{type(self).__name__}(id={self.id!r}, name={self.name!r}{abbreviation})"

    def _linked(self) -> Dataset:
        if self._dataset is None:
            raise NoDatasetError(self.id)
        return cast("Dataset", self._dataset)

    @property
    def dataset(self) -> Dataset:
        """The Dataset this record was loaded into."""
        return self._linked()

    @property
    def parent(self) -> Entity | None:
        """The entity this one reports to, or None at the top."""
        return self._linked().parent(self.id)

    @property
    def children(self) -> tuple[Entity, ...]:
        """The entities that report to this one, by id."""
        return self._linked().children(self.id)

    @property
    def chain_of_command(self) -> tuple[Entity, ...]:
        """This entity, its parent, and so on up to the top."""
        return self._linked().chain_of_command(self.id)

    @property
    def subtree(self) -> tuple[Entity, ...]:
        """This entity and everything below it, pre-order."""
        return self._linked().subtree(self.id)

    def _repr_html_(self) -> str:
        from natostruct.display import entity_html  # noqa: PLC0415 (notebooks only)

        return entity_html(cast("Entity", self))


def _restore(cls: type[_EntityBase], fields: dict[str, object]) -> _EntityBase:
    return cls(**fields)  # type: ignore[arg-type]


class Body(_EntityBase):
    """A political or military body, office or staff: the NAC, the MC, the IMS."""

    # A plain subclass: it adds no field, so it shares the attrs methods of
    # the base instead of generating its own (which costs import time).
    __slots__ = ()
    kind: ClassVar[EntityKind] = "body"


class Command(_EntityBase):
    """A strategic, operational, component or training command: ACO, JFC Naples."""

    __slots__ = ()
    kind: ClassVar[EntityKind] = "command"


class Division(_EntityBase):
    """A division or integrated entity inside a body or a mission."""

    __slots__ = ()
    kind: ClassVar[EntityKind] = "division"


@attrs.frozen(kw_only=True, repr=False)
class Mission(_EntityBase):
    """A nation's permanent mission or delegation to NATO."""

    kind: ClassVar[EntityKind] = "mission"

    sending_state: str


@compact("country", "name", "accession", "signature")
@attrs.frozen(kw_only=True, repr=False)
class MemberState:
    """A member of the Alliance and when it joined.

    ``signature`` is when a founder signed the Treaty; ``accession`` when the
    state became a Party (for founders, the Treaty's entry into force).
    """

    kind: ClassVar[Literal["member_state"]] = "member_state"

    country: str
    name: str
    accession: PartialDate
    signature: PartialDate | None = None
    outside_integrated_command: tuple[Period, ...] = ()
    notes: tuple[Note, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def id(self) -> str:
        """The record key: the lowercase country code."""
        return self.country.lower()

    def member_on(self, day: dt.date) -> bool:
        """Whether the state was surely a member on ``day``."""
        return self.accession.last_day <= day

    def in_integrated_command_on(self, day: dt.date) -> Holds:
        """Whether a member took part in the integrated military command on ``day``.

        Three answers: a period outside the command known only to the year
        leaves some days in doubt.
        """
        member = Period(self.accession, None).holds_on(day)
        outside = Holds.NOT
        for period in self.outside_integrated_command:
            found = period.holds_on(day)
            if found is Holds.SURELY:
                outside = found
                break
            if found is Holds.MAYBE:
                outside = found
        return both(member, _negated(outside))


@compact("country", "framework", "start", "end")
@attrs.frozen(kw_only=True, repr=False)
class Partnership(_Dated):
    """A non-member's partnership with NATO under a named framework."""

    kind: ClassVar[Literal["partnership"]] = "partnership"

    country: str
    framework: str
    start: PartialDate | None = None
    end: PartialDate | None = None
    notes: tuple[Note, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def id(self) -> str:
        """The record key: country code and framework."""
        return f"{self.country.lower()}:{self.framework}"


#: Any of the four kinds of entity.
Entity = Union[Body, Command, Division, Mission]  # noqa: UP007 (runtime alias on 3.10)
#: Anything a data file's ``records`` may hold.
Record = Union[Body, Command, Division, Mission, MemberState, Partnership]  # noqa: UP007

#: The four entity classes, for ``isinstance`` checks.
ENTITY_CLASSES: Final = (Body, Command, Division, Mission)
#: The record class for each ``kind`` in a data file.
RECORD_KINDS: Final[Mapping[str, type[Record]]] = MappingProxyType(
    {cls.kind: cls for cls in (*ENTITY_CLASSES, MemberState, Partnership)}
)


def record_key(record: Record) -> tuple[str, ...]:
    """The identity of a record: two records with one key are the same record.

    An entity's key is its id (one namespace for the four kinds), a member
    state's its country code, a partnership's its country, framework and start
    (Malta's PfP partnership of 1995 and that of 2008 are two records). A file
    given on top of a base replaces the base's record with the same key.
    """
    if isinstance(record, ENTITY_CLASSES):
        return ("entity", record.id)
    if isinstance(record, MemberState):
        return ("member_state", record.country)
    return ("partnership", record.country, record.framework, str(record.start or ""))


def _negated(holds: Holds) -> Holds:
    return {Holds.SURELY: Holds.NOT, Holds.NOT: Holds.SURELY}.get(holds, Holds.MAYBE)


def _names_of_day(
    name: str, abbreviation: str | None, aliases: tuple[Alias, ...], day: dt.date
) -> tuple[str, str | None, tuple[Alias, ...]]:
    """The name, abbreviation and aliases something bore on ``day``.

    A dated former name stands until the rename is sure. The aliases of the
    day are the former names surely given up by then (and undated ones), and
    the other aliases current that day; a name not yet borne is left out.
    """
    current = next(
        (
            a
            for a in aliases
            if a.kind == "former" and a.end is not None and a.period.current_on(day)
        ),
        None,
    )
    kept = tuple(a for a in aliases if a is not current and _alias_of_day(a, day))
    if current is None:
        return name, abbreviation, kept
    return current.name, current.abbreviation, kept


def _alias_of_day(alias: Alias, day: dt.date) -> bool:
    if alias.kind == "former" and alias.end is not None:
        return alias.end.last_day <= day  # surely given up by then
    return alias.start is None or alias.start.last_day <= day


def _first(shown: str | None, others: Sequence[str | None]) -> tuple[str, ...]:
    """``shown`` (if any) and then the other candidates, each once."""
    return tuple(dict.fromkeys(v for v in (shown, *others) if v is not None))
