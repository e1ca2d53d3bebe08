//! The decision of one check. Where "is this a regression?" is answered.

use crate::verdict::{Check, Metric, Status};

/// What a timing check knows once every test of the comparison is in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimingEvidence {
    /// The change the decision is about: the statistic's change after dividing out the
    /// run's shared machine-speed factor.
    pub change: f64,
    /// The configured limit, as a fraction.
    pub limit: f64,
    /// Holm-adjusted p-value of the run-level test; `None` when the baseline has fewer
    /// than two runs (its run-to-run spread is unknown).
    pub p_adjusted: Option<f64>,
    /// Family-wise significance level.
    pub alpha: f64,
    /// Half the within-run bootstrap interval: the change the candidate's own sampling
    /// noise can explain.
    pub within_run: f64,
    /// The smallest change the run-level test could call significant at the strictest Holm
    /// step (`None`: no test possible).
    pub critical: Option<f64>,
    /// Set when the baseline has fewer than [`SINGLE_RUN_BELOW`] runs: the single-run rule
    /// applies instead of the run-level test, with this threshold (`[gate]
    /// single_run_change`; infinite when "off").
    pub single_run: Option<f64>,
    /// The within-run 95% interval of `change` (moved by the same speed factor), when one
    /// was computed: the single-run rule requires it to lie beyond the limit.
    pub ci: Option<(f64, f64)>,
}

/// Baselines with fewer runs than this are judged by the single-run rule: with one run
/// there is no spread, and two runs give a t-test with one degree of freedom whose
/// critical value (63.7 at 1%) makes it meaningless.
pub const SINGLE_RUN_BELOW: usize = 3;

impl TimingEvidence {
    /// The smallest change this check could call real: beyond the limit, the within-run
    /// noise and the run-level test's critical change; `None` when no test is possible.
    pub fn detectable(&self) -> Option<f64> {
        if let Some(s) = self.single_run {
            return Some(s.max(self.limit).max(self.limit + self.within_run));
        }
        let critical = self.critical?;
        Some(self.limit.max(self.within_run).max(critical))
    }
}

/// Regression ⇔ change > limit, change > within-run noise and p_adjusted < alpha;
/// improvement mirrored; inconclusive when the change exceeds the limit but the data
/// cannot tell it from noise (not significant, or no run-to-run spread to test against);
/// otherwise unchanged. Single-run rule (baseline of < 3 runs): the run-level test is
/// replaced by "|change| > single_run_change and the within-run 95% interval lies beyond
/// the limit" (without an interval: |change| − its half-width > limit).
pub fn decide_timing(e: &TimingEvidence) -> Status {
    let size = e.change.abs();
    let significant = match e.single_run {
        Some(s) => {
            let clear = match e.ci {
                Some((lo, _)) if e.change > 0.0 => lo > e.limit,
                Some((_, hi)) => hi < -e.limit,
                None => size - e.within_run > e.limit,
            };
            size > s && clear
        }
        None => e.p_adjusted.is_some_and(|p| p < e.alpha),
    };
    let beyond = size > e.limit && size > e.within_run;
    match (e.change > 0.0, beyond && significant) {
        (true, true) => Status::Regression,
        (false, true) => Status::Improvement,
        _ if e.change.abs() > e.limit => Status::Inconclusive,
        _ => Status::Unchanged,
    }
}

/// Relative change of an allocation figure. A baseline of 0 has no relative change, so it is
/// measured against 1 (byte or allocation): 0 → 0 is 0, 0 → 64 bytes is +6400%.
pub fn alloc_change(baseline: f64, candidate: f64) -> f64 {
    candidate / baseline.max(1.0) - baseline / baseline.max(1.0)
}

/// A deterministic check (allocations, instructions): no sampling statistics, the change of
/// `candidate` against `baseline` decided by [`decide_alloc`].
pub fn deterministic_check(metric: Metric, baseline: f64, candidate: f64, limit: f64) -> Check {
    let change = alloc_change(baseline, candidate);
    Check {
        metric,
        baseline,
        candidate,
        change,
        adjusted_change: None,
        ci_low: None,
        ci_high: None,
        p_value: None,
        p_adjusted: None,
        limit,
        detectable: None,
        status: decide_alloc(change, limit),
        rounds: None,
    }
}

/// Allocation figures are deterministic: an increase beyond the limit is a regression, a
/// decrease beyond it an improvement. A relative tolerance of 1e-9 absorbs float rounding
/// of per-iteration means.
pub fn decide_alloc(change: f64, limit: f64) -> Status {
    const ROUNDING: f64 = 1e-9;
    if change > limit + ROUNDING {
        Status::Regression
    } else if change < -(limit + ROUNDING) {
        Status::Improvement
    } else {
        Status::Unchanged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(change: f64, within_run: f64, p_adjusted: Option<f64>) -> TimingEvidence {
        TimingEvidence {
            change,
            limit: 0.05,
            p_adjusted,
            alpha: 0.05,
            within_run,
            critical: Some(0.04),
            single_run: None,
            ci: None,
        }
    }

    #[test]
    fn clear_slowdown_beyond_limit_and_noise_is_a_regression() {
        assert_eq!(
            decide_timing(&ev(0.10, 0.02, Some(1e-6))),
            Status::Regression
        );
        assert_eq!(
            decide_timing(&ev(-0.10, 0.02, Some(1e-6))),
            Status::Improvement
        );
    }

    #[test]
    fn change_within_limit_is_unchanged_even_when_significant() {
        assert_eq!(
            decide_timing(&ev(0.03, 0.02, Some(1e-9))),
            Status::Unchanged
        );
    }

    #[test]
    fn change_beyond_limit_that_noise_can_explain_is_inconclusive() {
        assert_eq!(
            decide_timing(&ev(0.10, 0.02, Some(0.2))),
            Status::Inconclusive
        );
        assert_eq!(
            decide_timing(&ev(0.07, 0.08, Some(1e-6))),
            Status::Inconclusive
        );
        let untestable = TimingEvidence {
            critical: None,
            ..ev(0.0, 0.01, None)
        };
        assert_eq!(untestable.detectable(), None);
        assert_eq!(ev(0.0, 0.08, Some(0.5)).detectable(), Some(0.08));
        assert_eq!(ev(0.0, 0.01, Some(0.5)).detectable(), Some(0.05));
    }

    #[test]
    fn without_run_to_run_spread_a_change_is_never_a_regression() {
        assert_eq!(decide_timing(&ev(0.50, 0.01, None)), Status::Inconclusive);
        assert_eq!(decide_timing(&ev(0.01, 0.01, None)), Status::Unchanged);
    }

    #[test]
    fn single_run_rule_calls_only_changes_far_beyond_noise() {
        let one = |change: f64, within_run: f64| TimingEvidence {
            single_run: Some(0.25),
            critical: None,
            ..ev(change, within_run, None)
        };
        // matmul/256 ×1.5 (P10 +50%, CI +42…+58%): a regression under the rule.
        assert_eq!(decide_timing(&one(0.50, 0.08)), Status::Regression);
        assert_eq!(decide_timing(&one(-0.40, 0.05)), Status::Improvement);
        // Within plausible run-to-run noise: inconclusive, never a regression.
        assert_eq!(decide_timing(&one(0.20, 0.02)), Status::Inconclusive);
        // Beyond the rule but the within-run CI reaches back inside the limit.
        assert_eq!(decide_timing(&one(0.30, 0.27)), Status::Inconclusive);
        assert_eq!(decide_timing(&one(0.01, 0.01)), Status::Unchanged);
        assert_eq!(one(0.0, 0.01).detectable(), Some(0.25));
        let off = TimingEvidence {
            single_run: Some(f64::INFINITY),
            ..one(0.9, 0.01)
        };
        assert_eq!(decide_timing(&off), Status::Inconclusive);
        // With the interval known, its near end must clear the limit.
        let with_ci = |lo: f64, hi: f64| TimingEvidence {
            ci: Some((lo, hi)),
            ..one(0.5, (hi - lo) / 2.0)
        };
        assert_eq!(decide_timing(&with_ci(0.42, 0.58)), Status::Regression);
        assert_eq!(decide_timing(&with_ci(0.04, 2.0)), Status::Inconclusive);
    }

    #[test]
    fn allocation_increase_beyond_limit_is_a_regression() {
        assert_eq!(
            decide_alloc(alloc_change(1000.0, 1001.0), 0.0),
            Status::Regression
        );
        assert_eq!(
            decide_alloc(alloc_change(1000.0, 1000.0), 0.0),
            Status::Unchanged
        );
        assert_eq!(
            decide_alloc(alloc_change(1000.0, 1040.0), 0.05),
            Status::Unchanged
        );
        assert_eq!(
            decide_alloc(alloc_change(1000.0, 900.0), 0.0),
            Status::Improvement
        );
        assert_eq!(alloc_change(0.0, 64.0), 64.0);
        assert_eq!(decide_alloc(alloc_change(0.0, 0.0), 0.0), Status::Unchanged);
    }
}
