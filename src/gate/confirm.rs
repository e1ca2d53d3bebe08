//! Confirm before failing: a timing regression found against the committed baseline is
//! re-measured (the flagged benchmarks only, in a fresh process, later in the same
//! invocation) and fails the gate only when the re-measurement is a regression too. A
//! process's memory layout shifts a benchmark for its whole life (3–13% in the A/B work)
//! and the host's slow episodes last up to a whole run, so one process's word alone is
//! not enough to fail a build on.
//!
//! This module only combines the two verdicts; measuring is `crate::confirm`'s.

use super::summary::headline;
use super::{InconclusivePolicy, MissingPolicy, SUITE_WIDE, Thresholds};
use crate::error::InputError;
use crate::results::ResultsFile;
use crate::verdict::{BenchmarkVerdict, Check, Outcome, Status, Verdict};

/// Benchmarks (not the suite-wide row) with a timing check that is a regression: what a
/// confirmation re-measures.
pub fn flagged(verdict: &Verdict) -> Vec<String> {
    verdict
        .benchmarks
        .iter()
        .filter(|b| b.name != SUITE_WIDE)
        .filter(|b| timing_regression(b).is_some())
        .map(|b| b.name.clone())
        .collect()
}

fn timing_regression(b: &BenchmarkVerdict) -> Option<&Check> {
    b.checks
        .iter()
        .find(|c| c.metric.is_timing() && c.status == Status::Regression)
}

/// The first run's results with the flagged benchmarks' samples replaced by the
/// confirmation's: the candidate the confirmation is gated as. The rest of the run stays,
/// so the shared speed factor still rests on every benchmark.
pub fn with_remeasured(first: &ResultsFile, again: &ResultsFile) -> ResultsFile {
    let mut out = first.clone();
    for b in &mut out.benchmarks {
        if let Some(x) = again.benchmarks.iter().find(|x| x.name == b.name) {
            *b = x.clone();
        }
    }
    out
}

/// Applies the confirmation verdict `again` (of [`with_remeasured`]) to the first verdict:
/// a flagged timing check stays a regression only when the same check is a regression in
/// `again`; otherwise it becomes inconclusive. Every flagged benchmark's message names both
/// measurements; a note sums up, naming `file` (where the re-measured samples were kept)
/// when given. Outcome and headline are recomputed under the policies of `t`.
pub fn apply(
    first: &mut Verdict,
    again: &Verdict,
    names: &[String],
    file: Option<&str>,
    t: &Thresholds,
) -> Result<(), InputError> {
    let (mut confirmed, mut cleared) = (Vec::new(), Vec::new());
    for b in first
        .benchmarks
        .iter_mut()
        .filter(|b| names.contains(&b.name))
    {
        let second = again.benchmarks.iter().find(|x| x.name == b.name);
        let mut words = Vec::new();
        let mut kept = false;
        for c in b.checks.iter_mut().filter(|c| c.metric.is_timing()) {
            if c.status != Status::Regression {
                continue;
            }
            let re = second.and_then(|s| s.checks.iter().find(|x| x.metric == c.metric));
            let agrees = re.is_some_and(|x| x.status == Status::Regression);
            let again_text = re.map_or("not measured".to_string(), |x| {
                format!("{} ({})", percent(x.decided_change()), x.status.as_str())
            });
            words.push(format!(
                "{} {} in the first run, {again_text} re-measured in a fresh process",
                c.metric.label(),
                percent(c.decided_change())
            ));
            if agrees {
                kept = true;
            } else {
                c.status = Status::Inconclusive;
            }
        }
        let verdict = if kept { "confirmed" } else { "not confirmed" };
        let others = b
            .checks
            .iter()
            .filter(|c| !c.metric.is_timing())
            .find(|c| c.status == Status::Regression);
        b.status = match (kept, others) {
            (true, _) | (false, Some(_)) => Status::Regression,
            (false, None) => Status::Inconclusive,
        };
        b.message = Some(format!("{}: {verdict}", words.join("; ")));
        match kept {
            true => confirmed.push(b.name.clone()),
            false => cleared.push(b.name.clone()),
        }
    }
    let kept_in = file.map_or(String::new(), |f| format!("; its samples are in {f}"));
    first.notes.push(format!(
        "CONFIRMATION: {} timing regression(s) re-measured in a fresh process{kept_in}: \
         confirmed {}, not confirmed {} (a timing regression fails the gate only when the \
         re-measurement agrees; `--no-confirm` skips this)",
        names.len(),
        list(&confirmed),
        list(&cleared)
    ));
    first.verdict = outcome(&first.benchmarks, t)?;
    first.headline = headline(&first.benchmarks, first.baseline.is_some());
    Ok(())
}

fn list(names: &[String]) -> String {
    match names.is_empty() {
        true => "none".to_string(),
        false => names.join(", "),
    }
}

fn percent(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// Pass or fail of the benchmarks under the per-benchmark policies (as the gate decides).
fn outcome(benches: &[BenchmarkVerdict], t: &Thresholds) -> Result<Outcome, InputError> {
    for b in benches {
        let limits = t.for_benchmark(&b.name)?;
        let fails = match b.status {
            Status::Regression | Status::Failed => true,
            Status::Inconclusive => limits.inconclusive == InconclusivePolicy::Fail,
            Status::Missing => limits.missing == MissingPolicy::Fail,
            _ => false,
        };
        if fails {
            return Ok(Outcome::Fail);
        }
    }
    Ok(Outcome::Pass)
}

#[cfg(test)]
mod tests;
