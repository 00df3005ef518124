"""Rules over a whole set of records; every broken rule becomes a Problem.

The converter has already checked each record's shape and types. What is
left needs more than one field or more than one record: ids, references,
cycles, period order, overlapping holders, country codes, coordinates, and
texts that are empty or absurdly long.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Final, TypeVar

from natostruct.countries import ALPHA2
from natostruct.cycles import Link, dated_cycles
from natostruct.dates import PartialDate, Period, reversed_span
from natostruct.errors import Problem
from natostruct.matching import normalise
from natostruct.model import (
    ENTITY_CLASSES,
    Accreditation,
    Alias,
    Attestation,
    Entity,
    FrameworkNation,
    Holder,
    LastAttestation,
    Location,
    MemberState,
    Mission,
    Note,
    Partnership,
    Post,
    Record,
    Relation,
    ReportingLine,
    Source,
    StaffCount,
    Vacancy,
    record_key,
)
from natostruct.text import quote

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from natostruct.places import Placed

__all__ = ["MAX_ID", "MAX_NAME", "MAX_SHORT", "MAX_TEXT", "record_problems", "validate"]

#: Longest name, title or abbreviation accepted, in characters.
MAX_NAME: Final = 500
#: Longest free text (description, note) accepted, in characters.
MAX_TEXT: Final = 20_000
#: Longest id, in characters.
MAX_ID: Final = 100
#: Longest short field (abbreviation, category, organization, rank), in characters.
MAX_SHORT: Final = 100

#: What a one-line field may not hold: control characters (C0, DEL, C1) and
#: the Unicode line and paragraph separators.
_CONTROL: Final = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: What free text may not hold: control characters other than tab and line breaks.
_TEXT_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_T = TypeVar("_T")
_SLUG: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def validate(placed: Sequence[Placed]) -> list[Problem]:
    """Every problem in ``placed`` taken as one dataset, in file order."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], Placed] = {}
    entities: dict[str, Placed] = {}
    partnerships: dict[tuple[str, str], list[Placed]] = {}
    looked_up: dict[str, Placed] = {}  # each id's lookup key, to the first with it
    for item in placed:
        record = item.record
        key = record_key(record)
        first = seen.get(key)
        if first is not None:
            problems.append(_duplicate(item, first))
        else:
            seen[key] = item
            if isinstance(record, ENTITY_CLASSES):
                entities[record.id] = item
                # "ab" and "a-b" are one key to get(): either id would be ambiguous.
                twin = looked_up.setdefault(normalise(record.id), item)
                if twin is not item:
                    other = record_key(twin.record)[-1]  # the id
                    reason = (
                        f"{quote(record.id)} is looked up like {quote(other)} (in {twin.file}):"
                        " ids must differ in more than hyphens"
                    )
                    problems.append(Problem(item.file, item.label, "id", reason))
            elif isinstance(record, Partnership):
                partnerships.setdefault((record.country, record.framework), []).append(item)
        problems.extend(
            Problem(item.file, item.label, field, reason)
            for field, reason in _record_problems(record)
        )
    known = {key: item.record for key, item in entities.items()}
    problems.extend(_reference_problems(entities, known))
    problems.extend(_cycle_problems(entities, known))
    for group in partnerships.values():
        problems.extend(_partnership_overlaps(group))
    return problems


def record_problems(item: Placed, skip: Sequence[str] = ()) -> list[Problem]:
    """The problems of one record alone, leaving out those at or under a path of ``skip``.

    The loader runs this on what it could salvage of a record that failed to
    structure (its bad fields left out), so that the rules still say what
    else is wrong with it; ``skip`` names the fields that were left out.
    """
    return [
        Problem(item.file, item.label, field, reason)
        for field, reason in _record_problems(item.record)
        if not any(_within(field, path) for path in skip)
    ]


def _within(field: str, path: str) -> bool:
    return field == path or field.startswith((f"{path}.", f"{path}["))


def _duplicate(item: Placed, first: Placed) -> Problem:
    record = item.record
    where = f"{first.file}: {first.label}"
    if isinstance(record, Partnership):
        start = record.start or "an unknown date"
        reason = f"duplicate partnership {quote(record.id)} starting {start} (first in {where})"
        return Problem(item.file, item.label, "start", reason)
    field, value = (
        ("country", record.country) if isinstance(record, MemberState) else ("id", record.id)
    )
    reason = f"duplicate {field} {quote(value)} (first in {where})"
    return Problem(item.file, item.label, field, reason)


def _partnership_overlaps(group: Sequence[Placed]) -> Iterator[Problem]:
    """Two partnerships of one country under one framework never surely share a day."""
    records = [item.record for item in group]
    periods = [r.period for r in records if isinstance(r, Partnership)]
    for i, j in _surely_overlapping(periods):
        earlier, later = group[i], group[j]
        a = earlier.record
        assert isinstance(a, Partnership)  # noqa: S101 (grouped so)
        reason = f"overlaps the {a.framework} partnership {a.period} (in {earlier.file})"
        yield Problem(later.file, later.label, "start", reason)


# --- one record -----------------------------------------------------------------
#
# Each check below looks at one value and returns what is wrong with it as
# (path inside the value, reason) pairs, or an empty list. A caller puts its
# own step in front of the paths (``_under``) only when something was found:
# valid data, the common case, builds no path strings at all.

#: What a check found: (field path relative to the value checked, reason).
Found = list[tuple[str, str]]


def _add(out: Found, path: str, reason: str | None) -> None:
    if reason is not None:
        out.append((path, reason))


def _under(out: Found, prefix: str, found: Found) -> None:
    out.extend((f"{prefix}.{path}" if path else prefix, reason) for path, reason in found)


def _each(out: Found, field: str, items: Sequence[_T], check: Callable[[_T], Found]) -> None:
    if not items:
        return
    for i, item in enumerate(items):
        found = check(item)
        if found:
            _under(out, f"{field}[{i}]", found)


def _record_problems(record: Record) -> Found:
    out: Found = []
    if isinstance(record, MemberState):
        _add(out, "country", _country(record.country))
        _add(out, "name", _name(record.name))
        _add(out, "accession", _period(record.signature, record.accession, "signature"))
        for i, period in enumerate(record.outside_integrated_command):
            _add(out, f"outside_integrated_command[{i}]", _period(period.start, period.end))
    elif isinstance(record, Partnership):
        _add(out, "country", _country(record.country))
        _add(out, "framework", _name(record.framework))
        _add(out, "end", _period(record.start, record.end))
    else:
        return _entity_problems(record)
    _each(out, "notes", record.notes, _note)
    _each(out, "sources", record.sources, _source)
    return out


def _entity_problems(entity: Entity) -> Found:
    out: Found = []
    if not (
        len(entity.id) <= MAX_ID
        and _SLUG.fullmatch(entity.id)
        and _fine_name(entity.name)
        and (entity.abbreviation is None or _fine_name(entity.abbreviation, MAX_SHORT))
        and (entity.category is None or _fine_name(entity.category, MAX_SHORT))
        and _fine_name(entity.organization, MAX_SHORT)
        and not reversed_span(entity.established, entity.disestablished)
    ):  # the common case in one expression; the checks below say what is wrong
        if len(entity.id) > MAX_ID:
            out.append(("id", f"too long: {len(entity.id)} characters, at most {MAX_ID}"))
        elif not _SLUG.fullmatch(entity.id):
            reason = f"expected a lowercase slug like 'jfc-naples', got {quote(entity.id)}"
            out.append(("id", reason))
        _add(out, "name", _name(entity.name))
        _add(out, "abbreviation", _optional_name(entity.abbreviation, MAX_SHORT))
        _add(out, "category", _optional_name(entity.category, MAX_SHORT))
        _add(out, "organization", _name(entity.organization, MAX_SHORT))
        _add(out, "disestablished", _period(entity.established, entity.disestablished))
    # The bounds of an unknown start and end, each checked against the entity's dates.
    for name, check in _DATED_FACTS:
        if getattr(entity, name) is not None:
            _under(out, name, check(entity))
    if entity.parent_id == entity.id:
        out.append(("parent_id", "an entity cannot report to itself"))
    lines = entity.reporting_lines
    _each(out, "reporting_lines", lines, _dated)
    if lines:
        _lines_problems(out, entity.id, lines)
    for i, relation in enumerate(entity.relations):
        if relation.target_id == entity.id:
            out.append((f"relations[{i}].target_id", "an entity cannot relate to itself"))
    if lines and entity.parent_id != lines[-1].parent_id:
        reason = (
            f"expected the last reporting line's parent {quote(lines[-1].parent_id)}, "
            f"got {quote(entity.parent_id)}"
        )
        out.append(("parent_id", reason))
    _each(out, "relations", entity.relations, _dated)
    if entity.location is not None:
        found = _location(entity.location)
        if found:
            _under(out, "location", found)
    _each(out, "former_locations", entity.former_locations, _location)
    _each(out, "other_sites", entity.other_sites, _location)
    if entity.accredited is not None:
        _under(out, "accredited", _accredited(entity))
    _each(out, "framework_nations", entity.framework_nations, _framework_nation)
    _each(out, "aliases", entity.aliases, _alias)
    _each(out, "posts", entity.posts, _post)
    _each(out, "staff", entity.staff, _staff)
    _add(out, "website", _optional_text(entity.website, MAX_NAME))
    _add(out, "description", _optional_text(entity.description, MAX_TEXT))
    if isinstance(entity, Mission):
        _add(out, "sending_state", _country(entity.sending_state))
    _each(out, "notes", entity.notes, _note)
    _each(out, "sources", entity.sources, _source)
    return out


def _attested(entity: Entity) -> Found:
    attested = entity.attested
    assert attested is not None  # noqa: S101 (checked by the caller)
    out: Found = []
    if entity.established is not None:
        out.append(("", "a bound is for an unknown start: the entity has one (established)"))
    if attested.earliest is not None and reversed_span(attested.earliest, attested.date):
        out.append(("earliest", f"falls after the day it bounds ({attested.date})"))
    unsourced = "a bound needs a source that shows the entity existed by then"
    return out + _dated_fact(entity, attested, unsourced)


def _last_attested(entity: Entity) -> Found:
    last = entity.last_attested
    assert last is not None  # noqa: S101 (checked by the caller)
    out: Found = []
    if entity.disestablished is not None:
        out.append(("", "a bound is for an unknown end: the entity has one (disestablished)"))
    if last.latest is not None and reversed_span(last.date, last.latest):
        out.append(("latest", f"falls before the day it bounds ({last.date})"))
    began = entity.established or (None if entity.attested is None else entity.attested.date)
    if reversed_span(began, last.date):
        out.append(("date", f"falls before the entity is known to exist ({began})"))
    unsourced = "a bound needs a source that shows the entity still existed then"
    return out + _dated_fact(entity, last, unsourced)


def _accredited(entity: Entity) -> Found:
    accredited = entity.accredited
    assert accredited is not None  # noqa: S101 (checked by the caller)
    return _dated_fact(entity, accredited, "an accreditation needs a source")


_DATED_FACTS: tuple[tuple[str, Callable[[Entity], Found]], ...] = (
    ("attested", _attested),
    ("last_attested", _last_attested),
)


def _dated_fact(
    entity: Entity, fact: Attestation | LastAttestation | Accreditation, unsourced: str
) -> Found:
    """A dated fact about an entity: not after its end, sourced, its note in bounds."""
    out: Found = []
    if reversed_span(fact.date, entity.disestablished):
        out.append(("date", f"falls after the entity ended ({entity.disestablished})"))
    if not fact.sources:
        out.append(("sources", unsourced))
    _add(out, "note", _optional_text(fact.note, MAX_TEXT))
    _each(out, "sources", fact.sources, _source)
    return out


def _framework_nation(nation: FrameworkNation) -> Found:
    out: Found = []
    _add(out, "country", _country(nation.country))
    _add(out, "end", _period(nation.start, nation.end))
    _add(out, "note", _optional_text(nation.note, MAX_TEXT))
    _each(out, "sources", nation.sources, _source)
    return out


def _lines_problems(out: Found, ident: str, lines: Sequence[ReportingLine]) -> None:
    """Dated reporting lines run oldest first, never surely overlap, and never point home."""
    for i, line in enumerate(lines):
        if line.parent_id == ident:
            out.append((f"reporting_lines[{i}].parent_id", "an entity cannot report to itself"))
        if i == 0:
            continue
        before = lines[i - 1]
        if line.start is None:
            out.append(
                (f"reporting_lines[{i}].start", "only the first reporting line may have no start")
            )
        elif before.start is not None and line.start.last_day < before.start.first_day:
            reason = f"out of date order: starts before reporting_lines[{i - 1}] ({before.period})"
            out.append((f"reporting_lines[{i}].start", reason))
    for i, j in _surely_overlapping([line.period for line in lines]):
        reason = f"overlaps reporting_lines[{i}] ({lines[i].period})"
        out.append((f"reporting_lines[{j}].start", reason))


def _dated(item: ReportingLine | Relation) -> Found:
    if (
        not reversed_span(item.start, item.end)
        and (not isinstance(item, ReportingLine) or item.note is None or len(item.note) <= MAX_TEXT)
        and _fine_sources(item.sources)
    ):
        return []
    out: Found = []
    _add(out, "end", _period(item.start, item.end))
    if isinstance(item, ReportingLine):
        _add(out, "note", _optional_text(item.note, MAX_TEXT))
    _each(out, "sources", item.sources, _source)
    return out


def _location(location: Location) -> Found:
    lat, lon = location.latitude, location.longitude
    if (
        location.country in ALPHA2
        and (location.city is None or _fine_name(location.city))
        and (location.site is None or _fine_name(location.site))
        and (
            (lat is None and lon is None)
            or (
                lat is not None
                and lon is not None
                and type(lat) is not bool
                and type(lon) is not bool
                and -90.0 <= lat <= 90.0  # noqa: PLR2004 (NaN fails every comparison)
                and -180.0 <= lon <= 180.0  # noqa: PLR2004
                and location.basis is not None
            )
        )
        and not reversed_span(location.start, location.end)
        and _fine_sources(location.sources)
    ):
        return []  # the common case, in one expression; the checks below say why not
    out: Found = []
    _add(out, "country", _country(location.country))
    _add(out, "city", _optional_name(location.city))
    _add(out, "site", _optional_name(location.site))
    lat, lon = location.latitude, location.longitude
    if (lat is None) != (lon is None):
        out.append(("latitude", "latitude and longitude go together: give both or neither"))
    _add(out, "latitude", _coordinate(lat, 90.0))
    _add(out, "longitude", _coordinate(lon, 180.0))
    _add(out, "end", _period(location.start, location.end))
    if lat is not None and location.basis is None:
        out.append(("basis", "coordinates need a basis: 'site' or 'city'"))
    _each(out, "sources", location.sources, _source)
    return out


def _alias(alias: Alias) -> Found:
    if (
        _fine_name(alias.name)
        and (alias.abbreviation is None or _fine_name(alias.abbreviation, MAX_SHORT))
        and not reversed_span(alias.start, alias.end)
        and _fine_sources(alias.sources)
    ):
        return []
    out: Found = []
    _add(out, "name", _name(alias.name))
    _add(out, "abbreviation", _optional_name(alias.abbreviation, MAX_SHORT))
    _add(out, "end", _period(alias.start, alias.end))
    _each(out, "sources", alias.sources, _source)
    return out


def _post(post: Post) -> Found:
    out: Found = []
    if not (
        _fine_name(post.title)
        and (post.abbreviation is None or _fine_name(post.abbreviation, MAX_SHORT))
    ):
        _add(out, "title", _name(post.title))
        _add(out, "abbreviation", _optional_name(post.abbreviation, MAX_SHORT))
    _each(out, "aliases", post.aliases, _alias)
    _each(out, "holders", post.holders, _holder)
    if post.single_holder:
        out.extend(_overlaps(post.holders))
    _each(out, "vacancies", post.vacancies, _vacancy)
    if post.vacancies:
        placed = [j for j, h in enumerate(post.holders) if h.start is not None]
        periods = [post.holders[j].period for j in placed]
        for i, k in _surely_overlapping([v.period for v in post.vacancies], periods):
            holder = post.holders[placed[k]]
            reason = f"overlaps holders[{placed[k]}] ({holder.name}, {holder.period})"
            out.append((f"vacancies[{i}].start", reason))
    _each(out, "sources", post.sources, _source)
    return out


def _vacancy(vacancy: Vacancy) -> Found:
    out: Found = []
    _add(out, "end", _period(vacancy.start, vacancy.end))
    if not vacancy.sources:
        out.append(("sources", "a vacancy needs the source that records it"))
    _add(out, "note", _optional_text(vacancy.note, MAX_TEXT))
    _each(out, "sources", vacancy.sources, _source)
    return out


def _holder(holder: Holder) -> Found:
    if (
        _fine_name(holder.name)
        and (holder.rank is None or _fine_name(holder.rank, MAX_SHORT))
        and (holder.nationality is None or holder.nationality in ALPHA2)
        and not reversed_span(holder.start, holder.end)
        and (holder.note is None or len(holder.note) <= MAX_TEXT)
        and _fine_sources(holder.sources)
    ):
        return []
    out: Found = []
    _add(out, "name", _name(holder.name))
    _add(out, "rank", _optional_name(holder.rank, MAX_SHORT))
    if holder.nationality is not None:
        _add(out, "nationality", _country(holder.nationality))
    _add(out, "end", _period(holder.start, holder.end))
    _add(out, "note", _optional_text(holder.note, MAX_TEXT))
    _each(out, "sources", holder.sources, _source)
    return out


def _overlaps(holders: Sequence[Holder]) -> Found:
    out: Found = []
    for i, j in _surely_overlapping([h.period for h in holders]):
        earlier = holders[i]
        reason = f"overlaps holders[{i}] ({earlier.name}, {earlier.period}) in a single-holder post"
        out.append((f"holders[{j}].start", reason))
    return out


def _surely_overlapping(
    periods: Sequence[Period], others: Sequence[Period] | None = None
) -> list[tuple[int, int]]:
    """Pairs of periods that surely share a day, at least one pair for each period in one.

    Without ``others``: pairs ``(i, j)`` of ``periods``, ``i`` starting first,
    one for each ``j`` that overlaps an earlier one. With ``others``: pairs
    ``(i, j)`` of ``periods[i]`` and ``others[j]``. Sorting by the day each
    surely begins and comparing with the earlier period that surely lasts
    furthest takes O(n log n); comparing neighbours only would miss a long
    period that overlaps a later, non-adjacent one.
    """
    if others is None and len(periods) < 3:  # noqa: PLR2004 (most posts and lines: no sort)
        if len(periods) == 2 and periods[0].surely_overlaps(periods[1]):  # noqa: PLR2004
            first, second = periods
            return [(0, 1) if (first.begins, 0) <= (second.begins, 1) else (1, 0)]
        return []
    if others is not None and not (periods and others):
        return []
    groups = (periods,) if others is None else (periods, others)
    order = sorted(
        ((period.begins, g, k) for g, group in enumerate(groups) for k, period in enumerate(group)),
        key=lambda item: item[:3],
    )
    furthest: list[int | None] = [None] * len(groups)  # per group, the one reaching furthest
    found: list[tuple[int, int]] = []
    for _, g, k in order:
        period = groups[g][k]
        against = 0 if others is None else 1 - g
        reach = furthest[against]
        if reach is not None and groups[against][reach].surely_overlaps(period):
            found.append((reach, k) if g == 1 or others is None else (k, reach))
        best = furthest[g]
        if best is None or _lasts_longer(period, groups[g][best]):
            furthest[g] = k
    return sorted(found, key=lambda pair: pair[::-1] if others is None else pair)


def _lasts_longer(a: Period, b: Period) -> bool:
    """Whether ``a`` surely lasts beyond where ``b`` surely ends."""
    return b.ends is not None and (a.ends is None or a.ends > b.ends)


def _staff(staff: StaffCount) -> Found:
    out: Found = []
    if isinstance(staff.count, bool):
        out.append(("count", _a_bool(staff.count)))
    elif staff.count < 0:
        out.append(("count", f"expected a count of zero or more, got {staff.count!r}"))
    _add(out, "note", _optional_text(staff.note, MAX_TEXT))
    _each(out, "sources", staff.sources, _source)
    return out


def _note(note: Note) -> Found:
    out: Found = []
    _add(out, "text", _text(note.text, MAX_TEXT))
    _each(out, "sources", note.sources, _source)
    return out


def _fine_source(source: Source) -> bool:
    url, document = source.url, source.document
    return bool(
        _fine_name(source.title)
        and (url or document)
        and (url is None or len(url) <= MAX_NAME * 4)
        and (document is None or _fine_name(document))
    )


def _fine_sources(sources: Sequence[Source]) -> bool:
    return all(_fine_source(source) for source in sources) if sources else True


def _source(source: Source) -> Found:
    if _fine_source(source):
        return []  # the common case, in one expression
    url, document = source.url, source.document
    out: Found = []
    _add(out, "title", _name(source.title))
    if not url and not document:
        out.append(("", "a source needs a url or a document name"))
    _add(out, "url", _optional_text(url, MAX_NAME * 4))
    _add(out, "document", _optional_name(document))
    return out


# --- values: each returns the reason it is wrong, or None ------------------------


def _period(
    start: PartialDate | None, end: PartialDate | None, start_name: str = "start"
) -> str | None:
    if reversed_span(start, end):
        return f"ends ({end}) before it starts ({start_name} {start})"
    return None


def _country(code: str) -> str | None:
    if code in ALPHA2:
        return None
    if code.upper() in ALPHA2:
        return f"expected an uppercase ISO 3166-1 alpha-2 code, got {quote(code)}"
    return f"expected an ISO 3166-1 alpha-2 code, got {quote(code)}"


def _coordinate(value: float | None, limit: float) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return _a_bool(value)
    if not math.isfinite(value):
        return f"expected a finite number, got {value!r}"
    if not -limit <= value <= limit:
        return f"expected a value between -{limit:g} and {limit:g}, got {value!r}"
    return None


def _a_bool(value: bool) -> str:
    # mypy takes a bool for an int or a float, and True compares as 1, so only
    # a check at run time stops a flag standing in for a number.
    return f"expected a number, got bool {value!r}"


def _fine_name(value: str, limit: int = MAX_NAME) -> bool:
    # isprintable() is false for any control character (and a few harmless
    # ones, such as a no-break space): only then is the slower search needed.
    return (
        0 < len(value) <= limit
        and not value.isspace()
        and (value.isprintable() or not _CONTROL.search(value))
    )


def _name(value: str, limit: int = MAX_NAME) -> str | None:
    if not value.strip():
        return "must not be empty"
    if len(value) > limit:
        return f"too long: {len(value)} characters, at most {limit}"
    control = _CONTROL.search(value)
    if control is not None:
        return f"one line of text expected: it holds the control character U+{ord(control[0]):04X}"
    return None


def _optional_name(value: str | None, limit: int = MAX_NAME) -> str | None:
    if value is None or _fine_name(value, limit):
        return None
    return _name(value, limit)


def _text(value: str, limit: int) -> str | None:
    if len(value) > limit:
        return f"too long: {len(value)} characters, at most {limit}"
    control = _TEXT_CONTROL.search(value)
    if control is not None:
        return f"holds the control character U+{ord(control[0]):04X}"
    return None


def _optional_text(value: str | None, limit: int) -> str | None:
    return None if value is None else _text(value, limit)


# --- across records ----------------------------------------------------------------


def _reference_problems(
    entities: Mapping[str, Placed], known: Mapping[str, Record]
) -> Iterator[Problem]:
    for item in entities.values():
        entity = item.record
        assert isinstance(entity, ENTITY_CLASSES)  # noqa: S101 (entities holds only these)
        refs: list[tuple[str, str]] = []
        if entity.parent_id is not None:
            refs.append(("parent_id", entity.parent_id))
        refs.extend(
            (f"reporting_lines[{i}].parent_id", line.parent_id)
            for i, line in enumerate(entity.reporting_lines)
        )
        refs.extend(
            (f"relations[{i}].target_id", rel.target_id) for i, rel in enumerate(entity.relations)
        )
        for field, target in refs:
            if target not in known:
                yield Problem(item.file, item.label, field, f"refers to unknown id {quote(target)}")


def _cycle_problems(
    entities: Mapping[str, Placed], known: Mapping[str, Record]
) -> Iterator[Problem]:
    """Reporting-line cycles: of ``parent_id`` links, or of lines that may all hold on one day.

    A cycle that only holds for some years (``aa`` under ``bb`` and ``bb``
    under ``aa`` during 2000-2010) is as fatal as a permanent one: a view of
    2005 would have no top.
    """
    reported: set[frozenset[str]] = set()
    for found, day in dated_cycles(_links(entities, known)):
        first = found.index(min(found))  # begin at the smallest id, so reports are stable
        cycle = found[first:] + found[:first]
        reported.add(frozenset(cycle))
        item = entities[cycle[0]]
        when = "" if day == dt.date.min else f" from {day}"
        chain = " -> ".join([*cycle, cycle[0]])
        field = _line_field(item.record, cycle[1])
        yield Problem(item.file, item.label, field, f"reporting-line cycle{when}: {chain}")
    for cycle in _parent_cycles(entities, known):
        if frozenset(cycle) not in reported:
            item = entities[cycle[0]]
            chain = " -> ".join([*cycle, cycle[0]])
            yield Problem(item.file, item.label, "parent_id", f"reporting-line cycle: {chain}")


def _line_field(record: Record, parent: str) -> str:
    """The field of ``record`` that names ``parent`` as its superior."""
    for i, line in enumerate(getattr(record, "reporting_lines", ())):
        if line.parent_id == parent:
            return f"reporting_lines[{i}].parent_id"
    return "parent_id"


def _links(entities: Mapping[str, Placed], known: Mapping[str, Record]) -> dict[str, list[Link]]:
    """Each entity's superiors over time: its dated lines, or its ``parent_id`` on every day."""
    links: dict[str, list[Link]] = {}
    for ident, item in entities.items():
        entity = item.record
        assert isinstance(entity, ENTITY_CLASSES)  # noqa: S101 (entities holds only these)
        found: list[Link] = []
        if entity.reporting_lines:
            found.extend(
                (line.parent_id, *line.period.possible)
                for line in entity.reporting_lines
                if line.parent_id in known and line.parent_id != ident  # else reported per record
            )
        elif (parent := entity.parent_id) is not None and parent in known and parent != ident:
            found.append((parent, dt.date.min, None))
        if found:
            links[ident] = found
    return links


def _parent_cycles(
    entities: Mapping[str, Placed], known: Mapping[str, Record]
) -> Iterator[list[str]]:
    """Cycles of ``parent_id`` links, which the whole history's tree follows."""
    state: dict[str, int] = {}  # 1: on the current path, 2: known to reach the top
    for start in entities:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None and node in known:
            state[node] = 1
            path.append(node)
            parent = getattr(known[node], "parent_id", None)
            if parent == node:  # self-reference is reported per record
                break
            node = parent
        if node is not None and state.get(node) == 1 and node in path:
            cycle = path[path.index(node) :]
            if len(cycle) > 1:
                yield cycle
        for visited in path:
            state[visited] = 2
