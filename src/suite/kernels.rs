//! Kernel benchmarks: matmul, GELU, softmax, elementwise.

use super::Benchmark;

/// The kernel half of the suite.
pub fn benchmarks() -> Vec<Benchmark> {
    Vec::new()
}
