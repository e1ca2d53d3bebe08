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
    let exe = std::env::current_exe()
        .map_err(|e| InstrError::Setup(format!("cannot find perfgate's executable: {e}")))?;
    measure_instructions_of(&exe, benches, cfg)
}

/// [`measure_instructions`] of the benchmarks of `exe`, a program that runs one of them
/// as `exe __callgrind-child --bench NAME …` (perfgate itself, or a bench binary built with
/// perfgate-bench).
pub fn measure_instructions_of(
    exe: &Path,
    benches: &[Benchmark],
    cfg: &InstrConfig,
) -> Result<InstrMeasured, InstrError> {
    let valgrind = valgrind_version()?;
    let dir = tempfile::tempdir()
        .map_err(|e| InstrError::Setup(format!("cannot create a temporary directory: {e}")))?;
    let jobs = plan_jobs(benches, cfg);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<ChildOutcome>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..cfg.jobs.max(1).min(jobs.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let name = &benches[job.bench].name;
                    let out = dir.path().join(format!("callgrind.out.{i}"));
                    let start = std::time::Instant::now();
                    let result = run_one(exe, &out, name, cfg, job.iterations, job.all_threads);
                    let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                    eprintln!(
                        "instructions: {n}/{} {name}{} ({:.1} s under valgrind)",
                        jobs.len(),
                        match job.all_threads {
                            true => format!(", all threads, {} iterations", job.iterations),
                            false => String::new(),
                        },
                        start.elapsed().as_secs_f64()
                    );
                    *slots[i].lock().expect("no panics while holding it") = Some(result);
                }
            });
        }
    });
    let mut outcomes: Vec<Vec<(u64, ChildOutcome)>> = benches.iter().map(|_| Vec::new()).collect();
    for (job, slot) in jobs.iter().zip(slots) {
        let outcome = slot
            .into_inner()
            .expect("no panics while holding it")
            .expect("every job ran");
        outcomes[job.bench].push((job.iterations, outcome));
    }
    let mut features = None;
    let mut per_bench = Vec::new();
    for (bench, runs) in benches.iter().zip(outcomes) {
        if features.is_none()
            && let Some((_, (Ok(_), f))) = runs.iter().find(|(_, (r, _))| r.is_ok())
        {
            features = Some(f.clone());
        }
        per_bench.push((bench.name.clone(), per_iteration(runs, cfg.iterations)));
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

/// One valgrind child to run: a benchmark, its counted iterations, and whether everything
/// of every thread is counted.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Job {
    /// Index into the benchmarks.
    bench: usize,
    /// Counted iterations (after the warm-up).
    iterations: u64,
    /// Count all threads instead of toggling on the entry point.
    all_threads: bool,
}

/// The children to run, longest first. A single-threaded benchmark is one child collecting
/// only [`ENTRY_POINT`]. A multi-threaded one cannot use `--toggle-collect`, which follows
/// one thread only (the workers of the pool never enter the entry point), so everything of
/// every thread is counted twice, with `warmup + iterations` and with `warmup` iterations,
/// and the difference is divided by `iterations`. Those two children are independent and the
/// slowest of all (rayon's idle workers spin under valgrind's serialised threads), so they
/// go first, on two job slots at once.
fn plan_jobs(benches: &[Benchmark], cfg: &InstrConfig) -> Vec<Job> {
    let parallel = benches.iter().enumerate().filter(|(_, b)| b.parallel);
    let single = benches.iter().enumerate().filter(|(_, b)| !b.parallel);
    let mut jobs = Vec::new();
    for (bench, _) in parallel {
        for iterations in [cfg.iterations, 0] {
            jobs.push(Job {
                bench,
                iterations,
                all_threads: true,
            });
        }
    }
    jobs.extend(single.map(|(bench, _)| Job {
        bench,
        iterations: cfg.iterations,
        all_threads: false,
    }));
    jobs
}

/// Counts per iteration of one benchmark from its children's totals: one child with
/// `iterations` counted, or two all-thread children (`iterations` and 0 counted) whose
/// difference is the iterations' work. The first error wins.
fn per_iteration(runs: Vec<(u64, ChildOutcome)>, iterations: u64) -> Result<PerIter, String> {
    let n = iterations.max(1) as f64;
    let mut full = None;
    let mut base = None;
    for (counted, (result, _)) in runs {
        match counted {
            0 => base = Some(result?),
            _ => full = Some(result?),
        }
    }
    let full = full.ok_or("no counted child ran")?;
    let base = base.unwrap_or(PerIter {
        instructions: 0.0,
        est_cycles: full.est_cycles.map(|_| 0.0),
    });
    Ok(PerIter {
        instructions: (full.instructions - base.instructions) / n,
        est_cycles: full
            .est_cycles
            .zip(base.est_cycles)
            .map(|(x, y)| (x - y) / n),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(iterations: u64) -> InstrConfig {
        InstrConfig {
            iterations,
            warmup: 1,
            seed: 42,
            cache_sim: false,
            jobs: 2,
        }
    }

    fn ok(instructions: f64, cycles: Option<f64>) -> ChildOutcome {
        (
            Ok(PerIter {
                instructions,
                est_cycles: cycles,
            }),
            vec!["avx2".into()],
        )
    }

    #[test]
    fn parallel_benchmarks_get_two_all_thread_children_first() {
        let benches: Vec<Benchmark> = crate::suite::builtin()
            .into_iter()
            .filter(|b| ["gelu/1000", "matmul_mt/512", "softmax/2048"].contains(&b.name.as_str()))
            .collect();
        let mt = benches.iter().position(|b| b.parallel).unwrap();
        let jobs = plan_jobs(&benches, &cfg(3));
        assert_eq!(jobs.len(), 4);
        let job = |bench, iterations, all_threads| Job {
            bench,
            iterations,
            all_threads,
        };
        assert_eq!(jobs[0], job(mt, 3, true));
        assert_eq!(jobs[1], job(mt, 0, true));
        let singles: Vec<Job> = (0..3)
            .filter(|&i| i != mt)
            .map(|i| job(i, 3, false))
            .collect();
        assert_eq!(jobs[2..], singles[..]);
    }

    #[test]
    fn single_child_counts_are_divided_by_the_iterations() {
        let got = per_iteration(vec![(4, ok(1000.0, Some(3000.0)))], 4).unwrap();
        assert_eq!(got.instructions, 250.0);
        assert_eq!(got.est_cycles, Some(750.0));
    }

    #[test]
    fn all_thread_children_count_the_difference() {
        // The order the children finish in does not matter.
        let runs = vec![(0, ok(400.0, None)), (2, ok(1000.0, None))];
        let got = per_iteration(runs, 2).unwrap();
        assert_eq!(got.instructions, 300.0);
        assert_eq!(got.est_cycles, None);
    }

    #[test]
    fn a_failed_child_fails_the_benchmark() {
        let runs = vec![
            (2, ok(1000.0, None)),
            (0, (Err("valgrind failed".into()), Vec::new())),
        ];
        assert_eq!(per_iteration(runs, 2).unwrap_err(), "valgrind failed");
    }
}
