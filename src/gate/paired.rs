//! The A/B decision: base and head measured in the same job, interleaved, on one core
//! (`perfgate ab`). Where "is the head slower than the base?" is answered.
//!
//! Per benchmark, from the per-round log-ratios log(head / base) (src/stats/paired.rs),
//! taken at the looks of the run's plan (src/stats/sequential.rs, docs/ab-method.md) until
//! the benchmark is decided: `change` = Hodges–Lehmann estimate, `ci_low`/`ci_high` its
//! distribution-free interval at the look's level (simultaneously 95% over all looks),
//! `p_value` the two-sided Wilcoxon signed-rank test, `p_adjusted` Holm within the look
//! divided by the look's share of alpha, `limit` = `[ab] p50` of thresholds.toml (2%).
//! - regression   ⇔ p_adjusted < alpha AND change > limit AND ci_low > 0;
//! - improvement  ⇔ p_adjusted < alpha AND change < −limit AND ci_high < 0;
//! - inconclusive ⇔ still open at the last look it reached: the interval reaches beyond
//!   ±limit (a change the size of the limit can be neither claimed nor excluded);
//! - unchanged    ⇔ the interval lies within ±limit.
//!
//! Allocation figures per iteration are compared head vs base directly, with the
//! `alloc_bytes`/`allocs` limits of thresholds.toml (rules apply): both sides ran on the
//! same machine, so they are deterministic.

use super::decide::deterministic_check;
use super::limits::describe_percent;
use super::summary::{headline, missing_note};
use super::{InconclusivePolicy, MissingPolicy, NewPolicy, Thresholds};
use crate::baseline::Fingerprint;
use crate::error::InputError;
use crate::output::units::signed_percent;
use crate::results::{AbBenchmark, AbResultsFile, Clock, Presence, busy_reason, paired_series};
use crate::stats::{Call, Looked, Sample, StopRule, percentile, sequential_calls};
use crate::verdict::{
    BenchmarkVerdict, Check, Metric, Outcome, Side, Status, ThresholdsUsed, VERDICT_SCHEMA, Verdict,
};

/// Gates an A/B results file: one verdict with base as the baseline side, head as the candidate.
pub fn gate_ab(ab: &AbResultsFile, t: &Thresholds) -> Result<Verdict, InputError> {
    let looked = ab_calls(ab, stop_rule(t));
    let mut benchmarks = Vec::new();
    let mut fails = false;
    let mut new = Vec::new();
    for (b, looked) in ab.benchmarks.iter().zip(&looked) {
        let limits = t.for_benchmark(&b.name)?;
        let verdict = match (b.presence, &b.error, looked) {
            (Presence::BaseOnly, ..) => {
                fails |= limits.missing == MissingPolicy::Fail;
                plain(
                    b,
                    Status::Missing,
                    "only in the base: the change removes it",
                )
            }
            (Presence::HeadOnly, ..) => {
                if limits.new == NewPolicy::Warn {
                    new.push(b.name.clone());
                }
                plain(b, Status::New, "only in the head: the change adds it")
            }
            (_, Some(e), _) => plain(b, Status::Failed, e),
            (_, None, None) => plain(b, Status::Failed, "no paired rounds were measured"),
            (_, None, Some(l)) => {
                let mut checks = Vec::new();
                if let Some(limit) = t.ab_p50 {
                    checks.push(timing_check(b, l, limit));
                }
                checks.extend(alloc_checks(b, limits.alloc_bytes, limits.allocs));
                let v = from_checks(b, checks, l, ab.settings.looks.looks.len());
                fails |= v.status == Status::Regression
                    || (v.status == Status::Inconclusive
                        && limits.inconclusive == InconclusivePolicy::Fail);
                v
            }
        };
        fails |= verdict.status == Status::Failed;
        benchmarks.push(verdict);
    }
    let mut notes = ab.notes.clone();
    if let Some(reason) = busy_reason(ab.env.load.as_ref(), ab.env.logical_cores) {
        notes.push(format!(
            "BUSY MACHINE: {reason}. Load that hits both sides alike cancels in the paired \
             ratio, so the verdict stands, but false alarms are more likely than on a quiet \
             machine (docs/evaluation.md: paired A/B, busy figures)."
        ));
    }
    notes.extend(missing_note(&benchmarks, "in the base but not in the head"));
    if !new.is_empty() {
        notes.push(format!(
            "new benchmarks, not in the base: {}",
            new.join(", ")
        ));
    }
    let s = &ab.settings;
    notes.push(format!(
        "paired A/B on one machine: {} of at most {} rounds, looks at rounds {}; up to {} \
         pairs of samples per visit, base and head alternating sample by sample",
        s.rounds_done,
        s.rounds_planned,
        s.looks
            .looks
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        s.samples_per_visit
    ));
    if (s.stop_alpha, s.stop_limit) != (t.ab_alpha, t.ab_p50) {
        notes.push(format!(
            "the run stopped benchmarks by alpha {} and limit {}; these thresholds say alpha \
             {} and limit {}: each benchmark is decided on the rounds it has",
            s.stop_alpha,
            describe_percent(s.stop_limit),
            t.ab_alpha,
            describe_percent(t.ab_p50)
        ));
    }
    notes.extend(clock_note(ab));
    let env = Fingerprint::of(&ab.env).describe();
    let side = |file: &str, commit: &Option<String>| Side {
        file: file.to_string(),
        env: env.clone(),
        git_commit: commit.clone(),
        runs: s.rounds_done as usize,
    };
    Ok(Verdict {
        schema: VERDICT_SCHEMA.to_string(),
        verdict: if fails { Outcome::Fail } else { Outcome::Pass },
        headline: headline(&benchmarks, true),
        baseline: Some(side(&ab.base.binary, &ab.base.git_commit)),
        candidate: side(&ab.head.binary, &ab.head.git_commit),
        notes,
        thresholds: ThresholdsUsed {
            file: t.file.clone(),
            alpha: t.ab_alpha,
            limits: format!(
                "A/B p50 {}; allocations as in [defaults]",
                describe_percent(t.ab_p50)
            ),
        },
        benchmarks,
    })
}

/// The stopping rule of `t`: `[ab] alpha` and `[ab] p50`.
pub fn stop_rule(t: &Thresholds) -> StopRule {
    StopRule {
        alpha: t.ab_alpha,
        limit: t.ab_p50,
    }
}

/// Every benchmark at the last look it reached under `rule` and the file's look plan
/// (`None`: on one side only, or no look reached). Benchmarks that failed take part in
/// the looks their rounds reached, as they did while the run was deciding.
pub fn ab_calls(ab: &AbResultsFile, rule: StopRule) -> Vec<Option<Looked>> {
    let series = paired_series(&ab.benchmarks);
    let views: Vec<Option<&[f64]>> = series.iter().map(|s| s.as_deref()).collect();
    sequential_calls(&views, &ab.settings.looks, rule)
}

/// The verdict status of a look's call (open at the last look: inconclusive).
pub fn status_of(call: Call) -> Status {
    match call {
        Call::Regression => Status::Regression,
        Call::Improvement => Status::Improvement,
        Call::Unchanged => Status::Unchanged,
        Call::Open => Status::Inconclusive,
    }
}

fn median_ns(x: &[f64]) -> f64 {
    Sample::new(x.to_vec()).map_or(f64::NAN, |s| percentile(&s, 0.5))
}

fn timing_check(b: &AbBenchmark, l: &Looked, limit: f64) -> Check {
    let c = &l.change;
    Check {
        metric: Metric::P50,
        baseline: median_ns(b.base.timed(b.clock)),
        candidate: median_ns(b.head.timed(b.clock)),
        change: c.change,
        adjusted_change: None,
        ci_low: Some(c.ci_low),
        ci_high: Some(c.ci_high),
        p_value: Some(c.test.p_value),
        p_adjusted: Some(l.p_adjusted),
        limit,
        detectable: Some((c.ci_high - c.ci_low) / 2.0),
        status: status_of(l.call),
        rounds: Some(l.rounds),
    }
}

/// Which clock timed the rounds, when any benchmark was timed by CPU time or CPU time was
/// asked for: P50s and changes are of that clock.
fn clock_note(ab: &AbResultsFile) -> Option<String> {
    let timed: Vec<&AbBenchmark> = ab
        .benchmarks
        .iter()
        .filter(|b| !b.rounds.is_empty())
        .collect();
    let wall: Vec<&str> = timed
        .iter()
        .filter(|b| b.clock == Clock::Wall)
        .map(|b| b.name.as_str())
        .collect();
    if ab.settings.clock == Clock::Wall || timed.is_empty() {
        return None;
    }
    let cpu = "CPU time of each worker's measuring thread (waiting for the core left out)";
    Some(match wall.len() {
        0 => format!("timed by {cpu}"),
        n if n == timed.len() => "timed by wall time: no benchmark had CPU times from both \
                                  sides (a base older than CPU timing, or benchmarks that \
                                  use the rayon pool)"
            .to_string(),
        _ => format!(
            "timed by {cpu}, except by wall time: {} (they use the rayon pool, or a side \
             did not report CPU time)",
            wall.join(", ")
        ),
    })
}

fn alloc_checks(b: &AbBenchmark, bytes: Option<f64>, allocs: Option<f64>) -> Vec<Check> {
    if b.head.process.is_some() {
        // A command benchmark: allocations of a process are not counted.
        return Vec::new();
    }
    let it = b.iters_per_sample;
    [
        (
            Metric::AllocBytes,
            bytes,
            b.base.alloc_bytes_per_iter(it),
            b.head.alloc_bytes_per_iter(it),
        ),
        (
            Metric::Allocs,
            allocs,
            b.base.allocs_per_iter(it),
            b.head.allocs_per_iter(it),
        ),
    ]
    .into_iter()
    .filter_map(|(metric, limit, base, head)| {
        Some(deterministic_check(metric, base?, head?, limit?))
    })
    .collect()
}

fn plain(b: &AbBenchmark, status: Status, message: &str) -> BenchmarkVerdict {
    BenchmarkVerdict {
        name: b.name.clone(),
        status,
        message: Some(message.to_string()),
        checks: Vec::new(),
    }
}

/// Status from the checks: regression, then improvement, then inconclusive, else unchanged.
fn from_checks(b: &AbBenchmark, checks: Vec<Check>, l: &Looked, looks: usize) -> BenchmarkVerdict {
    let order = [
        Status::Regression,
        Status::Improvement,
        Status::Inconclusive,
    ];
    let found = order
        .into_iter()
        .find_map(|s| checks.iter().find(|c| c.status == s).map(|c| (s, c)));
    let (status, message) = match found {
        Some((s, c)) => (s, Some(explain(c, l, looks))),
        None => (
            Status::Unchanged,
            checks.first().map(|c| explain(c, l, looks)),
        ),
    };
    BenchmarkVerdict {
        name: b.name.clone(),
        status,
        message,
        checks,
    }
}

/// One sentence on a check: the paired change, its interval (the look's level), p, the
/// rounds and look it was decided at, and the change it could detect.
fn explain(c: &Check, l: &Looked, looks: usize) -> String {
    let limit = describe_percent(Some(c.limit));
    match (c.metric, c.ci_low, c.ci_high, c.p_adjusted) {
        (Metric::P50, Some(lo), Some(hi), Some(p)) => format!(
            "paired change {} ({:.1}% CI {} … {}, 95% over all looks; p_adj {p:.2e}; {} \
             rounds, look {} of {looks}; detectable ±{:.1}%; limit {limit})",
            signed_percent(c.change),
            l.confidence * 100.0,
            signed_percent(lo),
            signed_percent(hi),
            l.rounds,
            l.look + 1,
            c.detectable.unwrap_or(f64::NAN) * 100.0
        ),
        (Metric::AllocBytes, ..) => format!(
            "alloc bytes per iteration {} → {} (limit {limit})",
            c.baseline, c.candidate
        ),
        _ => format!(
            "allocations per iteration {} → {} (limit {limit})",
            c.baseline, c.candidate
        ),
    }
}

#[cfg(test)]
mod tests;
