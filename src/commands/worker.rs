//! `perfgate worker`: serve the worker protocol on stdin/stdout, pinned to the given core.

use crate::cli::WorkerCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::runner::{allowed_cores, build_pool, pin_current_thread};
use crate::suite;
use crate::worker::{Faults, LocalHost, serve};
use perfgate_bench::CpuClock;

/// Runs `perfgate worker`. The rayon pool (one worker per allowed core, as in `run`) is
/// built before this thread is pinned, so multi-threaded benchmarks still see every core.
pub fn run(cmd: WorkerCommand) -> anyhow::Result<i32> {
    let core = match cmd.pin.as_str() {
        "none" => None,
        id => Some(id.parse::<usize>().map_err(|_| {
            InputError::flag("--pin", format!("expected a core id or none, got {id:?}"))
        })?),
    };
    let allowed = allowed_cores();
    build_pool(&allowed, core.is_some());
    let pinned = core.filter(|&c| pin_current_thread(c));
    if let Some(c) = core
        && pinned.is_none()
    {
        tracing::warn!("worker could not pin itself to core {c}; running unpinned");
    }
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let benches = suite::builtin();
    let names = benches.iter().map(|b| b.name.clone()).collect();
    let mut host = LocalHost::new(names, |name, seed| {
        let bench = benches.iter().find(|b| b.name == name)?;
        let mut m = bench.measured(seed);
        // The thread's CPU time would leave out the pool threads' work.
        if !bench.parallel {
            m.time_cpu(CpuClock::Thread);
        }
        Some(m)
    });
    let version = env!("CARGO_PKG_VERSION");
    serve(
        &mut host,
        version,
        pinned,
        &Faults::from_env(),
        stdin,
        stdout,
    )?;
    Ok(EXIT_PASS)
}
