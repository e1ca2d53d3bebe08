#!/usr/bin/env bash
# Full-size simulation of the sequential stopping rule of `perfgate ab` (issue 23): at least
# 10,000 simulated A/A runs of 18 benchmarks with heavy-tailed noise (Student t(3), ±35%
# bursts) through the real looks, alpha spending and Holm steps; prints the family-wise
# false-alarm rate (must be <= alpha), the share of checks called unchanged, the rounds spent,
# and the power for +2% / +3%. `cargo test` runs a reduced size of the same simulation
# (src/stats/sequential/tests.rs). Pure computation: the machine's load does not matter.
#
# usage: scripts/ab-sequential-sim.sh [SERIES] [MAX_ROUNDS] [ALPHA]   (10000 28 0.01)
#   e.g. scripts/ab-sequential-sim.sh 10000 16      # the --quick plan
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
exec cargo run --release --quiet --example ab_sequential_sim -- "${1:-10000}" "${2:-28}" "${3:-0.01}"
