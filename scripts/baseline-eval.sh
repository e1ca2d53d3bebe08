#!/usr/bin/env bash
# Evaluates the committed-baseline gate (issue 25): noisy-run marking, confirmation before
# failing, A/A false alarms against 10-run baselines, and detection of a real slowdown.
# Meant for a quiet window on the baseline's machine class; prints counts only.
#
# usage: scripts/baseline-eval.sh [QUIET_RUNS] [BUSY_RUNS] [LIVE_RUNS]
#   defaults 20 10 10.  Smoke test: SMOKE=1 scripts/baseline-eval.sh 4 1 1
# Phases (each prints one block; all files kept in $BASELINE_EVAL_DIR, default
# target/baseline-eval):
#   build   release builds of HEAD ("base") and of a copy whose gelu does 10% more real work
#           ("plus10", patched as scripts/ab-eval.sh does; gelu/* share the routine).
#   quiet   QUIET_RUNS x `perfgate run --no-compare --out quiet/run-I.json` (unchanged code).
#   busy    BUSY_RUNS x the same beside `stress-ng --cpu 2` (or two `yes` loops).
#   bless   a 10-run baseline from quiet runs 1..10 (baselines/eval.json).
#   live    LIVE_RUNS x the README main command against it (`perfgate run --baseline
#           eval.json`, confirmation on), quiet then busy; then LIVE_RUNS x the plus10 build
#           against it, with confirmation and with --no-confirm.
#   offline every 10-run subset baseline (40 seeded draws from the quiet runs) against each
#           held-out quiet run with `perfgate compare` (no confirmation possible offline),
#           and the same with x1.10 injected into gelu/100000's samples of the held-out run
#           (5 held-out runs per draw, drawn at random). OFFLINE_ONLY=1 redoes only this.
# Expected duration with the defaults on the 2-core VM: builds 10-15 min, quiet 12 min,
# busy 6 min, live ~25 min, offline ~10 min: about 70 minutes.
set -euo pipefail
quiet_runs=${1:-20}
busy_runs=${2:-10}
live_runs=${3:-10}
repo=$(git rev-parse --show-toplevel)
work=${BASELINE_EVAL_DIR:-$repo/target/baseline-eval}
mkdir -p "$work"/{quiet,busy,live,baselines,offline}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$work/target}
flags=()
if [ -n "${SMOKE:-}" ]; then
  # Smoke test: a few benchmarks, few samples (proves the script works, measures nothing).
  flags=(--filter '^(gelu/1000|gelu/100000|matmul/64|softmax/2048|add/1000000|mul/1000000|model/small/create)$' --samples 10 --sample-ms 5 --warmup-ms 20)
fi

build() {
  local name=$1 pct=$2 src="$work/src-$1"
  if [ -n "${REUSE:-}" ] && [ -x "$work/perfgate-$name" ]; then return; fi
  rm -rf "$src"
  mkdir -p "$src"
  git -C "$repo" archive HEAD | tar -x -C "$src"
  if [ "$pct" != 0 ]; then
    python3 - "$src/src/kernels/gelu.rs" "$pct" <<'PY'
import sys
path, pct = sys.argv[1], int(sys.argv[2])
s = open(path).read()
anchor = "            *o = gelu_one(v);\n        }\n"
assert anchor in s, "gelu loop not found"
extra = (anchor + "        std::hint::black_box(&mut *out);\n"
         f"        let k = x.len() * {pct} / 100;\n"
         "        for (o, &v) in out[..k].iter_mut().zip(&x[..k]) {\n"
         "            *o = gelu_one(v);\n        }\n")
open(path, "w").write(s.replace(anchor, extra, 1))
PY
  fi
  (cd "$src" && cargo build --release --quiet --bin perfgate)
  cp "$CARGO_TARGET_DIR/release/perfgate" "$work/perfgate-$name"
}

base_bin=$work/perfgate-base
src=$work/src-base   # runs happen here: its thresholds.toml applies
# OFFLINE_ONLY=1: only the offline phase and the summaries, on the files of an earlier run.
if [ -z "${OFFLINE_ONLY:-}" ]; then
echo "== build (release, in $work)" >&2
build base 0
build plus10 10

busy_start() {
  if command -v stress-ng >/dev/null; then
    stress-ng --cpu 2 --quiet & busy_pids=$!
  else
    yes >/dev/null & p1=$!; yes >/dev/null & p2=$!; busy_pids="$p1 $p2"
  fi
}
busy_stop() { kill $busy_pids 2>/dev/null || true; wait $busy_pids 2>/dev/null || true; }

echo "== quiet: $quiet_runs runs" >&2
for i in $(seq 1 "$quiet_runs"); do
  (cd "$src" && "$base_bin" run --no-compare --out "$work/quiet/run-$i.json" "${flags[@]}" >/dev/null 2>&1)
done
echo "== busy: $busy_runs runs" >&2
busy_start
for i in $(seq 1 "$busy_runs"); do
  (cd "$src" && "$base_bin" run --no-compare --out "$work/busy/run-$i.json" "${flags[@]}" >/dev/null 2>&1)
done
busy_stop

k=$(( quiet_runs < 10 ? quiet_runs : 10 ))
(cd "$src" && "$base_bin" bless --from $(seq -f "$work/quiet/run-%g.json" 1 "$k") \
  --dir "$work/baselines" --name eval --force >/dev/null 2>&1)

# One gated `perfgate run`; the verdict goes to live/CASE-I.json, the exit code to .code.
live() {
  local case=$1 bin=$2 i=$3; shift 3
  local code=0
  (cd "$src" && "$bin" run --baseline "$work/baselines/eval.json" --format json \
     --out "$work/live/$case-$i.results.json" --verdict-out "$work/live/$case-$i.json" \
     "${flags[@]}" "$@" >/dev/null 2>"$work/live/$case-$i.stderr") || code=$?
  echo "$code" > "$work/live/$case-$i.code"
}
echo "== live: $live_runs runs per case" >&2
# The quiet cases first, the busy one last: the host can stay slow for minutes after a
# stress phase (all 10 plus10 runs right after it were marked noisy on 2026-12-04).
for i in $(seq 1 "$live_runs"); do live quiet "$base_bin" "$i"; done
for i in $(seq 1 "$live_runs"); do live plus10 "$work/perfgate-plus10" "$i"; done
for i in $(seq 1 "$live_runs"); do live plus10-noconfirm "$work/perfgate-plus10" "$i" --no-confirm; done
busy_start
for i in $(seq 1 "$live_runs"); do live busy "$base_bin" "$i"; done
busy_stop
fi

echo "== offline A/A and x1.10 injection" >&2
python3 - "$work" "$base_bin" "$src" "$quiet_runs" <<'PY'
import json, os, random, subprocess, sys
work, exe, src, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def verdict(path):
    return json.load(open(path))

def summary(v):
    noisy = any(x.startswith("NOISY RUN") for x in v["notes"])
    checks = [c for b in v["benchmarks"] for c in b["checks"] if c["metric"] in ("p10", "p50", "p95", "p99")]
    unchanged = sum(c["status"] == "unchanged" for c in checks)
    return noisy, unchanged, len(checks)

print("== live runs (perfgate run against the 10-run baseline)")
for case in ("quiet", "busy", "plus10", "plus10-noconfirm"):
    codes, marked, unch, tot, caught = [], 0, 0, 0, 0
    i = 1
    while os.path.exists(f"{work}/live/{case}-{i}.code"):
        codes.append(int(open(f"{work}/live/{case}-{i}.code").read()))
        p = f"{work}/live/{case}-{i}.json"
        if os.path.exists(p):
            v = verdict(p)
            noisy, u, t = summary(v)
            marked += noisy
            if not noisy:
                unch, tot = unch + u, tot + t
                caught += any(b["name"].startswith("gelu/") and b["status"] == "regression" for b in v["benchmarks"])
        i += 1
    runs = len(codes)
    print(f"{case:17s} runs {runs:3d}  exit0 {codes.count(0):3d}  exit1 {codes.count(1):3d}  exit2 {codes.count(2):3d}"
          f"  marked-noisy {marked:3d}  unchanged-checks-on-unmarked {unch}/{tot}"
          + (f"  gelu-regression-on-unmarked {caught}/{runs - marked}" if case.startswith("plus10") else ""))

if n < 11:
    print(f"offline: needs at least 11 quiet runs, have {n}")
    sys.exit(0)
rng = random.Random(25)
runs = [f"{work}/quiet/run-{i}.json" for i in range(1, n + 1)]
fails = marked = unch = tot = compares = 0
inj_caught = inj_total = 0
for d in range(40):
    chosen = rng.sample(range(n), 10)
    base = f"{work}/offline/base-{d}.json"
    subprocess.run([exe, "bless", "--from", *[runs[i] for i in chosen], "--dir", f"{work}/offline",
                    "--name", f"base-{d}", "--force"], cwd=src, capture_output=True, check=True)
    held = [i for i in range(n) if i not in chosen]
    for h in rng.sample(held, 5):
        out = f"{work}/offline/v-{d}-{h}.json"
        r = subprocess.run([exe, "compare", base, runs[h], "--format", "json", "--out", out],
                           cwd=src, capture_output=True)
        compares += 1
        fails += r.returncode == 1
        noisy, u, t = summary(verdict(out))
        marked += noisy
        if not noisy:
            unch, tot = unch + u, tot + t
        # x1.10 injected into gelu/100000 of the held-out run.
        res = json.load(open(runs[h]))
        for b in res["benchmarks"]:
            if b["name"] == "gelu/100000":
                b["samples_ns"] = [x * 1.10 for x in b["samples_ns"]]
        inj = f"{work}/offline/inj-{d}-{h}.json"
        json.dump(res, open(inj, "w"))
        out2 = f"{work}/offline/vi-{d}-{h}.json"
        subprocess.run([exe, "compare", base, inj, "--format", "json", "--out", out2], cwd=src, capture_output=True)
        v2 = verdict(out2)
        if not summary(v2)[0]:
            inj_total += 1
            inj_caught += any(b["name"] == "gelu/100000" and b["status"] == "regression" for b in v2["benchmarks"])
print("== offline A/A: 10-run baselines against held-out quiet runs (compare, no confirmation)")
print(f"compares {compares}  failed {fails} ({100 * fails / compares:.1f}%)  marked-noisy {marked}"
      f"  unchanged-checks-on-unmarked {unch}/{tot}")
print(f"x1.10 into gelu/100000: caught {inj_caught} of {inj_total} unmarked compares")
PY
