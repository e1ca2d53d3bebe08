//! The verdict: what the gate decided, per benchmark and per check. The serde structs are
//! the verdict JSON schema (`--out`, `--verdict-out`); other tools read these names.

use serde::{Deserialize, Serialize};

/// Schema version of verdict files.
pub const VERDICT_SCHEMA: &str = "perfgate.verdict.v1";

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Schema version, [`VERDICT_SCHEMA`].
    pub schema: String,
    /// "pass" or "fail".
    pub verdict: Outcome,
    /// One line that says it all, e.g. "no regressions in 23 benchmarks".
    pub headline: String,
    /// The baseline side; `None` when there was no baseline to compare against.
    pub baseline: Option<Side>,
    /// The candidate side.
    pub candidate: Side,
    /// Loud notes: missing baseline, machine mismatch, missing benchmarks.
    pub notes: Vec<String>,
    /// The thresholds that were applied.
    pub thresholds: ThresholdsUsed,
    /// One entry per benchmark, in suite order.
    pub benchmarks: Vec<BenchmarkVerdict>,
}

/// Pass or fail of the whole gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// No regression (exit 0).
    Pass,
    /// At least one regression (exit 1).
    Fail,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// File it was read from (or "-" for a fresh run not written to disk).
    pub file: String,
    /// Short description of the machine: CPU model, cores, OS.
    pub env: String,
    /// Git commit of the measured tree, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// Number of runs the side rests on (baselines bless several).
    pub runs: usize,
}

/// The thresholds applied, as shown under the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdsUsed {
    /// The thresholds file.
    pub file: String,
    /// Family-wise significance level for all tests of the comparison.
    pub alpha: f64,
    /// Human-readable description of the default limits, e.g. "p50 5%, p95 10%, p99 off".
    pub limits: String,
}

/// Status of a benchmark or of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Slower beyond the limit and beyond the noise.
    Regression,
    /// Faster beyond the limit and beyond the noise.
    Improvement,
    /// The noise is larger than the limit: the data cannot decide.
    Inconclusive,
    /// The benchmark errored.
    Failed,
    /// In the baseline but not in the candidate.
    Missing,
    /// In the candidate but not in the baseline.
    New,
    /// Within the limit.
    Unchanged,
}

impl Status {
    /// The status as the verdict JSON spells it and people read it: "regression", ….
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Regression => "regression",
            Status::Improvement => "improvement",
            Status::Inconclusive => "inconclusive",
            Status::Failed => "failed",
            Status::Missing => "missing",
            Status::New => "new",
            Status::Unchanged => "unchanged",
        }
    }
}

/// The verdict for one benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkVerdict {
    /// Benchmark name.
    pub name: String,
    /// Overall status: the most severe status among its checks.
    pub status: Status,
    /// Why, in a sentence, when the status needs one (inconclusive, failed, missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// One check per gated statistic.
    pub checks: Vec<Check>,
}

/// The statistic a check compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// 10th percentile per-iteration time: the fast mode, which slow episodes of a shared
    /// host leave alone.
    P10,
    /// Median per-iteration time.
    P50,
    /// 95th percentile per-iteration time.
    P95,
    /// 99th percentile per-iteration time.
    P99,
    /// Heap bytes allocated per iteration.
    AllocBytes,
    /// Heap allocations per iteration.
    Allocs,
    /// Instructions per iteration under callgrind.
    Instructions,
}

/// One gated statistic of one benchmark.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Which statistic.
    pub metric: Metric,
    /// The baseline's value (ns for timings, bytes or count for allocations).
    pub baseline: f64,
    /// The candidate's value.
    pub candidate: f64,
    /// candidate / baseline − 1.
    pub change: f64,
    /// Timing checks: the change after dividing out this run's shared machine-speed factor
    /// (equal to `change` when no factor could be estimated); the decision is about this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted_change: Option<f64>,
    /// Lower end of the 95% bootstrap confidence interval of `change` (timings only).
    pub ci_low: Option<f64>,
    /// Upper end of the 95% bootstrap confidence interval of `change` (timings only).
    pub ci_high: Option<f64>,
    /// Two-sided p-value of the run-level prediction test (timings only).
    pub p_value: Option<f64>,
    /// Holm–Bonferroni adjusted p-value over all tests of the comparison (timings only).
    pub p_adjusted: Option<f64>,
    /// The configured limit as a fraction (0.05 for "5%").
    pub limit: f64,
    /// Smallest change this check could have detected given the noise (timings only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detectable: Option<f64>,
    /// This check's status.
    pub status: Status,
    /// Paired A/B timing checks: the number of paired rounds (head/base log-ratios) the
    /// change, its interval and its p-value rest on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<usize>,
}

impl Check {
    /// The change the decision used: the adjusted change (shared machine-speed factor
    /// divided out) when there is one, else the raw change. Tables show this figure.
    pub fn decided_change(&self) -> f64 {
        self.adjusted_change.unwrap_or(self.change)
    }

    /// The 95% interval around [`Check::decided_change`]: the bootstrap interval of the raw
    /// change, moved by the same speed factor (its width, which the decision uses, is kept).
    pub fn decided_ci(&self) -> Option<(f64, f64)> {
        let (lo, hi) = (self.ci_low?, self.ci_high?);
        let scale = (1.0 + self.decided_change()) / (1.0 + self.change);
        if !scale.is_finite() {
            return Some((lo, hi));
        }
        Some(((1.0 + lo) * scale - 1.0, (1.0 + hi) * scale - 1.0))
    }
}

impl Metric {
    /// Whether the metric is a per-iteration time quantile.
    pub fn is_timing(self) -> bool {
        matches!(self, Metric::P10 | Metric::P50 | Metric::P95 | Metric::P99)
    }

    /// Display name: "P50", "alloc bytes", …
    pub fn label(self) -> &'static str {
        match self {
            Metric::P10 => "P10",
            Metric::P50 => "P50",
            Metric::P95 => "P95",
            Metric::P99 => "P99",
            Metric::AllocBytes => "alloc bytes",
            Metric::Allocs => "allocs",
            Metric::Instructions => "instructions",
        }
    }
}

/// The timing check a table row shows: P50 when it is gated, else the first gated
/// quantile of P10, P95, P99.
pub fn headline_check(checks: &[Check]) -> Option<&Check> {
    [Metric::P50, Metric::P10, Metric::P95, Metric::P99]
        .into_iter()
        .find_map(|m| checks.iter().find(|c| c.metric == m))
}
