"""The one cattrs converter between records and JSON-ready data.

Rules it applies, in both directions unless said:

- :class:`PartialDate` <-> ISO string at its own precision (``"2004-03"``).
- ``str``, ``int``, ``float`` and ``bool`` fields take exactly that JSON type;
  nothing is coerced (``"5"`` is not an int, ``0`` is not a bool, ``1`` is
  not a string). An ``int`` is accepted where a ``float`` is expected.
- Tuples <-> JSON arrays; a string is never taken for an array.
- A record <-> an object whose ``kind`` names its class; unknown keys are an
  error (``forbid_extra_keys``), and fields at their default are left out when
  unstructuring, so data files stay short and reviewable.
- ``Literal`` fields accept only their listed values.
- A :class:`Source` may be cited by its key in the file's sources table
  (format 2): inside :func:`citing`, a string where a source belongs is looked
  up in the table given, and a source is written as the key given for it.
  Outside it, a source is always a whole object.

Use :func:`make_converter` for a fresh converter; the library uses the single
:data:`CONVERTER` built from it. :func:`check_record` applies the same rules
to a record built in Python (``Dataset(records)``).
"""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager
from contextvars import ContextVar
from types import UnionType
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import AttributeValidationNote, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from natostruct.dates import PartialDate
from natostruct.model import RECORD_KINDS, Record, Source

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

__all__ = [
    "CONVERTER",
    "check_record",
    "citing",
    "configure_converter",
    "make_converter",
    "structure_record",
]

_T = TypeVar("_T")


def _strict(kind: type[_T], name: str) -> Any:
    def hook(value: object, _type: object) -> _T:
        if type(value) is kind:  # what JSON gives: the fast path
            return value
        # bool is an int subclass; a flag is never a count.
        if isinstance(value, kind) and not (kind is not bool and isinstance(value, bool)):
            return value
        msg = f"expected {name}, got {type(value).__name__} {_short(value)}"
        raise TypeError(msg)

    return hook


def _string(value: object, _type: object) -> str:
    if type(value) is str and value.isascii():  # most text: nothing to check
        return value
    if not isinstance(value, str):
        msg = f"expected a string, got {type(value).__name__} {_short(value)}"
        raise TypeError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        # JSON's \ud800 escapes decode to lone surrogates, which no file can hold.
        msg = f"expected a string of Unicode characters, got a lone surrogate at {exc.start}"
        raise ValueError(msg) from None
    return value


def _is_literal(type_: Any) -> bool:
    return get_origin(type_) is Literal


def _literal_hook(type_: Any) -> Any:
    allowed: tuple[str, ...] = get_args(type_)

    def hook(value: object, _type: object) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        listed = ", ".join(map(repr, allowed))
        msg = f"expected one of {listed}, got {type(value).__name__} {_short(value)}"
        raise ValueError(msg)

    return hook


def _is_record_class(type_: Any) -> bool:
    return attrs.has(type_) and type_ is not PartialDate


def _float(value: object, _type: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    msg = f"expected a number, got {type(value).__name__} {_short(value)}"
    raise TypeError(msg)


def _date(value: object, _type: object) -> PartialDate:
    if not isinstance(value, str):
        msg = f"expected a date string YYYY[-MM[-DD]], got {type(value).__name__} {_short(value)}"
        raise TypeError(msg)
    return _parse_date(value)


# PartialDates are immutable values, and data files repeat the same few dates.
_parse_date: Final = functools.lru_cache(maxsize=4096)(PartialDate.parse)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."  # noqa: PLR2004


def _is_tuple(type_: Any) -> bool:
    return getattr(type_, "__origin__", None) is tuple


def _is_optional(type_: Any) -> bool:
    args = getattr(type_, "__args__", ())
    return (
        getattr(type_, "__origin__", type(type_)) in (Union, UnionType)
        and len(args) == 2  # noqa: PLR2004 (X | None)
        and type(None) in args
    )


def _tuple_factory(
    converter: cattrs.Converter,
    array: type[list[Any] | tuple[Any, ...]] = list,
    expected: str = "an array",
) -> Any:
    """The factory of the hooks for ``tuple[X, ...]``: an ``array`` of X, every item checked.

    A JSON array is a list; a record built in Python holds a tuple.
    """

    def tuple_factory(type_: Any) -> Any:
        item = type_.__args__[0]
        # The item's hook is looked up (and for a record class generated) on
        # first use: a first answer then compiles only the classes it meets.
        handlers: list[Any] = []

        def hook(value: object, _type: object) -> tuple[Any, ...]:
            if not isinstance(value, array):
                msg = f"expected {expected}, got {type(value).__name__} {_short(value)}"
                raise TypeError(msg)
            if not value:
                return ()
            if not handlers:
                handlers.append(converter.get_structure_hook(item))
            handler = handlers[0]
            try:
                return tuple([handler(element, item) for element in value])
            except Exception:  # noqa: BLE001, S110 (done again below, item by item)
                pass
            items: list[Any] = []
            errors: list[Exception] = []
            for index, element in enumerate(value):
                try:
                    items.append(handler(element, item))
                except Exception as exc:  # noqa: BLE001 (collected, re-raised as a group)
                    note = IterableValidationNote(f"item {index}", index, item)
                    _add_note(exc, note)
                    errors.append(exc)
            if errors:
                msg = "invalid items"
                raise cattrs.IterableValidationError(msg, errors, type_)
            return tuple(items)

        return hook

    return tuple_factory


def configure_converter(converter: cattrs.Converter) -> None:
    """Register natostruct's hooks on ``converter`` (see the module docstring)."""
    converter.register_structure_hook(str, _string)
    converter.register_structure_hook(int, _strict(int, "an integer"))
    converter.register_structure_hook(bool, _strict(bool, "true or false"))
    converter.register_structure_hook(float, _float)
    converter.register_structure_hook(PartialDate, _date)
    converter.register_unstructure_hook(PartialDate, str)

    converter.register_structure_hook_factory(_is_tuple, _tuple_factory(converter))
    converter.register_structure_hook_factory(_is_literal, _literal_hook)

    def object_factory(type_: Any) -> Any:
        fields = make_dict_structure_fn(type_, converter)

        def hook(value: object, _type: object) -> Any:
            if type(value) is dict or isinstance(value, dict):
                return fields(value, type_)
            msg = f"expected an object, got {type(value).__name__} {_short(value)}"
            raise TypeError(msg)

        return hook

    converter.register_structure_hook_factory(_is_record_class, object_factory)

    def optional_factory(type_: Any) -> Any:
        # cattrs looks the inner type's hook up at every call; look it up once, on first use.
        inner = next(arg for arg in type_.__args__ if arg is not type(None))
        handlers: list[Any] = []
        if inner is str:
            # Optional text is the commonest field: answer inline, no second call.
            def text(value: object, _type: object) -> Any:
                if value is None or (type(value) is str and value.isascii()):
                    return value
                return _string(value, str)

            return text

        def hook(value: object, _type: object) -> Any:
            if value is None:
                return None
            if not handlers:  # looked up on first use, as for tuples
                handlers.append(converter.get_structure_hook(inner))
            return handlers[0](value, inner)

        return hook

    converter.register_structure_hook_factory(_is_optional, optional_factory)

    # Generated on first use: loading data never unstructures, and generating
    # these at import time costs a cold start about 10-20 ms.
    def unstructure_factory(cls: Any) -> Any:
        fn = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)
        return _with_kind(cls.kind, fn)

    converter.register_unstructure_hook_factory(
        lambda type_: type_ in _RECORD_CLASSES, unstructure_factory
    )
    _configure_sources(converter)


def _configure_sources(converter: cattrs.Converter) -> None:
    """Let a source be cited by its key, inside :func:`citing` (format 2)."""
    whole_source = converter.get_structure_hook(Source)

    def source(value: object, _type: object) -> Source:
        if type(value) is not str:
            result: Source = whole_source(value, Source)
            return result
        table = _CITATIONS.get()[0]
        if table is None:
            msg = f"a source cited by key ({_short(value)}) needs a file of format 2"
            raise ValueError(msg)
        found = table.get(value)
        if found is None:
            msg = f"no source {_short(value)} in the file's sources table"
            raise ValueError(msg)
        return found

    converter.register_structure_hook(Source, source)

    whole: list[Callable[[Source], dict[str, Any]]] = []

    def unstructure_source(value: Source) -> str | dict[str, Any]:
        key_of = _CITATIONS.get()[1]
        if key_of is not None:
            return key_of(value)
        if not whole:  # generated on first use, like the record hooks
            fn = make_dict_unstructure_fn(Source, converter, _cattrs_omit_if_default=True)
            whole.append(fn)
        return whole[0](value)

    converter.register_unstructure_hook(Source, unstructure_source)


#: While a file is read or written: its sources table (key to source) and the
#: function naming the key of a source to write. Context-local, so that threads
#: loading different files at once do not see each other's tables.
_CITATIONS: Final[
    ContextVar[tuple[Mapping[str, Source] | None, Callable[[Source], str] | None]]
] = ContextVar("natostruct_citations", default=(None, None))


@contextmanager
def citing(
    table: Mapping[str, Source] | None = None, key_of: Callable[[Source], str] | None = None
) -> Iterator[None]:
    """Within the block, read source keys from ``table``; write sources as ``key_of`` names them."""
    token = _CITATIONS.set((table, key_of))
    try:
        yield
    finally:
        _CITATIONS.reset(token)


_RECORD_CLASSES: Final = frozenset(RECORD_KINDS.values())


def _with_kind(kind: str, fn: Any) -> Any:
    def unstructure(record: Any) -> dict[str, Any]:
        return {"kind": kind, **fn(record)}

    return unstructure


def _add_note(exc: Exception, note: str) -> None:
    # Python 3.10 has no BaseException.add_note; cattrs reads __notes__ alike.
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]  # type: ignore[attr-defined]


def make_converter() -> cattrs.Converter:
    """A new converter with every natostruct rule registered."""
    converter = cattrs.Converter(
        forbid_extra_keys=True, omit_if_default=True, detailed_validation=True
    )
    configure_converter(converter)
    return converter


#: The converter the loader and the exports use.
CONVERTER: Final = make_converter()


def structure_record(raw: Mapping[str, Any]) -> Record:
    """Build a record from one ``records`` item: an object whose ``kind`` names its class.

    This is the one place that maps a ``kind`` to its record class.

    Raises:
        cattrs.ClassValidationError: no or unknown ``kind`` (an error noted with
            the field ``kind``), or fields that do not fit the record class.
    """
    kind = raw.get("kind")
    cls = RECORD_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        problem: Exception
        if kind is None:
            problem = KeyError("kind")  # what cattrs raises for a missing field
        else:
            known = ", ".join(sorted(RECORD_KINDS))
            problem = ValueError(f"expected one of {known}, got {_short(kind)}")
        _add_note(problem, AttributeValidationNote("kind", "kind", str))
        msg = "invalid record"
        raise cattrs.ClassValidationError(msg, [problem], dict)
    return CONVERTER.structure({k: v for k, v in raw.items() if k != "kind"}, cls)


def check_record(record: object) -> Record:
    """A new record with the fields of ``record``, each checked as a file's record is.

    The rules are :func:`structure_record`'s, each value taken in its Python
    form: a :class:`PartialDate` where a date is declared (not its text), a
    tuple where a tuple is, and an instance of the declared class where a
    record is. A list is refused where a tuple is declared, as a string is where an
    array is: a record holding a list could change after it was checked, and
    would not hash. An int where a float is declared becomes that float, as
    in a file. Every record inside is built afresh (the PartialDates and
    strings, immutable, are kept); ``record`` is not changed.

    Raises:
        TypeError: ``record`` is not a record.
        cattrs.ClassValidationError: fields that do not fit; each error is
            noted with its field, as :func:`structure_record` notes them.
    """
    cls = next((c for c in _RECORD_ORDER if isinstance(record, c)), None)
    if cls is None:
        names = [c.__name__ for c in _RECORD_ORDER]
        listed = f"{', '.join(names[:-1])} or {names[-1]}"
        msg = f"expected a {listed}, got {type(record).__name__}"
        raise TypeError(msg)
    checked: Record = _record_checker().structure(record, cls)
    return checked


_RECORD_ORDER: Final = tuple(RECORD_KINDS.values())


@functools.cache
def _record_checker() -> cattrs.Converter:
    """The converter for records built in Python; made on first use (a load never needs it)."""
    converter = make_converter()
    # Only the hooks of the values whose Python form is not their JSON form
    # change; registered later, they take precedence over the JSON ones.
    converter.register_structure_hook(PartialDate, _date_value)
    tuples = _tuple_factory(converter, tuple, "a tuple")
    converter.register_structure_hook_factory(_is_tuple, tuples)
    instances = _instance_factory(converter)
    converter.register_structure_hook_factory(_is_record_class, instances)
    converter.register_structure_hook(Source, instances(Source))  # not cited by key in Python
    return converter


def _date_value(value: object, _type: object) -> PartialDate:
    if isinstance(value, PartialDate):
        return value
    msg = f"expected a PartialDate, got {type(value).__name__} {_short(value)}"
    raise TypeError(msg)


def _instance_factory(converter: cattrs.Converter) -> Callable[[Any], Any]:
    """The factory of the hooks for a record class, in Python: an instance, every field checked."""

    def factory(type_: Any) -> Any:
        fields = make_dict_structure_fn(type_, converter)
        names = tuple(a.name for a in attrs.fields(type_) if a.init)
        name = type_.__name__
        expected = f"{'an' if name[0] in 'AEIOU' else 'a'} {name}"

        def hook(value: object, _type: object) -> Any:
            if not isinstance(value, type_):
                msg = f"expected {expected}, got {type(value).__name__} {_short(value)}"
                raise TypeError(msg)
            try:
                given = {field: getattr(value, field) for field in names}
            except AttributeError as exc:  # made without __init__: a slot never set
                msg = f"expected {expected}, got one with a field not set ({exc})"
                raise TypeError(msg) from None
            # The generated function reads the fields as a file gives them: by name.
            return fields(given, type_)

        return hook

    return factory


def is_finite(value: float | None) -> bool:
    """Whether a coordinate is a real number (JSON's NaN and Infinity are not)."""
    return value is None or math.isfinite(value)
