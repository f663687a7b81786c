#!/usr/bin/env python3
"""Counts the honest-crowd accounts a scan flagged, per crowd, on a `fraudscan synth` set.

    scripts/crowd-flags.py REPORT.json SET_DIR

REPORT.json is `fraudscan scan SET_DIR --format json`; SET_DIR holds the synth set's crowds.csv
(account,crowd: viral_target, viral_fan, club, busy_rater; all unlabelled honest accounts) and
labels.csv. Prints one line per crowd (members, flagged as bought_engagement) and, for
bought_engagement, account-level precision, recall and F1 against labels.csv.
"""
import csv
import json
import sys

report, directory = sys.argv[1:3]
clusters = json.load(open(report)).get("clusters", [])
flagged = set()
for c in clusters:
    if c["kind"] == "bought_engagement":
        flagged.update(c["accounts"])
crowds = {}
for row in csv.DictReader(open(f"{directory}/crowds.csv")):
    crowds.setdefault(row["crowd"], set()).add(row["account"])
bought = {r["account"] for r in csv.DictReader(open(f"{directory}/labels.csv")) if r["label"] == "bought_engagement"}
for name in ("viral_target", "viral_fan", "club", "busy_rater"):
    members = crowds.get(name, set()) - bought
    print(f"{name:13s} members={len(members):6d} flagged={len(members & flagged)}")
tp = len(flagged & bought)
p = tp / len(flagged) if flagged else 0.0
r = tp / len(bought) if bought else 0.0
f1 = 2 * p * r / (p + r) if p + r else 0.0
all_crowd = set().union(*crowds.values()) - bought if crowds else set()
print(f"bought_engagement P={p:.3f} R={r:.3f} F1={f1:.3f} flagged={len(flagged)} labelled={len(bought)} "
      f"crowd_flagged={len(all_crowd & flagged)}")
