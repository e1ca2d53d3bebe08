//! Matrix products with a few rows (2 ≤ m ≤ [`MAX_ROWS`]), such as a model's prefill over
//! its prompt, without allocating. `gemm` allocates a bookkeeping vector (and sometimes
//! packing buffers) on every call outside its m = 1 GEMV path; these kernels allocate
//! nothing and stream B once per [`ROW_BLOCK`] rows of A, which for so few rows is what
//! the cost is anyway. Loops are fixed-size so LLVM keeps the accumulator tile in
//! registers and vectorizes it.

/// Largest m handled here; larger products go to `gemm`.
pub(super) const MAX_ROWS: usize = 16;
/// Rows of C computed in one pass over B.
const ROW_BLOCK: usize = 4;
/// Columns of C per accumulator tile (two 8-lane AVX registers per row).
const COL_BLOCK: usize = 16;

multiversion! {
    /// C (m×n) = A (m×k) · B (k×n), row-major; shapes already checked, k, n > 0.
    pub(super) fn matmul_small_m(a: &[f32], b: &[f32], c: &mut [f32], k: usize, n: usize) {
        for (block, c_rows) in c.chunks_mut(ROW_BLOCK * n).enumerate() {
            let a_rows = &a[block * ROW_BLOCK * k..][..c_rows.len() / n * k];
            match c_rows.len() / n {
                4 => rows_ab::<4>(a_rows, b, c_rows, k, n),
                3 => rows_ab::<3>(a_rows, b, c_rows, k, n),
                2 => rows_ab::<2>(a_rows, b, c_rows, k, n),
                _ => rows_ab::<1>(a_rows, b, c_rows, k, n),
            }
        }
    }
}

multiversion! {
    /// C (m×n) = A (m×k) · Bᵀ with `b_t` n×k row-major; shapes already checked, k, n > 0.
    pub(super) fn matmul_bt_small_m(a: &[f32], b_t: &[f32], c: &mut [f32], k: usize, n: usize) {
        for (block, c_rows) in c.chunks_mut(ROW_BLOCK * n).enumerate() {
            let a_rows = &a[block * ROW_BLOCK * k..][..c_rows.len() / n * k];
            match c_rows.len() / n {
                4 => rows_abt::<4>(a_rows, b_t, c_rows, k, n),
                3 => rows_abt::<3>(a_rows, b_t, c_rows, k, n),
                2 => rows_abt::<2>(a_rows, b_t, c_rows, k, n),
                _ => rows_abt::<1>(a_rows, b_t, c_rows, k, n),
            }
        }
    }
}

/// `R` rows of C = A·B: for each tile of `COL_BLOCK` columns, one pass down B's rows.
#[inline(always)]
fn rows_ab<const R: usize>(a: &[f32], b: &[f32], c: &mut [f32], k: usize, n: usize) {
    let full = n - n % COL_BLOCK;
    for j0 in (0..full).step_by(COL_BLOCK) {
        let mut acc = [[0.0f32; COL_BLOCK]; R];
        for (p, b_row) in b.chunks_exact(n).enumerate() {
            let b_tile: &[f32; COL_BLOCK] = b_row[j0..j0 + COL_BLOCK].try_into().unwrap();
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let a_rp = a[r * k + p];
                for (s, &bv) in acc_r.iter_mut().zip(b_tile) {
                    *s += a_rp * bv;
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            c[r * n + j0..r * n + j0 + COL_BLOCK].copy_from_slice(acc_r);
        }
    }
    for j in full..n {
        for r in 0..R {
            let a_row = &a[r * k..(r + 1) * k];
            let mut s = 0.0f32;
            for (p, &av) in a_row.iter().enumerate() {
                s += av * b[p * n + j];
            }
            c[r * n + j] = s;
        }
    }
}

/// `R` rows of C = A·Bᵀ: each C entry is a dot product of an A row and a `b_t` row, and
/// each `b_t` row is read once for all `R` rows.
#[inline(always)]
fn rows_abt<const R: usize>(a: &[f32], b_t: &[f32], c: &mut [f32], k: usize, n: usize) {
    let full = k - k % COL_BLOCK;
    for (j, b_row) in b_t.chunks_exact(k).enumerate() {
        let mut acc = [[0.0f32; COL_BLOCK]; R];
        for p0 in (0..full).step_by(COL_BLOCK) {
            let b_tile: &[f32; COL_BLOCK] = b_row[p0..p0 + COL_BLOCK].try_into().unwrap();
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let a_tile: &[f32; COL_BLOCK] =
                    a[r * k + p0..r * k + p0 + COL_BLOCK].try_into().unwrap();
                for ((s, &av), &bv) in acc_r.iter_mut().zip(a_tile).zip(b_tile) {
                    *s += av * bv;
                }
            }
        }
        for (r, acc_r) in acc.iter().enumerate() {
            let mut s: f32 = acc_r.iter().sum();
            for p in full..k {
                s += a[r * k + p] * b_row[p];
            }
            c[r * n + j] = s;
        }
    }
}
