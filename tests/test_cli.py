"""The natostruct command line: argv tables run through main() with capsys."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

import pytest

import natostruct
from natostruct import cli, fileformat
from natostruct.errors import NoDatasetError

if TYPE_CHECKING:
    from collections.abc import Callable

WHEN = "2025-12-31"


#: The one stderr line of a command whose day is after DATA_AS_OF (checked on its own below).
CUT_OFF: Final = re.compile(
    r"natostruct: \S+ is after \S+, the day the data was last checked; .*\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI; return (exit code, stdout, stderr without the cut-off line).

    The tree's first line, which names the day and the cut-off, is left out of
    stdout too, so that what follows is the tree alone.
    """
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse: --help, --version and bad arguments
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    if out.startswith("As of "):
        out = out.split("\n", 1)[1]
    return code, out, CUT_OFF.sub("", err)


class TestExitCodes:
    @pytest.mark.parametrize(
        "argv",
        [
            pytest.param([], id="no-command"),
            pytest.param(["tree"], id="tree"),
            pytest.param(["tree", "mc", "--as-of", "2000", "--depth", "1"], id="tree-root"),
            pytest.param(["show", "ims"], id="show"),
            pytest.param(["show", "ims", "--as-of", WHEN], id="show-as-of"),
            pytest.param(["search", "warfare"], id="search"),
            pytest.param(["members", "--as-of", "1999-03"], id="members"),
            pytest.param(["history", "ims"], id="history"),
            pytest.param(["diff", "2000", WHEN], id="diff"),
            pytest.param(["export", "--format", "mermaid", "--as-of", WHEN], id="export"),
            pytest.param(["--version"], id="version"),
            pytest.param(["tree", "--help"], id="help"),
        ],
    )
    def test_ok(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """Valid commands exit 0, print to stdout and nothing to stderr."""
        code, out, err = run(capsys, *argv)
        assert (code, err) == (0, "")
        assert out

    @pytest.mark.parametrize(
        "argv",
        [
            pytest.param(["show", "no-such-thing"], id="show"),
            pytest.param(["history", "no-such-thing"], id="history"),
            pytest.param(["tree", "no-such-thing"], id="tree"),
            pytest.param(["tree", "dppc", "--as-of", "1990"], id="not-yet"),
        ],
    )
    def test_unknown_key(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """An unknown key exits 1 with one short line on stderr."""
        code, out, err = run(capsys, *argv)
        assert (code, out) == (1, "")
        assert err.startswith("natostruct: no entity")
        assert err.count("\n") == 1

    @pytest.mark.parametrize(
        "argv",
        [
            pytest.param(["frobnicate"], id="unknown-command"),
            pytest.param(["tree", "--as-of", "2000-13"], id="bad-month"),
            pytest.param(["tree", "--as-of", "yesterday"], id="bad-date"),
            pytest.param(["tree", "--depth", "-1"], id="negative-depth"),
            pytest.param(["show"], id="missing-key"),
            pytest.param(["diff", "2000"], id="one-date"),
            pytest.param(["diff", "2020", "2000"], id="reversed-dates"),
            pytest.param(["export"], id="no-format"),
            pytest.param(["export", "--format", "xml"], id="bad-format"),
            pytest.param(["validate"], id="no-files"),
            pytest.param(["members", "--bogus"], id="unknown-option"),
        ],
    )
    def test_bad_arguments(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """Bad arguments exit 2 with one short line on stderr and no traceback."""
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.startswith("natostruct")
        assert err.count("\n") == 1
        assert "Traceback" not in err


class TestTree:
    def test_default_is_today(self, capsys: pytest.CaptureFixture[str]) -> None:
        """With no command the tree of today is printed, the NAC at the top."""
        _, default, _ = run(capsys)
        _, tree, _ = run(capsys, "tree")
        assert default == tree
        assert default.splitlines()[0].startswith("NAC — North Atlantic Council")

    def test_lines(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each line is indentation, abbreviation, name and HQ city."""
        _, out, _ = run(capsys, "tree", "mc", "--as-of", WHEN)
        lines = out.splitlines()
        assert lines[0] == "MC — Military Committee (Brussels)"
        assert "  IMS — International Military Staff (Brussels)" in lines

    def test_depth(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--depth 0 prints the root only; --depth 1 its children too."""
        _, out, _ = run(capsys, "tree", "nac", "--as-of", WHEN, "--depth", "0")
        assert len(out.splitlines()) == 1
        _, out, _ = run(capsys, "tree", "nac", "--as-of", WHEN, "--depth", "1")
        assert all(line.count("  ") <= 1 for line in out.splitlines())
        assert len(out.splitlines()) == 1 + len(natostruct.dataset().as_of(WHEN).children("nac"))

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints an array of nested nodes."""
        _, out, _ = run(capsys, "tree", "mc", "--as-of", WHEN, "--json")
        (node,) = json.loads(out)
        assert node["id"] == "mc"
        assert "ims" in [child["id"] for child in node["children"]]


class TestShow:
    def test_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """show prints names, category, superiors, subordinates, HQ, dates, posts, sources."""
        _, out, _ = run(capsys, "show", "IMS", "--as-of", WHEN)
        assert out.startswith("IMS — International Military Staff  [ims, as of 2025-12-31]")
        for text in ("superiors", "MC > NAC", "subordinates", "HQ", "established", "sources:"):
            assert text in out
        head = natostruct.dataset().get("ims").head
        assert head is not None
        assert head.title in out

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints one object: the record plus its chain and subordinates."""
        _, out, _ = run(capsys, "show", "ims", "--json")
        data = json.loads(out)
        assert isinstance(data, dict)
        assert (data["id"], data["kind"]) == ("ims", "body")
        assert data["chain_of_command"] == ["mc", "nac"]
        assert data["as_of"] is None


class TestLists:
    def test_search(self, capsys: pytest.CaptureFixture[str]) -> None:
        """search prints the best matches first, one per line; --json an array."""
        _, out, _ = run(capsys, "search", "Joint Warfare Center")
        assert out.splitlines()[0].startswith("jwc  JWC")
        _, out, _ = run(capsys, "search", "warfare", "--json", "--limit", "2")
        found = json.loads(out)
        assert isinstance(found, list)
        assert len(found) <= 2

    def test_members(self, capsys: pytest.CaptureFixture[str]) -> None:
        """members lists member states by accession; the count follows the date."""
        _, out, _ = run(capsys, "members", "--as-of", "1999-03-11")
        assert len(out.splitlines()) == 16
        _, out, _ = run(capsys, "members", "--as-of", "1999-03-12", "--json")
        members = json.loads(out)
        assert len(members) == 19
        assert {"PL", "CZ", "HU"} <= {m["country"] for m in members}

    def test_history(self, capsys: pytest.CaptureFixture[str]) -> None:
        """history prints dated changes; --json an array of change objects."""
        _, out, _ = run(capsys, "history", "ims")
        assert out.splitlines()[0].startswith("1967-12-31  added")
        _, out, _ = run(capsys, "history", "ims", "--json")
        changes = json.loads(out)
        assert changes[0]["type"] == "added"
        assert set(changes[0]) == {
            *("date", "type", "entity_id", "before", "after", "detail", "source_date", "certain")
        }

    def test_diff(self, capsys: pytest.CaptureFixture[str]) -> None:
        """diff --json prints the same changes as Dataset.diff."""
        _, out, _ = run(capsys, "diff", "2000", WHEN, "--json")
        expected = [c.to_dict() for c in natostruct.dataset().diff("2000", WHEN)]
        assert json.loads(out) == expected


class TestExport:
    @pytest.mark.parametrize("fmt", ["json", "csv", "geojson", "dot", "mermaid"])
    def test_stdout(self, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
        """export writes the format to stdout, the same text as Dataset.export."""
        _, out, _ = run(capsys, "export", "--format", fmt, "--as-of", WHEN)
        assert out == natostruct.dataset().as_of(WHEN).export(fmt)

    def test_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """-o FILE writes the file and nothing to stdout."""
        path = tmp_path / "all.csv"
        code, out, _ = run(capsys, "export", "--format", "csv", "-o", str(path))
        assert (code, out) == (0, "")
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert len(rows) == len(natostruct.dataset())

    def test_bom_for_excel(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--bom starts the CSV with a UTF-8 byte order mark; the rows are unchanged."""
        path = tmp_path / "excel.csv"
        code, _, _ = run(capsys, "export", "--format", "csv", "--bom", "-o", str(path))
        data = path.read_bytes()
        assert code == 0
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8-sig") == natostruct.dataset().export("csv")

    def test_bom_only_for_csv(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = run(capsys, "export", "--format", "json", "--bom")
        assert (code, out) == (2, "")
        assert "--bom is for --format csv" in err

    def test_unwritable(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A file that cannot be written exits 1 with one line that names it."""
        path = tmp_path / "no" / "x.csv"
        code, _, err = run(capsys, "export", "--format", "csv", "-o", str(path))
        assert code == 1
        assert err == f"natostruct: cannot write {path}: No such file or directory\n"


GOOD = ({"kind": "body", "id": "my-office", "name": "My Office", "parent_id": "nac"},)


class TestValidate:
    def test_valid_on_top_of_the_data(
        self, capsys: pytest.CaptureFixture[str], write_doc: Callable[..., Path]
    ) -> None:
        """A file referring to canonical ids is valid on top of the data."""
        path = write_doc(list(GOOD))
        code, out, _ = run(capsys, "validate", str(path))
        assert code == 0
        assert out.startswith("valid:")

    def test_standalone(
        self, capsys: pytest.CaptureFixture[str], write_doc: Callable[..., Path]
    ) -> None:
        """--standalone checks the file alone: the unknown parent is reported."""
        path = write_doc(list(GOOD))
        code, out, _ = run(capsys, "validate", str(path), "--standalone")
        assert code == 1
        assert out == f"{path}: my-office: parent_id: refers to unknown id 'nac'\n"

    def test_every_problem(
        self, capsys: pytest.CaptureFixture[str], write_doc: Callable[..., Path]
    ) -> None:
        """Every problem of every file is printed as FILE: RECORD: FIELD: REASON."""
        bad = write_doc([{"kind": "body", "id": "x"}, {"kind": "nope"}], name="bad.json")
        missing = Path(bad).parent / "missing.json"
        code, out, _ = run(capsys, "validate", str(bad), str(missing))
        assert code == 1
        lines = out.splitlines()
        assert f"{bad}: x: name: missing required field" in lines
        assert any(line.startswith(f"{bad}: #1: kind: ") for line in lines)
        assert f"{missing}: -: -: file not found" in lines

    def test_json(self, capsys: pytest.CaptureFixture[str], write_doc: Callable[..., Path]) -> None:
        """--json prints the problems as an array of objects."""
        path = write_doc(list(GOOD))
        _, out, _ = run(capsys, "validate", str(path), "--standalone", "--json")
        (problem,) = json.loads(out)
        assert problem["field"] == "parent_id"

    def test_path_with_a_nul(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A path main() is given with a NUL in it is a problem like any other (exit 1, not 2)."""
        code, out, err = run(capsys, "validate", "a\x00b.json", "--standalone")
        assert (code, err) == (1, "")
        assert out == "a\x00b.json: -: -: not a valid path: it contains a NUL character\n"


FORMAT_SOURCE: Final = {"title": "Test", "quality": "official", "url": "https://example.invalid/a"}


class TestFormat:
    def _old_file(self, tmp_path: Path) -> Path:
        records = [
            {"kind": "body", "id": f"unit-{i}", "name": f"Unit {i}", "sources": [FORMAT_SOURCE]}
            for i in range(3)
        ]
        path = tmp_path / "mine.json"
        path.write_text(json.dumps({"format_version": 1, "records": records}), encoding="utf-8")
        return path

    def test_migrates_in_place(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """format rewrites a format-1 file as format 2: one table entry, cited by key, same data."""
        path = self._old_file(tmp_path)
        before = natostruct.load(path)
        code, out, _ = run(capsys, "format", str(path))
        assert code == 0
        assert "format 2" in out
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["format_version"] == 2
        assert list(document["sources"]) == ["example-invalid-a"]
        assert {tuple(r["sources"]) for r in document["records"]} == {("example-invalid-a",)}
        assert natostruct.load(path) == before

    def test_keeps_keys_and_goes_back(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A key the file already has is kept; --to 1 writes whole sources again."""
        path = tmp_path / "keyed.json"
        path.write_text(
            json.dumps(
                {
                    "format_version": 2,
                    "sources": {"mine": FORMAT_SOURCE},
                    "records": [{"kind": "body", "id": "a", "name": "A", "sources": ["mine"]}],
                }
            ),
            encoding="utf-8",
        )
        assert run(capsys, "format", str(path))[0] == 0
        assert list(json.loads(path.read_text(encoding="utf-8"))["sources"]) == ["mine"]
        code, out, _ = run(capsys, "format", str(path), "--to", "1", "-o", "-")
        assert code == 0
        assert json.loads(out)["records"][0]["sources"] == [FORMAT_SOURCE]

    def test_bad_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A malformed file is not rewritten: its problems are printed and the exit code is 1."""
        path = tmp_path / "bad.json"
        path.write_text('{"format_version": 1, "records": [{"kind": "army"}]}', encoding="utf-8")
        code, out, _ = run(capsys, "format", str(path))
        assert code == 1
        assert "kind: expected one of" in out
        assert "army" in path.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("name", "reason"),
        [
            ("no-such-file.json", "file not found"),
            ("a\x00b.json", "not a valid path: it contains a NUL character"),
        ],
        ids=["missing", "nul"],
    )
    def test_unreadable_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, reason: str
    ) -> None:
        """A file format cannot read is one problem printed like the others, and exit code 1."""
        path = tmp_path / name
        code, out, err = run(capsys, "format", str(path))
        assert (code, err) == (1, "")
        assert out == f"{path}: -: -: {reason}\n"

    @pytest.mark.skipif(sys.platform == "win32", reason="os.devnull is no device file on Windows")
    def test_device(self, capsys: pytest.CaptureFixture[str]) -> None:
        """format reads only a regular file: a device is refused unread, as load() refuses it."""
        code, out, _ = run(capsys, "format", os.devnull)
        assert code == 1
        assert out == f"{os.devnull}: -: -: not a regular file (a character device)\n"


class TestProcess:
    def test_python_m(self) -> None:
        """`python -m natostruct` runs the CLI; an unknown key exits 1 without a traceback."""
        result = subprocess.run(
            [sys.executable, "-m", "natostruct", "show", "no-such-thing"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.startswith("natostruct: no entity 'no-such-thing'")
        assert "Traceback" not in result.stderr

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform (os.mkfifo)")
    def test_format_refuses_a_fifo(self, tmp_path: Path) -> None:
        """`natostruct format FIFO` with no writer exits 1 at once (20 s turn a hang into a failure)."""
        fifo = tmp_path / "pipe.json"
        os.mkfifo(fifo)
        source = str(Path(natostruct.__file__).parent.parent)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]),
        }
        try:
            result = subprocess.run(
                [sys.executable, "-m", "natostruct", "format", str(fifo)],
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=20,
                check=False,
                env=env,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("natostruct format still waiting on the FIFO after 20 s")
        assert result.returncode == 1
        assert result.stdout == f"{fifo}: -: -: not a regular file (a FIFO)\n"

    def test_parser(self) -> None:
        """build_parser() offers every command."""
        parser = cli.build_parser()
        args = parser.parse_args(["diff", "2000", "2010-05"])
        assert (args.command, str(args.date1), str(args.date2)) == (
            "diff",
            "2000-01-01",
            "2010-05-01",
        )


#: The worktree's sources, first on the path of every `python -m natostruct` run below.
SRC: Final = str(Path(__file__).parent.parent / "src")
#: No test waits longer than this for a process (they take well under a second).
TIMEOUT: Final = 20
POSIX: Final = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file descriptors")


def process_env(**variables: str) -> dict[str, str]:
    """The environment of a CLI run: this one, with the worktree's sources and ``variables``."""
    return {**os.environ, "PYTHONPATH": SRC, **variables}


def natostruct_run(
    *argv: str | bytes, stdout: int | IO[bytes] = subprocess.PIPE, **variables: str
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m natostruct ARGV`` in a process; its output as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "natostruct", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=process_env(**variables),
        check=False,
        timeout=TIMEOUT,
    )


def shell_run(redirect: str, *argv: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m natostruct ARGV`` from sh with ``redirect`` (``>&-``: stdout closed)."""
    return subprocess.run(
        ["/bin/sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, "-m", "natostruct", *argv],
        capture_output=True,
        env=process_env(),
        check=False,
        timeout=TIMEOUT,
    )


class TestEncoding:
    """Whatever stdout's encoding, the CLI writes all it has to say and exits 0."""

    @pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
    @pytest.mark.parametrize(
        "argv",
        [
            ["tree", "--as-of", WHEN],
            ["show", "landcom", "--as-of", WHEN],
            ["search", "land"],
            ["members", "--as-of", WHEN],
            ["history", "landcom"],
            ["diff", "2000", WHEN],
            ["export", "--format", "csv", "--as-of", WHEN],
        ],
        ids=lambda argv: argv[0],
    )
    def test_text(self, encoding: str, argv: list[str]) -> None:
        """A character the encoding lacks is written as ?, the rest as it is."""
        whole = natostruct_run(*argv, PYTHONIOENCODING="utf-8").stdout.decode("utf-8")
        assert not whole.isascii()  # else this case would test nothing
        result = natostruct_run(*argv, PYTHONIOENCODING=encoding)
        assert (result.returncode, result.stderr) == (0, b"")
        assert result.stdout.decode(encoding) == whole.encode(encoding, "replace").decode(encoding)

    @pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
    @pytest.mark.parametrize(
        "argv",
        [
            ["tree", "--as-of", WHEN, "--json"],
            ["show", "landcom", "--json"],
            ["members", "--as-of", WHEN, "--json"],
            ["diff", "2000", WHEN, "--json"],
        ],
        ids=lambda argv: argv[0],
    )
    def test_json(self, encoding: str, argv: list[str]) -> None:
        """JSON is written with \\u escapes where the encoding lacks characters: the same data."""
        whole = json.loads(natostruct_run(*argv, PYTHONIOENCODING="utf-8").stdout)
        result = natostruct_run(*argv, PYTHONIOENCODING=encoding)
        assert (result.returncode, result.stderr) == (0, b"")
        assert result.stdout.isascii()
        assert json.loads(result.stdout) == whole

    def test_error(self) -> None:
        """An error message on stderr names a character the encoding lacks by its escape."""
        result = natostruct_run("show", "İzmirxyz", PYTHONIOENCODING="ascii")
        assert (result.returncode, result.stdout) == (1, b"")
        assert result.stderr.decode("ascii").startswith("natostruct: no entity '\\u0130zmirxyz'")


DEV_FULL: Final = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")


class TestOutputErrors:
    """An output that cannot be written is named in one line on stderr; the exit code is 1."""

    @DEV_FULL
    @pytest.mark.parametrize(
        "argv",
        [
            ["export", "--format", "csv", "--as-of", WHEN, "-o", "/dev/full"],
            ["format", "{file}", "-o", "/dev/full"],
        ],
        ids=["export", "format"],
    )
    def test_full_file_is_named(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
    ) -> None:
        """A file that cannot take what is written (a full disk) is named in the message."""
        path = tmp_path / "mine.json"
        path.write_text(json.dumps({"format_version": 2, "records": list(GOOD)}), encoding="utf-8")
        code, out, err = run(capsys, *(a.format(file=path) for a in argv))
        assert (code, out) == (1, "")
        assert err == "natostruct: cannot write /dev/full: No space left on device\n"

    def test_unreadable_file_is_named(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """format names a file it cannot read, as validate does: a problem of that file."""
        path = tmp_path / "missing.json"
        code, out, err = run(capsys, "format", str(path))
        assert (code, err) == (1, "")
        assert out == f"{path}: -: -: file not found\n"

    @POSIX
    @pytest.mark.parametrize(
        "argv",
        [["tree", "--as-of", WHEN], ["show", "ims", "--json"], ["--version"]],
        ids=["tree", "show", "version"],
    )
    def test_closed_stdout(self, argv: list[str]) -> None:
        """Started with stdout closed, the CLI says so on stderr and exits 1."""
        result = shell_run(">&-", *argv)
        assert (result.returncode, result.stderr) == (1, b"natostruct: standard output is closed\n")

    @POSIX
    def test_closed_stdout_and_stderr(self) -> None:
        """With stderr closed too, the exit code alone tells."""
        assert shell_run(">&- 2>&-", "tree", "--as-of", WHEN).returncode == 1

    @POSIX
    def test_closed_stderr(self) -> None:
        """With stderr closed an error is not written to stdout instead."""
        result = shell_run("2>&-", "show", "no-such-thing")
        assert (result.returncode, result.stdout) == (1, b"")

    @DEV_FULL
    @pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
    @pytest.mark.parametrize(
        "argv",
        [
            ["tree", "--as-of", WHEN],
            ["tree", "--as-of", WHEN, "--json"],
            ["export", "--format", "json"],
            ["--help"],
        ],
        ids=["tree", "json", "export", "help"],
    )
    def test_full_stdout(self, argv: list[str], unbuffered: str) -> None:
        """A stdout that cannot be written (a full disk) is one line on stderr and exit 1."""
        with Path("/dev/full").open("wb") as full:
            result = natostruct_run(*argv, stdout=full, PYTHONUNBUFFERED=unbuffered)
        assert result.returncode == 1
        assert (
            result.stderr == b"natostruct: cannot write standard output: No space left on device\n"
        )

    @POSIX
    def test_read_only_stdout(self) -> None:
        """A stdout opened for reading only cannot be written: said, not an internal error."""
        result = shell_run("1</dev/null", "tree", "--as-of", WHEN)
        assert result.returncode == 1
        assert result.stderr == b"natostruct: cannot write standard output: Bad file descriptor\n"


class TestBrokenPipe:
    """When the reader of stdout goes away the CLI stops quietly with exit code 141."""

    @pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
    @pytest.mark.parametrize(
        "argv",
        [["export", "--format", "json"], ["diff", "1949", WHEN, "--json"]],
        ids=["export", "diff"],
    )
    def test_one_exit_code(self, argv: list[str], unbuffered: str) -> None:
        """A reader that stops after a few bytes: 141 and nothing on stderr, run after run.

        The output is larger than a pipe holds, so the reader surely leaves before
        it is all written.
        """
        assert len(natostruct.dataset().export("json")) > 4 * 65536
        outcomes = []
        for _ in range(3):
            with subprocess.Popen(
                [sys.executable, "-m", "natostruct", *argv],
                bufsize=0,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=process_env(PYTHONUNBUFFERED=unbuffered),
            ) as proc:
                assert proc.stdout is not None
                assert len(proc.stdout.read(10)) == 10
                proc.stdout.close()
                _, err = proc.communicate(timeout=TIMEOUT)
            outcomes.append((proc.returncode, err))
        assert outcomes == [(141, b"")] * 3


#: A key far too long to be anyone's name.
LONG: Final[str] = "x" * 100_000


class TestLongValues:
    """A long key or value is quoted in a message by its first 80 characters and ``...``."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["show", LONG],
            ["show", LONG, "--as-of", WHEN],
            ["history", LONG],
            ["tree", LONG, "--as-of", WHEN],
        ],
        ids=["show", "show-as-of", "history", "tree"],
    )
    def test_unknown_key(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """The message of an unknown key is one short line."""
        code, out, err = run(capsys, *argv)
        assert (code, out) == (1, "")
        assert err.startswith(f"natostruct: no entity '{'x' * 80}'...")
        assert err.count("\n") == 1
        assert len(err) < 300

    @pytest.mark.parametrize(
        "argv",
        [
            [LONG],
            ["tree", "--as-of", LONG],
            ["tree", "--depth", LONG],
            ["search", "nac", "--limit", LONG],
            ["export", "--format", LONG],
            ["format", "x.json", "--to", LONG],
            ["tree", "nac", "extra", LONG],
            ["export", "--format", "x y" * 50_000],
        ],
        ids=["command", "date", "depth", "limit", "choice", "int", "extra", "spaces"],
    )
    def test_bad_argument(self, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
        """argparse's message quoting a bad argument is one short line too."""
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, "")
        assert err.count("\n") == 1
        assert len(err) < 400, err[:400]

    def test_api_messages(self) -> None:
        """The library's exceptions are bounded too; the key itself is kept whole."""
        ds = natostruct.dataset()
        for view in (ds, ds.as_of(WHEN)):
            with pytest.raises(natostruct.UnknownKeyError) as caught:
                view.get(LONG)
            assert caught.value.key == LONG
            assert len(str(caught.value)) < 200
            assert pickle.loads(pickle.dumps(caught.value)).key == LONG  # noqa: S301 (our own)
        ambiguous = natostruct.AmbiguousKeyError(LONG, ["a", "b"])
        assert str(ambiguous) == f"'{'x' * 80}'... is ambiguous: it names a, b"
        assert len(str(NoDatasetError(LONG))) < 200
        calls: list[Callable[[], object]] = [
            lambda: natostruct.PartialDate.parse(LONG),
            lambda: ds.filter(kind=LONG),  # type: ignore[arg-type]
            lambda: ds.filter(country=LONG),
            lambda: ds.export(LONG),
            lambda: fileformat.write([], version=[0] * 100_000),  # type: ignore[arg-type]
        ]
        for call in calls:
            with pytest.raises(ValueError, match=r"\.\.\.$") as refused:
                call()
            assert len(str(refused.value)) < 200

    def test_data_file_values(self, write_doc: Callable[..., Path]) -> None:
        """A problem quotes a long value from a data file by its start."""
        records = [
            {"kind": "body", "id": "a", "name": "A", "parent_id": LONG},
            {"kind": "body", "id": "X" + LONG, "name": "B"},
        ]
        with pytest.raises(natostruct.DatasetError) as caught:
            natostruct.load(write_doc(records))
        reasons = [p.reason for p in caught.value.problems]
        assert f"refers to unknown id '{'x' * 80}'..." in reasons
        assert all(len(reason) < 200 for reason in reasons)


#: A file name that is not UTF-8, as bytes.
BAD_NAME: Final = b"bad\xff.json"


@pytest.fixture
def bad_name(tmp_path: Path) -> tuple[bytes, str]:
    """A data file whose name has a byte that is not UTF-8: (its path, that path as shown)."""
    if sys.platform == "win32":
        pytest.skip("file names are Unicode")
    path = os.path.join(os.fsencode(tmp_path), BAD_NAME)  # noqa: PTH118 (a bytes path)
    try:
        with open(path, "w", encoding="utf-8") as handle:  # noqa: PTH123 (a bytes path)
            json.dump({"format_version": 1, "records": list(GOOD)}, handle)
    except OSError:  # a file system that takes UTF-8 names only
        pytest.skip("the file system refuses names that are not UTF-8")
    return path, f"{tmp_path}{os.sep}bad\\xff.json"


class TestFileNames:
    """A file name that is not UTF-8 is shown with the byte escaped; output stays UTF-8."""

    @pytest.mark.parametrize("utf8_mode", ["0", "1"], ids=["locale", "utf8-mode"])
    def test_validate_json(self, bad_name: tuple[bytes, str], utf8_mode: str) -> None:
        """validate --json names the file with \\xff: valid UTF-8, valid JSON."""
        path, shown = bad_name
        result = natostruct_run("validate", path, "--standalone", "--json", PYTHONUTF8=utf8_mode)
        assert (result.returncode, result.stderr) == (1, b"")
        (problem,) = json.loads(result.stdout.decode("utf-8"))
        assert (problem["file"], problem["field"]) == (shown, "parent_id")

    @pytest.mark.parametrize("utf8_mode", ["0", "1"], ids=["locale", "utf8-mode"])
    def test_text(self, bad_name: tuple[bytes, str], utf8_mode: str) -> None:
        """validate, its problems and format name the file the same way."""
        path, shown = bad_name
        result = natostruct_run("validate", path, "--standalone", PYTHONUTF8=utf8_mode)
        assert result.returncode == 1
        assert result.stdout.decode("utf-8").startswith(f"{shown}: my-office: parent_id: ")
        result = natostruct_run("validate", path, PYTHONUTF8=utf8_mode)
        assert result.returncode == 0
        assert result.stdout.decode("utf-8").startswith(f"valid: {shown} (")
        result = natostruct_run("format", path, PYTHONUTF8=utf8_mode)
        assert result.returncode == 0
        assert result.stdout.decode("utf-8") == f"wrote {shown} in format 2 (1 records)\n"

    def test_error(self, bad_name: tuple[bytes, str]) -> None:
        """A file that cannot be written is named with \\xff on stderr too."""
        path, shown = bad_name
        result = natostruct_run("export", "--format", "csv", "-o", path + b"/x.csv")
        assert result.returncode == 1
        message = result.stderr.decode("utf-8")
        assert message == f"natostruct: cannot write {shown}/x.csv: Not a directory\n"


class TestDayAndCutOff:
    def test_tree_opens_with_the_day_and_the_cut_off(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The text tree's first line names its day and DATA_AS_OF; --json has no such line."""
        cli.main(["tree", "--as-of", "2020-01-01"])
        out, err = capsys.readouterr()
        assert out.splitlines()[0].startswith(
            f"As of 2020-01-01; data checked to {natostruct.DATA_AS_OF}"
        )
        assert err == ""
        cli.main(["tree", "--as-of", "2020-01-01", "--json"])
        assert json.loads(capsys.readouterr().out)[0]["id"] == "nac"

    @pytest.mark.parametrize(
        "argv",
        [
            ["tree"],
            ["show", "ims"],
            ["members"],
            ["export", "--format", "csv"],
            ["diff", "2000", "2040"],
        ],
        ids=["tree", "show", "members", "export", "diff"],
    )
    def test_a_day_past_the_cut_off_is_named_on_stderr(
        self, capsys: pytest.CaptureFixture[str], argv: list[str]
    ) -> None:
        """Every command asked about a day after DATA_AS_OF says so in one stderr line."""
        day = ["--as-of", "2040-01-01"] if argv[0] != "diff" else []
        cli.main([*argv, *day])
        err = capsys.readouterr().err
        assert CUT_OFF.fullmatch(err)
        assert str(natostruct.DATA_AS_OF) in err

    def test_a_view_past_the_cut_off_is_flagged(self) -> None:
        """A view after DATA_AS_OF says so; one on that day or the whole history does not."""
        ds = natostruct.dataset()
        assert ds.as_of("2040-01-01").beyond_data
        assert not ds.as_of(natostruct.DATA_AS_OF).beyond_data
        assert not ds.beyond_data
        assert ds.as_of("2040-01-01").data_as_of == natostruct.DATA_AS_OF

    def test_uncertain_entities_are_marked(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An entity that may not have existed that day is marked ? in the tree, certain false in JSON."""
        view = natostruct.dataset().as_of("2017-06-01")
        assert "ims-int" in {e.id for e in view.uncertain()}
        cli.main(["tree", "ims", "--as-of", "2017-06-01"])
        assert "INT — Intelligence Division (Brussels) ?" in capsys.readouterr().out
        cli.main(["tree", "ims", "--as-of", "2017-06-01", "--json"])
        nodes = {n["id"]: n["certain"] for n in json.loads(capsys.readouterr().out)[0]["children"]}
        assert nodes["ims-int"] is False
        assert nodes["nso"] is True


@pytest.fixture
def gapped(gapped_data: natostruct.Dataset, monkeypatch: pytest.MonkeyPatch) -> natostruct.Dataset:
    """The CLI run on the GAPPED records of conftest instead of the bundled data."""
    monkeypatch.setattr(cli, "_root", lambda: gapped_data)
    return gapped_data


def test_tree_lists_entities_of_unknown_superior_apart(
    capsys: pytest.CaptureFixture[str], gapped: natostruct.Dataset
) -> None:
    """An entity whose reporting lines leave a gap that day is listed under its own heading."""
    assert [e.id for e in gapped.as_of("1972-07-01").superior_unknown()] == ["unit"]
    _, out, _ = run(capsys, "tree", "--as-of", "1972-07-01")
    lines = out.splitlines()
    heading = lines.index("Superior not recorded on this day:")
    assert lines[heading + 1] == "  Old Unit"
    _, out, _ = run(capsys, "tree", "--as-of", "1972-07-01", "--json")
    known = {n["id"]: n["superior_known"] for n in json.loads(out)}
    assert known == {"top": True, "unit": False}


def test_tree_marks_values_in_doubt(
    capsys: pytest.CaptureFixture[str], gapped: natostruct.Dataset
) -> None:
    """A name in doubt that day is marked in the tree and listed with its candidates in JSON."""
    cli.main(["tree", "--as-of", "1975-06-01"])
    out = capsys.readouterr().out
    assert "see `show` for the candidates" in out.splitlines()[0]
    assert "  Old Unit [in doubt: name]" in out.splitlines()
    cli.main(["tree", "--as-of", "1975-06-01", "--json"])
    (unit,) = (n for n in json.loads(capsys.readouterr().out) if n["id"] == "unit")
    assert unit["doubts"] == {"name": ["Old Unit", "NU — New <Unit>"]}
    cli.main(["tree", "--as-of", "1985-06-01"])
    out = capsys.readouterr().out
    assert "in doubt" not in out
    assert "  NU — New <Unit>" in out.splitlines()


def _console_examples() -> list[tuple[str, list[str]]]:
    """Each ``$ natostruct ...`` command of docs/cli.md with the lines it is shown to print.

    Commands that pipe into another program or work on a file of the reader's
    own (``my-office.json``) are shown on the page but not run here.
    """
    text = (Path(__file__).parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                command = line[2:]
                runnable = command.startswith("natostruct ") and not re.search(
                    r"[|<>]|\.json\b", command
                )
                examples.append((command if runnable else "", []))
            elif examples:
                examples[-1][1].append(line)
    return [(command, shown) for command, shown in examples if command]


@pytest.mark.parametrize(("command", "shown"), _console_examples(), ids=lambda v: str(v)[:40])
def test_docs_console_examples(
    capsys: pytest.CaptureFixture[str],
    command: str,
    shown: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every console example of docs/cli.md prints what the page shows.

    ``...`` at the end of a line stands for the rest of it; a line of ``...``
    for lines left out. The examples run in a scratch directory, so that the
    files they write (``-o nato.dot``) land there.
    """
    import shlex

    monkeypatch.chdir(tmp_path)

    argv = shlex.split(command)
    assert argv[0] == "natostruct"
    with contextlib.suppress(SystemExit):  # argparse ends --help and bad arguments so
        cli.main(argv[1:])
    out, err = capsys.readouterr()
    printed = iter((out + CUT_OFF.sub("", err)).splitlines())
    skipping = False
    for want in shown:
        if want.strip() == "...":  # the page leaves lines out here
            skipping = True
            continue
        for got in printed:
            if _shows(got, want):
                break
            assert skipping, (got, want)
        else:
            pytest.fail(f"not printed: {want!r}")
        skipping = False


def _shows(got: str, want: str) -> bool:
    return got.startswith(want[:-3]) if want.endswith("...") else got == want
