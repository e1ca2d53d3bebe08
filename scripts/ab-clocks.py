#!/usr/bin/env python3
"""Compares the two clocks of `perfgate ab` on the same runs: every A/B results file keeps
both sides' wall-time samples (`samples_ns`) and thread CPU-time samples (`cpu_ns`), so the
verdict a run would have had with `--clock wall` is derived from the very samples it took.

For each results file (`perfgate ab --results-out`, e.g. results-CASE-I.json kept by
scripts/ab-eval.sh) whose benchmarks were timed by CPU time, the wall-time rounds are
recomputed as `perfgate ab` computes them (per visit, the median of each side's samples of
that visit; a side's samples are stored visit after visit, k per visit), written to a
temporary copy with `clock = wall`, and both files are gated by `perfgate compare`.

usage: scripts/ab-clocks.py PERFGATE RESULTS.json... [--target PREFIX]
Prints per clock: runs that flag anything, runs that flag a benchmark named PREFIX* as a
regression (default gelu/), runs that flag another benchmark, and the median over runs of
each benchmark's robust round spread (IQR/1.349 of its per-round log-ratios, in %).
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import tempfile


def median(x):
    return statistics.median(x)


def robust_spread(x):
    if len(x) < 4:
        return float("nan")
    q = statistics.quantiles(x, n=4, method="inclusive")
    return (q[2] - q[0]) / 1.349


def to_wall(results):
    """The same run with its rounds timed by wall time."""
    out = json.loads(json.dumps(results))
    out["settings"]["clock"] = "wall"
    for b in out["benchmarks"]:
        rounds = b["rounds"]
        if b.get("clock") != "cpu" or not rounds:
            continue
        k = len(b["base"]["samples_ns"]) // len(rounds)
        assert k * len(rounds) == len(b["base"]["samples_ns"]) == len(b["head"]["samples_ns"])
        for i, r in enumerate(rounds):
            base = median(b["base"]["samples_ns"][i * k:(i + 1) * k])
            head = median(b["head"]["samples_ns"][i * k:(i + 1) * k])
            r["base_p50_ns"], r["head_p50_ns"] = base, head
            r["log_ratio"] = math.log(head / base)
        b["clock"] = "wall"
    return out


def flags(perfgate, path):
    """{benchmark: status} of the regressions and improvements `perfgate compare` finds."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "verdict.json")
        subprocess.run([perfgate, "compare", path, "--format", "json", "--out", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        v = json.load(open(out))
    return {b["name"]: b["status"] for b in v["benchmarks"]
            if b["status"] in ("regression", "improvement")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("perfgate")
    ap.add_argument("results", nargs="+")
    ap.add_argument("--target", default="gelu/")
    args = ap.parse_args()
    tally = {c: [0, 0, 0] for c in ("cpu", "wall")}
    spreads = {c: {} for c in ("cpu", "wall")}
    for path in args.results:
        results = json.load(open(path))
        with tempfile.TemporaryDirectory() as d:
            wall_path = os.path.join(d, "wall.json")
            wall = to_wall(results)
            json.dump(wall, open(wall_path, "w"))
            for clock, data, p in (("cpu", results, path), ("wall", wall, wall_path)):
                f = flags(args.perfgate, p)
                hit = {n for n, s in f.items() if n.startswith(args.target) and s == "regression"}
                t = tally[clock]
                t[0] += bool(f)
                t[1] += bool(hit)
                t[2] += bool(set(f) - hit)
                if f:
                    print(f"{os.path.basename(path)} {clock}: {f}")
                for b in data["benchmarks"]:
                    lr = [r["log_ratio"] for r in b["rounds"]]
                    spreads[clock].setdefault(b["name"], []).append(100 * robust_spread(lr))
    n = len(args.results)
    for clock, (anything, hit, other) in tally.items():
        print(f"{clock:4}: runs {n}  flagged-anything {anything}  {args.target}-regression {hit}"
              f"  other-flagged {other}")
    print(f"{'benchmark':28} round spread % (median over runs): cpu / wall")
    for name in spreads["cpu"]:
        c, w = median(spreads["cpu"][name]), median(spreads["wall"][name])
        print(f"{name:28} {c:6.2f} / {w:6.2f}")


if __name__ == "__main__":
    main()
