//! perfgate's measuring harness, and a criterion-compatible API on top of it.
//!
//! Depend on it under criterion's name and existing benches build unchanged:
//!
//! ```toml
//! [dev-dependencies]
//! criterion = { package = "perfgate-bench", version = "0.1" }
//! ```
//!
//! The bench binary then runs standalone under `cargo bench` (a P50/P95/P99 table), and
//! serves perfgate's worker protocol when perfgate starts it (`perfgate ab`,
//! `perfgate run --bench-bin`). The same measuring loop, allocation counter, callgrind entry
//! point and protocol serve perfgate's own built-in suite.

pub mod alloc;
pub mod callgrind;
mod compat;
pub mod harness;
pub mod measure;
pub mod protocol;
pub mod routine;
pub mod serve;
pub mod timer;

pub use compat::measurement;
pub use compat::{
    AsyncNotSupported, AxisScale, BatchSize, Bencher, BenchmarkGroup, BenchmarkId, Criterion,
    IntoBenchmarkId, PlotConfiguration, ProfilerNotSupported, SamplingMode, Throughput,
};
pub use measure::Measured;
pub use routine::{Routine, Window};
pub use timer::{CpuClock, TimerCost, thread_cpu_ns};

/// Keeps the compiler from optimising a value (or the work producing it) away.
pub use std::hint::black_box;
