"""Exports: the Dataset as text in a file format, one module per format.

``export(ds, "dot")`` dispatches to :mod:`natostruct.export.dot` and so on.
The DataFrame and networkx integrations live here too
(:mod:`~natostruct.export.frame`, :mod:`~natostruct.export.graph`) but are
imported only when called, so ``import natostruct`` never imports pandas or
networkx.

>>> import natostruct
>>> export(natostruct.dataset().as_of("2025-12-31"), "mermaid").splitlines()[0]
'flowchart TD'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Final, Literal, get_args

from natostruct.text import quote

if TYPE_CHECKING:
    from natostruct.dataset import Dataset

__all__ = ["FORMATS", "ExportFormat", "export"]

#: The text formats :func:`export` writes.
ExportFormat = Literal["json", "csv", "geojson", "dot", "mermaid", "svg", "html"]
#: Their names, in the order the CLI lists them.
FORMATS: Final[tuple[str, ...]] = get_args(ExportFormat)


def export(ds: Dataset, format: str) -> str:  # noqa: A002 (the CLI's word)
    """The Dataset as text in ``format``: json, csv, geojson, dot, mermaid, svg or html.

    ``svg`` runs Graphviz's ``dot`` program (see :mod:`natostruct.export.svg`);
    ``html`` is the interactive explorer (:mod:`natostruct.export.html`).

    Raises:
        ValueError: an unknown format.
        FileNotFoundError: ``svg`` without Graphviz installed.
        RuntimeError: ``svg`` when Graphviz fails or takes too long.
    """
    if format not in FORMATS:
        msg = f"expected format to be one of {', '.join(FORMATS)}, got {quote(format)}"
        raise ValueError(msg)
    module = import_module(f"natostruct.export.{format}")
    text: str = module.render(ds)
    return text
