//! Vectorizable reductions. A float sum is not associative, so LLVM will not vectorize
//! `iter().sum()`; keeping `LANES` independent partial results lets it (and gives the CPU
//! independent add chains). The summation order is fixed, so results are deterministic.

/// Partial results kept side by side: two AVX registers, four SSE registers.
const LANES: usize = 16;

/// Sum of `f(x)` over `x`.
#[inline(always)]
pub(super) fn sum_map(x: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0.0f32; LANES];
    let chunks = x.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += f(v);
        }
    }
    let mut total = tail.iter().fold(0.0, |s, &v| s + f(v));
    for a in acc {
        total += a;
    }
    total
}

/// Largest element of `x` (−∞ when empty). NaN elements are skipped.
#[inline(always)]
pub(super) fn max(x: &[f32]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; LANES];
    let chunks = x.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a = if v > *a { v } else { *a };
        }
    }
    let mut best = f32::NEG_INFINITY;
    for v in acc.into_iter().chain(tail.iter().copied()) {
        best = if v > best { v } else { best };
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_and_max_cover_the_tail() {
        let x: Vec<f32> = (1..=37).map(|i| i as f32).collect();
        assert_eq!(sum_map(&x, |v| v), 703.0);
        assert_eq!(sum_map(&x, |v| v * v), 17_575.0);
        assert_eq!(max(&x), 37.0);
        assert_eq!(max(&x[..3]), 3.0);
        assert_eq!(max(&[]), f32::NEG_INFINITY);
    }
}
