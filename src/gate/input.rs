//! What a comparison is given: the baseline (or the fact that there is none), the
//! candidate run and the thresholds; and what it learns about the two machines.

use super::{Limits, Thresholds};
use crate::baseline::{BaselineBenchmark, BaselineFile};
use crate::results::{BenchmarkResult, ResultsFile};

/// The baseline side of a comparison.
#[derive(Debug, Clone, Copy)]
pub enum BaselineInput<'a> {
    /// A loaded baseline and the file it came from.
    Loaded {
        /// The baseline.
        baseline: &'a BaselineFile,
        /// Its file, as shown to people.
        file: &'a str,
    },
    /// No baseline exists yet; `expected` is the file that was looked for.
    Missing {
        /// The path a baseline for this machine would have.
        expected: &'a str,
    },
}

/// One comparison to make.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    /// The baseline, or the fact that there is none.
    pub baseline: BaselineInput<'a>,
    /// The candidate run.
    pub candidate: &'a ResultsFile,
    /// The candidate's file ("-" for a fresh run not written to disk).
    pub candidate_file: &'a str,
    /// The thresholds to apply.
    pub thresholds: &'a Thresholds,
}

/// What the comparison found out about the two machines.
pub(super) struct Context {
    /// Same fingerprint on both sides.
    pub same_machine: bool,
    /// Fields in which the candidate's machine differs from the baseline's.
    pub differences: Vec<String>,
    /// Heap byte counts are comparable (same ISA features and caches).
    pub heap_bytes_comparable: bool,
    /// Why the candidate's machine was busy, if it was.
    pub busy: Option<String>,
    /// Why the candidate run is too noisy for the baseline to judge, if it is
    /// (`noisy_run`); set once the timing tests are in.
    pub noisy: Option<String>,
    /// Runs the baseline was blessed from.
    pub runs: usize,
    /// `[gate] single_run_change` when the baseline has too few runs for the run-level
    /// test (the single-run rule applies), infinite when "off".
    pub single_run: Option<f64>,
}

/// One benchmark present on both sides, with the limits that apply to it.
pub struct Matched<'a> {
    /// Index of its entry in the verdict.
    pub verdict_index: usize,
    /// Its limits.
    pub limits: Limits,
    /// The baseline side.
    pub base: &'a BaselineBenchmark,
    /// The candidate side.
    pub cand: &'a BenchmarkResult,
}

/// Settings of the timing tests.
#[derive(Debug, Clone, Copy)]
pub struct TimingSettings {
    /// Bootstrap resamples per interval.
    pub resamples: usize,
    /// Base seed of the bootstrap.
    pub seed: u64,
    /// Limits used for the suite-wide check.
    pub suite_limits: Limits,
}
