"""SVG export: the DOT chart drawn by Graphviz's ``dot``, sized to a notebook column.

The library draws nothing itself: it runs the ``dot`` program, which must be
installed (``apt-get install graphviz``, ``brew install graphviz``, or
https://graphviz.org/download/). The chart is scaled down to at most
:data:`WIDTH_INCHES` wide, about 900 pixels.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
from typing import TYPE_CHECKING, Final

from natostruct.export import dot

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["TIMEOUT_SECONDS", "WIDTH_INCHES", "render"]

#: The widest the chart is drawn, in inches (Graphviz's unit): 670 points, about 900 pixels.
WIDTH_INCHES: Final = 9.3
#: How long ``dot`` may take before the drawing is given up.
TIMEOUT_SECONDS: Final = 120


def render(ds: Dataset) -> str:
    """The SVG text of the chart of ``ds``.

    Raises:
        FileNotFoundError: Graphviz's ``dot`` program is not installed.
        RuntimeError: ``dot`` failed, or took longer than :data:`TIMEOUT_SECONDS`.
    """
    program = shutil.which("dot")
    if program is None:
        msg = (
            "drawing a chart needs Graphviz's dot program: install graphviz "
            "(apt-get install graphviz, brew install graphviz, or https://graphviz.org/download/)"
        )
        raise FileNotFoundError(errno.ENOENT, msg, "dot")
    try:
        # The DOT text comes from the library, never a shell: the arguments are a list.
        done = subprocess.run(  # noqa: S603
            [program, "-Tsvg", f"-Gsize={WIDTH_INCHES},1000"],
            input=dot.render(ds).encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        msg = f"dot took more than {TIMEOUT_SECONDS} s to draw the chart"
        raise RuntimeError(msg) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        msg = f"dot failed: {reason[0] if reason else f'exit code {done.returncode}'}"
        raise RuntimeError(msg)
    return done.stdout.decode("utf-8")
