//! The side of `--metric instructions` that runs under valgrind: a hidden subcommand that
//! sets one benchmark up, warms it up, and runs a fixed number of iterations inside
//! [`perfgate_measured_iterations`], the only function callgrind collects
//! (`--toggle-collect`). It prints what the CPU looks like from inside valgrind.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::suite::{self, Routine};

/// Name of the collected function, as `--toggle-collect` is given it.
pub const ENTRY_POINT: &str = "perfgate_measured_iterations";

/// Exit code of the child when the benchmark panicked or does not exist.
pub const EXIT_BENCH_FAILED: i32 = 3;

/// Runs `iterations` iterations of `routine`: the only code callgrind counts. Never
/// inlined, and unmangled, so `--toggle-collect=perfgate_measured_iterations` finds it.
#[unsafe(no_mangle)]
#[inline(never)]
pub fn perfgate_measured_iterations(routine: &mut dyn Routine, iterations: u64) {
    for _ in 0..iterations {
        routine.iterate();
    }
}

/// CPU features the benchmarks' dispatch can depend on, as detected by this process
/// (under valgrind: what valgrind's emulated CPUID shows).
pub fn cpu_features() -> Vec<String> {
    #[cfg(target_arch = "x86_64")]
    {
        let mut out = Vec::new();
        macro_rules! probe {
            ($($f:tt),*) => {$(
                if std::is_x86_feature_detected!($f) {
                    out.push($f.to_string());
                }
            )*};
        }
        probe!(
            "sse2", "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "avx2", "fma", "f16c",
            "bmi1", "bmi2", "lzcnt", "avx512f", "avx512bw", "avx512dq", "avx512vl"
        );
        out
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Vec::new()
    }
}

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
        for _ in 0..warmup {
            routine.iterate();
        }
        perfgate_measured_iterations(routine.as_mut(), iterations);
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
    let line = serde_json::json!({ "cpu_features": cpu_features() });
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    0
}
