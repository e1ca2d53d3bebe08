//! The side of `--metric instructions` that runs under valgrind: a hidden subcommand that
//! sets one benchmark up, warms it up, and runs a fixed number of iterations inside
//! [`perfgate_measured_iterations`], the only function callgrind collects
//! (`--toggle-collect`). It prints what the CPU looks like from inside valgrind.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::suite;
use perfgate_bench::Window;
/// The collected function (perfgate-bench's, shared with users' bench binaries), its
/// name, and the child's exit code for a failed benchmark.
pub use perfgate_bench::callgrind::{
    ENTRY_POINT, EXIT_BENCH_FAILED, cpu_features, perfgate_measured_iterations,
};

/// Runs the child: set-up of `name` from `seed`, `warmup` uncounted iterations, then
/// `iterations` counted ones; prints the CPU features as one JSON line on stdout.
/// Returns the exit code (0, or [`EXIT_BENCH_FAILED`] with the reason on stderr).
pub fn run(name: &str, seed: u64, warmup: u64, iterations: u64) -> i32 {
    let Some(bench) = suite::builtin().into_iter().find(|b| b.name == name) else {
        eprintln!("no benchmark named {name:?}");
        return EXIT_BENCH_FAILED;
    };
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut routine = (bench.setup)(seed);
        routine.run(warmup, &mut Window::new(None));
        routine.run(iterations, &mut Window::for_callgrind());
    }));
    if let Err(payload) = outcome {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!("panicked: {msg}");
        return EXIT_BENCH_FAILED;
    }
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", perfgate_bench::callgrind::features_line());
    0
}
