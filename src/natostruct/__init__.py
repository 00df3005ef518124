"""natostruct: NATO's structure as typed, sourced, dated Python records.

>>> import natostruct
>>> natostruct.get("SACEUR").name
'Allied Command Operations'
>>> " > ".join(e.abbreviation or e.id for e in natostruct.chain_of_command("jwc"))
'JWC > ACT > MC > NAC'

The bundled dataset is loaded on first use, once, whichever thread asks
first. Entities are also attributes of the package (``from natostruct import
ims``), looked up lazily in the whole-history dataset.
"""

from __future__ import annotations

import datetime as dt
import threading as _threading
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

from natostruct.dataset import Dataset, DateLike, Key
from natostruct.dates import Holds, PartialDate, Period
from natostruct.errors import (
    AmbiguousKeyError,
    DatasetError,
    NatostructError,
    NoDatasetError,
    Problem,
    UnknownKeyError,
)

if TYPE_CHECKING:
    from natostruct.changes import Change
    from natostruct.loader import AnyPath

from natostruct.model import (
    FAMILIES,
    Accreditation,
    Alias,
    Attestation,
    Body,
    Command,
    Division,
    Doubt,
    Entity,
    Family,
    FrameworkNation,
    Holder,
    LastAttestation,
    Location,
    MemberState,
    Mission,
    Note,
    Partnership,
    Post,
    Record,
    Relation,
    ReportingLine,
    Source,
    StaffCount,
    Vacancy,
)
from natostruct.reprs import Results

__all__ = [
    "DATA_AS_OF",
    "FAMILIES",
    "Accreditation",
    "Alias",
    "AmbiguousKeyError",
    "Attestation",
    "Body",
    "Change",
    "Command",
    "Dataset",
    "DatasetError",
    "DateLike",
    "Division",
    "Doubt",
    "Entity",
    "Family",
    "FrameworkNation",
    "Holder",
    "Holds",
    "Key",
    "LastAttestation",
    "Location",
    "MemberState",
    "Mission",
    "NatostructError",
    "NoDatasetError",
    "Note",
    "PartialDate",
    "Partnership",
    "Period",
    "Post",
    "Problem",
    "Record",
    "Relation",
    "ReportingLine",
    "Results",
    "Source",
    "StaffCount",
    "UnknownKeyError",
    "Vacancy",
    "__version__",
    "chain_of_command",
    "current",
    "dataset",
    "get",
    "load",
    "members",
    "search",
]

# The one place the version is written: the build backend reads it from here.
__version__: Final = "0.2.0"
#: The day the bundled data was last checked against its sources.
DATA_AS_OF: Final = dt.date(2026, 12, 2)

_T = TypeVar("_T")
_MISSING: Final[Any] = object()
_lock = _threading.Lock()
_default: Dataset | None = None


def dataset() -> Dataset:
    """The bundled Dataset: the whole history, every entity that ever existed.

    Loaded on the first call, once, even when many threads call at once.
    """
    found = _default
    if found is None:
        found = _load_default()
    return found


def _load_default() -> Dataset:
    global _default  # noqa: PLW0603 (the one lazily built default)
    with _lock:
        if _default is None:
            from natostruct import bundle  # noqa: PLC0415 (cattrs only when loading)

            _default = bundle.load()
        return _default


def _clear_cache() -> None:
    """Forget the loaded default Dataset (for tests)."""
    global _default  # noqa: PLW0603
    with _lock:
        _default = None


def load(*paths: AnyPath, base: Dataset | None = None) -> Dataset:
    """Load data files into a new Dataset; with ``base``, extend a copy of it.

    A path is a ``str``, ``bytes`` or path-like object naming a regular file
    of at most ``natostruct.loader.MAX_FILE_BYTES`` (1 GiB). A record whose
    id is already in ``base`` replaces that record; two records with one id
    in the files given are an error. ``base`` must be a whole Dataset, not an
    ``as_of`` view: load onto the whole Dataset and take ``as_of``
    afterwards. Nothing is changed when loading fails.

    Raises:
        DatasetError: every problem found, each as ``FILE: RECORD: FIELD: REASON``;
            a path that is missing, not a regular file, too large or not a
            valid path (a NUL character) is one of them.
        TypeError: a path is not a ``str``, ``bytes`` or path-like object
            (an int, None), or ``base`` is not a Dataset.
        ValueError: ``base`` is an ``as_of`` view.
    """
    from natostruct import loader  # noqa: PLC0415 (cattrs only when loading)

    return loader.load(*paths, base=base)


def current() -> Dataset:
    """The bundled Dataset as of today: ``dataset().as_of(date.today())``."""
    return dataset().as_of(dt.date.today())


@overload
def get(key: Key) -> Entity: ...
@overload
def get(key: Key, default: _T) -> Entity | _T: ...


def get(key: Key, default: Any = _MISSING) -> Any:
    """The entity an id, abbreviation, alias, name or HQ city names.

    See :meth:`Dataset.get`. Raises :class:`UnknownKeyError` (a ``KeyError``)
    when nothing or several entities answer and no ``default`` is given.
    """
    found = _default
    if found is None:
        found = _load_default()
    if default is _MISSING:
        return found.get(key)
    return found.get(key, default)


def search(text: str, limit: int = 10) -> Results[Entity]:
    """Entities matching ``text``, best first; tolerates typos."""
    return dataset().search(text, limit)


def members(as_of: DateLike | None = None) -> Results[MemberState]:
    """Member states on a day (default today), by accession date then country."""
    return dataset().members(as_of)


def chain_of_command(key: Key) -> Results[Entity]:
    """The entity, its parent, and so on up to the North Atlantic Council."""
    return dataset().chain_of_command(key)


# Entities as attributes (PEP 562): the seed ids that are Python identifiers,
# and the hyphenated ones with underscores.
_SHORTCUTS: Final = frozenset(
    {
        "nac", "secgen", "dppc", "npg", "mc", "ims", "jisd", "nso", "nds", "sitcen",
        "aco", "act", "jwc", "jftc", "jallc", "jfc_brunssum", "jfc_naples",
        "jfc_norfolk", "jsec", "aircom", "landcom", "marcom", "ncsa", "eums", "mpcc",
        "usnato",
    }
)  # fmt: skip


#: Submodules a user may reach as attributes; each is imported on first use.
_SUBMODULES: Final = frozenset(
    {"changes", "display", "export", "people", "plot", "posts", "reprs", "tree"}
)


def __getattr__(name: str) -> Any:
    if name == "Change":  # imported on first use: most sessions never diff
        from natostruct.changes import Change  # noqa: PLC0415

        return Change
    if name in _SUBMODULES:  # natostruct.display works without importing it first
        import importlib  # noqa: PLC0415

        return importlib.import_module(f"natostruct.{name}")
    if name in _SHORTCUTS:
        return dataset().get(name.replace("_", "-"))
    msg = f"module 'natostruct' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*__all__, *_SHORTCUTS})
