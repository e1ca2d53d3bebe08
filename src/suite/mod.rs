//! The benchmark suite: what to measure. A [`Benchmark`] describes one benchmark and knows
//! how to set up a [`Routine`], whose `iterate` is the timed work of one iteration.

pub mod commands;
mod kernels;
mod models;
pub mod shard;

use regex::Regex;

use crate::results::ModelInfo;

/// The timed work of one benchmark (perfgate-bench's trait). Inputs are prepared in setup,
/// outside the timed region; `iterate` does exactly one iteration of work and nothing else
/// (no allocation unless the work itself allocates, no logging).
pub use perfgate_bench::Routine;

/// Builds a fresh routine (allocating and filling its inputs from the seed).
pub type Setup = Box<dyn Fn(u64) -> Box<dyn Routine> + Send + Sync>;

/// Work done by one iteration, from which throughput is derived.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Work {
    /// Floating-point operations (reported as GFLOP/s).
    Flops(u64),
    /// Elements processed (reported as Melem/s).
    Elements(u64),
    /// Tokens generated (reported as tok/s).
    Tokens(u64),
    /// No throughput unit applies.
    None,
}

/// One benchmark of the suite.
pub struct Benchmark {
    /// Unique name, e.g. `matmul/512`; part of the interface.
    pub name: String,
    /// Group, e.g. `matmul`.
    pub group: String,
    /// What one iteration does, for `perfgate list`.
    pub description: String,
    /// Work per iteration.
    pub work: Work,
    /// True when the routine uses the rayon pool (all allowed cores).
    pub parallel: bool,
    /// Model shape, for model benchmarks.
    pub model: Option<ModelInfo>,
    /// Builds the routine from a seed.
    pub setup: Setup,
}

impl Benchmark {
    /// Sets the routine up from `seed`, ready to measure (a panic in set-up marks it failed).
    pub fn measured(&self, seed: u64) -> perfgate_bench::Measured<'static> {
        perfgate_bench::Measured::setup(|| (self.setup)(seed))
    }
}

/// The built-in suite, in a stable order: kernels, then models.
pub fn builtin() -> Vec<Benchmark> {
    let mut all = kernels::benchmarks();
    all.extend(models::benchmarks());
    all
}

/// The benchmarks of `all` whose name matches `filter` (all of them without a filter).
pub fn select(all: Vec<Benchmark>, filter: Option<&Regex>) -> Vec<Benchmark> {
    all.into_iter()
        .filter(|b| filter.is_none_or(|re| re.is_match(&b.name)))
        .collect()
}
