//! Timing checks, tested at the level where the noise lives: the run. Samples of one run
//! share that run's machine state, so a test that treats them as independent calls a few
//! percent of run-to-run drift "significant". Here each statistic of a new run is tested
//! against the same statistic of the K blessed runs (a Student-t prediction test on logs,
//! `stats::prediction_test`), after dividing out the run's shared machine-speed factor
//! (`stats::speed_factors`); the factor itself is tested as one more check, so a change that
//! slows every benchmark at once cannot hide in it.

use super::Limits;
use super::input::{Matched, TimingSettings};
use super::within_run::{cand_sample, within_run_cis};
use crate::baseline::BaselineBenchmark;
use crate::stats::{
    ChangeInterval, Prediction, Sample, percentile, prediction_test, speed_factors,
};
use crate::verdict::{Check, Metric, Status};

/// The timing statistics that can be gated, with their quantile.
pub const TIMING: [(Metric, f64); 4] = [
    (Metric::P10, 0.10),
    (Metric::P50, 0.50),
    (Metric::P95, 0.95),
    (Metric::P99, 0.99),
];

/// A timing check waiting for its Holm-adjusted p-value.
pub struct TimingTest {
    /// Verdict entry it belongs to; `None` for the suite-wide check.
    pub verdict_index: Option<usize>,
    /// The check, status still open.
    pub check: Check,
    /// The run-level test; `None` when the baseline has fewer than two runs.
    pub prediction: Option<Prediction>,
    /// Half the width of the within-run bootstrap interval of the change.
    pub within_run: f64,
}

/// The timing tests of all matched benchmarks, plus one suite-wide test per statistic
/// when the suite is large enough to estimate a shared factor.
pub fn timing_tests(matched: &[Matched], s: &TimingSettings) -> Vec<TimingTest> {
    let mut tests = Vec::new();
    for (metric, q) in TIMING {
        let limit_of = |l: &Limits| match metric {
            Metric::P10 => l.p10,
            Metric::P50 => l.p50,
            Metric::P95 => l.p95,
            _ => l.p99,
        };
        let rows: Vec<(&Matched, Vec<f64>, f64, f64)> = matched
            .iter()
            .filter_map(|m| {
                let limit = limit_of(&m.limits)?;
                let per_run = per_run_values(m.base, metric);
                let cand = percentile(&cand_sample(m.cand), q);
                let ok = cand > 0.0 && !per_run.is_empty() && per_run.iter().all(|v| *v > 0.0);
                ok.then_some((m, per_run, cand, limit))
            })
            .collect();
        let logs: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| r.1.iter().map(|v| v.ln()).collect())
            .collect();
        let cand_logs: Vec<f64> = rows.iter().map(|r| r.2.ln()).collect();
        let factors = speed_factors(&logs, &cand_logs);
        let mut pooled_logs = Vec::with_capacity(rows.len());
        let row_matched: Vec<&Matched> = rows.iter().map(|r| r.0).collect();
        let mut cis = within_run_cis(&row_matched, metric, q, s).into_iter();
        for ((m, _, cand, limit), (log_runs, cand_log)) in
            rows.iter().zip(logs.iter().zip(&cand_logs))
        {
            let (adjusted, cand_adj) = match &factors {
                Some(f) => (
                    log_runs
                        .iter()
                        .zip(&f.per_run)
                        .map(|(v, fi)| v - fi)
                        .collect(),
                    cand_log - f.candidate,
                ),
                None => (log_runs.clone(), *cand_log),
            };
            let min_sd = m.limits.noise_floor.ln_1p();
            let prediction = prediction_test(&adjusted, cand_adj, min_sd).ok();
            let base_s = Sample::new(m.base.samples_ns.concat()).expect("validated on load");
            let ci = cis.next().expect("one interval per row");
            let baseline = percentile(&base_s, q);
            pooled_logs.push(baseline.ln());
            let mean_adj = adjusted.iter().sum::<f64>() / adjusted.len() as f64;
            tests.push(TimingTest {
                verdict_index: Some(m.verdict_index),
                check: open_check(
                    metric,
                    baseline,
                    *cand,
                    *limit,
                    ci,
                    (cand_adj - mean_adj).exp_m1(),
                ),
                prediction,
                within_run: ci.map_or(0.0, |c| (c.high - c.low) / 2.0),
            });
        }
        if let (Some(f), Some(limit)) = (factors, limit_of(&s.suite_limits)) {
            let min_sd = s.suite_limits.noise_floor.ln_1p();
            let prediction = prediction_test(&f.per_run, f.candidate, min_sd).ok();
            let shift = prediction.map_or(0.0, |p| p.shift);
            // Shown as the baseline's geometric mean of the statistic over the benchmarks, and
            // that mean scaled by the candidate run's factor.
            let base_gm = (pooled_logs.iter().sum::<f64>() / pooled_logs.len() as f64).exp();
            let cand_gm = base_gm * shift.exp();
            tests.push(TimingTest {
                verdict_index: None,
                check: open_check(metric, base_gm, cand_gm, limit, None, shift.exp_m1()),
                prediction,
                within_run: 0.0,
            });
        }
    }
    tests
}

fn open_check(
    metric: Metric,
    baseline: f64,
    candidate: f64,
    limit: f64,
    ci: Option<ChangeInterval>,
    adjusted: f64,
) -> Check {
    Check {
        metric,
        baseline,
        candidate,
        change: candidate / baseline - 1.0,
        adjusted_change: Some(adjusted),
        ci_low: ci.map(|c| c.low),
        ci_high: ci.map(|c| c.high),
        p_value: None,
        p_adjusted: None,
        limit,
        detectable: None,
        status: Status::Unchanged,
        rounds: None,
    }
}

fn per_run_values(base: &BaselineBenchmark, metric: Metric) -> Vec<f64> {
    let spread = match metric {
        Metric::P10 => &base.spread.p10,
        Metric::P50 => &base.spread.p50,
        Metric::P95 => &base.spread.p95,
        _ => &base.spread.p99,
    };
    spread.per_run_ns.clone()
}
