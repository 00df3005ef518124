"""Rules over a whole set of records; every broken rule becomes a Problem.

The converter has already checked each record's shape and types. What is
left needs more than one field or more than one record: ids, references,
cycles, period order, overlapping holders, country codes, coordinates, and
texts that are empty or absurdly long.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final

import attrs

from natostruct.countries import ALPHA2
from natostruct.dates import Period
from natostruct.errors import Problem
from natostruct.model import (
    ENTITY_CLASSES,
    Alias,
    Entity,
    Holder,
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
    record_key,
)

__all__ = ["MAX_NAME", "MAX_TEXT", "Placed", "validate"]

#: Longest name, title or abbreviation accepted, in characters.
MAX_NAME: Final = 500
#: Longest free text (description, note) accepted, in characters.
MAX_TEXT: Final = 20_000

_SLUG: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@attrs.frozen
class Placed:
    """A record and where it came from: its file and its record label."""

    file: str
    label: str
    record: Record


def validate(placed: Sequence[Placed]) -> list[Problem]:
    """Every problem in ``placed`` taken as one dataset, in file order."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], Placed] = {}
    entities: dict[str, Placed] = {}
    partnerships: dict[tuple[str, str], list[Placed]] = {}
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


def _duplicate(item: Placed, first: Placed) -> Problem:
    record = item.record
    where = f"{first.file}: {first.label}"
    if isinstance(record, Partnership):
        start = record.start or "an unknown date"
        reason = f"duplicate partnership {record.id!r} starting {start} (first in {where})"
        return Problem(item.file, item.label, "start", reason)
    field, value = (
        ("country", record.country) if isinstance(record, MemberState) else ("id", record.id)
    )
    return Problem(item.file, item.label, field, f"duplicate {field} {value!r} (first in {where})")


def _partnership_overlaps(group: Sequence[Placed]) -> Iterator[Problem]:
    """Two partnerships of one country under one framework never surely share a day."""
    for j, later in enumerate(group):
        for earlier in group[:j]:
            a, b = earlier.record, later.record
            assert isinstance(a, Partnership)  # noqa: S101 (grouped so)
            assert isinstance(b, Partnership)  # noqa: S101
            if a.period.surely_overlaps(b.period):
                reason = f"overlaps the {a.framework} partnership {a.period} (in {earlier.file})"
                yield Problem(later.file, later.label, "start", reason)


# --- one record -----------------------------------------------------------------


def _record_problems(record: Record) -> Iterator[tuple[str, str]]:
    if isinstance(record, MemberState):
        yield from _country("country", record.country)
        yield from _name("name", record.name)
        yield from _period("accession", Period(record.signature, record.accession), "signature")
        for i, period in enumerate(record.outside_integrated_command):
            yield from _period(f"outside_integrated_command[{i}]", period)
        yield from _notes_and_sources(record.notes, record.sources)
        return
    if isinstance(record, Partnership):
        yield from _country("country", record.country)
        yield from _name("framework", record.framework)
        yield from _period("end", record.period)
        yield from _notes_and_sources(record.notes, record.sources)
        return
    yield from _entity_problems(record)


def _entity_problems(entity: Entity) -> Iterator[tuple[str, str]]:
    if not _SLUG.fullmatch(entity.id):
        yield "id", f"expected a lowercase slug like 'jfc-naples', got {entity.id!r}"
    yield from _name("name", entity.name)
    yield from _optional_name("abbreviation", entity.abbreviation)
    yield from _optional_name("category", entity.category)
    yield from _name("organization", entity.organization)
    yield from _period("disestablished", entity.period)
    if entity.parent_id == entity.id:
        yield "parent_id", "an entity cannot report to itself"
    yield from _reporting_problems(entity)
    for i, relation in enumerate(entity.relations):
        yield from _dated(f"relations[{i}]", relation)
    if entity.location is not None:
        yield from _location("location", entity.location)
    for i, place in enumerate(entity.former_locations):
        yield from _location(f"former_locations[{i}]", place)
    for i, alias in enumerate(entity.aliases):
        yield from _alias(f"aliases[{i}]", alias)
    for i, post in enumerate(entity.posts):
        yield from _post(f"posts[{i}]", post)
    for i, staff in enumerate(entity.staff):
        yield from _staff(f"staff[{i}]", staff)
    yield from _optional_text("website", entity.website, MAX_NAME)
    yield from _optional_text("description", entity.description, MAX_TEXT)
    if isinstance(entity, Mission):
        yield from _country("sending_state", entity.sending_state)
    yield from _notes_and_sources(entity.notes, entity.sources)


def _reporting_problems(entity: Entity) -> Iterator[tuple[str, str]]:
    lines = entity.reporting_lines
    for i, line in enumerate(lines):
        yield from _dated(f"reporting_lines[{i}]", line)
    if lines and entity.parent_id != lines[-1].parent_id:
        yield (
            "parent_id",
            (
                f"expected the last reporting line's parent {lines[-1].parent_id!r}, "
                f"got {entity.parent_id!r}"
            ),
        )


def _dated(path: str, item: ReportingLine | Relation) -> Iterator[tuple[str, str]]:
    yield from _period(f"{path}.end", item.period)
    if isinstance(item, ReportingLine) and item.note is not None:
        yield from _optional_text(f"{path}.note", item.note, MAX_TEXT)
    yield from _sources(f"{path}.sources", item.sources)


def _location(path: str, location: Location) -> Iterator[tuple[str, str]]:
    yield from _country(f"{path}.country", location.country)
    yield from _optional_name(f"{path}.city", location.city)
    yield from _optional_name(f"{path}.site", location.site)
    lat, lon = location.latitude, location.longitude
    if (lat is None) != (lon is None):
        yield f"{path}.latitude", "latitude and longitude go together: give both or neither"
    for field, value, limit in (("latitude", lat, 90.0), ("longitude", lon, 180.0)):
        if value is None:
            continue
        if not math.isfinite(value):
            yield f"{path}.{field}", f"expected a finite number, got {value!r}"
        elif not -limit <= value <= limit:
            yield (
                f"{path}.{field}",
                f"expected a value between -{limit:g} and {limit:g}, got {value!r}",
            )
    yield from _period(f"{path}.end", location.period)
    if lat is not None and location.basis is None:
        yield f"{path}.basis", "coordinates need a basis: 'site' or 'city'"
    yield from _sources(f"{path}.sources", location.sources)


def _alias(path: str, alias: Alias) -> Iterator[tuple[str, str]]:
    yield from _name(f"{path}.name", alias.name)
    yield from _optional_name(f"{path}.abbreviation", alias.abbreviation)
    yield from _period(f"{path}.end", alias.period)
    yield from _sources(f"{path}.sources", alias.sources)


def _post(path: str, post: Post) -> Iterator[tuple[str, str]]:
    yield from _name(f"{path}.title", post.title)
    yield from _optional_name(f"{path}.abbreviation", post.abbreviation)
    for i, alias in enumerate(post.aliases):
        yield from _alias(f"{path}.aliases[{i}]", alias)
    for i, holder in enumerate(post.holders):
        yield from _holder(f"{path}.holders[{i}]", holder)
    if post.single_holder:
        yield from _overlaps(path, post.holders)
    yield from _sources(f"{path}.sources", post.sources)


def _holder(path: str, holder: Holder) -> Iterator[tuple[str, str]]:
    yield from _name(f"{path}.name", holder.name)
    yield from _optional_name(f"{path}.rank", holder.rank)
    if holder.nationality is not None:
        yield from _country(f"{path}.nationality", holder.nationality)
    yield from _period(f"{path}.end", holder.period)
    yield from _optional_text(f"{path}.note", holder.note, MAX_TEXT)
    yield from _sources(f"{path}.sources", holder.sources)


def _overlaps(path: str, holders: Sequence[Holder]) -> Iterator[tuple[str, str]]:
    for j, later in enumerate(holders):
        for i in range(j):
            earlier = holders[i]
            if earlier.period.surely_overlaps(later.period):
                yield (
                    f"{path}.holders[{j}].start",
                    (
                        f"overlaps holders[{i}] ({earlier.name}, {earlier.period}) in a "
                        "single-holder post"
                    ),
                )


def _staff(path: str, staff: StaffCount) -> Iterator[tuple[str, str]]:
    if staff.count < 0:
        yield f"{path}.count", f"expected a count of zero or more, got {staff.count!r}"
    yield from _optional_text(f"{path}.note", staff.note, MAX_TEXT)
    yield from _sources(f"{path}.sources", staff.sources)


def _notes_and_sources(
    notes: Sequence[Note], sources: Sequence[Source]
) -> Iterator[tuple[str, str]]:
    for i, note in enumerate(notes):
        yield from _text(f"notes[{i}].text", note.text, MAX_TEXT)
        yield from _sources(f"notes[{i}].sources", note.sources)
    yield from _sources("sources", sources)


def _sources(path: str, sources: Sequence[Source]) -> Iterator[tuple[str, str]]:
    for i, source in enumerate(sources):
        url, document = source.url, source.document
        if (
            _fine_name(source.title)
            and (url or document)
            and (url is None or len(url) <= MAX_NAME * 4)
            and (document is None or _fine_name(document))
        ):
            continue  # the common case, without building paths
        yield from _name(f"{path}[{i}].title", source.title)
        if not source.url and not source.document:
            yield f"{path}[{i}]", "a source needs a url or a document name"
        yield from _optional_text(f"{path}[{i}].url", source.url, MAX_NAME * 4)
        yield from _optional_name(f"{path}[{i}].document", source.document)


def _period(path: str, period: Period, start_name: str = "start") -> Iterator[tuple[str, str]]:
    if period.is_reversed():
        yield path, f"ends ({period.end}) before it starts ({start_name} {period.start})"


# --- values ----------------------------------------------------------------------


def _country(path: str, code: str) -> Iterator[tuple[str, str]]:
    if code in ALPHA2:
        return
    if code.upper() in ALPHA2:
        yield path, f"expected an uppercase ISO 3166-1 alpha-2 code, got {code!r}"
    else:
        yield path, f"expected an ISO 3166-1 alpha-2 code, got {code!r}"


def _fine_name(value: str) -> bool:
    return 0 < len(value) <= MAX_NAME and not value.isspace()


def _name(path: str, value: str) -> Iterator[tuple[str, str]]:
    if not value.strip():
        yield path, "must not be empty"
    elif len(value) > MAX_NAME:
        yield path, f"too long: {len(value)} characters, at most {MAX_NAME}"


def _optional_name(path: str, value: str | None) -> Iterator[tuple[str, str]]:
    if value is not None and not _fine_name(value):
        yield from _name(path, value)


def _text(path: str, value: str, limit: int) -> Iterator[tuple[str, str]]:
    if len(value) > limit:
        yield path, f"too long: {len(value)} characters, at most {limit}"


def _optional_text(path: str, value: str | None, limit: int) -> Iterator[tuple[str, str]]:
    if value is not None:
        yield from _text(path, value, limit)


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
                yield Problem(item.file, item.label, field, f"refers to unknown id {target!r}")


def _cycle_problems(
    entities: Mapping[str, Placed], known: Mapping[str, Record]
) -> Iterator[Problem]:
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
                item = entities[node]
                chain = " -> ".join([*cycle, node])
                yield Problem(item.file, item.label, "parent_id", f"reporting-line cycle: {chain}")
        for visited in path:
            state[visited] = 2


def placed_records(file: str, records: Iterable[tuple[int, Record]]) -> list[Placed]:
    """Label each record of a file by its id (or ``#index`` where it has none)."""
    return [Placed(file, record_label(index, record), record) for index, record in records]


def record_label(index: int, record: Record | Mapping[str, object]) -> str:
    """The record's key: ``jfc-naples``, ``fr``, ``az:PfP``, or ``#3`` without one."""
    if not isinstance(record, Mapping):
        return record.id
    ident, country, framework = record.get("id"), record.get("country"), record.get("framework")
    if isinstance(ident, str) and ident:
        return ident
    if isinstance(country, str) and country:
        if record.get("kind") == "partnership" and isinstance(framework, str) and framework:
            return f"{country.lower()}:{framework}"
        return country.lower()
    return f"#{index}"
