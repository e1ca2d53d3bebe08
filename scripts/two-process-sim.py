#!/usr/bin/env python3
"""Would measuring a `perfgate run` in two fresh processes (20 samples each) instead of one
(40) cut false alarms against a committed baseline? Simulated offline from quiet runs:
units are single runs, or pairs of consecutive runs of one sitting (the even samples of
one, the odd of the other: two processes' worth of samples). Each kind gets 40 seeded
K-unit baselines (`perfgate bless --force`) and 5 held-out units per draw (`perfgate
compare`, no confirmation), and the share of failing compares is printed.

usage: scripts/two-process-sim.py POOL_DIR [K]   (POOL_DIR/run-*.json; K default 5)
Runs are grouped into sittings by their env.timestamp to the hour. Uses target/release/perfgate.
"""
import collections
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXE = os.path.join(ROOT, "target/release/perfgate")


def number(path):
    return int(path.rsplit("-", 1)[1].split(".")[0])


def pair_units(runs, work):
    sittings = collections.OrderedDict()
    for p in runs:
        sittings.setdefault(json.load(open(p))["env"]["timestamp"][:13], []).append(p)
    units = []
    for members in sittings.values():
        for a, b in zip(members[0::2], members[1::2]):
            ra, rb = json.load(open(a)), json.load(open(b))
            for x, y in zip(ra["benchmarks"], rb["benchmarks"]):
                x["samples_ns"] = x["samples_ns"][0::2] + y["samples_ns"][1::2]
                x.pop("summary", None)
            path = os.path.join(work, f"pair-{len(units) + 1}.json")
            json.dump(ra, open(path, "w"))
            units.append(path)
    return units


def evaluate(label, units, k, work):
    rng = random.Random(25)
    fails = compares = marked = 0
    failing = collections.Counter()
    for d in range(40):
        chosen = rng.sample(range(len(units)), k)
        name = f"{label}-base-{d}"
        subprocess.run([EXE, "bless", "--force", "--from", *[units[i] for i in chosen],
                        "--dir", work, "--name", name], capture_output=True, check=True)
        rest = [i for i in range(len(units)) if i not in chosen]
        for h in rng.sample(rest, min(5, len(rest))):
            out = os.path.join(work, f"{label}-v-{d}-{h}.json")
            r = subprocess.run([EXE, "compare", os.path.join(work, f"{name}.json"), units[h],
                                "--format", "json", "--out", out], capture_output=True, cwd=ROOT)
            if r.returncode not in (0, 1):
                sys.exit(f"compare failed: {r.stderr.decode()}")
            compares += 1
            fails += r.returncode == 1
            marked += any(n.startswith("NOISY") for n in json.load(open(out))["notes"])
            if r.returncode == 1:
                failing[os.path.basename(units[h])] += 1
    print(f"{label}: {len(units)} units, {compares} compares, {fails} fail "
          f"({100 * fails / compares:.1f}%), {marked} marked noisy; failing units {dict(failing)}")


def main():
    pool = sys.argv[1]
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    runs = sorted(glob.glob(os.path.join(pool, "run-*.json")), key=number)
    with tempfile.TemporaryDirectory() as work:
        evaluate("single-process", runs, k, work)
        evaluate("two-process", pair_units(runs, work), k, work)


if __name__ == "__main__":
    main()
