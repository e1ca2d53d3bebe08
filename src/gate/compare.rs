//! The whole comparison: every benchmark of a candidate run against a baseline, one
//! Holm–Bonferroni family over all tests, policies applied, a [`Verdict`] out.

use std::collections::{HashMap, HashSet};

use super::decide::{TimingEvidence, alloc_change, decide_alloc, decide_timing};
use super::noise::{noise_margin, prediction_half_width};
use super::parallel::map_in_parallel;
use super::summary::{finish, notes_for};
use super::{Limits, MachinePolicy, Thresholds};
use crate::baseline::{BaselineBenchmark, BaselineFile, Fingerprint};
use crate::error::InputError;
use crate::results::{BenchmarkResult, ResultsFile};
use crate::stats::{Sample, bootstrap_change_ci, holm_adjust, mann_whitney_u, percentile};
use crate::verdict::{BenchmarkVerdict, Check, Metric, Side, Status, Verdict};

/// The baseline side of a comparison.
#[derive(Debug, Clone, Copy)]
pub enum BaselineInput<'a> {
    /// A loaded baseline and the file it came from.
    Loaded {
        /// The baseline.
        baseline: &'a BaselineFile,
        /// Its file, as shown to people.
        file: &'a str,
    },
    /// No baseline exists yet; `expected` is the file that was looked for.
    Missing {
        /// The path a baseline for this machine would have.
        expected: &'a str,
    },
}

/// One comparison to make.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    /// The baseline, or the fact that there is none.
    pub baseline: BaselineInput<'a>,
    /// The candidate run.
    pub candidate: &'a ResultsFile,
    /// The candidate's file ("-" for a fresh run not written to disk).
    pub candidate_file: &'a str,
    /// The thresholds to apply.
    pub thresholds: &'a Thresholds,
}

/// A timing check waiting for its Holm-adjusted p-value.
struct Pending {
    bench: usize,
    check: usize,
    test: usize,
    noise: f64,
}

const TIMING: [(Metric, f64); 3] = [
    (Metric::P50, 0.50),
    (Metric::P95, 0.95),
    (Metric::P99, 0.99),
];

/// Compares the candidate against the baseline; errors only for thresholds that cannot be
/// resolved (conflicting rules).
pub fn compare(c: &Comparison) -> Result<Verdict, InputError> {
    let t = c.thresholds;
    let (baseline, baseline_file) = match c.baseline {
        BaselineInput::Loaded { baseline, file } => (baseline, file),
        BaselineInput::Missing { expected } => return Ok(no_baseline(c, expected)),
    };
    let cand_fp = Fingerprint::of(&c.candidate.env);
    let same_machine = cand_fp == baseline.fingerprint;
    let timing_on = same_machine || t.machine_mismatch != MachinePolicy::Skip;
    let mut benches = Vec::new();
    let mut limits_of = Vec::new();
    let mut p_values = Vec::new();
    let mut pending = Vec::new();
    // By name, not `iter().find` per benchmark: suites of thousands (sharded) stay linear.
    let by_name: HashMap<&str, &BaselineBenchmark> = baseline
        .benchmarks
        .iter()
        .map(|b| (b.name.as_str(), b))
        .collect();
    let all_limits = c
        .candidate
        .benchmarks
        .iter()
        .map(|b| t.for_benchmark(&b.name))
        .collect::<Result<Vec<_>, _>>()?;
    // The bootstrap intervals dominate the cost (2000 resamples per check): computed on
    // all cores; each check has its own seed, so the result is the same as in sequence.
    let mut all_timing = map_in_parallel(&c.candidate.benchmarks, |i, cand| {
        match (by_name.get(cand.name.as_str()), &cand.error) {
            (Some(base), None) if timing_on => timing_checks(t, &all_limits[i], base, cand),
            _ => Vec::new(),
        }
    });
    for (i, cand) in c.candidate.benchmarks.iter().enumerate() {
        let limits = all_limits[i];
        let base = by_name.get(cand.name.as_str()).copied();
        let bench = match (base, &cand.error) {
            (_, Some(error)) => status_only(&cand.name, Status::Failed, Some(error.clone())),
            (None, None) => status_only(&cand.name, Status::New, None),
            (Some(base), None) => {
                let index = benches.len();
                let mut checks = Vec::new();
                if timing_on {
                    let timing = std::mem::take(&mut all_timing[i]);
                    if !timing.is_empty() {
                        for (check, noise) in timing {
                            let test = p_values.len();
                            pending.push(Pending {
                                bench: index,
                                check: checks.len(),
                                test,
                                noise,
                            });
                            checks.push(check);
                        }
                        let base_s = Sample::new(base.samples_ns.concat()).expect("validated");
                        let cand_s = Sample::new(cand.samples_ns.clone()).expect("validated");
                        p_values.push(mann_whitney_u(&base_s, &cand_s).p_value);
                    }
                }
                checks.extend(alloc_checks(&limits, base, cand));
                BenchmarkVerdict {
                    name: cand.name.clone(),
                    status: Status::Unchanged,
                    message: None,
                    checks,
                }
            }
        };
        benches.push(bench);
        limits_of.push(limits);
    }
    let adjusted = holm_adjust(&p_values);
    for p in &pending {
        let check = &mut benches[p.bench].checks[p.check];
        check.p_value = Some(p_values[p.test]);
        check.p_adjusted = Some(adjusted[p.test]);
        let evidence = TimingEvidence {
            change: check.change,
            noise: p.noise,
            limit: check.limit,
            p_adjusted: adjusted[p.test],
            alpha: t.alpha,
        };
        check.detectable = Some(evidence.detectable());
        check.status = decide_timing(&evidence);
        let decided = matches!(check.status, Status::Regression | Status::Improvement);
        if decided && !same_machine && t.machine_mismatch == MachinePolicy::Warn {
            check.status = Status::Inconclusive;
        }
    }
    for bench in &mut benches {
        if bench.status == Status::Unchanged {
            (bench.status, bench.message) = overall(&bench.checks, same_machine);
        }
    }
    let measured: HashSet<&str> = c
        .candidate
        .benchmarks
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    for base in &baseline.benchmarks {
        if !measured.contains(base.name.as_str()) {
            benches.push(status_only(
                &base.name,
                Status::Missing,
                Some("in the baseline but not measured in this run".into()),
            ));
            limits_of.push(t.for_benchmark(&base.name)?);
        }
    }
    let notes = notes_for(baseline, baseline_file, &cand_fp, t, &benches);
    let side = Side {
        file: baseline_file.to_string(),
        env: baseline.fingerprint.describe(),
        git_commit: baseline.runs.last().and_then(|r| r.env.git_commit.clone()),
        runs: baseline.runs.len(),
    };
    Ok(finish(c, Some(side), notes, benches, &limits_of))
}

fn status_only(name: &str, status: Status, message: Option<String>) -> BenchmarkVerdict {
    BenchmarkVerdict {
        name: name.to_string(),
        status,
        message,
        checks: Vec::new(),
    }
}

/// The timing checks of one benchmark, each with the noise margin that applies to it;
/// status and p-values are filled in once every test of the comparison is known.
fn timing_checks(
    t: &Thresholds,
    limits: &Limits,
    base: &BaselineBenchmark,
    cand: &BenchmarkResult,
) -> Vec<(Check, f64)> {
    let base_s = Sample::new(base.samples_ns.concat()).expect("validated on load");
    let cand_s = Sample::new(cand.samples_ns.clone()).expect("validated on load");
    let spreads = [&base.spread.p50, &base.spread.p95, &base.spread.p99];
    let wanted = [limits.p50, limits.p95, limits.p99];
    let mut out = Vec::new();
    for (((metric, q), spread), limit) in TIMING.into_iter().zip(spreads).zip(wanted) {
        let Some(limit) = limit else { continue };
        let (b, x) = (percentile(&base_s, q), percentile(&cand_s, q));
        if b <= 0.0 {
            continue;
        }
        let seed = t.seed ^ name_hash(&cand.name, metric);
        let ci = bootstrap_change_ci(&base_s, &cand_s, q, t.bootstrap_resamples, 0.95, seed).ok();
        let noise = noise_margin(
            prediction_half_width(&spread.per_run_ns),
            ci,
            limits.noise_floor,
        );
        out.push((
            Check {
                metric,
                baseline: b,
                candidate: x,
                change: x / b - 1.0,
                ci_low: ci.map(|c| c.low),
                ci_high: ci.map(|c| c.high),
                p_value: None,
                p_adjusted: None,
                limit,
                detectable: None,
                status: Status::Unchanged,
            },
            noise,
        ));
    }
    out
}

fn alloc_checks(limits: &Limits, base: &BaselineBenchmark, cand: &BenchmarkResult) -> Vec<Check> {
    let figures = [
        (
            Metric::AllocBytes,
            limits.alloc_bytes,
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
        .filter_map(|(metric, limit, b, x)| {
            let (limit, b, x) = (limit?, b?, x?);
            let change = alloc_change(b, x);
            Some(Check {
                metric,
                baseline: b,
                candidate: x,
                change,
                ci_low: None,
                ci_high: None,
                p_value: None,
                p_adjusted: None,
                limit,
                detectable: None,
                status: decide_alloc(change, limit),
            })
        })
        .collect()
}

/// A benchmark's status from its checks (regression, then improvement, then inconclusive),
/// with a sentence explaining the deciding check.
fn overall(checks: &[Check], same_machine: bool) -> (Status, Option<String>) {
    let order = [
        Status::Regression,
        Status::Improvement,
        Status::Inconclusive,
    ];
    for status in order {
        if let Some(check) = checks.iter().find(|c| c.status == status) {
            return (status, Some(super::summary::explain(check, same_machine)));
        }
    }
    (Status::Unchanged, None)
}

/// FNV-1a of the benchmark name and metric: a per-check bootstrap seed that does not
/// depend on the order of benchmarks.
fn name_hash(name: &str, metric: Metric) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain([0, metric as u8]) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
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
