//! Turning `MeasureArgs` into a validated `RunConfig` and the selected benchmarks, and
//! running them. Shared by `run` and `bless`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::ValueEnum;
use regex::Regex;

use crate::cli::MeasureArgs;
use crate::error::InputError;
use crate::results::{ResultsFile, ShardInfo, join_processes};
use crate::runner::{
    Pin, RunConfig, measure_in_fresh_process, resolve_pin, run_commands, run_suite,
};
use crate::suite::commands::{CommandBench, SUITE_FILE, load_suite};
use crate::suite::{self, Benchmark};
use crate::userbench;

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
    /// The bench binary whose benchmarks `benches` names (`--bench-bin`, `--cargo-bench`).
    pub bench_bin: Option<PathBuf>,
    /// Fresh processes the samples are split between (`--processes`; 1 for command suites).
    pub processes: u32,
    /// The measuring flags of a `perfgate run` in a fresh process that measures as this
    /// plan does (all but `--samples`, `--processes`, `--filter` and `--out`).
    pub fresh_flags: Vec<String>,
}

impl Plan {
    /// [`Plan::fresh_flags`] with `samples` samples split between `processes` processes.
    pub fn fresh_run_flags(&self, samples: u32, processes: u32) -> Vec<String> {
        let mut flags = self.fresh_flags.clone();
        flags.extend([
            "--samples".into(),
            samples.to_string(),
            "--processes".into(),
            processes.to_string(),
        ]);
        flags
    }
}

/// The bench binary of `--bench-bin PATH`, or of `--cargo-bench NAME` after building it.
pub fn bench_binary(
    bench_bin: Option<&Path>,
    cargo_bench: Option<&str>,
) -> anyhow::Result<Option<PathBuf>> {
    match (bench_bin, cargo_bench) {
        (Some(path), _) => {
            if !path.is_file() {
                return Err(InputError::flag(
                    "--bench-bin",
                    format!("{}: no such file", path.display()),
                )
                .into());
            }
            Ok(Some(path.to_path_buf()))
        }
        (None, Some(name)) => {
            eprintln!("building bench target {name} (cargo bench --no-run --bench {name})");
            Ok(Some(userbench::cargo::build_bench(
                Path::new("."),
                name,
                None,
            )?))
        }
        (None, None) => Ok(None),
    }
}

/// The benchmarks a bench binary serves, as suite entries (exit 2 when it does not start or
/// does not speak the worker protocol).
pub fn bench_bin_suite(bin: &Path) -> Result<Vec<Benchmark>, InputError> {
    let names = userbench::list(bin).map_err(|e| {
        InputError::flag(
            "--bench-bin",
            format!("{}: not a perfgate-bench bench binary: {e}", bin.display()),
        )
    })?;
    Ok(userbench::as_suite(&names))
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
pub fn plan(args: &MeasureArgs) -> anyhow::Result<Plan> {
    plan_costed(args, None)
}

/// [`plan`], with the expected costs of `--shard` read from `baseline` (a name under
/// baselines/ or a path; `None`: this machine's baseline).
pub fn plan_costed(args: &MeasureArgs, baseline: Option<&str>) -> anyhow::Result<Plan> {
    let shard = args.shard.as_deref().map(super::shard::parse).transpose()?;
    let (samples, warmup_ms, sample_ms) = match args.quick {
        true => (10, 100, 15),
        false => (40, 300, 30),
    };
    let samples = args.samples.unwrap_or(samples);
    if samples == 0 {
        return Err(InputError::flag("--samples", "must be at least 1").into());
    }
    let sample_ms = args.sample_ms.unwrap_or(sample_ms);
    if sample_ms == 0 {
        return Err(InputError::flag("--sample-ms", "must be at least 1").into());
    }
    let processes = match args.processes {
        Some(0) => return Err(InputError::flag("--processes", "must be at least 1").into()),
        Some(n) if n > samples => {
            return Err(InputError::flag(
                "--processes",
                format!("{n} processes for {samples} samples: each needs at least one"),
            )
            .into());
        }
        Some(n) => n,
        None => samples.min(if args.quick { 1 } else { 2 }),
    };
    let config = RunConfig {
        samples,
        warmup: Duration::from_millis(args.warmup_ms.unwrap_or(warmup_ms)),
        sample_target: Duration::from_millis(sample_ms),
        core: resolve_pin(Pin::parse(&args.pin)?)?,
        schedule: args.schedule,
        seed: args.seed,
    };
    let filter = filter_regex(args.filter.as_deref())?;
    let bench_bin = bench_binary(args.bench_bin.as_deref(), args.cargo_bench.as_deref())?;
    let commands = match bench_bin {
        Some(_) => None,
        None => command_benches(args.suite.as_deref(), filter.as_ref())?,
    };
    let benches = match (&commands, &bench_bin) {
        (Some(_), _) => Vec::new(),
        (None, Some(bin)) => suite::select(bench_bin_suite(bin)?, filter.as_ref()),
        (None, None) => suite::select(suite::builtin(), filter.as_ref()),
    };
    if let Some(file) = suite_file(args.suite.as_deref()).filter(|_| bench_bin.is_none()) {
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
        )
        .into());
    }
    if shard.is_some() && commands.is_some() {
        return Err(InputError::flag(
            "--shard",
            "sharding a command suite (perfgate.toml) is not supported yet; shard the built-in suite",
        )
        .into());
    }
    let (benches, shard) = match shard {
        Some(shard) => super::shard::select(benches, shard, &config, baseline)?,
        None => (benches, None),
    };
    let fresh_flags = fresh_flags(args, &config, bench_bin.as_deref());
    Ok(Plan {
        processes: if commands.is_some() { 1 } else { processes },
        config,
        benches,
        shard,
        commands,
        bench_bin,
        fresh_flags,
    })
}

/// The flags that make a `perfgate run` in a fresh process measure as `config` does.
fn fresh_flags(args: &MeasureArgs, config: &RunConfig, bench_bin: Option<&Path>) -> Vec<String> {
    let schedule = args
        .schedule
        .to_possible_value()
        .map_or("interleaved".to_string(), |v| v.get_name().to_string());
    let mut flags: Vec<String> = vec![
        "--warmup-ms".into(),
        config.warmup.as_millis().to_string(),
        "--sample-ms".into(),
        config.sample_target.as_millis().to_string(),
        "--pin".into(),
        args.pin.clone(),
        "--schedule".into(),
        schedule,
        "--seed".into(),
        config.seed.to_string(),
    ];
    if let Some(suite) = &args.suite {
        flags.extend(["--suite".into(), suite.display().to_string()]);
    }
    if let Some(bin) = bench_bin {
        flags.extend(["--bench-bin".into(), bin.display().to_string()]);
    }
    flags
}

/// Runs the planned benchmarks.
pub fn measure(plan: &Plan) -> anyhow::Result<ResultsFile> {
    let mut results = match (&plan.commands, &plan.bench_bin) {
        (Some(commands), _) => run_commands(commands, &plan.config),
        _ if plan.processes > 1 => measure_in_processes(plan)?,
        (None, Some(bin)) => {
            let names: Vec<String> = plan.benches.iter().map(|b| b.name.clone()).collect();
            userbench::run(bin, &names, &plan.config)?
        }
        (None, None) => run_suite(&plan.benches, &plan.config),
    };
    results.shard = plan.shard.clone();
    Ok(results)
}

/// Measures the plan's benchmarks in `plan.processes` fresh `perfgate run` processes, one
/// after the other, the samples split between them, and joins their runs. The children's
/// command lines hold only measuring flags and their stderr is captured, so they measure
/// alike whatever the user typed and wherever stderr goes (a terminal draws a progress bar:
/// other code, other allocations; docs/evaluation.md measured one invocation's flags moving
/// a benchmark by 50% in one process).
fn measure_in_processes(plan: &Plan) -> anyhow::Result<ResultsFile> {
    let exe = std::env::current_exe()?;
    let names: Vec<String> = plan.benches.iter().map(|b| b.name.clone()).collect();
    let dir = tempfile::Builder::new().prefix("perfgate-run-").tempdir()?;
    let (n, total) = (plan.processes, plan.config.samples);
    let mut parts = Vec::new();
    for i in 0..n {
        // 41 samples in 2 processes: 21 then 20.
        let samples = total / n + u32::from(i < total % n);
        eprintln!(
            "measuring in process {} of {n} ({samples} samples per benchmark)",
            i + 1
        );
        let out = dir.path().join(format!("process-{}.json", i + 1));
        parts.push(measure_in_fresh_process(
            &exe,
            &plan.fresh_run_flags(samples, 1),
            &names,
            &out,
        )?);
    }
    Ok(join_processes(parts)?)
}
