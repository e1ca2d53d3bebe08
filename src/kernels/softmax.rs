//! Numerically stable softmax: e^(x − max) / Σ e^(x − max), so no exponent exceeds 0 and
//! large inputs (1000.0) cannot overflow.

use super::exp::exp;
use super::reduce;

multiversion! {
    /// Writes the softmax of `x` into `out`.
    pub fn softmax(x: &[f32], out: &mut [f32]) {
        assert_eq!(
            x.len(),
            out.len(),
            "softmax: input has {} elements but output has {}",
            x.len(),
            out.len()
        );
        let max = reduce::max(x);
        for (o, &v) in out.iter_mut().zip(x) {
            *o = exp(v - max);
        }
        normalize(out);
    }
}

multiversion! {
    /// Replaces `x` by its softmax.
    pub fn softmax_in_place(x: &mut [f32]) {
        let max = reduce::max(x);
        for v in x.iter_mut() {
            *v = exp(*v - max);
        }
        normalize(x);
    }
}

/// Divides every element by the sum of all of them.
#[inline(always)]
fn normalize(x: &mut [f32]) {
    let inv_sum = 1.0 / reduce::sum_map(x, |v| v);
    for v in x.iter_mut() {
        *v *= inv_sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference::{max_rel_err, random_vec, softmax_f64};

    #[test]
    fn softmax_matches_the_naive_formula_within_1e_4_relative() {
        for (len, spread) in [(1, 1.0), (7, 3.0), (2048, 5.0), (10_001, 20.0)] {
            let x = random_vec(len, len as u64, -spread, spread);
            let mut out = vec![f32::NAN; len];
            softmax(&x, &mut out);
            let want = softmax_f64(&x);
            // Outputs are positive probabilities; relative error is meaningful down to
            // values far below anything that matters (floor 1e-30).
            let err = max_rel_err(&out, &want, |_| 1e-30);
            assert!(err <= 1e-4, "len {len}: max relative error {err:e}");
        }
    }

    #[test]
    fn softmax_sums_to_one() {
        let x = random_vec(2048, 3, -10.0, 10.0);
        let mut out = vec![0.0; x.len()];
        softmax(&x, &mut out);
        let total: f64 = out.iter().map(|&v| v as f64).sum();
        assert!((total - 1.0).abs() < 1e-5, "sum {total}");
    }

    #[test]
    fn softmax_of_large_inputs_does_not_overflow() {
        let x = [1000.0, 999.0, 998.0, 1000.0, -1000.0];
        let mut out = [0.0; 5];
        softmax(&x, &mut out);
        assert!(out.iter().all(|v| v.is_finite()), "{out:?}");
        let want = softmax_f64(&x);
        assert!(
            max_rel_err(&out, &want, |_| 1e-30) <= 1e-4,
            "{out:?} vs {want:?}"
        );
        assert_eq!(out[4], 0.0);
    }

    #[test]
    fn softmax_in_place_equals_out_of_place() {
        let x = random_vec(333, 4, -6.0, 6.0);
        let mut out = vec![0.0; x.len()];
        softmax(&x, &mut out);
        let mut y = x.clone();
        softmax_in_place(&mut y);
        assert_eq!(y, out);
    }

    #[test]
    #[should_panic(expected = "softmax: input has 2 elements but output has 3")]
    fn softmax_rejects_mismatched_lengths() {
        softmax(&[1.0; 2], &mut [0.0; 3]);
    }
}
