//! The paired change of an A/B comparison: per round one log-ratio log(head / base); the
//! change is the Hodges–Lehmann estimate, its 95% interval the distribution-free interval
//! from the Walsh averages, its test the Wilcoxon signed-rank test.
//!
//! Why Hodges–Lehmann and not the geometric mean: the machine has slow episodes in which
//! every sample is ~+35% for 20–350 ms (FIELD-NOTES, "Slow episodes"). A round caught in
//! one on one side only gives a log-ratio of ±0.3; the geometric mean moves by 0.3/n per such
//! round (1.5% for one bad round in 20), while the median of the Walsh averages has a
//! breakdown point of 29%: a few burst rounds barely move it. It is also the estimate
//! that belongs to the signed-rank test (the centre its interval is built around), so the
//! estimate, the interval and the p-value never disagree about the direction.
//!
//! Outlier rounds: none are dropped. The estimate, interval and test are rank-based, so a
//! burst round counts as one large rank, never by its size; dropping rounds would need a
//! threshold that a real, large regression could trip.

use statrs::distribution::{ContinuousCDF, Normal};

use super::percentile::percentile_of_sorted;
use super::wilcoxon::{Wilcoxon, WilcoxonError, doubled_rank_sum_counts, wilcoxon_signed_rank};

/// Confidence level of the interval.
pub const PAIRED_CONFIDENCE: f64 = 0.95;

/// Largest n for which the interval uses the exact signed-rank distribution.
const EXACT_CI_MAX_N: usize = 50;

/// The paired change of one benchmark, as fractions of the base (0.02 = head 2% slower).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedChange {
    /// Number of paired observations (rounds).
    pub rounds: usize,
    /// exp(Hodges–Lehmann estimate of the log-ratios) − 1.
    pub change: f64,
    /// Lower end of the 95% interval of `change`.
    pub ci_low: f64,
    /// Upper end of the 95% interval of `change`.
    pub ci_high: f64,
    /// Coverage the interval actually has (below 95% with fewer than 6 rounds).
    pub coverage: f64,
    /// The signed-rank test of the log-ratios against 0.
    pub test: Wilcoxon,
}

/// The paired change from per-round log-ratios log(head / base), 95% interval.
pub fn paired_change(log_ratios: &[f64]) -> Result<PairedChange, WilcoxonError> {
    paired_change_at(log_ratios, PAIRED_CONFIDENCE)
}

/// The paired change with an interval of the given confidence (e.g. 0.99 at a sequential
/// look, see src/stats/sequential.rs).
pub fn paired_change_at(
    log_ratios: &[f64],
    confidence: f64,
) -> Result<PairedChange, WilcoxonError> {
    let test = wilcoxon_signed_rank(log_ratios)?;
    let walsh = walsh_averages(log_ratios);
    let estimate = percentile_of_sorted(&walsh, 0.5);
    let (cut, coverage) = cut_per_end(log_ratios.len(), confidence);
    let low = walsh[cut];
    let high = walsh[walsh.len() - 1 - cut];
    Ok(PairedChange {
        rounds: log_ratios.len(),
        change: estimate.exp_m1(),
        ci_low: low.exp_m1(),
        ci_high: high.exp_m1(),
        coverage,
        test,
    })
}

/// All (x_i + x_j) / 2 for i ≤ j, ascending.
pub(super) fn walsh_averages(x: &[f64]) -> Vec<f64> {
    let mut w = Vec::with_capacity(x.len() * (x.len() + 1) / 2);
    for i in 0..x.len() {
        for j in i..x.len() {
            w.push((x[i] + x[j]) / 2.0);
        }
    }
    w.sort_by(f64::total_cmp);
    w
}

/// How many Walsh averages to cut from each end for the interval of level `confidence`,
/// and the coverage it has. The interval [W_(t+1), W_(M−t)] covers with probability
/// 1 − 2·P(T ≤ t), T the signed-rank statistic; t is the largest value with
/// P(T ≤ t) ≤ (1 − confidence)/2 (exact distribution up to 50 rounds, normal approximation
/// beyond). With too few rounds (fewer than 6 at 95%) no t qualifies: the interval is the
/// whole range and its coverage is reported as it is.
fn cut_per_end(n: usize, confidence: f64) -> (usize, f64) {
    let tail = (1.0 - confidence) / 2.0;
    if n <= EXACT_CI_MAX_N {
        let ranks: Vec<f64> = (1..=n).map(|r| r as f64).collect();
        // Doubled integer ranks: only even indices are populated.
        let counts = doubled_rank_sum_counts(&ranks);
        let all: f64 = counts.iter().sum();
        let mut cdf = 0.0;
        let mut best: Option<(usize, f64)> = None;
        for (t, c) in counts.iter().step_by(2).enumerate() {
            cdf += c / all;
            if cdf > tail {
                break;
            }
            best = Some((t, 1.0 - 2.0 * cdf));
        }
        return best.unwrap_or((0, 1.0 - 2.0 * 0.5_f64.powi(n as i32)));
    }
    let nf = n as f64;
    let mean = nf * (nf + 1.0) / 4.0;
    let sd = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0).sqrt();
    let z = Normal::standard().inverse_cdf(1.0 - tail);
    let t = (mean - z * sd).floor().max(0.0) as usize;
    (t, confidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference (numpy 2.x), brute force over the exact null distribution:
    //   def walsh(x): n=len(x); return np.sort([(x[i]+x[j])/2 for i in range(n) for j in range(i,n)])
    //   def pmf(n):
    //       c=np.zeros(n*(n+1)//2+1); c[0]=1
    //       for r in range(1,n+1): c[r:]=c[r:]+c[:-r].copy()
    //       return c/2**n
    //   def ci(x):
    //       n=len(x); w=walsh(x); M=len(w); cdf=np.cumsum(pmf(n))
    //       ts=[t for t in range(M+1) if cdf[t] <= 0.025]; t=max(ts) if ts else 0
    //       return w[t], w[M-1-t], t
    //   n12 = [((i*7)%13 - 4)/100 + i/1000 for i in range(12)]
    //   n20_burst = [0.01 + ((i*5)%7 - 3)/1000 + (0.3 if i in (3,4,5) else 0) for i in range(20)]
    //   n5 = [0.01,0.02,-0.01,0.03,0.015]
    //   np.median(walsh(x)), ci(x)
    // n12:       HL 0.025500000000000002, CI (-0.004, 0.05500000000000001), t = 13
    // n20_burst: HL 0.0105,               CI (0.0095, 0.158),                t = 52
    // n5:        HL 0.015,                CI (-0.01, 0.03) (whole range)
    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn hodges_lehmann_and_walsh_interval_match_reference() {
        let n12: Vec<f64> = (0..12)
            .map(|i| (((i * 7) % 13) as f64 - 4.0) / 100.0 + i as f64 / 1000.0)
            .collect();
        let c = paired_change(&n12).unwrap();
        close(c.change, 0.025_500_000_000_000_002_f64.exp_m1());
        close(c.ci_low, (-0.004_f64).exp_m1());
        close(c.ci_high, 0.055_000_000_000_000_01_f64.exp_m1());
        assert_eq!(cut_per_end(12, PAIRED_CONFIDENCE).0, 13);
        assert!(c.coverage >= 0.95 && c.coverage < 0.96, "{}", c.coverage);
    }

    #[test]
    fn burst_rounds_barely_move_the_estimate() {
        let x: Vec<f64> = (0..20)
            .map(|i| {
                let burst = if (3..=5).contains(&i) { 0.3 } else { 0.0 };
                0.01 + (((i * 5) % 7) as f64 - 3.0) / 1000.0 + burst
            })
            .collect();
        let c = paired_change(&x).unwrap();
        close(c.change, 0.0105_f64.exp_m1());
        close(c.ci_low, 0.0095_f64.exp_m1());
        close(c.ci_high, 0.158_f64.exp_m1());
        assert_eq!(cut_per_end(20, PAIRED_CONFIDENCE).0, 52);
        // The geometric mean would say +5.5%.
        let mean = x.iter().sum::<f64>() / 20.0;
        assert!(mean.exp_m1() > 0.05);
    }

    #[test]
    fn too_few_rounds_give_the_whole_range_and_say_so() {
        let c = paired_change(&[0.01, 0.02, -0.01, 0.03, 0.015]).unwrap();
        close(c.change, 0.015_f64.exp_m1());
        close(c.ci_low, (-0.01_f64).exp_m1());
        close(c.ci_high, 0.03_f64.exp_m1());
        close(c.coverage, 1.0 - 2.0 / 32.0);
    }

    #[test]
    fn large_n_uses_the_normal_cut() {
        // n = 60: mean 915, sd sqrt(60*61*121/24) = 135.84; 915 - 1.96*135.84 = 648.7
        assert_eq!(cut_per_end(60, PAIRED_CONFIDENCE).0, 648);
    }
}
