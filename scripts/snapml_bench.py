#!/usr/bin/env python3
"""Snap ML's GraphFeaturePreprocessor on a fraudscan payments.csv (ids `a<number>`), one thread,
timing fit_transform only: the peer of `fraudscan bench --suite cycles` in BENCHMARKS.md.

    python3 -m venv /tmp/snapvenv && /tmp/snapvenv/bin/pip install snapml numpy
    taskset -c 1 /tmp/snapvenv/bin/python scripts/snapml_bench.py /tmp/pay1m/payments.csv"""
import sys, time, numpy as np, csv
from snapml import GraphFeaturePreprocessor
path=sys.argv[1]
t0=time.time()
rows=[]
with open(path) as f:
    r=csv.reader(f); next(r)
    for i,(pid,s,d,a,ts) in enumerate(r):
        rows.append((i,int(s[1:]),int(d[1:]),int(ts),float(a)))
X=np.array(rows,dtype=np.float64); del rows
print(f"loaded {len(X)} payments in {time.time()-t0:.1f} s", flush=True)
day=86400
params={"num_threads":1,"vertex_stats":True,"vertex_stats_cols":[4],"vertex_stats_tw":7*day,
 "fan":True,"fan_tw":day,"degree":True,"degree_tw":day,
 "scatter-gather":True,"scatter-gather_tw":7*day,
 "temp-cycle":True,"temp-cycle_tw":7*day,
 "lc-cycle":False}
g=GraphFeaturePreprocessor(); g.set_params(params)
t=time.time(); out=g.fit_transform(X); el=time.time()-t
import resource
print(f"snapml GraphFeaturePreprocessor fit_transform: {len(X)} payments in {el:.2f} s, {out.shape[1]} features, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024} MiB", flush=True)
print("params", params)
