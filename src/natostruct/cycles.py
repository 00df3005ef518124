"""Reporting-line cycles over time: superiors that, on some day, lead back to where they began.

A link says "``child`` may report to ``parent`` from this day until that
one". A cycle matters on any day on which all of its links may hold: ``aa``
under ``bb`` and ``bb`` under ``aa`` during 2000-2010 leaves the view of
2005 without a top, even if both are under the NAC before and after.

Only entities in one strongly connected component of all the links ever
made can form a cycle, so most data needs no more than that test. Within a
component, links are replayed in date order, each added on the day it may
begin to hold and dropped on the day it surely ends, keeping a topological
order of the links that hold (Pearce and Kelly's dynamic algorithm): a new
link either fits the order, shifts the few entities between its ends, or
closes a cycle. Dropping a link never breaks an order.

>>> import datetime as dt
>>> day = dt.date
>>> links = {"aa": [("bb", day(2000, 1, 1), day(2010, 1, 1))],
...          "bb": [("aa", day(2005, 1, 1), None)]}
>>> for cycle, first in dated_cycles(links):
...     print(" -> ".join(cycle), first)
bb -> aa 2005-01-01
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

__all__ = ["Link", "dated_cycles"]

#: A reporting link: the superior, the first day it may hold, the first day it surely does not.
Link = tuple[str, dt.date, "dt.date | None"]


def dated_cycles(links: Mapping[str, Sequence[Link]]) -> Iterator[tuple[list[str], dt.date]]:
    """One cycle per component that has one: its entities in link order, and the first day."""
    for component in _components(links):
        members = set(component)
        events: list[tuple[dt.date, int, str, str]] = []
        for child in component:
            for parent, start, end in links.get(child, ()):
                if parent in members and (end is None or start < end):
                    events.append((start, 1, child, parent))
                    if end is not None:
                        events.append((end, 0, child, parent))  # drops sort before adds
        events.sort()
        order = _Order(component)
        for day, adds, child, parent in events:
            if not adds:
                order.drop(child, parent)
                continue
            cycle = order.add(child, parent)
            if cycle is not None:
                yield cycle, day
                break  # one cycle per component is enough to fix the data


class _Order:
    """A topological order of the links that hold: every child before its parent."""

    def __init__(self, nodes: Sequence[str]) -> None:
        self.position = {node: i for i, node in enumerate(nodes)}
        self.up: dict[str, dict[str, int]] = {node: {} for node in nodes}  # child -> parents
        self.down: dict[str, dict[str, int]] = {node: {} for node in nodes}  # parent -> children

    def drop(self, child: str, parent: str) -> None:
        for table, a, b in ((self.up, child, parent), (self.down, parent, child)):
            count = table[a][b] - 1
            if count:
                table[a][b] = count
            else:
                del table[a][b]

    def add(self, child: str, parent: str) -> list[str] | None:
        """Add the link; return the cycle it closes (``child`` first) instead, if it closes one."""
        position = self.position
        low, high = position[parent], position[child]
        if low > high:  # already in order
            self._link(child, parent)
            return None
        # Everything above ``parent`` up to ``child``'s place must move up past
        # ``child``'s side; reaching ``child`` itself means a cycle.
        above: dict[str, str | None] = {parent: None}
        stack = [parent]
        while stack:
            node = stack.pop()
            for nxt in self.up[node]:
                if nxt == child:
                    path = [node]
                    while (step := above[path[-1]]) is not None:
                        path.append(step)
                    return [child, *reversed(path)]
                if nxt not in above and position[nxt] <= high:
                    above[nxt] = node
                    stack.append(nxt)
        below = {child}
        stack = [child]
        while stack:
            node = stack.pop()
            for nxt in self.down[node]:
                if nxt not in below and position[nxt] >= low:
                    below.add(nxt)
                    stack.append(nxt)
        moved = sorted(below, key=position.__getitem__) + sorted(above, key=position.__getitem__)
        for node, place in zip(moved, sorted(position[n] for n in moved), strict=True):
            position[node] = place
        self._link(child, parent)
        return None

    def _link(self, child: str, parent: str) -> None:
        self.up[child][parent] = self.up[child].get(parent, 0) + 1
        self.down[parent][child] = self.down[parent].get(child, 0) + 1


def _components(links: Mapping[str, Sequence[Link]]) -> Iterator[list[str]]:
    """The strongly connected components of more than one entity (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def parents(node: str) -> Iterator[str]:
        return iter([parent for parent, _, _ in links.get(node, ())])

    for root in links:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, parents(root))]
        while work:
            node, pending = work[-1]
            for parent in pending:
                if parent not in index:
                    index[parent] = low[parent] = len(index)
                    stack.append(parent)
                    on_stack.add(parent)
                    work.append((parent, parents(parent)))
                    break
                if parent in on_stack:
                    low[node] = min(low[node], index[parent])
            else:
                work.pop()
                if work:
                    above = work[-1][0]
                    low[above] = min(low[above], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        yield sorted(component)
