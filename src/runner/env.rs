//! What machine and tree a run measured: CPU, OS, toolchain, commit, clock and governor.

use std::process::Command;

use crate::results::Env;

/// Collects the environment of this run; the runner fills in the cores it pinned.
/// Call it before pinning: the logical core count is what this process may use.
pub fn collect() -> Env {
    Env {
        cpu_model: cpu_model().unwrap_or_else(|| "unknown".to_string()),
        logical_cores: logical_cores(),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        kernel: read_trimmed("/proc/sys/kernel/osrelease").unwrap_or_else(|| "unknown".into()),
        rustc: env!("PERFGATE_RUSTC_VERSION").to_string(),
        git_commit: git_commit(),
        timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        pinned_cores: Vec::new(),
        pool_cores: Vec::new(),
        clocksource: read_trimmed(
            "/sys/devices/system/clocksource/clocksource0/current_clocksource",
        ),
        governor: read_trimmed("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"),
        cpu: super::cpu::identify(),
        load: None,
    }
}

fn read_trimmed(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Logical cores the OS reports. Not `available_parallelism`, which follows this thread's
/// affinity and so says 1 once the runner has pinned it (a second run in one process).
fn logical_cores() -> usize {
    std::fs::read_to_string("/proc/cpuinfo")
        .map(|info| info.lines().filter(|l| l.starts_with("processor")).count())
        .ok()
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn cpu_model() -> Option<String> {
    let info = std::fs::read_to_string("/proc/cpuinfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
}

/// Commit of the git tree in the working directory, with "-dirty" when it has changes.
fn git_commit() -> Option<String> {
    let run = |args: &[&str]| {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = run(&["rev-parse", "HEAD"])?;
    let dirty =
        run(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{commit}-dirty")
    } else {
        commit
    })
}
