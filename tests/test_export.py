"""Exports on the canonical data: JSON, CSV, GeoJSON, DOT, Mermaid, DataFrame, networkx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import jsonschema
import pandas as pd
import pytest

import natostruct
from natostruct import Holder, PartialDate, Results
from natostruct.export import FORMATS, export
from natostruct.export import csv as csv_export
from natostruct.export import html as html_export
from natostruct.export import svg as svg_export
from natostruct.export._columns import COLUMNS
from natostruct.export._style import CATEGORY_COLOURS, category_colours
from natostruct.export.dot import quote
from natostruct.export.mermaid import node_id
from natostruct.model import CATEGORIES
from natostruct.tree import tree

if TYPE_CHECKING:
    from pathlib import Path

# A small GeoJSON schema (RFC 7946) for what the export writes: Point features.
POSITION = {
    "type": "array",
    "minItems": 2,
    "maxItems": 3,
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
    "items": {"type": "number"},
}
GEOJSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {"type": {"const": "Point"}, "coordinates": POSITION},
                    },
                    "properties": {"type": ["object", "null"]},
                },
            },
        },
    },
}

WHEN = "2025-12-31"


@pytest.fixture(scope="module")
def whole() -> natostruct.Dataset:
    return natostruct.dataset()


@pytest.fixture(scope="module", params=["whole", WHEN, "2000"])
def any_ds(request: pytest.FixtureRequest) -> natostruct.Dataset:
    ds = natostruct.dataset()
    return ds if request.param == "whole" else ds.as_of(request.param)


class TestDispatch:
    def test_formats(self) -> None:
        """The seven text formats are offered, in the CLI's order."""
        assert FORMATS == ("json", "csv", "geojson", "dot", "mermaid", "svg", "html")

    def test_unknown_format(self, whole: natostruct.Dataset) -> None:
        """An unknown format is a ValueError naming the choices."""
        with pytest.raises(
            ValueError, match="one of json, csv, geojson, dot, mermaid, svg, html, got 'xml'"
        ):
            export(whole, "xml")

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_method_matches_function(self, whole: natostruct.Dataset, fmt: str) -> None:
        """Dataset.export(fmt) is export(ds, fmt), text ending in a newline."""
        text = whole.export(fmt)
        assert text == export(whole, fmt)
        assert text.endswith("\n")


class TestJson:
    def test_round_trip(self, whole: natostruct.Dataset, tmp_path: Path) -> None:
        """The JSON export loads back to an equal Dataset."""
        path = tmp_path / "all.json"
        path.write_text(whole.export("json"), encoding="utf-8")
        assert natostruct.load(path) == whole

    def test_view_loads_as_a_snapshot(self, whole: natostruct.Dataset, tmp_path: Path) -> None:
        """A view's JSON loads on its own and holds that day's records."""
        view = whole.as_of("2000")
        path = tmp_path / "2000.json"
        path.write_text(view.export("json"), encoding="utf-8")
        loaded = natostruct.load(path)
        assert [e.id for e in loaded] == [e.id for e in view]
        assert [e.parent_id for e in loaded] == [e.parent_id for e in view]

    def test_format(self, whole: natostruct.Dataset) -> None:
        """The document has the data file's shape: format 2, a sources table, records citing it."""
        document = json.loads(whole.export("json"))
        assert set(document) == {"format_version", "sources", "records"}
        assert document["format_version"] == 2
        assert len(document["records"]) == len(whole.records)
        assert all("kind" in r for r in document["records"])
        cited = {key for r in document["records"] for key in r.get("sources", ())}
        assert cited
        assert cited <= set(document["sources"])


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = 'HYPERLINK("http://x","y")'
#: The text columns of the CSV; the others are coordinates.
TEXT_COLUMNS = tuple(c for c in COLUMNS if c not in {"latitude", "longitude"})


def hostile(start: str, index: int) -> natostruct.Body:
    """A body whose texts (name, former name, abbreviation, city, post, note...) start so."""
    former = PartialDate(2000)
    return natostruct.Body(
        id=f"b{index}",
        name=start + HYPERLINK,
        abbreviation=f"{start}AB",
        category=f"{start}cat",
        aliases=(
            natostruct.Alias(
                name=f"{start}Old name", abbreviation=f"{start}OA", kind="former", end=former
            ),
        ),
        location=natostruct.Location(
            country="US",
            city=f"{start}Norfolk",
            site=f"{start}site",
            latitude=36.9466,
            longitude=-76.2853,
            basis="site",
        ),
        posts=(
            natostruct.Post(
                title=f"{start}Commander",
                leading=True,
                aliases=(natostruct.Alias(name=f"{start}Old title", kind="former", end=former),),
                holders=(natostruct.Holder(name=f"{start}Holder", start=PartialDate(1990)),),
            ),
        ),
        notes=(natostruct.Note(text=f"{start}note"),),
    )


class TestCsv:
    def test_one_row_per_entity(self, any_ds: natostruct.Dataset) -> None:
        """The CSV reads back with the csv module: a header, then one row per entity."""
        rows = list(csv.DictReader(io.StringIO(any_ds.export("csv"))))
        assert len(rows) == len(any_ds)
        assert [r["id"] for r in rows] == [e.id for e in any_ds]

    def test_columns(self, whole: natostruct.Dataset) -> None:
        """The header is the documented flat columns."""
        header = next(csv.reader(io.StringIO(whole.export("csv"))))
        assert tuple(header) == COLUMNS

    def test_values(self, whole: natostruct.Dataset) -> None:
        """Cells carry the entity's fields; missing values are empty."""
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(whole.export("csv")))}
        ims = whole.get("ims")
        row = rows["ims"]
        assert row["name"] == ims.name
        assert row["parent_id"] == ims.parent_id
        assert row["established"] == str(ims.established)
        assert row["disestablished"] == ""
        assert ims.location is not None
        assert float(row["latitude"]) == ims.location.latitude

    @pytest.mark.parametrize("when", ["whole", "1995"])
    def test_text_that_starts_a_formula_is_quoted(self, when: str) -> None:
        """A cell starting with = + - @ tab or CR gets a leading ', so no spreadsheet runs it."""
        # Trusted: the loader refuses a tab or a line break in a name, but the
        # export must be safe whatever records it is given.
        ds = natostruct.Dataset.trusted(
            [hostile(start, i) for i, start in enumerate(FORMULA_STARTS)]
        )
        view = ds if when == "whole" else ds.as_of(when)  # in 1995 the former names stand
        name, abbreviation, title = (
            ("Old name", "OA", "Old title") if when == "1995" else (HYPERLINK, "AB", "Commander")
        )
        rows = list(csv.DictReader(io.StringIO(view.export("csv"))))
        assert len(rows) == len(FORMULA_STARTS)
        for char, row in zip(FORMULA_STARTS, rows, strict=True):
            assert row["name"] == f"'{char}{name}"
            assert row["abbreviation"] == f"'{char}{abbreviation}"
            assert row["category"] == f"'{char}cat"
            assert row["city"] == f"'{char}Norfolk"
            assert row["site"] == f"'{char}site"
            assert row["head_title"] == f"'{char}{title}"
            assert row["head_holder"] == f"'{char}Holder"
            assert row["longitude"] == "-76.2853"  # a number, left as one
            assert row["latitude"] == "36.9466"
            assert not [c for c in TEXT_COLUMNS if row[c].startswith(FORMULA_STARTS)]

    def test_a_line_break_inside_text_stays_in_its_cell(self) -> None:
        """A CR or LF inside a name is quoted, so it cannot end the row and start a formula."""
        names = ["Allied\r=HYPERLINK(1)", "Allied\n=HYPERLINK(2)", "Allied\r\n@SUM(3)"]
        ds = natostruct.Dataset.trusted(  # the loader refuses such names; the export is safe anyway
            [natostruct.Body(id=f"b{i}", name=name) for i, name in enumerate(names)]
        )
        text = ds.export("csv")
        assert [r["name"] for r in csv.DictReader(io.StringIO(text))] == names
        assert '"Allied\r=HYPERLINK(1)"' in text

    def test_numbers_are_unquoted_and_text_quoted(self) -> None:
        """Coordinates are bare numbers; every text cell, the header too, is in quotes."""
        ds = natostruct.Dataset([hostile("-", 0)])
        header, row = ds.export("csv").splitlines()
        assert header.startswith('"id","kind","name",')
        assert ",36.9466,-76.2853," in row
        assert row.startswith('"b0","body","\'-HYPERLINK(""http://x"",""y"")","\'-AB",')

    @pytest.mark.parametrize(
        ("value", "cell"),
        [
            ("=1+1", "'=1+1"),
            ("-76.2853", "'-76.2853"),  # text that looks like a number is still text
            ("+32 2 707 41 11", "'+32 2 707 41 11"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("'quoted", "'quoted"),
            ("", ""),
            (None, ""),
            (-76.2853, -76.2853),
            (0.0, 0.0),
        ],
    )
    def test_cell(self, value: str | float | None, cell: str | float) -> None:
        """Only text is neutralised; numbers and missing values keep their meaning."""
        assert csv_export.cell(value) == cell


class TestGeoJson:
    def test_validates(self, any_ds: natostruct.Dataset) -> None:
        """The export is a GeoJSON FeatureCollection of Points ([lon, lat])."""
        document = json.loads(any_ds.export("geojson"))
        jsonschema.validate(document, GEOJSON_SCHEMA)
        assert document["type"] == "FeatureCollection"
        located = [
            e
            for e in any_ds
            if e.location is not None
            and e.location.latitude is not None
            and e.location.longitude is not None
        ]
        assert [f["id"] for f in document["features"]] == [e.id for e in located]
        for feature, entity in zip(document["features"], located, strict=True):
            assert entity.location is not None
            lon, lat = feature["geometry"]["coordinates"]
            assert (lon, lat) == (entity.location.longitude, entity.location.latitude)
            assert feature["properties"]["name"] == entity.name

    def test_text_is_not_neutralised(self) -> None:
        """GeoJSON is no spreadsheet: its properties keep the text as it is."""
        document = json.loads(natostruct.Dataset([hostile("=", 0)]).export("geojson"))
        assert document["features"][0]["properties"]["name"] == "=" + HYPERLINK

    def test_has_features(self, whole: natostruct.Dataset) -> None:
        """The canonical data has located HQs to show."""
        assert json.loads(whole.export("geojson"))["features"]


class TestDot:
    @pytest.mark.parametrize("when", ["whole", WHEN])
    def test_renders_to_svg(self, whole: natostruct.Dataset, when: str, tmp_path: Path) -> None:
        """Graphviz dot renders the DOT export to SVG without warnings."""
        ds = whole if when == "whole" else whole.as_of(when)
        dot = shutil.which("dot")
        assert dot is not None, "Graphviz `dot` must be installed (apt-get install graphviz)"
        source = tmp_path / "chart.dot"
        source.write_text(ds.export("dot"), encoding="utf-8")
        result = subprocess.run(
            [dot, "-Tsvg", str(source)], capture_output=True, check=False, timeout=60
        )
        assert result.returncode == 0, result.stderr.decode()
        assert result.stderr == b""
        svg = result.stdout.decode()
        assert "<svg" in svg
        legend = len(category_colours(ds)) + (ds.date is None and any(e.ended for e in ds))
        assert svg.count('class="node"') == len(ds) + legend
        assert svg.count('class="cluster"') == 1  # the legend

    def test_legend_names_the_categories_shown(self, whole: natostruct.Dataset) -> None:
        view = whole.as_of(WHEN)
        text = view.export("dot")
        legend = text[text.index("subgraph cluster_legend") :]
        shown = sorted({e.category for e in view if e.category})
        assert re.findall(r'label="([^"]+)", fillcolor', legend) == shown

    def test_one_colour_per_category(self) -> None:
        """The colour table covers the closed list of categories, one distinct colour each."""
        assert sorted(CATEGORY_COLOURS) == sorted(CATEGORIES)
        assert len(set(CATEGORY_COLOURS.values())) == len(CATEGORIES)
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in CATEGORY_COLOURS.values())

    def test_a_category_keeps_its_colour(self, whole: natostruct.Dataset) -> None:
        """ACO is filled alike in 1985 and 2025, whatever else each chart holds."""
        fills = {
            day: re.search(r'"aco" \[.*fillcolor="(#[0-9a-f]{6})"', whole.as_of(day).export("dot"))
            for day in ("1985-01-01", "2025-01-01")
        }
        colours = {day: match.group(1) for day, match in fills.items() if match}
        assert len(colours) == 2
        assert len(set(colours.values())) == 1

    def test_edges(self, whole: natostruct.Dataset) -> None:
        """There is one edge per entity whose parent is in the Dataset."""
        text = whole.export("dot")
        edges = [line for line in text.splitlines() if " -> " in line]
        assert len(edges) == sum(1 for e in whole if e.parent_id is not None)
        assert '  "mc" -> "ims";' in edges

    def test_quote(self) -> None:
        """Quotes, backslashes and newlines are escaped in DOT strings."""
        assert quote('a "b"\\c\nd') == '"a \\"b\\"\\\\c\\nd"'


class TestMermaid:
    def test_flowchart(self, whole: natostruct.Dataset) -> None:
        """The Mermaid export is a top-down flowchart with every node and edge."""
        lines = whole.as_of(WHEN).export("mermaid").splitlines()
        assert lines[0] == "flowchart TD"
        assert "  n_mc --> n_ims" in lines
        view = whole.as_of(WHEN)
        for entity in view:
            assert any(line.startswith(f"  {node_id(entity.id)}") for line in lines)

    def test_safe_ids_and_labels(self) -> None:
        """Ids become safe identifiers; labels escape quotes and angle brackets."""
        assert node_id("end") == "n_end"
        assert node_id("jfc-naples") == "n_jfc_naples"


def _days(column: Any) -> list[dt.date | None]:
    """A datetime64 column as dates, None for NaT."""
    return [None if pd.isna(v) else v.date() for v in column.tolist()]


def _texts(column: Any) -> list[str | None]:
    return [None if pd.isna(v) else v for v in column.tolist()]


def _pair(date: PartialDate | None) -> tuple[dt.date | None, str | None]:
    return (None, None) if date is None else (date.first_day, date.precision)


class TestDataFrame:
    def test_columns_match_csv(self, whole: natostruct.Dataset) -> None:
        """The DataFrame is indexed by id and has the CSV's other columns, dates split in two."""
        frame = whole.to_dataframe()
        assert frame.index.name == "id"
        expected = [c for name in COLUMNS[1:] for c in (name, f"{name}_precision") if c in frame]
        assert list(frame.columns) == expected
        assert [c for c in frame.columns if not c.endswith("_precision")] == list(COLUMNS[1:])
        assert list(frame.index) == [e.id for e in whole]
        assert frame.loc["ims", "name"] == whole.get("ims").name
        assert str(frame["latitude"].dtype) == "float64"

    def test_dates_are_first_days_with_their_precision(self, whole: natostruct.Dataset) -> None:
        """Every entity's dates: the first day the source date covers, and how precise it is."""
        frame = whole.to_dataframe()
        offenders = []
        for name in ("established", "disestablished"):
            got = list(zip(_days(frame[name]), _texts(frame[f"{name}_precision"]), strict=True))
            want = [_pair(getattr(e, name)) for e in whole]
            offenders += [
                f"{e.id}.{name}" for e, g, w in zip(whole, got, want, strict=True) if g != w
            ]
            assert str(frame[name].dtype) == "datetime64[s]"
        assert offenders == []

    @pytest.mark.parametrize(
        ("query", "dates"),
        [
            (lambda ds: ds.holders("secgen"), ("start", "end")),
            (lambda ds: ds.terms("Jens Stoltenberg"), ("start", "end")),
            (lambda ds: ds.terms(), ("start", "end")),
            (lambda ds: ds.members(), ("accession", "signature")),
            (lambda ds: ds.diff("2000", "2010"), ("date", "source_date")),
            (lambda ds: ds.partnerships(), ("start", "end")),
        ],
    )
    def test_results(self, whole: natostruct.Dataset, query: Any, dates: tuple[str, ...]) -> None:
        """A query's result gives one row per item, its dates as datetime64 (with precision)."""
        results = query(whole)
        frame = results.to_dataframe()
        assert len(frame) == len(results)
        for name in dates:
            assert str(frame[name].dtype) == "datetime64[s]", name
            values = [getattr(item, name) for item in results]
            if f"{name}_precision" in frame:
                got = list(zip(_days(frame[name]), _texts(frame[f"{name}_precision"]), strict=True))
                assert got == [_pair(v) for v in values], name
            else:  # a plain date (a change's day)
                assert _days(frame[name]) == values, name

    def test_columns_follow_the_class(self, whole: natostruct.Dataset) -> None:
        """A column no row fills keeps its type: today's holder has an open end, still a date."""
        frame = whole.holders("secgen", "2025-12-31").to_dataframe()
        assert str(frame["end"].dtype) == "datetime64[s]"
        assert "end_precision" in frame
        early = Results([Holder(name="x", start=PartialDate(1600))]).to_dataframe()
        assert _days(early["start"]) == [dt.date(1600, 1, 1)]

    def test_every_term(self, whole: natostruct.Dataset) -> None:
        """terms() without a person is every holder of every post, one row a term."""
        every = whole.terms().to_dataframe()
        assert len(every) == sum(len(p.holders) for e in whole for p in e.posts)
        assert set(every["entity_id"]) == {e.id for e in whole for p in e.posts if p.holders}

    def test_results_of_entities(self, whole: natostruct.Dataset) -> None:
        frame = whole.children("mc").to_dataframe()
        assert list(frame["id"]) == [e.id for e in whole.children("mc")]

    def test_text_is_not_neutralised(self) -> None:
        """Only the CSV prefixes formula-like text; a DataFrame keeps the data as it is."""
        frame = natostruct.Dataset([hostile("=", 0)]).to_dataframe()
        assert frame.loc["b0", "name"] == "=" + HYPERLINK
        assert frame.loc["b0", "longitude"] == -76.2853

    def test_missing_pandas(
        self, whole: natostruct.Dataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without pandas the ImportError names the extra to install."""
        block(monkeypatch, "pandas")
        with pytest.raises(ImportError, match=r"pip install natostruct\[pandas\]"):
            whole.to_dataframe()


class TestNetworkx:
    def test_graph(self, whole: natostruct.Dataset) -> None:
        """The DiGraph is keyed by id with edges parent -> child and node attributes."""
        graph = whole.to_networkx()
        assert set(graph.nodes) == {e.id for e in whole}
        assert graph.has_edge("mc", "ims")
        assert not graph.has_edge("ims", "mc")
        assert graph.number_of_edges() == sum(1 for e in whole if e.parent_id is not None)
        attributes = graph.nodes["ims"]
        assert attributes["abbreviation"] == "IMS"
        assert attributes["kind"] == "body"
        assert attributes["country"] == "BE"
        assert set(attributes) == {"name", "abbreviation", "kind", "category", "country"}

    def test_missing_networkx(
        self, whole: natostruct.Dataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without networkx the ImportError names the extra to install."""
        block(monkeypatch, "networkx")
        with pytest.raises(ImportError, match=r"pip install natostruct\[graph\]"):
            whole.to_networkx()


def test_import_natostruct_imports_no_extras() -> None:
    """`import natostruct` (and its exports) never imports pandas or networkx."""
    code = (
        "import sys, natostruct, natostruct.export, natostruct.cli, natostruct.display;"
        "natostruct.dataset().export('csv');"
        "print(sorted(m for m in ('pandas', 'networkx') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == "[]"


def block(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make ``import name`` fail as if the package were not installed."""
    # A None entry in sys.modules makes every import of it raise ImportError.
    monkeypatch.setitem(sys.modules, name, None)


class TestSvg:
    def test_fits_a_notebook_column(self, whole: natostruct.Dataset) -> None:
        """The chart is drawn at most WIDTH_INCHES wide, with every entity and the legend."""
        view = whole.as_of(WHEN)
        svg = view.to_svg()
        width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
        assert width <= svg_export.WIDTH_INCHES * 72 + 1
        assert svg == view.export("svg")
        assert svg.count('class="node"') == len(view) + len(category_colours(view))

    def test_without_graphviz(
        self, whole: natostruct.Dataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without dot, a FileNotFoundError says what to install."""
        monkeypatch.setattr("shutil.which", lambda _name: None)
        with pytest.raises(FileNotFoundError, match="install graphviz"):
            whole.as_of(WHEN).to_svg()


class TestExplorerStretches:
    def test_each_stretch_holds_one_answer(self, whole: natostruct.Dataset) -> None:
        """The tree on the last day of a stretch is the tree of its first day (every 40th stretch)."""
        days = html_export.stretches(whole, natostruct.DATA_AS_OF)
        offenders = []
        for first, after in list(itertools.pairwise(days))[::40]:
            last = after - dt.timedelta(days=1)
            if tree(whole.as_of(first)) != tree(whole.as_of(last)):
                offenders.append(f"{first}..{last}")
        assert offenders == []
        assert days[0] == html_export.FIRST_DAY

    def test_no_entity_changes_within_a_stretch(self, whole: natostruct.Dataset) -> None:
        """Whether each entity existed is the same on a stretch's first and last day (all of them)."""
        days = html_export.stretches(whole, natostruct.DATA_AS_OF)
        offenders = [
            f"{e.id} {first}..{after}"
            for first, after in itertools.pairwise(days)
            for e in whole
            if e.exists_on(first) is not e.exists_on(after - dt.timedelta(days=1))
        ]
        assert offenders == []


class TestExplorerPage:
    def test_markup_in_the_data_stays_text(self, write_doc: Any) -> None:
        """A name holding markup or the page's own marks is data, never markup or a mark."""
        name = "Office </script><!--<script> @START@ @TITLE@ & Co"
        ds = natostruct.load(write_doc([{"kind": "body", "id": "x", "name": name}]))
        page = ds.export("html")
        script = page[page.index("<script>") + len("<script>") : page.rindex("</script>")]
        assert "<" not in script.split("const DATA = ", 1)[1].split(";\n", 1)[0]
        data = json.loads(script.split("const DATA = ", 1)[1].split(";\nconst ONE_DAY", 1)[0])
        assert data["states"][0][3] == name
        assert data["data_as_of"] is None  # user data: no day it was checked to
