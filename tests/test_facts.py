"""The facts the two source documents state, each answered through the public API.

One row per fact: the fact in words, a query over ``natostruct``'s public API,
the answer the sources give, and (where the fact comes from a source document)
the record part that must cite that document. The expected answers come from
the documents and the research sheet, never from reading the data back; a row
that fails means the data is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import Final, NamedTuple

import pytest

import natostruct
from natostruct import Alias, Entity, Holder, Location, MemberState, Note, Partnership, Source

IMS_DOC: Final = "000_a3b07ae4e199dfa2.txt"
US_DOC: Final = "003_9ab68d6b82b5f4a2.txt"
DOC_DAY: Final = dt.date(2023, 4, 12)  # the IMS article's retrieval date

Query = Callable[[], object]


# --- small readers over the public API ------------------------------------------------


def get(key: str) -> Entity:
    """The entity ``key`` names, in the whole-history dataset."""
    return natostruct.get(key)


def place(ident: str) -> tuple[str | None, str]:
    """(city, country) of an entity's headquarters."""
    location = where(ident)
    return (location.city, location.country)


def where(ident: str) -> Location:
    """An entity's location (which must be known)."""
    location = get(ident).location
    assert location is not None
    return location


def site_place(ident: str) -> tuple[str | None, str | None, str]:
    """(site, city, country) of an entity's headquarters."""
    return (where(ident).site, *place(ident))


def head_title(ident: str) -> str | None:
    """The title of the post leading an entity."""
    head = get(ident).head
    return None if head is None else head.title


def head_abbreviation(ident: str) -> str | None:
    """The abbreviation of the post leading an entity."""
    head = get(ident).head
    return None if head is None else head.abbreviation


def head_on(ident: str, day: dt.date | str) -> list[tuple[str, str | None]]:
    """(name, rank) of whoever held the entity's leading post on ``day``."""
    return [(h.name, h.rank) for h in natostruct.dataset().holders(ident, as_of=day)]


def holder(ident: str, name: str) -> Holder:
    """The holder called ``name`` of an entity's leading post."""
    return next(h for h in natostruct.dataset().holders(ident) if h.name == name)


def under(ident: str, day: dt.date | str, category: str | None = None) -> set[str]:
    """Ids of the entities reporting to ``ident`` on ``day``, optionally of one category."""
    view = natostruct.dataset().as_of(day)
    return {e.id for e in view.children(ident) if category is None or e.category == category}


def maybe_under(ident: str, day: dt.date | str, category: str | None = None) -> set[str]:
    """Ids of the entities that may have reported to ``ident`` on ``day`` (not shown as sure)."""
    view = natostruct.dataset().as_of(day)
    return {
        e.id
        for e in view.uncertain()
        if e.parent_id == ident and (category is None or e.category == category)
    }


def note(ident: str, kind: str, field: str | None, word: str = "") -> Note:
    """The first note of an entity of a kind, on a field, mentioning ``word``."""
    return next(
        n
        for n in get(ident).notes
        if n.kind == kind and n.field == field and word.casefold() in n.text.casefold()
    )


def alias(ident: str, abbreviation: str) -> Alias:
    """An entity's alias with the given abbreviation."""
    return next(a for a in get(ident).aliases if a.abbreviation == abbreviation)


def member(code: str) -> MemberState:
    """The member state with alpha-2 ``code`` (members of any day)."""
    return next(m for m in natostruct.members("2100-01-01") if m.country == code)


def joined(year: int) -> set[str]:
    """Alpha-2 codes of the states that became members in ``year``."""
    return {m.country for m in natostruct.members("2100-01-01") if m.accession.year == year}


def partnership(framework: str) -> Partnership:
    """Azerbaijan's partnership under ``framework``."""
    return next(p for p in natostruct.dataset().partnerships("AZ") if p.framework == framework)


def related(ident: str, relation: str) -> list[str]:
    """Targets of an entity's relations of one type."""
    return [r.target_id for r in get(ident).relations if r.type == relation]


def year(value: object) -> int | None:
    """The year of a partial date, or None."""
    return value.year if isinstance(value, natostruct.PartialDate) else None


def text(value: object) -> str | None:
    """A partial date as ISO text, or None."""
    return None if value is None else str(value)


# --- the table -------------------------------------------------------------------------


class Fact(NamedTuple):
    """One fact: its words, how the API answers it, the answer, and who cites the document."""

    ident: str
    fact: str
    query: Query
    expected: object
    carrier: Query | None
    document: str | None


def row(
    ident: str,
    fact: str,
    query: Query,
    expected: object,
    carrier: Query | None = None,
    *,
    document: str | None = IMS_DOC,
) -> Fact:
    """A fact row; ``carrier`` returns the record part that must cite ``document``."""
    return Fact(ident, fact, query, expected, carrier, document if carrier else None)


CHART_HQS: Final = {
    "act": ("Norfolk", "US"),
    "aco": ("Mons", "BE"),
    "jwc": ("Stavanger", "NO"),
    "jftc": ("Bydgoszcz", "PL"),
    "jallc": ("Lisbon", "PT"),
    "jfc-brunssum": ("Brunssum", "NL"),
    "jfc-naples": ("Naples", "IT"),
    "jfc-norfolk": ("Norfolk", "US"),
    "aircom": ("Ramstein", "DE"),
    "landcom": ("İzmir", "TR"),
    "marcom": ("Northwood", "GB"),
    "jsec": ("Ulm", "DE"),
}

ACCESSIONS: Final = {  # the "History of NATO" paragraph of the IMS document
    1949: ({"GB", "FR", "BE", "NL", "LU", "US", "CA", "IT", "PT", "NO", "DK", "IS"}, "US"),
    1952: ({"GR", "TR"}, "GR"),
    1955: ({"DE"}, "DE"),
    1982: ({"ES"}, "ES"),
    1999: ({"CZ", "HU", "PL"}, "PL"),
    2004: ({"BG", "EE", "LV", "LT", "RO", "SK", "SI"}, "EE"),
    2009: ({"AL", "HR"}, "HR"),
    2017: ({"ME"}, "ME"),
    2020: ({"MK"}, "MK"),
    2023: ({"FI"}, "FI"),
}


def _chart_rows() -> list[Fact]:
    rows = [
        row(
            f"chart-{ident}",
            f"The structure chart puts {ident.upper()} in {city}, {country}",
            partial(place, ident),
            (city, country),
            partial(where, ident),
        )
        for ident, (city, country) in CHART_HQS.items()
    ]
    rows += [
        row(
            f"chart-hq-{ident}",
            f"The structure chart puts {ident.upper()} at NATO Headquarters, Brussels, BEL",
            partial(site_place, ident),
            ("NATO Headquarters", "Brussels", "BE"),
            partial(where, ident),
        )
        for ident in ("nac", "secgen", "is", "mc", "ims")
    ]
    return rows


def _accession_rows() -> list[Fact]:
    return [
        row(
            f"joined-{y}",
            f"{', '.join(sorted(codes))} joined in {y}",
            partial(joined, y),
            codes,
            partial(member, cited),
        )
        for y, (codes, cited) in ACCESSIONS.items()
    ]


#: The commands the reference chart places under ACO (it shows no others).
CHART_UNDER_ACO: Final = frozenset(
    {"jfc-brunssum", "jfc-naples", "jfc-norfolk", "aircom", "landcom", "marcom", "jsec"}
)


FACTS: Final[list[Fact]] = [
    # The International Military Staff article (000_...): infobox and text.
    row(
        "ims-active-1967",
        "The IMS has been active since 1967",
        lambda: text(get("ims").established),
        "1967",
        lambda: note("ims", "dispute", "established"),
    ),
    row(
        "ims-part-of-mc",
        "The IMS is part of the NATO Military Committee",
        lambda: get("ims").parent_id,
        "mc",
        lambda: get("ims").reporting_lines[-1],
    ),
    row(
        "ims-in-brussels",
        "The IMS is located in Brussels, Belgium",
        lambda: place("ims"),
        ("Brussels", "BE"),
        lambda: where("ims"),
    ),
    row(
        "ims-size",
        "The IMS has about 500 staff (500+)",
        lambda: [(s.count, s.approximate) for s in get("ims").staff if year(s.date) == 2023],
        [(500, True)],
        lambda: next(s for s in get("ims").staff if year(s.date) == 2023),
    ),
    row(
        "ims-type",
        "The IMS is a military staff",
        lambda: (get("ims").kind, get("ims").category),
        ("body", "staff"),
        lambda: note("ims", "remark", "category"),
    ),
    row(
        "ims-led-by-dg",
        "The IMS is led by a Director General (DGIMS)",
        lambda: (head_title("ims"), get("DGIMS").id),
        ("Director General of the International Military Staff", "ims"),
        lambda: alias("ims", "DGIMS"),
    ),
    row(
        "ims-dg-2023",
        "On 2023-04-12 the Director General of the IMS is Lt Gen Janusz Adamczak",
        lambda: head_on("ims", DOC_DAY),
        [("Janusz Adamczak", "Lieutenant General")],
        lambda: holder("ims", "Janusz Adamczak"),
    ),
    row(
        "ims-dg-pl",
        "Adamczak is Polish (the article links the Polish Wikipedia)",
        lambda: holder("ims", "Janusz Adamczak").nationality,
        "PL",
    ),
    row(
        "sg-2023",
        "On 2023-04-12 the Secretary General is Jens Stoltenberg",
        lambda: [name for name, _ in head_on("secgen", DOC_DAY)],
        ["Jens Stoltenberg"],
        lambda: holder("secgen", "Jens Stoltenberg"),
    ),
    row(
        "ims-four-divisions-2023",
        "On 2023-04-12 the IMS has four divisions",
        lambda: under("ims", DOC_DAY, "division"),
        {"ims-op", "ims-pc", "ims-cs", "ims-lr"},
        lambda: note("ims", "dispute", None, "divisions"),
    ),
    row(
        "ims-five-divisions-2016",
        "Before the 2017 merger into the JISD the IMS had five divisions; no dated source places"
        " them in 2016, so that day's view holds them as uncertain, not as sure, beside the"
        " divisions of the older structure whose end no source dates",
        lambda: (
            under("ims", "2016-12-31", "division"),
            maybe_under("ims", "2016-12-31", "division"),
        ),
        (
            set(),
            {"ims-int", "ims-op", "ims-pc", "ims-cs", "ims-lr"}
            | {"ims-p-p", "ims-ops", "logistics-armaments-and-resources-division"},
        ),
    ),
    row(
        "integrated-entities",
        "JISD, NSO, NDS and SITCEN are jointly run by the IS and the IMS",
        lambda: {e.id for e in natostruct.dataset() if "is" in related(e.id, "jointly_run_with")},
        {"jisd", "nso", "nds", "sitcen"},
        lambda: get("nds").relations[0],
    ),
    row(
        "integrated-entities-2023",
        "On 2023-04-12 the integrated entities exist, under the IMS; no dated source places the"
        " NDS then, so it is uncertain that day",
        lambda: (under("ims", DOC_DAY, "integrated entity"), maybe_under("ims", DOC_DAY)),
        ({"jisd", "nso", "sitcen"}, {"nds"}),
    ),
    row(
        "mc-supports-nac",
        "The Military Committee supports the North Atlantic Council",
        lambda: get("mc").parent_id,
        "nac",
        lambda: get("mc"),
    ),
    *_chart_rows(),
    row(
        "two-strategic-commands",
        "ACO and ACT are NATO's two strategic commands",
        lambda: {
            e.id for e in natostruct.dataset().as_of(DOC_DAY).filter(category="strategic command")
        },
        {"aco", "act"},
        lambda: get("aco"),
    ),
    row(
        "transformation-commands",
        "JWC, JFTC and JALLC are the transformation commands, under ACT",
        lambda: {e for e in under("act", DOC_DAY) if get(e).category == "training command"},
        {"jwc", "jftc", "jallc"},
        lambda: get("jwc"),
    ),
    row(
        "operational-commands",
        "The operational commands of the chart stand under ACO",
        lambda: CHART_UNDER_ACO - under("aco", DOC_DAY),
        set(),
        lambda: get("jsec"),
    ),
    row(
        "saceur",
        "SACEUR commands ACO",
        lambda: (get("SACEUR").id, head_abbreviation("aco")),
        ("aco", "SACEUR"),
        lambda: alias("aco", "SACEUR"),
    ),
    row(
        "shape",
        "SHAPE is the headquarters of ACO",
        lambda: get("SHAPE").id,
        "aco",
        lambda: alias("aco", "SHAPE"),
    ),
    row(
        "sact",
        "SACT commands ACT",
        lambda: (get("SACT").id, head_abbreviation("act")),
        ("act", "SACT"),
        lambda: alias("act", "SACT"),
    ),
    row(
        "secgen-abbreviation",
        "The chart abbreviates the Secretary-General as SECGEN",
        lambda: get("SECGEN").id,
        "secgen",
        lambda: alias("secgen", "SECGEN"),
    ),
    row(
        "act-formed-2003",
        "ACT was formed in 2003",
        lambda: year(get("act").established),
        2003,
        lambda: note("act", "remark", "established"),
    ),
    row(
        "act-replaced-aclant",
        "ACT replaced Allied Command Atlantic, decommissioned the day ACT was set up",
        lambda: (related("act", "successor_of"), text(get("saclant").disestablished)),
        (["saclant"], "2003-06-19"),
    ),
    row(
        "ncsa-former-agency",
        "The NCSA is a former NATO agency",
        lambda: (get("ncsa").category, get("ncsa").disestablished is not None),
        ("agency", True),
        lambda: get("ncsa"),
    ),
    row(
        "ncsa-successor",
        "The NCSA ended in 2012 and the NCI Agency succeeded it",
        lambda: (text(get("ncsa").disestablished), related("ncia", "successor_of")),
        ("2012-06-30", ["ncsa", "nc3a", "nacma"]),
    ),
    row(
        "nac-top",
        "The NAC is NATO's principal political decision-making body",
        lambda: (get("nac").category, get("nac").parent_id),
        ("political body", None),
        lambda: get("nac"),
    ),
    row(
        "dppc-npg-under-nac",
        "Member representatives also sit on the DPPC and the NPG, answering to the Council",
        lambda: (get("dppc").parent_id, get("npg").parent_id),
        ("nac", "nac"),
        lambda: note("dppc", "remark", None, "source document"),
    ),
    row(
        "is-under-sg",
        "The Secretary General directs the International Staff",
        lambda: get("is").parent_id,
        "secgen",
        lambda: get("is"),
    ),
    row(
        "sg-chairs",
        "The Secretary General chairs the NAC and major committees, not the MC",
        lambda: sorted(related("secgen", "chairs")),
        ["nac", "npg"],
        lambda: get("secgen").relations[0],
    ),
    row(
        "dcmc-renamed-2021",
        "The Deputy Chairman of the MC was redesignated Deputy Chair in 2021",
        lambda: [
            (a.name, text(a.end))
            for p in get("mc").posts
            if p.abbreviation == "DCMC"
            for a in p.aliases
            if a.kind == "former"
        ],
        [("Deputy Chairman of the Military Committee", "2021")],
        lambda: next(p for p in get("mc").posts if p.abbreviation == "DCMC").aliases[0],
    ),
    row(
        "landcom-formerly-landsoutheast",
        "LANDCOM was formerly LANDSOUTHEAST (a site lineage, not a rename)",
        lambda: (related("landcom", "site_successor_of"), get("landcom").aliases),
        (["landsoutheast"], ()),
        lambda: get("landcom").relations[0],
    ),
    row(
        "landcom-rename-disputed",
        "The document's 'formerly LANDSOUTHEAST' is kept as a dispute note",
        lambda: note("landcom", "dispute", "aliases").kind,
        "dispute",
        lambda: note("landcom", "dispute", "aliases"),
    ),
    row(
        "landcom-sirinyer",
        "LANDCOM is based at Şirinyer (Buca), İzmir, Turkey",
        lambda: (where("landcom").site, *place("landcom")),
        ("Şirinyer", "İzmir", "TR"),
        lambda: where("landcom"),
    ),
    row(
        "landcom-under-saceur",
        "The Commander LANDCOM advises SACEUR: LANDCOM stands under ACO",
        lambda: get("landcom").parent_id,
        "aco",
        lambda: get("landcom"),
    ),
    row(
        "marcom-northwood",
        "MARCOM is based at the Northwood Headquarters in Eastbury, Hertfordshire",
        lambda: (where("marcom").site, *place("marcom")),
        ("Northwood Headquarters, Eastbury", "Northwood", "GB"),
        lambda: where("marcom"),
    ),
    row(
        "azerbaijan-nacc-1992",
        "Azerbaijan joined the North Atlantic Cooperation Council in 1992",
        lambda: year(partnership("NACC").start),
        1992,
        lambda: partnership("NACC"),
    ),
    row(
        "azerbaijan-pfp-1994",
        "Azerbaijan joined the Partnership for Peace in 1994",
        lambda: year(partnership("PfP").start),
        1994,
        lambda: partnership("PfP"),
    ),
    row(
        "azerbaijan-mission-1997",
        "Azerbaijan set up its Mission to NATO by presidential decree on 21 November 1997",
        lambda: text(get("mission-of-the-republic-of-azerbaijan-to-nato").established),
        "1997-11-21",
        lambda: note("mission-of-the-republic-of-azerbaijan-to-nato", "remark", "established"),
    ),
    row(
        "azerbaijan-mission-sender",
        "The Azerbaijani mission is sent by Azerbaijan, a partner",
        lambda: (
            get("mission-of-the-republic-of-azerbaijan-to-nato").kind,
            getattr(get("mission-of-the-republic-of-azerbaijan-to-nato"), "sending_state", None),
        ),
        ("mission", "AZ"),
    ),
    row(
        "eums-eu",
        "The EU Military Staff is an EU body",
        lambda: (get("eums").organization, get("eums").parent_id),
        ("EU", None),
        lambda: get("eums"),
    ),
    row(
        "mpcc-eu",
        "The MPCC is the EUMS's operational headquarters",
        lambda: (get("mpcc").organization, get("mpcc").parent_id, get("mpcc").category),
        ("EU", "eums", "operational headquarters"),
        lambda: get("mpcc"),
    ),
    row(
        "jfc-norfolk",
        "JFC Norfolk is a joint operational command under ACO in Norfolk, Virginia",
        lambda: (get("jfc-norfolk").parent_id, get("jfc-norfolk").category),
        ("aco", "operational command"),
        lambda: get("jfc-norfolk"),
    ),
    row(
        "treaty-signed",
        "The founders signed the North Atlantic Treaty in Washington on 4 April 1949",
        lambda: {text(m.signature) for m in natostruct.members("1949-12-31")},
        {"1949-04-04"},
        lambda: member("US"),
    ),
    row(
        "treaty-in-force",
        "The founders became Parties when the Treaty entered into force on 1949-08-24",
        lambda: {text(m.accession) for m in natostruct.members("1949-12-31")},
        {"1949-08-24"},
    ),
    *_accession_rows(),
    row(
        "31-members-2023",
        "On 2023-04-12 NATO has 31 member states",
        lambda: len(natostruct.members(DOC_DAY)),
        31,
        lambda: note_on_member("FI", "31"),
    ),
    row(
        "29-european-2-american",
        "Of the 31, 29 are European and two North American",
        lambda: sorted(m.country for m in natostruct.members(DOC_DAY) if m.country in {"US", "CA"}),
        ["CA", "US"],
    ),
    row(
        "32-members-from-sweden",
        "The count changed after the document: 32 members from Sweden's accession on 2024-03-07",
        lambda: (len(natostruct.members("2024-03-06")), len(natostruct.members("2024-03-07"))),
        (31, 32),
    ),
    row(
        "france-outside-command",
        "France was outside the integrated military command from 1966 to 2009",
        lambda: [(year(p.start), year(p.end)) for p in member("FR").outside_integrated_command],
        [(1966, 2009)],
    ),
    row(
        "sg-after-document",
        "After the document, Mark Rutte succeeded Stoltenberg on 2024-10-01",
        lambda: (head_on("secgen", "2024-09-30")[0][0], head_on("secgen", "2024-10-01")[0][0]),
        ("Jens Stoltenberg", "Mark Rutte"),
    ),
    row(
        "dgims-after-document",
        "After the document, Lt Gen Remigijus Baltrėnas became DGIMS on 2025-07-14",
        lambda: head_on("ims", "2025-07-14"),
        [("Remigijus Baltrėnas", "Lieutenant General")],
    ),
    # The United States Mission to NATO article (003_...).
    row(
        "usnato-in-brussels",
        "The US Mission is the US link to NATO Headquarters in Brussels",
        lambda: place("usnato"),
        ("Brussels", "BE"),
        lambda: where("usnato"),
        document=US_DOC,
    ),
    row(
        "usnato-sending-state",
        "The US Mission is sent by the United States and has no NATO parent",
        lambda: (getattr(get("usnato"), "sending_state", None), get("usnato").parent_id),
        ("US", None),
    ),
    row(
        "usnato-head",
        "The US Permanent Representative heads the mission",
        lambda: head_title("usnato"),
        "United States Permanent Representative to NATO",
        lambda: note("usnato", "remark", None, "Permanent Representative"),
        document=US_DOC,
    ),
    row(
        "usnato-three-divisions",
        "The mission has three divisions: Political, Military and Public Affairs",
        lambda: {e.id: e.name for e in natostruct.dataset().children("usnato")},
        {
            "usnato-political": "Political Affairs Division",
            "usnato-military": "Military Affairs Division",
            "usnato-public-affairs": "Public Affairs Division",
        },
        lambda: get("usnato-public-affairs"),
        document=US_DOC,
    ),
    row(
        "usnato-political",
        "The Political Affairs Division is cited to the article",
        lambda: get("usnato-political").parent_id,
        "usnato",
        lambda: get("usnato-political"),
        document=US_DOC,
    ),
    row(
        "usnato-military",
        "The Military Affairs Division is cited to the article",
        lambda: get("usnato-military").parent_id,
        "usnato",
        lambda: get("usnato-military"),
        document=US_DOC,
    ),
    row(
        "usnato-1949-disputed",
        "The article's 1949 founding is kept as a dispute against 1953-04-08",
        lambda: (text(get("usnato").established), note("usnato", "dispute", "established").kind),
        ("1953-04-08", "dispute"),
        lambda: note("usnato", "dispute", "established"),
        document=US_DOC,
    ),
]


def note_on_member(code: str, word: str) -> Note:
    """The note of a member state mentioning ``word``."""
    return next(n for n in member(code).notes if word in n.text)


def sources_of(carrier: object) -> Iterable[Source]:
    """The sources a record part cites directly."""
    sources = getattr(carrier, "sources", ())
    assert isinstance(sources, tuple)
    return sources


@pytest.mark.parametrize(
    ("fact", "query", "expected"),
    [pytest.param(f.fact, f.query, f.expected, id=f.ident) for f in FACTS],
)
def test_fact(fact: str, query: Query, expected: object) -> None:
    """The API answers the fact as the sources state it."""
    assert query() == expected, fact


@pytest.mark.parametrize(
    ("fact", "carrier", "document"),
    [pytest.param(f.fact, f.carrier, f.document, id=f.ident) for f in FACTS if f.carrier],
)
def test_fact_cites_document(fact: str, carrier: Query, document: str) -> None:
    """The record part carrying a document's fact cites that document."""
    assert document in {s.document for s in sources_of(carrier())}, fact


def test_table_is_large() -> None:
    """The table holds several dozen facts, each with a unique id."""
    assert len(FACTS) >= 60
    assert len({f.ident for f in FACTS}) == len(FACTS)
