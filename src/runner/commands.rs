//! Measuring a command suite (perfgate.toml): every sample is one run of the command as a
//! process. Same schedule (interleaved rounds), pinning and progress as the built-in suite;
//! the pinned core is inherited by every process spawned.

use crate::results::{BenchmarkResult, ProcessMetrics, RESULTS_SCHEMA, ResultsFile, RunSettings};
use crate::stats::{Sample, Summary};
use crate::suite::commands::CommandBench;

use super::process::{Launch, ProcessRun, RunFailure, run_process};
use super::progress::Progress;
use super::{RunConfig, TimerCost, env, pin, plan};

/// What one command benchmark has measured so far.
#[derive(Default)]
pub(super) struct State {
    /// Set-up and warm-up are done.
    pub(super) started: bool,
    /// The timed runs so far.
    pub(super) runs: Vec<ProcessRun>,
    /// Why it failed.
    pub(super) error: Option<String>,
}

/// Runs the command benchmarks and returns the results, one entry per benchmark in order.
/// `config.warmup` and `config.sample_target` do not apply (each bench's `warmup_runs`
/// does; a sample is one run). A failing or timed-out command is recorded as failed with
/// its cause; the others still run.
pub fn run_commands(benches: &[CommandBench], config: &RunConfig) -> ResultsFile {
    let mut env = env::collect();
    env.pinned_cores = pin_here(config.core);
    let monitor = super::load::LoadMonitor::start();
    let timer = TimerCost::measure();
    let mut states: Vec<State> = benches.iter().map(|_| State::default()).collect();
    let visits = plan(benches.len(), config.samples, config.schedule, config.seed);
    let mut progress = Progress::new(u64::from(config.samples) * benches.len() as u64);
    for visit in visits {
        let (bench, state) = (&benches[visit.bench], &mut states[visit.bench]);
        if state.error.is_none()
            && let Err(e) = take_samples(bench, state, visit.samples)
        {
            state.error = Some(e);
        }
        progress.advance(&bench.name, u64::from(visit.samples));
    }
    progress.finish();
    env.load = monitor.finish(env.logical_cores);
    for (bench, state) in benches.iter().zip(&mut states) {
        if let (true, Some(cleanup)) = (state.started, &bench.cleanup)
            && let Err(e) = hook(bench, "cleanup", cleanup)
            && state.error.is_none()
        {
            state.error = Some(e);
        }
    }
    ResultsFile {
        schema: RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        settings: Some(RunSettings {
            samples: config.samples,
            warmup_ms: 0,
            sample_ms: 0,
            schedule: config.schedule,
            seed: config.seed,
            timer_overhead_ns: timer.overhead_ns,
            timer_resolution_ns: timer.resolution_ns,
            processes: 1,
        }),
        benchmarks: benches.iter().zip(states).map(to_result).collect(),
        shard: None,
        instructions: None,
    }
}

/// Pins the current thread (and so every process it spawns) to `core`; the cores pinned to.
pub(super) fn pin_here(core: Option<usize>) -> Vec<usize> {
    match core {
        Some(c) if pin::pin_current_thread(c) => vec![c],
        Some(c) => {
            tracing::warn!("could not pin to core {c}; running unpinned");
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// One visit: set-up and warm-up on the first, then `samples` timed runs, each after
/// `prepare`.
pub(super) fn take_samples(
    bench: &CommandBench,
    state: &mut State,
    samples: u32,
) -> Result<(), String> {
    if !state.started {
        state.started = true;
        if let Some(setup) = &bench.setup {
            hook(bench, "setup", setup)?;
        }
        for _ in 0..bench.warmup_runs {
            timed(bench).map_err(|e| format!("warm-up run {e}"))?;
        }
    }
    for _ in 0..samples {
        let run = timed(bench).map_err(|e| format!("run {}: {e}", state.runs.len() + 1))?;
        state.runs.push(run);
    }
    Ok(())
}

/// `prepare` (untimed), then the command itself.
fn timed(bench: &CommandBench) -> Result<ProcessRun, String> {
    if let Some(prepare) = &bench.prepare {
        hook(bench, "prepare", prepare)?;
    }
    run_process(launch(bench, &bench.argv)).map_err(|e| match e {
        RunFailure::Timeout { .. } => format!("{e} (timeout_s in the suite file)"),
        e => e.to_string(),
    })
}

/// Runs a set-up, prepare or clean-up line through `sh -c`.
pub(super) fn hook(bench: &CommandBench, what: &str, line: &str) -> Result<(), String> {
    let argv = ["sh".to_string(), "-c".to_string(), line.to_string()];
    run_process(launch(bench, &argv))
        .map(|_| ())
        .map_err(|e| format!("{what} `{line}` failed: {e}"))
}

fn launch<'a>(bench: &'a CommandBench, argv: &'a [String]) -> Launch<'a> {
    Launch {
        argv,
        cwd: &bench.cwd,
        env: &bench.env,
        timeout: bench.timeout,
    }
}

fn to_result((bench, state): (&CommandBench, State)) -> BenchmarkResult {
    let mut result = BenchmarkResult::failed(&bench.name, &bench.group, String::new());
    result.iters_per_sample = 1;
    result.error = state.error;
    if result.error.is_some() {
        return result;
    }
    let samples_ns: Vec<f64> = state.runs.iter().map(|r| r.wall_ns).collect();
    match Sample::new(samples_ns.clone()) {
        Ok(sample) => result.summary = Some(Summary::of(&sample)),
        Err(e) => {
            result.error = Some(format!("no usable samples: {e}"));
            return result;
        }
    }
    result.samples_ns = samples_ns;
    result.process = Some(ProcessMetrics {
        user_ns: state.runs.iter().map(|r| r.user_ns).collect(),
        sys_ns: state.runs.iter().map(|r| r.sys_ns).collect(),
        max_rss_bytes: state.runs.iter().map(|r| r.max_rss_bytes).collect(),
    });
    result
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::time::Duration;

    use super::*;
    use crate::cli::Schedule;

    fn bench(name: &str, argv: &[&str]) -> CommandBench {
        CommandBench {
            name: name.to_string(),
            group: name.to_string(),
            argv: argv.iter().map(|s| s.to_string()).collect(),
            setup: None,
            prepare: None,
            cleanup: None,
            cwd: PathBuf::from("."),
            env: BTreeMap::new(),
            warmup_runs: 1,
            timeout: Duration::from_secs(30),
        }
    }

    fn config() -> RunConfig {
        RunConfig {
            samples: 6,
            warmup: Duration::ZERO,
            sample_target: Duration::ZERO,
            core: None,
            schedule: Schedule::Interleaved,
            seed: 3,
        }
    }

    #[test]
    fn failures_and_timeouts_are_recorded_and_the_others_still_run() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let mut ok = bench("ok", &["true"]);
        ok.cwd = dir.path().to_path_buf();
        ok.setup = Some("echo setup >> log".into());
        ok.prepare = Some("echo prepare >> log".into());
        ok.cleanup = Some("echo cleanup >> log".into());
        let mut slow = bench("slow", &["sleep", "5"]);
        slow.timeout = Duration::from_millis(200);
        let fails = bench("fails", &["sh", "-c", "echo bad input >&2; exit 3"]);
        let r = run_commands(&[ok, slow, fails], &config());
        let ok = &r.benchmarks[0];
        assert!(ok.error.is_none(), "{:?}", ok.error);
        assert_eq!(ok.samples_ns.len(), 6);
        assert_eq!(ok.process.as_ref().unwrap().max_rss_bytes.len(), 6);
        // setup once, prepare before the warm-up run and each of the 6 runs, cleanup once.
        let lines = std::fs::read_to_string(&log).unwrap();
        let count = |w: &str| lines.lines().filter(|l| *l == w).count();
        assert_eq!(
            (count("setup"), count("prepare"), count("cleanup")),
            (1, 7, 1)
        );
        let slow = r.benchmarks[1].error.as_deref().unwrap();
        assert!(
            slow.contains("timed out after 0.200 s") && slow.contains("process group"),
            "{slow}"
        );
        let fails = r.benchmarks[2].error.as_deref().unwrap();
        assert!(
            fails.contains("exited with code 3") && fails.contains("bad input"),
            "{fails}"
        );
        assert!(r.benchmarks[2].samples_ns.is_empty());
    }
}
