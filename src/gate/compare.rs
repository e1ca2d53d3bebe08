//! The whole comparison: every benchmark of a candidate run against a baseline, one
//! Holm–Bonferroni family over all run-level timing tests, policies applied, a [`Verdict`]
//! out.

use std::collections::HashMap;

use super::decide::{SINGLE_RUN_BELOW, TimingEvidence, decide_timing, deterministic_check};
use super::input::{BaselineInput, Comparison, Context};
use super::input::{Matched, TimingSettings};
use super::noisy_run::{dispersion, noisy_reason};
use super::summary::{SUITE_WIDE, explain, finish, notes_for};
use super::timing::{TimingTest, timing_tests};
use super::{Limits, MachinePolicy, Thresholds, TimingPolicy};
use crate::baseline::{BaselineBenchmark, Fingerprint};
use crate::error::InputError;
use crate::results::{BenchmarkResult, busy_reason};
use crate::stats::holm_adjust;
use crate::verdict::{BenchmarkVerdict, Check, Metric, Side, Status, Verdict};

/// Compares the candidate against the baseline; errors only for thresholds that cannot be
/// resolved (conflicting rules).
pub fn compare(c: &Comparison) -> Result<Verdict, InputError> {
    let t = c.thresholds;
    let (baseline, baseline_file) = match c.baseline {
        BaselineInput::Loaded { baseline, file } => (baseline, file),
        BaselineInput::Missing { expected } => return Ok(no_baseline(c, expected)),
    };
    let cand_fp = Fingerprint::of(&c.candidate.env);
    let differences = baseline.fingerprint.differences(&cand_fp);
    let runs = baseline.runs.len();
    let mut ctx = Context {
        same_machine: differences.is_empty(),
        heap_bytes_comparable: baseline.fingerprint.heap_bytes_comparable(&cand_fp),
        differences,
        busy: busy_reason(c.candidate.env.load.as_ref(), c.candidate.env.logical_cores),
        noisy: None,
        runs,
        single_run: (runs < SINGLE_RUN_BELOW).then(|| t.single_run_change.unwrap_or(f64::INFINITY)),
    };
    let timing_on = ctx.same_machine || t.machine_mismatch != MachinePolicy::Skip;
    let by_name: HashMap<&str, &BaselineBenchmark> = baseline
        .benchmarks
        .iter()
        .map(|b| (b.name.as_str(), b))
        .collect();
    let mut benches = Vec::new();
    let mut limits_of = Vec::new();
    let mut matched = Vec::new();
    for cand in &c.candidate.benchmarks {
        let limits = t.for_benchmark(&cand.name)?;
        let bench = match (by_name.get(cand.name.as_str()), &cand.error) {
            (_, Some(error)) => status_only(&cand.name, Status::Failed, Some(error.clone())),
            (None, None) => status_only(&cand.name, Status::New, None),
            (Some(base), None) => {
                if timing_on {
                    matched.push(Matched {
                        verdict_index: benches.len(),
                        limits,
                        base,
                        cand,
                    });
                }
                BenchmarkVerdict {
                    name: cand.name.clone(),
                    status: Status::Unchanged,
                    message: None,
                    checks: alloc_checks(&limits, base, cand, ctx.heap_bytes_comparable),
                }
            }
        };
        benches.push(bench);
        limits_of.push(limits);
    }
    let settings = TimingSettings {
        resamples: t.bootstrap_resamples,
        seed: t.seed,
        suite_limits: t.defaults,
    };
    let tests = timing_tests(&matched, &settings);
    // On another machine the speed factor and the dispersion differ by design (a Zen 1
    // runs this suite up to 2.7x slower than a Zen 3): the DIFFERENT MACHINE note says so,
    // and calling that run noisy would blame the host for the baseline's choice.
    if timing_on && ctx.same_machine {
        let factor = tests
            .iter()
            .find(|x| x.verdict_index.is_none() && x.check.metric == Metric::P10)
            .and_then(|x| x.prediction);
        let spread = dispersion(baseline, c.candidate);
        ctx.noisy = noisy_reason(spread.as_ref(), factor.as_ref());
    }
    let suite = decide_all(tests, t, &ctx, &mut benches);
    if !suite.is_empty() {
        benches.push(BenchmarkVerdict {
            name: SUITE_WIDE.to_string(),
            status: Status::Unchanged,
            message: None,
            checks: suite,
        });
        limits_of.push(t.defaults);
    }
    for bench in &mut benches {
        if bench.status == Status::Unchanged {
            (bench.status, bench.message) = overall(&bench.checks, &ctx);
        }
    }
    for base in &baseline.benchmarks {
        if !c.candidate.benchmarks.iter().any(|b| b.name == base.name) {
            benches.push(status_only(
                &base.name,
                Status::Missing,
                Some("in the baseline but not measured in this run".into()),
            ));
            limits_of.push(t.for_benchmark(&base.name)?);
        }
    }
    let notes = notes_for(baseline, baseline_file, &ctx, t, &benches);
    let side = Side {
        file: baseline_file.to_string(),
        env: baseline.fingerprint.describe(),
        git_commit: baseline.runs.last().and_then(|r| r.env.git_commit.clone()),
        runs: baseline.runs.len(),
    };
    Ok(finish(c, Some(side), notes, benches, &limits_of))
}

/// Holm over every run-level test, then each timing check's status; checks go to their
/// benchmark's verdict entry, and the suite-wide checks are returned.
fn decide_all(
    tests: Vec<TimingTest>,
    t: &Thresholds,
    ctx: &Context,
    benches: &mut [BenchmarkVerdict],
) -> Vec<Check> {
    let tested: Vec<usize> = (0..tests.len())
        .filter(|&i| tests[i].prediction.is_some())
        .collect();
    let p_values: Vec<f64> = tested
        .iter()
        .map(|&i| tests[i].prediction.expect("filtered").p_value)
        .collect();
    let adjusted = holm_adjust(&p_values);
    let family = p_values.len().max(1) as f64;
    let mut suite = Vec::new();
    for (i, mut test) in tests.into_iter().enumerate() {
        let slot = tested.iter().position(|&j| j == i);
        let check = &mut test.check;
        check.p_value = test.prediction.map(|p| p.p_value);
        check.p_adjusted = slot.map(|s| adjusted[s]);
        let evidence = TimingEvidence {
            change: check.adjusted_change.unwrap_or(check.change),
            limit: check.limit,
            p_adjusted: check.p_adjusted,
            alpha: t.alpha,
            within_run: test.within_run,
            critical: test
                .prediction
                .map(|p| p.critical_shift(t.alpha / family).exp_m1()),
            single_run: ctx.single_run,
            ci: check.decided_ci(),
        };
        check.detectable = evidence.detectable();
        check.status = decide_timing(&evidence);
        let decided = matches!(check.status, Status::Regression | Status::Improvement);
        let machine_doubt = !ctx.same_machine && t.machine_mismatch == MachinePolicy::Warn;
        let shown_only = t.timing == TimingPolicy::Warn;
        let doubt = ctx.busy.is_some() || ctx.noisy.is_some();
        if decided && (machine_doubt || shown_only || doubt) {
            check.status = Status::Inconclusive;
        }
        match test.verdict_index {
            Some(b) => benches[b].checks.push(test.check),
            None => suite.push(test.check),
        }
    }
    for bench in benches.iter_mut() {
        bench.checks.sort_by_key(|c| c.metric as u8);
    }
    suite
}

fn status_only(name: &str, status: Status, message: Option<String>) -> BenchmarkVerdict {
    BenchmarkVerdict {
        name: name.to_string(),
        status,
        message,
        checks: Vec::new(),
    }
}

/// Allocation checks. Counts are compared on every machine; byte counts only where the
/// CPU's features and caches match, since third-party kernels size scratch buffers from
/// them.
fn alloc_checks(
    limits: &Limits,
    base: &BaselineBenchmark,
    cand: &BenchmarkResult,
    heap_bytes_comparable: bool,
) -> Vec<Check> {
    let bytes_limit = limits.alloc_bytes.filter(|_| heap_bytes_comparable);
    let figures = [
        (
            Metric::AllocBytes,
            bytes_limit,
            base.alloc_bytes_per_iter,
            cand.alloc_bytes_per_iter,
        ),
        (
            Metric::Allocs,
            limits.allocs,
            base.allocs_per_iter,
            cand.allocs_per_iter,
        ),
    ];
    figures
        .into_iter()
        .filter_map(|(metric, limit, b, x)| Some(deterministic_check(metric, b?, x?, limit?)))
        .collect()
}

/// A benchmark's status from its checks (regression, then improvement, then inconclusive),
/// with a sentence explaining the deciding check.
fn overall(checks: &[Check], ctx: &Context) -> (Status, Option<String>) {
    let order = [
        Status::Regression,
        Status::Improvement,
        Status::Inconclusive,
    ];
    for status in order {
        if let Some(check) = checks.iter().find(|c| c.status == status) {
            return (status, Some(explain(check, ctx)));
        }
    }
    (Status::Unchanged, None)
}

fn no_baseline(c: &Comparison, expected: &str) -> Verdict {
    let benches: Vec<BenchmarkVerdict> = c
        .candidate
        .benchmarks
        .iter()
        .map(|b| match &b.error {
            Some(e) => status_only(&b.name, Status::Failed, Some(e.clone())),
            None => status_only(&b.name, Status::New, None),
        })
        .collect();
    let notes = vec![format!(
        "NO BASELINE: nothing was compared ({expected} does not exist). Bless one on this \
         machine with `perfgate bless` (5 fresh runs; or from CI results: `perfgate bless --from \
         run-1.json run-2.json run-3.json`) and commit it."
    )];
    let limits = vec![c.thresholds.defaults; benches.len()];
    finish(c, None, notes, benches, &limits)
}

#[cfg(test)]
mod tests;
