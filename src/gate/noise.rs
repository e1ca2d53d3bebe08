//! Run-to-run noise: how far a new run of unchanged code can land from the baseline, as a
//! relative change. Samples within one run share that run's machine state, so a within-run
//! test alone would call a few percent of run-to-run drift "significant".

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::stats::RunSpread;

/// Relative half-width of the 95% prediction interval of one new run's statistic, given
/// the statistic of each of K blessed runs: `t(K−1, 0.975) · sd · sqrt(1 + 1/K)` with `sd`
/// the relative sample standard deviation of the per-run values. `None` for fewer than two
/// runs (the spread is unknown).
pub fn prediction_half_width(per_run: &[f64]) -> Option<f64> {
    let spread = RunSpread::of(per_run).ok()?;
    let k = spread.runs as f64;
    let t = StudentsT::new(0.0, 1.0, k - 1.0)
        .expect("K ≥ 2 gives positive degrees of freedom")
        .inverse_cdf(0.975);
    Some(t * spread.relative_stddev * (1.0 + 1.0 / k).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference (scipy 1.x):
    //   v = np.array([100., 103., 98.]); k = 3
    //   stats.t.ppf(0.975, k - 1) * np.std(v, ddof=1) / v.mean() * np.sqrt(1 + 1 / k)
    //   = 0.12461680025333771
    #[test]
    fn prediction_interval_matches_scipy() {
        let w = prediction_half_width(&[100.0, 103.0, 98.0]).unwrap();
        assert!((w - 0.124_616_800_253_337_71).abs() < 1e-9, "{w}");
    }

    #[test]
    fn one_run_has_no_prediction_interval() {
        assert_eq!(prediction_half_width(&[100.0]), None);
    }
}
