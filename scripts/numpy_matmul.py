#!/usr/bin/env python3
"""numpy float32 matmul GFLOP/s, the reference figure for perfgate's `matmul/N` benchmarks.

Run with one BLAS thread to compare with the single-threaded `matmul/512`:

    OPENBLAS_NUM_THREADS=1 python3 scripts/numpy_matmul.py 512

Pin it to the same core perfgate's `--pin auto` uses (core 1 on a 2-core machine) with
`taskset -c 1`. Like perfgate, it times batches of iterations (each batch >= 10 ms), repeats
the batch `--samples` times into a preallocated output, and reports P50 and best GFLOP/s.
"""

import argparse
import os
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=512, help="matrix size (n x n)")
    parser.add_argument("--samples", type=int, default=50, help="timed batches")
    parser.add_argument("--seed", type=int, default=0, help="RNG seed of the inputs")
    args = parser.parse_args()

    n = args.n
    rng = np.random.default_rng(args.seed)
    a = rng.uniform(-1.0, 1.0, (n, n)).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, (n, n)).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)

    # Warm-up (about 1 s), which also sizes the batch.
    iters, start = 0, time.perf_counter()
    while time.perf_counter() - start < 1.0:
        np.matmul(a, b, out=c)
        iters += 1
    per_iter = (time.perf_counter() - start) / iters
    batch = max(1, int(0.010 / per_iter) + 1)

    per_iter_s = []
    for _ in range(args.samples):
        t0 = time.perf_counter()
        for _ in range(batch):
            np.matmul(a, b, out=c)
        per_iter_s.append((time.perf_counter() - t0) / batch)

    flops = 2.0 * n**3
    p50 = float(np.percentile(per_iter_s, 50))
    best = min(per_iter_s)
    print(
        f"numpy {np.__version__} float32 matmul {n}x{n} "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}: "
        f"P50 {p50 * 1e6:.1f} us = {flops / p50 / 1e9:.1f} GFLOP/s, "
        f"best {flops / best / 1e9:.1f} GFLOP/s ({args.samples} samples x {batch} iters)"
    )


if __name__ == "__main__":
    main()
