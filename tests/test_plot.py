"""The matplotlib charts (``natostruct.plot``): titled, labelled, a notebook column wide."""

from __future__ import annotations

import sys
from typing import Any

import pytest

import natostruct
from natostruct import plot

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

DS = natostruct.dataset()
MAX_WIDTH_PX = 900


def _checked(ax: Any) -> None:
    figure = ax.figure
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel() or ax.get_legend() is not None
    assert figure.get_figwidth() * figure.dpi <= MAX_WIDTH_PX
    matplotlib.pyplot.close(figure)


def test_holders() -> None:
    """One row per holder with a start; the bars cover each term from its first possible day."""
    ax = plot.holders(DS, "SACLANT")
    _, post = DS.post("SACLANT")
    placed = [h for h in post.holders if h.start is not None]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        h.name + (" (acting)" if h.acting else "") for h in placed
    ]
    starts = sorted({round(p.get_x()) for p in ax.patches})
    assert len(ax.patches) >= len(placed)
    assert starts
    _checked(ax)


def test_lifespans() -> None:
    entities = DS.children("aco")
    ax = plot.lifespans(entities)
    assert len(ax.get_yticklabels()) == len(entities)
    _checked(ax)


def test_members() -> None:
    states = DS.members()
    ax = plot.members(states)
    line = ax.get_lines()[0]
    assert list(line.get_ydata()) == list(range(1, len(states) + 1))
    _checked(ax)


def test_map_groups_a_city_once() -> None:
    """The map draws the shipped outline and one marker per city with coordinates."""
    view = DS.as_of("2025-12-31")
    ax = plot.hq_map(view)
    cities = {
        (e.location.country, e.location.city)
        for e in view
        if e.location and e.location.latitude is not None and e.location.longitude is not None
    }
    assert len(ax.collections) == len(cities)
    labels = [t.get_text() for t in ax.texts]
    assert len(labels) == len(set(labels))
    assert len(plot._outline()["rings"]) > 100
    _checked(ax)


def test_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install natostruct\[plot\]"):
        plot.holders(DS, "SACEUR")
