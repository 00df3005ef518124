"""Fuzz the loader: any bytes in, a Dataset or a DatasetError out, nothing else.

Run from the repository root::

    python tests/fuzz_loader.py --examples 3000            # CI budget, well under a minute
    python tests/fuzz_loader.py --examples 100000 --seconds 600

Inputs come from hypothesis: random bytes; valid documents built from the
strategies in tests/test_properties.py; those documents mutated (a value of
the wrong type, a key too many, an exotic value such as NaN, a lone
surrogate, a date on the edge of the calendar, a 5000-digit number, text
spliced in, bytes flipped, the file cut short, a key given twice in one
object); arbitrary JSON shaped like records; and entities whose dated
reporting lines point anywhere, themselves included, in overlapping years. Each input goes through :func:`natostruct.fileformat.read`
and :func:`natostruct.load`.

A defect is any exception other than :class:`~natostruct.DatasetError`, or a
result that breaks an invariant:

- a DatasetError lists at least one problem, each naming the file loaded;
- a file that gives a key twice in one object never loads;
- read agrees with load (it never raises, and finds a problem when
  load does not get past parsing);
- a loaded Dataset survives the JSON export read back, each record survives
  CONVERTER unstructure/structure, and ``as_of``, ``members``, ``history``,
  ``diff`` and ``chain_of_command`` answer for days from 0001-01-01 to
  9999-12-31 (a query that loops shows as a run that never ends).

The run prints the inputs tried and one line per distinct defect (exception
type and the innermost natostruct frame), with the first input that showed
it, and exits 1 if it found any. The file is not named ``test_*`` so that
pytest does not collect it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))  # test_properties, when run as a script

import natostruct
from natostruct import Dataset, DatasetError
from natostruct.convert import CONVERTER, structure_record
from natostruct.export import export
from natostruct.fileformat import read
from natostruct.model import RECORD_KINDS
from test_properties import (
    ALL_DAYS,
    JUNK_BY_TYPE,
    junk_documents,
    pick_path,
    replace,
    unknown_key_documents,
    valid_documents,
    wrong_type_documents,
)

#: Values that have broken parsers before: non-finite and huge numbers, odd
#: strings, dates at the ends of the calendar, deep nesting.
EXOTIC: Final[list[object]] = [
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    1e308,
    2**63,
    -1,
    0,
    "",
    " ",
    "\x00",
    "\ud800",
    "\u202e",
    "N" * 600,
    "١٩٤٩",
    "0001",
    "0001-01-01",
    "9999",
    "9999-12",
    "9999-12-31",
    "2024-02-29",
    "2023-02-29",
    "1949-04-04T00:00:00",
    "be",
    "XX",
    "self",
    [[[[[[[[[[[]]]]]]]]]]],
    {"kind": "body"},
]
#: Text to splice into a document at a random place.
SPLICES: Final[list[str]] = [
    "NaN",
    "-Infinity",
    "1e999",
    "9" * 5000,
    '"\\ud800"',
    '"\\udfff\\ud800"',
    "[" * 3000,
    "{" * 3000,
    ",",
    ":",
    "}",
    "]",
    "null",
    '"kind": "body", ',
    '{"kind": "body", "id": "x", "name": "X"}, ',
    "\x00",
    "\ufeff",
    "\\",
    '"',
]
FIELD_NAMES: Final = sorted(
    {"kind", "format_version", "records"}
    | {a.name for cls in RECORD_KINDS.values() for a in cls.__attrs_attrs__ if a.init}
)
JSON_VALUES: Final = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(EXOTIC),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=4), children, max_size=5)
    ),
    max_leaves=20,
)


def dump(doc: object) -> bytes:
    """JSON with ASCII escapes, so that lone surrogates and NaN reach the parser."""
    return json.dumps(doc).encode("ascii")


def seed_documents(size: int) -> list[dict[str, Any]]:
    """``size`` valid documents from the property-test strategies, made once.

    Generating a valid document costs far more than loading it, so the
    mutations start from this pool (hypothesis still picks the seed and every
    mutation).
    """
    pool: list[dict[str, Any]] = []

    @settings(
        max_examples=size,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(doc=valid_documents)
    def collect(doc: dict[str, Any]) -> None:
        pool.append(doc)

    collect()
    return pool


def inputs(pool: list[dict[str, Any]]) -> st.SearchStrategy[bytes]:
    """Every kind of input, mutations starting from documents of ``pool``."""
    seeds = st.sampled_from(pool)
    texts = seeds.map(dump)

    @st.composite
    def exotic_documents(draw: st.DrawFn) -> bytes:
        """A valid document with one value replaced by an exotic one."""
        doc = draw(seeds)
        return dump(replace(doc, pick_path(draw, doc), draw(st.sampled_from(EXOTIC))))

    @st.composite
    def spliced_documents(draw: st.DrawFn) -> bytes:
        """A valid document's text with a troublesome fragment inserted somewhere."""
        text = draw(texts)
        at = draw(st.integers(0, 10**6)) % (len(text) + 1)
        piece = draw(st.sampled_from(SPLICES)).encode("utf-8")
        return text[:at] + piece + text[at:]

    @st.composite
    def duplicate_key_documents(draw: st.DrawFn) -> bytes:
        """A valid document's text with one key given a second time in its object."""
        text = draw(texts).decode("ascii")
        keys = [i for i in range(len(text)) if text.startswith('"', i) and text.find('": ', i) > i]
        at = keys[draw(st.integers(0, 10**6)) % len(keys)] if keys else 0
        end = text.find('": ', at)
        key = text[at : end + 1]
        if not key.startswith('"') or '"' in key[1:-1]:
            key = '"records"'
            at = 1
        value = dump(draw(JSON_VALUES)).decode("ascii")
        return (text[:at] + f"{key}: {value}, " + text[at:]).encode("ascii")

    @st.composite
    def damaged_documents(draw: st.DrawFn) -> bytes:
        """A valid document's bytes, flipped here and there or cut short."""
        data = bytearray(draw(texts))
        if draw(st.booleans()):
            return bytes(data[: draw(st.integers(0, 10**6)) % len(data)])
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, 10**6)) % len(data)] = draw(st.integers(0, 255))
        return bytes(data)

    return st.one_of(
        st.binary(max_size=300),
        JSON_VALUES.map(dump),
        record_shaped(),
        texts,
        wrong_type_documents(seeds).map(dump),
        unknown_key_documents(seeds).map(dump),
        junk_documents(seeds).map(dump),
        exotic_documents(),
        spliced_documents(),
        damaged_documents(),
        duplicate_key_documents(),
        tangled_lines(),
        st.sampled_from(list(JUNK_BY_TYPE)).flatmap(lambda k: JUNK_BY_TYPE[k]).map(dump),
    )


@st.composite
def record_shaped(draw: st.DrawFn) -> bytes:
    """A document whose records are arbitrary JSON objects with record keys."""
    records = draw(
        st.lists(
            st.fixed_dictionaries(
                {"kind": st.sampled_from(sorted(RECORD_KINDS))},
                optional={name: JSON_VALUES for name in FIELD_NAMES if name != "kind"},
            ),
            max_size=4,
        )
    )
    return dump({"format_version": 1, "records": records})


@st.composite
def tangled_lines(draw: st.DrawFn) -> bytes:
    """A few entities whose reporting lines change superior over overlapping years, loops and all."""
    ids = ["a", "b", "c", "d"][: draw(st.integers(1, 4))]
    years = st.integers(1995, 2005).map(str)
    records = []
    for ident in ids:
        lines = []
        for _ in range(draw(st.integers(0, 3))):
            line: dict[str, object] = {"parent_id": draw(st.sampled_from(ids))}
            if draw(st.booleans()):
                line["start"] = draw(years)
            if draw(st.booleans()):
                line["end"] = draw(years)
            lines.append(line)
        record: dict[str, object] = {"kind": "body", "id": ident, "name": ident.upper()}
        if lines:
            record["reporting_lines"] = lines
            record["parent_id"] = lines[-1]["parent_id"]
        elif draw(st.booleans()):
            record["parent_id"] = draw(st.sampled_from(ids))
        records.append(record)
    return dump({"format_version": 1, "records": records})


def gives_a_key_twice(data: bytes) -> bool:
    """Whether some JSON object in ``data`` gives one key twice (False if it is not JSON)."""
    found = False

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        nonlocal found
        made = dict(items)
        found = found or len(made) != len(items)
        return made

    try:
        json.loads(data, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return False
    return found


EDGE_DAYS: Final = (dt.date.min, dt.date(1949, 4, 4), dt.date(2024, 3, 7), dt.date.max)


class InvariantError(AssertionError):
    """A load that succeeded, or failed, in a way it must not."""


def check(condition: bool, message: str) -> None:
    """Raise InvariantError with ``message`` unless ``condition``."""
    if not condition:
        raise InvariantError(message)


def check_dataset(ds: Dataset, scratch: Path, days: list[dt.date]) -> None:
    """The invariants of a loaded Dataset."""
    text = export(ds, "json")
    scratch.write_text(text, encoding="utf-8")
    check(natostruct.load(scratch) == ds, "the JSON export does not load back to an equal Dataset")
    for record in ds.records:
        again = structure_record(json.loads(json.dumps(CONVERTER.unstructure(record))))
        check(again == record, f"{record!r} does not survive unstructure/structure")
    for day in (*EDGE_DAYS, *days):
        view = ds.as_of(day)
        ds.members(day)
        for entity in view:
            view.chain_of_command(entity.id)
    ds.diff(dt.date.min, dt.date.max)
    for entity in ds:
        ds.history(entity.id)


def run_one(data: bytes, folder: Path, days: list[dt.date]) -> None:
    """Feed ``data`` to the loader and check what comes out; raises on a defect."""
    path = folder / "input.json"
    path.write_bytes(data)
    placed, _, problems = read(str(path), data, patches=[])
    check(all(p.file == str(path) for p in problems), "a problem names another file")
    twice = gives_a_key_twice(data)
    try:
        ds = natostruct.load(path)
    except DatasetError as exc:
        check(bool(exc.problems), "a DatasetError without problems")
        reported = any("duplicate key" in p.reason for p in exc.problems)
        check(not twice or reported, "a key given twice is not reported")
        check(all(p.file == str(path) and p.reason for p in exc.problems), "a vague problem")
        check(str(exc).count("\n") >= len(exc.problems), "the message does not list every problem")
        return
    check(not twice, "a file that gives a key twice loaded")
    check(not problems, "read found problems in a file that loads")
    check(len(placed) == len(ds.records), "read and load disagree on the records")
    check_dataset(ds, folder / "export.json", days)


class Fuzzer:
    """Runs inputs and keeps one example of each distinct defect."""

    def __init__(self, folder: Path, pool: list[dict[str, Any]]) -> None:
        self.folder = folder
        self.inputs = inputs(pool)
        self.tried = 0
        self.defects: dict[str, tuple[str, bytes]] = {}

    def feed(self, data: bytes, days: list[dt.date]) -> None:
        """Run one input, recording any defect instead of stopping."""
        self.tried += 1
        try:
            run_one(data, self.folder, days)
        except Exception as exc:  # noqa: BLE001 (every exception is a finding)
            where, what = describe(exc)
            self.defects.setdefault(where, (what, data))

    def run(self, examples: int, rng_seed: int | None) -> None:
        """Try ``examples`` generated inputs."""
        chosen = settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )

        @chosen
        @given(data=self.inputs, days=st.lists(ALL_DAYS, max_size=2))
        def target(data: bytes, days: list[dt.date]) -> None:
            self.feed(data, days)

        test: Callable[[], None] = target if rng_seed is None else seed(rng_seed)(target)
        test()


def describe(exc: BaseException) -> tuple[str, str]:
    """(where, what): the innermost natostruct frame (else the innermost frame) and the message.

    Defects are told apart by ``where`` alone: messages vary with the input.
    """
    if isinstance(exc, InvariantError):
        return f"broken invariant: {exc}", ""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [
        f
        for f in frames
        if "natostruct" in Path(f.filename).parts and "tests" not in Path(f.filename).parts
    ]
    last = (ours or frames)[-1]
    where = "/".join(Path(last.filename).parts[-2:])
    return f"{type(exc).__name__} at {where}:{last.lineno} ({last.name})", str(exc)[:120]


def main(argv: list[str] | None = None) -> int:
    """Parse the options, fuzz, report; 1 if any defect was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3000, help="inputs to try (default 3000)")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    parser.add_argument("--seed", type=int, default=None, help="make the run reproducible")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        pool = seed_documents(max(20, min(300, args.examples // 20)))
        fuzzer = Fuzzer(Path(folder), pool)
        chunk = 1000
        rounds = 0
        while fuzzer.tried < args.examples:
            if args.seconds is not None and time.monotonic() - started > args.seconds:
                break
            batch = min(chunk, args.examples - fuzzer.tried)
            before = fuzzer.tried
            fuzzer.run(batch, None if args.seed is None else args.seed + rounds)
            rounds += 1
            if fuzzer.tried == before:  # hypothesis found nothing new to try
                break
    elapsed = time.monotonic() - started
    out = sys.stdout
    out.write(f"inputs tried: {fuzzer.tried} in {elapsed:.1f} s\n")
    out.write(f"defects found: {len(fuzzer.defects)}\n")
    for where, (what, data) in sorted(fuzzer.defects.items()):
        shown = data[:160] + (b"..." if len(data) > 160 else b"")
        out.write(f"- {where}\n    {what}\n    first input ({len(data)} bytes): {shown!r}\n")
    return 1 if fuzzer.defects else 0


if __name__ == "__main__":
    sys.exit(main())
