//! Layer normalization of one vector: (x − mean) / √(var + eps) · γ + β, with the mean and
//! the (biased) variance over the vector, computed in two passes for accuracy.

use super::reduce;

multiversion! {
    /// Normalizes `x` and writes `(x − mean)/√(var + eps)·gamma + beta` into `out`.
    pub fn layer_norm(x: &[f32], gamma: &[f32], beta: &[f32], out: &mut [f32], eps: f32) {
        let n = x.len();
        assert!(
            n > 0 && gamma.len() == n && beta.len() == n && out.len() == n,
            "layer_norm: lengths differ or are zero (x {n}, gamma {}, beta {}, out {})",
            gamma.len(),
            beta.len(),
            out.len()
        );
        let mean = reduce::sum_map(x, |v| v) / n as f32;
        let var = reduce::sum_map(x, |v| (v - mean) * (v - mean)) / n as f32;
        let inv_std = 1.0 / (var + eps).sqrt();
        for (((o, &v), &g), &b) in out.iter_mut().zip(x).zip(gamma).zip(beta) {
            *o = (v - mean) * inv_std * g + b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference::{layer_norm_f64, max_rel_err, random_vec};

    #[test]
    fn layer_norm_matches_the_naive_formula_within_1e_4_relative() {
        for (n, offset) in [(1, 0.0), (5, 0.0), (768, 0.0), (1_000, 100.0)] {
            let x: Vec<f32> = random_vec(n, 11, -3.0, 3.0)
                .iter()
                .map(|v| v + offset)
                .collect();
            let gamma = random_vec(n, 12, 0.5, 1.5);
            let beta = random_vec(n, 13, -1.0, 1.0);
            let mut out = vec![f32::NAN; n];
            layer_norm(&x, &gamma, &beta, &mut out, 1e-5);
            let (want, normalized) = layer_norm_f64(&x, &gamma, &beta, 1e-5);
            // out = x̂·γ + β can cancel to ~0; scale the error by its terms |x̂·γ| + |β|.
            let err = max_rel_err(&out, &want, |i| {
                (normalized[i] * gamma[i] as f64).abs() + (beta[i] as f64).abs()
            });
            assert!(err <= 1e-4, "n {n}: max relative error {err:e}");
        }
    }

    #[test]
    #[should_panic(expected = "layer_norm: lengths differ or are zero (x 4, gamma 3")]
    fn layer_norm_rejects_mismatched_lengths() {
        layer_norm(&[1.0; 4], &[1.0; 3], &[0.0; 4], &mut [0.0; 4], 1e-5);
    }
}
