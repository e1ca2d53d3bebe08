//! `perfgate bless`: write baselines/NAME.json from K fresh runs or from results files.

use std::path::Path;

use crate::baseline::{
    BASELINE_SCHEMA, bless_problems, bless_warnings, blessed_runs, counts_only, from_runs,
    load_baseline, parse_baseline, span_s, write_baseline,
};
use crate::cli::{BlessCommand, MetricChoice};
use crate::error::{EXIT_PASS, InputError};
use crate::output::{bless_table, stdout};
use crate::results::{ResultsFile, parse_results, schema_of};

use super::measure;

/// Runs `perfgate bless`. Inputs are validated (and runs measured) before anything is
/// written; the baseline file is replaced atomically.
pub fn run(cmd: BlessCommand) -> anyhow::Result<i32> {
    if let Some(name) = &cmd.name {
        check_name(name)?;
    }
    if cmd.instr.metric == MetricChoice::Instructions {
        return super::instructions::bless(&cmd, cmd.name.as_deref());
    }
    let from_files = !cmd.from.is_empty();
    let runs: Vec<(String, ResultsFile)> = if from_files {
        let mut runs = Vec::new();
        for path in &cmd.from {
            runs.extend(runs_of(path)?);
        }
        runs
    } else {
        if cmd.runs == 0 {
            return Err(InputError::flag("--runs", "must be at least 1").into());
        }
        let plan = measure::plan(&cmd.measure)?;
        if let Some(shard) = &plan.shard {
            eprintln!(
                "warning: --shard {}/{}: this baseline will hold only the shard's benchmarks; \
                 to bless a sharded suite, merge each run's shards (`perfgate merge`) and \
                 bless --from the merged files",
                shard.index, shard.count
            );
        }
        (1..=cmd.runs)
            .map(|i| {
                eprintln!("bless: run {i} of {}", cmd.runs);
                Ok(("-".to_string(), measure::measure(&plan)?))
            })
            .collect::<anyhow::Result<_>>()?
    };
    // Instruction-only files (`run --metric instructions --out`) make an instruction
    // baseline: that is what they hold, whether or not `--metric instructions` was given.
    if from_files && runs.iter().all(|(_, r)| counts_only(r)) {
        eprintln!(
            "bless: the --from files hold instruction counts only: blessing an instruction baseline"
        );
        return super::instructions::bless(&cmd, cmd.name.as_deref());
    }
    let flag = if from_files { "--from" } else { "--runs" };
    let (baseline, warnings) =
        from_runs(&runs, cmd.force).map_err(|e| InputError::flag(flag, e.to_string()))?;
    for w in warnings.iter().chain(&bless_warnings(&baseline)) {
        eprintln!("warning: {w}");
    }
    let name = cmd
        .name
        .clone()
        .unwrap_or_else(|| baseline.fingerprint.slug());
    let path = cmd.dir.join(format!("{name}.json"));
    let old = match path.exists() {
        true => match load_baseline(&path) {
            Ok(old) => Some(old),
            Err(e) => {
                eprintln!("warning: replacing an unreadable baseline: {e}");
                None
            }
        },
        false => None,
    };
    let problems = bless_problems(&baseline, old.as_ref());
    if !problems.is_empty() {
        let listed = problems.join("; ");
        if !cmd.force {
            let reason = format!(
                "refusing to bless {}: {listed} (--force blesses anyway)",
                path.display()
            );
            return Err(InputError::flag(flag, reason).into());
        }
        eprintln!("warning: blessing despite: {listed} (--force)");
    }
    write_baseline(&path, &baseline)?;
    stdout::print(&bless_table::render(old.as_ref(), &baseline))?;
    let over = span_s(&baseline).map_or(String::new(), |s| match s {
        s if s >= 5400 => format!(", measured over {:.1} hours", s as f64 / 3600.0),
        s => format!(", measured within {} minute(s)", (s + 59) / 60),
    });
    eprintln!(
        "blessed {} from {} run(s) of {}{over}",
        path.display(),
        runs.len(),
        baseline.fingerprint.describe()
    );
    if cmd.instr.metric == MetricChoice::All {
        return super::instructions::bless(&cmd, None);
    }
    Ok(EXIT_PASS)
}

/// The runs a `--from` file holds: one results file, or every blessed run of a baseline
/// (`perfgate.baseline.v1`), so a baseline can be extended with runs measured later.
fn runs_of(path: &Path) -> Result<Vec<(String, ResultsFile)>, InputError> {
    let bytes = crate::error::read_file(path)?;
    let file = path.display().to_string();
    match schema_of(&bytes).as_deref() {
        Some(BASELINE_SCHEMA) => Ok(blessed_runs(&parse_baseline(&bytes, path)?, &file)),
        _ => Ok(vec![(file, parse_results(&bytes, path)?)]),
    }
}

/// A baseline name is a file stem: letters, digits, '.', '_' and '-'.
fn check_name(name: &str) -> Result<(), InputError> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    match ok {
        true => Ok(()),
        false => Err(InputError::flag(
            "--name",
            format!("{name:?} is not a valid baseline name (use letters, digits, '.', '_', '-')"),
        )),
    }
}
