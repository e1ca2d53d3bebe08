//! Core pinning: which core the measuring thread runs on, and the worker pool that
//! multi-threaded benchmarks use.

use crate::error::InputError;

/// Where the measuring thread runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// One core chosen by perfgate: the highest allowed core, so core 0 (which takes most
    /// interrupts) is avoided when there is more than one.
    Auto,
    /// Not pinned; the OS scheduler decides.
    None,
    /// This core id.
    Core(usize),
}

impl Pin {
    /// Parses `--pin auto|none|<core id>`.
    pub fn parse(text: &str) -> Result<Pin, InputError> {
        match text {
            "auto" => Ok(Pin::Auto),
            "none" => Ok(Pin::None),
            other => other.parse::<usize>().map(Pin::Core).map_err(|_| {
                InputError::flag(
                    "--pin",
                    format!("expected auto, none or a core id, got {other:?}"),
                )
            }),
        }
    }
}

/// The cores this process may run on, as core_affinity reports them.
pub fn allowed_cores() -> Vec<usize> {
    let mut ids: Vec<usize> = core_affinity::get_core_ids()
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort_unstable();
    ids
}

/// Resolves `pin` against the allowed cores: the core to pin to, or `None` for no pinning.
pub fn choose_core(pin: Pin, allowed: &[usize]) -> Result<Option<usize>, InputError> {
    match pin {
        Pin::None => Ok(None),
        Pin::Auto => Ok(allowed.last().copied()),
        Pin::Core(id) if allowed.contains(&id) => Ok(Some(id)),
        Pin::Core(id) => Err(InputError::flag(
            "--pin",
            format!("core {id} does not exist or is not allowed (allowed cores: {allowed:?})"),
        )),
    }
}

/// Pins the calling thread to `core`; returns false when the OS refused.
pub fn pin_current_thread(core: usize) -> bool {
    core_affinity::set_for_current(core_affinity::CoreId { id: core })
}

/// Builds the global rayon pool with one worker per allowed core, each worker pinned to its
/// core when `pin_workers` is set. Must run *before* the main thread is pinned: a pool built
/// afterwards sees only the one core. Returns the pool's cores; the pool is built once per
/// process, so later calls return the cores of the first (empty if rayon's pool was
/// started by someone else). When it returns, every pool thread has started and made its
/// start-up allocations, so they are not counted in a sample.
pub fn build_pool(allowed: &[usize], pin_workers: bool) -> Vec<usize> {
    static POOL_CORES: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    POOL_CORES
        .get_or_init(|| build_global_pool(allowed, pin_workers))
        .clone()
}

fn build_global_pool(allowed: &[usize], pin_workers: bool) -> Vec<usize> {
    let cores = allowed.to_vec();
    let for_workers = cores.clone();
    let built = rayon::ThreadPoolBuilder::new()
        .num_threads(cores.len().max(1))
        .start_handler(move |i| {
            if pin_workers && let Some(&core) = for_workers.get(i) {
                pin_current_thread(core);
            }
        })
        .build_global();
    match built {
        Ok(()) => {
            // Each pool thread allocates its crossbeam-epoch handle (2,304 B) on its first
            // steal, which can come after `build_global` returns and so inside a sample
            // (an A/A once counted it on one side). A broadcast job is taken by a steal on
            // every thread and returns only when all ran it: the allocation is done here.
            rayon::broadcast(|_| ());
            cores
        }
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pin_values() {
        assert_eq!(Pin::parse("auto").unwrap(), Pin::Auto);
        assert_eq!(Pin::parse("none").unwrap(), Pin::None);
        assert_eq!(Pin::parse("3").unwrap(), Pin::Core(3));
        let err = Pin::parse("fast").unwrap_err().to_string();
        assert!(err.contains("--pin") && err.contains("fast"), "{err}");
    }

    #[test]
    fn auto_avoids_core_zero_and_unknown_core_is_an_error() {
        assert_eq!(choose_core(Pin::Auto, &[0, 1]).unwrap(), Some(1));
        assert_eq!(choose_core(Pin::Auto, &[0]).unwrap(), Some(0));
        assert_eq!(choose_core(Pin::None, &[0, 1]).unwrap(), None);
        let err = choose_core(Pin::Core(7), &[0, 1]).unwrap_err().to_string();
        assert!(err.contains("core 7 does not exist"), "{err}");
    }
}
