//! What the running bench binary is doing, per thread: the benches' `Criterion` calls look
//! here to decide whether a benchmark is listed, measured standalone, served to perfgate,
//! counted under callgrind, or skipped.

use std::cell::RefCell;
use std::time::Duration;

use crate::compat::ids::Throughput;
use crate::routine::Routine;

/// Settings that shape a standalone measurement, from the `Criterion` and group setters.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Samples per benchmark.
    pub sample_size: u32,
    /// Total time of the timed samples.
    pub measurement_time: Duration,
    /// Warm-up before the samples.
    pub warm_up_time: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            sample_size: 100,
            measurement_time: Duration::from_secs(5),
            warm_up_time: Duration::from_secs(3),
        }
    }
}

/// One benchmark as a group reaches it: its full id, settings and throughput.
pub struct Reached<'r> {
    /// Criterion's id (`group/function/parameter`).
    pub id: &'r str,
    /// Effective settings.
    pub settings: &'r Settings,
    /// Throughput of the group, if set.
    pub throughput: Option<&'r Throughput>,
}

/// Receives the routine of the benchmark being run and measures it.
pub trait Driver {
    /// Measures `routine` (called by the `Bencher`'s `iter*` methods).
    fn drive(&mut self, reached: &Reached<'_>, routine: &mut dyn Routine);
}

/// What a thread's `Criterion` calls do with each benchmark they reach.
pub trait Mode: std::any::Any {
    /// Whether the benchmark `id` runs (its closure is called) in this mode; it is recorded
    /// as seen either way.
    fn wants(&mut self, id: &str) -> bool;
    /// The driver for a benchmark that runs.
    fn driver(&mut self) -> &mut dyn Driver;
    /// Called after the benchmark's closure returned (`called_iter`: it called an `iter*`
    /// method) or panicked (`panic`: the message).
    fn finished(&mut self, id: &str, called_iter: bool, panic: Option<String>);
}

thread_local! {
    static MODE: RefCell<Option<Box<dyn Mode>>> = const { RefCell::new(None) };
}

/// Runs `f` with `mode` as this thread's mode and returns the mode afterwards.
pub fn with_mode(mode: Box<dyn Mode>, f: impl FnOnce()) -> Box<dyn Mode> {
    MODE.with(|m| *m.borrow_mut() = Some(mode));
    f();
    MODE.with(|m| {
        m.borrow_mut()
            .take()
            .expect("the mode is set for the whole call")
    })
}

/// Takes this thread's mode out for the duration of `f` (benchmark closures run with it
/// taken, so nested `Criterion` calls see no mode and skip). `None` outside a bench main.
pub fn take_mode() -> Option<Box<dyn Mode>> {
    MODE.with(|m| m.borrow_mut().take())
}

/// Puts the mode back after [`take_mode`].
pub fn restore_mode(mode: Box<dyn Mode>) {
    MODE.with(|m| *m.borrow_mut() = Some(mode));
}
