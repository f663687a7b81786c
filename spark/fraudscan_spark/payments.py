"""Collusive payments: Spark partitions the payment graph, the `fraudscan` binary enumerates.

1. Weakly connected components of the payment graph (components.py): every payment structure
   the Swift detectors report (cycles, fan-in/out, scatter-gather, stacks) is connected, so
   it lies inside one component.
2. Components are packed into partitions of at most `partition_payments` payments (largest
   first, each to the lightest partition). A component larger than that is cut into time
   windows of `window_seconds` overlapping by `overlap_seconds` (the longest span a detector
   links: structured-flow's 60 days by default), so a structure inside the overlap is seen
   whole by at least one window.
3. Each partition's payments.csv (and accounts.csv) is written to a temporary directory on an
   executor and `fraudscan scan DIR --format json` runs there (RDD.mapPartitions); its
   clusters come back as findings for the final ranking. A cluster found twice (in two
   overlapping windows) is kept once.

The payment detectors read some set-wide statistics (structured-flow's amount distribution
and its Bonferroni factor over the pairs that paid twice); with one partition they see the
whole set and the result is the single-process one, with several they see their partition's.
"""

import csv
import json
import os
import shutil
import subprocess
import tempfile

from pyspark.sql import functions as F

from .components import connected_components
from .report import Finding

PAYMENT_DETECTORS = ["circular-payment", "gather-scatter", "structured-flow"]


def find_binary(given=None):
    """`--fraudscan-bin`, else `fraudscan` on PATH, else the checkout's release or debug build."""
    if given:
        return given
    found = shutil.which("fraudscan")
    if found:
        return found
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for build in ("release", "debug"):
        path = os.path.join(root, ".build", build, "fraudscan")
        if os.access(path, os.X_OK):
            return path
    return "fraudscan"


def _run_partition(binary, extra_args, settings_json, rows):
    """Executor side: write one partition's signal set (and the scan's settings), scan it with
    `fraudscan scan --config`, yield its clusters as JSON."""
    rows = list(rows)
    if not rows:
        return
    by_part = {}
    for key, kind, record in rows:
        by_part.setdefault(key, ([], {}))
        if kind == "p":
            by_part[key][0].append(record)
        else:
            by_part[key][1][record[0]] = record[1]
    for key, (payments, accounts) in sorted(by_part.items()):
        if not payments:
            continue
        d = tempfile.mkdtemp(prefix="fraudscan-spark-")
        try:
            with open(os.path.join(d, "payments.csv"), "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["id", "src", "dst", "amount", "ts"])
                w.writerows(payments)
            if accounts:
                with open(os.path.join(d, "accounts.csv"), "w", newline="", encoding="utf-8") as f:
                    w = csv.writer(f, lineterminator="\n")
                    w.writerow(["account", "created_at"])
                    w.writerows(sorted(accounts.items()))
            config = []
            if settings_json is not None:
                with open(os.path.join(d, "settings.json"), "w", encoding="utf-8") as f:
                    f.write(settings_json)
                config = ["--config", os.path.join(d, "settings.json")]
            exe = binary if os.path.isabs(binary) or os.sep not in binary else os.path.abspath(binary)
            env = dict(os.environ, OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "1"))
            out = subprocess.run([exe, "scan", d, "--format", "json", *config, *extra_args], capture_output=True, text=True, env=env)
            if out.returncode != 0:
                raise RuntimeError(f"fraudscan scan on partition {key} failed ({out.returncode}): {out.stderr.strip()[-2000:]}")
            report = json.loads(out.stdout)
            yield json.dumps({"partition": key, "payments": len(payments), "clusters": report.get("clusters", []),
                              "warnings": report.get("warnings", [])})
        finally:
            shutil.rmtree(d, ignore_errors=True)


def partition_plan(payments, partition_payments, window_seconds, overlap_seconds, parallelism):
    """(id -> partition keys) for every payment: components packed, oversized ones windowed."""
    comps = connected_components(payments.select(F.col("src").alias("a"), F.col("dst").alias("b")))
    per_payment = payments.join(comps.select(F.col("node").alias("src"), "component"), "src")
    sizes = per_payment.groupBy("component").agg(F.count("*").alias("n"), F.min("ts").alias("lo"), F.max("ts").alias("hi"))
    comp_rows = sizes.orderBy(F.col("n").desc(), "component").collect()
    small = [r for r in comp_rows if r["n"] <= partition_payments]
    large = [r for r in comp_rows if r["n"] > partition_payments]
    total_small = sum(r["n"] for r in small)
    bins = max(1, min(parallelism, -(-total_small // max(partition_payments, 1)))) if small else 0
    # Enough bins that none exceeds the bound: greedy (largest first, to the lightest bin).
    while True:
        load = [0] * bins
        assign = {}
        for r in small:
            b = min(range(bins), key=lambda i: (load[i], i))
            load[b] += r["n"]
            assign[r["component"]] = f"c{b}"
        if not small or max(load) <= partition_payments:
            break
        bins += 1
    windows = []
    for r in large:
        step = max(window_seconds - overlap_seconds, 1)
        start = r["lo"]
        k = 0
        while True:
            windows.append((r["component"], f"w{r['component']}:{k}", start, start + window_seconds))
            if start + window_seconds >= r["hi"]:
                break
            start += step
            k += 1
    spark = payments.sparkSession
    keys = []
    if assign:
        a = spark.createDataFrame(list(assign.items()), "component string, key string")
        keys.append(per_payment.join(a, "component").select("id", "src", "dst", "amount", "ts_raw", "ts", "key"))
    if windows:
        wdf = spark.createDataFrame(windows, "component string, key string, lo long, hi long")
        keys.append(
            per_payment.join(wdf, "component").where((F.col("ts") >= F.col("lo")) & (F.col("ts") < F.col("hi")))
            .select("id", "src", "dst", "amount", "ts_raw", "ts", "key")
        )
    plan = keys[0]
    for k in keys[1:]:
        plan = plan.unionByName(k)
    return plan, len(comp_rows), len(set(assign.values())) + len(windows)


def scan_payments(signals, binary, partition_payments=2_000_000, window_seconds=180 * 86_400, overlap_seconds=60 * 86_400,
                  parallelism=2, extra_args=(), log=None, settings_json=None):
    payments = signals.payments
    if payments.limit(1).count() == 0:
        return [], []
    plan, components, partitions = partition_plan(payments, partition_payments, window_seconds, overlap_seconds, parallelism)
    plan = plan.cache()
    created = plan.select("key", F.col("src").alias("account")).union(plan.select("key", "dst")).distinct().join(
        signals.accounts.where("created_at_raw is not null").select("account", "created_at_raw"), "account"
    )
    records = plan.rdd.map(lambda r: (r["key"], ("p", [r["id"], r["src"], r["dst"], r["amount"], r["ts_raw"]]))).union(
        created.rdd.map(lambda r: (r["key"], ("a", (r["account"], r["created_at_raw"]))))
    )
    keys = sorted(r["key"] for r in plan.select("key").distinct().collect())
    index = {k: i for i, k in enumerate(keys)}
    by_key = records.partitionBy(len(keys), lambda k: index[k]).map(lambda kv: (kv[0], kv[1][0], kv[1][1]))
    args = list(extra_args)
    results = by_key.mapPartitions(lambda rows: _run_partition(binary, args, settings_json, rows)).collect()
    if log:
        log(f"payments: {components} connected component(s) in {partitions} partition(s), scanned by {binary}")
    findings, warnings, seen = [], [], set()
    for text in results:
        part = json.loads(text)
        warnings += [w for w in part["warnings"] if w not in warnings and w.split(":")[0] in PAYMENT_DETECTORS]
        for c in part["clusters"]:
            if c["kind"] != "circular_payment":
                continue
            key = (c["detector"], tuple(c["accounts"]))
            if key in seen:
                continue
            seen.add(key)
            ev = c["evidence"]
            if isinstance(ev, dict):
                ev = {k: v for k, v in ev.items() if k != "size_note"}  # recomputed on the whole report
            findings.append(Finding(c["kind"], c["detector"], c["score"], c["accounts"], ev, from_binary=True))
    return findings, warnings
