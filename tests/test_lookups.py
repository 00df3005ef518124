"""Finding things the way people ask: by family, place, member state and person.

The small data set below holds two bodies in Brussels (one with a second
site in Mons), a body named after Mons, a committee, and one person who
held two posts. The CLI tests run the same questions on the bundled data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import pytest

import natostruct
from natostruct import UnknownKeyError, cli

SOURCE: Final = {"title": "Test", "quality": "official", "url": "https://example.invalid/"}


def entity(ident: str, **fields: Any) -> dict[str, Any]:
    """A body record with ``fields`` overriding."""
    return {"kind": "body", "id": ident, "name": ident.title(), "sources": [SOURCE], **fields}


def post(title: str, *holders: tuple[str, str, str | None]) -> dict[str, Any]:
    """A leading post with ``(name, start, end)`` holders."""
    return {
        "title": title,
        "leading": True,
        "holders": [{"name": n, "start": s, **({"end": e} if e else {})} for n, s, e in holders],
    }


RECORDS: Final = [
    entity(
        "alpha",
        family="agency",
        location={"country": "BE", "city": "Brussels"},
        other_sites=[{"country": "BE", "city": "Mons"}, {"country": "NL", "city": "The Hague"}],
        posts=[post("Director", ("Jane Q. Doe", "2001", "2005"))],
    ),
    entity(
        "beta",
        family="committee",
        parent_id="alpha",
        location={"country": "BE", "city": "Brussels"},
        posts=[post("Chair", ("Jane Q. Doe", "2010", None), ("John Roe", "2005", "2010"))],
    ),
    entity("mons-group", name="Mons Group", family="agency", location={"country": "FR"}),
    {"kind": "member_state", "country": "IS", "name": "Iceland", "accession": "1949-08-24"},
    {"kind": "member_state", "country": "FI", "name": "Finland", "accession": "2023-04-04"},
]


@pytest.fixture
def data(write_doc: Callable[..., Path]) -> natostruct.Dataset:
    return natostruct.load(write_doc(RECORDS))


class TestFilter:
    def test_by_family_city_and_country(self, data: natostruct.Dataset) -> None:
        """Family and city match as keys do (any case, accents aside); country by code."""
        assert [e.id for e in data.filter(family="Agency")] == ["alpha", "mons-group"]
        assert [e.id for e in data.filter(city="brussels")] == ["alpha", "beta"]
        assert [e.id for e in data.filter(country="FRA")] == ["mons-group"]
        assert [e.id for e in data.filter(city="Brussels", family="committee")] == ["beta"]

    def test_other_sites_only_when_asked(self, data: natostruct.Dataset) -> None:
        """The main seat answers a place query; the other sites only with any_site."""
        assert data.filter(city="Mons") == ()
        assert [e.id for e in data.filter(city="Mons", any_site=True)] == ["alpha"]
        assert data.filter(country="NL") == ()
        assert [e.id for e in data.filter(country="NL", any_site=True)] == ["alpha"]
        assert data.filter(country="NL", city="Mons", any_site=True) == ()

    def test_unknown_family(self, data: natostruct.Dataset) -> None:
        with pytest.raises(ValueError, match="expected family to be one of political body"):
            data.filter(family="agencies")


class TestMember:
    @pytest.mark.parametrize("key", ["Finland", "finland", "FI", "fin", "FIN"])
    def test_by_name_or_code(self, data: natostruct.Dataset, key: str) -> None:
        assert data.member(key).country == "FI"

    def test_only_members_of_the_day_on_a_view(self, data: natostruct.Dataset) -> None:
        """Finland is no member in 2020; the error says what was looked for."""
        assert data.as_of("2024").member("Finland").country == "FI"
        with pytest.raises(UnknownKeyError, match="no member state 'Finland' on 2020-01-01"):
            data.as_of("2020").member("Finland")

    def test_get_stays_with_entities(self) -> None:
        """An entity key wins in get(); member() answers for states alone."""
        ds = natostruct.dataset()
        assert ds.get("IS").id == "is"
        assert ds.member("IS").name == ds.member("ISL").name == "Iceland"
        with pytest.raises(UnknownKeyError, match="no member state 'Austria'"):
            ds.member("Austria")


class TestPeople:
    def test_terms_of_a_person(self, data: natostruct.Dataset) -> None:
        """Every post a person held, oldest first, whatever the case or punctuation."""
        rows = [(t.entity_id, t.post, str(t.period)) for t in data.terms("jane q doe")]
        assert rows == [("alpha", "Director", "2001/2005"), ("beta", "Chair", "2010/")]

    def test_part_of_a_name(self, data: natostruct.Dataset) -> None:
        """Four letters or more find the names that contain them; fewer must be whole."""
        assert [t.name for t in data.terms("Roe")] == []
        assert [t.name for t in data.terms("Doe")] == []
        assert {t.name for t in data.terms("Jane")} == {"Jane Q. Doe"}

    def test_terms_on_a_view(self, data: natostruct.Dataset) -> None:
        assert [t.entity_id for t in data.as_of("2003").terms("Jane Q. Doe")] == ["alpha"]

    def test_search_finds_the_post_of_a_person(self, data: natostruct.Dataset) -> None:
        """A person's name finds the entities whose posts they held."""
        assert [e.id for e in data.search("John Roe")] == ["beta"]


def test_search_ranks_names_before_places(data: natostruct.Dataset) -> None:
    """An entity named after a city comes before those seated there (at any site)."""
    assert [e.id for e in data.search("Mons")] == ["mons-group", "alpha"]
    assert [e.id for e in data.search("Brussels")] == ["alpha", "beta"]
    assert [e.id for e in data.search("Hague")] == ["alpha"]


# --- the command line, on the bundled data ------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_list_matches_filter(capsys: pytest.CaptureFixture[str]) -> None:
    """`natostruct list` gives what Dataset.filter gives on the same day."""
    view = natostruct.dataset().as_of(natostruct.DATA_AS_OF)
    day = natostruct.DATA_AS_OF.isoformat()
    cases: list[tuple[list[str], dict[str, Any]]] = [
        (["--city", "Brussels"], {"city": "Brussels"}),
        (
            ["--family", "command structure", "--kind", "command"],
            {"family": "command structure", "kind": "command"},
        ),
        (["--country", "PL"], {"country": "PL"}),
    ]
    for options, criteria in cases:
        code, out = run(capsys, "list", "--as-of", day, "--json", *options)
        assert code == 0
        assert [row["id"] for row in json.loads(out)] == [e.id for e in view.filter(**criteria)]
    code, out = run(capsys, "list", "--as-of", day, "--city", "Stavanger")
    assert out.splitlines() == ["jwc  JWC — Joint Warfare Centre  (Jåttå, Stavanger, NO)"]


def test_show_falls_back_to_member_states_and_people(capsys: pytest.CaptureFixture[str]) -> None:
    """`show IS` is the International Staff; `show Iceland` the state; `show` a name, the terms."""
    assert run(capsys, "show", "IS")[1].startswith("IS — International Staff")
    code, out = run(capsys, "show", "Iceland")
    assert (code, out.splitlines()[0]) == (0, "Iceland  [IS, member state]")
    code, out = run(capsys, "show", "Mark Rutte", "--json")
    assert [(t["entity_id"], t["post"], t["start"]) for t in json.loads(out)] == [
        ("secgen", "Secretary General", "2024-10-01")
    ]


def test_search_names_a_member_state(capsys: pytest.CaptureFixture[str]) -> None:
    """A member state's name or code comes first unless an entity answers to it."""
    assert run(capsys, "search", "Iceland")[1].splitlines()[0] == (
        "IS  Iceland (member state since 1949-08-24)"
    )
    assert "member state" not in run(capsys, "search", "IS")[1]


def test_tree_overview_and_whole(capsys: pytest.CaptureFixture[str]) -> None:
    """The default tree stops three levels down and counts the long lists; --all shows all."""
    day = natostruct.DATA_AS_OF.isoformat()
    _, overview = run(capsys, "tree", "--as-of", day)
    _, whole = run(capsys, "tree", "--as-of", day, "--all")
    view = natostruct.dataset().as_of(day)
    # The heading line, and a line marked "?" for each entity that may exist that day.
    maybe = sum(line.rstrip().endswith("?") or " ? " in line for line in whole.splitlines())
    assert len(whole.splitlines()) == len(view) + 1 + maybe
    delegations = len(view.filter(family="delegation"))
    assert f"{delegations} delegations: natostruct list --family 'delegation'" in overview
    assert max(len(line) - len(line.lstrip()) for line in overview.splitlines()) <= 2 * 3
    assert overview.rstrip().endswith("The whole tree: natostruct tree --all")
    _, family = run(capsys, "tree", "--as-of", day, "--family", "delegation")
    assert len(family.splitlines()) == delegations + 1


def test_tree_of_a_family_keeps_those_that_may_have_existed(
    capsys: pytest.CaptureFixture[str],
    write_doc: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`tree --family` matches the family in any case, for sure and for maybe-existing entities."""
    records = [
        entity("council", family="political body", established="1990-01-01"),
        entity("staff", family="EU", parent_id="council", established="2001-01-22"),
        entity("cell", family="EU", parent_id="council", established="2015"),
    ]
    ds = natostruct.load(write_doc(records))
    monkeypatch.setattr(cli, "_root", lambda: ds)
    assert [e.id for e in ds.as_of("2015-07-01").uncertain()] == ["cell"]
    _, out = run(capsys, "tree", "--family", "eu", "--as-of", "2015-07-01")
    assert out.splitlines()[1:] == ["Cell ?", "Staff"]
