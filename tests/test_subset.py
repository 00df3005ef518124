"""A Dataset of one branch (``Dataset.subset``, ``export --root``) stands on its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import natostruct
from natostruct import cli

DS = natostruct.dataset()
ROOTS = ("mc", "aco", "act", "aircom", "nac", "ims", "usnato")


def _references(ds: natostruct.Dataset) -> list[str]:
    """Every id a record of ``ds`` points to that ``ds`` does not hold."""
    return [
        f"{e.id} -> {target}"
        for e in ds
        for target in (
            e.parent_id,
            *(r.parent_id for r in e.reporting_lines),
            *(r.target_id for r in e.relations),
        )
        if target is not None and target not in ds
    ]


@pytest.mark.parametrize("root", ROOTS)
def test_every_reference_resolves_inside(root: str) -> None:
    branch = DS.subset(root)
    assert _references(branch) == []
    assert branch.get(root).parent_id is None
    assert branch.get(root).reporting_lines == ()
    assert {e.id for e in branch} == {e.id for e in DS.subtree(root)}


@pytest.mark.parametrize("root", ROOTS)
def test_loads_on_its_own(root: str, tmp_path: Path) -> None:
    """The branch passes every rule of the loader, and its JSON export loads back equal."""
    branch = DS.subset(root)
    natostruct.Dataset(branch.records)  # raises DatasetError on any problem
    path = tmp_path / "branch.json"
    path.write_text(branch.export("json"), encoding="utf-8")
    assert natostruct.load(path) == branch


def test_a_view_gives_the_branch_of_that_day() -> None:
    view = DS.as_of("2025-12-31")
    branch = view.subset("mc")
    assert branch.date == view.date
    assert [e.id for e in branch.subtree("mc")] == [e.id for e in view.subtree("mc")]
    assert branch.data_as_of == natostruct.DATA_AS_OF


def test_a_dropped_line_leaves_the_superior_unrecorded() -> None:
    """4ATAF stood under AAFCE, outside AIRCOM's branch, in 1960: unplaced, not under AIRCOM."""
    whole_1960 = DS.as_of("1960-06-01")
    assert whole_1960.get("4ataf").parent_id == "aafce"
    branch_1960 = DS.subset("aircom").as_of("1960-06-01")
    assert branch_1960.get("4ataf").parent_id is None
    assert "4ataf" in {e.id for e in branch_1960.superior_unknown()}


def test_export_root(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["export", "--format", "json", "--root", "mc", "--as-of", "2025-12-31"])
    out, _ = capsys.readouterr()
    assert code == 0
    ids = sorted(r["id"] for r in json.loads(out)["records"])
    assert ids == sorted(e.id for e in DS.as_of("2025-12-31").subtree("mc"))


def test_export_unknown_root(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["export", "--format", "csv", "--root", "no-such-thing"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "no entity 'no-such-thing'" in err
