//! Measuring one benchmark: set-up, warm-up and calibration, timed samples, and the
//! allocation counters read around each sample. A panic anywhere marks the benchmark failed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use super::alloc::{AllocCounters, peak_live_bytes, start_peak_window};
use super::timer::thread_cpu_ns;
use crate::suite::{Benchmark, Routine};

/// A benchmark being measured: its routine and everything recorded so far.
pub struct Measured {
    /// The routine; `None` once the benchmark failed.
    routine: Option<Box<dyn Routine>>,
    /// Why the benchmark failed, if it did.
    pub error: Option<String>,
    /// Iterations per sample, fixed by calibration.
    pub iters_per_sample: u64,
    /// Per-iteration nanoseconds of each sample, in the order taken.
    pub samples_ns: Vec<f64>,
    /// Per-iteration CPU nanoseconds of the measuring thread in each sample, parallel to
    /// `samples_ns`; `None` when not read (the default, see [`Measured::time_cpu`]) or once
    /// the thread's CPU clock could not be read.
    pub cpu_ns: Option<Vec<f64>>,
    /// Allocations during all timed iterations.
    pub allocated: AllocCounters,
    /// Highest live heap bytes above the level at the start of a sample.
    pub peak_bytes: u64,
}

/// Message of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("panicked: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("panicked: {s}")
    } else {
        "panicked".to_string()
    }
}

impl Measured {
    /// Builds the benchmark's routine from `seed`; a panic in set-up marks it failed.
    pub fn setup(bench: &Benchmark, seed: u64) -> Measured {
        let (routine, error) = match catch_unwind(AssertUnwindSafe(|| (bench.setup)(seed))) {
            Ok(r) => (Some(r), None),
            Err(p) => (None, Some(format!("set-up {}", panic_message(&*p)))),
        };
        Measured {
            routine,
            error,
            iters_per_sample: 0,
            samples_ns: Vec::new(),
            cpu_ns: None,
            allocated: AllocCounters { bytes: 0, count: 0 },
            peak_bytes: 0,
        }
    }

    /// Also reads the measuring thread's CPU time around every sample from now on (only
    /// before the first sample, so `cpu_ns` stays parallel to `samples_ns`).
    pub fn time_cpu(&mut self) {
        if self.samples_ns.is_empty() {
            self.cpu_ns = Some(Vec::new());
        }
    }

    /// True while the benchmark has not failed.
    pub fn is_ok(&self) -> bool {
        self.routine.is_some()
    }

    /// Runs `f` on the routine, marking the benchmark failed if it panics.
    fn guarded(&mut self, what: &str, f: impl FnOnce(&mut dyn Routine)) {
        let Some(routine) = self.routine.as_mut() else {
            return;
        };
        if let Err(p) = catch_unwind(AssertUnwindSafe(|| f(routine.as_mut()))) {
            self.error = Some(format!("{what} {}", panic_message(&*p)));
            self.routine = None;
        }
    }

    /// Iterates for at least `warmup` (and at least once), then sizes a sample so it lasts
    /// about `sample_target_ns`, never less than `min_sample_ns`. Returns the warm-up's
    /// mean nanoseconds per iteration.
    pub fn warm_up_and_calibrate(
        &mut self,
        warmup: Duration,
        sample_target_ns: f64,
        min_sample_ns: f64,
    ) -> f64 {
        let per_iter_ns = self.warm_up(warmup);
        let target = sample_target_ns.max(min_sample_ns);
        self.iters_per_sample = (target / per_iter_ns).ceil().max(1.0) as u64;
        per_iter_ns
    }

    /// Iterates for at least `warmup` (and at least once); returns the mean nanoseconds
    /// per iteration (at least 1).
    pub fn warm_up(&mut self, warmup: Duration) -> f64 {
        let mut iters = 0u64;
        let mut elapsed = Duration::ZERO;
        self.guarded("warm-up", |r| {
            let start = Instant::now();
            while iters == 0 || elapsed < warmup {
                r.iterate();
                iters += 1;
                elapsed = start.elapsed();
            }
        });
        (elapsed.as_nanos() as f64 / iters.max(1) as f64).max(1.0)
    }

    /// One untimed iteration to bring caches and branch predictors back after another
    /// benchmark ran, then `samples` timed samples.
    pub fn visit(&mut self, samples: u32) {
        self.take_samples(samples, true);
    }

    /// `samples` timed samples, preceded by one untimed iteration when `prime` is set.
    pub fn take_samples(&mut self, samples: u32, prime: bool) {
        let iters = self.iters_per_sample;
        let mut taken = Vec::with_capacity(samples as usize);
        let mut cpu_taken = self
            .cpu_ns
            .as_ref()
            .map(|_| Vec::with_capacity(samples as usize));
        let mut allocated = self.allocated;
        let mut peak = self.peak_bytes;
        self.guarded("sample", |r| {
            if prime {
                r.iterate();
            }
            for _ in 0..samples {
                let before = AllocCounters::now();
                let live = start_peak_window();
                let cpu_start = cpu_taken.as_ref().and_then(|_| thread_cpu_ns());
                let start = Instant::now();
                for _ in 0..iters {
                    r.iterate();
                }
                let elapsed = start.elapsed();
                if let Some(cpu) = cpu_taken.as_mut() {
                    match cpu_start.zip(thread_cpu_ns()) {
                        Some((a, b)) => cpu.push(b.saturating_sub(a) as f64 / iters as f64),
                        None => cpu_taken = None,
                    }
                }
                let used = AllocCounters::now().since(before);
                peak = peak.max(peak_live_bytes().saturating_sub(live));
                allocated.bytes += used.bytes;
                allocated.count += used.count;
                taken.push(elapsed.as_nanos() as f64 / iters as f64);
            }
        });
        if self.is_ok() {
            match (self.cpu_ns.as_mut(), cpu_taken) {
                (Some(all), Some(cpu)) => all.extend(cpu),
                _ => self.cpu_ns = None,
            }
            self.samples_ns.extend(taken);
            self.allocated = allocated;
            self.peak_bytes = peak;
        }
    }
}
