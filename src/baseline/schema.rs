//! Serde structs of the baseline JSON (`perfgate.baseline.v1`). Field names are an
//! interface: users diff these files in review and other tools read them.

use serde::{Deserialize, Serialize};

use super::Fingerprint;
use crate::results::{Env, RunSettings};
use crate::stats::Summary;

/// Schema version written to and required of baseline files.
pub const BASELINE_SCHEMA: &str = "perfgate.baseline.v1";

/// A blessed baseline: several runs of the suite on one machine class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineFile {
    /// Schema version, [`BASELINE_SCHEMA`].
    pub schema: String,
    /// Version of perfgate that blessed.
    pub perfgate_version: String,
    /// The machine class all runs were measured on.
    pub fingerprint: Fingerprint,
    /// The blessed runs, in the order given; `samples_ns[i]` of a benchmark is run `i`.
    pub runs: Vec<BaselineRun>,
    /// One entry per benchmark, in suite order.
    pub benchmarks: Vec<BaselineBenchmark>,
}

/// Where one blessed run came from and how it was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineRun {
    /// Results file it was read from ("-" for a fresh run of `bless`).
    pub source: String,
    /// The machine and tree of the run.
    pub env: Env,
    /// How the run was measured (absent for hand-made files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RunSettings>,
}

/// One benchmark across all blessed runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineBenchmark {
    /// Benchmark name, e.g. `matmul/512`.
    pub name: String,
    /// Group, e.g. `matmul`.
    #[serde(default)]
    pub group: String,
    /// Statistics of the pooled samples of all runs (recomputed on load).
    pub pooled: Summary,
    /// Run-to-run spread of each gated statistic (recomputed on load).
    pub spread: Spread,
    /// Heap bytes allocated per iteration: the largest value of the runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alloc_bytes_per_iter: Option<f64>,
    /// Heap allocations per iteration: the largest value of the runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocs_per_iter: Option<f64>,
    /// Per-iteration samples in nanoseconds, one array per run (same order as `runs`).
    pub samples_ns: Vec<Vec<f64>>,
}

/// Run-to-run spread of P10, P50, P95 and P99.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// Spread of the 10th percentile (absent from files blessed before it was gated).
    #[serde(default)]
    pub p10: StatSpread,
    /// Spread of the median.
    pub p50: StatSpread,
    /// Spread of the 95th percentile.
    pub p95: StatSpread,
    /// Spread of the 99th percentile.
    pub p99: StatSpread,
}

/// How one statistic varied across the blessed runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatSpread {
    /// The statistic of each run, nanoseconds.
    pub per_run_ns: Vec<f64>,
    /// Relative sample standard deviation of `per_run_ns` (sd / mean, n − 1 denominator);
    /// `None` with a single run: the spread is unknown.
    pub rel_sd: Option<f64>,
}
