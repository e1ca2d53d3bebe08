#!/usr/bin/env python3
"""Writes tests/fixtures/history/otava_reference.json: change points computed by
apache-otava 0.8.0's compute_change_points on Otava's own test vectors and on a few
synthetic series with this host's noise. The Rust port (src/stats/changepoint/otava.rs)
must give the same indices and p-values within 1e-6.

    python3 -m venv /work/venv-otava && /work/venv-otava/bin/pip install apache-otava==0.8.0
    /work/venv-otava/bin/python scripts/otava-reference.py > tests/fixtures/history/otava_reference.json
"""
import json
import sys
from importlib.metadata import version

import numpy as np
from otava.analysis import compute_change_points

TIGERBEETLE_URL = "apache/otava tests/tigerbeetle_test.py"


def tigerbeetle():
    # Otava 0.8.0 tests/tigerbeetle_test.py::_get_series (Nyrkiö demo data).
    import ast
    import pathlib
    src = pathlib.Path(__file__).with_name("otava_tigerbeetle.txt").read_text()
    return ast.literal_eval(src)


def host_noise(rng, n, level=100.0, sd=0.015, slow_share=0.08):
    """Log-normal noise with sd `sd`, and `slow_share` of points slowed by 5-35%."""
    x = level * np.exp(rng.normal(0.0, sd, n))
    slow = rng.random(n) < slow_share
    x[slow] *= 1.0 + rng.uniform(0.05, 0.35, slow.sum())
    return x


def cases():
    single = [1.02, 0.95, 0.99, 1.00, 1.12, 1.00, 1.01, 0.98, 1.01, 0.96,
              0.50, 0.51, 0.48, 0.48, 0.55, 0.50, 0.49, 0.51, 0.50, 0.49]
    yield "otava_single_series", single, 10, 0.0001, 0.0
    seq = [0.3, 2.4, 1.5, -0.9, -0.5, 99.7, 98.3, 99.1, 149.0, 149.7, 149.5, 149.1, 148.8, 150.0]
    yield "otava_divisive_sequence", seq, 50, 0.01, 0.0
    sample_csv = {"metric1": [154023, 138455, 143112, 149190, 132098, 151344, 155145, 148889, 149466, 148209],
                  "metric2": [10.43, 10.23, 10.29, 10.91, 10.34, 10.69, 9.23, 9.11, 9.13, 9.03]}
    for name, s in sample_csv.items():
        yield f"otava_sample_csv_{name}", [float(v) for v in s], 50, 0.001, 0.0
    tb = [float(v) for v in tigerbeetle()]
    for p, mag in [(0.01, 0.05), (0.05, 0.05), (0.1, 0.05), (0.2, 0.05), (0.2, 0.0), (0.1, 0.0),
                   (0.01, 0.0), (0.001, 0.0), (0.0001, 0.0), (0.00001, 0.0)]:
        yield f"otava_tigerbeetle_p{p}_m{mag}", tb, 30, p, mag
    yield "otava_tigerbeetle_defaults", tb, 50, 0.001, 0.0
    rng = np.random.default_rng(27)
    for i in range(4):
        s = host_noise(rng, 200)
        s[100:] *= 1.04
        yield f"host_step4_{i}", s.tolist(), 50, 0.001, 0.0
    s = host_noise(rng, 120, slow_share=0.0)
    s[60] *= 1.3
    yield "host_lone_slow_point", s.tolist(), 50, 0.001, 0.0
    s = host_noise(rng, 150)
    s[60:70] *= np.cumprod(np.full(10, 1.01))
    s[70:] *= 1.01 ** 10
    yield "host_ramp", s.tolist(), 30, 0.01, 0.0
    s = [1000.0] * 40 + [1010.0] * 40 + [1010.0] * 20
    yield "exact_instruction_step", s, 50, 0.001, 0.0
    yield "constant", [5.0] * 30, 10, 0.001, 0.0
    s = host_noise(rng, 400, sd=0.03)
    s[150:] *= 1.08
    s[300:] /= 1.05
    yield "host_two_steps_w17", s.tolist(), 17, 0.05, 0.02


def main():
    out = {"generator": "scripts/otava-reference.py", "otava_version": version("apache-otava"),
           "numpy_version": np.__version__, "cases": []}
    for name, series, window, p, mag in cases():
        cps, _ = compute_change_points(list(series), window_len=window, max_pvalue=p, min_magnitude=mag)
        out["cases"].append({
            "name": name, "window_len": window, "max_pvalue": p, "min_magnitude": mag,
            "series": [float(v) for v in series],
            "change_points": [{
                "index": int(c.index), "pvalue": float(c.stats.pvalue),
                "mean_before": float(c.stats.mean_1), "mean_after": float(c.stats.mean_2),
                "std_before": float(c.stats.std_1), "std_after": float(c.stats.std_2),
            } for c in cps],
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
