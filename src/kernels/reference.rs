//! Naive f64 reference implementations and the error measure the kernel tests share.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `len` values uniform in [lo, hi) from a ChaCha8 stream seeded with `seed`.
pub fn random_vec(len: usize, seed: u64, lo: f32, hi: f32) -> Vec<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..len).map(|_| rng.random_range(lo..hi)).collect()
}

/// Largest `|got − want| / max(|want|, scale(i))` over all elements. `scale` gives the
/// magnitude below which absolute error is what matters (e.g. Σ|terms| of a sum that
/// cancels); NaN in `got` counts as infinite error.
pub fn max_rel_err(got: &[f32], want: &[f64], scale: impl Fn(usize) -> f64) -> f64 {
    assert_eq!(got.len(), want.len(), "reference length");
    let mut worst = 0.0f64;
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        let g = g as f64;
        let err = if g == w {
            0.0
        } else {
            (g - w).abs() / w.abs().max(scale(i))
        };
        worst = if err.is_nan() {
            f64::INFINITY
        } else {
            worst.max(err)
        };
    }
    worst
}

/// GELU, tanh approximation, in f64: 0.5·x·(1 + tanh u). Written with the exact identity
/// 1 + tanh u = 2 / (1 + e^(−2u)) because `1.0 + u.tanh()` cancels to 0 in f64 once
/// u < −18 (x < −5.5), which would make the reference, not the kernel, wrong in the tail.
pub fn gelu_tanh_f64(x: f64) -> f64 {
    let u = (2.0 / std::f64::consts::PI).sqrt() * (x + 0.044715 * x * x * x);
    let one_plus_tanh = if u >= 0.0 {
        1.0 + u.tanh()
    } else {
        2.0 / (1.0 + (-2.0 * u).exp())
    };
    0.5 * x * one_plus_tanh
}

/// GELU, exact erf form, in f64.
pub fn gelu_erf_f64(x: f64) -> f64 {
    0.5 * x * (1.0 + statrs::function::erf::erf(x / std::f64::consts::SQRT_2))
}

/// Softmax in f64, subtracting the max.
pub fn softmax_f64(x: &[f32]) -> Vec<f64> {
    let max = x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v as f64));
    let e: Vec<f64> = x.iter().map(|&v| (v as f64 - max).exp()).collect();
    let total: f64 = e.iter().sum();
    e.iter().map(|v| v / total).collect()
}

/// Layer norm in f64: the output and the normalized (x − mean)/√(var + eps) before γ, β.
pub fn layer_norm_f64(x: &[f32], gamma: &[f32], beta: &[f32], eps: f32) -> (Vec<f64>, Vec<f64>) {
    let n = x.len() as f64;
    let mean = x.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = x.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
    let inv_std = 1.0 / (var + eps as f64).sqrt();
    let normalized: Vec<f64> = x.iter().map(|&v| (v as f64 - mean) * inv_std).collect();
    let out = normalized
        .iter()
        .zip(gamma.iter().zip(beta))
        .map(|(&h, (&g, &b))| h * g as f64 + b as f64)
        .collect();
    (out, normalized)
}

/// A naive matrix product and, per entry, the sum of the absolute values of its terms.
pub struct Product {
    /// C = A·B in f64.
    pub values: Vec<f64>,
    /// Σ_p |A[i][p]·B[p][j]| for each entry.
    pub abs_terms: Vec<f64>,
}

/// C = A (m×k) · B (k×n), row-major, by the triple loop in f64.
pub fn matmul_f64(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Product {
    let mut values = vec![0.0; m * n];
    let mut abs_terms = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            for p in 0..k {
                let t = a[i * k + p] as f64 * b[p * n + j] as f64;
                values[i * n + j] += t;
                abs_terms[i * n + j] += t.abs();
            }
        }
    }
    Product { values, abs_terms }
}
