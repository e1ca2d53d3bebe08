//! The per-benchmark summary written to results files.

use serde::{Deserialize, Serialize};

use super::{Sample, percentile};

/// Summary statistics of one benchmark's per-iteration times, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Smallest sample.
    pub min_ns: f64,
    /// Largest sample.
    pub max_ns: f64,
    /// Arithmetic mean.
    pub mean_ns: f64,
    /// Sample standard deviation (n − 1 denominator; 0 for a single sample).
    pub stddev_ns: f64,
    /// Median absolute deviation from the median (unscaled).
    pub mad_ns: f64,
    /// Coefficient of variation: stddev / mean (0 when the mean is 0).
    pub cv: f64,
    /// Median (type-7 percentile 50).
    pub p50_ns: f64,
    /// Type-7 percentile 95.
    pub p95_ns: f64,
    /// Type-7 percentile 99.
    pub p99_ns: f64,
}

impl Summary {
    /// Computes every statistic from `sample`.
    pub fn of(sample: &Sample) -> Self {
        let v = sample.values();
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let var = if v.len() > 1 {
            v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)
        } else {
            0.0
        };
        let stddev = var.sqrt();
        let p50 = percentile(sample, 0.5);
        let deviations = Sample::new(v.iter().map(|x| (x - p50).abs()).collect())
            .expect("absolute deviations of a valid sample are valid");
        Summary {
            min_ns: sample.sorted()[0],
            max_ns: sample.sorted()[v.len() - 1],
            mean_ns: mean,
            stddev_ns: stddev,
            mad_ns: percentile(&deviations, 0.5),
            cv: if mean > 0.0 { stddev / mean } else { 0.0 },
            p50_ns: p50,
            p95_ns: percentile(sample, 0.95),
            p99_ns: percentile(sample, 0.99),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference: numpy on [3,1,4,1,5,9,2,6]: mean 3.875, std(ddof=1) 2.748376143938713,
    // median 3.5, MAD = median(|x - 3.5|) = 2.0,
    // numpy.percentile(x, [95, 99]) = [7.949999999999998, 8.79].
    #[test]
    fn matches_numpy_reference() {
        let s = Sample::new(vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0]).unwrap();
        let sum = Summary::of(&s);
        assert_eq!(sum.min_ns, 1.0);
        assert_eq!(sum.max_ns, 9.0);
        assert!((sum.mean_ns - 3.875).abs() < 1e-12);
        assert!((sum.stddev_ns - 2.748_376_143_938_713).abs() < 1e-12);
        assert_eq!(sum.mad_ns, 2.0);
        assert!((sum.cv - 2.748_376_143_938_713 / 3.875).abs() < 1e-12);
        assert_eq!(sum.p50_ns, 3.5);
        assert_eq!(sum.p95_ns, 7.949_999_999_999_998);
        assert_eq!(sum.p99_ns, 8.79);
    }

    #[test]
    fn single_sample_has_zero_spread() {
        let sum = Summary::of(&Sample::new(vec![42.0]).unwrap());
        assert_eq!((sum.stddev_ns, sum.mad_ns, sum.cv), (0.0, 0.0, 0.0));
        assert_eq!(
            (sum.p50_ns, sum.p99_ns, sum.min_ns, sum.max_ns),
            (42.0, 42.0, 42.0, 42.0)
        );
    }
}
