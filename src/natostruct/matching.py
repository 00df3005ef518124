"""Key normalisation and typo-tolerant ranking.

Lookups ignore case, accents, spaces, hyphens and punctuation:
"jfc brunssum", "JFC-Brunssum" and "jfcbrunssum" are one key, and so are
"Izmir" and "İzmir". Fuzzy search scores keys by shared character trigrams,
found through an inverted index so that a query touches only the keys that
share something with it.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = ["TrigramIndex", "normalise"]

# Letters NFKD does not take apart into a base letter and a mark.
_FOLD: Final = str.maketrans(
    {"ı": "i", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "æ": "ae"}
)


# What a key keeps once case-folded: ASCII letters and digits.
_NOT_KEPT: Final = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """The lookup form of a key: its letters and digits, case-folded, without accents.

    Latin letters lose their accents; letters of other scripts are kept as
    they are, so a name in Cyrillic or Japanese is found by its own text.
    Digits of any script become ASCII digits. A key with no letter or digit
    at all normalises to ``""``, which finds nothing.

    >>> normalise("JFC-Brunssum"), normalise("İzmir"), normalise("O&P")
    ('jfcbrunssum', 'izmir', 'op')
    >>> normalise("Брюссель"), normalise("北大西洋条約機構"), normalise("١٩٤٩"), normalise("!!!")
    ('брюссель', '北大西洋条約機構', '1949', '')
    """
    if text.isascii():  # most keys: nothing to decompose or fold
        return _NOT_KEPT.sub("", text.lower())
    return "".join(_kept(ch) for ch in _folded(text) if ch.isalnum())


def _folded(text: str) -> str:
    """``text`` decomposed, case-folded, and its unsplittable Latin letters spelt plainly.

    Case-folding comes before the spelling (so "Æ" and "æ" both give "ae")
    and is done again after a second decomposition, since folding can make
    a letter that decomposes; the result folds to itself.
    """
    once = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD)
    return unicodedata.normalize("NFKD", once).casefold()


def _kept(char: str) -> str:
    """A letter as it is, a digit of any script as its ASCII digit."""
    return str(unicodedata.decimal(char)) if char.isdecimal() else char


# Below this score the shared trigrams are coincidence.
_FLOOR: Final = 0.3
# A secondary key's score is lowered by this, more than any own key can score,
# so that it ranks after every id found by its own keys.
_BAND: Final = 10.0


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class TrigramIndex:
    """Rank ids by how well their keys match a query.

    ``keys`` maps each id to its normalised keys, most important first (the
    first key, e.g. the abbreviation or the name, earns a small bonus).
    ``secondary`` keys (an HQ city, the name of a person who held a post)
    are matched the same way, but an id found only by one ranks after every
    id found by its own keys.
    """

    __slots__ = ("_grams", "_keys", "_penalty", "_postings")

    def __init__(
        self,
        keys: Mapping[str, Iterable[str]],
        secondary: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        # Per key: (id, key), its trigram count, and what its score loses: a
        # little for each key before it in its id, the band for a secondary key.
        self._keys: list[tuple[str, str]] = []
        self._grams: list[int] = []
        self._penalty: list[float] = []
        self._postings: dict[str, list[int]] = {}
        for band, table in ((0.0, keys), (_BAND, secondary or {})):
            for ident, id_keys in table.items():
                for rank, key in enumerate(dict.fromkeys(k for k in id_keys if k)):
                    slot = len(self._keys)
                    grams = _trigrams(key)
                    self._keys.append((ident, key))
                    self._grams.append(len(grams))
                    self._penalty.append(band + 0.01 * rank)
                    for gram in grams:
                        self._postings.setdefault(gram, []).append(slot)

    def rank(self, query: str, limit: int) -> list[str]:
        """Ids whose keys best match ``query`` (already normalised), best first."""
        if not query or limit <= 0:
            return []
        grams = _trigrams(query)
        shared: dict[int, int] = {}
        for gram in grams:
            for slot in self._postings.get(gram, ()):
                shared[slot] = shared.get(slot, 0) + 1
        if not shared:
            return []
        # Keys sharing under half the best overlap cannot win on similarity,
        # and cannot hold the query whole; skip scoring them.
        cutoff = max(shared.values()) / 2
        best: dict[str, float] = {}
        size = len(grams)
        for slot, common in shared.items():
            if common < cutoff:
                continue
            ident, key = self._keys[slot]
            score = 2.0 * common / (size + self._grams[slot])
            if key == query:
                score += 3.0
            elif key.startswith(query):
                score += 1.0 + len(query) / len(key)
            elif query in key:
                score += 0.5 + len(query) / len(key)
            if score < _FLOOR:
                continue
            score -= self._penalty[slot]
            if ident not in best or score > best[ident]:
                best[ident] = score
        # Keep `limit` items without sorting every match: O(m log limit).
        ranked = heapq.nsmallest(limit, best.items(), key=_order)
        return [ident for ident, _ in ranked]


def _order(item: tuple[str, float]) -> tuple[float, str]:
    return (-item[1], item[0])
