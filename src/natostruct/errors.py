"""The exceptions natostruct raises, each also the built-in a caller expects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["DatasetError", "NatostructError", "Problem", "UnknownKeyError"]


class NatostructError(Exception):
    """Root of every error natostruct raises on purpose."""


@attrs.frozen
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
    """No entity answers to a key, or several do.

    :attr:`key` is what was asked; :attr:`candidates` the near matches (for an
    unknown key) or the entities that all answer to it (for an ambiguous one).
    On an ``as_of`` view, :attr:`existed` says when the entity the key names
    did exist, if it ever did.
    """

    key: object
    candidates: tuple[str, ...]
    ambiguous: bool

    def __init__(
        self,
        key: object,
        candidates: Sequence[str] = (),
        *,
        ambiguous: bool = False,
        as_of: str | None = None,
        existed: str | None = None,
    ) -> None:
        self.key = key
        self.candidates = tuple(candidates)
        self.ambiguous = ambiguous
        self.as_of = as_of
        self.existed = existed
        super().__init__(self._message())

    def _message(self) -> str:
        listed = ", ".join(self.candidates)
        if self.ambiguous:
            return f"{self.key!r} is ambiguous: it names {listed}"
        when = f" on {self.as_of}" if self.as_of else ""
        text = f"no entity {self.key!r}{when}"
        if self.existed:
            return f"{text}: {self.existed}"
        return f"{text}; did you mean {listed}?" if listed else text

    def __str__(self) -> str:
        # KeyError's own __str__ would repr() the message and add quotes.
        return self._message()

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_unknown,
            (self.key, self.candidates, self.ambiguous, self.as_of, self.existed),
        )


def _rebuild_unknown(
    key: object,
    candidates: tuple[str, ...],
    ambiguous: bool,
    as_of: str | None,
    existed: str | None,
) -> UnknownKeyError:
    return UnknownKeyError(key, candidates, ambiguous=ambiguous, as_of=as_of, existed=existed)
