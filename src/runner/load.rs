//! How busy the machine was while perfgate measured: CPU time used by *other* processes
//! (from /proc/stat minus this process's own time), hypervisor steal, and the load average.
//! A run on a busy machine cannot support a timing regression; `bless` refuses it.

use crate::results::MachineLoad;

/// CPU counters at the start of a run (Linux); measuring is skipped elsewhere.
#[derive(Debug, Clone, Copy)]
pub struct LoadMonitor {
    start: Option<Ticks>,
}

/// Jiffies (USER_HZ) of the whole machine and of this process, at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ticks {
    busy: u64,
    steal: u64,
    total: u64,
    own: u64,
}

impl LoadMonitor {
    /// Reads the counters now.
    pub fn start() -> Self {
        LoadMonitor { start: read() }
    }

    /// What the machine did since [`LoadMonitor::start`]; `cores` is the machine's logical
    /// core count.
    pub fn finish(&self, cores: usize) -> Option<MachineLoad> {
        let (start, end) = (self.start?, read()?);
        let load = usage(&start, &end, cores)?;
        Some(MachineLoad {
            loadavg_1m: loadavg(),
            ..load
        })
    }
}

/// Shortest window, in jiffies per core (half a second at the usual 100 Hz), over which the
/// load is told: the kernel accounts whole jiffies, so over a few of them one jiffy charged
/// to another process reads as half a core busy (a 20 ms run did).
const MIN_TICKS_PER_CORE: u64 = 50;

/// The part of `end − start` used by others, in cores, and the steal share; `None` over a
/// window too short to tell.
fn usage(start: &Ticks, end: &Ticks, cores: usize) -> Option<MachineLoad> {
    let total = end.total.checked_sub(start.total)?;
    if total < MIN_TICKS_PER_CORE * cores.max(1) as u64 {
        return None;
    }
    let busy = end.busy.saturating_sub(start.busy);
    let own = end.own.saturating_sub(start.own);
    let steal = end.steal.saturating_sub(start.steal);
    let cores = cores.max(1) as f64;
    Some(MachineLoad {
        other_cores_busy: busy.saturating_sub(own) as f64 / total as f64 * cores,
        steal_share: steal as f64 / total as f64,
        loadavg_1m: None,
    })
}

fn read() -> Option<Ticks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let own = std::fs::read_to_string("/proc/self/stat").ok()?;
    let (busy, steal, total) = parse_cpu_line(stat.lines().next()?)?;
    Some(Ticks {
        busy,
        steal,
        total,
        own: parse_own_ticks(&own)?,
    })
}

/// (busy, steal, total) jiffies of the aggregate `cpu` line of /proc/stat. Busy is user +
/// nice + system + irq + softirq (guest time is already inside user); total adds idle,
/// iowait and steal.
fn parse_cpu_line(line: &str) -> Option<(u64, u64, u64)> {
    let mut parts = line.split_whitespace();
    (parts.next()? == "cpu").then_some(())?;
    let v: Vec<u64> = parts
        .take(8)
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [user, nice, system, idle, iowait, irq, softirq, steal] = v[..] else {
        return None;
    };
    let busy = user + nice + system + irq + softirq;
    Some((busy, steal, busy + idle + iowait + steal))
}

/// utime + stime + cutime + cstime of /proc/self/stat (children count: workers are ours).
fn parse_own_ticks(stat: &str) -> Option<u64> {
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state), so field n is rest[n - 3].
    let tick = |n: usize| fields.get(n - 3)?.parse::<i64>().ok();
    let sum = tick(14)? + tick(15)? + tick(16)? + tick(17)?;
    u64::try_from(sum).ok()
}

fn loadavg() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_line_splits_busy_steal_and_total() {
        let line = "cpu  70515 31 7847 43448 460 0 123 371 0 0";
        assert_eq!(
            parse_cpu_line(line),
            Some((
                70515 + 31 + 7847 + 123,
                371,
                70515 + 31 + 7847 + 123 + 43448 + 460 + 371
            ))
        );
        assert_eq!(parse_cpu_line("cpu0 1 2 3 4 5 6 7 8"), None);
    }

    #[test]
    fn own_ticks_survive_a_command_name_with_spaces_and_parens() {
        let stat = "42 (perf gate) R 1 42 42 0 -1 4194304 100 0 0 0 250 30 5 7 20 0 1 0";
        assert_eq!(parse_own_ticks(stat), Some(250 + 30 + 5 + 7));
    }

    #[test]
    fn others_are_the_busy_time_this_process_did_not_use() {
        let start = Ticks {
            busy: 0,
            steal: 0,
            total: 0,
            own: 0,
        };
        // 200 jiffies on 2 cores: 150 busy of which 90 ours, 10 stolen.
        let end = Ticks {
            busy: 150,
            steal: 10,
            total: 200,
            own: 90,
        };
        let load = usage(&start, &end, 2).unwrap();
        assert!((load.other_cores_busy - 0.6).abs() < 1e-12);
        assert!((load.steal_share - 0.05).abs() < 1e-12);
        assert_eq!(usage(&start, &start, 2), None);
        // 20 jiffies on 2 cores (about 100 ms): one stray jiffy would read as 0.1 cores.
        let short = Ticks {
            busy: 11,
            steal: 0,
            total: 20,
            own: 10,
        };
        assert_eq!(usage(&start, &short, 2), None, "too short to tell");
    }
}
