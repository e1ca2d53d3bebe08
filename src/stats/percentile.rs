//! Percentiles by linear interpolation between order statistics (Hyndman–Fan type 7,
//! numpy's default `method="linear"`), computed with numpy's exact floating-point steps so
//! that `numpy.quantile(x, q)` gives the same bits.

use super::Sample;

/// The `q`-quantile (0 ≤ q ≤ 1) of `sample`, type 7: h = (n − 1)·q, interpolate between
/// the order statistics around h. `q` outside [0, 1] is clamped.
pub fn percentile(sample: &Sample, q: f64) -> f64 {
    percentile_of_sorted(sample.sorted(), q)
}

/// Type-7 `q`-quantile of an ascending, non-empty slice of finite values (which, unlike a
/// [`Sample`], may be negative). `q` outside [0, 1] is clamped.
pub(super) fn percentile_of_sorted(sorted: &[f64], q: f64) -> f64 {
    let q = q.clamp(0.0, 1.0);
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    if lo + 1 >= sorted.len() {
        return sorted[sorted.len() - 1];
    }
    lerp(sorted[lo], sorted[lo + 1], h - lo as f64)
}

/// numpy's `_lerp`: `a + (b − a)·t`, computed from `b` when t ≥ 0.5 (exact at t = 1 and
/// bit-identical to numpy's quantiles).
pub(super) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[f64]) -> Sample {
        Sample::new(v.to_vec()).unwrap()
    }

    // numpy 2.4.6: numpy.percentile([15,20,35,40,50], [50, 95, 99]) = [35., 48., 49.6]
    //              numpy.percentile([3,1,4,1,5,9,2,6], [50, 95, 99])
    //                = [3.5, 7.949999999999998, 8.79]
    #[test]
    fn matches_numpy_linear_bit_for_bit() {
        let x = s(&[15.0, 20.0, 35.0, 40.0, 50.0]);
        assert_eq!(percentile(&x, 0.5), 35.0);
        assert_eq!(percentile(&x, 0.95), 48.0);
        assert_eq!(percentile(&x, 0.99), 49.6);
        let y = s(&[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]);
        assert_eq!(percentile(&y, 0.5), 3.5);
        assert_eq!(percentile(&y, 0.95), 7.949_999_999_999_998);
        assert_eq!(percentile(&y, 0.99), 8.79);
    }

    // x = [1000 + (i*37 % 101) + i/7 for i in range(120)]
    // numpy.quantile(x, [0.5, 0.95, 0.99, 0.025, 0.975, 0.3]) =
    //   [1057.7142857142858, 1103.7428571428572, 1109.1914285714288,
    //    1009.1107142857143, 1106.317857142857, 1037.642857142857]
    #[test]
    fn matches_numpy_on_120_values() {
        let x = Sample::new(
            (0..120)
                .map(|i| 1000.0 + ((i * 37) % 101) as f64 + i as f64 / 7.0)
                .collect(),
        )
        .unwrap();
        for (q, expected) in [
            (0.5, 1_057.714_285_714_285_8),
            (0.95, 1_103.742_857_142_857_2),
            (0.99, 1_109.191_428_571_428_8),
            (0.025, 1_009.110_714_285_714_3),
            (0.975, 1_106.317_857_142_857),
            (0.3, 1_037.642_857_142_857),
        ] {
            assert_eq!(percentile(&x, q), expected, "q {q}");
        }
    }

    #[test]
    fn single_value_and_extremes() {
        let x = s(&[7.0]);
        assert_eq!(percentile(&x, 0.99), 7.0);
        let y = s(&[1.0, 2.0, 3.0]);
        assert_eq!(percentile(&y, 0.0), 1.0);
        assert_eq!(percentile(&y, 1.0), 3.0);
        assert_eq!(percentile(&y, -0.5), 1.0);
        assert_eq!(percentile(&y, 1.5), 3.0);
    }
}
