"""Draw the pictures the guide shows, into docs/pictures/.

Run from the repository root after a change to the charts or displays:
``python tasks/make_pictures.py``. The matplotlib charts need the plot extra;
the organisation chart Graphviz's ``dot``; the pictures of the notebook
displays a headless Chromium (``chromium`` on the PATH), and are skipped
without one.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import tempfile

import matplotlib as mpl

mpl.use("Agg")

import natostruct
from natostruct import plot
from natostruct.display import entity_html, tree_html

OUT = pathlib.Path(__file__).parent.parent / "docs" / "pictures"
DAY = "2025-12-31"


def _save(ax: object, name: str) -> None:
    figure = ax.figure  # type: ignore[attr-defined]
    figure.savefig(OUT / name, dpi=100, bbox_inches="tight")
    mpl.pyplot.close(figure)


def _screenshot(html: str, name: str, height: int) -> None:
    browser = shutil.which("chromium")
    if browser is None:
        print(f"skipped {name}: no chromium")
        return
    with tempfile.TemporaryDirectory() as scratch:
        page = pathlib.Path(scratch) / "page.html"
        page.write_text(
            f"<html><meta charset='utf-8'><body style='width:860px'>{html}</body></html>",
            encoding="utf-8",
        )
        # The arguments are a list of our own: no shell, no user input.
        subprocess.run(  # noqa: S603
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={scratch}/profile",
                f"--screenshot={OUT / name}",
                f"--window-size=900,{height}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> None:
    """Write every picture."""
    OUT.mkdir(exist_ok=True)
    ds = natostruct.dataset()
    view = ds.as_of(DAY)
    _save(plot.holders(ds, "SACLANT"), "holders.png")
    _save(plot.lifespans(ds.children("aco")[:25]), "lifespans.png")
    _save(plot.members(ds.members(DAY)), "members.png")
    _save(plot.hq_map(view), "hq_map.png")
    (OUT / "chart.svg").write_text(view.subset("act").to_svg(), encoding="utf-8")
    _screenshot(tree_html(ds.as_of("1965-06-01").subset("mc")), "tree.png", 700)
    _screenshot(entity_html(ds.get("aco")), "card.png", 720)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
