"""A layered left-to-right layout of a small directed graph, for the HTML report's diagrams (no layout service, no
binary dependency): the steps of Sugiyama's method, kept simple.

1. Ranks: each node's column is the longest path to it from a node nothing links to (a link that closes a cycle is
   left out), so every link goes right.
2. A link that spans columns gets a waypoint in each column it crosses, so it is routed between the nodes there.
3. Order: in each column nodes are sorted by the mean position of their neighbours in the previous column, then the
   next (barycenter sweeps), which untangles most crossings.
4. Coordinates: columns side by side, each column's nodes stacked and centred on the tallest column.

Linear in nodes and links per sweep; the sweeps are a fixed number.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import field

from policykit.core.record import record

NODE_WIDTH = 232
COLUMN_GAP = 48
ROW_GAP = 12
WAYPOINT_GAP = 6  # a waypoint is a line through its column, a little apart from its neighbours
MARGIN = 8
HEADER = 22  # the column captions above the nodes
SWEEPS = 4
GROUP_ROUNDS = 8


@record
class Box:
    """A node's place: its column and its top left corner."""

    column: int
    x: int
    y: int
    height: int


@record
class Route:
    """A link's points: where it leaves its source, each waypoint (the left and right ends of the line through a
    column it crosses), and where it enters its target."""

    source: str
    target: str
    points: tuple[tuple[int, int], ...]


@record
class Layout:
    boxes: dict[str, Box] = field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    width: int = 0
    height: int = 0
    columns: int = 0


def ranks(nodes: Sequence[str], links: Sequence[tuple[str, str]], groups: Mapping[str, str] | None = None
          ) -> dict[str, int]:
    """Each node's column: the longest path to it (Kahn's order; a node left in a cycle is taken in node order).
    Nodes of one group (one kind of hop) share the rightmost column any of them needs, and what follows them
    moves right with them: every origin in one column, whether an edge function stands before it or not."""
    successors: dict[str, list[str]] = {node: [] for node in nodes}
    waiting = dict.fromkeys(nodes, 0)
    for source, target in links:
        if source in successors and target in waiting and source != target:
            successors[source].append(target)
            waiting[target] += 1
    rank = dict.fromkeys(nodes, 0)
    done: dict[str, None] = {}  # in the order taken: a topological order of the links kept
    ready = [node for node in nodes if not waiting[node]]
    pending = list(reversed(nodes))  # for cycles: the next node in order that is not done yet
    while len(done) < len(nodes):
        if not ready:
            while pending[-1] in done:
                pending.pop()
            ready.append(pending[-1])  # the links into it from inside its cycle are left out
        node = ready.pop()
        if node in done:
            continue
        done[node] = None
        for target in successors[node]:
            if target in done:
                continue
            rank[target] = max(rank[target], rank[node] + 1)
            waiting[target] -= 1
            if not waiting[target]:
                ready.append(target)
    order = list(done)
    position = {node: index for index, node in enumerate(order)}
    # Each round leaves every link going right; it settles one more group, rarely more than three are needed, and
    # groups whose links disagree (which hops never do) stop aligning after GROUP_ROUNDS: linear time in any case.
    for _ in range(GROUP_ROUNDS if groups else 0):
        assert groups is not None
        floor: dict[str, int] = {}
        for node in order:
            if node in groups:
                floor[groups[node]] = max(floor.get(groups[node], 0), rank[node])
        moved = False
        for node in order:
            lowest = floor.get(groups[node], 0) if node in groups else 0
            if rank[node] < lowest:
                rank[node], moved = lowest, True
            for target in successors[node]:
                if position[target] > position[node] and rank[target] <= rank[node]:
                    rank[target], moved = rank[node] + 1, True
        if not moved:
            break
    used = {number: index for index, number in enumerate(sorted(set(rank.values())))}  # no empty column
    return {node: used[number] for node, number in rank.items()}


def arrange(nodes: Sequence[str], links: Sequence[tuple[str, str]], heights: Mapping[str, int],
            rank: Mapping[str, int] | None = None) -> Layout:
    """Boxes for `nodes` (in their given order where nothing decides otherwise) and routes for `links`."""
    rank = dict(rank) if rank is not None else ranks(nodes, links)
    forward = [(s, t) for s, t in dict.fromkeys(links) if s in rank and t in rank and rank[t] > rank[s]]
    columns: list[list[str]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for node in nodes:
        columns[rank[node]].append(node)
    # waypoints: one per column a link crosses, named after the link so they are told apart
    chains: list[list[str]] = []
    up: dict[str, list[str]] = {node: [] for node in nodes}
    down: dict[str, list[str]] = {node: [] for node in nodes}
    for index, (source, target) in enumerate(forward):
        chain = [source]
        for crossed in range(rank[source] + 1, rank[target]):
            waypoint = f"\x00{index}:{crossed}"
            columns[crossed].append(waypoint)
            up[waypoint], down[waypoint] = [], []
            chain.append(waypoint)
        chain.append(target)
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)
        chains.append(chain)
    _order(columns, up, down)
    size = {node: (heights.get(node, 0) if not node.startswith("\x00") else 0) for column in columns
            for node in column}
    tall = [sum(size[n] for n in column) + sum(_gap(n) for n in column[1:]) for column in columns]
    top = MARGIN + HEADER
    highest = max(tall, default=0)
    boxes: dict[str, Box] = {}
    for number, column in enumerate(columns):
        y = top + (highest - tall[number]) // 2
        x = MARGIN + number * (NODE_WIDTH + COLUMN_GAP)
        for position, node in enumerate(column):
            if position:
                y += _gap(node)
            boxes[node] = Box(number, x, y, size[node])
            y += size[node]
    routes = tuple(Route(chain[0], chain[-1], _points(chain, boxes)) for chain in chains)
    width = MARGIN * 2 + len(columns) * NODE_WIDTH + max(len(columns) - 1, 0) * COLUMN_GAP
    return Layout({k: v for k, v in boxes.items() if not k.startswith("\x00")}, routes, width,
                  top + highest + MARGIN, len(columns))


def _gap(node: str) -> int:
    return WAYPOINT_GAP if node.startswith("\x00") else ROW_GAP


def _order(columns: list[list[str]], up: Mapping[str, list[str]], down: Mapping[str, list[str]]) -> None:
    """Barycenter sweeps, down then up: each column sorted by its neighbours' mean position (stable)."""
    position = {node: index for column in columns for index, node in enumerate(column)}
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        sequence = range(1, len(columns)) if downward else range(len(columns) - 2, -1, -1)
        for number in sequence:
            column = columns[number]
            neighbours = up if downward else down

            def centre(node: str, neighbours: Mapping[str, list[str]] = neighbours) -> float:
                near = neighbours[node]
                return sum(position[n] for n in near) / len(near) if near else position[node]

            column.sort(key=centre)
            for index, node in enumerate(column):
                position[node] = index


def _points(chain: list[str], boxes: Mapping[str, Box]) -> tuple[tuple[int, int], ...]:
    first, last = boxes[chain[0]], boxes[chain[-1]]
    points = [(first.x + NODE_WIDTH, first.y + first.height // 2)]
    for waypoint in chain[1:-1]:
        box = boxes[waypoint]
        points.extend([(box.x, box.y), (box.x + NODE_WIDTH, box.y)])
    points.append((last.x, last.y + last.height // 2))
    return tuple(points)
