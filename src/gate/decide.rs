//! The decision of one check. Where "is this a regression?" is answered.

use crate::verdict::Status;

/// What a timing check knows once every test of the comparison is in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimingEvidence {
    /// candidate / baseline − 1 of the statistic.
    pub change: f64,
    /// The change noise alone can explain ([`super::noise::noise_margin`]).
    pub noise: f64,
    /// The configured limit, as a fraction.
    pub limit: f64,
    /// Holm-adjusted Mann–Whitney p-value of the benchmark.
    pub p_adjusted: f64,
    /// Family-wise significance level.
    pub alpha: f64,
}

impl TimingEvidence {
    /// The smallest change this check could call real: beyond both the limit and the noise.
    pub fn detectable(&self) -> f64 {
        self.limit.max(self.noise)
    }
}

/// Regression ⇔ change > limit, change > noise and p_adjusted < alpha; improvement
/// mirrored; otherwise inconclusive when the noise exceeds the limit or a change beyond the
/// limit is not significant, else unchanged.
pub fn decide_timing(e: &TimingEvidence) -> Status {
    let significant = e.p_adjusted < e.alpha;
    let beyond = e.change.abs() > e.detectable();
    match (e.change > 0.0, beyond && significant) {
        (true, true) => Status::Regression,
        (false, true) => Status::Improvement,
        _ if e.noise > e.limit || e.change.abs() > e.limit => Status::Inconclusive,
        _ => Status::Unchanged,
    }
}

/// Relative change of an allocation figure. A baseline of 0 has no relative change, so it is
/// measured against 1 (byte or allocation): 0 → 0 is 0, 0 → 64 bytes is +6400%.
pub fn alloc_change(baseline: f64, candidate: f64) -> f64 {
    candidate / baseline.max(1.0) - baseline / baseline.max(1.0)
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

    fn ev(change: f64, noise: f64, p_adjusted: f64) -> TimingEvidence {
        TimingEvidence {
            change,
            noise,
            limit: 0.05,
            p_adjusted,
            alpha: 0.05,
        }
    }

    #[test]
    fn clear_slowdown_beyond_limit_and_noise_is_a_regression() {
        assert_eq!(decide_timing(&ev(0.10, 0.02, 1e-6)), Status::Regression);
        assert_eq!(decide_timing(&ev(-0.10, 0.02, 1e-6)), Status::Improvement);
    }

    #[test]
    fn change_within_limit_is_unchanged_even_when_significant() {
        assert_eq!(decide_timing(&ev(0.03, 0.02, 1e-9)), Status::Unchanged);
    }

    #[test]
    fn noise_above_limit_is_inconclusive_unless_change_beats_it() {
        assert_eq!(decide_timing(&ev(0.07, 0.08, 1e-6)), Status::Inconclusive);
        assert_eq!(decide_timing(&ev(0.00, 0.08, 0.9)), Status::Inconclusive);
        assert_eq!(decide_timing(&ev(0.20, 0.08, 1e-6)), Status::Regression);
        assert_eq!(ev(0.0, 0.08, 1.0).detectable(), 0.08);
    }

    #[test]
    fn change_beyond_limit_that_is_not_significant_is_inconclusive() {
        assert_eq!(decide_timing(&ev(0.10, 0.02, 0.2)), Status::Inconclusive);
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
