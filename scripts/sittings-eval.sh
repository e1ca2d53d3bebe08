#!/usr/bin/env bash
# Does a baseline blessed across sittings judge later runs better than one blessed in one
# sitting? (issue 25: drift of single benchmarks against the suite over hours.)
#
# usage: scripts/sittings-eval.sh record DIR [RUNS]   # one sitting: RUNS (4) quiet runs
#        scripts/sittings-eval.sh judge DIR BASELINE  # the comparison, counts only
#
# record: RUNS x `perfgate run --no-compare --out DIR/sitting-<HHMM>/run-I.json` with
#         $PERFGATE (default target/release/perfgate; keep one binary for every sitting),
#         printing the load average before each. Call it once per sitting, an hour or
#         more apart, with nothing else running.
# judge:  every run of every sitting is compared (`perfgate compare`, no confirmation)
#         against (a) BASELINE, blessed in one sitting earlier, and (b) BASELINE extended
#         with the runs of every *other* sitting (`perfgate bless --from BASELINE runs…`,
#         leave one sitting out), and prints per case: compares failing, marked noisy,
#         timing checks "unchanged", and the runs' failures by benchmark.
set -euo pipefail
mode=${1:?usage: sittings-eval.sh record|judge DIR ...}
dir=${2:?DIR}
repo=$(git rev-parse --show-toplevel)
exe=${PERFGATE:-$repo/target/release/perfgate}
case "$mode" in
record)
    runs=${3:-4}
    out="$dir/sitting-$(date -u +%H%M)"
    mkdir -p "$out"
    for i in $(seq 1 "$runs"); do
        echo "sitting $(basename "$out") run $i $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
        (cd "$repo" && "$exe" run --no-compare --out "$out/run-$i.json" >/dev/null 2>&1)
    done
    ;;
judge)
    baseline=${3:?BASELINE}
    python3 - "$exe" "$dir" "$baseline" "$repo/thresholds.toml" <<'EOF'
import glob, json, os, subprocess, sys, collections
exe, d, baseline, thresholds = sys.argv[1:]
sittings = sorted(glob.glob(f"{d}/sitting-*"))
runs = {s: sorted(glob.glob(f"{s}/run-*.json")) for s in sittings}
work = f"{d}/judge"
os.makedirs(work, exist_ok=True)

def compare(base, run, out):
    p = subprocess.run([exe, "compare", base, run, "--thresholds", thresholds,
                        "--format", "json", "--out", out],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"compare {base} {run}: exit {p.returncode}: {p.stderr}")
    return p.returncode, json.load(open(out))

def tally(label, cases):
    fails = marked = unchanged = checks = 0
    why = collections.Counter()
    for code, v in cases:
        noisy = any(n.startswith("NOISY RUN") for n in v.get("notes", []))
        marked += noisy
        fails += code == 1
        for b in v["benchmarks"]:
            if b["status"] == "regression":
                why[b["name"]] += 1
            if noisy:
                continue
            for c in b.get("checks", []):
                if c["metric"] in ("p10", "p50", "p95", "p99"):
                    checks += 1
                    unchanged += c["status"] == "unchanged"
    share = f"{unchanged}/{checks} ({100 * unchanged / max(checks, 1):.0f}%)"
    print(f"{label}: {len(cases)} compares, {fails} fail, {marked} marked noisy, "
          f"unchanged (unmarked runs) {share}; regressions by benchmark: {dict(why)}")

one, spread = [], []
for s in sittings:
    others = [r for o in sittings if o != s for r in runs[o]]
    name = f"without-{os.path.basename(s)}"
    p = subprocess.run([exe, "bless", "--force", "--name", name, "--dir", work,
                        "--from", baseline, *others], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bless {name}: {p.stderr}")
    for r in runs[s]:
        tag = f"{os.path.basename(s)}-{os.path.basename(r)}"
        one.append(compare(baseline, r, f"{work}/one-{tag}"))
        spread.append(compare(f"{work}/{name}.json", r, f"{work}/spread-{tag}"))
print(f"sittings: {', '.join(f'{os.path.basename(s)} ({len(runs[s])} runs)' for s in sittings)}")
tally("(a) one-sitting baseline", one)
tally("(b) baseline + the other sittings", spread)
EOF
    ;;
*) echo "usage: sittings-eval.sh record|judge DIR ..." >&2; exit 2 ;;
esac
