"""The built wheel and sdist are complete, install into a fresh venv, and work from a zip.

These tests build the distributions with ``python -m build`` (hatchling comes
from the package index), install the wheel into a new virtual environment
(attrs and cattrs come from the index too) and run queries there from a
directory outside the repository, so that nothing from ``src/`` can be
picked up by accident. The last test imports the package from a zip archive
(zipimport), which works only if the data is read through importlib.resources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "natostruct" / "data"

#: Run in the fresh environment: a smoke query, printed as JSON for the test to check.
SMOKE = textwrap.dedent(
    """
    import json, sys
    import natostruct
    ims = natostruct.get("ims")
    ds = natostruct.dataset()
    print(json.dumps({
        "file": natostruct.__file__,
        "loader": type(natostruct.__spec__.loader).__name__,
        "parent": ims.parent.id,
        "chain": [e.id for e in natostruct.chain_of_command("ims")],
        "labels": {"ims": ims.label, "mc": natostruct.get("mc").label},
        "records": len(ds.records),
        "view": len(ds.as_of("2020-01-01")),
    }))
    """
)


@dataclass(frozen=True)
class Dist:
    """The built distributions."""

    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment with the wheel installed."""

    python: Path
    scripts: Path
    site_packages: Path
    workdir: Path


def clean_env() -> dict[str, str]:
    """The environment for child processes, without anything that points into the repo."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PYTHONWARNDEFAULTENCODING"] = "1"
    return env


def run(*args: str | Path, cwd: Path, timeout: float = 300) -> str:
    """Run a command; fail the test with its output if it fails; return its stdout."""
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist and the wheel (built from the sdist), by ``python -m build``."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    (wheel,) = out.glob("natostruct-*.whl")
    (sdist,) = out.glob("natostruct-*.tar.gz")
    return Dist(wheel, sdist)


@pytest.fixture(scope="module")
def installed(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A new venv (no system site-packages) with the wheel installed from the index's deps."""
    home = tmp_path_factory.mktemp("venv")
    venv.create(home / "env", with_pip=True, clear=True)
    bindir = home / "env" / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    run(python, "-m", "pip", "install", "--quiet", dist.wheel, cwd=home)
    site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=home)
    workdir = tmp_path_factory.mktemp("elsewhere")
    return Installed(python, bindir, Path(site.strip()), workdir)


def smoke(python: Path, cwd: Path, *flags: str) -> dict[str, object]:
    """Run SMOKE with ``python`` and return what it printed."""
    out = run(python, *flags, "-W", "error", "-c", SMOKE, cwd=cwd)
    result: dict[str, object] = json.loads(out)
    return result


class TestDistributions:
    def test_wheel_contents(self, dist: Dist) -> None:
        """The wheel holds the package, py.typed, every data file and the console script."""
        names = set(zipfile.ZipFile(dist.wheel).namelist())
        assert "natostruct/__init__.py" in names
        assert "natostruct/py.typed" in names
        data = {n for n in names if n.startswith("natostruct/data/") and n.endswith(".json")}
        assert data
        assert data == {f"natostruct/data/{p.name}" for p in DATA.glob("*.json")}
        assert not any(n.startswith(("tests/", "src/")) for n in names)
        (entry_points,) = (n for n in names if n.endswith(".dist-info/entry_points.txt"))
        text = zipfile.ZipFile(dist.wheel).read(entry_points).decode("utf-8")
        assert "natostruct = natostruct.cli:entrypoint" in text

    def test_sdist_contents(self, dist: Dist) -> None:
        """The sdist holds the sources, the data, py.typed and the test corpus."""
        with tarfile.open(dist.sdist) as archive:
            names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
        assert "pyproject.toml" in names
        assert "src/natostruct/py.typed" in names
        assert {f"src/natostruct/data/{p.name}" for p in DATA.glob("*.json")} <= names
        assert "tests/corpus/expected.json" in names


class TestFreshEnvironment:
    def test_smoke_query(self, installed: Installed) -> None:
        """In the new venv, from outside the repo, the installed package answers queries."""
        result = smoke(installed.python, installed.workdir)
        assert Path(str(result["file"])).is_relative_to(installed.site_packages)
        assert result["parent"] == "mc"
        chain = result["chain"]
        assert isinstance(chain, list)
        assert chain[:2] == ["ims", "mc"]
        assert isinstance(result["records"], int)
        assert result["records"] > 0

    def test_console_script_prints_a_tree(self, installed: Installed) -> None:
        """The ``natostruct`` command prints the tree, with the IMS indented below the MC."""
        labels = smoke(installed.python, installed.workdir)["labels"]
        assert isinstance(labels, dict)
        out = run(installed.scripts / "natostruct", cwd=installed.workdir)
        lines = out.splitlines()
        assert len(lines) > 1

        def indent_of(label: str) -> int:
            (line,) = (line for line in lines if line.strip().startswith(label))
            return len(line) - len(line.lstrip())

        assert indent_of(labels["ims"]) > indent_of(labels["mc"])
        assert run(installed.python, "-m", "natostruct", cwd=installed.workdir) == out

    def test_zipimport(self, installed: Installed, dist: Dist, tmp_path: Path) -> None:
        """Imported from a zip archive (data read through importlib.resources), the package works."""
        archive = tmp_path / "natostruct.zip"
        with zipfile.ZipFile(dist.wheel) as wheel, zipfile.ZipFile(archive, "w") as packed:
            for name in wheel.namelist():
                if name.startswith("natostruct/"):
                    packed.writestr(name, wheel.read(name))
        # Only the stdlib, the zip and the dependencies: -S skips site-packages, so
        # the wheel installed there cannot be found; the zip comes first on the path.
        deps = tmp_path / "deps"
        deps.mkdir()
        for entry in installed.site_packages.iterdir():
            if not entry.name.startswith(("natostruct", "_natostruct", "pip", "setuptools")):
                (deps / entry.name).symlink_to(entry)
        prelude = f"import sys; sys.path[:0] = [{str(archive)!r}, {str(deps)!r}]\n"
        out = run(installed.python, "-S", "-W", "error", "-c", prelude + SMOKE, cwd=tmp_path)
        zipped: dict[str, object] = json.loads(out)
        assert zipped["loader"] == "zipimporter"
        assert str(zipped["file"]).startswith(str(archive))
        assert zipped["parent"] == "mc"
        unzipped = smoke(installed.python, installed.workdir)
        assert (zipped["chain"], zipped["records"], zipped["view"]) == (
            unzipped["chain"],
            unzipped["records"],
            unzipped["view"],
        )
