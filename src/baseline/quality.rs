//! Whether runs are good enough to become a baseline. A baseline blessed on a busy machine,
//! from runs that disagree, or weaker than the one it replaces makes every later verdict
//! wrong, so `bless` refuses such data (exit 2, `--force` overrides).

use super::BaselineFile;
use crate::results::busy_reason;
use crate::stats::run_factors;

/// Fewest runs a baseline needs for a run-to-run spread worth testing against.
pub const MIN_RUNS: usize = 3;

/// Largest spread (max − min) of the runs' shared speed factors, taken on P10 (the gated
/// statistic): beyond it the machine's speed changed between runs. On this repository's
/// 2-core VM, 10 quiet runs gave P10 factors within −2.5…+3.3% (P50 factors −12…+11%).
pub const MAX_FACTOR_RANGE: f64 = 0.05;

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
    let logs: Vec<Vec<f64>> = new
        .benchmarks
        .iter()
        .map(|b| {
            b.spread
                .p10
                .per_run_ns
                .iter()
                .map(|v| v.max(f64::MIN_POSITIVE).ln())
                .collect()
        })
        .collect();
    if let Some(factors) = run_factors(&logs) {
        let (lo, hi) = factors
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), f| {
                (lo.min(*f), hi.max(*f))
            });
        if (hi - lo).exp_m1() > MAX_FACTOR_RANGE {
            let shown: Vec<String> = factors
                .iter()
                .map(|f| format!("{:+.1}%", f.exp_m1() * 100.0))
                .collect();
            problems.push(format!(
                "the runs disagree: their shared speed factors are {} (a spread of {:.1}%, more \
                 than {:.0}%), so the machine's speed changed between runs",
                shown.join(" "),
                (hi - lo).exp_m1() * 100.0,
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
