//! Row-batched building blocks shared by the cached and the full forward pass, all on top
//! of the kernels module. Matrices are row-major; `m` is the number of rows (positions).

use super::config::LAYER_NORM_EPS;
use crate::kernels::{self, Threads};

/// Model inference runs on the measuring thread only, as the suite's model benchmarks are
/// single-threaded.
pub const THREADS: Threads = Threads::Single;

/// `out = x · w + b` for `m` rows: `x` is `m × k`, `w` is `k × n`, `b` has `n` values.
pub fn linear(x: &[f32], w: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    let out = &mut out[..m * n];
    kernels::matmul(&x[..m * k], w, out, m, k, n, THREADS);
    for row in out.chunks_exact_mut(n) {
        kernels::add_in_place(row, b);
    }
}

/// LayerNorm of each `gamma.len()`-wide row of `x` into the same row of `out`.
pub fn layer_norm_rows(x: &[f32], gamma: &[f32], beta: &[f32], out: &mut [f32]) {
    let d = gamma.len();
    for (row, out_row) in x.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
        kernels::layer_norm(row, gamma, beta, out_row, LAYER_NORM_EPS);
    }
}

/// Index of the largest logit (the first one on ties): the greedy choice.
pub fn argmax(logits: &[f32]) -> u32 {
    let mut best = 0;
    for (i, &v) in logits.iter().enumerate() {
        if v > logits[best] {
            best = i;
        }
    }
    best as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_adds_the_bias_to_every_row() {
        // x = [[1, 2], [3, 4]], w = [[1, 0, 1], [0, 1, 1]], b = [10, 20, 30].
        let x = [1.0, 2.0, 3.0, 4.0];
        let w = [1.0, 0.0, 1.0, 0.0, 1.0, 1.0];
        let b = [10.0, 20.0, 30.0];
        let mut out = [0.0; 6];
        linear(&x, &w, &b, &mut out, 2, 2, 3);
        assert_eq!(out, [11.0, 22.0, 33.0, 13.0, 24.0, 37.0]);
    }

    #[test]
    fn argmax_picks_the_first_of_equal_maxima() {
        assert_eq!(argmax(&[0.1, 0.9, -1.0, 0.9]), 1);
        assert_eq!(argmax(&[-3.0]), 0);
    }
}
