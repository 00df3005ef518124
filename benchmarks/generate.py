"""Generate a synthetic order-of-battle data file of N units, deterministically.

The tree is built breadth first with the smallest fan-out that fits N units
into six levels (1k units: fan-out 4; 10k: 7; 100k: 10), so every size has the
depth of a real order of battle: a council, commands, component commands,
corps, divisions, brigades. Every unit has a location with coordinates, a
leading post with two holders one after the other, an established date, one or
two reporting lines (every tenth unit moved from a sibling of its parent), a
former name for every seventh unit, and a source, cited by key from the
file's sources table (data format 2). One unit in twenty was disestablished,
so ``as_of`` views differ from the whole history.

Usage::

    python benchmarks/generate.py 10000 -o /tmp/oob-10k.json [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

__all__ = ["DEPTH", "fan_out", "generate", "generate_document", "write"]

#: Levels of the generated tree (the root is level 1).
DEPTH = 6

_COUNTRIES = (
    ("BE", "Brussels", 50.85, 4.35),
    ("NL", "Brunssum", 50.95, 5.97),
    ("IT", "Naples", 40.85, 14.27),
    ("US", "Norfolk", 36.85, -76.29),
    ("DE", "Ramstein", 49.44, 7.60),
    ("GB", "Northwood", 51.61, -0.42),
    ("TR", "Izmir", 38.42, 27.14),
    ("NO", "Stavanger", 58.97, 5.73),
    ("PL", "Bydgoszcz", 53.12, 18.01),
    ("ES", "Madrid", 40.42, -3.70),
    ("FR", "Lille", 50.63, 3.06),
    ("GR", "Larissa", 39.64, 22.42),
    ("PT", "Lisbon", 38.72, -9.14),
    ("RO", "Bucharest", 44.43, 26.10),
    ("LT", "Vilnius", 54.69, 25.28),
    ("CA", "Ottawa", 45.42, -75.70),
)
_REGIONS = (
    "Northern", "Southern", "Eastern", "Western", "Central", "Atlantic", "Baltic",
    "Mediterranean", "Arctic", "Alpine", "Coastal", "Continental",
)  # fmt: skip
_FUNCTIONS = (
    "Joint", "Air", "Maritime", "Land", "Signals", "Logistics", "Engineer",
    "Intelligence", "Medical", "Training", "Support", "Cyber", "Space", "Special Operations",
)  # fmt: skip
_ECHELONS = ("Council", "Command", "Component Command", "Corps", "Division", "Brigade")
_KINDS = ("body", "command", "command", "command", "division", "division")
_RANKS = ("General", "Lieutenant General", "Major General", "Brigadier General", "Colonel")
_GIVEN = ("Anna", "Piet", "Marco", "Sofia", "Jan", "Elena", "Tomas", "Ingrid", "Luis", "Ayse")
_FAMILY = ("Jansen", "Rossi", "Nowak", "Smith", "Larsen", "Dubois", "Silva", "Yilmaz", "Popescu")


def fan_out(n: int, depth: int = DEPTH) -> int:
    """The smallest fan-out whose complete tree of ``depth`` levels holds ``n`` units."""
    fan = 2
    while sum(fan**level for level in range(depth)) < n:
        fan += 1
    return fan


def _level(index: int, fan: int) -> int:
    """The level (1 = root) of the unit at breadth-first position ``index``."""
    level, first, width = 1, 0, 1
    while index >= first + width:
        first += width
        width *= fan
        level += 1
    return level


def _source(i: int) -> dict[str, Any]:
    return {
        "title": f"Order of battle, unit {i}",
        "quality": "secondary",
        "url": f"https://example.invalid/oob/unit-{i}",
    }


def _unit(i: int, parent: int | None, level: int, fan: int, rng: random.Random) -> dict[str, Any]:
    region = _REGIONS[rng.randrange(len(_REGIONS))]
    function = _FUNCTIONS[rng.randrange(len(_FUNCTIONS))]
    echelon = _ECHELONS[level - 1]
    name = f"{region} {function} {echelon} {i}"
    abbreviation = "".join(w[0] for w in f"{region} {function} {echelon}".split()) + str(i)
    country, city, lat, lon = _COUNTRIES[rng.randrange(len(_COUNTRIES))]
    established = rng.randrange(1950, 2010)
    first, second = (f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}" for _ in range(2))
    change = f"{rng.randrange(2012, 2022)}-{rng.randrange(1, 13):02d}-01"
    record: dict[str, Any] = {
        "kind": _KINDS[level - 1],
        "id": f"unit-{i}",
        "name": name,
        "abbreviation": abbreviation,
        "category": echelon.lower(),
        "location": {
            "country": country,
            "city": city,
            "site": f"{city} Barracks {i % 97}",
            "latitude": round(lat + rng.uniform(-0.5, 0.5), 4),
            "longitude": round(lon + rng.uniform(-0.5, 0.5), 4),
            "basis": "site",
            "sources": [f"unit-{i}"],
        },
        "established": f"{established}-{rng.randrange(1, 13):02d}",
        "posts": [
            {
                "title": f"Commander, {name}",
                "abbreviation": f"COM {abbreviation}",
                "leading": True,
                "holders": [
                    {
                        "name": first,
                        "rank": _RANKS[min(level, len(_RANKS)) - 1],
                        "nationality": country,
                        "start": f"{rng.randrange(2005, 2012)}-07-01",
                        "end": change,
                    },
                    {
                        "name": second,
                        "rank": _RANKS[min(level, len(_RANKS)) - 1],
                        "nationality": country,
                        "start": change,
                    },
                ],
            }
        ],
        "sources": [f"unit-{i}"],
    }
    if parent is not None:
        record["parent_id"] = f"unit-{parent}"
        lines = [{"parent_id": f"unit-{parent}", "start": record["established"]}]
        # Every tenth unit moved in 2003 from a sibling of its parent.
        if i % 10 == 0 and parent > 0 and established < 2003:
            former = parent + 1 if (parent - 1) % fan < fan - 1 else parent - 1
            lines = [
                {
                    "parent_id": f"unit-{former}",
                    "start": record["established"],
                    "end": "2003-06-19",
                },
                {"parent_id": f"unit-{parent}", "start": "2003-06-19"},
            ]
        record["reporting_lines"] = lines
    if i % 7 == 3:
        record["aliases"] = [
            {
                "name": f"{region} {echelon} {i}",
                "kind": "former",
                "start": record["established"],
                "end": str(established + 5),
            }
        ]
    if i % 20 == 19 and level == DEPTH:
        record["disestablished"] = f"{rng.randrange(2011, 2024)}"
    return record


def generate(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` unit records, breadth first from the root ``unit-0``."""
    rng = random.Random(seed)
    fan = fan_out(n)
    return [
        _unit(i, None if i == 0 else (i - 1) // fan, _level(i, fan), fan, rng) for i in range(n)
    ]


def generate_document(n: int, seed: int = 1) -> dict[str, Any]:
    """A whole data file: ``{"format_version": 2, "sources": {...}, "records": [...]}``."""
    records = generate(n, seed)
    return {
        "format_version": 2,
        "sources": {f"unit-{i}": _source(i) for i in range(n)},
        "records": records,
    }


def write(path: str | Path, n: int, seed: int = 1) -> Path:
    """Write the data file of ``n`` units to ``path`` (compact JSON, UTF-8)."""
    path = Path(path)
    text = json.dumps(generate_document(n, seed), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of units")
    parser.add_argument("-o", "--output", required=True, help="where to write the data file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = write(args.output, args.n, args.seed)
    print(f"wrote {args.n} units (fan-out {fan_out(args.n)}) to {path}")


if __name__ == "__main__":
    main()
