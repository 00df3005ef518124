"""Inputs that once made a query hang or crawl: each runs in a subprocess with a generous limit.

These are the only timed tests: hangs and quadratic blow-ups of queries,
and files (a FIFO, an endless device, a huge file) that a broken loader
would block on or read into memory. Each case takes about a second; the
limit is there to turn a hang (or a quadratic blow-up) into a failure
instead of a stuck test run, not to measure speed: the benchmarks do that.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Final

import pytest

import natostruct
from natostruct import loader

#: Seconds a load in a subprocess may take before it counts as hung (each needs about 1 s).
LIMIT: Final = 20


def run_case(code: str) -> str:
    """Run ``code`` in a fresh interpreter on these sources; return its output, failing on a hang.

    For a load that, broken, would block forever or fill the memory: the
    child's memory is capped where the platform allows, and it is stopped
    after LIMIT seconds.
    """
    source = str(Path(natostruct.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    preamble = """
        try:
            import resource
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = 4 << 30 if hard == resource.RLIM_INFINITY else min(4 << 30, hard)
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ImportError, ValueError, OSError):  # Windows, or a platform without the limit
            pass
    """
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(preamble) + textwrap.dedent(code)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=LIMIT,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {LIMIT} s")
    assert done.returncode == 0, done.stderr
    return done.stdout


def load_reason(path: str) -> str:
    """The code of a child that loads ``path`` and prints its one problem's reason."""
    return f"""
        import natostruct
        try:
            natostruct.load({path!r})
        except natostruct.DatasetError as exc:
            print(exc.problems[0].reason)
    """


def test_queries_stop_on_a_cycle_no_one_validated() -> None:
    """Records built without validation may loop; chain_of_command and subtree still return."""
    out = run_case(
        """
        import natostruct
        from natostruct import Body, ReportingLine
        from natostruct.dates import PartialDate as D
        lines = lambda other: (
            ReportingLine(parent_id=other, start=D(2000), end=D(2010)),
            ReportingLine(parent_id="nac", start=D(2010)),
        )
        records = [
            Body(id="nac", name="NAC", established=D(1949)),
            Body(id="aa", name="AA", parent_id="nac", established=D(1990), reporting_lines=lines("bb")),
            Body(id="bb", name="BB", parent_id="nac", established=D(1990), reporting_lines=lines("aa")),
        ]
        view = natostruct.Dataset.trusted(records).as_of("2005")
        print(len(view.chain_of_command("aa")), len(view.subtree("aa")))
        """
    )
    assert out.split() == ["2", "2"]


def test_a_cycle_of_some_years_is_refused_fast() -> None:
    """The loader finds a cycle that holds only in some years, among many entities, quickly."""
    out = run_case(
        """
        import json, tempfile, natostruct
        records = [{"kind": "body", "id": "top", "name": "Top"}]
        for i in range(20_000):
            records.append({"kind": "body", "id": f"u{i}", "name": f"U{i}", "parent_id": "top",
                "reporting_lines": [
                    {"parent_id": f"u{(i + 1) % 20_000}", "start": "2000", "end": "2001"},
                    {"parent_id": "top", "start": "2001"}]})
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump({"format_version": 1, "records": records}, f)
        try:
            natostruct.load(f.name)
        except natostruct.DatasetError as exc:
            print(exc.problems[0].reason.split(":")[0])
        """
    )
    assert out.strip() == "reporting-line cycle from 2000-01-01"


def test_thousands_of_holders_load_and_replay() -> None:
    """A post with 4,000 holders loads, validates and gives its history in one sweep."""
    out = run_case(
        """
        import datetime as dt, json, tempfile, natostruct
        holders, day = [], dt.date(1000, 1, 1)
        for i in range(4_000):
            end = day + dt.timedelta(days=30)
            holders.append({"name": f"P{i}", "start": day.isoformat(), "end": end.isoformat()})
            day = end
        holders.append({"name": "Long", "start": "1000-01-15", "end": "1001-01-01"})
        doc = {"format_version": 1, "records": [{"kind": "body", "id": "big", "name": "Big",
            "established": "1000-01-01", "posts": [{"title": "Chair", "leading": True, "holders": holders}]}]}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(doc, f)
        try:
            natostruct.load(f.name)
        except natostruct.DatasetError as exc:
            print(len(exc.problems), exc.problems[0].field)
        del holders[-1]
        with open(f.name, "w", encoding="utf-8") as out:
            json.dump(doc, out)
        print(len(natostruct.load(f.name).history("big")))
        """
    )
    # The long term overlaps the many short ones after the one it starts in:
    # each is reported (a sweep comparing neighbours only would miss them).
    first, history = out.splitlines()
    count, field = first.split()
    assert int(count) > 10
    assert field == "posts[0].holders[1].start"
    assert history == "4001"


def test_a_deep_chain_of_timeless_units_is_fast() -> None:
    """16,000 units of unknown start, each under the next, ids in the worst order: views stay quick."""
    out = run_case(
        """
        import natostruct
        from natostruct import Body
        from natostruct.dates import PartialDate as D
        records = [Body(id="zz-top", name="Top", established=D(2000))]
        parent = "zz-top"
        for i in range(16_000):
            ident = f"u{16_000 - i:05d}"  # each sorts before its superior
            records.append(Body(id=ident, name=ident, parent_id=parent))
            parent = ident
        ds = natostruct.Dataset.trusted(records)
        print(len(ds.as_of("1990")), len(ds.as_of("2005")))
        """
    )
    assert out.split() == ["0", "16001"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform (os.mkfifo)")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """A FIFO with no writer is refused at once (a subprocess turns a hang into a failure)."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert run_case(load_reason(str(fifo))).strip() == "not a regular file (a FIFO)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform (os.mkfifo)")
def test_fifo_put_in_place_after_the_stat(tmp_path: Path) -> None:
    """A regular file replaced by a FIFO between the check and the open: open does not wait."""
    fifo, regular = tmp_path / "pipe.json", tmp_path / "file.json"
    os.mkfifo(fifo)
    regular.write_text('{"format_version": 2, "records": []}', encoding="utf-8")
    code = f"""
        import os
        real = os.stat
        # The check sees the regular file; the open then finds the FIFO.
        os.stat = lambda path, *a, **k: real({str(regular)!r} if path == {str(fifo)!r} else path, *a, **k)
    """
    out = run_case(textwrap.dedent(code) + textwrap.dedent(load_reason(str(fifo))))
    assert out.strip() == "not a regular file (a FIFO)"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this platform")
def test_endless_device_is_refused() -> None:
    """/dev/zero is refused before it is read, instead of filling the memory."""
    assert run_case(load_reason("/dev/zero")).strip() == "not a regular file (a character device)"


def test_file_larger_than_the_limit(tmp_path: Path) -> None:
    """A file over MAX_FILE_BYTES (here sparse, so cheap) is refused by its size, unread."""
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(loader.MAX_FILE_BYTES + 1)
    assert run_case(load_reason(str(big))).strip() == "larger than 1 GiB"
    assert loader.MAX_FILE_BYTES == 1 << 30
