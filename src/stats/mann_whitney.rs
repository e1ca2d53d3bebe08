//! Two-sided Mann–Whitney U test, defined exactly as
//! `scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic",
//! use_continuity=True)`.
//!
//! statrs 0.19 has `stats_tests::mannwhitneyu::mannwhitneyu` with the same variant (U1 for
//! `x`, average ranks, tie-corrected normal approximation, continuity correction, doubled
//! and clipped p). It is not used because it computes the tail as `1 − Φ(z)`, which loses
//! relative precision as p gets small and returns 0 below ~1e-16 (scipy uses `Φ(−z)`), and
//! its ranking is O(n²). This implementation ranks by merging the two already-sorted
//! samples in O(n) and takes the tail from statrs' `Normal::sf` (erfc based).

use statrs::distribution::{ContinuousCDF, Normal};

use super::Sample;

/// Result of a two-sided Mann–Whitney U test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannWhitney {
    /// U1, the U statistic of `x` (what scipy reports as `statistic`).
    pub u: f64,
    /// Two-sided p-value in [0, 1]; 1 when every value of both samples is equal.
    pub p_value: f64,
}

/// Two-sided Mann–Whitney U test of `x` against `y` (normal approximation with tie and
/// continuity correction), identical to scipy's `method="asymptotic"`.
pub fn mann_whitney_u(x: &Sample, y: &Sample) -> MannWhitney {
    let (n1, n2) = (x.len(), y.len());
    let (rank_sum_x, tie_term) = rank_sum_and_ties(x.sorted(), y.sorted());
    let n1f = n1 as f64;
    let n2f = n2 as f64;
    let u1 = rank_sum_x - n1f * (n1f + 1.0) / 2.0;
    let u2 = n1f * n2f - u1;
    let u = u1.max(u2);

    // Tie-corrected variance: n1·n2/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))), with the
    // bracket computed as an exact integer ((n + 1)·n·(n − 1) − Σ(t³ − t)) / (n(n − 1))
    // so that "all values equal" gives exactly 0 rather than a rounding residue.
    let n = (n1 + n2) as u128;
    let bracket_numerator = (n + 1) * n * (n - 1) - tie_term;
    if bracket_numerator == 0 {
        return MannWhitney {
            u: u1,
            p_value: 1.0,
        };
    }
    let variance = n1f * n2f / 12.0 * (bracket_numerator as f64 / (n * (n - 1)) as f64);
    let z = (u - n1f * n2f / 2.0 - 0.5) / variance.sqrt();
    let tail = Normal::standard().sf(z);
    MannWhitney {
        u: u1,
        p_value: (2.0 * tail).clamp(0.0, 1.0),
    }
}

/// Walks the merged order of two ascending slices; returns the sum of the (average) ranks
/// of `x`'s values and the tie term Σ(t³ − t) over groups of equal values.
fn rank_sum_and_ties(x: &[f64], y: &[f64]) -> (f64, u128) {
    let (mut i, mut j) = (0usize, 0usize);
    let mut rank_sum_x = 0.0;
    let mut tie_term: u128 = 0;
    let mut next_rank = 1usize;
    while i < x.len() || j < y.len() {
        let value = match (x.get(i), y.get(j)) {
            (Some(&a), Some(&b)) => a.min(b),
            (Some(&a), None) => a,
            (None, Some(&b)) => b,
            (None, None) => unreachable!("loop condition"),
        };
        let from_x = x[i..].iter().take_while(|&&v| v == value).count();
        let from_y = y[j..].iter().take_while(|&&v| v == value).count();
        let t = from_x + from_y;
        // Ranks next_rank ..= next_rank + t − 1 share their average.
        let average_rank = next_rank as f64 + (t as f64 - 1.0) / 2.0;
        rank_sum_x += average_rank * from_x as f64;
        let t = t as u128;
        tie_term += t * t * t - t;
        next_rank += from_x + from_y;
        i += from_x;
        j += from_y;
    }
    (rank_sum_x, tie_term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[f64]) -> Sample {
        Sample::new(v.to_vec()).unwrap()
    }

    fn assert_close(actual: f64, expected: f64) {
        let rel = ((actual - expected) / expected).abs();
        assert!(
            rel < 1e-10 || actual == expected,
            "actual {actual:e}, expected {expected:e}, relative error {rel:e}"
        );
    }

    // Every reference below comes from scipy 1.17.1:
    //   from scipy.stats import mannwhitneyu
    //   r = mannwhitneyu(x, y, alternative="two-sided", method="asymptotic",
    //                    use_continuity=True); print(r.statistic, r.pvalue)

    // x=[19,22,16,29,24], y=[20,11,17,12] -> 17.0 0.11134688653314041
    #[test]
    fn matches_scipy_without_ties() {
        let r = mann_whitney_u(
            &s(&[19.0, 22.0, 16.0, 29.0, 24.0]),
            &s(&[20.0, 11.0, 17.0, 12.0]),
        );
        assert_eq!(r.u, 17.0);
        assert_close(r.p_value, 0.111_346_886_533_140_41);
    }

    // x=[1,2,2,3,3,3,4], y=[2,3,3,4,4,5] -> 11.0 0.15778541051796502
    #[test]
    fn matches_scipy_with_ties_across_samples() {
        let r = mann_whitney_u(
            &s(&[1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0]),
            &s(&[2.0, 3.0, 3.0, 4.0, 4.0, 5.0]),
        );
        assert_eq!(r.u, 11.0);
        assert_close(r.p_value, 0.157_785_410_517_965_02);
    }

    // x=[10.5,3.25,7.0], y=[1,2,3.25,4,5,6,7,8,9,10] -> 19.0 0.5530205443297598
    #[test]
    fn matches_scipy_with_unequal_sizes() {
        let r = mann_whitney_u(
            &s(&[10.5, 3.25, 7.0]),
            &s(&[1.0, 2.0, 3.25, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]),
        );
        assert_eq!(r.u, 19.0);
        assert_close(r.p_value, 0.553_020_544_329_759_8);
    }

    // x=[5], y=[1,2,3,4,6,7] -> 4.0 0.8025873486341526;  x=[1], y=[2] -> 0.0 1.0
    #[test]
    fn matches_scipy_with_single_value_samples() {
        let r = mann_whitney_u(&s(&[5.0]), &s(&[1.0, 2.0, 3.0, 4.0, 6.0, 7.0]));
        assert_eq!(r.u, 4.0);
        assert_close(r.p_value, 0.802_587_348_634_152_6);
        let r = mann_whitney_u(&s(&[1.0]), &s(&[2.0]));
        assert_eq!(
            r,
            MannWhitney {
                u: 0.0,
                p_value: 1.0
            }
        );
    }

    // x=y=[1.5,2.5,3.5,4.5] -> 8.0 1.0;  x=[3,3,3], y=[3,3] -> 3.0 1.0
    #[test]
    fn identical_and_all_equal_sets_give_p_one() {
        let a = s(&[1.5, 2.5, 3.5, 4.5]);
        assert_eq!(
            mann_whitney_u(&a, &a),
            MannWhitney {
                u: 8.0,
                p_value: 1.0
            }
        );
        let r = mann_whitney_u(&s(&[3.0, 3.0, 3.0]), &s(&[3.0, 3.0]));
        assert_eq!(
            r,
            MannWhitney {
                u: 3.0,
                p_value: 1.0
            }
        );
    }

    /// 120 vs 40 values with many ties inside and across the samples; the offset of `y`
    /// sets how far apart they are.
    fn large_sets(offset: f64) -> (Sample, Sample) {
        let x = (0..120).map(|i| 1000.0 + ((i * 37) % 101) as f64).collect();
        let y = (0..40).map(|j| offset + ((j * 53) % 89) as f64).collect();
        (Sample::new(x).unwrap(), Sample::new(y).unwrap())
    }

    // x=[1000 + (i*37 % 101) for i in range(120)], y=[off + (j*53 % 89) for j in range(40)]
    // off=1010 -> 2207.0 0.44809310547643577
    // off=1020 -> 1752.5 0.010782615687860313
    // off=1030 -> 1352.0 3.6604698772009016e-05
    #[test]
    fn matches_scipy_for_120_vs_40_with_ties() {
        for (offset, u, p) in [
            (1010.0, 2207.0, 0.448_093_105_476_435_77),
            (1020.0, 1752.5, 0.010_782_615_687_860_313),
            (1030.0, 1352.0, 3.660_469_877_200_901_6e-5),
        ] {
            let (x, y) = large_sets(offset);
            let r = mann_whitney_u(&x, &y);
            assert_eq!(r.u, u, "offset {offset}");
            assert_close(r.p_value, p);
        }
    }

    // x=[float(i) for i in range(120)], y=[200.0 + j for j in range(40)]
    // -> 0.0 3.219289400789116e-21
    #[test]
    fn keeps_relative_precision_for_tiny_p_values() {
        let x = Sample::new((0..120).map(f64::from).collect()).unwrap();
        let y = Sample::new((0..40).map(|j| 200.0 + f64::from(j)).collect()).unwrap();
        let r = mann_whitney_u(&x, &y);
        assert_eq!(r.u, 0.0);
        assert_close(r.p_value, 3.219_289_400_789_116e-21);
    }

    #[test]
    fn swapping_samples_mirrors_u_and_keeps_p() {
        let (x, y) = large_sets(1020.0);
        let a = mann_whitney_u(&x, &y);
        let b = mann_whitney_u(&y, &x);
        assert_eq!(a.u + b.u, 120.0 * 40.0);
        assert_eq!(a.p_value, b.p_value);
    }
}
