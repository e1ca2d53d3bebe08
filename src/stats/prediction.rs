//! Run-level significance: is one new run's statistic consistent with the K runs a baseline
//! was blessed from? Samples within one run share that run's machine state, so the unit of
//! the test is the run, not the sample: a Student-t prediction test on log values,
//! `t = (x − mean) / (sd · sqrt(1 + 1/K))` with K − 1 degrees of freedom.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Why a prediction test cannot be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PredictionError {
    /// Fewer than two earlier runs: their spread is unknown.
    #[error("a prediction test needs at least 2 earlier runs, got {runs}")]
    TooFewRuns {
        /// How many were given.
        runs: usize,
    },
    /// A value is NaN or infinite.
    #[error("value {index} is not finite: {value}")]
    NotFinite {
        /// Position of the value (the candidate is at position K).
        index: usize,
        /// The value.
        value: f64,
    },
}

/// The outcome of one prediction test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Number of earlier runs K.
    pub runs: usize,
    /// Candidate minus the mean of the earlier runs.
    pub shift: f64,
    /// Standard deviation used: that of the earlier runs (K − 1 denominator), at least the
    /// given floor.
    pub sd: f64,
    /// The t statistic.
    pub t: f64,
    /// Two-sided p-value from Student's t with K − 1 degrees of freedom.
    pub p_value: f64,
}

impl Prediction {
    /// The smallest |shift| that would reach two-sided significance `alpha`.
    pub fn critical_shift(&self, alpha: f64) -> f64 {
        t_quantile(self.runs, 1.0 - alpha / 2.0) * self.sd * (1.0 + 1.0 / self.runs as f64).sqrt()
    }
}

/// Tests `candidate` against the earlier runs' values `runs` (same statistic, same scale;
/// perfgate passes logarithms), assuming a standard deviation of at least `min_sd`.
pub fn prediction_test(
    runs: &[f64],
    candidate: f64,
    min_sd: f64,
) -> Result<Prediction, PredictionError> {
    if runs.len() < 2 {
        return Err(PredictionError::TooFewRuns { runs: runs.len() });
    }
    let all = runs.iter().chain([&candidate]).enumerate();
    if let Some((index, &value)) = all.into_iter().find(|(_, v)| !v.is_finite()) {
        return Err(PredictionError::NotFinite { index, value });
    }
    let k = runs.len() as f64;
    let mean = runs.iter().sum::<f64>() / k;
    let var = runs.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0);
    let sd = var.sqrt().max(min_sd.max(0.0));
    let shift = candidate - mean;
    let (t, p_value) = if sd == 0.0 {
        let exact = shift == 0.0;
        (
            if exact { 0.0 } else { f64::INFINITY },
            if exact { 1.0 } else { 0.0 },
        )
    } else {
        let t = shift / (sd * (1.0 + 1.0 / k).sqrt());
        let p = 2.0 * (1.0 - student(runs.len()).cdf(t.abs()));
        (t, p.clamp(0.0, 1.0))
    };
    Ok(Prediction {
        runs: runs.len(),
        shift,
        sd,
        t,
        p_value,
    })
}

fn student(runs: usize) -> StudentsT {
    StudentsT::new(0.0, 1.0, runs as f64 - 1.0).expect("K ≥ 2 gives positive degrees of freedom")
}

fn t_quantile(runs: usize, q: f64) -> f64 {
    student(runs).inverse_cdf(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference (scipy 1.17.1):
    //   def pred(v, x, min_sd=0.0):
    //       v = np.array(v); k = len(v); sd = max(np.std(v, ddof=1), min_sd)
    //       t = (x - v.mean()) / (sd * np.sqrt(1 + 1 / k)); return t, 2 * stats.t.sf(abs(t), k - 1)
    //   pred(np.log([100, 103, 98, 101, 99]), np.log(110.0)) -> 4.458386973468679, 0.011174183557496163
    //   pred(np.log([1000, 1012.5, 991, 1003.25, 997]), np.log(990.0))
    //                                                -> -1.2367959036806264, 0.2838145162397413
    //   pred([0.0, 0.001, -0.001], 0.05, 0.005)      -> 8.660254037844387, 0.013072457560346515
    #[test]
    fn matches_scipy_student_t_prediction_test() {
        let ln = |v: &[f64]| v.iter().map(|x| x.ln()).collect::<Vec<_>>();
        let cases = [
            (
                ln(&[100.0, 103.0, 98.0, 101.0, 99.0]),
                110f64.ln(),
                0.0,
                4.458_386_973_468_679,
                0.011_174_183_557_496_163,
            ),
            (
                ln(&[1000.0, 1012.5, 991.0, 1003.25, 997.0]),
                990f64.ln(),
                0.0,
                -1.236_795_903_680_626_4,
                0.283_814_516_239_741_3,
            ),
            (
                vec![0.0, 0.001, -0.001],
                0.05,
                0.005,
                8.660_254_037_844_387,
                0.013_072_457_560_346_515,
            ),
        ];
        for (runs, x, floor, t, p) in cases {
            let r = prediction_test(&runs, x, floor).unwrap();
            assert!((r.t - t).abs() < 1e-9, "t {} vs {t}", r.t);
            assert!((r.p_value - p).abs() < 1e-9, "p {} vs {p}", r.p_value);
        }
    }

    // stats.t.ppf(1 - 0.05 / 2 / 19, 4) * 0.01 * np.sqrt(1 + 1 / 5) = 0.07302109382787887
    #[test]
    fn critical_shift_matches_scipy_quantile() {
        let r = prediction_test(&[-0.01, 0.0, 0.01, 0.005, -0.005], 0.0, 0.0).unwrap();
        let scaled = Prediction { sd: 0.01, ..r };
        let c = scaled.critical_shift(0.05 / 19.0);
        assert!((c - 0.073_021_093_827_878_87).abs() < 1e-6, "{c}");
    }

    #[test]
    fn identical_runs_without_floor_decide_exactly() {
        assert_eq!(prediction_test(&[1.0, 1.0], 1.0, 0.0).unwrap().p_value, 1.0);
        assert_eq!(prediction_test(&[1.0, 1.0], 1.1, 0.0).unwrap().p_value, 0.0);
    }

    #[test]
    fn rejects_one_run_and_non_finite_values() {
        assert_eq!(
            prediction_test(&[1.0], 1.0, 0.0),
            Err(PredictionError::TooFewRuns { runs: 1 })
        );
        assert!(matches!(
            prediction_test(&[1.0, 2.0], f64::NAN, 0.0),
            Err(PredictionError::NotFinite { index: 2, .. })
        ));
    }
}
