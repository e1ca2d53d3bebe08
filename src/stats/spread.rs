//! Run-to-run noise: how much one statistic (say P50) moves between K runs of unchanged
//! code, as stored in a baseline blessed from several runs.

use super::{Sample, SampleError};

/// Why per-run values cannot be summarised as a run-to-run spread.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpreadError {
    /// Fewer than two runs: a spread needs at least two.
    #[error("a run-to-run spread needs at least 2 runs, got {runs}")]
    TooFewRuns {
        /// How many values were given.
        runs: usize,
    },
    /// A value is NaN, infinite or negative.
    #[error("per-run value: {0}")]
    Invalid(#[from] SampleError),
    /// Every value is 0, so a relative spread is undefined.
    #[error("every per-run value is 0; a relative spread is undefined")]
    ZeroMean,
}

/// Spread of one statistic across K ≥ 2 runs, relative to its mean across the runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSpread {
    /// Number of runs K.
    pub runs: usize,
    /// Mean m of the per-run values.
    pub mean: f64,
    /// Sample standard deviation (K − 1 denominator) divided by m:
    /// `numpy.std(v, ddof=1) / numpy.mean(v)`.
    pub relative_stddev: f64,
    /// Largest |vᵢ − m| divided by m: `numpy.max(numpy.abs(v - m)) / m`.
    pub max_relative_deviation: f64,
}

impl RunSpread {
    /// Summarises `values`, one value of the same statistic per run: at least 2 values,
    /// all finite and non-negative, not all zero.
    pub fn of(values: &[f64]) -> Result<Self, SpreadError> {
        let values = Sample::new(values.to_vec())?;
        let v = values.values();
        if v.len() < 2 {
            return Err(SpreadError::TooFewRuns { runs: v.len() });
        }
        let k = v.len() as f64;
        let mean = v.iter().sum::<f64>() / k;
        if mean == 0.0 {
            return Err(SpreadError::ZeroMean);
        }
        let variance = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0);
        let max_deviation = v.iter().map(|x| (x - mean).abs()).fold(0.0, f64::max);
        Ok(RunSpread {
            runs: v.len(),
            mean,
            relative_stddev: variance.sqrt() / mean,
            max_relative_deviation: max_deviation / mean,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() <= 1e-12 * expected.abs(),
            "actual {actual:e}, expected {expected:e}"
        );
    }

    // References: numpy 2.4.6, for v in each set below:
    //   m = np.mean(v); np.std(v, ddof=1) / m; np.max(np.abs(v - m)) / m
    // [100, 103, 98]  -> 100.33333333333333 0.025082506429470935 0.026578073089701046
    // [1000, 1012.5, 991, 1003.25, 997] -> 1000.75 0.00796271668773881 0.011741194104421683
    // [0, 2, 4]       -> 2.0 1.0 1.0
    #[test]
    fn matches_numpy_reference() {
        for (values, mean, rsd, mrd) in [
            (
                &[100.0, 103.0, 98.0][..],
                100.333_333_333_333_33,
                0.025_082_506_429_470_935,
                0.026_578_073_089_701_046,
            ),
            (
                &[1000.0, 1012.5, 991.0, 1003.25, 997.0][..],
                1000.75,
                0.007_962_716_687_738_81,
                0.011_741_194_104_421_683,
            ),
            (&[0.0, 2.0, 4.0][..], 2.0, 1.0, 1.0),
        ] {
            let s = RunSpread::of(values).unwrap();
            assert_eq!(s.runs, values.len());
            assert_close(s.mean, mean);
            assert_close(s.relative_stddev, rsd);
            assert_close(s.max_relative_deviation, mrd);
        }
    }

    #[test]
    fn identical_runs_have_zero_spread() {
        let s = RunSpread::of(&[5.0, 5.0]).unwrap();
        assert_eq!((s.relative_stddev, s.max_relative_deviation), (0.0, 0.0));
    }

    #[test]
    fn rejects_single_run_zero_mean_and_invalid_values() {
        assert_eq!(
            RunSpread::of(&[1.0]),
            Err(SpreadError::TooFewRuns { runs: 1 })
        );
        assert_eq!(
            RunSpread::of(&[]),
            Err(SpreadError::Invalid(SampleError::Empty))
        );
        assert_eq!(RunSpread::of(&[0.0, 0.0, 0.0]), Err(SpreadError::ZeroMean));
        assert!(matches!(
            RunSpread::of(&[1.0, f64::NAN]),
            Err(SpreadError::Invalid(SampleError::NotFinite {
                index: 1,
                ..
            }))
        ));
        assert!(matches!(
            RunSpread::of(&[1.0, -2.0]),
            Err(SpreadError::Invalid(SampleError::Negative { index: 1, .. }))
        ));
    }
}
