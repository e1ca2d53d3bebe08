//! A branch-free `e^x` for f32 that LLVM vectorizes (std's `f32::exp` is a libm call per
//! element). Cody–Waite range reduction plus the Cephes `expf` polynomial: about 1 ulp over
//! the finite range, results below the smallest normal (x < -87.34) flush to 0 and results
//! above 2^127·√2 (x > 88.38) become +inf. NaN stays NaN.

/// Below this, `e^x` is subnormal; returned as 0.
const MIN_X: f32 = -87.336_55;
/// Above this, `round(x·log2 e)` would be 128 and `2^n` would not fit; returned as +inf.
const MAX_X: f32 = 88.376_26;
/// 1.5·2^23: adding it rounds an f32 of magnitude < 2^22 to the nearest integer.
const ROUND_MAGIC: f32 = 12_582_912.0;
/// ln 2 split so that `n·LN2_HI` is exact for |n| ≤ 128.
const LN2_HI: f32 = 0.693_359_4;
/// ln 2 − LN2_HI.
const LN2_LO: f32 = -2.121_944_4e-4;

/// `e^x`, vectorizable; see the module doc for accuracy and range.
#[inline(always)]
pub(super) fn exp(x: f32) -> f32 {
    // Comparisons (not f32::clamp) so NaN passes through and the clamp stays branch-free.
    let xc = if x < MIN_X { MIN_X } else { x };
    let xc = if xc > MAX_X { MAX_X } else { xc };
    // n = round(x / ln 2); the integer sits in the low mantissa bits of `t`.
    let t = xc * std::f32::consts::LOG2_E + ROUND_MAGIC;
    let n = t - ROUND_MAGIC;
    let n_bits = t.to_bits().wrapping_sub(ROUND_MAGIC.to_bits()) as i32;
    // r = x − n·ln 2, |r| ≤ ln2/2.
    let r = xc - n * LN2_HI - n * LN2_LO;
    let r2 = r * r;
    let p = 1.987_569_2e-4;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 0.5;
    let e_r = p * r2 + r + 1.0;
    // 2^n built from its exponent bits; n ∈ [-126, 127] after the clamp.
    let two_n = f32::from_bits(((n_bits + 127) as u32) << 23);
    let v = e_r * two_n;
    let v = if x < MIN_X { 0.0 } else { v };
    if x > MAX_X { f32::INFINITY } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative error of `exp(x)` against f64 `exp`, over a dense grid of the finite range.
    #[test]
    fn exp_is_within_two_ulp_over_the_normal_range() {
        let mut worst = 0.0f64;
        let steps = 200_000;
        for i in 0..=steps {
            let x = MIN_X + (MAX_X - MIN_X) * (i as f32 / steps as f32);
            let want = (x as f64).exp();
            let got = exp(x) as f64;
            worst = worst.max((got - want).abs() / want);
        }
        // f32 epsilon is 1.19e-7; 2 ulp of relative error.
        assert!(worst < 2.4e-7, "worst relative error {worst:e}");
    }

    #[test]
    fn exp_flushes_out_of_range_and_keeps_special_values() {
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-100.0), 0.0);
        assert_eq!(exp(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp(100.0), f32::INFINITY);
        assert_eq!(exp(f32::INFINITY), f32::INFINITY);
        assert!(exp(f32::NAN).is_nan());
    }
}
