//! When the machine was too busy for its timings to mean anything.

use super::MachineLoad;

/// Other processes using more than this many cores, averaged over a run, make it busy.
/// Measured on this 2-core VM: 0.007–0.022 in 10 quiet runs, 1.50 with `stress-ng --cpu 2`
/// beside `perfgate run --quick`.
pub const BUSY_OTHER_CORES: f64 = 0.25;

/// A hypervisor stealing more than this share of CPU time makes a run busy.
pub const BUSY_STEAL_SHARE: f64 = 0.05;

/// A sentence naming the load when `load` shows a busy machine, `None` when it was quiet
/// (or not measured).
pub fn busy_reason(load: Option<&MachineLoad>, cores: usize) -> Option<String> {
    let load = load?;
    if load.other_cores_busy <= BUSY_OTHER_CORES && load.steal_share <= BUSY_STEAL_SHARE {
        return None;
    }
    let avg = load
        .loadavg_1m
        .map_or(String::new(), |l| format!(", load average {l:.1}"));
    Some(format!(
        "other processes used {:.2} of {cores} cores during the run, steal {:.0}%{avg}",
        load.other_cores_busy,
        load.steal_share * 100.0
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(other: f64, steal: f64) -> MachineLoad {
        MachineLoad {
            other_cores_busy: other,
            steal_share: steal,
            loadavg_1m: Some(3.9),
        }
    }

    #[test]
    fn quiet_and_unmeasured_runs_are_not_busy() {
        assert_eq!(busy_reason(Some(&load(0.03, 0.0)), 2), None);
        assert_eq!(busy_reason(None, 2), None);
    }

    #[test]
    fn other_processes_or_steal_make_a_run_busy_and_the_reason_names_the_load() {
        assert_eq!(
            busy_reason(Some(&load(1.3, 0.0)), 2).unwrap(),
            "other processes used 1.30 of 2 cores during the run, steal 0%, load average 3.9"
        );
        assert!(busy_reason(Some(&load(0.0, 0.2)), 2).is_some());
    }
}
