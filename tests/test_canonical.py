"""The bundled canonical data is code: these tests are its type checker.

The loader skips the rules across records for the bundled files, so the first
test runs the full validator, every rule, over them. The others check the
data policy the loader does not enforce (every fact sourced, every entity
described, coordinates near their city, holders in order). Each test checks
one rule over all the records and lists every offender, so that a failure
names them all at once.
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
from urllib.parse import urlsplit

import attrs

import natostruct
from natostruct import (
    Alias,
    Holder,
    Location,
    MemberState,
    Note,
    Partnership,
    Period,
    Record,
    Relation,
    ReportingLine,
    Source,
    StaffCount,
    bundle,
    fileformat,
    loader,
)
from natostruct.matching import _folded
from natostruct.model import (
    CATEGORIES,
    ENTITY_CLASSES,
    FAMILIES,
    Accreditation,
    FrameworkNation,
    Mission,
)

DS: Final = natostruct.dataset()


def _start(period: Period) -> tuple[dt.date, dt.date]:
    """A key that orders periods by their start as the source gives it (unknown first)."""
    start = period.start
    return (dt.date.min, dt.date.min) if start is None else (start.first_day, start.last_day)


DOCUMENTS: Final = frozenset({"000_a3b07ae4e199dfa2.txt", "003_9ab68d6b82b5f4a2.txt"})
DATA_FILES: Final = ("bodies", "commands", "divisions", "members", "missions")
SLUG: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
EARTH_RADIUS_KM: Final = 6371.0088
MAX_CITY_DISTANCE_KM: Final = 50.0

#: Reference coordinates (WGS84 degrees) of every city a location names, with
#: the page each comes from. Ramstein is the air base the NATO chart means by
#: the name.
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
    "Wesel": (51.65861, 6.61778, "http://piglix.com/piglix/Wesel"),
    "Tallinn": (59.43722, 24.74528, "https://wikiz.com/wiki/Tallinn"),
    "Chania": (35.517, 24.017, "https://en.wikipedia-on-ipfs.org/wiki/Chania"),
    "Oberammergau": (47.59667, 11.06444, "https://czwiki.cz/Lexikon/Oberammergau"),
    "High Wycombe": (51.6287, -0.7482, "https://en.wikipedia.org/wiki/High_Wycombe"),
}

#: Sites the bundled data never cites, each with the reason (docs/data.md lists the same).
#: A domain matches itself and its subdomains only, so that independent outlets with
#: similar names (Ukrainska Pravda at pravda.com.ua) are not caught.
BANNED_DOMAINS: Final[dict[str, str]] = {
    "tass.com": "Russian state news agency",
    "tass.ru": "Russian state news agency",
    "rt.com": "Russian state broadcaster",
    "sputniknews.com": "Russian state news outlet",
    "sputnikglobe.com": "Russian state news outlet",
    "ria.ru": "Russian state news agency",
    "news-pravda.com": "network republishing Russian state media",
    "katehon.com": "Russian propaganda think tank",
    "wikispooks.com": "conspiracy wiki",
    "grokipedia.com": "machine-written encyclopedia",
    "docslib.org": "document scraping site",
    "pdfslide.net": "document scraping site",
    "yumpu.com": "document scraping site",
    "readbag.com": "document scraping site",
    "hubbry.com": "encyclopedia scraping site",
    "wikimili.com": "Wikipedia mirror with added advertising",
    "mediamall.info": "content farm",
    "calendarz.com": "content farm",
    "genha.com": "content farm",
    "bingj.com": "search engine cache, not a page",
    "fieldworkeducation.com": "content farm",
    "wikisum.wiki": "machine-written summaries of Wikipedia articles",
    "theinfolist.com": "encyclopedia scraping site",
    "knowledger.de": "machine-translated copies of Wikipedia",
    "knowledgr.com": "machine-translated copies of Wikipedia",
    "wikide.org": "encyclopedia scraping site",
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


DATA: Final = files("natostruct") / "data"


def data_files() -> list[tuple[str, bytes]]:
    """The bundled data files, by name, as bytes."""
    return sorted(
        (entry.name, entry.read_bytes()) for entry in DATA.iterdir() if entry.name.endswith(".json")
    )


# --- every rule the loader knows -----------------------------------------------------


def test_full_validator_passes() -> None:
    """Every rule of the validator holds on the bundled files, and gives the default Dataset.

    The default Dataset is built through the index, the full load from every
    file: they hold the same records, find the same keys and the same children.
    """
    full = loader.load_canonical(validate=True)
    deferred = bundle.load()
    assert deferred._key_index() == full._key_index()
    assert deferred._child_ids == full._child_ids
    assert deferred == full == DS


# --- identity and references -----------------------------------------------------------


#: Ids that do not follow the rule of test_ids_follow_one_rule, each with the reason.
ID_EXCEPTIONS: Final = {
    "saclant": "kept from release 0.1: the command is best known by its commander's post",
    "ims-lr": "kept from release 0.1: the rule would give ims-l-r",
    "ims-op": "kept from release 0.1: the rule would give ims-o-p",
    "ims-pc": "kept from release 0.1: the rule would give ims-p-c",
    "usnato-military": "kept from release 0.1: a division without an abbreviation, under its mission",
    "usnato-political": "kept from release 0.1: a division without an abbreviation, under its mission",
    "usnato-public-affairs": "kept from release 0.1: a division without an abbreviation, under its mission",
    "mission-of-australia-to-nato": "the official name describes a combined embassy in 14 words",
}


def slug(text: str) -> str:
    """Letters and digits, accents folded, every other run of characters one hyphen."""
    folded = "".join(ch for ch in _folded(text) if ch.isascii())
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def test_ids_follow_one_rule() -> None:
    """An id is the slug of the abbreviation (else the name), with the seat's city on a clash.

    A body whose abbreviation another body bears and that has no seat takes the
    slug of its name; a division may take its parent's id as a prefix; an
    Ally's delegation and military representation are named after the state.
    """
    states = {m.country: slug(m.name) for m in DS.members("2026-01-01")}
    borne = Counter(slug(e.abbreviation) for e in DS if e.abbreviation)
    offenders = []
    for e in DS:
        base = slug(e.abbreviation or e.name)
        allowed = {base}
        if borne[base] > 1 and e.location is None:
            allowed.add(slug(e.name))
        if e.location is not None and e.location.city:
            allowed.add(f"{base}-{slug(e.location.city)}")
        if e.parent_id is not None:
            allowed.add(f"{e.parent_id}-{base}")
        state = states.get(getattr(e, "sending_state", ""))
        if state is not None:
            allowed.update(
                {f"delegation-of-{state}-to-nato", f"military-representation-of-{state}-to-nato"}
            )
        if e.id not in allowed and e.id not in ID_EXCEPTIONS:
            offenders.append((e.id, sorted(allowed)))
    assert offenders == []
    assert sorted(set(ID_EXCEPTIONS) - {e.id for e in DS}) == []


def test_ids_unique_across_files() -> None:
    """No two records in the data files share an id (partnerships by country and framework)."""
    keys: list[str] = []
    for _, data in data_files():
        for raw in json.loads(data)["records"]:  # the raw records, before any merging
            if raw["kind"] == "member_state":
                keys.append(f"member:{raw['country']}")
            elif raw["kind"] == "partnership":
                keys.append(f"partnership:{raw['country']}:{raw['framework']}")
            else:
                keys.append(raw["id"])
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert len(keys) == len(DS.records)


def test_reporting_lines_in_order() -> None:
    """Dated reporting lines run oldest first and never surely overlap."""
    offenders = []
    for entity in DS:
        lines = entity.reporting_lines
        starts = [_start(line.period) for line in lines]
        if starts != sorted(starts):
            offenders.append(f"{entity.id}: out of order")
        offenders.extend(
            f"{entity.id}: {a.period} overlaps {b.period}"
            for a, b in pairwise(lines)
            if a.period.surely_overlaps(b.period)
        )
    assert offenders == []


def _sample_days() -> list[dt.date]:
    days = {dt.date(1955, 12, 31), dt.date(1990, 1, 1), dt.date(2010, 1, 1)}
    days |= {dt.date(2023, 4, 12), dt.date(2025, 12, 31)}
    for entity in DS:
        for line in entity.reporting_lines:
            if line.start is not None:
                days.add(line.start.first_day)
    return sorted(days)


def test_no_reporting_cycles_on_any_day() -> None:
    """Following parents reaches the top in the view of every day a reporting line starts."""
    cycles = []
    for day in _sample_days():
        parents = {e.id: e.parent_id for e in DS.as_of(day)}
        for start, parent in parents.items():
            seen = [start]
            node = parent
            while node is not None and node not in seen:
                seen.append(node)
                node = parents.get(node)
            if node is not None:
                cycles.append(f"{day}: {' -> '.join([*seen, node])}")
    assert cycles == []


# --- time ------------------------------------------------------------------------------


def _periods(record: Record) -> Iterator[tuple[str, Period]]:
    for path, obj in walk(record, label(record)):
        if isinstance(obj, Period):
            yield path, obj
        elif isinstance(
            obj, (Alias, ReportingLine, Relation, Holder, Partnership, *ENTITY_CLASSES)
        ):
            yield path, obj.period


def test_no_empty_periods() -> None:
    """No day-precise period ends on the day it starts (the loader refuses only reversed ones)."""
    empty = [
        f"{path}: {period}"
        for record in DS.records
        for path, period in _periods(record)
        if period.start is not None
        and period.end is not None
        and period.start.precision == period.end.precision == "day"
        and period.end.first_day <= period.start.first_day
    ]
    assert empty == []


def test_signature_before_accession() -> None:
    """A founder signed the Treaty strictly before it became a Party."""
    members = DS.members(dt.date(2100, 1, 1))
    assert [
        m.country for m in members if m.signature is not None and not m.signature < m.accession
    ] == []


def _surely_began(period: Period) -> tuple[dt.date, dt.date]:
    """A key that orders terms by the first day each surely held (unknown first).

    A term known to the year ("1953") follows one that began on a day of that
    year ("1953-04-08"), as it does in the sources' lists.
    """
    start = period.start
    return (dt.date.min, dt.date.min) if start is None else (start.last_day, start.first_day)


def test_holders_oldest_first() -> None:
    """Each post lists its holders oldest first."""
    offenders = [
        f"{entity.id}: {post.title}"
        for entity in DS
        for post in entity.posts
        if [_surely_began(h.period) for h in post.holders]
        != sorted(_surely_began(h.period) for h in post.holders)
    ]
    assert offenders == []


# --- places ----------------------------------------------------------------------------


def test_coordinates_near_city() -> None:
    """Coordinates are sourced and within 50 km of the city they name."""
    offenders = []
    for entity in DS:
        location = entity.location
        if location is None or location.latitude is None or location.longitude is None:
            continue
        if not location.sources:
            offenders.append(f"{entity.id}: coordinates without a source")
        if location.city not in CITY_COORDINATES:
            offenders.append(f"{entity.id}: add {location.city!r} to CITY_COORDINATES")
            continue
        lat, lon, _url = CITY_COORDINATES[location.city]
        distance = haversine_km((location.latitude, location.longitude), (lat, lon))
        if distance > MAX_CITY_DISTANCE_KM:
            offenders.append(f"{entity.id}: {distance:.1f} km from {location.city}")
    assert offenders == []


def test_basis_only_with_coordinates() -> None:
    """A location has a basis only where it has coordinates (the loader requires the converse)."""
    offenders = [
        e.id
        for e in DS
        if e.location is not None and e.location.basis is not None and e.location.latitude is None
    ]
    assert offenders == []


def test_city_reference_table() -> None:
    """Each reference city has coordinates in range and the URL they come from."""
    bad = [
        city
        for city, (lat, lon, url) in CITY_COORDINATES.items()
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and url.startswith(("http://", "https://")))
    ]
    assert bad == []


# --- sources ---------------------------------------------------------------------------


def test_everything_sourced() -> None:
    """Records, holders, located places, former names, lines, relations, notes and counts cite a source."""
    unsourced = []
    for record in DS.records:
        if not record.sources:
            unsourced.append(label(record))
        for path, obj in walk(record, label(record)):
            needs = isinstance(
                obj, (Holder, ReportingLine, Relation, Note, StaffCount, FrameworkNation)
            )
            needs |= isinstance(obj, Accreditation)
            needs |= isinstance(obj, Alias) and obj.kind == "former"
            needs |= isinstance(obj, Location) and obj.latitude is not None
            if needs and not getattr(obj, "sources", ()):
                unsourced.append(path)
    assert unsourced == []


def test_an_unknown_end_is_bounded() -> None:
    """An end known only by its last sighting has a ``latest`` bound, or a note on why there is none.

    Without either, a Cold War command would stand in every later view as one
    that may still exist.
    """
    offenders = [
        e.id
        for e in DS
        if e.last_attested is not None
        and e.last_attested.latest is None
        and not any(n.field == "last_attested" for n in e.notes)
    ]
    assert offenders == []


def test_no_source_on_a_banned_domain() -> None:
    """No fact rests on a state propaganda outlet, a content farm or a scraped copy."""
    cited: dict[str, set[str]] = {}
    for record in DS.records:
        for _, obj in walk(record, label(record)):
            if isinstance(obj, Source) and obj.url is not None:
                host = (urlsplit(obj.url).hostname or "").lower()
                for domain in BANNED_DOMAINS:
                    if host == domain or host.endswith("." + domain):
                        cited.setdefault(obj.url, set()).add(label(record))
    assert {url: sorted(ids) for url, ids in cited.items()} == {}


def test_banned_domains_documented() -> None:
    """docs/data.md lists exactly the banned domains, so the reader sees why each is refused."""
    text = (Path(__file__).parent.parent / "docs" / "data.md").read_text(encoding="utf-8")
    section = text.split("### Sites never cited", 1)[1].split("\n#", 1)[0]
    listed = set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE))
    assert listed == set(BANNED_DOMAINS)


def test_one_title_per_url() -> None:
    """No web page is cited under two titles: one page, one source in the table."""
    titles: dict[str, set[str]] = {}
    for record in DS.records:
        for _, obj in walk(record, label(record)):
            if isinstance(obj, Source) and obj.url is not None:
                titles.setdefault(obj.url, set()).add(obj.title)
    assert {url: sorted(t) for url, t in titles.items() if len(t) > 1} == {}


def test_shared_table_holds_only_cited_sources() -> None:
    """sources.json holds every source the other files cite, and no other."""
    files = dict(data_files())
    _, table, problems = fileformat.read("sources.json", files.pop("sources.json"))
    assert problems == []
    cited = {
        source
        for record in DS.records
        for _, source in walk(record, "")
        if isinstance(source, Source)
    }
    assert sorted(k for k, v in table.items() if v not in cited) == []
    assert len(table) == len(set(table.values()))


def test_sources_well_formed() -> None:
    """Every source is a web page (http or https) or one of the two source documents."""
    bad = []
    for record in DS.records:
        for path, obj in walk(record, label(record)):
            if not isinstance(obj, Source):
                continue
            if obj.document is not None:
                ok = obj.document in DOCUMENTS
            else:
                ok = obj.url is not None and obj.url.startswith(("http://", "https://"))
            if not ok:
                bad.append(path)
    assert bad == []


def test_described_and_categorised() -> None:
    """Every entity has a written description and a category."""
    assert [e.id for e in DS if not (e.description and e.description.strip() and e.category)] == []


def test_categories_and_families_from_the_closed_lists() -> None:
    """Every entity names a family, and its category is one of the closed list."""
    offenders = [
        (e.id, e.family, e.category)
        for e in DS
        if e.family not in FAMILIES or e.category not in CATEGORIES
    ]
    assert offenders == []


def test_every_category_is_used() -> None:
    """The closed list of categories holds none that the data has stopped using."""
    assert set(CATEGORIES) - {e.category for e in DS} == set()


# --- the ids and reporting lines the specification fixes -------------------------------

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


def test_seed_reporting_lines() -> None:
    """The fixed ids exist and report where the specification puts them."""
    found = {ident: DS.get(ident).parent_id for ident in SEED_PARENTS}
    assert found == SEED_PARENTS
    assert [ident for ident in SEED_PARENTS if DS.get(ident).id != ident] == []


def test_integrated_entities_run_with_is() -> None:
    """The integrated entities are run jointly with the International Staff, citing the chart document."""
    offenders = []
    for ident in ("jisd", "nso", "nds", "sitcen"):
        relations = [r for r in DS.get(ident).relations if r.type == "jointly_run_with"]
        if [r.target_id for r in relations] != ["is"]:
            offenders.append(f"{ident}: {relations}")
        elif "000_a3b07ae4e199dfa2.txt" not in {s.document for s in relations[0].sources}:
            offenders.append(f"{ident}: not sourced to the chart document")
    assert offenders == []


def test_missions_have_no_parent() -> None:
    """National missions stand outside NATO's reporting lines."""
    missions = DS.filter(kind="mission")
    assert missions
    assert [m.id for m in missions if m.parent_id is not None or m.reporting_lines] == []


POST_KEYS: Final = {
    "SACEUR": "aco",
    "SACT": "act",
    "DGIMS": "ims",
    "SECGEN": "secgen",
    "SG": "secgen",
    "SACLANT": "saclant",
    "CMC": "mc",
    "SHAPE": "aco",
}


def test_post_abbreviations_resolve() -> None:
    """A post abbreviation finds the entity its holder heads."""
    assert {key: natostruct.get(key).id for key in POST_KEYS} == POST_KEYS


def test_data_files_in_canonical_form() -> None:
    """Each data file is in format 2, sorted, sources by key (run tasks/format_data.py to fix)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "format_data", Path(__file__).parent.parent / "tasks" / "format_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = dict(data_files())
    texts = module.canonical_texts(found)
    for name in (bundle.INDEX, bundle.KEYS):
        found[name] = (files("natostruct") / name).read_bytes()
    assert sorted(texts) == sorted(found)
    assert [name for name, data in found.items() if data.decode() != texts[name]] == []


def test_every_entity_has_a_start_or_a_bound() -> None:
    """Each entity has an established date, an attested bound, or a note that none was found.

    Without one, an entity of unknown start would be timeless, and views would
    show it on days no source speaks of.
    """
    offenders = [
        e.id
        for e in DS
        if e.established is None
        and e.attested is None
        and not any(n.kind == "unconfirmed" and n.field == "established" for n in e.notes)
    ]
    assert offenders == []


def test_no_single_holder_post_has_two_holders_on_any_first_of_a_month() -> None:
    """On the first day of every month since 1949, each single-holder post states at most one holder."""
    days = [dt.date(year, month, 1) for year in range(1949, 2027) for month in range(1, 13)]
    offenders = [
        f"{e.id}: {post.title} on {day}"
        for e in DS
        for post in e.posts
        if post.single_holder
        for day in days
        if len(post.holders_on(day)) > 1
    ]
    assert offenders == []


def test_views_show_each_day_as_it_was() -> None:
    """On 1 July of every year, a view's entities bear only that day's names, seats and links.

    No former name not yet given up, no later name, no seat listed twice, no
    relation or reporting line to an entity the view does not show.
    """
    offenders: list[str] = []
    for year in range(1950, 2027):
        day = dt.date(year, 7, 1)
        view = DS.as_of(day)
        shown = {e.id for e in view}
        for e in view:
            whole = DS.get(e.id)
            offenders.extend(
                f"{day} {e.id}: alias {alias.name} not yet borne"
                for alias in e.aliases
                if alias.start is not None and alias.start.last_day > day
            )
            if (e.name, e.abbreviation) != whole.names_on(day):
                offenders.append(f"{day} {e.id}: name {e.name}")
            if e.location is not None and e.location in e.former_locations:
                offenders.append(f"{day} {e.id}: seat listed twice")
            offenders.extend(
                f"{day} {e.id}: relation to {r.target_id}"
                for r in e.relations
                if r.target_id not in shown
            )
            offenders.extend(
                f"{day} {e.id}: line to {r.parent_id}"
                for r in e.reporting_lines
                if r.parent_id != e.parent_id
            )
    assert offenders == []


def test_head_titles_follow_renames() -> None:
    """On 1 July of every year, a renamed entity's head post does not bear a title naming a later name.

    A head post titled after the entity's current name ("Commander Joint Force
    Command Naples") needs dated former titles for the years the entity bore
    an older name; otherwise a view of 1985 would give today's title.
    """
    offenders = []
    for year in range(1950, 2027):
        day = dt.date(year, 7, 1)
        for e in DS.as_of(day):
            whole = DS.get(e.id)
            if e.head is None or whole.head is None or e.name == whole.name:
                continue
            current = {whole.name.lower(), (whole.abbreviation or whole.name).lower()}
            named_now = any(part in whole.head.title.lower() for part in current)
            if named_now and e.head.title == whole.head.title:
                offenders.append(f"{day} {e.id}: {e.head.title}")
    assert offenders == []


def test_an_entity_without_a_superior_is_at_the_top_or_said_to_be_unplaced() -> None:
    """On 1 July of every year, an entity shown with no superior has none recorded, or the view says so."""
    offenders = []
    for year in range(1950, 2027):
        view = DS.as_of(dt.date(year, 7, 1))
        unplaced = {e.id for e in view.superior_unknown()}
        for e in view:
            whole = DS.get(e.id)
            recorded = whole.parent_id is not None or whole.reporting_lines
            if e.parent_id is None and recorded and e.id not in unplaced:
                offenders.append(f"{year}: {e.id}")
    assert offenders == []


#: Hosts never cited: state propaganda outlets and content farms the data once drew on.
BANNED_HOSTS: Final = (
    "tass.com",
    "rt.com",
    "sputniknews.com",
    "ria.ru",
    "news-pravda.com",
    "wikispooks.com",
)


def test_no_banned_source() -> None:
    """No source of the bundled data is a state propaganda outlet or a content farm."""
    from urllib.parse import urlsplit

    def banned(url: str) -> bool:
        host = urlsplit(url).hostname or ""
        return any(host == h or host.endswith(f".{h}") for h in BANNED_HOSTS)

    urls = {
        source.url
        for record in DS.records
        for _, source in walk(record, "")
        if isinstance(source, Source) and source.url
    }
    assert banned("https://italy.news-pravda.com/x")
    assert not banned("https://smart.com/")
    assert sorted(url for url in urls if banned(url)) == []


def test_centres_of_excellence_have_nations_and_accreditation() -> None:
    """Every Centre of Excellence names its framework nations, and its accreditation or why not."""
    offenders = []
    for e in DS.filter(family="centre of excellence"):
        if not e.framework_nations:
            offenders.append(f"{e.id}: no framework nation")
        said = any(n.kind == "unconfirmed" and n.field == "accredited" for n in e.notes)
        if e.accredited is None and not said:
            offenders.append(f"{e.id}: no accreditation and no note saying it was not found")
    assert offenders == []


#: The bodies whose official French names the data must hold, by id, with the
#: French name that finds each (SHAPE's is an alias of ACO's record).
FRENCH: Final = {
    "nac": "Conseil de l'Atlantique Nord",
    "mc": "Comité militaire",
    "ims": "État-major militaire international",
    "npg": "Groupe des plans nucléaires",
    "is": "Secrétariat international",
    "aco": "Commandement allié Opérations",
    "act": "Commandement allié Transformation",
    "ncia": "Agence OTAN d'information et de communication",
    "nato-pa": "Assemblée parlementaire de l'OTAN",
}


def test_french_names() -> None:
    """NATO's second official language: each name is a sourced alias that finds its body."""
    found = {}
    for ident, name in FRENCH.items():
        aliases = [a for a in DS.get(ident).aliases if a.language == "fr" and a.name == name]
        found[ident] = (DS.get(name).id, bool(aliases) and all(a.sources for a in aliases))
    assert found == {ident: (ident, True) for ident in FRENCH}
    shape = [a for a in DS.get("aco").aliases if a.language == "fr" and a.abbreviation == "SHAPE"]
    assert [a.name for a in shape] == ["Grand quartier général des puissances alliées en Europe"]


def test_every_ally_has_a_delegation() -> None:
    """On the day the data was checked, each member state has one permanent delegation."""
    view = DS.as_of(natostruct.DATA_AS_OF)
    sending = Counter(
        e.sending_state
        for e in view.filter(kind="mission")
        if isinstance(e, Mission)
        if e.category == "permanent mission" and e.family == "delegation"
    )
    assert sending == Counter(m.country for m in view.members())
