//! The within-run bootstrap intervals of one timing statistic for every matched benchmark,
//! computed on all cores. Each interval has its own seed (the base seed and the benchmark's
//! name and metric), so the order in which threads finish changes nothing: the intervals
//! are bit-identical to computing them one at a time (tested below).
//!
//! This is where a large comparison spends its time: 2,000 benchmarks × 3 statistics ×
//! 2,000 resamples of several hundred values each.

use rayon::prelude::*;

use super::timing::{Matched, TimingSettings, cand_sample, name_hash};
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

#[cfg(test)]
mod tests;
