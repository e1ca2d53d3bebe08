//! How much change a benchmark's noise hides, and what would shrink that: the arithmetic
//! behind the Variability section's "gateable?" answers.
//!
//! Two sources of noise add up when a new run is compared with a baseline:
//! - within a run, the P10 of n samples (the statistic the gate decides on) wanders by its
//!   standard error, about √(0.1 · 0.9) / φ(z₀.₁) · σ / √n ≈ 1.709 · σ / √n for roughly
//!   normal samples (σ estimated robustly as 1.4826 · MAD, so a few outliers do not
//!   inflate it). This shrinks with more samples.
//! - between runs (different process, page placement, frequency), the per-run P10 itself
//!   moves. With K baseline runs of relative standard deviation s, a new run of unchanged
//!   code lands within the prediction interval t(K−1, 0.975) · s · √(1 + 1/K). More samples
//!   do not shrink it; more baseline runs only shrink the t factor.
//!
//! The margin is the larger of the two (and of the configured noise floor), as the gate
//! takes the largest of its bootstrap interval, its run-to-run prediction interval (the
//! same formula as `gate::noise::prediction_half_width`, here for any K) and the floor.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::Summary;

/// Two-sided 95% normal quantile.
const Z95: f64 = 1.959_963_984_540_054;
/// Standard error of the 10th percentile in units of σ/√n for normal data:
/// √(0.1 · 0.9) / φ(Φ⁻¹(0.1)) (scipy: `sqrt(0.09) / norm.pdf(norm.ppf(0.1))`).
const P10_SE: f64 = 1.709_417_956_835_101;
/// MAD → σ for normal data.
const MAD_TO_SIGMA: f64 = 1.482_602_218_505_602;
/// Largest number of samples or runs suggested; beyond it the answer is "loosen the limit".
pub const MAX_SUGGESTED: u64 = 10_000;

/// Robust coefficient of variation: 1.4826 · MAD / median (0 when the median is 0).
pub fn robust_cv(summary: &Summary) -> f64 {
    if summary.p50_ns > 0.0 {
        MAD_TO_SIGMA * summary.mad_ns / summary.p50_ns
    } else {
        0.0
    }
}

/// 95% margin of a P10-to-P10 change from within-run noise alone, for relative
/// noise `cv` and `n_candidate`, `n_baseline` samples.
pub fn within_run_margin(cv: f64, n_candidate: usize, n_baseline: usize) -> f64 {
    let inv = 1.0 / n_candidate.max(1) as f64 + 1.0 / n_baseline.max(1) as f64;
    Z95 * P10_SE * cv * inv.sqrt()
}

/// Samples per side for which `within_run_margin` falls to `limit` (None: beyond
/// [`MAX_SUGGESTED`] or a zero limit).
pub fn samples_needed(cv: f64, limit: f64) -> Option<u64> {
    if limit <= 0.0 {
        return None;
    }
    // margin = Z·S·cv·√(2/n) ≤ limit  ⇔  n ≥ 2 · (Z·S·cv / limit)².
    let n = (2.0 * (Z95 * P10_SE * cv / limit).powi(2)).ceil().max(2.0);
    (n <= MAX_SUGGESTED as f64).then_some(n as u64)
}

/// 95% prediction margin of a new run from `runs` baseline runs with relative standard
/// deviation `rel_sd`: t(K−1, 0.975) · s · √(1 + 1/K). None for fewer than two runs.
pub fn run_to_run_margin(rel_sd: f64, runs: usize) -> Option<f64> {
    if runs < 2 {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (runs - 1) as f64)
        .expect("degrees of freedom ≥ 1 are valid")
        .inverse_cdf(0.975);
    Some(t * rel_sd * (1.0 + 1.0 / runs as f64).sqrt())
}

/// Fewest baseline runs (≥ 2) whose run-to-run margin falls to `limit`, assuming the spread
/// stays `rel_sd`; None when even [`MAX_SUGGESTED`] runs would not (1.96 · s > limit).
pub fn runs_needed(rel_sd: f64, limit: f64) -> Option<u64> {
    if Z95 * rel_sd >= limit {
        return None;
    }
    (2..=MAX_SUGGESTED).find(|&k| run_to_run_margin(rel_sd, k as usize).is_some_and(|m| m <= limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    // scipy.stats.t.ppf(0.975, [1, 2, 4]) = [12.706204736174694, 4.302652729749462,
    // 2.7764451051977934]
    #[test]
    fn run_to_run_margin_uses_student_t_prediction_interval() {
        let m = run_to_run_margin(0.01, 3).unwrap();
        let want = 4.302_652_729_749_462 * 0.01 * (1.0_f64 + 1.0 / 3.0).sqrt();
        assert!((m - want).abs() < 1e-9, "{m} vs {want}");
        let m5 = run_to_run_margin(0.02, 5).unwrap();
        let want5 = 2.776_445_105_197_793_4 * 0.02 * 1.2_f64.sqrt();
        assert!((m5 - want5).abs() < 1e-9);
        assert_eq!(run_to_run_margin(0.01, 1), None);
    }

    /// The report's run-to-run margin for hypothetical run counts is the gate's prediction
    /// interval, so "a baseline of K runs" means what the gate will do with K runs.
    #[test]
    fn run_to_run_margin_agrees_with_the_gate() {
        let per_run = [100.0, 103.0, 98.0, 101.5];
        let spread = crate::stats::RunSpread::of(&per_run).unwrap();
        let ours = run_to_run_margin(spread.relative_stddev, per_run.len()).unwrap();
        let gate = crate::gate::noise::prediction_half_width(&per_run).unwrap();
        assert!((ours - gate).abs() < 1e-12, "{ours} vs {gate}");
    }

    #[test]
    fn samples_needed_brings_the_within_run_margin_to_the_limit() {
        let (cv, limit) = (0.08, 0.05);
        let n = samples_needed(cv, limit).unwrap();
        assert!(within_run_margin(cv, n as usize, n as usize) <= limit);
        assert!(within_run_margin(cv, n as usize - 1, n as usize - 1) > limit);
        // scipy: ceil(2·(1.959964·1.709418·0.08/0.05)²) = 58
        assert_eq!(n, 58);
        assert_eq!(samples_needed(0.5, 0.0), None);
    }

    #[test]
    fn runs_needed_is_none_when_spread_alone_exceeds_the_limit() {
        assert_eq!(runs_needed(0.03, 0.05), None);
        let k = runs_needed(0.01, 0.05).unwrap();
        assert!(run_to_run_margin(0.01, k as usize).unwrap() <= 0.05);
        assert!(run_to_run_margin(0.01, k as usize - 1).is_none_or(|m| m > 0.05));
    }

    #[test]
    fn robust_cv_ignores_a_single_outlier() {
        let s = crate::stats::Sample::new(vec![100.0, 101.0, 99.0, 100.0, 1000.0]).unwrap();
        let sum = Summary::of(&s);
        // MAD = median(|x − 100|) = 1 → 1.4826 · 1 / 100.
        assert!((robust_cv(&sum) - 0.014_826_022_185_056_02).abs() < 1e-12);
        assert!(sum.cv > 1.0);
    }

    /// The within-run margin is what it claims: for normal samples, the 95th percentile of
    /// |P10(b) / P10(a) − 1| over many seeded simulated pairs of runs.
    #[test]
    fn within_run_margin_matches_simulated_p10_changes() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(42);
        let (cv, n, trials) = (0.05, 40, 4000);
        let mut median = || {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    // Box–Muller.
                    let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
                    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
                    100.0 * (1.0 + cv * z)
                })
                .collect();
            crate::stats::percentile(&crate::stats::Sample::new(v).unwrap(), 0.1)
        };
        let changes: Vec<f64> = (0..trials)
            .map(|_| (median() / median() - 1.0).abs())
            .collect();
        let simulated =
            crate::stats::percentile(&crate::stats::Sample::new(changes).unwrap(), 0.95);
        let predicted = within_run_margin(cv, n, n);
        assert!(
            (simulated / predicted - 1.0).abs() < 0.1,
            "simulated {simulated}, predicted {predicted}"
        );
    }
}
