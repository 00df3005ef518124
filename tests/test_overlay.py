"""Overlays: what a file does to the canonical records it replaces, and patch records."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

import natostruct
from natostruct import cli
from natostruct.overlay import merge_patch

if TYPE_CHECKING:
    from pathlib import Path

BASE = natostruct.dataset()


def write(folder: Path, records: list[dict[str, Any]], version: int = 2) -> Path:
    path = folder / "mine.json"
    doc: dict[str, Any] = {"format_version": version, "records": records}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_replacing_record_says_what_it_loses(tmp_path: Path) -> None:
    """A record that replaces ACO with a name alone is reported as losing its superior, HQ, posts."""
    path = write(tmp_path, [{"kind": "command", "id": "aco", "name": "ACO (mine)"}])
    ds = natostruct.load(path, base=BASE)
    (replaced,) = ds.replaced
    assert (replaced.record, replaced.file) == ("aco", str(path))
    assert {"parent_id", "location", "posts", "aliases"} <= set(replaced.lost)
    assert replaced.changed == ("name",)
    assert ds.chain_of_command("landcom")[-1].id == "aco"  # what the report warns of
    assert ds.as_of("2020").replaced == ds.replaced  # a view reads its root's
    assert BASE.replaced == ()


def test_a_patch_changes_only_the_fields_it_names(tmp_path: Path) -> None:
    """A patch keeps everything it does not name: ACO keeps its superior, HQ and posts."""
    patch = {"kind": "patch", "target": "aco", "changes": {"name": "ACO (mine)"}}
    ds = natostruct.load(write(tmp_path, [patch]), base=BASE)
    aco, before = ds.get("aco"), BASE.get("aco")
    assert aco.name == "ACO (mine)"
    assert (aco.parent_id, aco.location, aco.posts, aco.aliases) == (
        before.parent_id,
        before.location,
        before.posts,
        before.aliases,
    )
    assert [e.id for e in ds.chain_of_command("landcom")] == ["landcom", "aco", "mc", "nac"]
    (replaced,) = ds.replaced
    assert (replaced.lost, replaced.changed) == ((), ("name",))


def test_patch_semantics_are_json_merge_patch(tmp_path: Path) -> None:
    """Objects merge, arrays replace, null removes, in the record as in RFC 7396."""
    changes = {
        "location": {"site": "Somewhere else", "latitude": None, "longitude": None, "basis": None},
        "aliases": [{"name": "My alias"}],
        "website": None,
    }
    patch = {"kind": "patch", "target": "aco", "changes": changes}
    aco = natostruct.load(write(tmp_path, [patch]), base=BASE).get("aco")
    before = BASE.get("aco")
    assert aco.location is not None
    assert before.location is not None
    assert (aco.location.city, aco.location.site) == (before.location.city, "Somewhere else")
    assert aco.location.latitude is None
    assert [a.name for a in aco.aliases] == ["My alias"]
    assert aco.website is None


def test_a_patch_cites_its_own_sources(tmp_path: Path) -> None:
    """Source keys in the changes are looked up in the patch's own file."""
    doc = {
        "format_version": 2,
        "sources": {
            "notes": {"title": "My notes", "quality": "secondary", "url": "https://x.invalid/"}
        },
        "records": [{"kind": "patch", "target": "aco", "changes": {"sources": ["notes"]}}],
    }
    path = tmp_path / "cited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    aco = natostruct.load(path, base=BASE).get("aco")
    assert [s.title for s in aco.sources] == ["My notes"]


def test_a_patch_may_change_a_record_of_its_own_files(tmp_path: Path) -> None:
    """Without a base, a patch changes a record loaded before it."""
    unit = {"kind": "body", "id": "mine", "name": "Mine"}
    patch = {"kind": "patch", "target": "mine", "changes": {"name": "Mine, renamed"}}
    ds = natostruct.load(write(tmp_path, [unit, patch]))
    assert ds.get("mine").name == "Mine, renamed"
    assert ds.replaced == ()  # nothing of a base was replaced


@pytest.mark.parametrize(
    ("patch", "version", "field", "reason"),
    [
        ({"target": "nowhere", "changes": {}}, 2, "target", "changes no record"),
        ({"target": "aco", "changes": {}}, 1, "kind", "a patch record needs format_version 2"),
        ({"target": "aco", "changes": []}, 2, "changes", "expected an object"),
        ({"target": "aco", "changes": {"kind": "body"}}, 2, "changes.kind", "cannot change"),
        ({"target": "aco", "changes": {"id": "other"}}, 2, "changes", "cannot change the key"),
        ({"target": "aco", "changes": {}, "extra": 1}, 2, "extra", "unknown field"),
        ({"target": "aco", "changes": {"established": "soon"}}, 2, "established", "expected"),
        ({"target": "aco", "changes": {"parent_id": "nowhere"}}, 2, "parent_id", "unknown id"),
    ],
    ids=["unknown-target", "format-1", "not-an-object", "kind", "key", "extra", "type", "rule"],
)
def test_a_bad_patch_is_a_problem(
    tmp_path: Path, patch: dict[str, Any], version: int, field: str, reason: str
) -> None:
    """Each way a patch can be wrong is a problem naming the record it targets and the field."""
    path = write(tmp_path, [{"kind": "patch", **patch}], version)
    with pytest.raises(natostruct.DatasetError) as info:
        natostruct.load(path, base=BASE)
    (problem,) = info.value.problems
    assert (problem.file, problem.record, problem.field) == (str(path), patch["target"], field)
    assert reason in problem.reason


def test_format_refuses_a_patch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rewriting a file would lose a patch, which only a load applies: format says so."""
    path = write(tmp_path, [{"kind": "patch", "target": "aco", "changes": {}}])
    assert cli.main(["format", str(path)]) == 1
    assert "only a load applies it" in capsys.readouterr().out


def test_validate_prints_what_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate lists, after "valid", each canonical record a file replaces and what it loses."""
    path = write(
        tmp_path,
        [
            {"kind": "command", "id": "aco", "name": "ACO (mine)"},
            {"kind": "patch", "target": "jfc-naples", "changes": {"website": None}},
        ],
    )
    assert cli.main(["validate", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("valid: ")
    assert lines[1].startswith(f"{path}: replaces aco: loses abbreviation, ")
    assert lines[2] == f"{path}: replaces jfc-naples: loses website"


# RFC 7396, Appendix A: each (target, patch, result).
RFC_EXAMPLES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("target", "patch", "result"), RFC_EXAMPLES)
def test_merge_patch_follows_rfc_7396(target: Any, patch: Any, result: Any) -> None:
    """merge_patch gives the RFC's result for each of its examples, and changes neither argument."""
    before = json.dumps([target, patch])
    assert merge_patch(target, patch) == result
    assert json.dumps([target, patch]) == before
