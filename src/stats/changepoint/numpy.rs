//! numpy's floating-point summation order, so the Otava port's means and standard
//! deviations round exactly as `np.mean` / `np.std` do (pairwise summation, blocks of 8).

/// Sum in numpy's pairwise order (`pairwise_sum` in numpy's `loops_utils.h`).
pub(crate) fn pairwise_sum(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 8 {
        let mut res = 0.0;
        for &v in x {
            res += v;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&x[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for (k, acc) in r.iter_mut().enumerate() {
                *acc += x[i + k];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += x[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise_sum(&x[..n2]) + pairwise_sum(&x[n2..])
    }
}

/// `np.mean(x)`; `x` must not be empty.
pub(crate) fn mean(x: &[f64]) -> f64 {
    pairwise_sum(x) / x.len() as f64
}

/// `np.std(x)` (population, ddof = 0); `x` must not be empty.
pub(crate) fn std(x: &[f64]) -> f64 {
    let m = mean(x);
    let sq: Vec<f64> = x.iter().map(|v| (v - m) * (v - m)).collect();
    (pairwise_sum(&sq) / x.len() as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference (numpy 2.2.0): x = np.array([0.1 * i + 1e-3 * i * i for i in range(300)])
    //   np.sum(x), np.std(x[:37]), np.mean(x[:5]) -> the constants below.
    #[test]
    fn sums_match_numpy_pairwise_order() {
        let x: Vec<f64> = (0..300)
            .map(|i| 0.1 * i as f64 + 1e-3 * i as f64 * i as f64)
            .collect();
        assert_eq!(pairwise_sum(&x), NUMPY_SUM_300);
        assert_eq!(std(&x[..37]), NUMPY_STD_37);
        assert_eq!(mean(&x[..5]), NUMPY_MEAN_5);
    }

    const NUMPY_SUM_300: f64 = 13440.05;
    const NUMPY_STD_37: f64 = 1.455650370109526;
    const NUMPY_MEAN_5: f64 = 0.20600000000000004;
}
