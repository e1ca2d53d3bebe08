//! The runner: measures a list of benchmarks under controlled conditions (pinned core,
//! warm-up, calibrated batches, N samples, interleaved rounds) and produces a results file.

/// The counting allocator (in perfgate-bench, shared with users' bench binaries).
pub use perfgate_bench::alloc;
mod commands;
mod cpu;
pub(crate) mod env;
mod fresh;
mod load;
mod paired_commands;
mod paired_schedule;
mod pin;
mod process;
mod progress;
mod schedule;

use std::time::Duration;

pub use commands::run_commands;
pub use env::collect as collect_env;
pub use fresh::{FreshRunError, exact_filter, measure_in_fresh_process};
pub use load::LoadMonitor;
pub use paired_commands::{CommandSide, PairedCommandsConfig, run_paired_commands};
pub use paired_schedule::{
    PairedRounds, PairedSide, PairedVisit, StageBudget, Stages, paired_plan, run_stages,
};
pub use perfgate_bench::Measured;
pub use perfgate_bench::{TimerCost, thread_cpu_ns};
pub use pin::Pin;
pub(crate) use pin::pin_current_thread;
pub use pin::{allowed_cores, build_pool};
pub use process::{Launch, ProcessRun, RunFailure, run_process};
pub use schedule::{SAMPLES_PER_VISIT, Visit, plan};

use crate::cli::Schedule;
use crate::error::InputError;
use crate::results::{
    BenchmarkResult, ModelMetrics, RESULTS_SCHEMA, ResultsFile, RunSettings, Throughput,
};
use crate::stats::{Sample, Summary};
use crate::suite::{Benchmark, Work};
use progress::Progress;

/// Validated settings of one run.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Samples per benchmark (at least 1).
    pub samples: u32,
    /// Warm-up per benchmark.
    pub warmup: Duration,
    /// Target duration of one sample.
    pub sample_target: Duration,
    /// Core the measuring thread is pinned to (`None`: not pinned), from [`resolve_pin`].
    pub core: Option<usize>,
    /// Order of samples.
    pub schedule: Schedule,
    /// Seed of round order and benchmark inputs.
    pub seed: u64,
}

/// Measures `benches` and returns the results, one entry per benchmark in the given order.
/// A benchmark that panics is recorded as failed; the others still run.
pub fn run_suite(benches: &[Benchmark], config: &RunConfig) -> ResultsFile {
    let allowed = pin::allowed_cores();
    // Read the machine before pinning: a pinned thread sees only its one core.
    let mut env = env::collect();
    let core = config.core;
    // The pool must exist before the main thread is pinned, or it would see one core.
    let pool = pin::build_pool(&allowed, core.is_some());
    let pinned: Vec<usize> = match core {
        Some(c) if pin::pin_current_thread(c) => vec![c],
        Some(c) => {
            tracing::warn!("could not pin the measuring thread to core {c}; running unpinned");
            Vec::new()
        }
        None => Vec::new(),
    };
    env.pinned_cores = pinned;
    env.pool_cores = pool;
    let timer = TimerCost::measure();
    tracing::info!(?timer, "clock measured");

    let monitor = LoadMonitor::start();
    let quiet_panics = QuietPanics::install();
    let mut measured: Vec<Measured> = benches.iter().map(|b| b.measured(config.seed)).collect();
    let target_ns = config.sample_target.as_nanos() as f64;
    // Every benchmark is warmed up and calibrated before the first timed sample of any: the
    // first samples then do not pay for code, data and page faults nobody touched yet.
    for (bench, state) in benches.iter().zip(&mut measured) {
        let _ = state.warm_up_and_calibrate(config.warmup, target_ns, timer.min_sample_ns());
        tracing::debug!(bench = %bench.name, iters = state.iters_per_sample, "calibrated");
    }
    let visits = plan(benches.len(), config.samples, config.schedule, config.seed);
    let mut progress = Progress::new(u64::from(config.samples) * benches.len() as u64);
    for visit in visits {
        let (bench, state) = (&benches[visit.bench], &mut measured[visit.bench]);
        state.visit(visit.samples);
        progress.advance(&bench.name, u64::from(visit.samples));
    }
    progress.finish();
    drop(quiet_panics);
    env.load = monitor.finish(env.logical_cores);

    let results = benches
        .iter()
        .zip(measured)
        .map(|(b, m)| to_result(b, m))
        .collect();
    ResultsFile {
        schema: RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        settings: Some(RunSettings {
            samples: config.samples,
            warmup_ms: config.warmup.as_millis() as u64,
            sample_ms: config.sample_target.as_millis() as u64,
            schedule: config.schedule,
            seed: config.seed,
            timer_overhead_ns: timer.overhead_ns,
            timer_resolution_ns: timer.resolution_ns,
            processes: 1,
        }),
        benchmarks: results,
        shard: None,
        instructions: None,
    }
}

/// Resolves `--pin` against the cores this process may use (exit 2 for a core that does
/// not exist or is not allowed).
pub fn resolve_pin(pin: Pin) -> Result<Option<usize>, InputError> {
    pin::choose_core(pin, &pin::allowed_cores())
}

/// Turns what was measured into the results-file entry.
fn to_result(bench: &Benchmark, m: Measured) -> BenchmarkResult {
    let failed = |error: String| BenchmarkResult {
        iters_per_sample: m.iters_per_sample,
        ..BenchmarkResult::failed(&bench.name, &bench.group, error)
    };
    if let Some(error) = m.error.clone() {
        return failed(error);
    }
    let sample = match Sample::new(m.samples_ns.clone()) {
        Ok(s) => s,
        Err(e) => return failed(format!("no usable samples: {e}")),
    };
    let summary = Summary::of(&sample);
    let iters = (m.samples_ns.len() as u64 * m.iters_per_sample) as f64;
    let alloc_bytes = m.allocated.bytes as f64 / iters;
    let p50 = summary.p50_ns;
    let throughput = match bench.work {
        Work::Flops(f) => Some(("GFLOP/s", f as f64 / p50)),
        Work::Elements(e) => Some(("Melem/s", e as f64 / p50 * 1e3)),
        Work::Tokens(t) => Some(("tok/s", t as f64 / p50 * 1e9)),
        Work::None => None,
    }
    .map(|(unit, value)| Throughput {
        value,
        unit: unit.to_string(),
    });
    let model = bench.model.map(|info| {
        let tokens = match bench.work {
            Work::Tokens(t) => t,
            _ => 0,
        };
        let per_token = |x: f64| (tokens > 0).then(|| x / tokens as f64);
        ModelMetrics {
            model: info,
            tokens,
            tokens_per_sec: (tokens > 0).then(|| tokens as f64 / p50 * 1e9),
            ms_per_token: per_token(p50 / 1e6),
            alloc_bytes_per_token: per_token(alloc_bytes),
        }
    });
    BenchmarkResult {
        name: bench.name.clone(),
        group: bench.group.clone(),
        error: None,
        iters_per_sample: m.iters_per_sample,
        samples_ns: m.samples_ns,
        summary: Some(summary),
        alloc_bytes_per_iter: Some(alloc_bytes),
        allocs_per_iter: Some(m.allocated.count as f64 / iters),
        peak_bytes: Some(m.peak_bytes),
        throughput,
        model,
        process: None,
        instructions_per_iter: None,
        est_cycles_per_iter: None,
    }
}

/// While alive, panics are logged through tracing instead of printed by the default hook;
/// the runner reports them as failed benchmarks.
struct QuietPanics;

impl QuietPanics {
    fn install() -> QuietPanics {
        std::panic::set_hook(Box::new(|info| tracing::debug!("benchmark {info}")));
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        let _ = std::panic::take_hook();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::Routine;

    struct Spin(u64);
    impl Routine for Spin {
        fn iterate(&mut self) {
            self.0 = std::hint::black_box(self.0.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }

    struct Allocates;
    impl Routine for Allocates {
        fn iterate(&mut self) {
            std::hint::black_box(vec![0u8; 1000]);
        }
    }

    struct PanicsLater(u32);
    impl Routine for PanicsLater {
        fn iterate(&mut self) {
            self.0 += 1;
            assert!(self.0 < 50, "boom after {} iterations", self.0);
        }
    }

    fn bench(name: &str, work: Work, setup: crate::suite::Setup) -> Benchmark {
        Benchmark {
            name: name.to_string(),
            group: name.split('/').next().unwrap().to_string(),
            description: "test".to_string(),
            work,
            parallel: false,
            model: None,
            setup,
        }
    }

    fn config(schedule: Schedule) -> RunConfig {
        RunConfig {
            samples: 7,
            warmup: Duration::from_millis(1),
            sample_target: Duration::from_millis(1),
            core: None,
            schedule,
            seed: 1,
        }
    }

    fn suite() -> Vec<Benchmark> {
        vec![
            bench("spin/1", Work::Elements(1), Box::new(|s| Box::new(Spin(s)))),
            bench(
                "panics/setup",
                Work::None,
                Box::new(|_| panic!("no inputs")),
            ),
            bench(
                "panics/later",
                Work::None,
                Box::new(|_| Box::new(PanicsLater(0))),
            ),
            bench("alloc/1000", Work::None, Box::new(|_| Box::new(Allocates))),
        ]
    }

    #[test]
    fn failing_benchmarks_are_recorded_and_the_others_still_run() {
        for schedule in [Schedule::Interleaved, Schedule::Sequential] {
            let r = run_suite(&suite(), &config(schedule));
            let names: Vec<&str> = r.benchmarks.iter().map(|b| b.name.as_str()).collect();
            assert_eq!(
                names,
                ["spin/1", "panics/setup", "panics/later", "alloc/1000"]
            );
            let spin = &r.benchmarks[0];
            assert_eq!(spin.samples_ns.len(), 7);
            assert!(spin.error.is_none() && spin.summary.is_some());
            assert_eq!(spin.throughput.as_ref().unwrap().unit, "Melem/s");
            let setup = r.benchmarks[1].error.as_deref().unwrap();
            assert!(setup.contains("set-up panicked: no inputs"), "{setup}");
            let later = r.benchmarks[2].error.as_deref().unwrap();
            assert!(later.contains("boom after 50 iterations"), "{later}");
            assert!(r.benchmarks[2].samples_ns.is_empty());
            assert_eq!(r.benchmarks[3].samples_ns.len(), 7);
        }
    }

    #[test]
    fn allocation_counters_see_the_work() {
        let r = run_suite(&suite()[3..], &config(Schedule::Sequential));
        let b = &r.benchmarks[0];
        // Other test threads may allocate at the same time, so bound from below only.
        assert!(b.alloc_bytes_per_iter.unwrap() >= 1000.0);
        assert!(b.allocs_per_iter.unwrap() >= 1.0);
        assert!(b.peak_bytes.unwrap() >= 1000);
    }

    #[test]
    fn results_record_settings_and_environment() {
        let r = run_suite(&suite()[..1], &config(Schedule::Interleaved));
        let settings = r.settings.unwrap();
        assert_eq!(settings.samples, 7);
        assert!(settings.timer_overhead_ns > 0.0);
        assert!(r.env.logical_cores >= 1);
        assert!(r.env.pinned_cores.is_empty());
        assert_eq!(r.schema, RESULTS_SCHEMA);
    }
}
