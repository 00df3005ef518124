"""Dataset queries on the small fixture dataset (tests/fixtures/mini.json)."""

from __future__ import annotations

import datetime as dt
import importlib

import attrs
import pytest

import natostruct
from natostruct import (
    Command,
    Dataset,
    Division,
    Holder,
    Holds,
    MemberState,
    Mission,
    PartialDate,
    Post,
    UnknownKeyError,
)


class TestGet:
    @pytest.mark.parametrize(
        ("key", "ident"),
        [
            ("hq-east", "hq-east"),  # id
            ("HQE", "hq-east"),  # abbreviation
            ("hqe", "hq-east"),  # case
            ("Headquarters East", "hq-east"),  # name
            ("headquarters-east", "hq-east"),  # hyphens and spaces
            ("hq east", "hq-east"),
            ("OEC", "hq-east"),  # former abbreviation
            ("Old Eastern Command", "hq-east"),  # former name
            ("EASTCOM", "hq-east"),  # post alias
            ("Izmir", "field-1"),  # HQ city, accents ignored
            ("İZMİR", "field-1"),
            ("Sirinyer", "field-1"),  # site
            ("Bydgoszcz", "hq-east"),
        ],
    )
    def test_keys(self, mini: Dataset, key: str, ident: str) -> None:
        """Ids, abbreviations, names, aliases and cities all find the entity."""
        assert mini.get(key).id == ident

    def test_entity_and_memo(self, mini: Dataset) -> None:
        """An entity is its own key, and a repeated lookup returns the same object."""
        entity = mini.get("hq-east")
        assert mini.get(entity) is entity
        assert mini.get("Headquarters East") is mini.get("Headquarters East") is entity

    def test_default(self, mini: Dataset) -> None:
        """A default replaces the error for unknown keys."""
        assert mini.get("nothing", None) is None
        assert mini.get(42, "x") == "x"  # type: ignore[call-overload]

    def test_unknown(self, mini: Dataset) -> None:
        """An unknown key raises UnknownKeyError, a KeyError."""
        with pytest.raises(KeyError, match="no entity 'nothing'"):
            mini.get("nothing")

    def test_ambiguous_prefers_existing(self, mini: Dataset) -> None:
        """Of two entities at Norfolk, the one that still exists wins."""
        assert mini.get("Norfolk").id == "hq-west"

    def test_ambiguous(self, mini: Dataset) -> None:
        """A key naming several existing entities lists them."""
        with pytest.raises(UnknownKeyError) as info:
            mini.get("Brussels")
        assert info.value.ambiguous
        assert info.value.candidates == ("council", "mission-x")

    @pytest.mark.parametrize(
        "junk", [None, 0, 1.5, b"ims", (), [], {}, object(), "", " ", "\x00", "🙂"]
    )
    def test_junk(self, mini: Dataset, junk: object) -> None:
        """Junk keys give UnknownKeyError (or the default), never another error."""
        with pytest.raises(UnknownKeyError):
            mini.get(junk)  # type: ignore[call-overload]
        assert mini.get(junk, None) is None  # type: ignore[call-overload]
        assert mini.search(junk) == () or isinstance(junk, str)  # type: ignore[arg-type]

    def test_contains(self, mini: Dataset) -> None:
        """`in` takes keys and entities."""
        assert "HQE" in mini
        assert mini.get("council") in mini
        assert "nothing" not in mini
        assert 3 not in mini

    def test_contains_exactly_when_getitem_answers(self, mini: Dataset) -> None:
        """`key in ds` is True exactly when `ds[key]` gives an entity: an ambiguous key is not in."""
        for key in ("Brussels", "Norfolk", "HQE", "nothing", "", mini.get("council")):
            try:
                mini[key]
            except UnknownKeyError:
                answers = False
            else:
                answers = True
            assert (key in mini) is answers, key
        assert "Brussels" not in mini

    def test_a_key_of_no_letters_finds_nothing(self) -> None:
        """A name of punctuation alone is no key; names in other scripts are found by their text."""
        ds = Dataset(
            [
                natostruct.Body(id="jp", name="北大西洋条約機構", abbreviation="!!!"),
                natostruct.Body(id="ru", name="Брюссельский офис"),
                natostruct.Body(id="ar", name="مكتب ١٩٤٩"),
            ]
        )
        for key in ("", "!!!", "?", " - "):
            assert ds.get(key, None) is None, key
        assert ds.get("北大西洋条約機構").id == "jp"
        assert ds.get("БРЮССЕЛЬСКИЙ ОФИС").id == "ru"  # case folds in Cyrillic too
        assert ds.get("مكتب 1949").id == "ar"  # digits of any script are one digit
        assert ds.search("Брюсельский")[0].id == "ru"  # a typo, in Cyrillic


class TestStructure:
    def test_parent_children(self, mini: Dataset) -> None:
        """parent and children follow the latest reporting lines; children by id."""
        assert mini.parent("field-1") is mini.get("hq-west")
        assert mini.parent("council") is None
        assert [e.id for e in mini.children("council")] == ["hq-east", "hq-west", "old-west"]
        assert mini.children("field-1-ops") == ()

    def test_former_subordinates_included(self, mini: Dataset) -> None:
        """On the whole history, a disestablished entity is still a child."""
        assert mini.get("old-west") in mini.children("council")

    def test_subtree_preorder(self, mini: Dataset) -> None:
        """subtree: the root first, then pre-order with children by id."""
        assert [e.id for e in mini.subtree("council")] == [
            "council",
            "hq-east",
            "hq-west",
            "field-1",
            "field-1-ops",
            "old-west",
        ]

    def test_chain(self, mini: Dataset) -> None:
        """chain_of_command goes upward to the top, and is the same when asked again."""
        chain = mini.chain_of_command("FU1")
        assert [e.id for e in chain] == ["field-1", "hq-west", "council"]
        assert mini.chain_of_command(chain[0]) is chain

    def test_entity_properties(self, mini: Dataset) -> None:
        """Entities reach their Dataset for parent, children, chain and subtree."""
        unit = mini.get("field-1")
        assert unit.parent is mini.get("hq-west")
        assert unit.children == (mini.get("field-1-ops"),)
        assert unit.chain_of_command == mini.chain_of_command("field-1")
        assert unit.subtree[0] is unit
        assert unit.dataset is mini

    def test_unlinked_record(self) -> None:
        """A record built by hand has no Dataset, and says so."""
        record = natostruct.Body(id="a", name="A")
        with pytest.raises(LookupError, match="belongs to no Dataset") as info:
            _ = record.parent
        assert isinstance(info.value, natostruct.NoDatasetError)

    def test_link_not_in_equality_or_repr(self, mini: Dataset) -> None:
        """The Dataset link takes no part in equality, hashing or repr."""
        linked = mini.get("council")
        copy = attrs.evolve(linked)
        assert copy == linked
        assert hash(copy) == hash(linked)
        assert "Dataset" not in repr(linked)
        assert repr(linked) == "Body(id='council', name='Council', abbreviation='CNL')"


class TestFilter:
    @pytest.mark.parametrize(
        ("criteria", "ids"),
        [
            ({"kind": "command"}, ["field-1", "hq-east", "hq-west", "old-west"]),
            ({"kind": Division}, ["field-1-ops"]),
            ({"kind": Mission}, ["mission-x"]),
            ({"category": "Strategic Command"}, ["hq-east", "hq-west", "old-west"]),
            ({"country": "usa"}, ["hq-west", "old-west"]),
            ({"country": "BE"}, ["council", "mission-x"]),
            ({"country": "tr", "kind": Command}, ["field-1"]),
            ({"organization": "nato", "country": "PL"}, ["hq-east"]),
            ({"organization": "EU"}, []),
        ],
    )
    def test_filter(self, mini: Dataset, criteria: dict[str, object], ids: list[str]) -> None:
        """Filters combine; kind takes a class or name, country alpha-2 or alpha-3."""
        assert [e.id for e in mini.filter(**criteria)] == ids  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("criteria", "message"),
        [({"kind": "army"}, "expected kind"), ({"country": "XYZ"}, "expected an ISO 3166-1")],
    )
    def test_bad_filter(self, mini: Dataset, criteria: dict[str, object], message: str) -> None:
        """Unknown kinds and country codes are ValueErrors."""
        with pytest.raises(ValueError, match=message):
            mini.filter(**criteria)  # type: ignore[arg-type]


class TestTime:
    def test_as_of_holds_what_existed(self, mini: Dataset) -> None:
        """A view has only the entities that surely existed that day.

        Old West, established "1952", may exist in mid-1952 and surely does
        from 1952-12-31.
        """
        assert [e.id for e in mini.as_of("1952-06-01").all()] == [
            "council",
            "hq-east",
            "mission-x",
        ]
        assert "old-west" in [e.id for e in mini.as_of("1952-12-31").all()]
        assert "old-west" not in [e.id for e in mini.as_of("2003-06-19").all()]
        assert "hq-west" in [e.id for e in mini.as_of("2003-06-19").all()]

    def test_as_of_names_and_lines_of_the_day(self, mini: Dataset) -> None:
        """A view uses the names and reporting lines of its day."""
        view = mini.as_of(dt.date(1990, 1, 1))
        assert view.get("hq-east").name == "Old Eastern Command"
        assert view.get("hq-east").abbreviation == "OEC"
        assert view.parent("field-1") is view.get("old-west")
        assert view.get("HQE") is view.get("hq-east")  # today's keys still find it
        assert mini.as_of("2010").parent("field-1") is mini.as_of("2010").get("hq-west")

    def test_as_of_unknown_entity(self, mini: Dataset) -> None:
        """Looking up an entity that did not exist that day raises UnknownKeyError."""
        with pytest.raises(UnknownKeyError, match="on 1990-01-01"):
            mini.as_of("1990-01-01").get("hq-west")

    def test_as_of_holders(self, mini: Dataset) -> None:
        """A view keeps only that day's holders."""
        assert [h.name for h in mini.as_of("2014-10-01").holders("council")] == ["Bob Second"]
        head = mini.as_of("2014-09-30").get("council").head
        assert head is not None
        assert [h.name for h in head.holders] == ["Ann First"]
        assert [h.name for h in mini.holders("council")] == ["Ann First", "Bob Second", "Cid Third"]
        assert [h.name for h in mini.holders("council", as_of="2024-10-01")] == ["Cid Third"]

    def test_most_recent_holder_is_a_dated_one(self) -> None:
        """``Post.holder`` is the open-ended or latest dated term; an undated one only when alone."""

        def term(name: str, start: str | None, end: str | None) -> Holder:
            return Holder(
                name=name,
                start=None if start is None else PartialDate.parse(start),
                end=None if end is None else PartialDate.parse(end),
            )

        undated = term("Undated", None, None)
        ended = term("Last Known", "1980", "1985")
        post = Post(title="Commander", holders=(undated, term("First", "1970", "1980"), ended))
        assert post.holder == ended
        assert Post(title="Commander", holders=(undated,)).holder == undated
        current = term("Current", "2020", None)
        assert attrs.evolve(post, holders=(*post.holders, current)).holder == current

    def test_as_of_cached(self, mini: Dataset) -> None:
        """The same day gives the same view object, whatever form the date takes."""
        assert mini.as_of("2010-01-01") is mini.as_of(dt.date(2010, 1, 1)) is mini.as_of("2010")
        assert mini.as_of("2010").as_of("1990") is mini.as_of("1990")

    def test_view_cache_is_bounded_by_records(
        self, mini: Dataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The views kept hold at most VIEW_CACHE_RECORDS records; clear_cache forgets them all."""
        # natostruct.dataset is also the name of a function: reach the module itself.
        module = importlib.import_module("natostruct.dataset")
        ds = Dataset(mini.records)  # a fresh cache
        days = [f"20{n:02d}-06-01" for n in range(10, 20)]
        sizes = [len(ds.as_of(day)) for day in days]
        ds.clear_cache()
        monkeypatch.setattr(module, "VIEW_CACHE_RECORDS", sum(sizes[-3:]))
        views = [ds.as_of(day) for day in days]
        pairs = list(zip(days, views, strict=True))
        assert all(ds.as_of(day) is view for day, view in pairs[::-1][:3])
        assert ds.as_of(days[0]) is not views[0]
        ds.clear_cache()
        assert ds.as_of(days[-1]) is not views[-1]
        assert ds.as_of(days[-1]) == views[-1]  # the same answer, built again
        monkeypatch.setattr(module, "VIEW_CACHE_RECORDS", min(sizes) - 1)
        ds.clear_cache()
        assert ds.as_of("2011") is not ds.as_of("2011")  # too big to keep: never cached

    def test_members(self, mini: Dataset) -> None:
        """Members by accession date then country; default today."""
        assert [m.country for m in mini.members("1949-08-23")] == []
        assert [m.country for m in mini.members("1949-08-24")] == ["BE", "FR", "US"]
        assert [m.country for m in mini.members()] == ["BE", "FR", "US", "SE"]
        assert [m.country for m in mini.as_of("2000").members()] == ["BE", "FR", "US"]
        assert all(isinstance(m, MemberState) for m in mini.members())

    def test_integrated_command(self, mini: Dataset) -> None:
        """France was outside the integrated command from "1966" until 2009-04-04.

        The year-precise start leaves 1966 in doubt; the day-precise end does not.
        """
        france = next(m for m in mini.members() if m.country == "FR")
        on = france.in_integrated_command_on
        assert on(dt.date(1965, 12, 31)) is Holds.SURELY
        assert on(dt.date(1966, 1, 1)) is Holds.MAYBE
        assert on(dt.date(1966, 12, 31)) is Holds.NOT
        assert on(dt.date(2009, 4, 3)) is Holds.NOT
        assert on(dt.date(2009, 4, 4)) is Holds.SURELY
        with pytest.raises(TypeError, match="three values"):
            bool(on(dt.date(2009, 4, 4)))

    def test_partnerships(self, mini: Dataset) -> None:
        """Partnerships by country, alpha-3 accepted."""
        assert [p.framework for p in mini.partnerships("AZE")] == ["Partnership for Peace"]
        assert mini.as_of("1993").partnerships() == ()

    def test_bad_date(self, mini: Dataset) -> None:
        """A malformed date is a ValueError."""
        with pytest.raises(ValueError, match="expected a date"):
            mini.as_of("yesterday")


class TestSearch:
    @pytest.mark.parametrize(
        ("text", "first"),
        [
            ("Headquarters East", "hq-east"),
            ("headquaters east", "hq-east"),  # typo
            ("HQW", "hq-west"),
            ("operations", "field-1-ops"),
            ("Field Unit", "field-1"),
            ("xland", "mission-x"),
        ],
    )
    def test_best_first(self, mini: Dataset, text: str, first: str) -> None:
        """The obvious answer ranks first, typos tolerated."""
        assert mini.search(text)[0].id == first

    def test_limit_and_nothing(self, mini: Dataset) -> None:
        """limit caps the results; nonsense finds nothing."""
        assert len(mini.search("headquarters", limit=1)) == 1
        assert mini.search("qqqqzzzz") == ()
        assert mini.search("") == ()


class TestImmutability:
    def test_dataset_attributes(self, mini: Dataset) -> None:
        """A Dataset refuses attribute assignment and deletion."""
        with pytest.raises(AttributeError):
            mini._entities = {}
        with pytest.raises(AttributeError):
            del mini._entities
        with pytest.raises(AttributeError):
            mini.anything = 1

    def test_records_frozen(self, mini: Dataset) -> None:
        """Records refuse assignment; their collections are tuples."""
        entity = mini.get("council")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            entity.name = "x"  # type: ignore[misc]
        assert isinstance(entity.posts, tuple)
        assert isinstance(mini.all(), tuple)
        assert isinstance(mini.children("council"), tuple)

    def test_equality(self, mini: Dataset) -> None:
        """Datasets with equal records are equal."""
        again = natostruct.load("tests/fixtures/mini.json")
        assert again == mini
        assert again is not mini
        assert mini != mini.as_of("2000")
        assert repr(mini) == "<Dataset whole history: 7 entities, 4 member states, 1 partnerships>"


def test_holders_of_another_day_on_a_view() -> None:
    """On a view, holders(key, as_of) of another day are the whole history's for that day."""
    ds = natostruct.dataset()
    view = ds.as_of("2020-01-01")
    assert view.holders("secgen", "2000-01-01") == ds.holders("secgen", "2000-01-01")
    assert [h.name for h in view.holders("secgen")] == [
        h.name for h in ds.holders("secgen", "2020-01-01")
    ]
