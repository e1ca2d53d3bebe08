#!/usr/bin/env bash
# Evaluates `perfgate ab` with real builds: an A/A pair (the same commit on both sides) and
# heads in which gelu does 2%, 3%, 5% or 10% more real work (a patched copy of the tree:
# every gelu call computes its first 2/3/5/10% elements a second time), N runs per case.
# Prints, per case, how many runs flagged anything (any regression/improvement), how many
# flagged gelu/* as a regression (and gelu/100000 alone), how many flagged another
# benchmark, the share of timing checks called "unchanged" (over the benchmarks with no
# change: all in A/A, all but gelu/* in the heads), the median half-width of the timing
# intervals over the kernel benchmarks and over the model/* ones, the median rounds per
# benchmark, and the wall time.
# Keeps each run's verdict (verdict-CASE-I.json) and raw paired samples (results-CASE-I.json,
# for `perfgate compare`/`report` or re-analysis) in $AB_EVAL_DIR.
#
# usage: scripts/ab-eval.sh N [extra perfgate ab flags...]
#   e.g. scripts/ab-eval.sh 30                                   # full suite, quiet machine
#        scripts/ab-eval.sh 2 --quick --filter '^gelu/1000$' --rounds 5   # smoke test
# Busy machine: run `stress-ng --cpu 2` (or two `yes >/dev/null`) alongside.
# Builds go to $AB_EVAL_DIR (default target/ab-eval); release builds take minutes each.
# REUSE=1 keeps binaries built by an earlier call; N=0 only builds. CASES picks the cases
# (default "base plus2 plus3 plus5 plus10"); only the binaries of those cases are built.
# Every binary is built with each function aligned to 64 bytes (EVAL_RUSTFLAGS, default
# "-C llvm-args=-align-all-functions=6"; set it empty for the default layout). Without it the
# patch to gelu moves the machine code of the functions after it to other offsets within a
# cache line, and their speed can depend on that: softmax/2048 ran +2.8...+5.4% slower in
# 6 of 10 busy runs of an unaligned 10% head, with the same instruction count, and not with
# aligned builds. The heads are meant to differ in gelu only.
set -euo pipefail
runs=${1:?usage: scripts/ab-eval.sh N [perfgate ab flags...]}
shift
repo=$(git rev-parse --show-toplevel)
work=${AB_EVAL_DIR:-$repo/target/ab-eval}
mkdir -p "$work"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$work/target}
export RUSTFLAGS="${RUSTFLAGS:-} ${EVAL_RUSTFLAGS--C llvm-args=-align-all-functions=6}"

# A copy of the committed tree, optionally patched so gelu does `pct`% more work.
build() {
  local name=$1 pct=$2 src="$work/src-$1"
  if [ -n "${REUSE:-}" ] && [ -x "$work/perfgate-$name" ]; then
    return
  fi
  rm -rf "$src"
  mkdir -p "$src"
  git -C "$repo" archive HEAD | tar -x -C "$src"
  if [ "$pct" != 0 ]; then
    # Extra work inside the timed region: gelu again over the first pct% of the input
    # (after a black_box barrier on the output, so neither loop can be optimized away).
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
s = s.replace(anchor, extra, 1)
open(path, "w").write(s)
PY
  fi
  (cd "$src" && cargo build --release --quiet --bin perfgate)
  cp "$CARGO_TARGET_DIR/release/perfgate" "$work/perfgate-$name"
}

cases=${CASES:-base plus2 plus3 plus5 plus10}
echo "building base and the heads of: $cases (release) in $work" >&2
build base 0
for case in $cases; do
  [ "$case" = base ] || build "$case" "${case#plus}"
done

[ "$runs" -gt 0 ] || exit 0
for case in $cases; do
  start=$(date +%s.%N)
  for i in $(seq 1 "$runs"); do
    out="$work/verdict-$case-$i.json"
    "$work/perfgate-base" ab --base-bin "$work/perfgate-base" --head-bin "$work/perfgate-$case" \
      --seed "$i" --format json --out "$out" --results-out "$work/results-$case-$i.json" \
      "$@" >/dev/null 2>"$work/stderr-$case-$i.txt" || true
  done
  end=$(date +%s.%N)
  python3 - "$case" "$runs" "$(echo "($end - $start) / $runs" | bc -l)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$work" <<'PY'
import json, statistics, sys
case, runs, wall, load, work = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
flagged = gelu = g100k = other = 0
unchanged = checks = 0
half = {"kernel": [], "model": []}
rounds = []
for i in range(1, runs + 1):
    v = json.load(open(f"{work}/verdict-{case}-{i}.json"))
    status = {b["name"]: b["status"] for b in v["benchmarks"]}
    flag = [n for n, s in status.items() if s in ("regression", "improvement")]
    g = [n for n in flag if n.startswith("gelu/") and status[n] == "regression"]
    flagged += bool(flag); gelu += bool(g); g100k += status.get("gelu/100000") == "regression"
    other += bool(set(flag) - set(g))
    for b in v["benchmarks"]:
        timing = [c for c in b["checks"] if c["metric"] == "p50"]
        if not timing:
            continue
        c = timing[0]
        rounds.append(c.get("rounds") or 0)
        if c.get("detectable") is not None:
            half["model" if b["name"].startswith("model/") else "kernel"].append(c["detectable"])
        if case == "base" or not b["name"].startswith("gelu/"):
            checks += 1
            unchanged += c["status"] == "unchanged"
med = lambda x: f"±{100 * statistics.median(x):.2f}%" if x else "-"
print(f"{case:<7} runs {runs:3d}  flagged-anything {flagged:3d}  gelu-regression {gelu:3d} "
      f"(gelu/100000 {g100k:3d})  other-flagged {other:3d}  unchanged {unchanged}/{checks} "
      f"({100 * unchanged / max(checks, 1):.0f}%)  median half-width kernels {med(half['kernel'])} "
      f"model {med(half['model'])}  median rounds {statistics.median(rounds) if rounds else 0:.0f}  "
      f"mean wall {wall:.1f} s  (load {load})")
PY
done
