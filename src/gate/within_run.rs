//! The within-run bootstrap intervals of one timing statistic for every matched benchmark,
//! computed on all cores. Each interval has its own seed (the base seed and the benchmark's
//! name and metric), so the order in which threads finish changes nothing: the intervals
//! are bit-identical to computing them one at a time (tested below).
//!
//! This is where a large comparison spends its time: 2,000 benchmarks × 3 statistics ×
//! 2,000 resamples of several hundred values each.

use rayon::prelude::*;

use super::input::{Matched, TimingSettings};
use crate::results::BenchmarkResult;
use crate::stats::{ChangeInterval, Sample, bootstrap_change_ci};
use crate::verdict::Metric;

/// Confidence level of the within-run intervals.
pub const WITHIN_RUN_CONFIDENCE: f64 = 0.95;

/// The bootstrap interval of the change of the `q`-quantile (`metric`) for each of
/// `matched`, in order; `None` where no interval exists (a zero in the baseline).
pub fn within_run_cis(
    matched: &[&Matched],
    metric: Metric,
    q: f64,
    s: &TimingSettings,
) -> Vec<Option<ChangeInterval>> {
    matched
        .par_iter()
        .map(|m| within_run_ci(m, metric, q, s))
        .collect()
}

/// The interval of one benchmark: what [`within_run_cis`] computes for each.
pub fn within_run_ci(
    m: &Matched,
    metric: Metric,
    q: f64,
    s: &TimingSettings,
) -> Option<ChangeInterval> {
    let base = Sample::new(m.base.samples_ns.concat()).expect("validated on load");
    let seed = s.seed ^ name_hash(&m.cand.name, metric);
    bootstrap_change_ci(
        &base,
        &cand_sample(m.cand),
        q,
        s.resamples,
        WITHIN_RUN_CONFIDENCE,
        seed,
    )
    .ok()
}

/// The candidate's samples of a matched benchmark.
pub(super) fn cand_sample(cand: &BenchmarkResult) -> Sample {
    Sample::new(cand.samples_ns.clone()).expect("validated on load")
}

/// FNV-1a of the benchmark name and metric: a per-check bootstrap seed that does not
/// depend on the order of benchmarks.
pub(super) fn name_hash(name: &str, metric: Metric) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain([0, metric as u8]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests;
