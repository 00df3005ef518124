"""Property tests: generated valid records round-trip; generated bad documents fail cleanly.

The strategies build every kind of record a data file may hold, with
aliases, posts whose holders never overlap, locations, notes, sources,
member states and partnerships, all obeying the validation rules. From them:

- a Dataset loaded from a file of generated records equals one built from
  the records, survives ``CONVERTER`` unstructure/structure, and survives the
  JSON export read back with :func:`natostruct.load`;
- mutations of valid documents (wrong-typed values, unknown keys, truncations,
  random bytes, flipped bytes) raise :class:`DatasetError` and nothing else.

Example counts come from a settings profile: ``natostruct-fast`` by default,
``natostruct-thorough`` with ``NATOSTRUCT_HYPOTHESIS_PROFILE=natostruct-thorough``.
tests/fuzz_loader.py reuses these strategies at high example counts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, Literal, get_args

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import natostruct
from natostruct import (
    Alias,
    Attestation,
    Body,
    Dataset,
    DatasetError,
    Entity,
    Holder,
    Holds,
    LastAttestation,
    Location,
    MemberState,
    Mission,
    Note,
    PartialDate,
    Partnership,
    Period,
    Post,
    Record,
    Relation,
    ReportingLine,
    Source,
    StaffCount,
    fileformat,
)
from natostruct.changes import CHANGE_TYPES, Change
from natostruct.convert import CONVERTER, structure_record
from natostruct.countries import ALPHA2
from natostruct.dates import reversed_span
from natostruct.export import export
from natostruct.model import ENTITY_CLASSES, AliasKind, NoteKind, Quality, RelationType

settings.register_profile(
    "natostruct-fast",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "natostruct-thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: The profile these tests run under (never loaded globally: other test files keep theirs).
PROFILE: Final = settings.get_profile(
    os.environ.get("NATOSTRUCT_HYPOTHESIS_PROFILE", "natostruct-fast")
)

# --- values --------------------------------------------------------------------------
# Strategies are built once, at module level: building one inside a draw costs
# more than the draw itself.

#: Any character a UTF-8 file can hold (no lone surrogates).
ANY_CHARS: Final = st.characters(codec="utf-8")
#: What one line of text may hold: no control character, no line separator.
_CONTROLS: Final[list[Literal["Cc"]]] = ["Cc"]
CHARS: Final = st.characters(
    codec="utf-8", exclude_categories=_CONTROLS, exclude_characters="\u2028\u2029"
)
#: What free text may hold: also tabs and line breaks.
TEXT_CHARS: Final = st.characters(codec="utf-8", exclude_categories=_CONTROLS) | st.sampled_from(
    "\t\n\r"
)
COUNTRIES: Final = st.sampled_from(sorted(ALPHA2))
MAYBE_COUNTRY: Final = st.none() | COUNTRIES
SLUGS: Final = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
TEXTS: Final = st.text(TEXT_CHARS, max_size=40)
MAYBE_TEXT: Final = st.none() | TEXTS
#: Texts that are not blank (the rule for names, titles and abbreviations).
NAMES: Final = st.text(CHARS, min_size=1, max_size=20).filter(lambda s: bool(s.strip()))
MAYBE_NAME: Final = st.none() | NAMES
MAYBE_ABBREVIATION: Final = st.none() | st.text(CHARS, min_size=1, max_size=8).filter(
    lambda s: bool(s.strip())
)
URLS: Final = st.from_regex(r"https://example\.invalid/[a-z0-9/]{0,20}", fullmatch=True)
#: Which of url and document a source gives: at least one.
SOURCE_PLACES: Final = st.sampled_from([(True, False), (False, True), (True, True)])
QUALITIES: Final[st.SearchStrategy[Quality]] = st.sampled_from(get_args(Quality))
NOTE_KINDS: Final[st.SearchStrategy[NoteKind]] = st.sampled_from(get_args(NoteKind))
NOTE_FIELDS: Final = st.none() | st.sampled_from(["name", "parent_id", "established"])
ALIAS_KINDS: Final[st.SearchStrategy[AliasKind]] = st.sampled_from(get_args(AliasKind))
LANGUAGES: Final = st.none() | st.sampled_from(["en", "fr", "de", "tr"])
Basis = Literal["site", "city"]
BASES: Final[st.SearchStrategy[Basis]] = st.sampled_from(get_args(Basis))
RELATION_TYPES: Final[st.SearchStrategy[RelationType]] = st.sampled_from(get_args(RelationType))
PRECISIONS: Final = st.sampled_from(["year", "month", "day"])
FRAMEWORKS: Final = st.sampled_from(["Partnership for Peace", "Mediterranean Dialogue"])
ORGANIZATIONS: Final = st.just("NATO") | NAMES
WEBSITES: Final = st.none() | st.just("https://example.invalid/")
COORDINATES: Final = st.none() | st.tuples(
    st.floats(-90.0, 90.0, allow_nan=False), st.floats(-180.0, 180.0, allow_nan=False)
)
COUNTS: Final = st.integers(0, 10**12)
#: An index into a short list, taken modulo its length (cheaper than a new sampled_from).
INDEXES: Final = st.integers(0, 1000)
ALL_DAYS: Final = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))
MODERN_DAYS: Final = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def pick(draw: st.DrawFn, items: list[str]) -> str:
    """One of ``items`` (which must not be empty)."""
    return items[draw(INDEXES) % len(items)]


def truncate(day: dt.date, precision: str) -> PartialDate:
    """``day`` at year, month or day precision."""
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """A date at year, month or day precision."""
    return truncate(draw(ALL_DAYS), draw(PRECISIONS))


MAYBE_DATE: Final = st.none() | partial_dates()


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A period that does not end before it starts; either end may be open."""
    start = draw(MAYBE_DATE)
    end = draw(MAYBE_DATE)
    if start is not None and end is not None and end.first_day < start.first_day:
        start, end = end, start
    return Period(start, end)


PERIODS: Final = periods()


@st.composite
def sources(draw: st.DrawFn) -> Source:
    """A source with a url, a document name, or both."""
    has_url, has_document = draw(SOURCE_PLACES)
    return Source(
        title=draw(NAMES),
        quality=draw(QUALITIES),
        url=draw(URLS) if has_url else None,
        document=draw(NAMES) if has_document else None,
        retrieved=draw(MAYBE_DATE),
    )


#: Sources of a record (up to two) and of a part of one (up to one).
SOURCE_LISTS: Final = st.lists(sources(), max_size=2).map(tuple)
FEW_SOURCES: Final = st.lists(sources(), max_size=1).map(tuple)
SOME_SOURCES: Final = st.lists(sources(), min_size=1, max_size=1).map(tuple)


@st.composite
def notes(draw: st.DrawFn) -> Note:
    """A note of any kind, maybe about one field."""
    return Note(
        text=draw(TEXTS),
        kind=draw(NOTE_KINDS),
        field=draw(NOTE_FIELDS),
        sources=draw(FEW_SOURCES),
    )


NOTE_LISTS: Final = st.lists(notes(), max_size=1).map(tuple)


@st.composite
def aliases(draw: st.DrawFn) -> Alias:
    """Another name, dated or not."""
    period = draw(PERIODS)
    return Alias(
        name=draw(NAMES),
        abbreviation=draw(MAYBE_ABBREVIATION),
        kind=draw(ALIAS_KINDS),
        language=draw(LANGUAGES),
        start=period.start,
        end=period.end,
        sources=draw(FEW_SOURCES),
    )


ALIAS_LISTS: Final = st.lists(aliases(), max_size=2).map(tuple)
POST_ALIAS_LISTS: Final = st.lists(aliases(), max_size=1).map(tuple)


@st.composite
def locations(draw: st.DrawFn) -> Location:
    """A place with both coordinates (and a basis) or neither."""
    coordinates = draw(COORDINATES)
    latitude, longitude = coordinates if coordinates is not None else (None, None)
    basis = draw(BASES) if coordinates is not None or draw(st.booleans()) else None
    return Location(
        country=draw(COUNTRIES),
        city=draw(MAYBE_NAME),
        site=draw(MAYBE_NAME),
        latitude=latitude,
        longitude=longitude,
        basis=basis,
        sources=draw(FEW_SOURCES),
    )


MAYBE_LOCATION: Final = st.none() | locations()


def _holder(draw: st.DrawFn, period: Period) -> Holder:
    return Holder(
        name=draw(NAMES),
        rank=draw(MAYBE_ABBREVIATION),
        nationality=draw(MAYBE_COUNTRY),
        start=period.start,
        end=period.end,
        acting=draw(st.booleans()),
        note=draw(MAYBE_TEXT),
        sources=draw(FEW_SOURCES),
    )


@st.composite
def successive_periods(draw: st.DrawFn) -> list[Period]:
    """Periods one after the other that never surely overlap (a single-holder post).

    Boundaries share one precision and are distinct, so one holder's end is
    at or before the next one's start at every resolution of the dates.
    """
    precision = draw(PRECISIONS)
    days = draw(st.lists(MODERN_DAYS, max_size=4))
    bounds = sorted({truncate(day, precision) for day in days}, key=str)
    out: list[Period] = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] if i + 1 < len(bounds) else (start if draw(st.booleans()) else None)
        out.append(Period(start, end))
    unknown_start: bool = draw(st.booleans())  # the first holder's start is unknown
    if out and unknown_start:
        out[0] = Period(None, out[0].end)
    return out


SUCCESSIVE: Final = successive_periods()
ANY_PERIODS: Final = st.lists(PERIODS, max_size=3)


@st.composite
def posts(draw: st.DrawFn) -> Post:
    """A post; a single-holder post's holders follow one another."""
    single = draw(st.booleans())
    spans = draw(SUCCESSIVE if single else ANY_PERIODS)
    return Post(
        title=draw(NAMES),
        abbreviation=draw(MAYBE_ABBREVIATION),
        leading=draw(st.booleans()),
        single_holder=single,
        aliases=draw(POST_ALIAS_LISTS),
        holders=tuple(_holder(draw, span) for span in spans),
        sources=draw(FEW_SOURCES),
    )


POST_LISTS: Final = st.lists(posts(), max_size=2).map(tuple)


@st.composite
def staff_counts(draw: st.DrawFn) -> StaffCount:
    """A head count, maybe approximate and dated."""
    return StaffCount(
        count=draw(COUNTS),
        date=draw(MAYBE_DATE),
        approximate=draw(st.booleans()),
        note=draw(MAYBE_TEXT),
        sources=draw(FEW_SOURCES),
    )


STAFF_LISTS: Final = st.lists(staff_counts(), max_size=1).map(tuple)
ENTITY_CLASS: Final = st.sampled_from(ENTITY_CLASSES)
# Ids that differ only in hyphens are looked up alike, which a Dataset refuses.
ID_LISTS: Final = st.lists(
    SLUGS, min_size=1, max_size=5, unique_by=lambda ident: ident.replace("-", "")
)
SMALL: Final = st.integers(0, 2)


def _reporting_lines(draw: st.DrawFn, parent: str, earlier: list[str]) -> tuple[ReportingLine, ...]:
    """Lines one after another, oldest first, the last to ``parent``; each may start unknown."""
    days = draw(st.lists(ALL_DAYS, min_size=1, max_size=4, unique=True))
    bounds = [truncate(day, draw(PRECISIONS)) for day in sorted(days)]
    # Coarsened bounds may now coincide or reverse at their precision: keep
    # those that still follow one another, so that no two lines surely overlap.
    kept = [bounds[0]]
    for bound in bounds[1:]:
        if bound.first_day > kept[-1].last_day:
            kept.append(bound)
    starts: list[PartialDate | None] = [None if draw(st.booleans()) else kept[0], *kept[1:]]
    ends: list[PartialDate | None] = [*kept[1:], draw(st.none() | st.just(kept[-1]))]
    if ends[-1] is not None and ends[-1] == starts[-1]:
        ends[-1] = None
    parents = [pick(draw, earlier) for _ in starts[:-1]]
    lines = [
        ReportingLine(parent_id=p, start=start, end=end)
        for p, start, end in zip(parents, starts, ends, strict=False)  # the last line follows
    ]
    last = ReportingLine(
        parent_id=parent,
        start=starts[-1],
        end=ends[-1],
        note=draw(MAYBE_TEXT),
        sources=draw(FEW_SOURCES),
    )
    return (*lines, last)


def _relations(draw: st.DrawFn, ids: list[str], own: str) -> tuple[Relation, ...]:
    out: list[Relation] = []
    others = [i for i in ids if i != own]
    for _ in range(draw(SMALL) if others else 0):
        span = draw(PERIODS)
        out.append(
            Relation(
                type=draw(RELATION_TYPES),
                target_id=pick(draw, others),
                start=span.start,
                end=span.end,
                note=draw(MAYBE_TEXT),
            )
        )
    return tuple(out)


@st.composite
def entities(draw: st.DrawFn) -> list[Entity]:
    """A forest of entities: each parent comes earlier, so no reporting line loops."""
    ids = draw(ID_LISTS)
    out: list[Entity] = []
    for i, ident in enumerate(ids):
        earlier = ids[:i]
        has_parent: bool = draw(st.booleans())
        has_lines: bool = draw(st.booleans())
        parent = pick(draw, earlier) if earlier and has_parent else None
        lines = _reporting_lines(draw, parent, earlier) if parent and has_lines else ()
        life = draw(PERIODS)
        attested = None
        if life.start is None and draw(st.booleans()):
            bound = draw(partial_dates())
            if not reversed_span(bound, life.end):
                attested = Attestation(date=bound, sources=draw(SOME_SOURCES))
        last_attested = None
        if life.end is None and draw(st.booleans()):
            last, latest = draw(partial_dates()), draw(st.none() | partial_dates())
            began = life.start or (None if attested is None else attested.date)
            if not reversed_span(began, last) and not reversed_span(last, latest):
                last_attested = LastAttestation(
                    date=last, latest=latest, sources=draw(SOME_SOURCES)
                )
        cls = draw(ENTITY_CLASS)
        extra: dict[str, Any] = {"sending_state": draw(COUNTRIES)} if cls is Mission else {}
        out.append(
            cls(
                id=ident,
                name=draw(NAMES),
                abbreviation=draw(MAYBE_ABBREVIATION),
                category=draw(MAYBE_NAME),
                organization=draw(ORGANIZATIONS),
                parent_id=parent,
                reporting_lines=lines,
                relations=_relations(draw, ids, ident),
                location=draw(MAYBE_LOCATION),
                established=life.start,
                disestablished=life.end,
                attested=attested,
                last_attested=last_attested,
                aliases=draw(ALIAS_LISTS),
                posts=draw(POST_LISTS),
                staff=draw(STAFF_LISTS),
                website=draw(WEBSITES),
                description=draw(MAYBE_TEXT),
                notes=draw(NOTE_LISTS),
                sources=draw(SOURCE_LISTS),
                **extra,
            )
        )
    return out


MEMBER_COUNTRIES: Final = st.lists(COUNTRIES, max_size=4, unique=True)
PARTNER_KEYS: Final = st.lists(st.tuples(COUNTRIES, FRAMEWORKS), max_size=3, unique=True)


@st.composite
def member_states(draw: st.DrawFn) -> list[MemberState]:
    """Member states of distinct countries; a signature never follows accession."""
    out: list[MemberState] = []
    for country in draw(MEMBER_COUNTRIES):
        accession = draw(partial_dates())
        signature = draw(MAYBE_DATE)
        if signature is not None and signature.first_day > accession.first_day:
            signature, accession = accession, signature
        out.append(
            MemberState(
                country=country,
                name=draw(NAMES),
                accession=accession,
                signature=signature,
                outside_integrated_command=tuple(draw(ANY_PERIODS)),
                notes=draw(NOTE_LISTS),
                sources=draw(SOURCE_LISTS),
            )
        )
    return out


@st.composite
def partnerships(draw: st.DrawFn) -> list[Partnership]:
    """Partnerships with distinct (country, framework) keys."""
    out: list[Partnership] = []
    for country, framework in draw(PARTNER_KEYS):
        span = draw(PERIODS)
        out.append(
            Partnership(
                country=country,
                framework=framework,
                start=span.start,
                end=span.end,
                notes=draw(NOTE_LISTS),
                sources=draw(SOURCE_LISTS),
            )
        )
    return out


@st.composite
def valid_records(draw: st.DrawFn) -> list[Record]:
    """Every kind of record, in a random order, that together pass validation."""
    records: list[Record] = [*draw(entities()), *draw(member_states()), *draw(partnerships())]
    return draw(st.permutations(records))


def document(records: list[Record]) -> dict[str, Any]:
    """The data file document holding ``records``."""
    return {"format_version": 1, "records": [CONVERTER.unstructure(r) for r in records]}


def encode(doc: object) -> bytes:
    """A document as data file bytes (JSON, UTF-8)."""
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


valid_documents: Final = valid_records().map(document)

#: Valid records at the ends of the calendar: an end in 9999 has no day after it,
#: and an entity disestablished on 0001-01-01 has no day before that.
CALENDAR_EDGES: Final[list[Record]] = [
    Body(id="late", name="Late", disestablished=PartialDate(9999)),
    Body(id="early", name="Early", disestablished=PartialDate(1, 1, 1)),
    Body(
        id="held",
        name="Held",
        aliases=(Alias(name="Old", kind="former", end=PartialDate(9999, 12)),),
        posts=(
            Post(title="Head", leading=True, holders=(Holder(name="A", end=PartialDate(9999)),)),
        ),
    ),
]


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A scratch file path, reused by every example of a test."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "data.json"


def load_bytes(path: Path, data: bytes) -> Dataset:
    """Write ``data`` to ``path`` and load it."""
    path.write_bytes(data)
    return natostruct.load(path)


# --- valid data round-trips ---------------------------------------------------------------


@PROFILE
@given(records=valid_records())
def test_generated_records_load(records: list[Record], scratch: Path) -> None:
    """A file of generated valid records loads to the Dataset those records make."""
    ds = load_bytes(scratch, encode(document(records)))
    assert ds == Dataset(records)
    assert set(ds.records) == set(records)
    assert len(ds.records) == len(records)


@PROFILE
@given(records=valid_records())
def test_converter_round_trip(records: list[Record], scratch: Path) -> None:
    """Every loaded record survives CONVERTER unstructure then structure."""
    ds = load_bytes(scratch, encode(document(records)))
    for record in ds.records:
        raw = CONVERTER.unstructure(record)
        assert raw["kind"] == record.kind
        again = structure_record(json.loads(json.dumps(raw)))
        assert again == record
        assert type(again) is type(record)
    assert Dataset(structure_record(CONVERTER.unstructure(r)) for r in ds.records) == ds


@PROFILE
@given(records=valid_records())
def test_json_export_round_trip(records: list[Record], scratch: Path) -> None:
    """The JSON export of a loaded Dataset is its data file and loads back to an equal Dataset."""
    ds = load_bytes(scratch, encode(document(records)))
    text = export(ds, "json")
    assert json.loads(text) == fileformat.write(ds.records)[0]
    again = load_bytes(scratch, text.encode("utf-8"))
    assert again == ds
    assert export(again, "json") == text
    old = fileformat.dumps(fileformat.write(ds.records, version=1)[0])
    assert load_bytes(scratch, old.encode("utf-8")) == ds


@PROFILE
@given(records=valid_records(), day=ALL_DAYS)
@example(records=CALENDAR_EDGES, day=dt.date(2000, 1, 1))
def test_json_export_of_a_day_loads(records: list[Record], day: dt.date, scratch: Path) -> None:
    """The JSON snapshot of an as_of view loads on its own, with the view's entities."""
    view = Dataset(records).as_of(day)
    again = load_bytes(scratch, export(view, "json").encode("utf-8"))
    assert [e.id for e in again] == [e.id for e in view]
    assert [(e.name, e.parent_id) for e in again] == [(e.name, e.parent_id) for e in view]
    assert again.records[len(again) :] == view.records[len(view) :]


# --- invalid documents fail with DatasetError, and only with it ------------------------------

#: JSON values of each type, to put where a value of another type belongs.
JUNK_BY_TYPE: Final[dict[str, st.SearchStrategy[Any]]] = {
    "string": st.text(ANY_CHARS, max_size=10),
    "number": st.integers(-(10**20), 10**20) | st.floats(allow_nan=False, allow_infinity=False),
    "boolean": st.booleans(),
    "array": st.lists(st.integers() | st.text(max_size=3), max_size=3),
    "object": st.dictionaries(st.text(ANY_CHARS, max_size=5), st.integers(), max_size=2),
}


def json_type(value: object) -> str:
    """The JSON type name of a parsed value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def containers(value: object, path: tuple[int | str, ...] = ()) -> Iterator[tuple[int | str, ...]]:
    """Paths of every value inside ``value``, depth first (the root is ``()``)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from containers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from containers(item, (*path, index))


def replace(doc: Any, path: tuple[int | str, ...], new: object) -> Any:
    """A copy of ``doc`` with the value at ``path`` replaced by ``new``."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: replace(v, rest, new) if k == head else v for k, v in doc.items()}
    return [replace(v, rest, new) if i == head else v for i, v in enumerate(doc)]


def get_at(doc: Any, path: tuple[int | str, ...]) -> Any:
    """The value at ``path``."""
    for step in path:
        doc = doc[step]
    return doc


#: A position among the values of a document, taken modulo their number.
POSITIONS: Final = st.integers(0, 10**6)


def pick_path(
    draw: st.DrawFn, doc: object, keep: Callable[[object], bool] = bool
) -> tuple[int | str, ...]:
    """A path to one value of ``doc`` for which ``keep(value)`` holds (default: any)."""
    paths = [p for p in containers(doc) if keep is bool or keep(get_at(doc, p))]
    return paths[draw(POSITIONS) % len(paths)]


JUNK_TYPES: Final = sorted(JUNK_BY_TYPE)


@st.composite
def wrong_type_documents(
    draw: st.DrawFn, docs: st.SearchStrategy[dict[str, Any]] = valid_documents
) -> dict[str, Any]:
    """A valid document with one value (not null) replaced by a value of another JSON type.

    No field accepts two JSON types apart from null (and int for float, which
    stay "number" here), so the result is always invalid.
    """
    doc = draw(docs)
    path = pick_path(draw, doc, lambda value: value is not None)
    current = json_type(get_at(doc, path))
    others = [t for t in JUNK_TYPES if t != current]
    other = others[draw(POSITIONS) % len(others)]
    result: dict[str, Any] = replace(doc, path, draw(JUNK_BY_TYPE[other]))
    return result


@st.composite
def unknown_key_documents(
    draw: st.DrawFn, docs: st.SearchStrategy[dict[str, Any]] = valid_documents
) -> dict[str, Any]:
    """A valid document with a key no record has added to one of its objects."""
    doc = draw(docs)
    path = pick_path(draw, doc, lambda value: isinstance(value, dict))
    target = dict(get_at(doc, path))
    target["x-" + draw(st.text(ANY_CHARS, max_size=5))] = draw(JUNK_BY_TYPE["string"])
    result: dict[str, Any] = replace(doc, path, target)
    return result


ANY_JUNK: Final = st.none() | st.one_of(*JUNK_BY_TYPE.values())


@st.composite
def junk_documents(
    draw: st.DrawFn, docs: st.SearchStrategy[dict[str, Any]] = valid_documents
) -> dict[str, Any]:
    """A valid document with any value replaced by any JSON value (maybe still valid)."""
    doc = draw(docs)
    result: dict[str, Any] = replace(doc, pick_path(draw, doc), draw(ANY_JUNK))
    return result


@PROFILE
@given(doc=wrong_type_documents() | unknown_key_documents())
def test_invalid_documents_raise_dataset_error(doc: dict[str, Any], scratch: Path) -> None:
    """A wrong-typed value or an unknown key anywhere is a DatasetError, never another exception."""
    with pytest.raises(DatasetError) as info:
        load_bytes(scratch, encode(doc))
    assert info.value.problems
    assert all(p.file == str(scratch) for p in info.value.problems)


@PROFILE
@given(data=valid_documents.map(encode), cut=st.floats(0.0, 1.0, exclude_max=True))
def test_truncated_documents_raise_dataset_error(data: bytes, cut: float, scratch: Path) -> None:
    """Any strict prefix of a data file (an object not yet closed) is a DatasetError."""
    with pytest.raises(DatasetError) as info:
        load_bytes(scratch, data[: int(len(data.rstrip()) * cut)])
    (problem,) = info.value.problems
    assert problem.record is None


@PROFILE
@given(data=st.binary(max_size=200))
def test_random_bytes_raise_dataset_error(data: bytes, scratch: Path) -> None:
    """Random bytes are a DatasetError with one file-level problem."""
    try:
        parsed = json.loads(data)
    except ValueError:
        pass
    else:
        assume(not (isinstance(parsed, dict) and {"format_version", "records"} <= set(parsed)))
    with pytest.raises(DatasetError) as info:
        load_bytes(scratch, data)
    (problem,) = info.value.problems
    assert problem.record is None


@PROFILE
@given(
    data=valid_documents.map(encode) | junk_documents().map(encode),
    flips=st.lists(st.tuples(st.integers(0), st.integers(0, 255)), min_size=1, max_size=3),
)
def test_damaged_documents_load_or_raise_dataset_error(
    data: bytes, flips: list[tuple[int, int]], scratch: Path
) -> None:
    """A document with junk values or flipped bytes loads to a round-tripping Dataset or is a DatasetError."""
    damaged = bytearray(data)
    for position, byte in flips:
        damaged[position % len(damaged)] = byte
    try:
        ds = load_bytes(scratch, bytes(damaged))
    except DatasetError as exc:
        problems = exc.problems
    else:
        problems = ()
        assert load_bytes(scratch, export(ds, "json").encode("utf-8")) == ds
    assert all(p.file == str(scratch) for p in problems)


# --- queries never fail on valid data ------------------------------------------------------


@PROFILE
@given(records=valid_records(), day=ALL_DAYS, other=ALL_DAYS)
@example(records=CALENDAR_EDGES, day=dt.date(2000, 1, 1), other=dt.date.max)
def test_queries_on_generated_data(records: list[Record], day: dt.date, other: dt.date) -> None:
    """Every query answers on any valid Dataset and any day, without raising."""
    ds = Dataset(records)
    view = ds.as_of(day)
    assert tuple(view) == view.all()
    assert all(e.id in ds for e in view)
    ds.members(day)
    ds.diff(min(day, other), max(day, other))
    for entity in ds:
        ds.history(entity.id)
        ds.holders(entity.id, day)
        assert ds.chain_of_command(entity.id)[0] == entity
        assert ds.subtree(entity.id)[0] == entity
        ds.search(entity.name)


@given(text=st.text(max_size=40))
@example(text="İzmir")
@example(text="JFC-Brunssum")
@example(text="µ ١٩٤٩ Брюссель")
def test_normalise_keeps_letters_and_digits(text: str) -> None:
    """The fast path for ASCII gives what the general rule gives, and a key normalises to itself.

    The rule: fold, decompose, case-fold, keep letters and digits (digits as
    ASCII digits).
    """
    import unicodedata

    from natostruct.matching import _folded, normalise

    kept = (
        str(unicodedata.decimal(c)) if c.isdecimal() else c for c in _folded(text) if c.isalnum()
    )
    key = normalise(text)
    assert key == "".join(kept)
    assert normalise(key) == key
    if text.isascii():
        assert key.isascii()
        assert key == "".join(c for c in text.lower() if c.isalnum())


@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 1)))
def test_a_month_date_ends_on_the_months_last_day(day: dt.date) -> None:
    """``YYYY-MM`` covers the month to its last day, in leap years too."""
    import calendar

    last = PartialDate(day.year, day.month).last_day
    assert last == dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


@given(date=partial_dates(), day=ALL_DAYS)
@example(date=PartialDate(2000), day=dt.date(2000, 1, 1))
@example(date=PartialDate(2000, 1), day=dt.date(2000, 1, 1))
def test_a_partial_date_equals_a_day_only_if_it_is_that_day(
    date: PartialDate, day: dt.date
) -> None:
    """A day-precise date equals its first day and hashes like it; a coarser one equals no day."""
    if date.precision == "day":
        assert date == date.first_day
        assert date.first_day == date
        assert hash(date) == hash(date.first_day)
        assert (date == day) == (date.first_day == day)
    else:
        assert date != day
        assert day != date
        assert date != date.first_day
    assert [date < day, date == day, date > day].count(True) == 1


# --- honest time: what a view states, it surely holds ---------------------------------


@PROFILE
@given(period=PERIODS, day=MODERN_DAYS)
def test_surely_implies_may(period: Period, day: dt.date) -> None:
    """Surely holding implies maybe holding; ``contains`` is exactly "surely"."""
    holds = period.holds_on(day)
    assert period.contains(day) == (holds is Holds.SURELY)
    if holds is Holds.SURELY:
        assert holds.possibly
    if period.current_on(day):  # the last value that surely held has begun surely
        assert period.start is None or period.start.last_day <= day


@PROFILE
@given(entities=entities(), day=MODERN_DAYS)
def test_the_sure_span_bounds_what_exists_on_says(entities: list[Entity], day: dt.date) -> None:
    """``surely_from`` and ``surely_until``, which ``diff`` dates changes by, agree with ``exists_on``."""
    for entity in entities:
        if entity.surely_from is None:
            continue  # no start and no bound: timeless, or never shown as surely existing
        until = entity.surely_until
        inside = entity.surely_from <= day and (until is None or day < until)
        assert (entity.exists_on(day) is Holds.SURELY) == inside


@PROFILE
@given(records=valid_records(), day=MODERN_DAYS)
def test_a_view_holds_what_surely_existed(records: list[Record], day: dt.date) -> None:
    """A view's entities are those that surely existed that day, or timeless ones."""
    whole = Dataset(records)
    view = whole.as_of(day)
    shown = {e.id for e in view}
    sure = {e.id for e in whole if e.exists_on(day) is Holds.SURELY}
    assert {i for i in shown if not whole.get(i).timeless} == {
        i for i in sure if not whole.get(i).timeless
    }
    assert shown <= sure
    assert not shown & {e.id for e in view.uncertain()}


@PROFILE
@given(records=valid_records(), day=MODERN_DAYS)
def test_no_single_holder_post_yields_two_holders(records: list[Record], day: dt.date) -> None:
    """holders_on, the view's posts and Dataset.holders never give two people for one post."""
    whole = Dataset(records)
    offenders = [
        (e.id, post.title)
        for e in whole
        for post in e.posts
        if post.single_holder and len(post.holders_on(day)) > 1
    ]
    offenders += [
        (e.id, post.title)
        for e in whole.as_of(day)
        for post in e.posts
        if post.single_holder and len(post.holders) > 1
    ]
    assert offenders == []


CHANGE_ORDER: Final = {kind: i for i, kind in enumerate(CHANGE_TYPES)}


@PROFILE
@given(records=valid_records(), days=st.lists(MODERN_DAYS, min_size=3, max_size=3, unique=True))
def test_a_diff_is_the_diffs_of_its_parts(records: list[Record], days: list[dt.date]) -> None:
    """diff(d1, d3) is diff(d1, d2) then diff(d2, d3), compared on what each change says."""
    ds = Dataset(records)
    assume(not any(e.timeless for e in ds))  # a timeless record is compared on the end days only
    d1, d2, d3 = sorted(days)

    def said(changes: tuple[Change, ...]) -> list[tuple[object, ...]]:
        return [(c.date, c.source_date, c.type, c.entity_id, c.before, c.after) for c in changes]

    assert said(ds.diff(d1, d3)) == sorted(
        said(ds.diff(d1, d2)) + said(ds.diff(d2, d3)),
        key=lambda c: (c[0], CHANGE_ORDER[c[2]], c[3]),  # type: ignore[index]
    )


@st.composite
def link_tables(draw: st.DrawFn) -> dict[str, list[tuple[str, dt.date, dt.date | None]]]:
    """A few entities, each with a few dated links to the others (cycles welcome)."""
    names = ["a", "b", "c", "d", "e"][: draw(st.integers(2, 5))]
    days = st.dates(dt.date(2000, 1, 1), dt.date(2000, 1, 20))
    table: dict[str, list[tuple[str, dt.date, dt.date | None]]] = {}
    for child in names:
        for _ in range(draw(st.integers(0, 3))):
            parent = draw(st.sampled_from([n for n in names if n != child]))
            start = draw(days)
            end = draw(st.none() | days)
            table.setdefault(child, []).append((parent, start, end))
    return table


def _cycle_on(table: dict[str, list[tuple[str, dt.date, dt.date | None]]], day: dt.date) -> bool:
    """Brute force: do the links that hold on ``day`` contain a cycle?"""
    up = {
        c: {p for p, s, e in links if s <= day and (e is None or day < e)}
        for c, links in table.items()
    }
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        state[node] = 1
        for parent in up.get(node, ()):
            if state.get(parent) == 1 or (parent not in state and visit(parent)):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in up)


@PROFILE
@given(link_tables())
def test_dated_cycles_match_a_day_by_day_search(
    table: dict[str, list[tuple[str, dt.date, dt.date | None]]],
) -> None:
    """The replay finds a cycle exactly when some day's links contain one, on the first such day."""
    from natostruct.cycles import dated_cycles

    found = list(dated_cycles(table))
    days = [dt.date(2000, 1, 1) + dt.timedelta(days=k) for k in range(21)]
    cyclic = [day for day in days if _cycle_on(table, day)]
    assert bool(found) == bool(cyclic)
    for cycle, day in found:
        assert day in cyclic
        links = {
            (c, p)
            for c, ls in table.items()
            for p, s, e in ls
            if s <= day and (e is None or day < e)
        }
        assert all((a, b) in links for a, b in zip(cycle, [*cycle[1:], cycle[0]], strict=True))
    if found:
        assert min(day for _, day in found) == cyclic[0]
