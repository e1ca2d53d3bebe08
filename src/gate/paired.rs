//! The A/B decision: base and head measured in the same job, interleaved, on one core
//! (`perfgate ab`). Where "is the head slower than the base?" is answered.
//!
//! Per benchmark, from the per-round log-ratios log(head / base) (src/stats/paired.rs):
//! `change` = Hodges–Lehmann estimate, `ci_low`/`ci_high` its 95% distribution-free interval,
//! `p_value` the two-sided Wilcoxon signed-rank test, `p_adjusted` Holm over all paired
//! benchmarks, `limit` = `[ab] p50` of thresholds.toml (default 2%).
//! - regression   ⇔ p_adjusted < alpha AND change > limit AND ci_low > 0;
//! - improvement  ⇔ p_adjusted < alpha AND change < −limit AND ci_high < 0;
//! - inconclusive ⇔ otherwise, when the interval reaches beyond ±limit (a change the size
//!   of the limit can be neither claimed nor excluded);
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
use crate::results::{AbBenchmark, AbResultsFile, Clock, Presence, busy_reason};
use crate::stats::{PairedChange, Sample, holm_adjust, paired_change, percentile};
use crate::verdict::{
    BenchmarkVerdict, Check, Metric, Outcome, Side, Status, ThresholdsUsed, VERDICT_SCHEMA, Verdict,
};

/// Gates an A/B results file: one verdict with base as the baseline side, head as the candidate.
pub fn gate_ab(ab: &AbResultsFile, t: &Thresholds) -> Result<Verdict, InputError> {
    let changes: Vec<Option<PairedChange>> = ab
        .benchmarks
        .iter()
        .map(|b| {
            let ratios: Vec<f64> = b.rounds.iter().map(|r| r.log_ratio).collect();
            match (b.presence, &b.error) {
                (Presence::Both, None) => paired_change(&ratios).ok(),
                _ => None,
            }
        })
        .collect();
    let p: Vec<f64> = changes.iter().flatten().map(|c| c.test.p_value).collect();
    let mut adjusted = holm_adjust(&p).into_iter();
    let mut benchmarks = Vec::new();
    let mut fails = false;
    let mut new = Vec::new();
    for (b, change) in ab.benchmarks.iter().zip(&changes) {
        let limits = t.for_benchmark(&b.name)?;
        let verdict = match (b.presence, &b.error, change) {
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
            (_, None, Some(c)) => {
                let p_adj = adjusted.next().expect("one adjusted p-value per test");
                let mut checks = Vec::new();
                if let Some(limit) = t.ab_p50 {
                    checks.push(timing_check(b, c, p_adj, limit, t.ab_alpha));
                }
                checks.extend(alloc_checks(b, limits.alloc_bytes, limits.allocs));
                let v = from_checks(b, checks);
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
        "paired A/B on one machine: {} of {} rounds, {} samples per side per visit",
        s.rounds_done, s.rounds_planned, s.samples_per_visit
    ));
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

/// The A/B decision of one timing check (see the module documentation).
pub fn decide_paired(c: &PairedChange, p_adjusted: f64, limit: f64, alpha: f64) -> Status {
    let significant = p_adjusted < alpha;
    if significant && c.change > limit && c.ci_low > 0.0 {
        Status::Regression
    } else if significant && c.change < -limit && c.ci_high < 0.0 {
        Status::Improvement
    } else if c.ci_high > limit || c.ci_low < -limit {
        Status::Inconclusive
    } else {
        Status::Unchanged
    }
}

fn median_ns(x: &[f64]) -> f64 {
    Sample::new(x.to_vec()).map_or(f64::NAN, |s| percentile(&s, 0.5))
}

fn timing_check(b: &AbBenchmark, c: &PairedChange, p_adj: f64, limit: f64, alpha: f64) -> Check {
    Check {
        metric: Metric::P50,
        baseline: median_ns(b.base.timed(b.clock)),
        candidate: median_ns(b.head.timed(b.clock)),
        change: c.change,
        adjusted_change: None,
        ci_low: Some(c.ci_low),
        ci_high: Some(c.ci_high),
        p_value: Some(c.test.p_value),
        p_adjusted: Some(p_adj),
        limit,
        detectable: Some((c.ci_high - c.ci_low) / 2.0),
        status: decide_paired(c, p_adj, limit, alpha),
        rounds: Some(c.rounds),
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
fn from_checks(b: &AbBenchmark, checks: Vec<Check>) -> BenchmarkVerdict {
    let rounds = b.rounds.len();
    let order = [
        Status::Regression,
        Status::Improvement,
        Status::Inconclusive,
    ];
    let found = order
        .into_iter()
        .find_map(|s| checks.iter().find(|c| c.status == s).map(|c| (s, c)));
    let (status, message) = match found {
        Some((s, c)) => (s, Some(explain(c, rounds))),
        None => (
            Status::Unchanged,
            checks.first().map(|c| explain(c, rounds)),
        ),
    };
    BenchmarkVerdict {
        name: b.name.clone(),
        status,
        message,
        checks,
    }
}

/// One sentence on a check: the paired change, its interval, p and rounds.
fn explain(c: &Check, rounds: usize) -> String {
    let limit = describe_percent(Some(c.limit));
    match (c.metric, c.ci_low, c.ci_high, c.p_adjusted) {
        (Metric::P50, Some(lo), Some(hi), Some(p)) => format!(
            "paired change {} (95% CI {} … {}, p_adj {p:.2e}, {} rounds; limit {limit})",
            signed_percent(c.change),
            signed_percent(lo),
            signed_percent(hi),
            rounds
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
