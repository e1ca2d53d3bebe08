#!/usr/bin/env python3
"""Re-decides stored `perfgate ab` verdicts at other family-wise alphas, to weigh the false
alarms of an A/A series against the catches of a head series without re-measuring.

Each P50 check keeps `p_adjusted` (Holm over the run's benchmarks), `change`, `ci_low`,
`ci_high` and `limit`; Holm's adjusted p-values do not depend on alpha, so the rule of
`decide_paired` (src/gate/paired.rs) is applied again as it stands:
  regression  <=> p_adjusted < alpha and change > limit and ci_low > 0
  improvement <=> p_adjusted < alpha and change < -limit and ci_high < 0

usage: scripts/ab-redecide.py DIR... [--alpha A,B,...] [--target PREFIX]
  Prints per DIR (verdict-*.json inside) and alpha: runs that flag anything, runs that flag
  a benchmark named PREFIX* as a regression (default gelu/), runs that flag another one.
  (`perfgate compare ab.json --thresholds other.toml` re-gates a kept A/B results file.)
"""
import argparse
import glob
import json


def decide(check, alpha):
    p = check.get("p_adjusted")
    if p is None:
        return check["status"]
    if p < alpha and check["change"] > check["limit"] and check["ci_low"] > 0:
        return "regression"
    if p < alpha and check["change"] < -check["limit"] and check["ci_high"] < 0:
        return "improvement"
    return "not flagged"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--alpha", default="0.05,0.02,0.01")
    ap.add_argument("--target", default="gelu/")
    args = ap.parse_args()
    for d in args.dirs:
        files = sorted(glob.glob(f"{d}/verdict-*.json"))
        cells = []
        for alpha in (float(a) for a in args.alpha.split(",")):
            flagged = target = other = 0
            for f in files:
                flags = {}
                for b in json.load(open(f))["benchmarks"]:
                    for c in b["checks"]:
                        s = decide(c, alpha) if c["metric"] == "p50" else "not flagged"
                        if s in ("regression", "improvement"):
                            flags[b["name"]] = s
                hit = {n for n, s in flags.items() if n.startswith(args.target) and s == "regression"}
                flagged += bool(flags)
                target += bool(hit)
                other += bool(set(flags) - hit)
            cells.append(f"alpha {alpha}: flagged {flagged}, {args.target}* {target}, other {other}")
        print(f"{d} ({len(files)} runs): " + " | ".join(cells))


if __name__ == "__main__":
    main()
