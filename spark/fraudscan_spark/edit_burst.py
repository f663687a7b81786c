"""`edit-burst` on Spark: accounts that set the same rare profile value in one short burst, and
how far their editing behaviour lies from everyone else's (a port of
Sources/AnomalyDetect/FakeProfiles/EditBehaviourDetector.swift; formulas, thresholds and
evidence are the Swift detector's).

Distributed: the first time each account set each rare value, the densest window per value
(a range window over (value, time)), the four behaviour features of every account with
edits, their exact medians (robust.py), the inliers' covariance, and every account's
Mahalanobis distance with its exact median. On the driver: the bursts' members (values
shared by at most 50 accounts, so a burst holds at most 50), the 4 × 4 Cholesky factor, and
each burst group's evidence.
"""

import math
from dataclasses import dataclass

import numpy as np
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from . import robust
from .report import Finding, iso_minutes

FEATURES = ["x_fields", "x_rate", "x_wait", "x_rare"]
VALUES_SEEN = 64  # the distinct values per account whose rarity is counted
NO_REPLY_HOURS = 24 * 365


def window_text(a: int, b: int) -> str:
    """ProfileEvidence.window: `2026-03-01T12:00Z – 12:47Z`, both dates when the window spans days."""
    start, end = iso_minutes(a), iso_minutes(b)
    return f"{start} – {end[11:]}" if start[:10] == end[:10] else f"{start} – {end}"


def duration(seconds: int) -> str:
    """ProfileEvidence.duration: `47 minutes`, `3.5 hours`, `2.1 days`."""
    if seconds < 5_400:
        return f"{max(seconds // 60, 1)} minutes"
    if seconds < 172_800:
        return "%.1f hours" % (seconds / 3600)
    return "%.1f days" % (seconds / 86_400)


@dataclass
class Burst:
    value: str
    field: str
    order: int  # the value's first edit row: the Swift value index order
    k: int
    start: int
    end: int
    accounts: list


def bursts(edits: DataFrame, stats: DataFrame, window: int, min_accounts: int) -> list[Burst]:
    """Per surprising value set by >= `min_accounts` accounts: the `window` (seconds) holding
    most of its accounts' first settings; a burst when it holds max(min_accounts, half of
    them, rounded up)."""
    cand = stats.where((F.col("surprise") > 0) & (F.col("k") >= min_accounts)).select("value", "field", "first_row", "k")
    first = edits.join(cand.select("value"), "value").groupBy("value", "account").agg(F.min("ts").alias("t"))
    ahead = Window.partitionBy("value").orderBy("t").rangeBetween(0, window)
    counted = first.withColumn("c", F.count("*").over(ahead))
    best = Window.partitionBy("value").orderBy(F.col("c").desc(), F.col("t").asc())
    top = (
        counted.withColumn("r", F.row_number().over(best)).where("r = 1").select("value", F.col("t").alias("start"), "c")
        .join(cand, "value").where(F.col("c") >= F.greatest(F.lit(min_accounts), F.floor((F.col("k") + 1) / 2)))
    )
    rows = (
        first.join(top, "value").where((F.col("t") >= F.col("start")) & (F.col("t") <= F.col("start") + window))
        .select("value", "field", "first_row", "k", "account", "t").collect()
    )
    out: dict[str, Burst] = {}
    for r in rows:
        b = out.setdefault(r["value"], Burst(r["value"], r["field"], r["first_row"], r["k"], r["t"], r["t"], []))
        b.start, b.end = min(b.start, r["t"]), max(b.end, r["t"])
        b.accounts.append(r["account"])
    return sorted(out.values(), key=lambda b: b.order)


def features(edits: DataFrame, stats: DataFrame, interactions: DataFrame, payments: DataFrame) -> DataFrame:
    """(account, x_fields, x_rate, x_wait, x_rare) for every account with edits, larger more
    suspicious: distinct fields; ln(1 + edits per hour of its editing span, at least an hour);
    −ln(1 + hours from its last edit to the first interaction or payment it receives at or
    after it, a year if none); the share of its (first 64 distinct) values that are rare."""
    per = edits.groupBy("account").agg(
        F.count("*").alias("m"), F.min("ts").alias("first"), F.max("ts").alias("last"),
        F.countDistinct("field").alias("fields"),
    )
    by_time = Window.partitionBy("account").orderBy("pos")
    seen = (
        edits.groupBy("account", "value").agg(F.min(F.struct("ts", "row")).alias("pos"))
        .withColumn("i", F.row_number().over(by_time)).where(F.col("i") <= VALUES_SEEN)
        .join(stats.select("value", "surprise"), "value")
        .groupBy("account").agg(F.count("*").alias("seen"), F.sum(F.when(F.col("surprise") > 0, 1).otherwise(0)).alias("rare"))
    )
    last = per.select("account", "last")

    def first_after(df: DataFrame, name: str) -> DataFrame:
        return (
            df.select(F.col("dst").alias("account"), "ts").join(last, "account").where(F.col("ts") >= F.col("last"))
            .groupBy("account").agg(F.min("ts").alias(name))
        )

    replies = per.join(first_after(interactions, "ni"), "account", "left").join(first_after(payments, "np"), "account", "left")
    hours = F.greatest((F.col("last") - F.col("first")) / 3600.0, F.lit(1.0))
    wait = F.coalesce((F.least("ni", "np") - F.col("last")) / 3600.0, F.lit(float(NO_REPLY_HOURS)))
    return replies.join(seen, "account").select(
        "account",
        F.col("fields").cast("double").alias("x_fields"),
        F.log1p(F.col("m") / hours).alias("x_rate"),
        (-F.log1p(wait)).alias("x_wait"),
        (F.col("rare") / F.greatest(F.col("seen"), F.lit(1))).cast("double").alias("x_rare"),
    )


def distances(feats: DataFrame) -> DataFrame:
    """(account, distance): each account's Mahalanobis distance of its robust z-scores under
    their covariance over the inliers (every |z| <= 3) plus a 0.05 ridge; the identity (and a
    zero mean) when at most 5 accounts are inliers (EditBehaviourDetector.robustDistances)."""
    feats = feats.localCheckpoint()
    n = feats.count()
    z = robust.robust_z(feats, FEATURES, n).localCheckpoint()
    zs = [f"z_{c}" for c in FEATURES]
    d = len(zs)
    inlier = F.lit(True)
    for c in zs:
        inlier = inlier & (F.abs(F.col(c)) <= 3)
    inliers = z.where(inlier)
    count = inliers.count()
    mean, cov = [0.0] * d, np.identity(d)
    if count > d + 1:
        mean = list(inliers.agg(*[F.sum(c) for c in zs]).first())
        mean = [m / count for m in mean]
        products = [F.sum((F.col(zs[j]) - mean[j]) * (F.col(zs[k]) - mean[k])) for j in range(d) for k in range(j + 1)]
        sums = list(inliers.agg(*products).first())
        i = 0
        for j in range(d):
            for k in range(j + 1):
                c = sums[i] / (count - 1) + (0.05 if j == k else 0)
                cov[j, k] = cov[k, j] = c
                i += 1
    try:
        lower = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:  # the deliberate fallback of the Swift detector
        lower, mean = np.identity(d), mean
    inverse = np.linalg.solve(lower, np.identity(d))
    return z.select("account", robust.mahalanobis_column(zs, mean, inverse.tolist()).alias("distance")).localCheckpoint()


def edit_bursts(spark, edits: DataFrame, stats: DataFrame, n_active: int, interactions: DataFrame, payments: DataFrame,
                window: int = 6 * 3600, min_burst_accounts: int = 5) -> list[Finding]:
    """`edit-burst`: bursts sharing an account joined into one finding, scored by the median
    Mahalanobis distance of its members (capped at 20) plus ln(n/k) of each value set in it."""
    found = bursts(edits, stats, window, min_burst_accounts)
    if not found:
        return []
    dist = distances(features(edits, stats, interactions, payments))
    overall = robust.median(dist, "distance")
    # Bursts sharing an account: union-find over the bursts (at most 50 accounts each).
    parent = list(range(len(found)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, int] = {}
    for b, burst in enumerate(found):
        for a in burst.accounts:
            if a in owner:
                parent[root(b)] = root(owner[a])
            else:
                owner[a] = b
    groups: dict[int, list[int]] = {}
    for b in range(len(found)):
        groups.setdefault(root(b), []).append(b)
    involved = sorted(owner)
    adf = spark.createDataFrame([(a,) for a in involved], "account string")
    distance_of = {r["account"]: r["distance"] for r in dist.join(adf, "account").collect()}
    edits_of: dict[str, list] = {}
    for r in edits.join(adf, "account").select("account", "field", "value", "ts").collect():
        edits_of.setdefault(r["account"], []).append(r)
    active = float(max(n_active, 1))
    findings = []
    for members in sorted(groups.values(), key=lambda g: g[0]):
        parts = [found[b] for b in members]
        accounts = sorted({a for p in parts for a in p.accounts})
        start, end = min(p.start for p in parts), max(p.end for p in parts)
        ds = [distance_of[a] for a in accounts if a in distance_of]
        med = robust.median_of(ds) if ds else 0.0
        surprise = sum(max(math.log(active / p.k), 0.1) for p in parts)
        entries = sorted(
            (r["ts"], f'{iso_minutes(r["ts"])} {a} set {r["field"]} to "{r["value"]}"')
            for a in accounts for r in edits_of.get(a, []) if start <= r["ts"] <= end
        )
        values = [
            {"field": p.field, "value": p.value, "accounts_in_burst": len(p.accounts), "accounts_overall": p.k,
             "window": window_text(p.start, p.end)}
            for p in parts
        ]
        named = [f'the {p.field} "{p.value}"' for p in parts[:3]]
        reason = (
            f"{len(accounts)} accounts set " + ", ".join(named) + f" within {duration(max(end - start, 60))}"
            + "; their edit behaviour lies at median Mahalanobis distance %.1f from the crowd (overall median %.1f)"
            % (med, overall)
        )
        evidence = {
            "edit_window": window_text(start, end),
            "burst_values": values,
            "edit_timeline": [text for _, text in entries[:40]],
            "mahalanobis_median": robust.round1(med),
            "reason": reason,
        }
        findings.append(Finding("fake_profile", "edit-burst", min(med, 20.0) + surprise, accounts, evidence))
    return findings
