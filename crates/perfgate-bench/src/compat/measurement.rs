//! `criterion::measurement`: the type paths benches write in signatures
//! (`BenchmarkGroup<'_, WallTime>`, `fn f<M: Measurement>(…)`). Only wall time exists:
//! implementing [`Measurement`] for another type is a compile error that says so.

/// What a benchmark is measured with. perfgate-bench measures wall time (and, started by
/// perfgate, CPU time and instruction counts) only.
#[diagnostic::on_unimplemented(
    message = "perfgate-bench measures wall time only: `{Self}` is not a supported criterion measurement",
    note = "custom measurements (criterion's `Measurement` trait, `Criterion::with_measurement`) are not supported; remove them or keep real criterion for this bench"
)]
pub trait Measurement: private::Sealed {}

/// Wall-clock time, criterion's default measurement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WallTime;

impl Measurement for WallTime {}

mod private {
    /// Keeps [`super::Measurement`] closed to the types of this crate.
    pub trait Sealed {}
    impl Sealed for super::WallTime {}
}
