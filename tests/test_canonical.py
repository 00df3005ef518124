"""The bundled canonical data is code: these tests are its type checker.

Every rule of the data brief that a machine can check is checked here on the
real data files, record by record, so that a failure names the record.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Final, cast

import attrs
import pytest

import natostruct
from natostruct import (
    Alias,
    Entity,
    Holder,
    Location,
    MemberState,
    Mission,
    Note,
    Partnership,
    Period,
    Record,
    Relation,
    ReportingLine,
    Source,
    StaffCount,
)
from natostruct.countries import ALPHA2

DS: Final = natostruct.dataset()
DOCUMENTS: Final = frozenset({"000_a3b07ae4e199dfa2.txt", "003_9ab68d6b82b5f4a2.txt"})
DATA_FILES: Final = ("bodies", "commands", "divisions", "members", "missions")
ENTITY_TYPES: Final = (natostruct.Body, natostruct.Command, natostruct.Division, Mission)
SLUG: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EARTH_RADIUS_KM: Final = 6371.0088
MAX_CITY_DISTANCE_KM: Final = 50.0

#: Reference coordinates (WGS84 degrees) of every city a location names, with
#: the page they come from (as collected in /work/research/gaps.md §7 and the
#: research sheet). Ramstein is the air base the NATO chart means by the name.
CITY_COORDINATES: Final[dict[str, tuple[float, float, str]]] = {
    "Brussels": (50.84667, 4.35167, "https://wiki.kidzsearch.com/wiki/City_of_Brussels"),
    "Mons": (50.45, 3.95, "https://familypedia.fandom.com/wiki/Mons"),
    "Norfolk": (36.917, -76.200, "https://enwikipedia.net/wiki/Norfolk%2C_Virginia"),
    "Stavanger": (
        58.97,
        5.73139,
        "https://fanyv88.com/https/en.wikipedia.org/w/index.php?oldid=1249343849&title=Stavanger",
    ),
    "Bydgoszcz": (
        53.12194,
        18.00028,
        "https://encyclopedia.datana.cloud/content/wikipedia_en_all_mini_2024-04/A/Bromberg",
    ),
    "Lisbon": (38.7253, -9.15, "https://medicine-tribe.com/2021/08/13/lisbon-wikipedia/"),
    "Brunssum": (
        50.95,
        5.967,
        "https://ixistenz.ch//?arg=https%3A%2F%2Fen.wikipedia.org%2Fwiki%2FBrunssum&service=browserrender&system=23",
    ),
    "Naples": (40.833, 14.25, "https://sco.m.wikipedia.org/wiki/Naples"),
    "İzmir": (
        38.433,
        27.15,
        "https://mr.m.wikipedia.org/wiki/%E0%A4%87%E0%A4%9D%E0%A5%8D%E0%A4%AE%E0%A4%BF%E0%A4%B0",
    ),
    "Ramstein": (49.43683, 7.60033, "https://en.wikipedia.org/wiki/Ramstein_Air_Base"),
    "Northwood": (51.601, -0.4176, "https://en-academic.com/dic.nsf/enwiki/56773"),
    "Ulm": (
        48.4,
        9.983,
        "https://askwikinow.com/view_html.php?lang=en&q=Ulm&sq=Albert+Einstein",
    ),
}


def label(record: Record) -> str:
    """A test id for a record: the entity id, or the member or partnership key."""
    if isinstance(record, MemberState):
        return f"member:{record.country}"
    if isinstance(record, Partnership):
        return f"partnership:{record.id}"
    return record.id


def walk(obj: object, path: str) -> Iterator[tuple[str, object]]:
    """Every attrs value inside ``obj`` (itself first), with a path to it."""
    yield path, obj
    if not attrs.has(type(obj)):
        return
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(obj))):
        if not field.init:  # the link to the Dataset
            continue
        value = getattr(obj, field.name)
        items = enumerate(value) if isinstance(value, tuple) else [(None, value)]
        for index, item in items:
            if attrs.has(type(item)):
                where = f"{path}.{field.name}" + ("" if index is None else f"[{index}]")
                yield from walk(item, where)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


RECORDS: Final = [pytest.param(r, id=label(r)) for r in DS.records]
ENTITIES: Final = [pytest.param(e, id=e.id) for e in DS.all()]
LOCATED: Final = [
    pytest.param(e, id=e.id)
    for e in DS.all()
    if e.location is not None and e.location.latitude is not None
]


# --- identity and references -----------------------------------------------------------


def test_ids_unique_across_files() -> None:
    """No two records in the five data files share an id."""
    keys: list[str] = []
    for name in DATA_FILES:
        text = (files("natostruct") / "data" / f"{name}.json").read_text(encoding="utf-8")
        for raw in json.loads(text)["records"]:
            if raw["kind"] == "member_state":
                keys.append(f"member:{raw['country']}")
            elif raw["kind"] == "partnership":
                keys.append(f"partnership:{raw['country']}:{raw['framework']}")
            else:
                keys.append(raw["id"])
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert len(keys) == len(DS.records)


@pytest.mark.parametrize("entity", ENTITIES)
def test_id_is_slug(entity: Entity) -> None:
    """Every entity id is a lowercase hyphenated slug."""
    assert SLUG.fullmatch(entity.id)


@pytest.mark.parametrize("entity", ENTITIES)
def test_references_resolve(entity: Entity) -> None:
    """Parents, dated reporting lines and relation targets are ids in the dataset."""
    ids = {e.id for e in DS}
    targets = [entity.parent_id] + [line.parent_id for line in entity.reporting_lines]
    targets += [relation.target_id for relation in entity.relations]
    assert [t for t in targets if t is not None and t not in ids] == []
    assert entity.parent_id != entity.id


@pytest.mark.parametrize("entity", ENTITIES)
def test_reporting_lines_end_at_parent(entity: Entity) -> None:
    """Dated reporting lines run oldest first and the last one is the current parent."""
    lines = entity.reporting_lines
    starts = [line.period.begins for line in lines]
    assert starts == sorted(starts)
    for earlier, later in pairwise(lines):
        assert not earlier.period.surely_overlaps(later.period), (earlier, later)
    if lines:
        assert lines[-1].parent_id == entity.parent_id


def _sample_days() -> list[dt.date]:
    days = {dt.date(1955, 12, 31), dt.date(1990, 1, 1), dt.date(2010, 1, 1)}
    days |= {dt.date(2023, 4, 12), dt.date(2025, 12, 31)}
    for entity in DS:
        for line in entity.reporting_lines:
            if line.start is not None:
                days.add(line.start.first_day)
    return sorted(days)


@pytest.mark.parametrize("day", [None, *_sample_days()], ids=str)
def test_no_reporting_cycles(day: dt.date | None) -> None:
    """Following parents from any entity reaches the top, on the whole history and any day."""
    view = DS if day is None else DS.as_of(day)
    parents = {e.id: e.parent_id for e in view}
    for start, parent in parents.items():
        seen = [start]
        node = parent
        while node is not None:
            assert node not in seen, f"cycle: {' -> '.join([*seen, node])}"
            seen.append(node)
            node = parents.get(node)


# --- time ------------------------------------------------------------------------------


def _periods(record: Record) -> Iterator[tuple[str, Period]]:
    for path, obj in walk(record, label(record)):
        if isinstance(obj, Period):
            yield path, obj
        elif isinstance(obj, (Alias, ReportingLine, Relation, Holder, Partnership, *ENTITY_TYPES)):
            yield path, obj.period


@pytest.mark.parametrize("record", RECORDS)
def test_periods_ordered(record: Record) -> None:
    """Every period in every record starts before it ends (a day-precise one is not empty)."""
    bad = []
    for path, period in _periods(record):
        start, end = period.start, period.end
        if period.is_reversed():
            bad.append(f"{path}: {period}")
        elif (
            start is not None
            and end is not None
            and start.precision == end.precision == "day"
            and end.first_day <= start.first_day
        ):
            bad.append(f"{path}: empty {period}")
    assert bad == []


@pytest.mark.parametrize(
    "member", [pytest.param(m, id=m.country) for m in DS.members(dt.date(2100, 1, 1))]
)
def test_signature_before_accession(member: MemberState) -> None:
    """A founder signed the Treaty before it became a Party."""
    if member.signature is not None:
        assert member.signature < member.accession


@pytest.mark.parametrize("entity", ENTITIES)
def test_holders_oldest_first(entity: Entity) -> None:
    """Each post lists its holders oldest first."""
    for post in entity.posts:
        starts = [h.period.begins for h in post.holders]
        assert starts == sorted(starts), post.title


@pytest.mark.parametrize("entity", ENTITIES)
def test_single_holder_posts_do_not_overlap(entity: Entity) -> None:
    """No two holders of a single-holder post provably share a day."""
    clashes = [
        f"{post.title}: {a.name} {a.period} / {b.name} {b.period}"
        for post in entity.posts
        if post.single_holder
        for i, a in enumerate(post.holders)
        for b in post.holders[i + 1 :]
        if a.period.surely_overlaps(b.period)
    ]
    assert clashes == []


# --- places ----------------------------------------------------------------------------


@pytest.mark.parametrize("record", RECORDS)
def test_country_codes_valid(record: Record) -> None:
    """Every country code is an uppercase ISO 3166-1 alpha-2 code."""
    codes: list[str] = []
    for _, obj in walk(record, label(record)):
        if isinstance(obj, Location):
            codes.append(obj.country)
        elif isinstance(obj, Holder) and obj.nationality is not None:
            codes.append(obj.nationality)
        elif isinstance(obj, Mission):
            codes.append(obj.sending_state)
        elif isinstance(obj, (MemberState, Partnership)):
            codes.append(obj.country)
    assert [c for c in codes if c not in ALPHA2] == []


@pytest.mark.parametrize("entity", LOCATED)
def test_coordinates_near_city(entity: Entity) -> None:
    """Coordinates are in range, sourced, and within 50 km of the city they name."""
    location = entity.location
    assert location is not None
    assert location.latitude is not None
    assert location.longitude is not None
    assert -90 <= location.latitude <= 90
    assert -180 <= location.longitude <= 180
    assert location.basis in {"site", "city"}
    assert location.sources
    assert location.city in CITY_COORDINATES, "add the city to CITY_COORDINATES"
    lat, lon, _url = CITY_COORDINATES[location.city]
    distance = haversine_km((location.latitude, location.longitude), (lat, lon))
    assert distance <= MAX_CITY_DISTANCE_KM, f"{distance:.1f} km from {location.city}"


@pytest.mark.parametrize("entity", ENTITIES)
def test_coordinates_come_in_pairs(entity: Entity) -> None:
    """A location has both coordinates and a basis, or none of them."""
    location = entity.location
    if location is not None:
        given = (location.latitude, location.longitude, location.basis)
        assert all(v is None for v in given) or all(v is not None for v in given)


@pytest.mark.parametrize("city", [pytest.param(c, id=c) for c in CITY_COORDINATES])
def test_city_reference_table(city: str) -> None:
    """Each reference city has coordinates in range and the URL they come from."""
    lat, lon, url = CITY_COORDINATES[city]
    assert -90 <= lat <= 90
    assert -180 <= lon <= 180
    assert url.startswith(("http://", "https://"))


# --- sources ---------------------------------------------------------------------------


@pytest.mark.parametrize("record", RECORDS)
def test_everything_sourced(record: Record) -> None:
    """The record, its holders, located places, former names, lines, relations, notes and counts cite a source."""
    unsourced = [] if record.sources else [label(record)]
    for path, obj in walk(record, label(record)):
        needs = isinstance(obj, (Holder, ReportingLine, Relation, Note, StaffCount))
        needs |= isinstance(obj, Alias) and obj.kind == "former"
        needs |= isinstance(obj, Location) and obj.latitude is not None
        if needs and not getattr(obj, "sources", ()):
            unsourced.append(path)
    assert unsourced == []


@pytest.mark.parametrize("record", RECORDS)
def test_sources_well_formed(record: Record) -> None:
    """Every source has a title and a URL or one of the two source documents."""
    bad = []
    for path, obj in walk(record, label(record)):
        if isinstance(obj, Source):
            ok = bool(obj.title) and obj.quality in {"official", "secondary"}
            if obj.document is not None:
                ok &= obj.document in DOCUMENTS
            else:
                ok &= obj.url is not None and obj.url.startswith(("http://", "https://"))
            if not ok:
                bad.append(path)
    assert bad == []


@pytest.mark.parametrize("entity", ENTITIES)
def test_described_and_categorised(entity: Entity) -> None:
    """Every entity has a written description and a category."""
    assert entity.description
    assert entity.description.strip()
    assert entity.category


# --- the seed ids and reporting lines of the core issue --------------------------------

SEED_PARENTS: Final = {
    "nac": None,
    "secgen": "nac",
    "mc": "nac",
    "dppc": "nac",
    "npg": "nac",
    "is": "secgen",
    "ims": "mc",
    "aco": "mc",
    "act": "mc",
    "jfc-brunssum": "aco",
    "jfc-naples": "aco",
    "jfc-norfolk": "aco",
    "jsec": "aco",
    "aircom": "aco",
    "landcom": "aco",
    "marcom": "aco",
    "jwc": "act",
    "jftc": "act",
    "jallc": "act",
    "ims-int": "ims",
    "ims-op": "ims",
    "ims-pc": "ims",
    "ims-cs": "ims",
    "ims-lr": "ims",
    "jisd": "ims",
    "nso": "ims",
    "nds": "ims",
    "sitcen": "ims",
    "eums": None,
    "mpcc": "eums",
    "usnato": None,
    "usnato-political": "usnato",
    "usnato-military": "usnato",
    "usnato-public-affairs": "usnato",
    "ncsa": None,
    "saclant": "mc",
    "landsoutheast": "jfc-naples",
}


@pytest.mark.parametrize(
    ("ident", "parent"), [pytest.param(i, p, id=i) for i, p in SEED_PARENTS.items()]
)
def test_seed_reporting_lines(ident: str, parent: str | None) -> None:
    """The fixed ids exist and report where the core issue puts them."""
    entity = DS.get(ident)
    assert entity.id == ident
    assert entity.parent_id == parent


@pytest.mark.parametrize("ident", [pytest.param(i, id=i) for i in ("jisd", "nso", "nds", "sitcen")])
def test_integrated_entities_run_with_is(ident: str) -> None:
    """The integrated entities are run jointly with the International Staff, citing the chart document."""
    relations = [r for r in DS.get(ident).relations if r.type == "jointly_run_with"]
    assert [r.target_id for r in relations] == ["is"]
    assert "000_a3b07ae4e199dfa2.txt" in {s.document for s in relations[0].sources}


@pytest.mark.parametrize("mission", [pytest.param(m, id=m.id) for m in DS.filter(kind="mission")])
def test_missions_have_no_parent(mission: Entity) -> None:
    """National missions stand outside NATO's reporting lines."""
    assert mission.parent_id is None
    assert mission.reporting_lines == ()


@pytest.mark.parametrize(
    ("key", "ident"),
    [
        pytest.param("SACEUR", "aco", id="SACEUR"),
        pytest.param("SACT", "act", id="SACT"),
        pytest.param("DGIMS", "ims", id="DGIMS"),
        pytest.param("SECGEN", "secgen", id="SECGEN"),
        pytest.param("SG", "secgen", id="SG"),
        pytest.param("SACLANT", "saclant", id="SACLANT"),
        pytest.param("CMC", "mc", id="CMC"),
        pytest.param("SHAPE", "aco", id="SHAPE"),
    ],
)
def test_post_abbreviations_resolve(key: str, ident: str) -> None:
    """A post abbreviation finds the entity its holder heads."""
    assert natostruct.get(key).id == ident


@pytest.mark.parametrize(
    "path",
    sorted((Path(natostruct.__file__).parent / "data").glob("*.json")),
    ids=lambda p: p.name,
)
def test_data_file_is_in_canonical_form(path: Path) -> None:
    """Each data file is sorted by id with stable key order (run tasks/format_data.py to fix)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "format_data", Path(__file__).parent.parent / "tasks" / "format_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert path.read_text(encoding="utf-8") == module.canonical_text(path.name, path.read_bytes())
