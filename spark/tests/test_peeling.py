"""The driver's FRAUDAR peeling (`engagement.Peeling`, `engagement.peel_parts`), the port of
GreedyPeeling and of DenseBlockDetector.search's connected parts (fraudscan 5f91e4b): the region
is split into its connected parts, each peeled alone; each pass takes the densest part's block
(ties: the first part in the list) and appends the parts of that part's remainder at the end."""

import math
import random

from fraudscan_spark.engagement import Peeling, peel_parts


def graph(edges):
    """(row_columns, weights of 1, rows, columns) of `edges` (row, column) between names, rows
    and columns numbered in name order as `_peel_on_driver` numbers them."""
    rows = sorted({r for r, _ in edges})
    columns = sorted({c for _, c in edges})
    row_columns = [sorted(columns.index(c) for r2, c in edges if r2 == r) for r in rows]
    return row_columns, [1.0] * len(columns), rows, columns


def full(rows, columns):
    return [(r, c) for r in rows for c in columns]


def test_the_swift_doc_examples():
    # GreedyPeeling's graph: rows 0 and 1 hold both columns, row 2 only column 1. Its comment
    # gives rows [0, 1], but dropping row 2 leaves 4 / 4, not above the whole graph's 5 / 5, and
    # only a denser prefix replaces the best: the whole graph is the block.
    assert Peeling([[0, 1], [0, 1], [1]], [1.0, 1.0]).peel() == ([0, 1, 2], [0, 1], 1.0)
    # components()': rows 0, 1 share column 0; row 2 has column 1 alone.
    assert [rows for _, rows, _ in Peeling([[0], [0], [1]], [1.0, 1.0]).components()] == [[0, 1], [2]]


def test_ties_go_to_rows_then_to_the_smaller_index():
    """IndexedMinHeap breaks ties by id, rows (0..<r) before columns: row 0 (key 1) goes before
    columns 0, 1, 2 (key 1 each), leaving column 2 with no edge; its removal gives 2 / 3 > 3 / 5.
    Taking the columns first would leave the whole graph (3 / 5) the densest."""
    assert Peeling([[2], [0, 1]], [1.0, 1.0, 1.0]).peel() == ([1], [0, 1], 2 / 3)


def test_two_disjoint_blocks_are_two_parts_and_the_denser_comes_first():
    sparse = full(["a0", "a1"], ["x0", "x1"])  # 4 edges over 4 nodes: density 1
    dense = full(["b0", "b1", "b2"], ["y0", "y1", "y2"])  # 9 over 6: 1.5
    row_columns, weights, rows, columns = graph(sparse + dense)
    parts = Peeling(row_columns, weights).components()
    assert [([rows[i] for i in rs], [columns[j] for j in cs]) for _, rs, cs in parts] == [
        (["a0", "a1"], ["x0", "x1"]), (["b0", "b1", "b2"], ["y0", "y1", "y2"])]
    blocks = list(peel_parts(row_columns, weights, rows, columns, 0.35))
    assert blocks == [(["b0", "b1", "b2"], ["y0", "y1", "y2"], 1.5), (["a0", "a1"], ["x0", "x1"], 1.0)]
    # Below the minimum density a part is dropped.
    assert list(peel_parts(row_columns, weights, rows, columns, 1.2)) == [(["b0", "b1", "b2"], ["y0", "y1", "y2"], 1.5)]


def test_the_rest_of_a_part_is_split_again_and_appended_after_the_other_parts():
    d = full(["a0", "a1", "a2", "a3"], ["x0", "x1", "x2", "x3"])  # 16 over 8: density 2
    b1 = full(["b0", "b1", "b2"], ["y0", "y1", "y2"])  # 1.5
    b2 = full(["c0", "c1"], ["z0", "z1"])  # 1
    bridges = [("a0", "y0"), ("a1", "z0")]  # d, b1 and b2 one part
    p2 = full(["d0", "d1", "d2"], ["w0", "w1", "w2"])  # 1.5, a part of its own
    row_columns, weights, rows, columns = graph(d + b1 + b2 + bridges + p2)
    parts = Peeling(row_columns, weights).components()
    assert [[rows[i] for i in rs] for _, rs, _ in parts] == [
        ["a0", "a1", "a2", "a3", "b0", "b1", "b2", "c0", "c1"], ["d0", "d1", "d2"]]
    blocks = [(r, c) for r, c, _ in peel_parts(row_columns, weights, rows, columns, 0.35)]
    # The block of the first part, then the second part (1.5), which comes before the parts of
    # the first's remainder (b1 at 1.5 too, then b2), though b1's accounts come first by name.
    assert blocks == [
        (["a0", "a1", "a2", "a3"], ["x0", "x1", "x2", "x3"]),
        (["d0", "d1", "d2"], ["w0", "w1", "w2"]),
        (["b0", "b1", "b2"], ["y0", "y1", "y2"]),
        (["c0", "c1"], ["z0", "z1"]),
    ]


def random_graph(rows, columns, maximum_degree, seed):
    rng = random.Random(seed)
    row_columns = [sorted(rng.sample(range(columns), rng.randint(0, maximum_degree))) for _ in range(rows)]
    degree = [0] * columns
    for js in row_columns:
        for j in js:
            degree[j] += 1
    return row_columns, [1 / math.log(x + 5) for x in degree]


def test_the_connected_parts_hold_every_edge_once_and_peel_as_if_alone():
    """PeelingInternalsTests.theConnectedPartsHoldEveryEdgeOnceAndPeelAsIfAlone."""
    for seed in range(1, 21):
        row_columns, weights = random_graph(200, 300, 3, seed)
        whole = Peeling(row_columns, weights)
        parts = whole.components()
        assert len(parts) > 1, seed
        edges = []
        for part, rs, cs in parts:
            edges += [(rs[i], cs[j]) for i, js in enumerate(part.row_columns) for j in js]
            alone = whole.peel(set(range(200)) - set(rs), set(range(300)) - set(cs))
            br, bc, density = part.peel()
            assert [rs[i] for i in br] == alone[0] and [cs[j] for j in bc] == alone[1], seed
            assert abs(density - alone[2]) < 1e-12, seed
        assert sorted(edges) == [(i, j) for i, js in enumerate(row_columns) for j in js], seed
        assert max(p.peel()[2] for p, _, _ in parts) >= whole.peel()[2] - 1e-12, seed


def test_removing_peels_as_the_flags_do():
    """GreedyPeeling.removing: the graph less some rows and columns, re-indexed, peels as the
    whole graph with those flags."""
    for seed in range(1, 11):
        row_columns, weights = random_graph(60, 40, 6, seed)
        whole = Peeling(row_columns, weights)
        rng = random.Random(seed)
        gone_r, gone_c = set(rng.sample(range(60), 15)), set(rng.sample(range(40), 10))
        rest, rs, cs = whole.removing(gone_r, gone_c)
        br, bc, density = rest.peel()
        flagged = whole.peel(gone_r, gone_c)
        assert ([rs[i] for i in br], [cs[j] for j in bc]) == flagged[:2], seed
        assert density == flagged[2], seed
