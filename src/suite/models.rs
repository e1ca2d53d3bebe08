//! Model benchmarks: Small and Medium GPT-style transformers.

use super::Benchmark;

/// The model half of the suite.
pub fn benchmarks() -> Vec<Benchmark> {
    Vec::new()
}
