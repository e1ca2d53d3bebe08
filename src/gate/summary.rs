//! Everything around the checks: the notes a person must not miss, the headline, the
//! pass/fail outcome under the policies, and the sentence that explains a status.

use super::input::{Comparison, Context};
use super::limits::describe_percent;
use super::noisy_run::noisy_note;
use super::{
    InconclusivePolicy, Limits, MachinePolicy, MissingPolicy, NewPolicy, Thresholds, TimingPolicy,
};
use crate::baseline::{BaselineFile, Fingerprint};

/// Name of the verdict entry that holds the suite-wide checks: the shared machine-speed
/// factor of the run against those of the blessed runs (its baseline value is the geometric
/// mean of the statistic over the compared benchmarks, its candidate value that mean scaled
/// by the run's factor).
pub const SUITE_WIDE: &str = "(suite-wide speed)";
use crate::output::units::signed_percent;
use crate::verdict::{
    BenchmarkVerdict, Check, Metric, Outcome, Side, Status, ThresholdsUsed, VERDICT_SCHEMA, Verdict,
};

/// Assembles the verdict: outcome under the per-benchmark policies, headline, sides.
pub(super) fn finish(
    c: &Comparison,
    baseline: Option<Side>,
    mut notes: Vec<String>,
    benchmarks: Vec<BenchmarkVerdict>,
    limits: &[Limits],
) -> Verdict {
    let fails = benchmarks.iter().zip(limits).any(|(b, l)| match b.status {
        Status::Regression | Status::Failed => true,
        Status::Inconclusive => l.inconclusive == InconclusivePolicy::Fail,
        Status::Missing => l.missing == MissingPolicy::Fail,
        _ => false,
    });
    let new: Vec<&str> = benchmarks
        .iter()
        .zip(limits)
        .filter(|(b, l)| b.status == Status::New && l.new == NewPolicy::Warn)
        .map(|(b, _)| b.name.as_str())
        .collect();
    if baseline.is_some() && !new.is_empty() {
        notes.push(format!(
            "new benchmarks, not in the baseline: {}",
            new.join(", ")
        ));
    }
    let t = c.thresholds;
    let env = Fingerprint::of(&c.candidate.env);
    Verdict {
        schema: VERDICT_SCHEMA.to_string(),
        verdict: if fails { Outcome::Fail } else { Outcome::Pass },
        headline: headline(&benchmarks, baseline.is_some()),
        baseline,
        candidate: Side {
            file: c.candidate_file.to_string(),
            env: env.describe(),
            git_commit: c.candidate.env.git_commit.clone(),
            runs: 1,
        },
        notes,
        thresholds: ThresholdsUsed {
            file: t.file.clone(),
            alpha: t.alpha,
            limits: describe_thresholds(t),
        },
        benchmarks,
    }
}

fn describe_thresholds(t: &Thresholds) -> String {
    let rules = match t.rule_count() {
        0 => String::new(),
        1 => "; 1 rule".to_string(),
        n => format!("; {n} rules"),
    };
    format!("{}{rules}", t.defaults.describe())
}

/// "no regressions in 23 benchmarks", "2 regressions, 1 inconclusive", "nothing compared".
pub fn headline(benchmarks: &[BenchmarkVerdict], compared: bool) -> String {
    let count = |s: Status| benchmarks.iter().filter(|b| b.status == s).count();
    let plural = |n: usize, one: &str, many: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    };
    if !compared {
        let failed = count(Status::Failed);
        let tail = if failed > 0 {
            format!(", {}", plural(failed, "failed", "failed"))
        } else {
            String::new()
        };
        return format!(
            "nothing compared: no baseline ({} measured{tail})",
            plural(benchmarks.len(), "benchmark", "benchmarks")
        );
    }
    let problems: Vec<String> = [
        (Status::Regression, "regression", "regressions"),
        (Status::Failed, "failed", "failed"),
        (Status::Missing, "missing", "missing"),
        (Status::Inconclusive, "inconclusive", "inconclusive"),
    ]
    .into_iter()
    .filter(|(s, ..)| count(*s) > 0)
    .map(|(s, one, many)| plural(count(s), one, many))
    .collect();
    let mut extra: Vec<String> = Vec::new();
    if count(Status::Improvement) > 0 {
        extra.push(plural(
            count(Status::Improvement),
            "improvement",
            "improvements",
        ));
    }
    if count(Status::New) > 0 {
        extra.push(format!("{} new", count(Status::New)));
    }
    if problems.is_empty() {
        // The suite-wide row is a check over the others, not a benchmark of its own.
        let measured = benchmarks.iter().filter(|b| b.name != SUITE_WIDE).count();
        let head = format!(
            "no regressions in {}",
            plural(measured, "benchmark", "benchmarks")
        );
        std::iter::once(head)
            .chain(extra)
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        problems
            .into_iter()
            .chain(extra)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The loud notes: busy machine, machine mismatch, single-run baseline, missing benchmarks.
pub(super) fn notes_for(
    baseline: &BaselineFile,
    baseline_file: &str,
    ctx: &Context,
    t: &Thresholds,
    benches: &[BenchmarkVerdict],
) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(reason) = &ctx.noisy {
        notes.push(noisy_note(reason));
    }
    if let Some(reason) = &ctx.busy {
        notes.push(format!(
            "BUSY MACHINE: {reason}: timings are unreliable, so no timing check can fail the              gate (allocation checks still apply). Run again on a quiet machine."
        ));
    }
    if t.timing == TimingPolicy::Warn {
        notes.push(format!(
            "timing checks are shown but cannot fail the gate (timing = \"warn\" in {})",
            t.file
        ));
    }
    if !ctx.same_machine {
        let timing = match t.machine_mismatch {
            MachinePolicy::Skip => "timing checks were skipped",
            MachinePolicy::Warn => "timing changes are shown but cannot fail the gate",
            MachinePolicy::Gate => "timing checks gate anyway (machine_mismatch = \"gate\")",
        };
        let bytes = if ctx.heap_bytes_comparable {
            "allocation checks apply"
        } else {
            "allocation counts apply, allocated bytes are not compared (third-party kernels \
             size scratch buffers from the CPU's caches)"
        };
        notes.push(format!(
            "DIFFERENT MACHINE: the baseline {baseline_file} was measured on {} ({}); {timing}; \
             {bytes}. Bless a baseline for this machine with `perfgate bless`.",
            baseline.fingerprint.describe(),
            ctx.differences.join("; ")
        ));
    }
    if let Some(rule) = ctx.single_run {
        let runs = match ctx.runs {
            1 => "a single run".to_string(),
            n => format!("{n} runs"),
        };
        let called = match rule.is_finite() {
            true => format!(
                "only a timing change beyond {} (single_run_change) and beyond its within-run \
                 noise is called a regression",
                describe_percent(Some(rule))
            ),
            false => {
                "no timing change is called a regression (single_run_change = \"off\")".to_string()
            }
        };
        notes.push(format!(
            "SINGLE-RUN RULE: the baseline {baseline_file} is {runs}: its run-to-run spread is \
             unknown, so {called}; bless from several runs (`perfgate bless`, 10 runs by \
             default) to catch smaller changes."
        ));
    }
    notes.extend(missing_note(
        benches,
        "not measured in this run but present in the baseline",
    ));
    notes
}

/// "`what`: a, b, c" for the benchmarks whose status is missing, when there are any.
pub(super) fn missing_note(benches: &[BenchmarkVerdict], what: &str) -> Option<String> {
    let missing: Vec<&str> = benches
        .iter()
        .filter(|b| b.status == Status::Missing)
        .map(|b| b.name.as_str())
        .collect();
    (!missing.is_empty()).then(|| format!("{what}: {}", missing.join(", ")))
}

/// One sentence on why a check has its status.
pub(super) fn explain(check: &Check, ctx: &Context) -> String {
    let name = metric_name(check.metric);
    let change = signed_percent(check.change);
    let limit = describe_percent(Some(check.limit));
    let Some(adjusted) = check.adjusted_change else {
        return format!("{name} {change} (limit {limit})");
    };
    let relative = if (adjusted - check.change).abs() >= 0.0005 {
        format!(
            " ({} against the rest of the suite)",
            signed_percent(adjusted)
        )
    } else {
        String::new()
    };
    let detectable = check.detectable.unwrap_or(f64::INFINITY);
    let could = match (check.detectable, ctx.single_run) {
        (Some(d), Some(_)) if d.is_finite() => format!(
            "single-run rule: baseline of {} run(s), a change must exceed ±{}",
            ctx.runs,
            describe_percent(Some((d * 1e3).round() / 1e3))
        ),
        (Some(d), None) => format!(
            "could detect ±{}",
            describe_percent(Some((d * 1e3).round() / 1e3))
        ),
        _ => "the baseline has too few runs: no run-to-run spread to test against".to_string(),
    };
    let p = check
        .p_adjusted
        .map_or(String::new(), |p| format!(", p_adj {p:.2e}"));
    match check.status {
        Status::Inconclusive if ctx.busy.is_some() && adjusted.abs() > detectable => {
            format!("{name} {change}{relative} (limit {limit}), but the machine was busy")
        }
        Status::Inconclusive if ctx.noisy.is_some() && adjusted.abs() > detectable => {
            format!("{name} {change}{relative} (limit {limit}), but the run was noisy")
        }
        Status::Inconclusive if !ctx.same_machine && adjusted.abs() > detectable => {
            format!(
                "{name} {change}{relative} (limit {limit}), but the baseline is from another machine"
            )
        }
        Status::Inconclusive => format!(
            "{name} {change}{relative} exceeds the {limit} limit, but run-to-run noise can explain \
             it ({could}{p})"
        ),
        _ => format!("{name} {change}{relative} (limit {limit}, {could}{p})"),
    }
}

fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::Allocs => "allocations",
        m => m.label(),
    }
}
