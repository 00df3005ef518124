"""Notebook display: the entity card, the Dataset table and the query-result table."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

import natostruct
from natostruct.display import MAX_ROWS, dataset_html, entities_html, entity_html, tree_html
from natostruct.tree import TreeNode, count, tree

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

TRICKY = {
    "kind": "body",
    "id": "tricky",
    "name": 'Board of <script>alert("x")</script> & Co',
    "abbreviation": "B&C",
    "established": "2001",
    "location": {"country": "BE", "city": "Mons <Casteau>"},
}


class _Checker(HTMLParser):
    """Collects tags, to check that the markup is well formed enough to parse."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)


def tags(html: str) -> list[str]:
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.tags


@pytest.fixture
def tricky(write_doc: Callable[..., Path]) -> natostruct.Dataset:
    return natostruct.load(write_doc([TRICKY]))


class TestEntityHtml:
    def test_card(self) -> None:
        """The card shows name, abbreviation, kind, HQ, dates, head and parent."""
        ims = natostruct.dataset().as_of("2025-12-31").get("ims")
        html = ims._repr_html_()
        assert html == entity_html(ims)
        for text in ("International Military Staff", "IMS", "body", "Brussels", "1967", "MC"):
            assert text in html
        assert ims.head is not None
        assert ims.head.title in html
        assert "div" in tags(html)

    def test_escaped(self, tricky: natostruct.Dataset) -> None:
        """Text from the data is HTML-escaped."""
        html = entity_html(tricky.get("tricky"))
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "B&amp;C" in html
        assert "Mons &lt;Casteau&gt;" in html
        assert "script" not in tags(html)

    def test_unlinked_entity(self) -> None:
        """An entity built by hand (in no Dataset) still renders, with its parent id."""
        entity = natostruct.Body(id="x", name="X", parent_id="nac")
        assert "nac" in entity_html(entity)


class TestTree:
    def test_a_dataset_renders_as_its_tree(self) -> None:
        """The tree holds the entities `tree` gives, the tops open, a `?` for each uncertain one."""
        view = natostruct.dataset().as_of("2025-12-31")
        branch = view.subset("act")
        html = branch._repr_html_()
        assert html == tree_html(branch)
        nodes = tree(branch)
        assert tags(html).count("li") == count(nodes)
        assert "As of 2025-12-31; data checked to" in html
        assert all(f"<b>{e.abbreviation}</b>" in html for e in branch if e.abbreviation)

    def test_uncertain_and_unplaced_are_marked(self) -> None:
        """Every entity that only may have existed is marked; those unplaced come under a heading."""
        view = natostruct.dataset().as_of("1965-06-01")
        nodes = tree(view)
        assert count(nodes) <= MAX_ROWS  # the whole tree is shown
        html = tree_html(view)
        marks = html.count("title='may not have existed that day'")
        assert marks == len(list(_uncertain_nodes(nodes))) > 0
        assert view.superior_unknown()
        assert "Superior not recorded on this day" in html

    def test_capped(self) -> None:
        whole = natostruct.dataset()
        html = tree_html(whole)
        assert tags(html).count("li") <= MAX_ROWS + 1
        assert f"Showing {MAX_ROWS} of {count(tree(whole))} entities" in html

    def test_escaped(self, tricky: natostruct.Dataset) -> None:
        html = tree_html(tricky)
        assert "<script>" not in html
        assert "script" not in tags(html)


def _uncertain_nodes(nodes: list[TreeNode]) -> Iterator[TreeNode]:
    for node in nodes:
        if not node["certain"]:
            yield node
        yield from _uncertain_nodes(node["children"])


class TestCard:
    def test_holders_subordinates_and_sources(self) -> None:
        """The card lists the head's latest holders, the subordinates and each source as a link."""
        aco = natostruct.dataset().get("aco")
        html = entity_html(aco)
        assert aco.head is not None
        assert aco.head.holders[-1].name in html
        assert all((c.abbreviation or c.name) in html for c in aco.children[:5])
        links = [s for s in aco.sources if s.url and s.url.startswith("https://")]
        assert links
        assert all(f'href="{s.url}"' in html for s in links)

    def test_only_web_links(self, write_doc: Callable[..., Path]) -> None:
        """A source whose URL is not a web address is text, never a link."""
        record = {
            **TRICKY,
            "sources": [{"title": "x", "quality": "secondary", "url": "javascript:alert(1)"}],
        }
        try:
            ds = natostruct.load(write_doc([record]))
        except natostruct.DatasetError:
            return  # the loader refuses such a URL: nothing to render
        assert "href" not in entity_html(ds.get("tricky"))


class TestTables:
    def test_dataset_table(self) -> None:
        """dataset_html gives one row per entity (up to MAX_ROWS) and a caption."""
        ds = natostruct.dataset().as_of("2025-12-31")
        html = dataset_html(ds)
        assert tags(html).count("tr") == min(len(ds), MAX_ROWS) + 1
        assert "as of 2025-12-31" in html
        shown = f"Showing the first {MAX_ROWS} of {len(ds)} entities."
        assert (shown in html) == (len(ds) > MAX_ROWS)

    def test_query_result_table(self) -> None:
        """entities_html renders a query result (a tuple) as a table."""
        found = natostruct.dataset().filter(kind="command")
        html = entities_html(found)
        assert tags(html).count("tr") == len(found) + 1
        assert f"{len(found)} entities" in html

    def test_capped(self) -> None:
        """Long tables stop at MAX_ROWS rows with a note saying how many there are."""
        ims = natostruct.dataset().get("ims")
        html = entities_html([ims] * (MAX_ROWS + 5))
        assert tags(html).count("tr") == MAX_ROWS + 1
        assert f"first {MAX_ROWS} of {MAX_ROWS + 5}" in html

    def test_escaped(self, tricky: natostruct.Dataset) -> None:
        """Table cells are HTML-escaped."""
        html = dataset_html(tricky)
        assert "<script>" not in html
        assert "script" not in tags(html)


class TestDoubtsShown:
    """On an as_of view, the card and the table say what the sources leave in doubt."""

    @pytest.fixture
    def ds(self, gapped_data: natostruct.Dataset) -> natostruct.Dataset:
        return gapped_data

    def test_card(self, ds: natostruct.Dataset) -> None:
        """The card names the day, a name in doubt with its candidates, and an unknown superior."""
        html = entity_html(ds.as_of("1975-06-01").get("unit"))
        assert "As of 1975-06-01." in html
        assert "in doubt: Old Unit or NU — New &lt;Unit&gt;" in html
        assert "not recorded that day" in html
        sure = entity_html(ds.as_of("1985-06-01").get("unit"))
        assert "in doubt" not in sure
        assert "not recorded" not in sure
        assert "As of" not in entity_html(ds.get("unit"))  # the whole history has no day

    def test_table(self, ds: natostruct.Dataset) -> None:
        """The table marks a value in doubt, names the day, and lists who may have existed."""
        html = dataset_html(ds.as_of("1975-06-01"))
        assert 'title="in doubt: Old Unit or NU — New &lt;Unit&gt;">Old Unit ?</td>' in html
        assert "not recorded that day" in html
        assert "Not shown, as they may not have existed that day: Later Body." in html
        assert "As of 1975-06-01." in html
        assert "may not have existed" not in dataset_html(ds.as_of("1985-06-01"))
        assert "As of" not in dataset_html(ds)

    def test_bundled_day_line(self) -> None:
        """On the bundled data, the day line names DATA_AS_OF, and a later day says so."""
        html = dataset_html(natostruct.dataset().as_of("2040-01-01"))
        assert f"data checked to {natostruct.DATA_AS_OF}: later changes are not in it" in html

    def test_legend_only_when_marked(self, ds: natostruct.Dataset) -> None:
        """The ? legend appears only on a table that marks something."""
        assert "Marked ?" in dataset_html(ds.as_of("1975-06-01"))
        assert "Marked ?" not in dataset_html(ds.as_of("1985-06-01"))


def test_card_dates_show_the_bounds_of_an_unknown_start_and_end() -> None:
    """A card gives the sourced bounds where a start or an end is unknown, never a bare blank."""
    cards = {key: entity_html(natostruct.get(key)) for key in ("westlant", "marcom", "afnorth")}
    assert "by 1962 – after 1998, by 2003-06-19" in cards["westlant"]
    assert "known from 1953" in cards["marcom"]
    assert "1951 – 1994-07-01" in cards["afnorth"]
