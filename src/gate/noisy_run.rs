//! The noisy-run rule: from a run's own data, whether the committed baseline can judge its
//! timings at all. A shared host has slow episodes (+20–35% for 20 ms to a whole run) that
//! the busy note cannot see (no other process, no steal). Two figures of the run show them:
//!
//! - its **dispersion**: per benchmark `ln(P50 / P10)`, the gap between the median and the
//!   fast mode, minus the same benchmark's typical gap in the blessed runs; the run's figure
//!   is the median over benchmarks. Slow episodes covering a large part of the run widen
//!   the gap of every benchmark at once; a code change shifts a benchmark's whole
//!   distribution (gap unchanged) and moves one benchmark, not the median over all;
//! - its **shared speed factor** against the blessed runs' factors (the suite-wide test): a
//!   run whose whole machine was far slower or faster than in any blessed run.
//!
//! Either one, beyond what the blessed runs make plausible, marks the run noisy: its timing
//! checks cannot fail and the verdict says so (docs/baseline-method.md).

use super::decide::SINGLE_RUN_BELOW;
use crate::baseline::BaselineFile;
use crate::results::ResultsFile;
use crate::stats::{MIN_BENCHMARKS, Prediction, Sample, percentile, prediction_test};

/// One-sided level of the dispersion test: how rarely a quiet run may be marked by it.
pub const NOISY_ALPHA: f64 = 0.001;
/// Smallest excess dispersion (log units, ≈ percentage points of P50/P10) that marks a run,
/// whatever the blessed runs' spread: quiet runs on the 2-core VM differ by < 1 point.
pub const MIN_EXCESS: f64 = 0.02;
/// Excess dispersion that marks a run against a baseline of fewer than three runs (no
/// spread to test against).
pub const SINGLE_RUN_EXCESS: f64 = 0.05;
/// Smallest standard deviation assumed for the blessed runs' dispersion figures.
pub const DISPERSION_FLOOR: f64 = 0.005;
/// Level of the speed-factor test (unadjusted, two-sided): the suite-wide test's p-value.
pub const FACTOR_ALPHA: f64 = 0.01;

/// The run's dispersion figure and the blessed runs' (log units, centred per benchmark).
#[derive(Debug, Clone, PartialEq)]
pub struct Dispersion {
    /// Figure of each blessed run.
    pub runs: Vec<f64>,
    /// Figure of the candidate run.
    pub candidate: f64,
}

/// `ln(P50 / P10)` of a set of samples; `None` when empty or not positive.
fn gap(samples: &[f64]) -> Option<f64> {
    let s = Sample::new(samples.to_vec()).ok()?;
    let (p10, p50) = (percentile(&s, 0.10), percentile(&s, 0.50));
    (p10 > 0.0 && p50 > 0.0).then(|| (p50 / p10).ln())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n % 2 {
        1 => v[n / 2],
        _ => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// The dispersion figures over the benchmarks both sides measured with samples; `None`
/// with fewer than [`MIN_BENCHMARKS`] of them (the median would follow one benchmark).
pub fn dispersion(baseline: &BaselineFile, candidate: &ResultsFile) -> Option<Dispersion> {
    let k = baseline.runs.len();
    let mut rows: Vec<(Vec<f64>, f64)> = Vec::new();
    for base in &baseline.benchmarks {
        let Some(cand) = candidate
            .benchmarks
            .iter()
            .find(|c| c.name == base.name && c.error.is_none())
        else {
            continue;
        };
        let per_run: Option<Vec<f64>> = base.samples_ns.iter().map(|s| gap(s)).collect();
        if let (Some(per_run), Some(c)) = (per_run, gap(&cand.samples_ns)) {
            let center = median(per_run.clone());
            rows.push((per_run.iter().map(|g| g - center).collect(), c - center));
        }
    }
    if rows.len() < MIN_BENCHMARKS || k == 0 {
        return None;
    }
    let runs = (0..k)
        .map(|i| median(rows.iter().map(|r| r.0[i]).collect()))
        .collect();
    let candidate = median(rows.iter().map(|r| r.1).collect());
    Some(Dispersion { runs, candidate })
}

/// Why the run is noisy, or `None`. `factor` is the suite-wide P10 test of the run's shared
/// speed factor (shift in log units), when one was made.
pub fn noisy_reason(d: Option<&Dispersion>, factor: Option<&Prediction>) -> Option<String> {
    if let Some(d) = d {
        let excess = d.candidate - d.runs.iter().sum::<f64>() / d.runs.len() as f64;
        let marked = if d.runs.len() < SINGLE_RUN_BELOW {
            excess > SINGLE_RUN_EXCESS
        } else {
            let p = prediction_test(&d.runs, d.candidate, DISPERSION_FLOOR)
                .map_or(1.0, |p| p.p_value / 2.0);
            excess > MIN_EXCESS && p < NOISY_ALPHA
        };
        if marked {
            let widest = d.runs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            return Some(format!(
                "slow episodes of the host: the gap between P50 and P10 was {} wider than \
                 usual on the median benchmark (blessed runs: at most {})",
                points(excess),
                points(widest.max(0.0))
            ));
        }
    }
    let f = factor?;
    (f.p_value < FACTOR_ALPHA).then(|| {
        format!(
            "the whole machine ran {:.1}% {} than in the blessed runs (every benchmark at \
             once; p = {:.1e})",
            f.shift.exp_m1().abs() * 100.0,
            if f.shift > 0.0 { "slower" } else { "faster" },
            f.p_value
        )
    })
}

/// A log-unit excess as percentage points, e.g. "4.1 points".
fn points(x: f64) -> String {
    format!("{:.1} points", x * 100.0)
}

/// The loud note of a noisy run.
pub fn noisy_note(reason: &str) -> String {
    format!(
        "NOISY RUN: {reason}. The committed baseline cannot judge this run's timings, so no \
         timing check can fail the gate (allocation checks still apply). Compare base and \
         head in one job with `perfgate ab`, or gate instruction counts with `--metric \
         instructions`."
    )
}

#[cfg(test)]
mod tests;
