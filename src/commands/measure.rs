//! Turning `MeasureArgs` into a validated `RunConfig` and the selected benchmarks, and
//! running them. Shared by `run` and `bless`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;

use crate::cli::MeasureArgs;
use crate::error::InputError;
use crate::results::{ResultsFile, ShardInfo};
use crate::runner::{Pin, RunConfig, resolve_pin, run_commands, run_suite};
use crate::suite::commands::{CommandBench, SUITE_FILE, load_suite};
use crate::suite::{self, Benchmark};

/// Validated measuring settings plus the benchmarks they select.
pub struct Plan {
    /// How to measure.
    pub config: RunConfig,
    /// What to measure (empty when a command suite is used).
    pub benches: Vec<Benchmark>,
    /// The shard of the selected suite that `benches` is (`--shard I/N`).
    pub shard: Option<ShardInfo>,
    /// The command benchmarks to measure, when a suite file is used.
    pub commands: Option<Vec<CommandBench>>,
}

/// The suite file to use: `--suite FILE`, else ./perfgate.toml when it exists, else none
/// (the built-in suite).
pub fn suite_file(arg: Option<&Path>) -> Option<PathBuf> {
    match arg {
        Some(path) => Some(path.to_path_buf()),
        None => Some(PathBuf::from(SUITE_FILE)).filter(|p| p.is_file()),
    }
}

/// The command benchmarks of the suite file in use, filtered (`None`: built-in suite).
pub fn command_benches(
    arg: Option<&Path>,
    filter: Option<&Regex>,
) -> Result<Option<Vec<CommandBench>>, InputError> {
    let Some(path) = suite_file(arg) else {
        return Ok(None);
    };
    let suite = load_suite(&path)?;
    let benches = suite
        .benches
        .into_iter()
        .filter(|b| filter.is_none_or(|re| re.is_match(&b.name)))
        .collect();
    Ok(Some(benches))
}

/// Parses `--filter`, if given.
pub fn filter_regex(filter: Option<&str>) -> Result<Option<Regex>, InputError> {
    filter
        .map(|f| Regex::new(f).map_err(|e| InputError::flag("--filter", e.to_string())))
        .transpose()
}

/// Validates the flags and selects the benchmarks (exit 2 when nothing matches); with
/// `--shard`, costs come from this machine's baseline under baselines/, if any.
pub fn plan(args: &MeasureArgs) -> Result<Plan, InputError> {
    plan_costed(args, None)
}

/// [`plan`], with the expected costs of `--shard` read from `baseline` (a name under
/// baselines/ or a path; `None`: this machine's baseline).
pub fn plan_costed(args: &MeasureArgs, baseline: Option<&str>) -> Result<Plan, InputError> {
    let shard = args.shard.as_deref().map(super::shard::parse).transpose()?;
    let (samples, warmup_ms, sample_ms) = match args.quick {
        true => (10, 100, 15),
        false => (40, 300, 30),
    };
    let samples = args.samples.unwrap_or(samples);
    if samples == 0 {
        return Err(InputError::flag("--samples", "must be at least 1"));
    }
    let sample_ms = args.sample_ms.unwrap_or(sample_ms);
    if sample_ms == 0 {
        return Err(InputError::flag("--sample-ms", "must be at least 1"));
    }
    let config = RunConfig {
        samples,
        warmup: Duration::from_millis(args.warmup_ms.unwrap_or(warmup_ms)),
        sample_target: Duration::from_millis(sample_ms),
        core: resolve_pin(Pin::parse(&args.pin)?)?,
        schedule: args.schedule,
        seed: args.seed,
    };
    let filter = filter_regex(args.filter.as_deref())?;
    let commands = command_benches(args.suite.as_deref(), filter.as_ref())?;
    let benches = match &commands {
        Some(_) => Vec::new(),
        None => suite::select(suite::builtin(), filter.as_ref()),
    };
    if let Some(file) = suite_file(args.suite.as_deref()) {
        eprintln!(
            "suite: {} (command benchmarks; one process run per sample)",
            file.display()
        );
    }
    if benches.is_empty() && commands.as_ref().is_none_or(|c| c.is_empty()) {
        return Err(InputError::flag(
            "--filter",
            format!(
                "{:?} matches no benchmark (see `perfgate list`)",
                args.filter.as_deref().unwrap_or_default()
            ),
        ));
    }
    if shard.is_some() && commands.is_some() {
        return Err(InputError::flag(
            "--shard",
            "sharding a command suite (perfgate.toml) is not supported yet; shard the built-in suite",
        ));
    }
    let (benches, shard) = match shard {
        Some(shard) => super::shard::select(benches, shard, &config, baseline)?,
        None => (benches, None),
    };
    Ok(Plan {
        config,
        benches,
        shard,
        commands,
    })
}

/// Runs the planned benchmarks.
pub fn measure(plan: &Plan) -> ResultsFile {
    let mut results = match &plan.commands {
        Some(commands) => run_commands(commands, &plan.config),
        None => run_suite(&plan.benches, &plan.config),
    };
    results.shard = plan.shard.clone();
    results
}
