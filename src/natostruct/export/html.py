"""The interactive explorer: one self-contained HTML page of the tree on any day.

The page holds a date slider (from 1949 to the day the data was last
checked), a search box, the tree of the chosen day and a card for the entity
clicked, with its holders and its sources. It loads nothing from the
network: its style and script are inline, and its only links are the
sources' web addresses.

The time rules stay in Python. The page embeds, for each stretch of days in
which nothing in the data changes, what :func:`natostruct.tree.tree` shows
of each entity that stretch (its place in the tree, whether it surely
existed, its name, its head post's holder or the candidates in doubt); the
script only looks the chosen day up in them. The stretches start on each day a date
of the data can turn an answer (its first and last days, and the day after),
so every answer of ``as_of`` is one of them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from html import escape
from typing import TYPE_CHECKING, Any, Final

import attrs

from natostruct.dates import ONE_DAY, PartialDate, today, turning_days
from natostruct.display import dates_text, web_address
from natostruct.model import FAMILIES
from natostruct.posts import incumbency
from natostruct.tree import DOUBT_WORDS, tree

if TYPE_CHECKING:
    from collections.abc import Iterator

    from natostruct.dataset import Dataset
    from natostruct.model import Entity
    from natostruct.tree import TreeNode

__all__ = ["FIRST_DAY", "render", "stretches"]

#: The first day the slider offers.
FIRST_DAY: Final = dt.date(1949, 1, 1)
_FAMILY_RANK: Final = {family: rank for rank, family in enumerate(FAMILIES)}


def _dates(value: object) -> Iterator[PartialDate]:
    """Every partial date inside a record or value (its sources and notes aside)."""
    if isinstance(value, PartialDate):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _dates(item)
    elif attrs.has(cls := type(value)):
        for field in attrs.fields(cls):
            if field.name not in {"sources", "notes"}:
                yield from _dates(getattr(value, field.name))


def stretches(ds: Dataset, last: dt.date) -> list[dt.date]:
    """The first day of each stretch of days from FIRST_DAY to ``last`` in which no answer changes.

    What a view states changes only on the days :func:`~natostruct.dates.turning_days` gives for the
    dates of the data.
    """
    cuts = {FIRST_DAY}
    for record in ds.whole.records:
        cuts.update(turning_days(_dates(record)))
        last_known = getattr(record, "last_attested", None)
        if last_known is not None:
            # Surely there through the first day the last sighting covers, then maybe.
            cuts.add(last_known.date.first_day + ONE_DAY)
    return sorted(day for day in cuts if FIRST_DAY <= day <= last)


def _flatten(nodes: list[TreeNode], parent: str | None) -> Iterator[tuple[TreeNode, str | None]]:
    for node in nodes:
        yield node, parent
        yield from _flatten(node["children"], node["id"])


def _head_cuts(entity: Entity) -> list[dt.date]:
    """The days on which what the head post states may change: its own dates and the entity's."""
    head = entity.head
    dates = [*_dates(head), *_dates(entity.established), *_dates(entity.disestablished)]
    dates += [*_dates(entity.attested), *_dates(entity.last_attested), *_dates(entity.aliases)]
    return sorted(turning_days(dates))


def _head_state(entity: Entity, day: dt.date) -> list[Any]:
    head = entity.head
    if head is None:
        return []
    answer = incumbency(entity, head, day)
    names = {
        "held": answer.holders,
        "in doubt": answer.candidates,
    }.get(answer.status, ())
    return [answer.title, answer.status, [h.name for h in names]]


def _cached_head(
    cache: dict[tuple[str, int], list[Any]],
    cuts: dict[str, list[dt.date]],
    entity: Entity,
    day: dt.date,
) -> list[Any]:
    own = cuts.get(entity.id)
    if own is None:
        return []
    key = (entity.id, bisect.bisect_right(own, day))
    found = cache.get(key)
    if found is None:
        found = cache[key] = _head_state(entity, day)
    return found


def _static(entity: Entity) -> dict[str, Any]:
    """What the card shows of an entity whatever the day."""
    location = entity.location
    head = entity.head
    return {
        "kind": entity.kind,
        "category": entity.category,
        "family": entity.family,
        "hq": None
        if location is None
        else ", ".join(p for p in (location.site, location.city, location.country) if p),
        "moved": bool(entity.former_locations),
        "dates": dates_text(entity),
        "holders": []
        if head is None
        else [[str(h.period), h.name, h.acting] for h in head.holders],
        # Only a web address is a link (the rule of the notebook card): the rest is text.
        "sources": [[s.title, web_address(s)] for s in entity.sources],
        # The part of the tree's order of the tops that does not depend on the day.
        "rank": [
            entity.organization != "NATO",
            _FAMILY_RANK.get(entity.family, len(_FAMILY_RANK)) if entity.family else len(FAMILIES),
            entity.kind == "mission",
        ],
    }


def _model(ds: Dataset) -> dict[str, Any]:
    whole = ds.whole
    checked = ds.data_as_of
    last = checked or today()
    days = stretches(ds, last)
    states: dict[str, int] = {}
    table: list[list[Any]] = []
    timelines: dict[str, list[list[int]]] = {e.id: [] for e in whole}
    # The head's answer changes only on its own cut days: asked once per stretch of those.
    head_cuts = {e.id: _head_cuts(e) for e in whole if e.head is not None}
    heads: dict[tuple[str, int], list[Any]] = {}
    for index, day in enumerate(days):
        # Built without the cache: a view for each stretch would push the caller's out.
        view = whole._make_view(day)  # noqa: SLF001
        seen = set()
        for node, parent in _flatten(tree(view), None):
            entity = whole.get(node["id"])
            state = [
                parent,
                node["certain"],
                node["superior_known"],
                node["name"],
                node["abbreviation"],
                node["city"],
                [[DOUBT_WORDS.get(f, f), c] for f, c in node["doubts"].items()],
                _cached_head(heads, head_cuts, entity, day),
            ]
            key = json.dumps(state, ensure_ascii=False)
            number = states.setdefault(key, len(table))
            if number == len(table):
                table.append(state)
            seen.add(node["id"])
            line = timelines[node["id"]]
            if not line or line[-1][1] != number:
                line.append([index, number])
        for ident, line in timelines.items():
            if ident not in seen and line and line[-1][1] != -1:
                line.append([index, -1])
    return {
        "data_as_of": None if checked is None else checked.isoformat(),
        "last": last.isoformat(),
        "first": FIRST_DAY.isoformat(),
        "days": [d.isoformat() for d in days],
        "states": table,
        "entities": {
            e.id: {**_static(e), "timeline": timelines[e.id]} for e in whole if timelines[e.id]
        },
    }


def render(ds: Dataset) -> str:
    """The explorer page of ``ds`` (of its whole history, whatever day a view has)."""
    model = _model(ds)
    # Inside <script>, markup in the data ("</script>", "<!--") would end or derail
    # the element: the JSON writes <, > and & as escapes, which mean the same text.
    data = json.dumps(model, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    start = ds.date or dt.date.fromisoformat(model["last"])
    page = (
        _PAGE.replace("@START@", start.isoformat())
        .replace("@FIRST@", model["first"])
        .replace("@LAST@", model["last"])
        .replace("@TITLE@", escape("NATO structure explorer"))
    )
    return page.replace("@DATA@", data)  # last: the data's own text is never read as a mark


_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style>
body { font-family: sans-serif; margin: 0; color: #222; }
header { padding: 10px 16px; background: #f2f4f7; border-bottom: 1px solid #ccc; }
header h1 { font-size: 1.2em; margin: 0 0 6px 0; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
#slider { width: 360px; }
main { display: flex; gap: 16px; padding: 10px 16px; }
#tree { flex: 3; min-width: 0; }
#card { flex: 2; border: 1px solid #bbb; border-radius: 6px; padding: 8px 12px;
        align-self: flex-start; position: sticky; top: 8px; max-height: 95vh; overflow: auto; }
ul.tree { list-style: none; padding-left: 1.2em; margin: 0; }
ul.top { padding-left: 0; }
li.node > span.label { cursor: pointer; }
li.node > span.label:hover { text-decoration: underline; }
li.maybe > span.label::after { content: " ?"; color: #b00; }
.abbr { font-weight: bold; }
.city { color: #777; }
.doubt { color: #b00; }
.match > span.label { background: #ffef9e; }
.note { color: #555; margin: 4px 0; }
#results li { cursor: pointer; }
table.card th { text-align: left; padding-right: 1em; vertical-align: top; }
</style>
</head>
<body>
<header>
<h1>NATO structure explorer</h1>
<div class="controls">
<label>Day <input type="date" id="day" min="@FIRST@" max="@LAST@" value="@START@"></label>
<input type="range" id="slider" min="0" max="1" value="0" aria-label="day">
<label>Search <input type="search" id="search" placeholder="name or abbreviation"></label>
</div>
<p class="note" id="dayline"></p>
</header>
<main>
<div id="tree"><ul id="results"></ul><ul class="tree top" id="root"></ul>
<div id="loose"></div></div>
<div id="card"><p class="note">Click an entity to see its card.</p></div>
</main>
<script>
"use strict";
const DATA = @DATA@;
const ONE_DAY = 86400000;
const first = Date.parse(DATA.first), last = Date.parse(DATA.last);
const slider = document.getElementById("slider");
const dayInput = document.getElementById("day");
const search = document.getElementById("search");
slider.max = String(Math.round((last - first) / ONE_DAY));

function stretchOf(iso) {
  // The last stretch that starts on or before the day (the days are sorted).
  let lo = 0, hi = DATA.days.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (DATA.days[mid] <= iso) { lo = mid; } else { hi = mid - 1; }
  }
  return DATA.days[lo] <= iso ? lo : -1;
}

function stateOf(entity, k) {
  let found = -1;
  for (const [from, state] of entity.timeline) {
    if (from <= k) { found = state; } else { break; }
  }
  return found < 0 ? null : DATA.states[found];
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) { node.setAttribute(key, value); }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

let current = {};

function shown(iso) {
  const k = stretchOf(iso);
  const out = {};
  if (k < 0) { return out; }
  for (const [id, entity] of Object.entries(DATA.entities)) {
    const state = stateOf(entity, k);
    if (state) { out[id] = state; }
  }
  return out;
}

function label(id, state) {
  const span = el("span", {"class": "label"});
  if (state[4]) { span.appendChild(el("span", {"class": "abbr"}, state[4] + " ")); }
  span.appendChild(document.createTextNode(state[3]));
  if (state[5]) { span.appendChild(el("span", {"class": "city"}, " (" + state[5] + ")")); }
  for (const [word, candidates] of state[6]) {
    const hover = "in doubt: " + candidates.join(" or ");
    span.appendChild(el("span", {"class": "doubt", "title": hover}, " [" + word + " in doubt]"));
  }
  span.addEventListener("click", () => card(id));
  return span;
}

function topKey(id, state, heads) {
  const rank = DATA.entities[id].rank;
  return [state[2] ? 0 : 1, rank[0] ? 1 : 0, rank[1], rank[2] ? 1 : 0, heads.has(id) ? 0 : 1, id];
}

function compare(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) { return -1; }
    if (a[i] > b[i]) { return 1; }
  }
  return 0;
}

function draw() {
  const iso = dayInput.value;
  current = shown(iso);
  const children = {};
  for (const [id, state] of Object.entries(current)) {
    const parent = state[0];
    (children[parent] = children[parent] || []).push(id);
  }
  // A head of a structure has a subordinate that surely existed that day.
  const heads = new Set(Object.values(current).filter(s => s[1] && s[0]).map(s => s[0]));
  const root = document.getElementById("root");
  const loose = document.getElementById("loose");
  root.textContent = "";
  loose.textContent = "";
  function branch(id, depth) {
    const state = current[id];
    const li = el("li", {"class": "node" + (state[1] ? "" : " maybe"), "data-id": id});
    li.appendChild(label(id, state));
    const below = (children[id] || []).slice().sort();
    if (below.length) {
      const ul = el("ul", {"class": "tree"});
      for (const child of below) { ul.appendChild(branch(child, depth + 1)); }
      li.appendChild(ul);
    }
    return li;
  }
  const tops = (children[null] || []).slice();
  tops.sort((a, b) => compare(topKey(a, current[a], heads), topKey(b, current[b], heads)));
  const unplaced = el("ul", {"class": "tree top", "id": "unplaced"});
  for (const id of tops) {
    (current[id][2] ? root : unplaced).appendChild(branch(id, 0));
  }
  if (unplaced.childNodes.length) {
    loose.appendChild(el("p", {"class": "note"}, "Superior not recorded on this day:"));
    loose.appendChild(unplaced);
  }
  const checked = DATA.data_as_of ? "; data checked to " + DATA.data_as_of : "";
  document.getElementById("dayline").textContent = "As of " + iso + checked +
    ". Marked ?: may not have existed that day; hover over [… in doubt] for the candidates." +
    (DATA.data_as_of && iso > DATA.data_as_of ? " Later changes are not in the data." : "");
  filter();
  // The card shows the entity as it stands on the new day, or goes if it is not shown.
  const open = document.getElementById("card").getAttribute("data-id");
  if (open) {
    if (current[open]) { card(open); } else { resetCard(); }
  }
}

function filter() {
  const text = search.value.trim().toLowerCase();
  const results = document.getElementById("results");
  results.textContent = "";
  for (const li of document.querySelectorAll("li.node")) { li.classList.remove("match"); }
  if (!text) { return; }
  const found = Object.entries(current).filter(([id, state]) =>
    (state[3] + " " + (state[4] || "") + " " + id).toLowerCase().includes(text));
  found.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [id, state] of found) {
    const item = el("li", {"data-id": id}, (state[4] ? state[4] + " — " : "") + state[3]);
    item.addEventListener("click", () => card(id));
    results.appendChild(item);
    const node = document.querySelector("li.node[data-id='" + CSS.escape(id) + "']");
    if (node) { node.classList.add("match"); }
  }
  if (!found.length) { results.appendChild(el("li", {"class": "note"}, "No match that day.")); }
}

function resetCard() {
  const box = document.getElementById("card");
  box.textContent = "";
  box.removeAttribute("data-id");
  box.appendChild(el("p", {"class": "note"}, "Click an entity to see its card."));
}

function row(table, name, value) {
  const tr = el("tr");
  tr.appendChild(el("th", {}, name));
  const td = el("td");
  if (typeof value === "string") { td.textContent = value; } else { td.appendChild(value); }
  tr.appendChild(td);
  table.appendChild(tr);
}

function card(id) {
  const entity = DATA.entities[id];
  const state = current[id];
  const box = document.getElementById("card");
  box.textContent = "";
  box.setAttribute("data-id", id);
  const title = (state && state[4] ? state[4] + " " : "") + (state ? state[3] : id);
  box.appendChild(el("h2", {}, title));
  const table = el("table", {"class": "card"});
  row(table, "kind", entity.kind + (entity.category ? " · " + entity.category : ""));
  // The seat of that day: the tree's city; the full address only where the seat is today's.
  if (state && state[5]) {
    const today = entity.hq && entity.hq.includes(state[5]) && !entity.moved;
    row(table, "HQ", today ? entity.hq : state[5]);
  }
  row(table, "dates", entity.dates);
  if (state && state[0]) {
    const parent = current[state[0]];
    row(table, "superior", parent ? (parent[4] || parent[3]) : state[0]);
  }
  if (state && state[7].length) {
    const [title, status, names] = state[7];
    row(table, "head", title + ": " + (status === "held" ? names.join("; ") :
      status === "in doubt" ? "in doubt, " + names.join(" or ") : status));
  }
  if (entity.holders.length) {
    const list = el("div");
    for (const [period, name, acting] of entity.holders) {
      list.appendChild(el("div", {}, period + " " + name + (acting ? " (acting)" : "")));
    }
    row(table, "holders", list);
  }
  if (entity.sources.length) {
    const list = el("ul");
    for (const [title, url] of entity.sources) {
      const item = el("li");
      if (url) {
        const link = el("a", {"href": url, "target": "_blank", "rel": "noopener"}, title);
        item.appendChild(link);
      } else {
        item.textContent = title;
      }
      list.appendChild(item);
    }
    row(table, "sources", list);
  }
  box.appendChild(table);
}

function fromSlider() {
  const day = new Date(first + Number(slider.value) * ONE_DAY);
  dayInput.value = day.toISOString().slice(0, 10);
  draw();
}

function toSlider() {
  slider.value = String(Math.round((Date.parse(dayInput.value) - first) / ONE_DAY));
  draw();
}

slider.addEventListener("input", fromSlider);
dayInput.addEventListener("change", toSlider);
search.addEventListener("input", filter);
toSlider();
</script>
</body>
</html>
"""
