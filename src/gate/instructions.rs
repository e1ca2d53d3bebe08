//! Instruction checks: instructions per iteration of the candidate against an instruction
//! baseline. Deterministic like allocations — no sampling statistics: any change beyond the
//! limit (default 1%, which only has to absorb code-layout jitter) counts. They apply only
//! when the instruction fingerprints match; a mismatch skips them with a note naming the
//! fields that differ.

use super::decide::deterministic_check;
use super::input::{BaselineInput, Comparison};
use super::limits::describe_percent;
use super::summary::{finish, headline};
use super::{Limits, Thresholds};
use crate::error::InputError;
use crate::instructions::InstrBaseline;
use crate::output::units::signed_percent;
use crate::results::ResultsFile;
use crate::verdict::{
    BenchmarkVerdict, Check, Metric, Outcome, Side, Status, Verdict, headline_check,
};

/// The instruction checks of one comparison and the notes that go with them.
#[derive(Debug, Clone, PartialEq)]
pub struct InstrChecks {
    /// Per candidate benchmark with a count and a baseline count: its check.
    pub checks: Vec<(String, Check)>,
    /// Notes: fingerprint mismatch, no counts in the candidate.
    pub notes: Vec<String>,
}

/// The instruction check of one benchmark: change of instructions per iteration against
/// `limit`, decided like an allocation figure.
pub fn instruction_check(baseline: f64, candidate: f64, limit: f64) -> Check {
    deterministic_check(Metric::Instructions, baseline, candidate, limit)
}

/// Checks every counted benchmark of `candidate` against `baseline` (read from `file`).
pub fn instruction_checks(
    baseline: &InstrBaseline,
    file: &str,
    candidate: &ResultsFile,
    t: &Thresholds,
) -> Result<InstrChecks, InputError> {
    let mut out = InstrChecks {
        checks: Vec::new(),
        notes: Vec::new(),
    };
    let Some(run) = &candidate.instructions else {
        out.notes.push(format!(
            "no instruction counts in this run: the instruction baseline {file} was not used \
             (measure them with `--metric instructions` or `--metric all`)"
        ));
        return Ok(out);
    };
    let differences = baseline.fingerprint().differences(&run.fingerprint);
    if !differences.is_empty() {
        out.notes.push(format!(
            "DIFFERENT INSTRUCTION FINGERPRINT: instruction checks were skipped; the baseline \
             {file} was counted with another {}. Bless one here with `perfgate bless --metric \
             instructions`.",
            differences.join("; ")
        ));
        return Ok(out);
    }
    for cand in candidate.benchmarks.iter().filter(|b| b.error.is_none()) {
        let Some(x) = cand.instructions_per_iter else {
            continue;
        };
        let Some(base) = baseline.benchmarks.iter().find(|b| b.name == cand.name) else {
            continue;
        };
        let Some(limit) = t.for_benchmark(&cand.name)?.instructions else {
            continue;
        };
        out.checks.push((
            cand.name.clone(),
            instruction_check(base.instructions_per_iter, x, limit),
        ));
    }
    Ok(out)
}

/// The verdict of an instruction-only run (`--metric instructions`): per benchmark its
/// instruction check, failed, new (not in the baseline) or missing (not counted).
pub fn instruction_verdict(
    baseline: &InstrBaseline,
    file: &str,
    candidate: &ResultsFile,
    candidate_file: &str,
    t: &Thresholds,
) -> Result<Verdict, InputError> {
    let found = instruction_checks(baseline, file, candidate, t)?;
    let skipped = candidate.instructions.is_none() || !found.notes.is_empty();
    let mut benches = Vec::new();
    let mut limits = Vec::new();
    for cand in &candidate.benchmarks {
        let in_base = baseline.benchmarks.iter().any(|b| b.name == cand.name);
        let (status, message) = match &cand.error {
            Some(e) => (Status::Failed, Some(e.clone())),
            None if !in_base => (Status::New, None),
            None => (Status::Unchanged, None),
        };
        let checks: Vec<Check> = found
            .checks
            .iter()
            .filter(|(n, _)| *n == cand.name)
            .map(|(_, c)| c.clone())
            .collect();
        let mut bench = BenchmarkVerdict {
            name: cand.name.clone(),
            status,
            message,
            checks,
        };
        if bench.status == Status::Unchanged {
            (bench.status, bench.message) = status_of(&bench.checks);
        }
        benches.push(bench);
        limits.push(t.for_benchmark(&cand.name)?);
    }
    if !skipped {
        for base in &baseline.benchmarks {
            if !candidate.benchmarks.iter().any(|b| b.name == base.name) {
                benches.push(BenchmarkVerdict {
                    name: base.name.clone(),
                    status: Status::Missing,
                    message: Some("in the instruction baseline but not counted in this run".into()),
                    checks: Vec::new(),
                });
                limits.push(t.for_benchmark(&base.name)?);
            }
        }
    }
    let c = Comparison {
        baseline: BaselineInput::Missing { expected: file },
        candidate,
        candidate_file,
        thresholds: t,
    };
    let side = Side {
        file: file.to_string(),
        env: describe(baseline),
        git_commit: baseline.git_commit.clone(),
        runs: 1,
    };
    if skipped {
        // Nothing compared: every counted benchmark stands as new, nothing can fail but a
        // benchmark that errored.
        for b in &mut benches {
            if b.status != Status::Failed {
                b.status = Status::New;
            }
        }
    }
    let mut verdict = finish(&c, Some(side), found.notes, benches, &limits);
    verdict.thresholds.limits =
        format!("instructions {}", describe_percent(t.defaults.instructions));
    Ok(verdict)
}

/// How a benchmark the timing left inconclusive is labelled when its instruction count
/// decided it (`ab --metric all`).
pub const DECIDED_BY_COUNT: &str = "decided by the instruction count";

/// Adds instruction checks to a timing verdict (`--metric all`) and reads the two together:
/// a timing regression or improvement whose instruction count did not move is marked
/// "timing only (instructions unchanged)"; a timing regression whose count grew too says
/// so; an instruction regression alone shows the timing change beside it; a benchmark the
/// timing left inconclusive is decided by a count beyond the limit ([`DECIDED_BY_COUNT`]).
pub fn merge_instructions(verdict: &mut Verdict, found: InstrChecks, defaults: &Limits) {
    verdict.notes.extend(found.notes);
    for (name, check) in found.checks {
        let Some(bench) = verdict.benchmarks.iter_mut().find(|b| b.name == name) else {
            continue;
        };
        let timing = headline_check(&bench.checks).map(|c| c.change);
        let instr = format!(
            "instructions {} (limit {})",
            percent2(check.change),
            describe_percent(Some(check.limit))
        );
        let status = check.status;
        bench.checks.push(check);
        match (bench.status, status) {
            (Status::Regression | Status::Improvement, Status::Unchanged) => {
                const TIMING_ONLY: &str = "timing only (instructions unchanged)";
                bench.message = Some(match bench.message.take() {
                    Some(m) => format!("{m} — {TIMING_ONLY}"),
                    None => TIMING_ONLY.to_string(),
                });
            }
            (Status::Regression, Status::Regression) => {
                let m = bench.message.take().unwrap_or_default();
                bench.message = Some(format!("{m} — {instr} too"));
            }
            (Status::Failed | Status::Regression, _) => {}
            (Status::Inconclusive, Status::Regression | Status::Improvement) => {
                // Timing left it open; the count, deterministic, decides it.
                bench.status = status;
                let beside = timing.map_or(String::new(), |t| {
                    format!(
                        "; timing P50 {} (inconclusive) beside it",
                        signed_percent(t)
                    )
                });
                bench.message = Some(format!("{DECIDED_BY_COUNT}: {instr}{beside}"));
            }
            (Status::Inconclusive, Status::Unchanged) => {
                let m = bench.message.take().unwrap_or_default();
                bench.message = Some(format!("{m} — {instr}: unchanged"));
            }
            (_, Status::Regression) => {
                bench.status = Status::Regression;
                let beside = timing.map_or(String::new(), |t| {
                    format!("; timing P50 {} beside it", signed_percent(t))
                });
                bench.message = Some(format!("{instr}{beside}"));
            }
            (Status::Unchanged, Status::Improvement) => {
                bench.status = Status::Improvement;
                bench.message = Some(instr);
            }
            _ => {}
        }
    }
    if verdict
        .benchmarks
        .iter()
        .any(|b| b.status == Status::Regression)
    {
        verdict.verdict = Outcome::Fail;
    }
    verdict.headline = headline(&verdict.benchmarks, verdict.baseline.is_some());
    verdict.thresholds.limits = format!(
        "{}, instructions {}",
        verdict.thresholds.limits,
        describe_percent(defaults.instructions)
    );
}

/// A benchmark's status from its instruction check, with the sentence explaining it.
fn status_of(checks: &[Check]) -> (Status, Option<String>) {
    for status in [Status::Regression, Status::Improvement] {
        if let Some(c) = checks.iter().find(|c| c.status == status) {
            let msg = format!(
                "instructions {} (limit {})",
                percent2(c.change),
                describe_percent(Some(c.limit))
            );
            return (status, Some(msg));
        }
    }
    (Status::Unchanged, None)
}

/// A change with two decimals, "+1.50%": instruction changes are small and exact.
fn percent2(fraction: f64) -> String {
    format!("{:+.2}%", fraction * 100.0)
}

/// "instructions: linux x86_64, valgrind-3.19.0, rustc …" for the baseline side.
fn describe(b: &InstrBaseline) -> String {
    let f = b.fingerprint();
    format!("instructions: {}, {}, {}", f.os_arch, f.valgrind, f.rustc)
}

#[cfg(test)]
mod tests;
