//! Whether runs are good enough to become a baseline. A baseline blessed on a busy machine,
//! from runs of one sitting that disagree, or weaker than the one it replaces makes every
//! later verdict wrong, so `bless` refuses such data (exit 2, `--force` overrides); a
//! baseline of one sitting gets a warning (it cannot hold the host's drift over hours).

use super::BaselineFile;
use crate::results::busy_reason;
use crate::stats::run_factors;

/// Fewest runs a baseline needs for a run-to-run spread worth testing against.
pub const MIN_RUNS: usize = 3;

/// Largest spread (max − min) of the runs' shared speed factors, taken on P10 (the gated
/// statistic): beyond it the machine's speed changed between runs. On this repository's
/// 2-core VM, 10 quiet runs gave P10 factors within −2.5…+3.3% (P50 factors −12…+11%).
pub const MAX_FACTOR_RANGE: f64 = 0.05;

/// Runs taken within this many seconds of each other are one sitting. On the 2-core VM a
/// benchmark's speed against the rest of the suite held for an hour or more at a time
/// (model/small/generate +6.5% in five runs at 13:58 and 0% at 14:33, docs/evaluation.md).
pub const ONE_SITTING_S: i64 = 3600;

/// Seconds between the first and the last run (by `env.timestamp`); `None` when a run has
/// no readable timestamp.
pub fn span_s(new: &BaselineFile) -> Option<i64> {
    let times: Option<Vec<i64>> = new
        .runs
        .iter()
        .map(|r| {
            chrono::DateTime::parse_from_rfc3339(&r.env.timestamp)
                .ok()
                .map(|t| t.timestamp())
        })
        .collect();
    let times = times?;
    Some(times.iter().max()? - times.iter().min()?)
}

/// True when the runs span at least [`ONE_SITTING_S`]: several sittings.
fn sittings(new: &BaselineFile) -> bool {
    span_s(new).is_some_and(|s| s >= ONE_SITTING_S)
}

/// What `bless` should say about `new` without refusing it: a baseline of one sitting
/// (it judges later runs by a spread that misses the host's drift over hours), and a
/// factor spread beyond [`MAX_FACTOR_RANGE`] across sittings (expected, and kept).
pub fn bless_warnings(new: &BaselineFile) -> Vec<String> {
    let mut warnings = Vec::new();
    match span_s(new) {
        Some(s) if s < ONE_SITTING_S && new.runs.len() >= MIN_RUNS => warnings.push(format!(
            "the {} runs were measured within {} minute(s), one sitting: on a shared host a \
             benchmark's speed drifts over hours, which they cannot show, so later runs can \
             fail on drift; add runs from other times with `perfgate bless --from \
             baselines/NAME.json LATER.json…`",
            new.runs.len(),
            (s + 59) / 60
        )),
        Some(_) => {
            if let Some(range) = factor_range(new).filter(|r| *r > MAX_FACTOR_RANGE) {
                warnings.push(format!(
                    "the runs' shared speed factors spread by {:.1}% across {:.1} hours: the \
                     baseline holds that drift (judging a run, each run's factor is divided \
                     out; only the suite-wide test uses it)",
                    range * 100.0,
                    span_s(new).unwrap_or(0) as f64 / 3600.0
                ));
            }
        }
        None => {}
    }
    warnings
}

/// Spread (max/min − 1) of the runs' shared P10 speed factors, `None` without factors.
fn factor_range(new: &BaselineFile) -> Option<f64> {
    run_factors(&p10_logs(new)).map(|f| range(&f))
}

/// max/min − 1 of log factors.
fn range(log_factors: &[f64]) -> f64 {
    let (lo, hi) = log_factors
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), f| {
            (lo.min(*f), hi.max(*f))
        });
    (hi - lo).exp_m1()
}

/// Per benchmark, the log P10 of each run.
fn p10_logs(new: &BaselineFile) -> Vec<Vec<f64>> {
    new.benchmarks
        .iter()
        .map(|b| {
            b.spread
                .p10
                .per_run_ns
                .iter()
                .map(|v| v.max(f64::MIN_POSITIVE).ln())
                .collect()
        })
        .collect()
}

/// Everything wrong with blessing `new` in place of `old`; empty when it is fine.
pub fn bless_problems(new: &BaselineFile, old: Option<&BaselineFile>) -> Vec<String> {
    let mut problems = Vec::new();
    let k = new.runs.len();
    for (i, run) in new.runs.iter().enumerate() {
        if let Some(reason) = busy_reason(run.env.load.as_ref(), run.env.logical_cores) {
            problems.push(format!(
                "run {} of {k} was measured on a busy machine: {reason}",
                i + 1
            ));
        }
    }
    if k < MIN_RUNS {
        problems.push(format!(
            "{k} run(s) cannot show the run-to-run spread; bless at least {MIN_RUNS} (10 by default)"
        ));
    }
    // Across sittings the machine's speed is expected to move: that is kept (a warning).
    if let Some(factors) = run_factors(&p10_logs(new)).filter(|_| !sittings(new)) {
        let spread = range(&factors);
        if spread > MAX_FACTOR_RANGE {
            let shown: Vec<String> = factors
                .iter()
                .map(|f| format!("{:+.1}%", f.exp_m1() * 100.0))
                .collect();
            problems.push(format!(
                "the runs disagree: their shared speed factors are {} (a spread of {:.1}%, more \
                 than {:.0}%), so the machine's speed changed between runs of one sitting",
                shown.join(" "),
                spread * 100.0,
                MAX_FACTOR_RANGE * 100.0
            ));
        }
    }
    if let Some(old) = old {
        let samples = |b: &BaselineFile| {
            b.runs
                .iter()
                .filter_map(|r| r.settings.as_ref())
                .map(|s| s.samples)
                .min()
        };
        let weaker_runs = k < old.runs.len();
        let weaker_samples = matches!((samples(new), samples(old)), (Some(n), Some(o)) if n < o);
        if weaker_runs || weaker_samples {
            let describe = |b: &BaselineFile| match samples(b) {
                Some(s) => format!("{} runs × {s} samples", b.runs.len()),
                None => format!("{} runs", b.runs.len()),
            };
            problems.push(format!(
                "it would replace a stronger baseline ({}) with {}",
                describe(old),
                describe(new)
            ));
        }
    }
    problems
}
