"""`contested-reputation` on Spark: accounts whose reputation the fair raters contest (a port of
Sources/AnomalyDetect/BoughtEngagement/ContestedReputationDetector.swift and RaterFairness.swift,
REV2's fairness and goodness; formulas, thresholds and evidence are the Swift detector's).

Distributed: the signed opinion of every (rater, rated) pair (its latest non-zero opinion),
the fairness/goodness rounds (two aggregations per round, until no fairness moves by 1e-6,
at most 100 rounds), the candidates (negative goodness, enough fair critics), and each
critic's fairness measured against the raters outside its candidate's critics (joins of
the critics' ratings with the consensus of what they rated). On the driver: the candidates
(one row each, their fair critics listed; a small share of the accounts), the binomial test,
Benjamini–Hochberg, the rings among the reported accounts and their evidence.

Sums run in Spark's order, not the Swift scan's account order, so a goodness or fairness can
differ in its last bits (about 1e-16); a decision resting exactly on such a tie could differ.
"""

import math
from typing import Callable

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .engagement import log10_binomial_tail
from .rater_fairness import RaterFairness
from .report import Finding, round_to

MAX_ROUNDS = 100
TOLERANCE = 1e-6
LISTED = 20
# Rated pairs up to which the rounds run on the driver: 2 M pairs are about 100 MB of arrays
# there, and each distributed round costs two shuffles of every pair.
DRIVER_PAIRS = 2_000_000


def _on_driver(pairs: DataFrame, order, minimum_fairness: float, minimum_negatives: int, log):
    """Candidates, account order, goodness and endorsers by RaterFairness on the collected pairs."""
    collected = [(r["u"], r["v"], int(r["s"])) for r in pairs.collect()]
    keys = order(sorted({u for u, _, _ in collected} | {v for _, v, _ in collected}))
    index = {a: i for i, a in enumerate(sorted(keys, key=keys.get))}
    fair = RaterFairness(collected, index)
    log(f"contested-reputation: fairness converged in {fair.rounds} round(s) on the driver")
    rows = fair.candidates(minimum_fairness, minimum_negatives)

    def goodness_of(ids):
        return {v: float(fair.goodness[fair.position[v]]) for v in ids}

    def endorsers_of(ids):
        return {v: [fair.ids[u] for u, s in fair.raters(fair.position[v]) if s > 0] for v in ids}

    return rows, index, goodness_of, endorsers_of


def _distributed(spark, pairs: DataFrame, order, minimum_fairness: float, minimum_negatives: int, log):
    """Candidates, account order, goodness and endorsers by Spark aggregations."""
    fair, good, _ = fairness_rounds(pairs, log)
    found = fair_critics(pairs, fair, good, minimum_fairness, minimum_negatives).collect()
    rank = order(sorted({r["v"] for r in found} | {u for r in found for u in r["critics"]}))
    rows = [(r["v"], r["n"], sorted(r["critics"], key=rank.get)) for r in found]

    def goodness_of(ids):
        rdf = spark.createDataFrame([(v,) for v in ids], "v string")
        return {r["v"]: r["g"] for r in good.join(rdf, "v").collect()}

    def endorsers_of(ids):
        rdf = spark.createDataFrame([(v,) for v in ids], "v string")
        endorsed = pairs.where(F.col("s") > 0).join(rdf, "v").select("u", "v").collect()
        rank.update(order(sorted({r["u"] for r in endorsed} - set(rank))))
        out: dict = {}
        for r in endorsed:
            out.setdefault(r["v"], []).append(r["u"])
        return {v: sorted(us, key=rank.get) for v, us in out.items()}

    return rows, rank, goodness_of, endorsers_of


def opinions(interactions: DataFrame, kinds: list[str], disapproval_kinds: list[str]) -> DataFrame:
    """`interactions` with `s`: EndorsementPolicy.opinions, −1 for a negative rating or a
    disapproval kind, +1 for an endorsement kind, else 0."""
    against = [k for k in disapproval_kinds if k not in kinds]
    s = (
        F.when(F.col("rating") < 0, -1).when(F.col("kind").isin(kinds), 1).when(F.col("kind").isin(against), -1).otherwise(0)
    )
    return interactions.withColumn("s", s)


def rated_pairs(signed: DataFrame) -> DataFrame:
    """(u, v, s): the latest non-zero opinion of each rater u on each other account v (the later
    row among equal times)."""
    latest = (
        signed.where((F.col("s") != 0) & (F.col("src") != F.col("dst")))
        .groupBy("src", "dst").agg(F.max(F.struct("ts", "row", "s")).alias("x"))
    )
    return latest.select(F.col("src").alias("u"), F.col("dst").alias("v"), F.col("x.s").alias("s"))


def fairness_rounds(pairs: DataFrame, log: Callable[[str], None]) -> tuple[DataFrame, DataFrame, int]:
    """RaterFairness: (u, f) for every rater and (v, ws, wt, g) for every rated account, from
    f = 1 until no fairness moves by more than 1e-6."""
    fair = pairs.select("u").distinct().withColumn("f", F.lit(1.0)).localCheckpoint()
    good = None
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        good = (
            pairs.join(fair, "u").groupBy("v")
            .agg(F.sum(F.col("f") * F.col("s")).alias("ws"), F.sum("f").alias("wt"))
            .withColumn("g", F.when(F.col("wt") > 0, F.col("ws") / F.col("wt")).otherwise(0.0))
        )
        step = (
            pairs.join(good.select("v", "g"), "v").groupBy("u")
            .agg((1 - F.sum(F.abs(F.col("s") - F.col("g")) / 2) / F.count("*")).alias("nf"))
            .join(fair, "u").localCheckpoint()
        )
        moved = step.agg(F.max(F.abs(F.col("nf") - F.col("f")))).first()[0] or 0.0
        fair = step.select("u", F.col("nf").alias("f"))
        if moved < TOLERANCE:
            break
    log(f"contested-reputation: fairness converged in {rounds} round(s)")
    return fair, good.localCheckpoint(), rounds


def fair_critics(pairs: DataFrame, fair: DataFrame, good: DataFrame, minimum_fairness: float,
                 minimum_negatives: int) -> DataFrame:
    """(v, n, critics): the candidates, accounts of negative goodness with >= minimum_negatives
    critics fair elsewhere (RaterFairness.fairnessElsewhere, against the raters outside the
    account's critics, on the other accounts each rated), n its raters, critics those fair ones."""
    negative = good.where(F.col("g") < 0).select("v")
    raters = pairs.join(negative, "v")
    n = raters.groupBy("v").agg(F.count("*").alias("n"))
    critics = raters.where(F.col("s") < 0).select("v", "u").join(fair, "u")
    cheap = (
        critics.groupBy("v").agg(F.sum(F.when(F.col("f") >= minimum_fairness, 1).otherwise(0)).alias("c"))
        .where(F.col("c") >= minimum_negatives).select("v")
    )
    group = critics.join(cheap, "v").localCheckpoint()  # (v, u, f): every critic of a candidate
    # The critics' own opinions on every account w they rated: (v, c, w, s, f).
    theirs = group.join(pairs.select(F.col("u"), F.col("v").alias("w"), "s"), "u").localCheckpoint()
    outside = theirs.groupBy("v", "w").agg(F.sum(F.col("f") * F.col("s")).alias("gs"), F.sum("f").alias("gt"))
    consensus = good.select(F.col("v").alias("w"), "ws", "wt")
    total = F.col("wt") - F.col("gt")
    elsewhere = (
        theirs.where(F.col("w") != F.col("v")).join(outside, ["v", "w"]).join(consensus, "w")
        .where(total > 1e-9)
        .withColumn("d", F.abs(F.col("s") - (F.col("ws") - F.col("gs")) / total) / 2)
        .groupBy("v", "u").agg((1 - F.sum("d") / F.count("*")).alias("fe"))
    )
    fair_ones = elsewhere.where(F.col("fe") >= minimum_fairness)
    return (
        fair_ones.groupBy("v").agg(F.collect_list("u").alias("critics"))
        .where(F.size("critics") >= minimum_negatives).join(n, "v")
    )


def log10_fisher(log10_ps: list[float]) -> float:
    """ContestedReputationDetector.log10Fisher: log10 of Fisher's combined p-value."""
    if len(log10_ps) <= 1:
        return log10_ps[0] if log10_ps else 0.0
    half = -math.log(10) * sum(log10_ps)
    if not half > 0:
        return 0.0
    terms = [j * math.log(half) - math.lgamma(j + 1.0) for j in range(len(log10_ps))]
    top = max(terms)
    log_sum = top + math.log(sum(math.exp(t - top) for t in terms))
    return min(0.0, (-half + log_sum) / math.log(10))


def _text(x: float) -> str:
    """A Double as Swift's string interpolation writes it (shortest round trip, `.0` kept)."""
    return repr(float(x))


def contested_reputation(spark, interactions: DataFrame, order: Callable[[list[str]], dict], kinds: list[str],
                         disapproval_kinds: list[str], minimum_negatives: int = 2, minimum_fairness: float = 0.5,
                         false_discovery_rate: float = 0.05, log: Callable[[str], None] = lambda m: None,
                         driver_pairs: int | None = None) -> list[Finding]:
    """`contested-reputation`: candidates tested by P(Binomial(n, p0) >= k fair critics), kept by
    Benjamini–Hochberg at `false_discovery_rate`; reported accounts endorsing one another are
    one ring. `order(ids)` gives each id's position in the Swift scan's account order. Up to
    `driver_pairs` rated pairs, the fairness rounds and candidates run on the driver
    (rater_fairness.py, bit for bit the Swift scan's); above, as Spark aggregations."""
    signed = opinions(interactions, kinds, disapproval_kinds)
    if signed.where(F.col("s") < 0).limit(1).count() == 0:
        return []  # no disapproval: nothing to test
    pairs = rated_pairs(signed).localCheckpoint()
    counts = pairs.agg(F.count("*").alias("m"), F.sum(F.when(F.col("s") < 0, 1).otherwise(0)).alias("neg")).first()
    p0 = counts["neg"] / counts["m"] if counts["m"] else 0.0
    if not p0 > 0:
        return []
    if counts["m"] <= (DRIVER_PAIRS if driver_pairs is None else driver_pairs):
        rows, rank, goodness_of, endorsers_of = _on_driver(pairs, order, minimum_fairness, minimum_negatives, log)
    else:
        rows, rank, goodness_of, endorsers_of = _distributed(spark, pairs, order, minimum_fairness, minimum_negatives, log)
    if not rows:
        return []
    candidates = sorted(
        ((log10_binomial_tail(len(critics), n, p0), rank[v], v, n, critics) for v, n, critics in rows),
        key=lambda c: (c[0], c[1]),
    )
    m = float(len(candidates))
    log10_q = math.log10(false_discovery_rate)
    accepted = 0
    for i, c in enumerate(candidates):
        if c[0] <= log10_q + math.log10((i + 1) / m):
            accepted = i + 1
    reported = candidates[:accepted]
    if not reported:
        return []
    slot = {c[2]: i for i, c in enumerate(reported)}
    endorsers = endorsers_of([c[2] for c in reported])
    goodness = goodness_of([c[2] for c in reported])
    parent = list(range(len(reported)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    inner = [0] * len(reported)
    for i, c in enumerate(reported):
        for u in endorsers.get(c[2], []):
            if u in slot:
                parent[root(i)] = root(slot[u])
                inner[i] += 1
    rings: dict[int, list[int]] = {}
    for i in range(len(reported)):
        rings.setdefault(root(i), []).append(i)

    def evidence(c) -> dict:
        log10_p, _, v, raters, critics = c
        ends = endorsers.get(v, [])
        g = goodness[v]
        reason = (
            f"Contested reputation (REV2 fairness): {len(critics)} of its {raters} raters disapprove of {v} "
            "and are fair (they agree with other raters' consensus on the other accounts they rate); the fair consensus on it is "
            f"{_text(round_to(g, 2))} on a scale of −1 to 1. An ordinary account would draw that many disapprovals "
            f"with chance 10^{_text(round_to(log10_p, 1))} (the set's disapproval rate is {_text(round_to(100 * p0, 1))} %)"
        )
        if ends:
            reason += f"; {len(ends)} account(s) endorse it"
        return {
            "account": v, "raters": raters, "fair_disapprovals": len(critics), "endorsers": len(ends),
            "goodness": round_to(g, 3), "disapproval_rate": round_to(p0, 4), "log10_p": round_to(log10_p, 1),
            "false_discovery_rate": false_discovery_rate, "fair_critics": critics[:LISTED],
            "endorser_accounts": ends[:LISTED], "reason": reason,
        }

    findings = []
    for group in sorted(rings.values(), key=lambda g: g[0]):
        members = [reported[i] for i in group]
        log10_p = log10_fisher([c[0] for c in members])
        parts = [evidence(c) for c in members]
        if len(group) == 1:
            combined = parts[0]
        else:
            links = sum(inner[i] for i in group)
            reason = (
                f"Ring of {len(group)} contested accounts endorsing one another ({links} endorsements among them): "
                "each drew improbably many disapprovals from fair raters (REV2 fairness) and a negative fair consensus; "
                f"their tests combined (Fisher) give chance 10^{_text(round_to(log10_p, 1))} that ordinary accounts would"
            )
            combined = {"members": len(group), "endorsements_among_members": links, "log10_p": round_to(log10_p, 1),
                        "accounts": parts[:LISTED], "reason": reason}
        findings.append(Finding("bought_engagement", "contested-reputation", round_to(-log10_p, 2),
                                [c[2] for c in members], combined))
    return findings
