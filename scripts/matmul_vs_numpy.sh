#!/usr/bin/env bash
# matmul/512 single-threaded: perfgate (gemm crate) vs numpy float32 (OpenBLAS, 1 thread),
# alternating ROUNDS times in the same sitting so both see the same machine load.
# Both run on core 1 (perfgate's `--pin auto` choice on a 2-core machine).
# Usage: scripts/matmul_vs_numpy.sh [ROUNDS]   (needs a release build and numpy)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for r in $(seq 1 "$rounds"); do
    ./target/release/perfgate run --filter '^matmul/512$' --no-compare --pin 1 \
        --out "$out/perfgate.json" >/dev/null 2>&1
    python3 - "$out/perfgate.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))["benchmarks"][0]
flops = 2 * 512**3
print(f"perfgate gemm matmul/512: P50 {b['p50_ns'] / 1e3:.1f} us = {flops / b['p50_ns']:.1f} GFLOP/s, "
      f"best {flops / b['min_ns']:.1f} GFLOP/s ({len(b['samples_ns'])} samples x {b['iters_per_sample']} iters)")
PY
    OPENBLAS_NUM_THREADS=1 taskset -c 1 python3 scripts/numpy_matmul.py 512
    if [ -x "${MATRIXMULTIPLY_CHECK:-}" ]; then taskset -c 1 "$MATRIXMULTIPLY_CHECK"; fi
done
