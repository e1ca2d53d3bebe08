//! Percentile-bootstrap confidence interval of the relative change of one percentile
//! between a baseline and a candidate sample.

use rand::distr::Uniform;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Sample;
use super::percentile::{lerp, percentile_of_sorted};

/// A confidence interval of a relative change (0.05 = candidate 5% above baseline).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChangeInterval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Why a bootstrap interval cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum BootstrapError {
    /// The baseline holds a 0, so a resampled baseline percentile can be 0 and the
    /// relative change against it is undefined.
    #[error("baseline sample contains a zero value; a relative change against it is undefined")]
    ZeroInBaseline,
    /// The quantile is not within [0, 1].
    #[error("quantile {0} is outside [0, 1]")]
    Quantile(f64),
    /// The confidence level is not strictly between 0 and 1.
    #[error("confidence level {0} is outside (0, 1)")]
    Confidence(f64),
    /// Zero resamples were requested.
    #[error("the bootstrap needs at least one resample")]
    NoResamples,
}

/// Percentile-bootstrap CI of `percentile(candidate, q) / percentile(baseline, q) − 1`.
///
/// Each of `resamples` rounds draws `baseline.len()` values from the baseline and
/// `candidate.len()` values from the candidate, with replacement and independently, from
/// one `ChaCha8Rng::seed_from_u64(seed)` (baseline indices first, then candidate, round by
/// round), and computes the change of their type-7 `q`-percentiles. The bounds are the
/// type-7 percentiles of those changes at (1 − confidence)/2 and (1 + confidence)/2.
/// Same input and seed → same interval.
///
/// The baseline must be strictly positive ([`BootstrapError::ZeroInBaseline`] otherwise):
/// a percentile is a convex combination of sample values, so a positive baseline can never
/// give a resampled baseline percentile of 0, and no change is ever infinite or NaN.
pub fn bootstrap_change_ci(
    baseline: &Sample,
    candidate: &Sample,
    q: f64,
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Result<ChangeInterval, BootstrapError> {
    if !(0.0..=1.0).contains(&q) {
        return Err(BootstrapError::Quantile(q));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(BootstrapError::Confidence(confidence));
    }
    if resamples == 0 {
        return Err(BootstrapError::NoResamples);
    }
    if baseline.sorted()[0] == 0.0 {
        return Err(BootstrapError::ZeroInBaseline);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut base = Resampler::new(baseline.sorted(), q);
    let mut cand = Resampler::new(candidate.sorted(), q);
    let mut changes: Vec<f64> = (0..resamples)
        .map(|_| {
            let b = base.percentile_of_resample(&mut rng);
            let c = cand.percentile_of_resample(&mut rng);
            c / b - 1.0
        })
        .collect();
    changes.sort_by(f64::total_cmp);
    Ok(ChangeInterval {
        low: percentile_of_sorted(&changes, (1.0 - confidence) / 2.0),
        high: percentile_of_sorted(&changes, (1.0 + confidence) / 2.0),
    })
}

/// Draws resamples of one sorted sample and returns their type-7 percentile without
/// sorting: it counts how often each order statistic was drawn and walks the counts up to
/// the two positions the percentile interpolates between.
struct Resampler<'a> {
    sorted: &'a [f64],
    index: Uniform<usize>,
    counts: Vec<u32>,
    /// Position (in the resample, 0-based) of the lower order statistic.
    lo: usize,
    /// Position of the upper order statistic (`lo + 1`, or `lo` at the last position).
    hi: usize,
    /// Interpolation weight of the upper order statistic.
    frac: f64,
}

impl<'a> Resampler<'a> {
    /// Prepares resampling of `sorted` (ascending, non-empty) for the `q`-percentile.
    fn new(sorted: &'a [f64], q: f64) -> Self {
        let n = sorted.len();
        let h = (n - 1) as f64 * q;
        let lo = h.floor() as usize;
        Resampler {
            sorted,
            index: Uniform::new(0, n).expect("a Sample is never empty"),
            counts: vec![0; n],
            lo,
            hi: (lo + 1).min(n - 1),
            frac: h - lo as f64,
        }
    }

    /// Draws one resample and returns its `q`-percentile (as `percentile_of_sorted` would).
    fn percentile_of_resample(&mut self, rng: &mut ChaCha8Rng) -> f64 {
        self.counts.fill(0);
        for _ in 0..self.sorted.len() {
            self.counts[rng.sample(self.index)] += 1;
        }
        let mut seen = 0usize;
        let mut lo_value = None;
        for (&count, &value) in self.counts.iter().zip(self.sorted) {
            seen += count as usize;
            if lo_value.is_none() && seen > self.lo {
                lo_value = Some(value);
            }
            if seen > self.hi {
                let lo_value = lo_value.expect("lo ≤ hi, so it is found first");
                return if self.hi == self.lo {
                    lo_value
                } else {
                    lerp(lo_value, value, self.frac)
                };
            }
        }
        unreachable!("the counts add up to the sample size, which exceeds hi")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    /// `n` values around `scale` (uniform ±5% plus an occasional slow outlier), seeded.
    fn synthetic(n: usize, scale: f64, seed: u64) -> Sample {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let values = (0..n)
            .map(|_| {
                let jitter = rng.random_range(-0.05..0.05);
                let outlier = if rng.random_bool(0.03) { 0.3 } else { 0.0 };
                scale * (1.0 + jitter + outlier)
            })
            .collect();
        Sample::new(values).unwrap()
    }

    #[test]
    fn same_input_and_seed_give_the_same_interval() {
        let b = synthetic(120, 1000.0, 1);
        let c = synthetic(120, 1000.0, 2);
        let first = bootstrap_change_ci(&b, &c, 0.5, 2000, 0.95, 42).unwrap();
        let again = bootstrap_change_ci(&b, &c, 0.5, 2000, 0.95, 42).unwrap();
        assert_eq!(first, again);
        let other_seed = bootstrap_change_ci(&b, &c, 0.5, 2000, 0.95, 43).unwrap();
        assert_ne!(first, other_seed);
    }

    #[test]
    fn interval_contains_true_change_of_shifted_set() {
        // Candidate drawn from the baseline's distribution scaled by 1.10: true change 0.10.
        let b = synthetic(120, 1000.0, 3);
        let c = synthetic(120, 1100.0, 4);
        for q in [0.5, 0.95, 0.99] {
            let ci = bootstrap_change_ci(&b, &c, q, 2000, 0.95, 7).unwrap();
            assert!(ci.low <= 0.10 && 0.10 <= ci.high, "q {q}: {ci:?}");
        }
        // The median sits in the dense ±5% body, so a 10% shift is resolved there; the
        // tail percentiles of 120 samples with 3% outliers legitimately stay uncertain.
        let ci = bootstrap_change_ci(&b, &c, 0.5, 2000, 0.95, 7).unwrap();
        assert!(ci.low > 0.05 && ci.high < 0.15, "{ci:?}");
    }

    #[test]
    fn identical_sets_give_interval_around_zero() {
        let b = synthetic(120, 1000.0, 5);
        let ci = bootstrap_change_ci(&b, &b, 0.5, 2000, 0.95, 11).unwrap();
        assert!(ci.low < 0.0 && ci.high > 0.0, "{ci:?}");
        assert!(ci.high - ci.low < 0.05, "{ci:?}");
    }

    /// Resamples by materialising and sorting each resample, drawing indices in the same
    /// order as `bootstrap_change_ci`; the counting shortcut must give the same bits.
    fn naive_changes(b: &Sample, c: &Sample, q: f64, resamples: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut draw = |s: &Sample| {
            let index = Uniform::new(0, s.len()).unwrap();
            let mut r: Vec<f64> = (0..s.len())
                .map(|_| s.sorted()[rng.sample(index)])
                .collect();
            r.sort_by(f64::total_cmp);
            percentile_of_sorted(&r, q)
        };
        let mut changes: Vec<f64> = (0..resamples)
            .map(|_| {
                let pb = draw(b);
                let pc = draw(c);
                pc / pb - 1.0
            })
            .collect();
        changes.sort_by(f64::total_cmp);
        changes
    }

    #[test]
    fn counting_shortcut_equals_sorting_each_resample() {
        let b = synthetic(37, 500.0, 8);
        let c = synthetic(52, 520.0, 9);
        for q in [0.0, 0.3, 0.5, 0.95, 0.99, 1.0] {
            let changes = naive_changes(&b, &c, q, 500, 99);
            let expected = ChangeInterval {
                low: percentile_of_sorted(&changes, (1.0 - 0.90) / 2.0),
                high: percentile_of_sorted(&changes, (1.0 + 0.90) / 2.0),
            };
            assert_eq!(
                bootstrap_change_ci(&b, &c, q, 500, 0.90, 99).unwrap(),
                expected,
                "q {q}"
            );
        }
    }

    #[test]
    fn single_value_samples_give_exact_change() {
        let b = Sample::new(vec![200.0]).unwrap();
        let c = Sample::new(vec![250.0]).unwrap();
        let ci = bootstrap_change_ci(&b, &c, 0.5, 10, 0.95, 0).unwrap();
        assert_eq!(
            ci,
            ChangeInterval {
                low: 0.25,
                high: 0.25
            }
        );
    }

    #[test]
    fn rejects_zero_in_baseline_and_bad_parameters() {
        let ok = Sample::new(vec![1.0, 2.0]).unwrap();
        let zero = Sample::new(vec![0.0, 2.0]).unwrap();
        let ci = |b: &Sample, q, n, conf| bootstrap_change_ci(b, &ok, q, n, conf, 0);
        assert_eq!(
            ci(&zero, 0.5, 10, 0.95),
            Err(BootstrapError::ZeroInBaseline)
        );
        assert_eq!(ci(&ok, 1.5, 10, 0.95), Err(BootstrapError::Quantile(1.5)));
        assert!(matches!(
            ci(&ok, f64::NAN, 10, 0.95),
            Err(BootstrapError::Quantile(_))
        ));
        assert_eq!(ci(&ok, 0.5, 10, 1.0), Err(BootstrapError::Confidence(1.0)));
        assert_eq!(ci(&ok, 0.5, 0, 0.95), Err(BootstrapError::NoResamples));
        // A zero in the candidate is fine: the change is then −100% at worst.
        assert!(bootstrap_change_ci(&ok, &zero, 0.5, 10, 0.95, 0).is_ok());
    }
}
