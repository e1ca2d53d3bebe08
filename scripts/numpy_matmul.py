#!/usr/bin/env python3
"""numpy float32 matmul GFLOP/s, the reference figure for perfgate's `matmul/N` benchmarks.

Run with one BLAS thread to compare with the single-threaded `matmul/512`:

    OPENBLAS_NUM_THREADS=1 python3 scripts/numpy_matmul.py 512

Pin it to the same core perfgate's `--pin auto` uses (core 1 on a 2-core machine) with
`taskset -c 1`. Like perfgate's defaults, it warms up, times batches of iterations lasting
about `--sample-ms` (30 ms) into a preallocated output, `--samples` (40) times, and reports
the P50 and the best sample as GFLOP/s, by wall clock (what perfgate reports) and by the
thread's CPU time (which leaves out time the OS gave to other processes on a busy machine).
"""

import argparse
import math
import os
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=512, help="matrix size (n x n)")
    parser.add_argument("--samples", type=int, default=40, help="timed batches")
    parser.add_argument("--sample-ms", type=float, default=30.0, help="length of one batch")
    parser.add_argument("--seed", type=int, default=0, help="RNG seed of the inputs")
    args = parser.parse_args()

    n = args.n
    rng = np.random.default_rng(args.seed)
    a = rng.uniform(-1.0, 1.0, (n, n)).astype(np.float32)
    b = rng.uniform(-1.0, 1.0, (n, n)).astype(np.float32)
    c = np.empty((n, n), dtype=np.float32)

    # Warm-up (0.3 s, as perfgate), which also sizes the batch.
    iters, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.3:
        np.matmul(a, b, out=c)
        iters += 1
    per_iter = (time.perf_counter() - start) / iters
    batch = max(1, math.ceil(args.sample_ms / 1e3 / per_iter))

    per_iter_s, per_iter_cpu_s = [], []
    for _ in range(args.samples):
        t0, cpu0 = time.perf_counter(), time.thread_time()
        for _ in range(batch):
            np.matmul(a, b, out=c)
        per_iter_cpu_s.append((time.thread_time() - cpu0) / batch)
        per_iter_s.append((time.perf_counter() - t0) / batch)

    flops = 2.0 * n**3
    p50 = float(np.percentile(per_iter_s, 50))
    best = min(per_iter_s)
    print(
        f"numpy {np.__version__} float32 matmul {n}x{n} "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}: "
        f"P50 {p50 * 1e6:.1f} us = {flops / p50 / 1e9:.1f} GFLOP/s, "
        f"best {flops / best / 1e9:.1f} GFLOP/s ({args.samples} samples x {batch} iters); "
        f"on thread CPU time P50 {flops / float(np.percentile(per_iter_cpu_s, 50)) / 1e9:.1f}, "
        f"best {flops / min(per_iter_cpu_s) / 1e9:.1f} GFLOP/s"
    )


if __name__ == "__main__":
    main()
