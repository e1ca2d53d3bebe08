#!/usr/bin/env python3
"""A/A against 10-run baselines with held-out runs measured apart (issue 25): 40 seeded
baselines of K runs drawn from POOL (`perfgate bless --force --from`), each compared
(`perfgate compare`, no confirmation) against 5 runs drawn from CANDIDATES, unchanged and
with x1.10 injected into gelu/100000's samples. Prints the share of compares failing, marked
noisy, the timing checks "unchanged" on unmarked compares, and the injections caught. A
candidate is never in its own baseline, so POOL_DIR may be CANDIDATE_DIR (held out).

Use it when the candidates are measured differently from the pool (e.g. two-process runs
against a pool of one-process runs) or later; scripts/baseline-eval.sh's offline block
holds out runs of the pool itself.

usage: scripts/held-out-eval.py POOL_DIR CANDIDATE_DIR [K]
  POOL_DIR/run-*.json or *.results.json, CANDIDATE_DIR/*.results.json or run-*.json; K
  default 10. Uses $PERFGATE or target/release/perfgate; runs in the repository (its
  thresholds.toml applies).
"""
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.environ.get("PERFGATE", os.path.join(ROOT, "target/release/perfgate"))


def runs_in(d):
    found = sorted(glob.glob(os.path.join(d, "run-*.json")) + glob.glob(os.path.join(d, "*.results.json")))
    return [p for p in found if "confirm" not in p]


def summary(path):
    v = json.load(open(path))
    noisy = any(x.startswith("NOISY RUN") for x in v["notes"])
    checks = [c for b in v["benchmarks"] for c in b["checks"] if c["metric"] in ("p10", "p50", "p95", "p99")]
    return v, noisy, sum(c["status"] == "unchanged" for c in checks), len(checks)


def main():
    pool, cands = runs_in(sys.argv[1]), runs_in(sys.argv[2])
    k = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    if len(pool) < k or not cands:
        sys.exit(f"need at least {k} pool runs and one candidate (have {len(pool)}, {len(cands)})")
    rng = random.Random(25)
    fails = marked = unch = tot = compares = caught = inj_total = 0
    failing = {}
    with tempfile.TemporaryDirectory() as work:
        for d in range(40):
            chosen = rng.sample(pool, k)
            subprocess.run([EXE, "bless", "--force", "--from", *chosen, "--dir", work, "--name", f"b{d}"],
                           cwd=ROOT, capture_output=True, check=True)
            base = os.path.join(work, f"b{d}.json")
            # A candidate is never in its own baseline (POOL_DIR may be CANDIDATE_DIR).
            taken = {os.path.realpath(p) for p in chosen}
            rest = [c for c in cands if os.path.realpath(c) not in taken]
            for c in rng.sample(rest, min(5, len(rest))):
                out = os.path.join(work, "v.json")
                r = subprocess.run([EXE, "compare", base, c, "--format", "json", "--out", out],
                                   cwd=ROOT, capture_output=True)
                if r.returncode not in (0, 1):
                    sys.exit(f"compare {base} {c}: exit {r.returncode}: {r.stderr.decode()[-400:]}")
                compares += 1
                fails += r.returncode == 1
                v, noisy, u, t = summary(out)
                marked += noisy
                if not noisy:
                    unch, tot = unch + u, tot + t
                if r.returncode == 1:
                    names = [b["name"] for b in v["benchmarks"] if b["status"] == "regression"]
                    failing[os.path.basename(c)] = names
                res = json.load(open(c))
                for b in res["benchmarks"]:
                    if b["name"] == "gelu/100000":
                        b["samples_ns"] = [x * 1.10 for x in b["samples_ns"]]
                inj = os.path.join(work, "inj.json")
                json.dump(res, open(inj, "w"))
                subprocess.run([EXE, "compare", base, inj, "--format", "json", "--out", out],
                               cwd=ROOT, capture_output=True)
                v, noisy, _, _ = summary(out)
                if not noisy:
                    inj_total += 1
                    caught += any(b["name"] == "gelu/100000" and b["status"] == "regression" for b in v["benchmarks"])
    share = f"{100 * unch / tot:.0f}%" if tot else "-"
    print(f"pool {len(pool)} runs, {len(cands)} candidates, {k}-run baselines x 40")
    print(f"compares {compares}  failed {fails} ({100 * fails / compares:.1f}%)  marked-noisy {marked}"
          f"  unchanged-checks-on-unmarked {unch}/{tot} ({share})")
    print(f"failing candidates: {failing or 'none'}")
    print(f"x1.10 into gelu/100000: caught {caught} of {inj_total} unmarked compares")


if __name__ == "__main__":
    main()
