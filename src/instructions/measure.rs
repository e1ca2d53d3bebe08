//! The parent side of `--metric instructions`: one `valgrind --tool=callgrind` child per
//! benchmark (perfgate re-executing itself in its hidden child mode), their callgrind
//! output files parsed, counts divided by the counted iterations.

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::callgrind::CallgrindTotals;
use super::child::{ENTRY_POINT, EXIT_BENCH_FAILED};
use super::{InstrFingerprint, InstructionRun};
use crate::results::{BenchmarkResult, ResultsFile};
use crate::suite::Benchmark;

/// Hidden subcommand the child runs (see `cli::Command::CallgrindChild`).
pub const CHILD_COMMAND: &str = "__callgrind-child";

/// Settings of an instruction measurement.
#[derive(Debug, Clone)]
pub struct InstrConfig {
    /// Counted iterations per benchmark.
    pub iterations: u64,
    /// Uncounted warm-up iterations per benchmark.
    pub warmup: u64,
    /// Seed of the benchmark inputs (the same as for timing).
    pub seed: u64,
    /// Run callgrind's cache simulation too (estimated cycles; about 2× slower).
    pub cache_sim: bool,
    /// valgrind children run at the same time (counts do not depend on it).
    pub jobs: usize,
}

/// Why instructions could not be measured at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum InstrError {
    /// `valgrind` is not on the PATH.
    #[error("valgrind not found: install it, e.g. `apt-get install valgrind`")]
    ValgrindMissing,
    /// Something around the children failed (own executable, temporary directory).
    #[error("instruction counts: {0}")]
    Setup(String),
}

/// Instructions (and estimated cycles) per iteration of one benchmark.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PerIter {
    /// Ir / iterations.
    pub instructions: f64,
    /// Estimated cycles / iterations, with the cache simulation.
    pub est_cycles: Option<f64>,
}

/// What an instruction measurement produced: how, and per benchmark (in the given order)
/// the counts or why the benchmark failed under valgrind.
#[derive(Debug, Clone)]
pub struct InstrMeasured {
    /// How it was measured, with the fingerprint.
    pub run: InstructionRun,
    /// Per benchmark: name and counts, or the error.
    pub benches: Vec<(String, Result<PerIter, String>)>,
}

/// What one child produced: counts or the error, and the CPU features it saw.
type ChildOutcome = (Result<PerIter, String>, Vec<String>);

/// `valgrind --version`, or [`InstrError::ValgrindMissing`].
pub fn valgrind_version() -> Result<String, InstrError> {
    let out = Command::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|_| InstrError::ValgrindMissing)?;
    if !out.status.success() {
        return Err(InstrError::ValgrindMissing);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Measures every benchmark under callgrind, `cfg.jobs` children at a time. A benchmark
/// that fails under valgrind gets its error; the others go on.
pub fn measure_instructions(
    benches: &[Benchmark],
    cfg: &InstrConfig,
) -> Result<InstrMeasured, InstrError> {
    let valgrind = valgrind_version()?;
    let exe = std::env::current_exe()
        .map_err(|e| InstrError::Setup(format!("cannot find perfgate's executable: {e}")))?;
    let dir = tempfile::tempdir()
        .map_err(|e| InstrError::Setup(format!("cannot create a temporary directory: {e}")))?;
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<ChildOutcome>>> =
        benches.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..cfg.jobs.max(1).min(benches.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(bench) = benches.get(i) else { break };
                    let out = dir.path().join(format!("callgrind.out.{i}"));
                    let start = std::time::Instant::now();
                    let result = match bench.parallel {
                        false => run_child(&exe, &out, &bench.name, cfg),
                        true => run_parallel(&exe, &out, &bench.name, cfg),
                    };
                    let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                    eprintln!(
                        "instructions: {n}/{} {} ({:.1} s under valgrind)",
                        benches.len(),
                        bench.name,
                        start.elapsed().as_secs_f64()
                    );
                    *slots[i].lock().expect("no panics while holding it") = Some(result);
                }
            });
        }
    });
    let mut features = None;
    let mut per_bench = Vec::new();
    for (bench, slot) in benches.iter().zip(slots) {
        let (result, f) = slot
            .into_inner()
            .expect("no panics while holding it")
            .expect("every benchmark ran");
        if result.is_ok() && features.is_none() {
            features = Some(f);
        }
        per_bench.push((bench.name.clone(), result));
    }
    Ok(InstrMeasured {
        run: InstructionRun {
            fingerprint: InstrFingerprint::collect(valgrind, features.unwrap_or_default()),
            iterations: cfg.iterations,
            warmup_iterations: cfg.warmup,
            cache_sim: cfg.cache_sim,
        },
        benches: per_bench,
    })
}

/// The valgrind arguments for one benchmark (without the program and its arguments).
pub fn valgrind_args(out: &Path, cache_sim: bool) -> Vec<String> {
    vec![
        "--tool=callgrind".into(),
        "-q".into(),
        format!("--toggle-collect={ENTRY_POINT}"),
        format!("--callgrind-out-file={}", out.display()),
        format!("--cache-sim={}", if cache_sim { "yes" } else { "no" }),
    ]
}

/// A multi-threaded benchmark: `--toggle-collect` follows one thread only (the workers of
/// the pool never enter the entry point), so everything of every thread is counted twice,
/// with `warmup + iterations` and with `warmup` iterations, and the difference is divided
/// by `iterations`.
fn run_parallel(
    exe: &Path,
    out: &Path,
    name: &str,
    cfg: &InstrConfig,
) -> (Result<PerIter, String>, Vec<String>) {
    let full = out.with_extension("full");
    let base = out.with_extension("base");
    let (a, features) = run_one(exe, &full, name, cfg, cfg.iterations, true);
    let (b, _) = run_one(exe, &base, name, cfg, 0, true);
    let result = a.and_then(|a| {
        b.map(|b| PerIter {
            instructions: (a.instructions - b.instructions) / cfg.iterations.max(1) as f64,
            est_cycles: a
                .est_cycles
                .zip(b.est_cycles)
                .map(|(x, y)| (x - y) / cfg.iterations.max(1) as f64),
        })
    });
    (result, features)
}

/// Runs one benchmark under callgrind: counts per iteration and the CPU features the child
/// saw, or why it failed.
fn run_child(
    exe: &Path,
    out: &Path,
    name: &str,
    cfg: &InstrConfig,
) -> (Result<PerIter, String>, Vec<String>) {
    let (result, features) = run_one(exe, out, name, cfg, cfg.iterations, false);
    let n = cfg.iterations.max(1) as f64;
    let result = result.map(|total| PerIter {
        instructions: total.instructions / n,
        est_cycles: total.est_cycles.map(|c| c / n),
    });
    (result, features)
}

/// One valgrind child running `iterations` counted iterations; the totals (not yet per
/// iteration). `all_threads`: count everything of every thread instead of toggling on the
/// entry point.
fn run_one(
    exe: &Path,
    out: &Path,
    name: &str,
    cfg: &InstrConfig,
    iterations: u64,
    all_threads: bool,
) -> (Result<PerIter, String>, Vec<String>) {
    let mut args = valgrind_args(out, cfg.cache_sim);
    if all_threads {
        args.retain(|a| !a.starts_with("--toggle-collect"));
        args.push("--separate-threads=yes".into());
    }
    let output = Command::new("valgrind")
        .args(args)
        .arg(exe)
        .args([CHILD_COMMAND, "--bench", name])
        .args(["--seed", &cfg.seed.to_string()])
        .args(["--warmup", &cfg.warmup.to_string()])
        .args(["--iterations", &iterations.to_string()])
        .output();
    let output = match output {
        Ok(o) => o,
        Err(e) => return (Err(format!("cannot run valgrind: {e}")), Vec::new()),
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        let why = match output.status.code() {
            Some(EXIT_BENCH_FAILED) => "failed under valgrind",
            _ => "valgrind failed",
        };
        let msg = format!("{why} ({}): {}", output.status, last.unwrap_or("").trim());
        return (Err(msg), Vec::new());
    }
    let features = String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| serde_json::from_value(v["cpu_features"].clone()).ok())
        .unwrap_or_default();
    let totals = match all_threads {
        false => CallgrindTotals::read(out),
        true => CallgrindTotals::read_threads(out),
    };
    let totals = match totals {
        Ok(t) => t,
        Err(e) => return (Err(e), features),
    };
    let Some(ir) = totals.get("Ir") else {
        return (Err("callgrind counted no `Ir` event".into()), features);
    };
    let total = PerIter {
        instructions: ir as f64,
        est_cycles: totals.estimated_cycles().map(|c| c as f64),
    };
    (Ok(total), features)
}

/// Puts the counts into `results`: the entry of each benchmark gets its figures (an entry
/// is created for a benchmark the file does not hold yet, as in an instruction-only run);
/// a benchmark that failed under valgrind is marked failed.
pub fn merge_into(results: &mut ResultsFile, measured: InstrMeasured, benches: &[Benchmark]) {
    for (name, outcome) in measured.benches {
        let index = match results.benchmarks.iter().position(|b| b.name == name) {
            Some(i) => i,
            None => {
                let group = benches
                    .iter()
                    .find(|b| b.name == name)
                    .map_or(String::new(), |b| b.group.clone());
                let mut entry = BenchmarkResult::failed(&name, &group, String::new());
                entry.error = None;
                results.benchmarks.push(entry);
                results.benchmarks.len() - 1
            }
        };
        let entry = &mut results.benchmarks[index];
        match outcome {
            Ok(per_iter) => {
                entry.instructions_per_iter = Some(per_iter.instructions);
                entry.est_cycles_per_iter = per_iter.est_cycles;
            }
            Err(error) => entry.error = Some(error),
        }
    }
    results.instructions = Some(measured.run);
}
