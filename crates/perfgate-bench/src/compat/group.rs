//! [`BenchmarkGroup`]: benchmarks named `group/…`, with the group's own settings and
//! throughput.

use std::time::Duration;

use super::ids::{IntoBenchmarkId, PlotConfiguration, SamplingMode, Throughput};
use super::measurement::{Measurement, WallTime};
use super::{Bencher, Criterion, run_bench};
use crate::harness::context::Settings;

/// Criterion's benchmark group.
pub struct BenchmarkGroup<'a, M: Measurement = WallTime> {
    _criterion: &'a mut Criterion<M>,
    name: String,
    settings: Settings,
    throughput: Option<Throughput>,
}

impl<'a, M: Measurement> BenchmarkGroup<'a, M> {
    pub(crate) fn new(c: &'a mut Criterion<M>, name: String, settings: Settings) -> Self {
        BenchmarkGroup {
            _criterion: c,
            name,
            settings,
            throughput: None,
        }
    }

    /// Samples per benchmark of this group (standalone runs).
    pub fn sample_size(&mut self, n: usize) -> &mut Self {
        assert!(n >= 10, "sample_size must be at least 10, as in criterion");
        self.settings.sample_size = n as u32;
        self
    }

    /// Time of the timed samples of this group (standalone runs).
    pub fn measurement_time(&mut self, t: Duration) -> &mut Self {
        self.settings.measurement_time = t;
        self
    }

    /// Warm-up of this group (standalone runs).
    pub fn warm_up_time(&mut self, t: Duration) -> &mut Self {
        self.settings.warm_up_time = t;
        self
    }

    /// Work per iteration of the following benchmarks, for the throughput column.
    pub fn throughput(&mut self, throughput: Throughput) -> &mut Self {
        self.throughput = Some(throughput);
        self
    }

    /// Ignored: perfgate's gate decides what counts as a change.
    pub fn noise_threshold(&mut self, _threshold: f64) -> &mut Self {
        self
    }

    /// Ignored: perfgate's gate decides what counts as a change.
    pub fn significance_level(&mut self, _level: f64) -> &mut Self {
        self
    }

    /// Ignored: no confidence intervals are printed.
    pub fn confidence_level(&mut self, _level: f64) -> &mut Self {
        self
    }

    /// Ignored: no bootstrap here.
    pub fn nresamples(&mut self, _n: usize) -> &mut Self {
        self
    }

    /// Ignored: every sample has the same number of iterations.
    pub fn sampling_mode(&mut self, _mode: SamplingMode) -> &mut Self {
        self
    }

    /// Ignored: no plots.
    pub fn plot_config(&mut self, _config: PlotConfiguration) -> &mut Self {
        self
    }

    /// Registers (and, depending on how the binary runs, measures) `group/id`.
    pub fn bench_function<ID: IntoBenchmarkId, F>(&mut self, id: ID, mut f: F) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>),
    {
        let id = self.full_id(id);
        run_bench::<M>(&id, &self.settings, self.throughput.as_ref(), &mut f);
        self
    }

    /// Like [`BenchmarkGroup::bench_function`], with an input passed by reference.
    pub fn bench_with_input<ID: IntoBenchmarkId, F, I: ?Sized>(
        &mut self,
        id: ID,
        input: &I,
        mut f: F,
    ) -> &mut Self
    where
        F: FnMut(&mut Bencher<'_, M>, &I),
    {
        let id = self.full_id(id);
        run_bench::<M>(&id, &self.settings, self.throughput.as_ref(), &mut |b| {
            f(b, input)
        });
        self
    }

    /// Ends the group.
    pub fn finish(self) {}

    fn full_id(&self, id: impl IntoBenchmarkId) -> String {
        let id = id.into_benchmark_id().to_string();
        match id.is_empty() {
            true => self.name.clone(),
            false => format!("{}/{id}", self.name),
        }
    }
}
