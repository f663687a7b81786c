"""Fake profile details on Spark: rare shared values (Spark SQL aggregations) and
near-duplicate bios (MLlib MinHashLSH). The formulas are those of
Sources/AnomalyDetect/FakeProfiles/{ProfileValueStatistics,RareSharedValueDetector,
NearDuplicateTextDetector}.swift, which the doc comments there state."""

import math
import zlib

from pyspark.ml.feature import MinHashLSH
from pyspark.ml.linalg import SparseVector, VectorUDT
from pyspark.sql import Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .components import connected_components
from .report import Finding, iso_minutes, round_to

MAX_SHARERS = 50
HOUSEHOLD_SIZE = 5
HOUSEHOLD_FIELDS = ["address", "phone", "device"]
AFFILIATIONS = ["employer", "school"]
TEXT_FIELDS = ["bio", "employer", "school"]


def round1(x):
    return round_to(x, 1)


def value_statistics(edits):
    """Per distinct value string (values are interned across fields): its field (that of its
    first edit), its distinct accounts k, its first-edit row, and surprise ln(n/k) (at least
    0.1) when 2 <= k <= 50 and it is not a household value shared by at most 5; n is the
    number of accounts with any profile edit."""
    n = edits.select("account").distinct().count()
    first = (
        edits.groupBy("value")
        .agg(F.min(F.struct("row", "field")).alias("f"), F.countDistinct("account").alias("k"))
        .select("value", F.col("f.field").alias("field"), F.col("f.row").alias("first_row"), "k")
    )
    household = F.col("field").isin(HOUSEHOLD_FIELDS) & (F.col("k") <= HOUSEHOLD_SIZE)
    surprising = (F.col("k") >= 2) & (F.col("k") <= MAX_SHARERS) & ~household
    stats = first.withColumn(
        "surprise", F.when(surprising, F.greatest(F.log(F.lit(float(max(n, 1))) / F.col("k")), F.lit(0.1))).otherwise(0.0)
    )
    return n, stats.cache()


def rare_shared_values(edits, stats, min_shared=2, min_accounts=4):
    """`rare-shared-values`: accounts tied by >= 2 surprising shared values (one not an
    affiliation), grouped into connected parts of >= 4 accounts; score = sum of the surprises
    of the values at least half the group shares."""
    av = edits.select("account", "value").distinct().join(stats.where("surprise > 0"), "value")
    # Accounts with fewer than min_shared surprising values tie nobody.
    av = av.join(av.groupBy("account").count().where(F.col("count") >= min_shared).select("account"), "account")
    left = av.select(F.col("account").alias("a"), "value", F.when(F.col("field").isin(AFFILIATIONS), 0).otherwise(1).alias("identity"))
    right = av.select(F.col("account").alias("b"), "value")
    tied = (
        left.join(right, "value").where(F.col("a") < F.col("b"))
        .groupBy("a", "b").agg(F.count("*").alias("shared"), F.sum("identity").alias("identity"))
        .where((F.col("shared") >= min_shared) & (F.col("identity") > 0))
    )
    comps = connected_components(tied).cache()
    sizes = comps.groupBy("component").count().where(F.col("count") >= min_accounts)
    members = comps.join(sizes.select("component"), "component")
    # Per group, its surprising values and how many members set each (>= 2).
    per_value = (
        members.withColumnRenamed("node", "account").join(av, "account")
        .groupBy("component", "value", "field", "first_row", "k", "surprise").agg(F.countDistinct("account").alias("in_group"))
        .where(F.col("in_group") >= 2)
    )
    groups = {}
    for r in members.collect():
        groups.setdefault(r["component"], []).append(r["node"])
    values = {}
    for r in per_value.collect():
        values.setdefault(r["component"], []).append(r)
    findings = []
    for comp, group in groups.items():
        vs = sorted(values.get(comp, []), key=lambda r: (-r["in_group"], r["first_row"]))
        core = [r for r in vs if r["in_group"] * 2 >= len(group)]
        score = sum(r["surprise"] for r in core)
        listed = [
            {"field": r["field"], "value": r["value"], "accounts": r["in_group"], "accounts_overall": r["k"], "surprise": round1(r["surprise"])}
            for r in vs[:8]
        ]
        described = [f'the {r["field"]} "{r["value"]}" ({r["k"]} account{"" if r["k"] == 1 else "s"} overall)' for r in core[:4]]
        reason = (
            f"{len(group)} accounts are tied by {len(vs)} values that few others share; most share "
            + (", ".join(described) if described else "several of them")
        )
        findings.append(Finding("fake_profile", "rare-shared-values", score, sorted(group), {"shared_values": listed, "reason": reason}))
    return findings


def normalise(text):
    """MinHashIndex.normalise: ASCII letters lower-cased, runs of non-word bytes one space."""
    out = bytearray()
    pending = False
    for ch in text.encode("utf-8"):
        if 65 <= ch <= 90:
            ch += 32
        if (97 <= ch <= 122) or (48 <= ch <= 57) or ch >= 128:
            if pending and out:
                out.append(32)
            pending = False
            out.append(ch)
        else:
            pending = True
    return bytes(out)


SHINGLE_SPACE = 1 << 22


def _shingles(text, length):
    b = normalise(text)
    grams = {b[i : i + length] for i in range(max(1, len(b) - length + 1))}
    idx = sorted({zlib.crc32(g) % SHINGLE_SPACE for g in grams})
    return SparseVector(SHINGLE_SPACE, idx, [1.0] * len(idx))


def _jaccard(x, y, length=5):
    a, b = normalise(x), normalise(y)
    sa = {a[i : i + length] for i in range(max(1, len(a) - length + 1))}
    sb = {b[i : i + length] for i in range(max(1, len(b) - length + 1))}
    return len(sa & sb) / max(1, len(sa | sb))


def near_duplicate_text(spark, edits, stats, n_active, threshold=0.5, min_accounts=3, min_text_bytes=16, window=86_400,
                        shingle_length=5, bands=10, rows_per_band=5, max_bucket=64, seed=20260301):
    """`near-duplicate-text`: distinct bio/employer/school values shared by <= 50 accounts, at
    least 16 normalised bytes long, hashed by MLlib MinHashLSH (50 MinHashes) over character
    5-gram sets; candidate pairs (same field, one of 10 bands of 5 MinHashes equal, buckets of
    at most 64) with estimated Jaccard >= 0.5 are joined; a group of >= 2 bios set by >= 3 accounts, and
    corroborated (max(3, half) of them set the bios within a day, or share another surprising
    value), is reported with score ln(n/k) * (1 + mean Jaccard)."""
    texts = stats.where(F.col("field").isin(TEXT_FIELDS) & (F.col("k") <= MAX_SHARERS)).select("value", "field", "first_row", "k")
    norm_len = F.udf(lambda s: len(normalise(s)), T.IntegerType())
    texts = texts.where(norm_len("value") >= min_text_bytes)
    vec = F.udf(lambda s: _shingles(s, shingle_length), VectorUDT())
    texts = texts.withColumn("features", vec("value")).cache()
    if texts.limit(1).count() == 0:
        return []
    # MLlib's MinHashLSH computes the signatures (one MinHash per "hash table"); the banding is
    # the Swift index's: 10 bands of 5 MinHashes, a candidate pair shares one band's 5 values,
    # and a bucket of more than 64 texts (a stock phrase, not a copy) yields none. MLlib's own
    # approxSimilarityJoin amplifies by OR only (1 MinHash per table), so a common vocabulary
    # makes candidate pairs grow quadratically.
    hashes = bands * rows_per_band
    model = MinHashLSH(inputCol="features", outputCol="hashes", numHashTables=hashes, seed=seed).fit(texts)
    sig_udf = F.udf(lambda hs: [int(h[0]) for h in hs], T.ArrayType(T.LongType()))
    signed = model.transform(texts).select("value", "field", sig_udf("hashes").alias("sig")).cache()
    banded = signed.select(
        "value", "field", "sig",
        F.posexplode(F.expr(f"transform(sequence(0, {bands - 1}), b -> slice(sig, b * {rows_per_band} + 1, {rows_per_band}))")).alias("band", "key"),
    )
    bucket = Window.partitionBy("field", "band", "key")
    banded = banded.withColumn("size", F.count("*").over(bucket)).where((F.col("size") >= 2) & (F.col("size") <= max_bucket))
    left = banded.select("field", "band", "key", F.col("value").alias("a"), F.col("sig").alias("sa"))
    right = banded.select("field", "band", "key", F.col("value").alias("b"), F.col("sig").alias("sb"))
    agree = F.expr(f"size(filter(arrays_zip(sa, sb), z -> z.sa = z.sb)) / {hashes}")
    pairs = (
        left.join(right, ["field", "band", "key"]).where(F.col("a") < F.col("b")).select("a", "b", "sa", "sb").distinct()
        .select("a", "b", agree.alias("similarity")).where(F.col("similarity") >= threshold)
    ).cache()
    if pairs.limit(1).count() == 0:
        return []
    comps = connected_components(pairs).cache()
    # The mean similarity of a group, as the Swift detector counts it: over the pairs that
    # joined two parts of it (a spanning forest; pairs taken in (a, b) order here).
    joined = pairs.join(comps.select(F.col("node").alias("a"), "component"), "a").select("component", "a", "b", "similarity")
    by_comp = {}
    for r in joined.collect():
        by_comp.setdefault(r["component"], []).append((r["a"], r["b"], r["similarity"]))
    means = {}
    for comp, lst in by_comp.items():
        parent = {}

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        total = count = 0
        for a, b, sim_ab in sorted(lst):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
                total += sim_ab
                count += 1
        means[comp] = total / max(count, 1)
    info = comps.join(stats.select(F.col("value").alias("node"), "field", "first_row"), "node")
    groups = {}
    for r in info.collect():
        groups.setdefault(r["component"], []).append((r["first_row"], r["node"], r["field"]))
    group_values = [v for vs in groups.values() for _, v, _ in vs]
    # The accounts of each grouped value, their edits (for corroboration) collected for these accounts only.
    acc_rows = edits.join(spark.createDataFrame([(v,) for v in group_values], "value string"), "value").select("value", "account").distinct().collect()
    accounts_of = {}
    for r in acc_rows:
        accounts_of.setdefault(r["value"], set()).add(r["account"])
    involved = sorted({a for s in accounts_of.values() for a in s})
    their_edits = (
        edits.join(spark.createDataFrame([(a,) for a in involved], "account string"), "account")
        .join(stats.select("value", "surprise"), "value").select("account", "value", "ts", "surprise").collect()
        if involved else []
    )
    edits_of = {}
    for r in their_edits:
        edits_of.setdefault(r["account"], []).append(r)

    def corroborated(accounts, values):
        needed = max(min_accounts, (len(accounts) + 1) // 2)
        times, others = [], {}
        for a in accounts:
            first, mine = None, set()
            for r in edits_of.get(a, []):
                if r["value"] in values:
                    first = r["ts"] if first is None else min(first, r["ts"])
                elif r["surprise"] > 0 and r["value"] not in mine:
                    mine.add(r["value"])
                    others[r["value"]] = others.get(r["value"], 0) + 1
            if first is not None:
                times.append(first)
        if any(c >= needed for c in others.values()):
            return True
        times.sort()
        lo = 0
        for hi in range(len(times)):
            while times[hi] - times[lo] > window:
                lo += 1
            if hi - lo + 1 >= needed:
                return True
        return False

    findings, extras = [], []
    for comp, vs in sorted(groups.items()):
        vs.sort()
        values = [v for _, v, _ in vs]
        field = vs[0][2]
        accounts = set()
        for v in values:
            accounts |= accounts_of.get(v, set())
        if field != "bio":
            extras.append((field, values, accounts))
            continue
        if not (min_accounts <= len(accounts) <= MAX_SHARERS) or not corroborated(accounts, set(values)):
            continue
        mean = means.get(comp, 0.0)
        score = max(math.log(max(n_active, 1) / len(accounts)), 0.1) * (1 + mean)
        reason = f"{len(accounts)} accounts set {len(values)} near-identical bios (mean estimated Jaccard similarity {mean:.2f} of character 5-grams)"
        findings.append(
            Finding("fake_profile", "near-duplicate-text", score, sorted(accounts),
                    {"near_duplicate_bios": values[:6], "similarity": round1(mean * 10) / 10, "reason": reason})
        )
    finding_of = {a: f for f, finding in enumerate(findings) for a in finding.accounts}
    for field, values, accounts in extras:
        overlap = {}
        for a in accounts:
            if a in finding_of:
                overlap[finding_of[a]] = overlap.get(finding_of[a], 0) + 1
        for f, common in sorted(overlap.items()):
            if common * 2 >= len(accounts):
                key = f"near_duplicate_{field}s"
                findings[f].evidence[key] = findings[f].evidence.get(key, []) + values[:6]
    return findings
