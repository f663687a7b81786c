"""Connected components of a graph held as a DataFrame of edges, in a few rounds of Spark
aggregation: min-label propagation with pointer jumping (each round every node takes the
smallest label among itself and its neighbours, then the label of its label), so a path of
length d converges in about log d rounds rather than d."""

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def connected_components(edges: DataFrame, a: str = "a", b: str = "b", max_rounds: int = 64) -> DataFrame:
    """(node, component) for every node of `edges`; component is the smallest node id of its
    connected component (edges read as undirected)."""
    e = edges.select(F.col(a).alias("u"), F.col(b).alias("v")).where(F.col("u") != F.col("v"))
    e = e.union(e.select(F.col("v").alias("u"), F.col("u").alias("v"))).distinct().localCheckpoint()
    nodes = edges.select(F.col(a).alias("node")).union(edges.select(F.col(b))).distinct()
    label = nodes.select("node", F.col("node").alias("label")).localCheckpoint()
    for _ in range(max_rounds):
        # Propagate: the smallest label among a node's neighbours and its own.
        seen = e.join(label.withColumnRenamed("node", "v"), "v").groupBy("u").agg(F.min("label").alias("nl"))
        step = (
            label.join(seen.withColumnRenamed("u", "node"), "node", "left")
            .select("node", F.least("label", F.coalesce("nl", "label")).alias("label"))
        )
        # Jump: a node takes its label's label (a node of the same component, smaller or equal).
        jump = (
            step.join(step.select(F.col("node").alias("label"), F.col("label").alias("ll")), "label", "left")
            .select("node", F.least("label", F.coalesce("ll", "label")).alias("label"))
            .localCheckpoint()
        )
        changed = jump.join(label.withColumnRenamed("label", "old"), "node").where(F.col("label") != F.col("old")).limit(1).count()
        label = jump
        if changed == 0:
            break
    return label.withColumnRenamed("label", "component")
