#!/usr/bin/env bash
# Evaluates `perfgate ab` with real builds: an A/A pair (the same commit on both sides) and
# heads in which gelu does 5% or 10% more real work (a patched copy of the tree: every
# gelu call computes its first 5% / 10% elements a second time), N runs per case.
# Prints, per case, how many runs flagged anything (any regression/improvement), how many
# flagged gelu/* as a regression, how many flagged another benchmark, and the wall time.
# Keeps each run's verdict (verdict-CASE-I.json) and raw paired samples (results-CASE-I.json,
# for `perfgate compare`/`report` or re-analysis) in $AB_EVAL_DIR.
#
# usage: scripts/ab-eval.sh N [extra perfgate ab flags...]
#   e.g. scripts/ab-eval.sh 30                                   # full suite, quiet machine
#        scripts/ab-eval.sh 2 --quick --filter '^gelu/1000$' --rounds 5   # smoke test
# Busy machine: run `stress-ng --cpu 2` (or two `yes >/dev/null`) alongside.
# Builds go to $AB_EVAL_DIR (default target/ab-eval); release builds take minutes each.
# REUSE=1 keeps binaries built by an earlier call; N=0 only builds. CASES picks the cases
# (default "base plus5 plus10").
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

echo "building base, head+5%, head+10% (release) in $work" >&2
build base 0
build plus5 5
build plus10 10

[ "$runs" -gt 0 ] || exit 0
for case in ${CASES:-base plus5 plus10}; do
  flagged=0 gelu=0 other=0
  start=$(date +%s.%N)
  for i in $(seq 1 "$runs"); do
    out="$work/verdict-$case-$i.json"
    "$work/perfgate-base" ab --base-bin "$work/perfgate-base" --head-bin "$work/perfgate-$case" \
      --seed "$i" --format json --out "$out" --results-out "$work/results-$case-$i.json" \
      "$@" >/dev/null 2>"$work/stderr-$case-$i.txt" || true
    read -r any g o < <(python3 - "$out" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
flag = [b["name"] for b in v["benchmarks"] if b["status"] in ("regression", "improvement")]
g = [n for n in flag if n.startswith("gelu/") and
     next(b for b in v["benchmarks"] if b["name"] == n)["status"] == "regression"]
print(int(bool(flag)), int(bool(g)), int(bool(set(flag) - set(g))))
PY
)
    flagged=$((flagged + any)) gelu=$((gelu + g)) other=$((other + o))
  done
  end=$(date +%s.%N)
  printf '%-7s runs %3d  flagged-anything %3d  gelu-regression %3d  other-flagged %3d  mean wall %.1f s  (load %s)\n' \
    "$case" "$runs" "$flagged" "$gelu" "$other" "$(echo "($end - $start) / $runs" | bc -l)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
done
