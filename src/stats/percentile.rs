//! Percentiles by linear interpolation between order statistics (Hyndman–Fan type 7,
//! numpy's default `method="linear"`).

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
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[f64]) -> Sample {
        Sample::new(v.to_vec()).unwrap()
    }

    // Reference values: numpy.percentile(x, [50, 95, 99]) (method="linear").
    #[test]
    fn matches_numpy_linear() {
        let x = s(&[15.0, 20.0, 35.0, 40.0, 50.0]);
        assert_eq!(percentile(&x, 0.5), 35.0);
        assert!((percentile(&x, 0.95) - 48.0).abs() < 1e-12);
        assert!((percentile(&x, 0.99) - 49.6).abs() < 1e-12);
        let y = s(&[3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]);
        // numpy.percentile([3,1,4,1,5,9,2,6], [50, 95, 99]) = [3.5, 7.95, 8.79]
        assert!((percentile(&y, 0.5) - 3.5).abs() < 1e-12);
        assert!((percentile(&y, 0.95) - 7.95).abs() < 1e-12);
        assert!((percentile(&y, 0.99) - 8.79).abs() < 1e-12);
    }

    #[test]
    fn single_value_and_extremes() {
        let x = s(&[7.0]);
        assert_eq!(percentile(&x, 0.99), 7.0);
        let y = s(&[1.0, 2.0, 3.0]);
        assert_eq!(percentile(&y, 0.0), 1.0);
        assert_eq!(percentile(&y, 1.0), 3.0);
    }
}
