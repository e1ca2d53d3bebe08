//! Matrix products through the `gemm` crate, which packs, blocks and picks its SIMD
//! micro-kernel at run time (AVX2+FMA on current x86-64), and switches to a GEMV path when
//! one side is a single row or column (m = 1, token-by-token generation).
//!
//! Outside its GEMV path `gemm` allocates on every call (a small bookkeeping vector, and
//! packing buffers for some shapes; it has no caller-provided workspace). So products with
//! 2 to 16 rows, such as a model's prefill, go to the allocation-free kernels of
//! [`super::small_m`] instead, and m = 1 stays on gemm's GEMV: a model's generation
//! allocates nothing. Larger products (the `matmul/N` benchmarks) allocate a few bytes
//! per call inside gemm, the same count on every call with the same shape.

use gemm::Parallelism;

use super::small_m::{self, matmul_bt_small_m, matmul_small_m};

/// How many threads a matrix product may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// The calling thread only.
    Single,
    /// All threads of the current rayon pool.
    Pool,
}

impl Threads {
    /// The `gemm` parallelism for this choice (`Rayon(0)` = the current pool's size).
    fn parallelism(self) -> Parallelism {
        match self {
            Threads::Single => Parallelism::None,
            Threads::Pool => Parallelism::Rayon(0),
        }
    }
}

/// Panics unless the slices hold the m×k, k×n and m×n elements the shape says.
fn check_shape(op: &str, a: usize, b: usize, c: usize, m: usize, k: usize, n: usize) {
    let want = [m.checked_mul(k), k.checked_mul(n), m.checked_mul(n)];
    assert!(
        want == [Some(a), Some(b), Some(c)],
        "{op}: m={m} k={k} n={n} needs a {m}x{k}, b {k}x{n}, c {m}x{n} elements, \
         got a {a}, b {b}, c {c}"
    );
}

/// True when the allocation-free small-m kernels take the product (m = 1 is left to
/// gemm's GEMV, empty products to gemm's early return).
fn use_small_m(m: usize, k: usize, n: usize) -> bool {
    (2..=small_m::MAX_ROWS).contains(&m) && k > 0 && n > 0
}

/// C (m×n) = A (m×k) · B (k×n), all row-major; C is overwritten.
pub fn matmul(a: &[f32], b: &[f32], c: &mut [f32], m: usize, k: usize, n: usize, threads: Threads) {
    check_shape("matmul", a.len(), b.len(), c.len(), m, k, n);
    if use_small_m(m, k, n) {
        return matmul_small_m(a, b, c, k, n);
    }
    // B[p][j] at b[p·n + j]: column stride 1, row stride n.
    gemm_row_major_c(a, b, (1, n as isize), c, (m, k, n), threads);
}

/// C (m×n) = A (m×k) · Bᵀ, where `b_t` is B transposed: n×k row-major (e.g. a tied
/// embedding matrix used as the output projection). No transposed copy is made.
pub fn matmul_bt(
    a: &[f32],
    b_t: &[f32],
    c: &mut [f32],
    m: usize,
    k: usize,
    n: usize,
    threads: Threads,
) {
    check_shape("matmul_bt", a.len(), b_t.len(), c.len(), m, k, n);
    if use_small_m(m, k, n) {
        return matmul_bt_small_m(a, b_t, c, k, n);
    }
    // B[p][j] at b_t[j·k + p]: column stride k, row stride 1.
    gemm_row_major_c(a, b_t, (k as isize, 1), c, (m, k, n), threads);
}

/// C (m×n) = A (m×k) · B through gemm, with A and C row-major and B read with
/// `(b_cs, b_rs)` = (column stride, row stride). Callers have checked the shapes so that
/// every index gemm forms for i < m, p < k, j < n lies inside the slices.
fn gemm_row_major_c(
    a: &[f32],
    b: &[f32],
    (b_cs, b_rs): (isize, isize),
    c: &mut [f32],
    (m, k, n): (usize, usize, usize),
    threads: Threads,
) {
    // SAFETY: A is read at i·k + p and C written at i·n + j, inside their slices by the
    // caller's shape check; B is read at p·b_rs + j·b_cs, inside `b` for both layouts the
    // callers pass. C is a unique borrow, so it aliases neither input.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            false,
            a.as_ptr(),
            1,
            k as isize,
            b.as_ptr(),
            b_cs,
            b_rs,
            0.0,
            1.0,
            false,
            false,
            false,
            threads.parallelism(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference::{matmul_f64, max_rel_err, random_vec};

    /// Checks C = A·B (or A·Bᵀ) for one shape against the f64 triple loop.
    fn check(m: usize, k: usize, n: usize, threads: Threads, transposed: bool) {
        let seed = (m * 1_000_003 + k * 1_009 + n) as u64;
        let a = random_vec(m * k, seed, -1.0, 1.0);
        let b = random_vec(k * n, seed + 1, -1.0, 1.0);
        let mut c = vec![f32::NAN; m * n];
        let want = if transposed {
            matmul_bt(&a, &b, &mut c, m, k, n, threads);
            // b holds Bᵀ (n×k); the reference wants B (k×n).
            let b_rows: Vec<f32> = (0..k * n).map(|i| b[(i % n) * k + i / n]).collect();
            matmul_f64(&a, &b_rows, m, k, n)
        } else {
            matmul(&a, &b, &mut c, m, k, n, threads);
            matmul_f64(&a, &b, m, k, n)
        };
        // A dot product can cancel to ~0, so each entry's error is scaled by Σ|a||b| of
        // its terms (the standard bound for floating-point dot products), not by |c|.
        let err = max_rel_err(&c, &want.values, |i| want.abs_terms[i]);
        assert!(
            err <= 1e-4,
            "{m}x{k}x{n} {threads:?} transposed={transposed}: max relative error {err:e}"
        );
    }

    #[test]
    fn matmul_matches_the_naive_product_for_square_and_odd_shapes() {
        for (m, k, n) in [
            (64, 64, 64),
            (128, 128, 128),
            (1, 1, 1),
            (1, 768, 2304),
            (1, 37, 5),
            (7, 13, 1),
            (3, 1, 4),
            (33, 65, 17),
            (100, 257, 31),
            (129, 97, 131),
            (2, 5, 3),
            (8, 256, 1024),
            (13, 31, 47),
            (16, 17, 16),
            (17, 64, 40),
        ] {
            check(m, k, n, Threads::Single, false);
        }
    }

    #[test]
    fn matmul_with_the_pool_matches_the_naive_product() {
        for (m, k, n) in [
            (256, 256, 256),
            (1, 512, 1000),
            (8, 100, 70),
            (200, 123, 301),
        ] {
            check(m, k, n, Threads::Pool, false);
        }
    }

    #[test]
    fn matmul_bt_matches_the_naive_product_of_a_and_b_transposed() {
        for (m, k, n) in [
            (1, 64, 500),
            (1, 33, 7),
            (5, 64, 50),
            (64, 64, 64),
            (17, 129, 71),
        ] {
            check(m, k, n, Threads::Single, true);
        }
        check(96, 128, 300, Threads::Pool, true);
    }

    #[test]
    fn matmul_overwrites_c_and_handles_k_zero() {
        let mut c = vec![5.0; 6];
        matmul(&[], &[], &mut c, 2, 0, 3, Threads::Single);
        assert_eq!(c, vec![0.0; 6]);
        let mut c = vec![5.0; 4];
        matmul(
            &[1.0, 2.0, 3.0, 4.0],
            &[1.0, 0.0, 0.0, 1.0],
            &mut c,
            2,
            2,
            2,
            Threads::Single,
        );
        assert_eq!(c, vec![1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    #[should_panic(expected = "matmul: m=2 k=3 n=4 needs a 2x3, b 3x4, c 2x4 elements")]
    fn matmul_rejects_a_wrong_shape() {
        matmul(
            &[0.0; 6],
            &[0.0; 11],
            &mut [0.0; 8],
            2,
            3,
            4,
            Threads::Single,
        );
    }
}
