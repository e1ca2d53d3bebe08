//! `perfgate ab`: resolve both binaries, run them as workers side by side, write the raw
//! paired results, gate the change and print the verdict like `compare`.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::cli::AbCommand;
use crate::error::InputError;
use crate::gate::gate_ab;
use crate::results::write_json_atomic;
use crate::runner::{Pin, resolve_pin};
use crate::worker::{AbBinaries, AbConfig, ReplyTimeout, run_ab};

use super::ab_build::{base_binary, default_base};
use super::compare::{emit, load_thresholds};
use super::measure::filter_regex;

/// Runs `perfgate ab`.
pub fn run(cmd: AbCommand) -> anyhow::Result<i32> {
    if cmd.base_bin.is_none()
        && cmd.head_bin.is_none()
        && let Some(suite) = super::measure::suite_file(cmd.suite.as_deref())
    {
        return super::ab_suite::run(&cmd, &suite);
    }
    if cmd.base_dir.is_some() {
        return Err(InputError::flag(
            "--base-dir",
            "only for command suites (--suite FILE or ./perfgate.toml)",
        )
        .into());
    }
    let config = config(&cmd)?;
    let thresholds = load_thresholds(&cmd.gate.thresholds)?;
    let here = std::env::current_dir()?;
    let head = match &cmd.head_bin {
        Some(p) => existing(p, "--head-bin")?,
        None => std::env::current_exe().context("cannot find the running perfgate binary")?,
    };
    let (base, base_commit) = match (&cmd.base_bin, &cmd.base) {
        (Some(p), _) => (existing(p, "--base-bin")?, None),
        (None, rev) => {
            let rev = match rev {
                Some(r) => r.clone(),
                None => default_base(&here)?,
            };
            let (bin, sha) = base_binary(&here, &rev)?;
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
    let verdict = gate_ab(&results, &thresholds)?;
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

/// Validates the measuring flags.
pub(super) fn config(cmd: &AbCommand) -> Result<AbConfig, InputError> {
    let (rounds, samples, sample_ms, warmup_ms, rewarm_ms) = match cmd.quick {
        true => (12, 2, 5, 50, 2),
        false => (20, 3, 10, 200, 5),
    };
    let positive = |v: Option<u64>, default: u64, flag: &str| match v.unwrap_or(default) {
        0 => Err(InputError::flag(flag, "must be at least 1")),
        n => Ok(n),
    };
    let rounds = positive(cmd.rounds.map(u64::from), rounds, "--rounds")? as u32;
    let samples = positive(cmd.samples.map(u64::from), samples, "--samples")? as u32;
    let sample_ms = positive(cmd.sample_ms, sample_ms, "--sample-ms")?;
    let time_budget = cmd
        .time_budget
        .map(|s| match Duration::try_from_secs_f64(s) {
            Ok(d) if s > 0.0 => Ok(d),
            _ => Err(InputError::flag(
                "--time-budget",
                "must be a positive number of seconds",
            )),
        })
        .transpose()?;
    let reply_timeout = match cmd.worker_timeout {
        None => ReplyTimeout::Derived,
        Some(s) => match Duration::try_from_secs_f64(s) {
            Ok(d) if s > 0.0 => ReplyTimeout::Fixed(d),
            _ => {
                return Err(InputError::flag(
                    "--worker-timeout",
                    "must be a positive number of seconds",
                ));
            }
        },
    };
    let filter = filter_regex(cmd.filter.as_deref())?;
    Ok(AbConfig {
        rounds,
        samples_per_visit: samples,
        warmup: Duration::from_millis(cmd.warmup_ms.unwrap_or(warmup_ms)),
        rewarm: Duration::from_millis(rewarm_ms),
        sample_target: Duration::from_millis(sample_ms),
        seed: cmd.seed,
        core: resolve_pin(Pin::parse(&cmd.pin)?)?,
        time_budget,
        filter,
        reply_timeout,
    })
}
