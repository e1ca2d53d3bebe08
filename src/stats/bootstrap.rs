//! Percentile-bootstrap confidence interval of the relative change of one percentile
//! between a baseline and a candidate sample.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Sample;
use super::percentile::lerp;

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
    let intervals = bootstrap_change_cis(baseline, candidate, &[q], resamples, confidence, seed)?;
    Ok(intervals[0])
}

/// [`bootstrap_change_ci`] for several quantiles from the same resamples (one interval per
/// entry of `qs`, in order); each equals what `bootstrap_change_ci` gives for that `q`.
pub fn bootstrap_change_cis(
    baseline: &Sample,
    candidate: &Sample,
    qs: &[f64],
    resamples: usize,
    confidence: f64,
    seed: u64,
) -> Result<Vec<ChangeInterval>, BootstrapError> {
    if let Some(&q) = qs.iter().find(|q| !(0.0..=1.0).contains(*q)) {
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
    let mut base = Resampler::new(baseline.sorted());
    let mut cand = Resampler::new(candidate.sorted());
    let base_at: Vec<Position> = qs.iter().map(|&q| Position::new(base.len(), q)).collect();
    let cand_at: Vec<Position> = qs.iter().map(|&q| Position::new(cand.len(), q)).collect();
    let mut changes: Vec<Vec<f64>> = qs.iter().map(|_| Vec::with_capacity(resamples)).collect();
    for _ in 0..resamples {
        base.draw(&mut rng);
        cand.draw(&mut rng);
        for ((changes, b), c) in changes.iter_mut().zip(&base_at).zip(&cand_at) {
            changes.push(cand.percentile(c) / base.percentile(b) - 1.0);
        }
    }
    Ok(changes
        .iter_mut()
        .map(|changes| ChangeInterval {
            low: percentile_by_selection(changes, (1.0 - confidence) / 2.0),
            high: percentile_by_selection(changes, (1.0 + confidence) / 2.0),
        })
        .collect())
}

/// `percentile_of_sorted(sorted(values), q)` without sorting: selects the (at most two)
/// order statistics the type-7 percentile interpolates between. Reorders `values`. Under
/// `f64::total_cmp` equal values have equal bits, so the result is bit-identical.
fn percentile_by_selection(values: &mut [f64], q: f64) -> f64 {
    let at = Position::new(values.len(), q.clamp(0.0, 1.0));
    let (_, &mut lo, above) = values.select_nth_unstable_by(at.lo, f64::total_cmp);
    if at.hi == at.lo {
        return lo;
    }
    let hi = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .expect("hi < len, so something lies above lo");
    lerp(lo, hi, at.frac)
}

/// Where a type-7 percentile sits in a sorted set of n values.
struct Position {
    /// Index (0-based) of the lower order statistic.
    lo: usize,
    /// Index of the upper order statistic (`lo + 1`, or `lo` at the last index).
    hi: usize,
    /// Interpolation weight of the upper order statistic.
    frac: f64,
}

impl Position {
    /// The position of the `q`-percentile among `n` values, as `percentile_of_sorted` uses.
    fn new(n: usize, q: f64) -> Self {
        let h = (n - 1) as f64 * q;
        let lo = h.floor() as usize;
        Position {
            lo,
            hi: (lo + 1).min(n - 1),
            frac: h - lo as f64,
        }
    }
}

/// Draws resamples of one sorted sample and reads their percentiles without sorting: it
/// counts how often each order statistic was drawn and walks the counts up to the two
/// positions a percentile interpolates between.
struct Resampler<'a> {
    sorted: &'a [f64],
    index: IndexSampler,
    counts: Vec<u32>,
}

impl<'a> Resampler<'a> {
    /// Prepares resampling of `sorted` (ascending, non-empty).
    fn new(sorted: &'a [f64]) -> Self {
        Resampler {
            sorted,
            index: IndexSampler::new(sorted.len()),
            counts: vec![0; sorted.len()],
        }
    }

    /// Size of the sample (and of every resample).
    fn len(&self) -> usize {
        self.sorted.len()
    }

    /// Draws the next resample: `len()` indices with replacement.
    fn draw(&mut self, rng: &mut ChaCha8Rng) {
        self.counts.fill(0);
        for _ in 0..self.sorted.len() {
            self.counts[self.index.sample(rng)] += 1;
        }
    }

    /// The percentile at `at` of the last resample (as `percentile_of_sorted` would give).
    /// Walks the counts from whichever end is nearer: the same two order statistics either
    /// way, in a tenth of the steps for P95/P99.
    #[inline(always)]
    fn percentile(&self, at: &Position) -> f64 {
        let (lo, hi) = if 2 * at.lo >= self.len() {
            self.order_stats_from_top(at)
        } else {
            self.order_stats_from_bottom(at)
        };
        if at.hi == at.lo {
            lo
        } else {
            lerp(lo, hi, at.frac)
        }
    }

    /// The values at positions `at.lo` and `at.hi` of the last resample, counting up.
    #[inline(always)]
    fn order_stats_from_bottom(&self, at: &Position) -> (f64, f64) {
        let mut seen = 0usize;
        let mut lo_value = None;
        for (&count, &value) in self.counts.iter().zip(self.sorted) {
            seen += count as usize;
            if lo_value.is_none() && seen > at.lo {
                lo_value = Some(value);
            }
            if seen > at.hi {
                return (lo_value.expect("lo ≤ hi, so it is found first"), value);
            }
        }
        unreachable!("the counts add up to the sample size, which exceeds hi")
    }

    /// The values at positions `at.lo` and `at.hi` of the last resample, counting down.
    #[inline(always)]
    fn order_stats_from_top(&self, at: &Position) -> (f64, f64) {
        // Positions at or above `start` lie in the values already passed.
        let mut start = self.sorted.len();
        let mut hi_value = None;
        for (&count, &value) in self.counts.iter().zip(self.sorted).rev() {
            start -= count as usize;
            if hi_value.is_none() && start <= at.hi {
                hi_value = Some(value);
            }
            if start <= at.lo {
                return (value, hi_value.expect("hi ≥ lo, so it is found first"));
            }
        }
        unreachable!("the counts add up to the sample size, which exceeds hi")
    }
}

/// Uniform indices in 0..n by Lemire's multiply-and-reject method on one `u32` per draw
/// (unbiased). Same algorithm as `rand::distr::Uniform`, which measured ~3× slower here.
#[derive(Clone, Copy)]
struct IndexSampler {
    n: u64,
    /// Low halves of the product below this are rejected (2³² mod n).
    threshold: u32,
}

impl IndexSampler {
    /// A sampler of 0..n for 1 ≤ n < 2³².
    fn new(n: usize) -> Self {
        let n = u32::try_from(n).expect("a sample has at most u32::MAX values");
        IndexSampler {
            n: u64::from(n),
            threshold: n.wrapping_neg() % n,
        }
    }

    /// Draws one index.
    #[inline]
    fn sample(self, rng: &mut ChaCha8Rng) -> usize {
        loop {
            let product = u64::from(rng.random::<u32>()) * self.n;
            if product as u32 >= self.threshold {
                return (product >> 32) as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::percentile::percentile_of_sorted;
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
    fn intervals_cover_the_true_change_at_least_90_percent_of_the_time() {
        // 200 independent baseline/candidate pairs of 120 values from the same distribution,
        // candidate scaled by 1.05 (true change of every percentile: 0.05). Under-coverage
        // is what would turn noise into false alarms; nominal is 95% (measured when written:
        // 191, 199 and 190 of 200 for P50, P95, P99).
        let trials = 200;
        let mut covered = [0usize; 3];
        for t in 0..trials {
            let b = synthetic(120, 1000.0, 1000 + 2 * t);
            let c = synthetic(120, 1050.0, 1001 + 2 * t);
            let cis = bootstrap_change_cis(&b, &c, &[0.5, 0.95, 0.99], 500, 0.95, t).unwrap();
            for (n, ci) in covered.iter_mut().zip(cis) {
                *n += usize::from(ci.low <= 0.05 && 0.05 <= ci.high);
            }
        }
        assert!(
            covered.iter().all(|&n| n >= 180),
            "covered {covered:?} of {trials}"
        );
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
            let index = IndexSampler::new(s.len());
            let mut r: Vec<f64> = (0..s.len())
                .map(|_| s.sorted()[index.sample(&mut rng)])
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
    fn walking_the_counts_down_or_up_finds_the_same_order_statistics() {
        for n in [1, 2, 3, 10, 37, 300] {
            let sample = synthetic(n, 100.0, n as u64);
            let mut resampler = Resampler::new(sample.sorted());
            let mut rng = ChaCha8Rng::seed_from_u64(3);
            for _ in 0..20 {
                resampler.draw(&mut rng);
                for k in 0..=100 {
                    let at = Position::new(n, f64::from(k) / 100.0);
                    assert_eq!(
                        resampler.order_stats_from_top(&at),
                        resampler.order_stats_from_bottom(&at),
                        "n {n} q {k}%"
                    );
                }
            }
        }
    }

    #[test]
    fn selecting_two_order_statistics_equals_sorting() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        for n in [1, 2, 5, 2000] {
            // Ties, negative zero and both signs, as bootstrap changes can hold.
            let values: Vec<f64> = (0..n)
                .map(|_| match rng.random_range(0..4) {
                    0 => 0.0,
                    1 => -0.0,
                    2 => f64::from(rng.random_range(-3..3)) / 8.0,
                    _ => rng.random_range(-0.2..0.2),
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.025, 0.05, 0.5, 0.95, 0.975, 1.0] {
                let mut scratch = values.clone();
                assert_eq!(
                    percentile_by_selection(&mut scratch, q).to_bits(),
                    percentile_of_sorted(&sorted, q).to_bits(),
                    "n {n} q {q}"
                );
            }
        }
    }

    #[test]
    fn several_quantiles_at_once_equal_one_at_a_time() {
        let b = synthetic(120, 1000.0, 12);
        let c = synthetic(90, 1030.0, 13);
        let qs = [0.5, 0.95, 0.99];
        let together = bootstrap_change_cis(&b, &c, &qs, 1000, 0.95, 5).unwrap();
        for (q, ci) in qs.iter().zip(&together) {
            assert_eq!(*ci, bootstrap_change_ci(&b, &c, *q, 1000, 0.95, 5).unwrap());
        }
        assert!(
            bootstrap_change_cis(&b, &c, &[], 1000, 0.95, 5)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn index_sampler_draws_what_rand_uniform_draws() {
        for n in [1, 2, 7, 120, 1000] {
            let ours = IndexSampler::new(n);
            let theirs = rand::distr::Uniform::new(0, n).unwrap();
            let mut a = ChaCha8Rng::seed_from_u64(n as u64);
            let mut b = ChaCha8Rng::seed_from_u64(n as u64);
            for _ in 0..10_000 {
                assert_eq!(ours.sample(&mut a), b.sample(theirs), "n {n}");
            }
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
