//! Wilcoxon signed-rank test on paired differences, two-sided, as
//! `scipy.stats.wilcoxon(d)` with its defaults (zero_method="wilcox", correction=False,
//! method="auto") in scipy 1.17:
//! - zeros are dropped before ranking (but still count towards n for choosing the method);
//! - no ties and no zeros, n ≤ 50: the exact null distribution of R+;
//! - ties or zeros, n ≤ 13: the exact permutation distribution (all 2^n sign flips) of R+
//!   with average ranks — what scipy's `PermutationMethod` enumerates;
//! - otherwise: normal approximation with the tie correction, no continuity correction.

use statrs::distribution::{ContinuousCDF, Normal};

/// Why a set of paired differences cannot be tested.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WilcoxonError {
    /// No differences at all.
    #[error("no paired differences")]
    Empty,
    /// A difference is NaN or infinite.
    #[error("paired difference {index} is not a finite number ({value})")]
    NotFinite {
        /// Position of the value in the input.
        index: usize,
        /// The value itself.
        value: f64,
    },
}

/// How the p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WilcoxonMethod {
    /// Exact null distribution (or exact enumeration of sign flips with ties/zeros).
    Exact,
    /// Normal approximation with tie correction.
    Normal,
}

/// Result of a two-sided Wilcoxon signed-rank test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wilcoxon {
    /// min(R+, R−), scipy's two-sided `statistic`.
    pub statistic: f64,
    /// Sum of the ranks of the positive differences.
    pub r_plus: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Number of non-zero differences that were ranked.
    pub nonzero: usize,
    /// Exact or normal approximation.
    pub method: WilcoxonMethod,
}

/// Largest n (zeros included) for which the exact distribution is used without ties/zeros.
const EXACT_MAX_N: usize = 50;
/// Largest n (zeros included) for which all sign flips are enumerated with ties/zeros.
const PERMUTATION_MAX_N: usize = 13;

/// Two-sided Wilcoxon signed-rank test of `d` (paired differences, e.g. log-ratios).
/// All differences zero gives p = 1 (no evidence of any change).
pub fn wilcoxon_signed_rank(d: &[f64]) -> Result<Wilcoxon, WilcoxonError> {
    if d.is_empty() {
        return Err(WilcoxonError::Empty);
    }
    if let Some((index, &value)) = d.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(WilcoxonError::NotFinite { index, value });
    }
    let n_total = d.len();
    let nonzero: Vec<f64> = d.iter().copied().filter(|&x| x != 0.0).collect();
    let zeros = n_total - nonzero.len();
    let (ranks, tie_groups) = average_ranks_of_abs(&nonzero);
    let r_plus: f64 = nonzero
        .iter()
        .zip(&ranks)
        .filter(|(x, _)| **x > 0.0)
        .map(|(_, r)| r)
        .sum();
    let r_minus: f64 = nonzero
        .iter()
        .zip(&ranks)
        .filter(|(x, _)| **x < 0.0)
        .map(|(_, r)| r)
        .sum();
    let has_ties = tie_groups.iter().any(|&t| t > 1);
    let statistic = r_plus.min(r_minus);
    let n = nonzero.len();
    if n == 0 {
        return Ok(Wilcoxon {
            statistic,
            r_plus,
            p_value: 1.0,
            nonzero: 0,
            method: WilcoxonMethod::Exact,
        });
    }
    let exact = if !has_ties && zeros == 0 {
        n_total <= EXACT_MAX_N
    } else {
        n_total <= PERMUTATION_MAX_N
    };
    let (p_value, method) = if exact {
        (exact_two_sided(&ranks, r_plus), WilcoxonMethod::Exact)
    } else {
        let nf = n as f64;
        let mean = nf * (nf + 1.0) * 0.25;
        let tie_correct: f64 = tie_groups.iter().map(|&t| (t * t * t - t) as f64).sum();
        let se = ((nf * (nf + 1.0) * (2.0 * nf + 1.0) - tie_correct / 2.0) / 24.0).sqrt();
        let z = (r_plus - mean) / se;
        let tail = Normal::standard().sf(z.abs());
        ((2.0 * tail).min(1.0), WilcoxonMethod::Normal)
    };
    Ok(Wilcoxon {
        statistic,
        r_plus,
        p_value,
        nonzero: n,
        method,
    })
}

/// Average ranks (1-based) of |x|, in input order, and the sizes of the tie groups.
fn average_ranks_of_abs(x: &[f64]) -> (Vec<f64>, Vec<u64>) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].abs().total_cmp(&x[b].abs()));
    let mut ranks = vec![0.0; x.len()];
    let mut groups = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]].abs() == x[order[i]].abs() {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        groups.push((j - i + 1) as u64);
        i = j + 1;
    }
    (ranks, groups)
}

/// Counts of every value of Σ (2·rank) over the 2^n sign assignments, indexed by the
/// doubled sum (average ranks are multiples of ½, so doubled they are integers).
pub(super) fn doubled_rank_sum_counts(ranks: &[f64]) -> Vec<f64> {
    let doubled: Vec<usize> = ranks.iter().map(|r| (r * 2.0).round() as usize).collect();
    let total: usize = doubled.iter().sum();
    let mut counts = vec![0.0_f64; total + 1];
    counts[0] = 1.0;
    let mut reach = 0;
    for &r in &doubled {
        for s in (0..=reach).rev() {
            if counts[s] != 0.0 {
                counts[s + r] += counts[s];
            }
        }
        reach += r;
    }
    counts
}

/// 2·min(P(R+ ≥ r+), P(R+ ≤ r+)) under the exact sign-flip distribution, capped at 1.
fn exact_two_sided(ranks: &[f64], r_plus: f64) -> f64 {
    let counts = doubled_rank_sum_counts(ranks);
    let all: f64 = counts.iter().sum();
    let t = (r_plus * 2.0).round() as usize;
    let le: f64 = counts[..=t].iter().sum();
    let ge: f64 = counts[t..].iter().sum();
    (2.0 * le.min(ge) / all).min(1.0)
}

#[cfg(test)]
mod tests;
