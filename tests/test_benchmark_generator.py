"""The benchmark's synthetic data stays a valid Dataset (not timed), so the benchmark cannot rot."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

import natostruct

GENERATOR = Path(__file__).parent.parent / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("natostruct_bench_generate", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("n", [1, 40, 500])
def test_generated_file_loads_as_a_valid_dataset(
    generate: ModuleType, tmp_path: Path, n: int
) -> None:
    path = generate.write(tmp_path / "oob.json", n)
    ds = natostruct.load(path)
    assert len(ds) == n
    assert len(ds.records) == n
    depth = max(len(ds.chain_of_command(e)) for e in ds)
    # The tree fills six levels once there are enough units for them.
    assert depth == min(generate.DEPTH, 1 + (n > 1) + (n > 3) + (n > 7) + (n > 15) + (n > 31))


def test_every_unit_has_what_the_issue_asks_for(generate: ModuleType, tmp_path: Path) -> None:
    ds = natostruct.load(generate.write(tmp_path / "oob.json", 200))
    for unit in ds:
        assert unit.location is not None
        assert unit.location.latitude is not None
        assert unit.location.longitude is not None
        assert unit.head is not None
        assert len(unit.head.holders) == 2
        assert unit.established is not None
        assert unit.sources
        assert unit.parent_id is None or unit.reporting_lines
    moved = [u for u in ds if len(u.reporting_lines) > 1]
    renamed = [u for u in ds if u.aliases]
    closed = [u for u in ds if u.disestablished is not None]
    assert moved
    assert renamed
    assert closed
    # The as_of view of a day drops what did not exist and swaps in former names.
    view = ds.as_of("1990-01-01")
    assert 0 < len(view) < len(ds)


def test_generation_is_deterministic(generate: ModuleType) -> None:
    first = json.dumps(generate.generate_document(300, seed=7))
    assert first == json.dumps(generate.generate_document(300, seed=7))
    assert first != json.dumps(generate.generate_document(300, seed=8))


def test_fan_out_keeps_six_levels(generate: ModuleType) -> None:
    assert generate.fan_out(1_000) == 4
    assert generate.fan_out(10_000) == 7
    assert generate.fan_out(100_000) == 10
