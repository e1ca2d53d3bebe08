#!/usr/bin/env python3
"""Synthetic runs for examples/gate_eval.rs: what the gate does on a quiet machine.

Writes OUT/run-1.json ... run-R.json with the benchmarks and medians of a baseline file:
each run shifts every benchmark by N(0, RUN_NOISE), each sample adds N(0, SAMPLE_NOISE),
and 5% of the samples are 30% slower (tail outliers, as from a noisy neighbour).

usage: scripts/gate-eval-synthetic.py BASELINE.json OUT [R=15] [RUN_NOISE=0.01] [SAMPLE_NOISE=0.01]
then:  cargo run --example gate_eval -- OUT thresholds.toml 1 5
"""
import json
import os
import sys

import numpy as np

baseline, out = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
run_noise = float(sys.argv[4]) if len(sys.argv) > 4 else 0.01
sample_noise = float(sys.argv[5]) if len(sys.argv) > 5 else 0.01
rng = np.random.default_rng(1)
base = json.load(open(baseline))
os.makedirs(out, exist_ok=True)
for i in range(1, runs + 1):
    benches = []
    for b in base["benchmarks"]:
        center = b["pooled"]["p50_ns"] * (1 + rng.normal(0, run_noise))
        s = center * (1 + rng.normal(0, sample_noise, 40))
        s = np.where(rng.random(40) < 0.05, s * 1.3, s)
        benches.append({
            "name": b["name"],
            "samples_ns": s.tolist(),
            "alloc_bytes_per_iter": b.get("alloc_bytes_per_iter", 0),
            "allocs_per_iter": b.get("allocs_per_iter", 0),
        })
    with open(f"{out}/run-{i}.json", "w") as f:
        json.dump({"env": base["runs"][0]["env"], "benchmarks": benches}, f)
