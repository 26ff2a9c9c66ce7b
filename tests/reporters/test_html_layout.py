"""The layered layout of the HTML report's diagrams (policykit/reporters/html_layout.py): columns by longest path,
groups in one column, cycles cut, waypoints for long links, nodes that never overlap, links that always go right."""

from __future__ import annotations

from policykit.reporters.html_layout import NODE_WIDTH, ROW_GAP, arrange, ranks


def test_a_node_sits_one_column_right_of_its_furthest_predecessor() -> None:
    links = [("a", "b"), ("b", "c"), ("a", "c"), ("x", "c")]
    assert ranks(["a", "b", "c", "x"], links) == {"a": 0, "b": 1, "c": 2, "x": 0}


def test_a_group_shares_one_column_and_what_follows_moves_with_it() -> None:
    # behavior 1 has an edge function before its origin, behavior 2 none: both origins in one column
    nodes = ["b1", "b2", "fn", "o1", "o2", "lb"]
    links = [("b1", "fn"), ("fn", "o1"), ("b2", "o2"), ("o2", "lb")]
    kinds = {"b1": "behavior", "b2": "behavior", "fn": "function", "o1": "origin", "o2": "origin", "lb": "lb"}
    assert ranks(nodes, links) == {"b1": 0, "b2": 0, "fn": 1, "o1": 2, "o2": 1, "lb": 2}
    assert ranks(nodes, links, kinds) == {"b1": 0, "b2": 0, "fn": 1, "o1": 2, "o2": 2, "lb": 3}


def test_a_cycle_is_cut_and_every_node_gets_a_column() -> None:
    rank = ranks(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "b")])
    assert rank["a"] == 0 and rank["b"] >= 1 and rank["c"] > rank["b"]
    assert ranks(["a"], [("a", "a")]) == {"a": 0}


def test_boxes_never_overlap_and_routes_go_right_through_the_columns_they_cross() -> None:
    nodes = ["n0", "n1", "n2", "n3", "n4", "n5"]
    links = [("n0", "n1"), ("n0", "n2"), ("n1", "n3"), ("n0", "n3"), ("n2", "n4"), ("n3", "n5"), ("n0", "n5")]
    layout = arrange(nodes, links, {n: 30 + 10 * i for i, n in enumerate(nodes)})
    for a in layout.boxes.values():
        for b in layout.boxes.values():
            if a is not b and a.column == b.column:
                assert a.y + a.height + ROW_GAP <= b.y or b.y + b.height + ROW_GAP <= a.y
    assert len(layout.routes) == len(links)
    long = next(r for r in layout.routes if (r.source, r.target) == ("n0", "n5"))
    assert len(long.points) == 2 + 2 * (layout.boxes["n5"].column - 1)  # a waypoint per column crossed
    assert all(x2 >= x1 for (x1, _), (x2, _) in zip(long.points, long.points[1:], strict=False))
    assert layout.width >= max(b.x for b in layout.boxes.values()) + NODE_WIDTH


def test_ordering_untangles_crossings() -> None:
    # a -> y and b -> x written crosswise: the sweeps put x beside b and y beside a
    layout = arrange(["a", "b", "x", "y"], [("a", "y"), ("b", "x")], dict.fromkeys("abxy", 20))
    boxes = layout.boxes
    assert (boxes["y"].y < boxes["x"].y) == (boxes["a"].y < boxes["b"].y)
