"""Lookup keys stay put: a key that named an entity before the history data still names it.

``fixtures/keys-0.2-before-history.json`` holds every name, abbreviation, alias
and seat that resolved before the past commands and bodies were added, with the
id it gave (null for a key that was already ambiguous). New records may add
keys, but may not take one over silently: each change is listed here, and in
the CHANGELOG, with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import natostruct
from natostruct import AmbiguousKeyError, UnknownKeyError

BEFORE: Final[dict[str, str | None]] = json.loads(
    (Path(__file__).parent / "fixtures" / "keys-0.2-before-history.json").read_text(
        encoding="utf-8"
    )
)

#: Keys that now give another answer, and why (the CHANGELOG's Data section says the same).
CHANGED: Final[dict[str, str | None]] = {
    # The Fontainebleau command of 1951-1967 bears AAFCE as its own abbreviation;
    # aircom bore the name from 1974 to 1993 and keeps it as a former name.
    "AAFCE": "aafce",
    "Allied Air Forces Central Europe": "aafce",
    # Two seats of the past: the Standing Group and the Military Representatives Committee.
    "Washington": None,
}


def answer(key: str) -> str | None:
    """The id a key gives, or None where it is ambiguous."""
    try:
        return natostruct.get(key).id
    except AmbiguousKeyError:
        return None


def test_every_earlier_key_gives_the_same_answer() -> None:
    moved: dict[str, str | None] = {}
    for key, before in BEFORE.items():
        try:
            now = answer(key)
        except UnknownKeyError:
            moved[key] = "unknown"
            continue
        if now != CHANGED.get(key, before):
            moved[key] = now
    assert moved == {}


def test_the_changed_keys_did_change() -> None:
    """Each listed change is a real one, so the list cannot outlive its reason."""
    assert all(BEFORE[key] != now for key, now in CHANGED.items())
    assert natostruct.get("AIRNORTH").id == "aircom"
