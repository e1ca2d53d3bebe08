//! Elementwise arithmetic over slices of equal length, and a row added to every row of a
//! matrix (the bias add of a linear layer).

/// Panics unless `a`, `b` and `out` have the same length.
#[inline(always)]
fn check_lengths(op: &str, a: &[f32], b: &[f32], out: &[f32]) {
    assert!(
        a.len() == b.len() && b.len() == out.len(),
        "{op}: lengths differ (a {}, b {}, out {})",
        a.len(),
        b.len(),
        out.len()
    );
}

/// `out[i] = a[i] + b[i]` for equal-length slices.
#[inline(always)]
fn add_into(a: &[f32], b: &[f32], out: &mut [f32]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x + y;
    }
}

multiversion! {
    /// `out[i] = a[i] + b[i]`.
    pub fn add(a: &[f32], b: &[f32], out: &mut [f32]) {
        check_lengths("add", a, b, out);
        add_into(a, b, out);
    }
}

multiversion! {
    /// `out[i] = a[i] · b[i]`.
    pub fn mul(a: &[f32], b: &[f32], out: &mut [f32]) {
        check_lengths("mul", a, b, out);
        for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
            *o = x * y;
        }
    }
}

multiversion! {
    /// `acc[i] += x[i]` (a residual connection).
    pub fn add_in_place(acc: &mut [f32], x: &[f32]) {
        assert_eq!(
            acc.len(),
            x.len(),
            "add_in_place: acc has {} elements but x has {}",
            acc.len(),
            x.len()
        );
        for (a, &v) in acc.iter_mut().zip(x) {
            *a += v;
        }
    }
}

multiversion! {
    /// Adds `row` to every row of `matrix` (row-major, `row.len()` columns) into `out`.
    pub fn broadcast_add_rows(matrix: &[f32], row: &[f32], out: &mut [f32]) {
        let cols = row.len();
        assert!(
            matrix.len() == out.len() && (cols > 0 || matrix.is_empty()),
            "broadcast_add_rows: matrix has {} elements, out {}, row {}",
            matrix.len(),
            out.len(),
            cols
        );
        if cols == 0 {
            return;
        }
        assert!(
            matrix.len().is_multiple_of(cols),
            "broadcast_add_rows: matrix has {} elements, not a whole number of rows of {}",
            matrix.len(),
            cols
        );
        for (o, m) in out.chunks_exact_mut(cols).zip(matrix.chunks_exact(cols)) {
            add_into(m, row, o);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::reference::{max_rel_err, random_vec};

    /// Relative error of an elementwise sum, scaled by the magnitude of its terms
    /// (|a| + |b|): the bound f32 rounding gives, meaningful when the sum cancels to ~0.
    fn add_err(got: &[f32], a: &[f32], b: &[f32]) -> f64 {
        let want: Vec<f64> = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| x as f64 + y as f64)
            .collect();
        max_rel_err(got, &want, |i| a[i].abs() as f64 + b[i].abs() as f64)
    }

    #[test]
    fn add_and_mul_match_the_naive_loop() {
        let len = 1_003;
        let a = random_vec(len, 5, -10.0, 10.0);
        let b = random_vec(len, 6, -10.0, 10.0);
        let mut out = vec![f32::NAN; len];
        add(&a, &b, &mut out);
        assert!(add_err(&out, &a, &b) <= 1e-4);

        mul(&a, &b, &mut out);
        let want: Vec<f64> = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| x as f64 * y as f64)
            .collect();
        assert!(max_rel_err(&out, &want, |_| 1e-30) <= 1e-4);
    }

    #[test]
    fn add_in_place_accumulates() {
        let a = random_vec(517, 7, -1.0, 1.0);
        let b = random_vec(517, 8, -1.0, 1.0);
        let mut acc = a.clone();
        add_in_place(&mut acc, &b);
        assert!(add_err(&acc, &a, &b) <= 1e-4);
    }

    #[test]
    fn broadcast_add_rows_adds_the_row_to_every_row() {
        let (rows, cols) = (13, 37);
        let matrix = random_vec(rows * cols, 9, -5.0, 5.0);
        let row = random_vec(cols, 10, -5.0, 5.0);
        let mut out = vec![f32::NAN; rows * cols];
        broadcast_add_rows(&matrix, &row, &mut out);
        let tiled: Vec<f32> = (0..rows).flat_map(|_| row.iter().copied()).collect();
        assert!(add_err(&out, &matrix, &tiled) <= 1e-4);
    }

    #[test]
    #[should_panic(expected = "add: lengths differ (a 3, b 2, out 3)")]
    fn add_rejects_mismatched_lengths() {
        add(&[1.0; 3], &[1.0; 2], &mut [0.0; 3]);
    }

    #[test]
    #[should_panic(expected = "not a whole number of rows of 4")]
    fn broadcast_add_rows_rejects_a_partial_row() {
        broadcast_add_rows(&[1.0; 10], &[1.0; 4], &mut [0.0; 10]);
    }
}
