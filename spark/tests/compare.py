"""Comparing a Spark report with the single-process `fraudscan scan --format json` report."""

import json
import os
import subprocess

KINDS = ["bought_engagement", "circular_payment", "fake_profile"]
# Detectors the Spark scan does not run: accounts only they flag are expected to be missing
# from the Spark report. (Every detector of `fraudscan scan` is ported: none.)
NOT_IN_SPARK: set = set()


def reference(binary, path, *extra):
    """`fraudscan scan PATH --format json EXTRA...`, parsed."""
    out = subprocess.run([binary, "scan", path, "--format", "json", *extra], capture_output=True, text=True, check=True,
                         env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    return json.loads(out.stdout)


def flagged(report):
    """kind -> set of accounts."""
    out = {k: set() for k in KINDS}
    for c in report["clusters"]:
        out[c["kind"]] |= set(c["accounts"])
    return out


def flagged_by_ported(report):
    """kind -> accounts of the clusters that only detectors the Spark scan runs found. (A
    cluster that also holds a finding of a detector not ported may owe some of its accounts
    to that finding alone: the report does not say which accounts each merged finding has.)"""
    out = {k: set() for k in KINDS}
    for c in report["clusters"]:
        if not set(c["detector"].split("+")) & NOT_IN_SPARK:
            out[c["kind"]] |= set(c["accounts"])
    return out


def mixed_clusters(report):
    """The clusters holding findings of both a ported and a not-ported detector."""
    return [c for c in report["clusters"]
            if set(c["detector"].split("+")) & NOT_IN_SPARK and set(c["detector"].split("+")) - NOT_IN_SPARK]


def compare(ref, spark):
    """Per kind: accounts both flag, only the single-process scan, only Spark."""
    a, b, ported = flagged(ref), flagged(spark), flagged_by_ported(ref)
    return {
        k: {
            "both": sorted(a[k] & b[k]),
            "only_reference": sorted(a[k] - b[k]),
            "only_reference_ported": sorted(ported[k] - b[k]),
            "only_spark": sorted(b[k] - a[k]),
        }
        for k in KINDS
    }


def evidence(report, detector):
    """{accounts: evidence} of every finding of `detector`, a merged cluster's read from its
    evidence (keyed then by the cluster's accounts)."""
    out = {}
    for c in report["clusters"]:
        ev = c["evidence"]
        parts = ev["findings"] if isinstance(ev, dict) and "findings" in ev and "+" in c["detector"] else [
            {"detector": c["detector"], "evidence": ev}]
        for p in parts:
            if p["detector"] == detector:
                e = p["evidence"]
                out[tuple(c["accounts"])] = {k: v for k, v in e.items() if k != "size_note"} if isinstance(e, dict) else e
    return out


def findings(report, detectors=None):
    """Sorted (kind, detector, score rounded to 2 decimals) of every finding in the report, a
    merged cluster's findings read from its evidence; only `detectors` when given."""
    out = []
    for c in report["clusters"]:
        ev = c["evidence"]
        parts = ev["findings"] if isinstance(ev, dict) and "findings" in ev and "+" in c["detector"] else [
            {"detector": c["detector"], "score": c["score"]}]
        for p in parts:
            for d in p["detector"].split("+"):
                if detectors is None or d in detectors:
                    out.append((c["kind"], d, round(p["score"], 2)))
    return sorted(out)
