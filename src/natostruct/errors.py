"""The exceptions natostruct raises, each also the built-in a caller expects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from natostruct.reprs import compact
from natostruct.text import quote

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from natostruct.dates import Period

__all__ = [
    "AmbiguousKeyError",
    "DatasetError",
    "NatostructError",
    "NoDatasetError",
    "Problem",
    "UnknownKeyError",
]


class NatostructError(Exception):
    """Root of every error natostruct raises on purpose."""


@compact("file", "record", "field", "reason", "line")
@attrs.frozen(repr=False)
class Problem:
    """One thing wrong in a data file.

    ``record`` is the record's id, or ``"#3"`` (its index in ``records``) where
    it has none, or None for a problem with the whole file. ``field`` is a
    dotted path inside the record (``posts[0].holders[1].start``) or None.
    ``line`` and ``column`` are set for syntax errors.
    """

    file: str
    record: str | None
    field: str | None
    reason: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where}:{self.line}:{self.column}"
        parts = (where, self.record or "-", self.field or "-", self.reason)
        # One problem, one line: a newline inside a key or value is escaped.
        return ": ".join(part.replace("\n", "\\n").replace("\r", "\\r") for part in parts)

    def to_dict(self) -> dict[str, str | int | None]:
        """The problem as JSON-ready data (the CLI's ``validate --json`` form)."""
        return {
            "file": self.file,
            "record": self.record,
            "field": self.field,
            "reason": self.reason,
            "line": self.line,
            "column": self.column,
        }


class DatasetError(NatostructError, ValueError):
    """Data files could not be loaded; :attr:`problems` says every reason.

    The message lists the problems one per line as
    ``FILE: RECORD: FIELD: REASON``.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__("\n".join([head, *map(str, self.problems)]))

    def __reduce__(self) -> tuple[type[DatasetError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))


class UnknownKeyError(NatostructError, KeyError):
    """No entity answers to a key (or, as :class:`AmbiguousKeyError`, several do).

    :attr:`key` is what was asked, whole; the message quotes at most its first
    80 characters. :attr:`candidates` are the near matches (for an
    unknown key) or the entities that all answer to it (for an ambiguous one).
    On an ``as_of`` view, :attr:`existed_period` is when the entity the key
    names did exist, if it ever did, and :attr:`existed` says so in words.
    """

    key: object
    candidates: tuple[str, ...]
    as_of: str | None
    existed: str | None
    existed_period: Period | None
    #: What was looked for: ``"entity"``, or ``"member state"`` for :meth:`Dataset.member`.
    what: str

    def __init__(
        self,
        key: object,
        candidates: Sequence[str] = (),
        *,
        as_of: str | None = None,
        existed: str | None = None,
        existed_period: Period | None = None,
        what: str = "entity",
    ) -> None:
        self.key = key
        self.candidates = tuple(candidates)
        self.as_of = as_of
        self.existed = existed
        self.existed_period = existed_period
        self.what = what
        super().__init__(self._message())

    @property
    def ambiguous(self) -> bool:
        """Whether several entities answer to the key (an :class:`AmbiguousKeyError`)."""
        return False

    def _message(self) -> str:
        listed = ", ".join(self.candidates)
        when = f" on {self.as_of}" if self.as_of else ""
        text = f"no {self.what} {quote(self.key)}{when}"
        if self.existed:
            return f"{text}: {self.existed}"
        return f"{text}; did you mean {listed}?" if listed else text

    def __str__(self) -> str:
        # KeyError's own __str__ would repr() the message and add quotes.
        return self._message()

    def __reduce__(self) -> tuple[object, ...]:
        fields = {
            "as_of": self.as_of,
            "existed": self.existed,
            "existed_period": self.existed_period,
            "what": self.what,
        }
        return (_rebuild, (type(self), self.key, self.candidates, fields))


class AmbiguousKeyError(UnknownKeyError):
    """Several entities answer to a key; :attr:`candidates` lists them all."""

    @property
    def ambiguous(self) -> bool:
        """Always true: several entities answer to the key."""
        return True

    def _message(self) -> str:
        return f"{quote(self.key)} is ambiguous: it names {', '.join(self.candidates)}"


class NoDatasetError(NatostructError, LookupError):
    """A record built by hand was asked for a relation only a Dataset can resolve."""

    def __init__(self, ident: str) -> None:
        self.id = ident
        super().__init__(f"{quote(ident)} belongs to no Dataset; use Dataset.parent() etc.")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.id,))


def _rebuild(
    cls: type[UnknownKeyError],
    key: object,
    candidates: tuple[str, ...],
    fields: dict[str, object],
) -> UnknownKeyError:
    return cls(key, candidates, **fields)  # type: ignore[arg-type]
