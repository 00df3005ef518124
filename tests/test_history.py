"""NATO's reorganisations, replayed with ``as_of``: which commands exist just before and after.

Each row states, for one command and one reorganisation, what a view shows the
day before and the day after: absent (None), or its superior, seat city and
abbreviation then. Each row names the page its facts come from, and the test
checks that the record cites that page. ``diff`` across each reorganisation
must list the same additions and removals.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

import pytest

import natostruct
from natostruct import Entity, Source

DS: Final = natostruct.dataset()

#: What a view shows of a command: its superior, seat city and abbreviation.
Shown = tuple[str | None, str | None, str | None]


class Row(NamedTuple):
    reorganisation: str
    before: str
    after: str
    ident: str
    shown_before: Shown | None
    shown_after: Shown | None
    source: str


ROWS: Final = (
    # 1951-1953: Allied Command Europe, its regional commands, Atlantic and Channel.
    Row(
        "1951-1953",
        "1951-03-31",
        "1951-04-03",
        "aco",
        None,
        ("mc", "Rocquencourt", "ACE"),
        "https://www.nato.int/cps/fr/natohq/topics_52091.htm?selectedLocale=en",
    ),
    Row(
        "1951-1953",
        "1951-06-18",
        "1951-06-20",
        "jfc-naples",
        None,
        ("aco", None, "AFSOUTH"),
        "https://jfcnaples.nato.int/page6322744/3-the-birth-of-afsouth-",
    ),
    Row(
        "1951-1953",
        "1953-08-19",
        "1953-08-21",
        "jfc-brunssum",
        None,
        ("aco", "Fontainebleau", "AFCENT"),
        "https://dewiki.de/Lexikon/AFCENT",
    ),
    Row(
        "1951-1953",
        "1951-12-31",
        "1953-06-01",
        "saclant",
        None,
        ("mc", "Norfolk", "ACLANT"),
        "https://www.nato.int/docu/update/2001/0402/e0402a.htm",
    ),
    Row(
        "1951-1953",
        "1951-12-31",
        "1953-06-01",
        "acchan",
        None,
        ("standing-group", "Portsmouth", "ACCHAN"),
        "https://en.wikipedia.org/wiki/Allied_Command_Channel",
    ),
    # 1966-1967: France leaves the integrated commands; SHAPE and AFCENT move; AFMED ends.
    Row(
        "1966-1967",
        "1967-03-01",
        "1967-04-05",
        "aco",
        ("mc", "Rocquencourt", "ACE"),
        ("mc", "Mons", "ACE"),
        "https://www.nato.int/cps/fr/natohq/topics_52091.htm?selectedLocale=en",
    ),
    Row(
        "1966-1967",
        "1967-03-01",
        "1967-04-05",
        "jfc-brunssum",
        ("aco", "Fontainebleau", "AFCENT"),
        ("aco", "Brunssum", "AFCENT"),
        "https://jfcbs.nato.int/page583594",
    ),
    Row(
        "1966-1967",
        "1967-06-04",
        "1967-06-06",
        "afmed",
        ("aco", "Floriana", "AFMED"),
        None,
        "https://jfcnaples.nato.int/page6322744/brief-overview",
    ),
    Row(
        "1966-1967",
        "1967-06-04",
        "1967-06-06",
        "mc-naples",
        None,
        ("jfc-naples", "Malta", "NAVSOUTH"),
        "http://ace-high-journal.eu/naples,-navy-hq-navsouth.html",
    ),
    Row(
        "1966-1967",
        "1966-06-01",
        "1966-08-01",
        "standing-group",
        ("mc", "Washington", None),
        None,
        "https://www.nato.int/cps/en/natohq/news_145774.htm",
    ),
    # 1994: the Northern Region and the Channel command give way to AFNORTHWEST.
    Row(
        "1994",
        "1994-06-30",
        "1995-01-02",
        "afnorth",
        ("aco", "Kolsås", "AFNORTH"),
        None,
        "http://www.dtic.mil/bosnia/fs/land_for_ceneuro.html",
    ),
    Row(
        "1994",
        "1994-06-30",
        "1995-01-02",
        "afnorthwest",
        None,
        ("aco", "High Wycombe", "AFNORTHWEST"),
        "https://www.globalmilitary.net/airbases/raf-high-wycombe",
    ),
    Row(
        "1994",
        "1994-06-30",
        "1994-07-02",
        "acchan",
        (None, "Northwood", "ACCHAN"),
        None,
        "https://en.wikipedia.org/wiki/Allied_Command_Channel",
    ),
    Row(
        "1994",
        "1994-06-30",
        "1994-07-02",
        "ukair",
        ("aco", "High Wycombe", "UKAIR"),
        None,
        "http://www.dtic.mil/bosnia/fs/land_for_ceneuro.html",
    ),
    # 1999-2000: land commands become joint commands; the regional commands take over.
    Row(
        "1999-2000",
        "1999-08-31",
        "2000-01-02",
        "landsouth",
        ("jfc-naples", "Verona", "LANDSOUTH"),
        None,
        "http://www.paginedidifesa.it/2004/pdd_040608.html",
    ),
    Row(
        "1999-2000",
        "1999-08-31",
        "2000-01-02",
        "jc-south",
        None,
        ("jfc-naples", "Verona", "JC SOUTH"),
        "https://ace-high-journal.eu/verona,-palazzo-carli-.html",
    ),
    Row(
        "1999-2000",
        "1999-08-31",
        "1999-09-02",
        "landsoutheast",
        ("jfc-naples", "İzmir", "LANDSOUTHEAST"),
        None,
        "https://nato.org.tr/page3.htm",
    ),
    Row(
        "1999-2000",
        "1999-08-31",
        "1999-09-02",
        "joint-command-southeast",
        None,
        ("jfc-naples", "İzmir", None),
        "https://nato.org.tr/archive/a_02sep99.htm",
    ),
    Row(
        "1999-2000",
        "1999-12-31",
        "2001-01-02",
        "landcent-heidelberg",
        ("jfc-brunssum", "Heidelberg", "LANDCENT"),
        None,
        "https://www.nato.int/fchd/News/2013/130314news.html",
    ),
    Row(
        "1999-2000",
        "1999-12-31",
        "2001-01-02",
        "fc-hd",
        None,
        ("jfc-brunssum", "Heidelberg", "JHQ CENT"),
        "https://www.nato.int/fchd/News/2013/130314news.html",
    ),
    Row(
        "1999-2000",
        "2000-03-02",
        "2000-03-04",
        "aircom",
        ("jfc-brunssum", "Ramstein", "AIRCENT"),
        ("jfc-brunssum", "Ramstein", "AIRNORTH"),
        "https://ac.nato.int/about/headquarters",
    ),
    # 2003-2004: ACLANT ends and ACT begins; the component commands of 2004.
    Row(
        "2003-2004",
        "2003-06-18",
        "2003-06-20",
        "saclant",
        ("mc", "Norfolk", "ACLANT"),
        None,
        "https://www.nato.int/cps/en/natohq/news_19979.htm",
    ),
    Row(
        "2003-2004",
        "2003-06-18",
        "2003-06-20",
        "act",
        None,
        ("mc", "Norfolk", "ACT"),
        "https://www.nato.int/cps/en/natohq/news_19979.htm",
    ),
    Row(
        "2003-2004",
        "2004-06-30",
        "2004-07-02",
        "aircom",
        ("jfc-brunssum", "Ramstein", "AIRNORTH"),
        ("jfc-brunssum", "Ramstein", "CC-Air Ramstein"),
        "https://ac.nato.int/about/headquarters",
    ),
    Row(
        "2003-2004",
        "2004-08-10",
        "2004-08-12",
        "ac-izmir",
        None,
        ("jfc-naples", "İzmir", "AC Izmir"),
        "https://aa.com.tr/en/turkey/nato-air-command-bids-farewell-to-izmir/243756",
    ),
    Row(
        "2003-2004",
        "2003-12-31",
        "2005-01-02",
        "jcne",
        ("jfc-brunssum", "Karup", "JCNE"),
        None,
        "https://denstoredanske.lex.dk/Enhedskommandoen",
    ),
    # 2012-2013: one command of each kind; Lisbon, Heidelberg, Naples and İzmir close.
    Row(
        "2012-2013",
        "2012-11-30",
        "2012-12-02",
        "landcom",
        None,
        ("aco", "İzmir", "LANDCOM"),
        "https://lc.nato.int/about-us/history",
    ),
    Row(
        "2012-2013",
        "2012-11-30",
        "2012-12-02",
        "marcom",
        ("jfc-brunssum", "Northwood", "MC Northwood"),
        ("aco", "Northwood", "MARCOM"),
        "https://en.wikipedia.org/wiki/Allied_Maritime_Command",
    ),
    Row(
        "2012-2013",
        "2012-12-17",
        "2012-12-19",
        "jfc-lisbon",
        ("aco", "Oeiras", "JFC Lisbon"),
        None,
        "https://www.dn.pt/arquivo/diario-de-noticias/comando-da-nato-em-oeiras-desativado-terca-feira.html",
    ),
    Row(
        "2012-2013",
        "2013-03-13",
        "2013-03-15",
        "fc-hd",
        ("jfc-brunssum", "Heidelberg", "FC HD"),
        None,
        "https://www.nato.int/fchd/News/2013/130314news.html",
    ),
    Row(
        "2012-2013",
        "2013-03-26",
        "2013-03-28",
        "mc-naples",
        ("jfc-naples", "Naples", "MC Naples"),
        None,
        "https://jfcnaples.nato.int/page6322744/25-deactivation-of-afsouth.aspx",
    ),
    Row(
        "2012-2013",
        "2013-05-31",
        "2013-06-02",
        "ac-izmir",
        ("jfc-naples", "İzmir", "AC Izmir"),
        None,
        "https://www.atlanticcouncil.org/blogs/natosource/nato-deactivates-allied-air-command-izmir-hq-in-turkey/",
    ),
    # 2018-2019: the Atlantic and support commands.
    Row(
        "2018-2019",
        "2018-06-01",
        "2019-12-31",
        "jfc-norfolk",
        None,
        ("aco", "Norfolk", "JFC Norfolk"),
        "https://jfcnorfolk.nato.int/activity/natos-joint-force-command-norfolk-declares-full-operational-capability",
    ),
    Row(
        "2018-2019",
        "2018-06-01",
        "2019-12-31",
        "jsec",
        None,
        ("aco", "Ulm", "JSEC"),
        "https://www.nato.int/cps/en/natohq/news_186427.htm",
    ),
)


def shown(day: str, ident: str) -> Shown | None:
    """What the view of ``day`` shows of one entity, or None where it is not shown."""
    entity = DS.as_of(day).get(ident, None)
    if entity is None or entity.id != ident:
        return None
    city = entity.location.city if entity.location is not None else None
    return (entity.parent_id, city, entity.abbreviation)


def cited(entity: Entity) -> set[str]:
    """Every URL a record cites, anywhere in it."""
    urls: set[str] = set()

    def walk(obj: object) -> None:
        if isinstance(obj, Source):
            if obj.url:
                urls.add(obj.url)
        elif isinstance(obj, tuple):
            for item in obj:
                walk(item)
        elif hasattr(obj, "__attrs_attrs__"):
            for field in obj.__attrs_attrs__:
                walk(getattr(obj, field.name))

    walk(entity)
    return urls


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.reorganisation}-{r.ident}-{r.after}")
def test_a_reorganisation_as_views_show_it(row: Row) -> None:
    assert (shown(row.before, row.ident), shown(row.after, row.ident)) == (
        row.shown_before,
        row.shown_after,
    )
    assert row.source in cited(DS.get(row.ident))


def test_diff_lists_each_reorganisation() -> None:
    """Across each row's two days, ``diff`` adds what appears and removes what goes."""
    missing = []
    for row in ROWS:
        types = {c.type for c in DS.diff(row.before, row.after) if c.entity_id == row.ident}
        if row.shown_before is None and row.shown_after is not None and "added" not in types:
            missing.append(f"{row.ident}: not added by {row.after}")
        if row.shown_before is not None and row.shown_after is None and "removed" not in types:
            missing.append(f"{row.ident}: not removed by {row.after}")
        if (
            row.shown_before is not None
            and row.shown_after is not None
            and row.shown_before != row.shown_after
            and not types & {"renamed", "reparented", "moved"}
            and row.shown_before[1] == row.shown_after[1]
        ):
            missing.append(f"{row.ident}: no rename or new superior listed by {row.after}")
    assert missing == []


def test_members_outside_the_integrated_command() -> None:
    """France 1966-2009, Greece 1974-1980 and Spain 1982-1999 stood outside the integrated command."""

    def inside(country: str, day: str) -> str:
        return DS.member(country).in_integrated_command_on(dt.date.fromisoformat(day)).value

    assert [inside("FR", d) for d in ("1966-06-30", "1966-07-01", "2009-04-03", "2009-04-04")] == [
        "surely",
        "not",
        "not",
        "surely",
    ]
    assert [inside("GR", d) for d in ("1974-08-13", "1974-08-14", "1980-10-20")] == [
        "surely",
        "not",
        "surely",
    ]
    assert [inside("ES", d) for d in ("1990-01-01", "1998-12-31", "1999-01-01")] == [
        "not",
        "not",
        "surely",
    ]
