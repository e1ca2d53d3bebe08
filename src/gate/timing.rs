//! Timing checks, tested at the level where the noise lives: the run. Samples of one run
//! share that run's machine state, so a test that treats them as independent calls a few
//! percent of run-to-run drift "significant". Here each statistic of a new run is tested
//! against the same statistic of the K blessed runs (a Student-t prediction test on logs,
//! `stats::prediction_test`), after dividing out the run's shared machine-speed factor
//! (`stats::speed_factors`); the factor itself is tested as one more check, so a change that
//! slows every benchmark at once cannot hide in it.

use statrs::statistics::Statistics;

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
            let divided = factors.as_ref().map(|f| {
                let runs: Vec<f64> = log_runs
                    .iter()
                    .zip(&f.per_run)
                    .map(|(v, fi)| v - fi)
                    .collect();
                (runs, cand_log - f.candidate)
            });
            // The factor is divided out where it explains the benchmark's run-to-run
            // variation in the blessed runs, not where it adds to it (see `follows_factor`).
            let divided = divided.filter(|(runs, _)| follows_factor(log_runs, runs));
            // A benchmark tested without the factor shows (and is decided on) its plain change.
            let raw_tested = factors.is_some() && divided.is_none();
            let (adjusted, cand_adj) = divided.unwrap_or_else(|| (log_runs.clone(), *cand_log));
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
                    match raw_tested {
                        true => *cand / baseline - 1.0,
                        false => (cand_adj - mean_adj).exp_m1(),
                    },
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

/// Fewest blessed runs for choosing per benchmark whether to divide out the shared factor:
/// below it the factor is always divided out (two standard deviations of a few runs are
/// too noisy to compare, and picking the smaller would understate the spread).
pub const FACTOR_CHOICE_MIN_RUNS: usize = 10;

/// A benchmark is tested without the shared factor only when that halves (or better) the
/// variance of its blessed runs: two variance estimates from 10–30 runs differ by ±30–50%
/// by chance, and a whole-machine slowdown (which the factor exists for) goes straight into
/// an unadjusted benchmark's change, so the default stays "divide it out".
pub const RAW_VARIANCE_RATIO: f64 = 0.5;

/// Whether a benchmark follows the run's shared speed factor: true unless, with at least
/// [`FACTOR_CHOICE_MIN_RUNS`] blessed runs, its log statistic varies far less across them
/// without the factor (`raw`) than with each run's factor divided out (`divided`): variance
/// at most [`RAW_VARIANCE_RATIO`] of it. Across sittings the factor (a median over
/// benchmarks) moves with the memory-bound benchmarks' drift, which a compute-bound one
/// does not share: in the Zen 4 baseline of 29 runs over 10.6 hours, dividing the factor
/// out widened gelu/100000's spread from 1.2% to 2.2%, and a +10% gelu build was called
/// inconclusive in 4 of 4 unmarked runs. Decided from the blessed runs alone, never from the
/// candidate.
pub fn follows_factor(raw: &[f64], divided: &[f64]) -> bool {
    if raw.len() < FACTOR_CHOICE_MIN_RUNS {
        return true;
    }
    raw.variance() > RAW_VARIANCE_RATIO * divided.variance()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Log statistics of `k` runs: a factor that moves by ±`swing` run to run, which the
    /// benchmark follows with weight `follow` (1: fully, 0: not at all), plus its own
    /// deterministic wiggle of ±`own`.
    fn runs(k: usize, swing: f64, follow: f64, own: f64) -> (Vec<f64>, Vec<f64>) {
        let factor: Vec<f64> = (0..k)
            .map(|i| swing * ((i * 7 % 5) as f64 - 2.0) / 2.0)
            .collect();
        let raw: Vec<f64> = factor
            .iter()
            .enumerate()
            .map(|(i, f)| follow * f + own * ((i * 3 % 4) as f64 - 1.5) / 1.5)
            .collect();
        let divided = raw.iter().zip(&factor).map(|(r, f)| r - f).collect();
        (raw, divided)
    }

    #[test]
    fn a_benchmark_that_does_not_share_the_factor_is_tested_without_it() {
        // The factor swings ±5%, the benchmark ±1% on its own: dividing the factor out
        // would add the factor's swing to it.
        let (raw, divided) = runs(29, 0.05, 0.0, 0.01);
        assert!(!follows_factor(&raw, &divided));
        // A benchmark that moves with the factor keeps it divided out.
        let (raw, divided) = runs(29, 0.05, 1.0, 0.01);
        assert!(follows_factor(&raw, &divided));
    }

    #[test]
    fn a_small_gain_or_few_runs_keep_the_factor() {
        // Half-following: raw variance is not at most half the divided one.
        let (raw, divided) = runs(29, 0.02, 0.4, 0.01);
        assert!(follows_factor(&raw, &divided));
        // Nine runs are too few to choose.
        let (raw, divided) = runs(FACTOR_CHOICE_MIN_RUNS - 1, 0.05, 0.0, 0.01);
        assert!(follows_factor(&raw, &divided));
    }
}
