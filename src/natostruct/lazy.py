"""A mapping whose keys are known at once and whose values are built on first access."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, ItemsView, Iterable, Iterator, ValuesView

__all__ = ["LazyMapping"]

_K = TypeVar("_K")
_V = TypeVar("_V")


class LazyMapping(Mapping[_K, _V]):
    """``keys`` (in their order) to ``make(key)``, each made once, when first read.

    Reading every value (``values()``, ``items()``) makes the rest. Of two
    threads making one value at once, both get the value stored first.
    """

    __slots__ = ("_built", "_complete", "_keys", "_make")

    def __init__(self, keys: Iterable[_K], make: Callable[[_K], _V]) -> None:
        self._keys = dict.fromkeys(keys)
        self._built: dict[_K, _V] = {}
        self._complete = False
        self._make = make

    def __getitem__(self, key: _K) -> _V:
        found = self._built.get(key)
        if found is None:
            if key not in self._keys:
                raise KeyError(key)
            found = self._built.setdefault(key, self._make(key))
        return found

    def get(self, key: _K, default: Any = None) -> Any:
        """The value of ``key`` (made now if need be), or ``default`` for a key not held."""
        found = self._built.get(key)
        if found is not None:
            return found
        return self[key] if key in self._keys else default

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[_K]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def values(self) -> ValuesView[_V]:
        """Every value, all made now."""
        return self._whole().values()

    def items(self) -> ItemsView[_K, _V]:
        """Every (key, value) pair, all made now."""
        return self._whole().items()

    def built(self) -> tuple[_K, ...]:
        """The keys whose values have been made so far."""
        return tuple(self._built)

    def _whole(self) -> dict[_K, _V]:
        if not self._complete:
            self._built = {key: self[key] for key in self._keys}
            self._complete = True
        return self._built
