//! `perfgate worker`: serve the worker protocol on stdin/stdout, pinned to the given core.

use crate::cli::WorkerCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::runner::{allowed_cores, build_pool, pin_current_thread};
use crate::suite;
use crate::worker::{Faults, serve};

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
    serve(suite::builtin(), pinned, &Faults::from_env(), stdin, stdout)?;
    Ok(EXIT_PASS)
}
