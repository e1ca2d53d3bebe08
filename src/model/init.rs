//! Seeded random weights: ChaCha8 uniforms turned into normals by the Box–Muller transform.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Standard deviation of every random tensor (GPT-2's initialiser).
pub const INIT_STD: f32 = 0.02;

/// A deterministic source of normally distributed weights.
pub struct NormalInit {
    rng: ChaCha8Rng,
}

impl NormalInit {
    /// A source seeded with `seed`: same seed, same weights, on every machine.
    pub fn new(seed: u64) -> Self {
        NormalInit {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// `len` values drawn from normal(0, `std`²).
    pub fn normal(&mut self, len: usize, std: f32) -> Vec<f32> {
        let mut out = Vec::with_capacity(len);
        while out.len() < len {
            // Box–Muller: two uniforms give two independent standard normals. u1 is in
            // (0, 1] so its logarithm is finite.
            let u1 = 1.0 - self.rng.random::<f64>();
            let u2 = self.rng.random::<f64>();
            let radius = (-2.0 * u1.ln()).sqrt();
            let angle = std::f64::consts::TAU * u2;
            out.push((radius * angle.cos()) as f32 * std);
            if out.len() < len {
                out.push((radius * angle.sin()) as f32 * std);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_init_has_the_requested_mean_and_spread() {
        let v = NormalInit::new(7).normal(200_001, 0.02);
        assert_eq!(v.len(), 200_001);
        let n = v.len() as f64;
        let mean = v.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
        let var = v
            .iter()
            .map(|&x| (f64::from(x) - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        // Standard error of the mean is 0.02/sqrt(n) ≈ 4.5e-5; of the std about 3.2e-5.
        assert!(mean.abs() < 3e-4, "mean {mean}");
        assert!((var.sqrt() - 0.02).abs() < 3e-4, "std {}", var.sqrt());
    }

    #[test]
    fn normal_init_is_reproducible_from_the_seed() {
        assert_eq!(
            NormalInit::new(42).normal(1000, 1.0),
            NormalInit::new(42).normal(1000, 1.0)
        );
        assert_ne!(
            NormalInit::new(42).normal(1000, 1.0),
            NormalInit::new(43).normal(1000, 1.0)
        );
    }
}
