//! Naming and sizing: [`BenchmarkId`], [`Throughput`], [`BatchSize`], as in criterion.

use std::fmt;

/// The id of a benchmark inside a group: a function name, a parameter, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchmarkId {
    function: Option<String>,
    parameter: Option<String>,
}

impl BenchmarkId {
    /// `function/parameter`.
    pub fn new<S: Into<String>, P: fmt::Display>(function_name: S, parameter: P) -> BenchmarkId {
        BenchmarkId {
            function: Some(function_name.into()),
            parameter: Some(parameter.to_string()),
        }
    }

    /// Only a parameter (the group names the function).
    pub fn from_parameter<P: fmt::Display>(parameter: P) -> BenchmarkId {
        BenchmarkId {
            function: None,
            parameter: Some(parameter.to_string()),
        }
    }
}

impl fmt::Display for BenchmarkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.function, &self.parameter) {
            (Some(func), Some(p)) => write!(f, "{func}/{p}"),
            (Some(func), None) => write!(f, "{func}"),
            (None, Some(p)) => write!(f, "{p}"),
            (None, None) => Ok(()),
        }
    }
}

/// What a group's `bench_function` and `bench_with_input` take as an id.
pub trait IntoBenchmarkId {
    /// The id.
    fn into_benchmark_id(self) -> BenchmarkId;
}

impl IntoBenchmarkId for BenchmarkId {
    fn into_benchmark_id(self) -> BenchmarkId {
        self
    }
}

impl IntoBenchmarkId for &str {
    fn into_benchmark_id(self) -> BenchmarkId {
        BenchmarkId {
            function: Some(self.to_string()),
            parameter: None,
        }
    }
}

impl IntoBenchmarkId for String {
    fn into_benchmark_id(self) -> BenchmarkId {
        BenchmarkId {
            function: Some(self),
            parameter: None,
        }
    }
}

/// Work done by one iteration, for the throughput column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Throughput {
    /// Bytes per iteration (shown in binary units, MiB/s).
    Bytes(u64),
    /// Bytes per iteration (shown in decimal units, MB/s).
    BytesDecimal(u64),
    /// Elements per iteration.
    Elements(u64),
    /// Bits per iteration.
    Bits(u64),
}

impl Throughput {
    /// The throughput at `ns_per_iter`, as text with its unit.
    pub fn describe(&self, ns_per_iter: f64) -> String {
        let per_s = |n: u64| n as f64 / ns_per_iter * 1e9;
        match *self {
            Throughput::Bytes(n) => format!("{:.1} MiB/s", per_s(n) / (1024.0 * 1024.0)),
            Throughput::BytesDecimal(n) => format!("{:.1} MB/s", per_s(n) / 1e6),
            Throughput::Elements(n) => format!("{:.2} Melem/s", per_s(n) / 1e6),
            Throughput::Bits(n) => format!("{:.1} Mbit/s", per_s(n) / 1e6),
        }
    }
}

/// How many inputs `iter_batched` prepares at a time (outside the timed stretch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchSize {
    /// Inputs that are cheap to hold: about 10 batches per sample.
    SmallInput,
    /// Large inputs: about 1000 batches per sample.
    LargeInput,
    /// One input per batch.
    PerIteration,
    /// This many batches per sample.
    NumBatches(u64),
    /// This many iterations per batch.
    NumIterations(u64),
}

impl BatchSize {
    /// Iterations per batch for a sample of `iters` iterations (criterion's rule).
    pub fn iters_per_batch(self, iters: u64) -> u64 {
        let per = match self {
            BatchSize::SmallInput => iters.div_ceil(10),
            BatchSize::LargeInput => iters.div_ceil(1000),
            BatchSize::PerIteration => 1,
            BatchSize::NumBatches(n) => iters.div_ceil(n.max(1)),
            BatchSize::NumIterations(n) => n,
        };
        per.clamp(1, iters.max(1))
    }
}

/// Sampling mode of a group: accepted and ignored (perfgate sizes every sample alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SamplingMode {
    /// Criterion's default.
    #[default]
    Auto,
    /// Linearly growing samples.
    Linear,
    /// Samples of equal size.
    Flat,
}

/// Scale of a plot's axis: accepted and ignored (no plots).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisScale {
    /// Linear axis.
    #[default]
    Linear,
    /// Logarithmic axis.
    Logarithmic,
}

/// Plot settings of a group: accepted and ignored (no plots).
#[derive(Debug, Clone, Default)]
pub struct PlotConfiguration {
    _scale: AxisScale,
}

impl PlotConfiguration {
    /// Sets the summary plots' scale (ignored).
    pub fn summary_scale(mut self, scale: AxisScale) -> PlotConfiguration {
        self._scale = scale;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_render_as_criterion_names_them() {
        assert_eq!(BenchmarkId::new("parse", 1024).to_string(), "parse/1024");
        assert_eq!(BenchmarkId::from_parameter("x").to_string(), "x");
        assert_eq!("f".into_benchmark_id().to_string(), "f");
        assert_eq!(String::from("g").into_benchmark_id().to_string(), "g");
    }

    #[test]
    fn batches_follow_criterions_sizes() {
        assert_eq!(BatchSize::SmallInput.iters_per_batch(100), 10);
        assert_eq!(BatchSize::SmallInput.iters_per_batch(3), 1);
        assert_eq!(BatchSize::LargeInput.iters_per_batch(100_000), 100);
        assert_eq!(BatchSize::PerIteration.iters_per_batch(50), 1);
        assert_eq!(BatchSize::NumBatches(4).iters_per_batch(10), 3);
        assert_eq!(BatchSize::NumIterations(7).iters_per_batch(100), 7);
        assert_eq!(BatchSize::NumIterations(70).iters_per_batch(10), 10);
    }

    #[test]
    fn throughput_is_per_second() {
        assert_eq!(
            Throughput::Elements(1000).describe(1000.0),
            "1000.00 Melem/s"
        );
        assert_eq!(
            Throughput::BytesDecimal(1_000_000).describe(1e9),
            "1.0 MB/s"
        );
    }
}
