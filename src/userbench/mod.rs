//! Users' bench binaries (built with perfgate-bench, e.g. criterion benches with the
//! dev-dependency renamed): listing their benchmarks and measuring them through the worker
//! protocol into a results file like the built-in suite's, and building a cargo bench
//! target to get one.

pub mod cargo;

use std::path::Path;
use std::time::Duration;

use crate::results::{BenchmarkResult, RESULTS_SCHEMA, ResultsFile, RunSettings};
use crate::runner::{LoadMonitor, RunConfig, collect_env, plan};
use crate::stats::{Sample, Summary};
use crate::suite::{Benchmark, Work};
use crate::worker::{ReplyTimeout, WorkerClient, WorkerError};

/// The benchmark ids a bench binary serves, in its order.
pub fn list(bin: &Path) -> Result<Vec<String>, WorkerError> {
    let worker = WorkerClient::spawn(bin, None, ReplyTimeout::Derived)?;
    let names = worker.benchmarks.clone();
    worker.quit();
    Ok(names)
}

/// Whether `bin` is a bench binary built with perfgate-bench (it answers the worker
/// handshake as `perfgate-bench …`), not a perfgate.
pub fn is_bench_bin(bin: &Path) -> bool {
    match WorkerClient::spawn(bin, None, ReplyTimeout::Derived) {
        Ok(w) => {
            let harness = w.perfgate_version.starts_with("perfgate-bench");
            w.quit();
            harness
        }
        Err(_) => false,
    }
}

/// The benchmarks of a bench binary as suite entries (for the instruction metric and the
/// shard and baseline code that take a suite); their routines live in the binary, so
/// setting one up in this process is a bug.
pub fn as_suite(names: &[String]) -> Vec<Benchmark> {
    names
        .iter()
        .map(|name| Benchmark {
            name: name.clone(),
            group: name.split('/').next().unwrap_or(name).to_string(),
            description: "bench binary".to_string(),
            work: Work::None,
            parallel: false,
            model: None,
            setup: Box::new(|_| panic!("a bench binary's benchmark runs in the binary")),
        })
        .collect()
}

/// One benchmark being measured in the worker.
struct Entry {
    name: String,
    iters: u64,
    samples_ns: Vec<f64>,
    alloc_bytes: u64,
    allocs: u64,
    error: Option<String>,
}

/// Measures `names` of `bin` as `perfgate run` measures the built-in suite: one worker
/// (pinned to `config.core`), every benchmark set up and calibrated first, then the
/// visits of `config.schedule`. A benchmark that fails (panics) is recorded as failed and
/// the others go on; a worker that dies is started again for them.
pub fn run(bin: &Path, names: &[String], config: &RunConfig) -> Result<ResultsFile, WorkerError> {
    let mut env = collect_env();
    env.pinned_cores = config.core.into_iter().collect();
    let monitor = LoadMonitor::start();
    let spawn = || WorkerClient::spawn(bin, config.core, ReplyTimeout::Derived);
    let mut worker = spawn()?;
    let mut entries: Vec<Entry> = names
        .iter()
        .map(|n| Entry {
            name: n.clone(),
            iters: 0,
            samples_ns: Vec::new(),
            alloc_bytes: 0,
            allocs: 0,
            error: None,
        })
        .collect();
    let (warm_ms, target_ns) = (ms(config.warmup), config.sample_target.as_nanos() as u64);
    for i in 0..entries.len() {
        let name = entries[i].name.clone();
        let done = worker
            .setup(&name, config.seed)
            .and_then(|()| worker.calibrate(&name, warm_ms, target_ns));
        match done {
            Ok((iters, _)) => entries[i].iters = iters,
            Err(e) => worker = fail(&mut entries, i, e, worker, &spawn, config)?,
        }
    }
    for visit in plan(entries.len(), config.samples, config.schedule, config.seed) {
        let e = &entries[visit.bench];
        if e.error.is_some() {
            continue;
        }
        // `1` ms: at least one untimed iteration, as the built-in runner primes a visit.
        match worker.sample(&e.name.clone(), 1, e.iters, visit.samples) {
            Ok(s) => {
                let e = &mut entries[visit.bench];
                e.samples_ns.extend(s.samples_ns);
                e.alloc_bytes += s.alloc_bytes;
                e.allocs += s.allocs;
            }
            Err(err) => worker = fail(&mut entries, visit.bench, err, worker, &spawn, config)?,
        }
    }
    worker.quit();
    env.load = monitor.finish(env.logical_cores);
    Ok(ResultsFile {
        schema: RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        settings: Some(RunSettings {
            samples: config.samples,
            warmup_ms: warm_ms,
            sample_ms: ms(config.sample_target),
            schedule: config.schedule,
            seed: config.seed,
            timer_overhead_ns: 0.0,
            timer_resolution_ns: 0.0,
            processes: 1,
        }),
        benchmarks: entries.into_iter().map(to_result).collect(),
        shard: None,
        instructions: None,
    })
}

/// Records `err` for entry `i`; when the worker is gone, starts a new one and sets the
/// benchmarks still measured up again (their calibration is kept).
fn fail(
    entries: &mut [Entry],
    i: usize,
    err: WorkerError,
    worker: WorkerClient,
    spawn: &dyn Fn() -> Result<WorkerClient, WorkerError>,
    config: &RunConfig,
) -> Result<WorkerClient, WorkerError> {
    let fatal = err.is_fatal();
    entries[i].error = Some(err.to_string());
    if !fatal {
        return Ok(worker);
    }
    drop(worker);
    let mut fresh = spawn()?;
    for e in entries
        .iter_mut()
        .filter(|e| e.error.is_none() && e.iters > 0)
    {
        if let Err(err) = fresh.setup(&e.name, config.seed) {
            e.error = Some(err.to_string());
            if err.is_fatal() {
                return Err(err);
            }
        }
    }
    Ok(fresh)
}

/// The results-file entry of one measured benchmark.
fn to_result(e: Entry) -> BenchmarkResult {
    let group = e.name.split('/').next().unwrap_or(&e.name).to_string();
    let failed = |error: String| BenchmarkResult {
        iters_per_sample: e.iters,
        ..BenchmarkResult::failed(&e.name, &group, error)
    };
    if let Some(error) = e.error.clone() {
        return failed(error);
    }
    let sample = match Sample::new(e.samples_ns.clone()) {
        Ok(s) => s,
        Err(err) => return failed(format!("no usable samples: {err}")),
    };
    let iters = (e.samples_ns.len() as u64 * e.iters).max(1) as f64;
    BenchmarkResult {
        iters_per_sample: e.iters,
        summary: Some(Summary::of(&sample)),
        samples_ns: e.samples_ns,
        alloc_bytes_per_iter: Some(e.alloc_bytes as f64 / iters),
        allocs_per_iter: Some(e.allocs as f64 / iters),
        error: None,
        ..BenchmarkResult::failed(&e.name, &group, String::new())
    }
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}
