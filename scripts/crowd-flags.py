#!/usr/bin/env python3
"""Counts the honest-crowd accounts a scan flagged, per crowd, on a `fraudscan synth` set.

    scripts/crowd-flags.py REPORT.json SET_DIR

REPORT.json is `fraudscan scan SET_DIR --format json`; SET_DIR holds the synth set's crowds.csv
(account,crowd: viral_target, viral_fan, club, busy_rater; all unlabelled honest accounts) and
labels.csv. Prints one line per crowd (members, flagged as bought_engagement) and, for
bought_engagement, account-level precision, recall and F1 against labels.csv.

When SET_DIR also holds farms.csv (account,farm,style,role), it prints recall per farm style
(endorsers and customers apart), the farms missed whole, and the clusters that join accounts of
two or more farms (the issue's "no cluster merges two farms").
"""
import collections
import csv
import json
import os
import sys

report, directory = sys.argv[1:3]
clusters = json.load(open(report)).get("clusters", [])
flagged = set()
engagement_clusters = [c for c in clusters if c["kind"] == "bought_engagement"]
for c in engagement_clusters:
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

farms_csv = f"{directory}/farms.csv"
if os.path.exists(farms_csv):
    farm_of = {}
    members = collections.defaultdict(list)  # (style, role) -> accounts
    farm_members = collections.defaultdict(set)
    farm_style = {}
    for row in csv.DictReader(open(farms_csv)):
        farm_of[row["account"]] = row["farm"]
        members[(row["style"], row["role"])].append(row["account"])
        farm_members[row["farm"]].add(row["account"])
        farm_style[row["farm"]] = row["style"]
    for style in sorted({s for s, _ in members}):
        parts = []
        for role in ("endorser", "customer"):
            accounts = members.get((style, role), [])
            hit = sum(1 for a in accounts if a in flagged)
            parts.append(f"{role}s {hit}/{len(accounts)}")
        missed = sum(1 for f, s in farm_style.items() if s == style and not (farm_members[f] & flagged))
        farms = sum(1 for s in farm_style.values() if s == style)
        print(f"farm {style:15s} {', '.join(parts)}, farms missed whole {missed}/{farms}")
    merging = [(c.get("rank"), sorted({farm_of[a] for a in c["accounts"] if a in farm_of}))
               for c in engagement_clusters]
    merging = [(rank, farms) for rank, farms in merging if len(farms) > 1]
    print(f"clusters joining two or more farms: {len(merging)} of {len(engagement_clusters)}"
          + "".join(f"\n  cluster {rank}: farms {', '.join(farms)}" for rank, farms in merging[:10]))
