//! Measuring one benchmark: warm-up and calibration, timed samples, and the allocation
//! counters read around each sample. A panic anywhere marks the benchmark failed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crate::alloc::AllocCounters;
use crate::routine::{Routine, Window};
use crate::timer::CpuClock;

/// A benchmark being measured: its routine and everything recorded so far.
pub struct Measured<'a> {
    /// The routine; `None` once the benchmark failed.
    routine: Option<Box<dyn Routine + 'a>>,
    /// Why the benchmark failed, if it did.
    pub error: Option<String>,
    /// Iterations per sample, fixed by calibration.
    pub iters_per_sample: u64,
    /// Per-iteration nanoseconds of each sample, in the order taken.
    pub samples_ns: Vec<f64>,
    /// Per-iteration CPU nanoseconds in each sample, parallel to `samples_ns`; `None` when
    /// not read (the default, see [`Measured::time_cpu`]) or once the clock could not be read.
    pub cpu_ns: Option<Vec<f64>>,
    /// Which CPU clock `cpu_ns` reads.
    cpu_clock: CpuClock,
    /// Allocations during all timed iterations.
    pub allocated: AllocCounters,
    /// Highest live heap bytes above the level at the start of a sample.
    pub peak_bytes: u64,
}

/// Message of a panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("panicked: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("panicked: {s}")
    } else {
        "panicked".to_string()
    }
}

impl<'a> Measured<'a> {
    /// Measures `routine`.
    pub fn new(routine: Box<dyn Routine + 'a>) -> Measured<'a> {
        Measured {
            routine: Some(routine),
            error: None,
            iters_per_sample: 0,
            samples_ns: Vec::new(),
            cpu_ns: None,
            cpu_clock: CpuClock::Thread,
            allocated: AllocCounters { bytes: 0, count: 0 },
            peak_bytes: 0,
        }
    }

    /// A benchmark that failed before it could be measured (e.g. its set-up panicked).
    pub fn failed(error: String) -> Measured<'a> {
        Measured {
            routine: None,
            error: Some(error),
            ..Measured::new(Box::new(Nothing))
        }
    }

    /// Builds the routine with `setup`; a panic there marks the benchmark failed.
    pub fn setup(setup: impl FnOnce() -> Box<dyn Routine + 'a>) -> Measured<'a> {
        match catch_unwind(AssertUnwindSafe(setup)) {
            Ok(r) => Measured::new(r),
            Err(p) => Measured::failed(format!("set-up {}", panic_message(&*p))),
        }
    }

    /// Also reads `clock` around every sample from now on (only before the first sample,
    /// so `cpu_ns` stays parallel to `samples_ns`).
    pub fn time_cpu(&mut self, clock: CpuClock) {
        if self.samples_ns.is_empty() {
            self.cpu_ns = Some(Vec::new());
            self.cpu_clock = clock;
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

    /// Iterates for at least `warmup` (and at least once), in growing batches; returns the
    /// mean nanoseconds per iteration of the timed work (at least 1).
    pub fn warm_up(&mut self, warmup: Duration) -> f64 {
        let mut iters = 0u64;
        let mut timed_ns = 0u128;
        self.guarded("warm-up", |r| {
            let start = Instant::now();
            let mut batch = 1u64;
            while iters == 0 || start.elapsed() < warmup {
                let mut window = Window::new(None);
                r.run(batch, &mut window);
                timed_ns += window.totals().wall_ns;
                iters += batch;
                batch = (batch * 2).min(1 << 20);
                // Do not overshoot a short warm-up by much with a long batch.
                if timed_ns > 0 {
                    let per_iter = timed_ns as f64 / iters as f64;
                    let left = warmup.saturating_sub(start.elapsed()).as_nanos() as f64;
                    batch = batch.min((left / per_iter).ceil().max(1.0) as u64);
                }
            }
        });
        (timed_ns as f64 / iters.max(1) as f64).max(1.0)
    }

    /// One untimed iteration to bring caches and branch predictors back after another
    /// benchmark ran, then `samples` timed samples.
    pub fn visit(&mut self, samples: u32) {
        self.take_samples(samples, true);
    }

    /// `samples` timed samples, preceded by one untimed iteration when `prime` is set.
    pub fn take_samples(&mut self, samples: u32, prime: bool) {
        let iters = self.iters_per_sample.max(1);
        let clock = self.cpu_ns.as_ref().map(|_| self.cpu_clock);
        let mut taken = Vec::with_capacity(samples as usize);
        let mut cpu_taken = clock.map(|_| Vec::with_capacity(samples as usize));
        let mut allocated = self.allocated;
        let mut peak = self.peak_bytes;
        self.guarded("sample", |r| {
            if prime {
                r.run(1, &mut Window::new(None));
            }
            for _ in 0..samples {
                let mut window = Window::new(clock);
                r.run(iters, &mut window);
                let t = window.totals();
                if let Some(cpu) = cpu_taken.as_mut() {
                    match t.cpu_ns {
                        Some(ns) => cpu.push(ns as f64 / iters as f64),
                        None => cpu_taken = None,
                    }
                }
                peak = peak.max(t.peak_bytes);
                allocated.bytes += t.alloc_bytes;
                allocated.count += t.allocs;
                taken.push(t.wall_ns as f64 / iters as f64);
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

/// The routine of a benchmark that failed before it had one.
struct Nothing;

impl Routine for Nothing {
    fn iterate(&mut self) {}
}
