"""Write the map outline the plot helpers draw: Natural Earth's countries, 1:110m.

Natural Earth (https://www.naturalearthdata.com/) is in the public domain. This
reads the shapefile of its "Admin 0 - Countries" at 1:110m (``.shp``, as
distributed, for example ``ne_110m_admin_0_countries.shp``), keeps the
polygons' rings inside the area NATO's headquarters lie in, rounds the
coordinates to a hundredth of a degree and writes them as JSON. Run from the
repository root::

    python tasks/make_outline.py path/to/ne_110m_admin_0_countries.shp
"""

from __future__ import annotations

import itertools
import json
import pathlib
import struct
import sys

OUT = pathlib.Path(__file__).parent.parent / "src" / "natostruct" / "mapdata" / "outline.json"
#: West, south, east, north, in degrees: North America to the Caspian, the Sahara to the Arctic.
AREA = (-130.0, 15.0, 65.0, 84.0)
POLYGON = 5


def rings(path: pathlib.Path) -> list[list[list[float]]]:
    """The rings of every polygon of a shapefile (ESRI's format: a header, then records)."""
    data = path.read_bytes()
    found: list[list[list[float]]] = []
    offset = 100
    while offset < len(data):
        _, length = struct.unpack(">ii", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + 2 * length]
        offset += 8 + 2 * length
        (shape,) = struct.unpack("<i", body[:4])
        if shape != POLYGON:
            continue
        parts, points = struct.unpack("<ii", body[36:44])
        starts = struct.unpack(f"<{parts}i", body[44 : 44 + 4 * parts])
        xy = struct.unpack(f"<{2 * points}d", body[44 + 4 * parts : 44 + 4 * parts + 16 * points])
        bounds = [*starts, points]
        for first, end in itertools.pairwise(bounds):
            ring = [[round(xy[2 * i], 2), round(xy[2 * i + 1], 2)] for i in range(first, end)]
            if any(_inside(lon, lat) for lon, lat in ring):
                found.append(ring)
    return found


def _inside(lon: float, lat: float) -> bool:
    west, south, east, north = AREA
    return west <= lon <= east and south <= lat <= north


def main(argv: list[str]) -> None:
    """Read the shapefile ``argv[0]`` names and write the outline."""
    if len(argv) != 1:
        raise SystemExit("usage: python tasks/make_outline.py COUNTRIES.shp")
    document = {
        "source": "Natural Earth, Admin 0 - Countries, 1:110m (public domain)",
        "url": "https://www.naturalearthdata.com/downloads/110m-cultural-vectors/",
        "area": AREA,
        "rings": rings(pathlib.Path(argv[0])),
    }
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(document['rings'])} rings)")


if __name__ == "__main__":
    main(sys.argv[1:])
