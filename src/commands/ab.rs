//! `perfgate ab`: resolve both binaries, run them as workers side by side, write the raw
//! paired results, gate the change and print the verdict like `compare`.

use std::path::Path;

use anyhow::Context;

use crate::cli::{AbCommand, MetricChoice};
use crate::error::InputError;
use crate::gate::gate_ab;
use crate::results::write_json_atomic;
use crate::worker::{AbBinaries, run_ab};

use super::ab_build::{base_bench_binary, base_binary, default_base};
use super::ab_config::config;
use super::ab_instructions;
use super::verdict_out::{emit, load_thresholds};

/// Runs `perfgate ab`.
pub fn run(cmd: AbCommand) -> anyhow::Result<i32> {
    if cmd.base_bin.is_none()
        && cmd.head_bin.is_none()
        && cmd.cargo_bench.is_none()
        && let Some(suite) = super::measure::suite_file(cmd.suite.as_deref())
    {
        if cmd.metric != MetricChoice::Time {
            return Err(InputError::flag(
                "--metric",
                format!("a command suite ({}) is timed only", suite.display()),
            )
            .into());
        }
        return super::ab_suite::run(&cmd, &suite);
    }
    if cmd.base_dir.is_some() {
        return Err(InputError::flag(
            "--base-dir",
            "only for command suites (--suite FILE or ./perfgate.toml)",
        )
        .into());
    }
    let thresholds = load_thresholds(&cmd.gate.thresholds)?;
    let config = config(&cmd, &thresholds)?;
    if cmd.metric == MetricChoice::Instructions && cmd.results_out.is_some() {
        return Err(InputError::flag(
            "--results-out",
            "holds paired timing rounds: not with --metric instructions",
        )
        .into());
    }
    if cmd.metric != MetricChoice::Time {
        // Before any round is spent.
        crate::instructions::valgrind_version()?;
    }
    let here = std::env::current_dir()?;
    let head = match (&cmd.head_bin, &cmd.cargo_bench) {
        (Some(p), _) => existing(p, "--head-bin")?,
        (None, Some(name)) => crate::userbench::cargo::build_bench(&here, name, None)?,
        (None, None) => {
            std::env::current_exe().context("cannot find the running perfgate binary")?
        }
    };
    let (base, base_commit) = match (&cmd.base_bin, &cmd.base) {
        (Some(p), _) => (existing(p, "--base-bin")?, None),
        (None, rev) => {
            let rev = match rev {
                Some(r) => r.clone(),
                None => default_base(&here)?,
            };
            let (bin, sha) = match &cmd.cargo_bench {
                Some(name) => base_bench_binary(&here, &rev, name)?,
                None => base_binary(&here, &rev)?,
            };
            (bin, Some(sha))
        }
    };
    let head_commit = match cmd.head_bin {
        None => crate::runner::env::collect().git_commit,
        Some(_) => None,
    };
    let bins = AbBinaries {
        base,
        head,
        base_commit,
        head_commit,
    };
    if cmd.metric == MetricChoice::Instructions {
        let verdict =
            ab_instructions::verdict(&bins, cmd.filter.as_deref(), cmd.seed, &thresholds)?;
        return emit(verdict, &cmd.gate, cmd.out.as_deref());
    }
    let results = run_ab(&config, &bins, |line| eprintln!("{line}"))
        .map_err(|(side, e)| anyhow::anyhow!("{side}: {e}"))?;
    if results.benchmarks.is_empty() {
        return Err(InputError::flag(
            "--filter",
            format!(
                "{:?} matches no benchmark of either side (see `perfgate list`)",
                cmd.filter.as_deref().unwrap_or_default()
            ),
        )
        .into());
    }
    if let Some(path) = &cmd.results_out {
        write_json_atomic(path, &results)?;
        eprintln!("A/B results written to {}", path.display());
    }
    let mut verdict = gate_ab(&results, &thresholds)?;
    if cmd.metric == MetricChoice::All
        && let Err(e) = ab_instructions::explain_flags(&mut verdict, &bins, cmd.seed, &thresholds)
    {
        verdict.notes.push(format!(
            "--metric all: the flags could not be counted: {e:#}"
        ));
    }
    emit(verdict, &cmd.gate, cmd.out.as_deref())
}

fn existing(path: &Path, flag: &str) -> Result<std::path::PathBuf, InputError> {
    if path.is_file() {
        Ok(path.to_path_buf())
    } else {
        Err(InputError::flag(
            flag,
            format!("{} is not a file", path.display()),
        ))
    }
}
