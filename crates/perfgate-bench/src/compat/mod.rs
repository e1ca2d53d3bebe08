//! The criterion-compatible API: the items benches `use criterion::…` for, with the same
//! names, paths and signatures. Settings that mean nothing here are accepted and ignored;
//! items that are not supported fail to compile with a message naming them.

mod bencher;
mod group;
pub(crate) mod ids;
mod macros;
pub mod measurement;

use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

pub use bencher::{AsyncNotSupported, Bencher};
pub use group::BenchmarkGroup;
pub use ids::{
    AxisScale, BatchSize, BenchmarkId, IntoBenchmarkId, PlotConfiguration, SamplingMode, Throughput,
};
use measurement::{Measurement, WallTime};

use crate::harness::args;
use crate::harness::context::{Reached, Settings, restore_mode, take_mode};
use crate::measure::panic_message;

/// Criterion's entry object: settings, and the benchmarks registered through it.
pub struct Criterion<M: Measurement = WallTime> {
    settings: Settings,
    _measurement: PhantomData<M>,
}

impl Default for Criterion<WallTime> {
    fn default() -> Criterion<WallTime> {
        Criterion {
            settings: Settings::default(),
            _measurement: PhantomData,
        }
    }
}

impl<M: Measurement> Criterion<M> {
    /// Samples per benchmark (standalone runs; perfgate sets its own when it drives).
    pub fn sample_size(mut self, n: usize) -> Self {
        assert!(n >= 10, "sample_size must be at least 10, as in criterion");
        self.settings.sample_size = n as u32;
        self
    }

    /// Time of the timed samples of a standalone run.
    pub fn measurement_time(mut self, t: Duration) -> Self {
        self.settings.measurement_time = t;
        self
    }

    /// Warm-up of a standalone run.
    pub fn warm_up_time(mut self, t: Duration) -> Self {
        self.settings.warm_up_time = t;
        self
    }

    /// Ignored: perfgate's gate decides what counts as a change.
    pub fn noise_threshold(self, _threshold: f64) -> Self {
        self
    }

    /// Ignored: perfgate's gate decides what counts as a change.
    pub fn significance_level(self, _level: f64) -> Self {
        self
    }

    /// Ignored: no confidence intervals are printed.
    pub fn confidence_level(self, _level: f64) -> Self {
        self
    }

    /// Ignored: no bootstrap here.
    pub fn nresamples(self, _n: usize) -> Self {
        self
    }

    /// Ignored: no plots.
    pub fn with_plots(self) -> Self {
        self
    }

    /// Ignored: no plots.
    pub fn without_plots(self) -> Self {
        self
    }

    /// Ignored: the table has no colors.
    pub fn with_output_color(self, _enabled: bool) -> Self {
        self
    }

    /// Ignored: no saved baselines (perfgate keeps its own).
    pub fn save_baseline(self, _name: String) -> Self {
        self
    }

    /// Ignored: no saved baselines (perfgate keeps its own).
    pub fn retain_baseline(self, _name: String, _strict: bool) -> Self {
        self
    }

    /// Ignored: no profiling mode.
    pub fn profile_time(self, _t: Option<Duration>) -> Self {
        self
    }

    /// Only [`WallTime`] is a measurement here: another type is a compile error.
    pub fn with_measurement<M2: Measurement>(self, _m: M2) -> Criterion<M2> {
        Criterion {
            settings: self.settings,
            _measurement: PhantomData,
        }
    }

    /// Profilers are not supported: a compile error names it.
    pub fn with_profiler<P: ProfilerNotSupported>(self, _p: P) -> Self {
        self
    }

    /// Applies the settings given on the command line (`--sample-size`, `--warm-up-time`,
    /// `--measurement-time`); the bench main parsed the rest.
    pub fn configure_from_args(mut self) -> Self {
        args::apply_overrides(&mut self.settings);
        self
    }

    /// Nothing to add: the bench main prints the table and its summary.
    pub fn final_summary(&self) {}

    /// Registers (and, depending on how the binary runs, measures) the benchmark `id`.
    pub fn bench_function<F>(&mut self, id: &str, mut f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        run_bench::<M>(id, &self.settings.clone(), None, &mut f);
        self
    }

    /// Like [`Criterion::bench_function`], with an input passed by reference.
    pub fn bench_with_input<I: ?Sized, F>(
        &mut self,
        id: BenchmarkId,
        input: &I,
        mut f: F,
    ) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
    {
        run_bench::<M>(&id.to_string(), &self.settings.clone(), None, &mut |b| {
            f(b, input)
        });
        self
    }

    /// Opens a group: its benchmarks are named `name/…`.
    pub fn benchmark_group<S: Into<String>>(&mut self, name: S) -> BenchmarkGroup<'_, M> {
        let settings = self.settings.clone();
        BenchmarkGroup::new(self, name.into(), settings)
    }
}

/// Nothing implements this: `Criterion::with_profiler` does not compile.
#[diagnostic::on_unimplemented(
    message = "perfgate-bench does not support criterion profilers (`Criterion::with_profiler`)",
    note = "remove the profiler from the config, or keep real criterion for this bench"
)]
pub trait ProfilerNotSupported {}

/// Runs benchmark `id` in this thread's mode: skipped, listed, or its closure called with a
/// [`Bencher`] whose `iter*` hands the routine to the mode's driver.
pub(crate) fn run_bench<M: Measurement>(
    id: &str,
    settings: &Settings,
    throughput: Option<&Throughput>,
    f: &mut dyn FnMut(&mut Bencher<'_, M>),
) {
    let mut mode = take_mode().unwrap_or_else(crate::harness::fallback_mode);
    if mode.wants(id) {
        let reached = Reached {
            id,
            settings,
            throughput,
        };
        let (called, panic) = {
            let mut b = Bencher::<M>::new(mode.driver(), &reached);
            let outcome = catch_unwind(AssertUnwindSafe(|| f(&mut b)));
            (b.called, outcome.err().map(|p| panic_message(&*p)))
        };
        mode.finished(id, called, panic);
    }
    restore_mode(mode);
}
