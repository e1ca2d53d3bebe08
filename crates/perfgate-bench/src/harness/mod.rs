//! The bench binary's `main` (what `criterion_main!` expands to): runs standalone for
//! `cargo bench`, serves the worker protocol when perfgate starts it as
//! `BINARY worker --pin CORE`, or runs one benchmark under callgrind as
//! `BINARY __callgrind-child …`.

pub mod args;
mod child;
pub mod context;
mod pin;
mod standalone;
mod worker;

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::callgrind::CHILD_COMMAND;
use crate::routine::Routine;
use context::{Driver, Mode, Reached, with_mode};

/// The mode of a thread on which no bench main set one (a hand-written `main`).
pub fn fallback_mode() -> Box<dyn Mode> {
    standalone::fallback()
}

/// A `criterion_group!` function.
pub type Group = fn();

/// Exit code for a bad command line.
pub const EXIT_USAGE: i32 = 2;

/// The bench binary's entry point: dispatches on the command line and exits.
pub fn main(groups: &[Group]) -> ! {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(run(groups, &args))
}

/// Runs the bench binary with `args` (without the program name); returns the exit code.
pub fn run(groups: &[Group], args: &[String]) -> i32 {
    match args {
        [cmd, pin, core] if cmd == "worker" && pin == "--pin" => worker::run(groups, core),
        [cmd, rest @ ..] if cmd == CHILD_COMMAND => child::run(groups, rest),
        _ => standalone::run(groups, args),
    }
}

/// Calls every group with `mode` as this thread's mode; a group that panics outside a
/// benchmark is reported on stderr and the others go on. Returns the mode.
pub(crate) fn run_groups(groups: &[Group], mode: Box<dyn Mode>) -> Box<dyn Mode> {
    with_mode(mode, || {
        for group in groups {
            if let Err(p) = catch_unwind(AssertUnwindSafe(group)) {
                eprintln!("a benchmark group {}", crate::measure::panic_message(&*p));
            }
        }
    })
}

/// [`run_groups`] with a mode of a known type, given back as that type.
pub(crate) fn run_mode<T: Mode>(groups: &[Group], mode: T) -> T {
    let mode: Box<dyn std::any::Any> = run_groups(groups, Box::new(mode));
    *mode
        .downcast::<T>()
        .expect("the mode given back is the one put in")
}

/// The ids of every benchmark, in the order the groups register them.
pub fn list(groups: &[Group]) -> Vec<String> {
    run_mode(groups, Lister(Vec::new())).0
}

/// A mode that records ids and runs nothing.
struct Lister(Vec<String>);

impl Mode for Lister {
    fn wants(&mut self, id: &str) -> bool {
        self.0.push(id.to_string());
        false
    }

    fn driver(&mut self) -> &mut dyn Driver {
        self
    }

    fn finished(&mut self, _id: &str, _called_iter: bool, _panic: Option<String>) {}
}

impl Driver for Lister {
    fn drive(&mut self, _reached: &Reached<'_>, _routine: &mut dyn Routine) {}
}
