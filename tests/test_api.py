"""The public surface: names, lazy loading, threads, shortcuts."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

import natostruct
from natostruct import bundle


@pytest.fixture
def fresh() -> Iterator[None]:
    """Forget the loaded default dataset before and after the test."""
    natostruct._clear_cache()
    yield
    natostruct._clear_cache()


def test_all_is_sorted_and_exported() -> None:
    """__all__ has no duplicates (ruff's RUF022 keeps it sorted) and every name exists."""
    assert len(set(natostruct.__all__)) == len(natostruct.__all__)
    for name in natostruct.__all__:
        assert hasattr(natostruct, name), name


def test_dir_lists_public_names_and_shortcuts() -> None:
    """dir() shows the public API and the entity shortcuts, nothing private."""
    listed = dir(natostruct)
    assert set(natostruct.__all__) <= set(listed)
    assert "ims" in listed
    assert not [n for n in listed if n.startswith("_") and n != "__version__"]


def test_star_import() -> None:
    """A star import gives exactly __all__ and loads no data."""
    namespace: dict[str, object] = {}
    exec("from natostruct import *", namespace)  # noqa: S102 (fixed text)
    assert set(namespace) - {"__builtins__"} == set(natostruct.__all__)


#: The names the specification fixes at the top level of the package.
REQUIRED_NAMES = (
    "Body",
    "Command",
    "Division",
    "Mission",
    "PartialDate",
    "Period",
    "Location",
    "Post",
    "Holder",
    "Source",
    "MemberState",
    "Partnership",
    "Dataset",
    "Entity",
    "NatostructError",
    "DatasetError",
    "UnknownKeyError",
    "load",
    "dataset",
    "current",
    "get",
    "search",
    "members",
    "chain_of_command",
    "DATA_AS_OF",
    "__version__",
)


def test_required_names() -> None:
    """Every name the specification fixes is exported at top level."""
    assert [name for name in REQUIRED_NAMES if name not in natostruct.__all__] == []


def test_version() -> None:
    """The version is 0.2.0 and matches the package metadata."""
    from importlib.metadata import version

    assert natostruct.__version__ == "0.2.0" == version("natostruct")


def test_unknown_attribute() -> None:
    """A missing attribute is an AttributeError naming it."""
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        _ = natostruct.nonesuch


def test_import_loads_nothing() -> None:
    """`import natostruct` loads no data and imports neither pandas, networkx nor cattrs."""
    code = (
        "import sys, natostruct\n"
        "assert natostruct._default is None\n"
        "heavy = {'pandas', 'networkx', 'cattrs', 'numpy'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_shortcut_import_loads_lazily() -> None:
    """`from natostruct import ims` loads the data on first touch and gives the entity."""
    code = "from natostruct import ims\nassert ims.id == 'ims', ims\nprint(ims.parent.id)"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, encoding="utf-8"
    )
    assert out.stdout.strip() == "mc"


def test_loaded_once_across_threads(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """32 threads asking at once load the default dataset exactly once and share it."""
    calls = []
    real = bundle.load

    def counting() -> natostruct.Dataset:
        calls.append(1)
        return real()

    monkeypatch.setattr(bundle, "load", counting)
    barrier = threading.Barrier(32)
    seen: list[natostruct.Dataset] = []

    def worker() -> None:
        barrier.wait()
        seen.append(natostruct.dataset())

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(seen) == 32
    assert all(ds is seen[0] for ds in seen)


def test_current_is_today(fresh: None) -> None:
    """current() is the view of today's date."""
    import datetime as dt

    assert natostruct.current().date == dt.date.today()
    assert natostruct.current() is natostruct.dataset().as_of(dt.date.today())


def test_data_as_of() -> None:
    """DATA_AS_OF is a date no later than today."""
    import datetime as dt

    assert isinstance(natostruct.DATA_AS_OF, dt.date)
    assert dt.date.today() >= natostruct.DATA_AS_OF
