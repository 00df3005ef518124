"""The HTML explorer (``export --format html``): self-contained, and true to ``as_of`` in a browser.

The browser tests drive Debian's Chromium headless through chromedriver. Where
either is missing they skip, saying why; under CI (``CI=true``) a skip is a
failure, since the page must be tried in a real browser there.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import natostruct
from natostruct.tree import TreeNode, tree

pytestmark = pytest.mark.browser

DS = natostruct.dataset()
CHROMEDRIVER = "/usr/bin/chromedriver"
#: Two days far apart, and a search on each.
DAYS = ("1989-11-09", "2025-12-31")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explorer") / "nato.html"
    path.write_text(DS.export("html"), encoding="utf-8")
    return path


def test_loads_nothing_from_the_network(page: Path) -> None:
    """No src, stylesheet link, CSS url(), @import, fetch or XHR: only <a href> links."""
    text = page.read_text(encoding="utf-8")
    for pattern in (
        r"\ssrc\s*=",
        r"<link\b",
        r"url\(",
        r"@import",
        r"\bfetch\s*\(",
        r"XMLHttpRequest",
        r"\bimport\s*\(",
        r"<iframe",
    ):
        assert re.search(pattern, text, re.IGNORECASE) is None, pattern
    assert text.count("<script") == 1


def _flat(nodes: list[TreeNode], parent: str | None = None) -> Iterator[tuple[str, bool, Any]]:
    for node in nodes:
        yield node["id"], not node["certain"], parent
        yield from _flat(node["children"], node["id"])


@pytest.fixture(scope="module")
def browser(page: Path) -> Iterator[Any]:
    reason = None
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        reason = "selenium is not installed (pip install selenium)"
    if reason is None and (shutil.which("chromium") is None or not Path(CHROMEDRIVER).exists()):
        reason = "Chromium or chromedriver is missing (apt-get install chromium chromium-driver)"
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test cannot be skipped in CI: {reason}")
        pytest.skip(reason)
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1300,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.get(page.as_uri())
    yield driver
    driver.quit()


def _set_day(browser: Any, day: str) -> None:
    browser.execute_script(
        "const input = document.getElementById('day');"
        "input.value = arguments[0];"
        "input.dispatchEvent(new Event('change'));",
        day,
    )


def _tree_in_page(browser: Any) -> list[tuple[str, bool, Any]]:
    rows: list[list[Any]] = browser.execute_script(
        "return [...document.querySelectorAll('#root li.node, #unplaced li.node')].map(li => {"
        "  const up = li.parentElement.closest('li.node');"
        "  return [li.dataset.id, li.classList.contains('maybe'), up ? up.dataset.id : null];"
        "});"
    )
    return [(ident, maybe, parent) for ident, maybe, parent in rows]


@pytest.mark.parametrize("day", DAYS)
def test_the_tree_of_a_day_is_as_of(browser: Any, day: str) -> None:
    """The page shows, in the same order and with the same marks, the tree as_of gives."""
    _set_day(browser, day)
    assert _tree_in_page(browser) == list(_flat(tree(DS.as_of(day))))
    line = browser.find_element("id", "dayline").text
    assert line.startswith(f"As of {day}; data checked to {natostruct.DATA_AS_OF}")


@pytest.mark.parametrize("day", DAYS)
def test_search(browser: Any, day: str) -> None:
    """Searching lists the entities of that day whose name, abbreviation or id holds the text."""
    _set_day(browser, day)
    box = browser.find_element("id", "search")
    box.clear()
    box.send_keys("naples")
    found = browser.execute_script(
        "return [...document.querySelectorAll('#results li[data-id]')].map(li => li.dataset.id);"
    )
    view = DS.as_of(day)
    shown = (*view, *view.uncertain())
    wanted = sorted(
        e.id for e in shown if "naples" in f"{e.name} {e.abbreviation or ''} {e.id}".lower()
    )
    assert found == wanted
    assert wanted  # there is something to find on both days
    box.clear()
    browser.execute_script("document.getElementById('search').dispatchEvent(new Event('input'));")


def test_card(browser: Any) -> None:
    """Clicking an entity shows its card: that day's head, its holders and its sources as links."""
    day = "1989-11-09"
    _set_day(browser, day)
    browser.execute_script(
        "document.querySelector(\"li.node[data-id='aco'] > span.label\").click();"
    )
    card = browser.find_element("id", "card")
    aco = DS.get("aco")
    assert aco.head is not None
    answer = DS.who("aco", day)
    assert f"{answer.title}: {answer.holders[0].name}" in card.text
    assert all(h.name in card.text for h in aco.head.holders)
    links = {a.get_attribute("href") for a in card.find_elements("css selector", "a")}
    assert {s.url for s in aco.sources if s.url and s.url.startswith("http")} <= links


def test_the_card_follows_the_day(browser: Any) -> None:
    """A card left open shows the entity as it stands on the new day."""
    _set_day(browser, "1990-01-01")
    browser.execute_script(
        "document.querySelector(\"li.node[data-id='aco'] > span.label\").click();"
    )
    _set_day(browser, "2020-01-01")
    card = browser.find_element("id", "card").text
    answer = DS.who("aco", "2020-01-01")
    assert DS.as_of("2020-01-01").get("aco").name in card
    assert answer.holders[0].name in card.split("holders")[0]
