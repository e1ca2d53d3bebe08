//! One run of a command benchmark as a process: wall time from spawn to exit, user and
//! system time and max RSS from `wait4`, stderr kept for the failure message, and a
//! watchdog that kills the whole process group when the run exceeds its time limit.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use std::collections::BTreeMap;

/// Bytes of stderr kept for the message of a failed run.
const STDERR_TAIL_BYTES: u64 = 2000;

/// What one successful run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessRun {
    /// Wall time from just before spawn to the exit being reaped, nanoseconds.
    pub wall_ns: f64,
    /// User CPU time of the process and its waited-for children, nanoseconds.
    pub user_ns: f64,
    /// System CPU time of the process and its waited-for children, nanoseconds.
    pub sys_ns: f64,
    /// Maximum resident set size, bytes.
    pub max_rss_bytes: u64,
}

/// Why a run did not succeed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunFailure {
    /// The program could not be started.
    #[error("cannot start `{program}`: {reason}")]
    Spawn {
        /// The program.
        program: String,
        /// The operating system's reason.
        reason: String,
    },
    /// It exited with a non-zero status or was killed by a signal.
    #[error("{status}{}", tail_suffix(.stderr_tail))]
    Failed {
        /// "exited with code 3" or "killed by signal 9".
        status: String,
        /// The end of its stderr.
        stderr_tail: String,
    },
    /// It ran longer than its time limit; its process group was killed.
    #[error("timed out after {:.3} s; its process group was killed", .after.as_secs_f64())]
    Timeout {
        /// The limit.
        after: Duration,
    },
}

fn tail_suffix(tail: &str) -> String {
    if tail.is_empty() {
        String::new()
    } else {
        format!("; end of stderr:\n{tail}")
    }
}

/// Where and how a process runs.
#[derive(Debug, Clone, Copy)]
pub struct Launch<'a> {
    /// Program and arguments.
    pub argv: &'a [String],
    /// Working directory.
    pub cwd: &'a Path,
    /// Extra environment variables.
    pub env: &'a BTreeMap<String, String>,
    /// Time limit.
    pub timeout: Duration,
}

/// Runs the process to completion (or to its time limit) and measures it.
pub fn run_process(launch: Launch<'_>) -> Result<ProcessRun, RunFailure> {
    let program = launch.argv[0].clone();
    let spawn_failed = |reason: String| RunFailure::Spawn {
        program: program.clone(),
        reason,
    };
    let mut stderr = tempfile::tempfile().map_err(|e| spawn_failed(e.to_string()))?;
    let stderr_for_child = stderr
        .try_clone()
        .map_err(|e| spawn_failed(e.to_string()))?;
    let mut command = Command::new(&launch.argv[0]);
    command
        .args(&launch.argv[1..])
        .current_dir(launch.cwd)
        .envs(launch.env)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr_for_child)
        // Its own process group, so a timeout kills everything it started.
        .process_group(0);
    let start = Instant::now();
    let child = command.spawn().map_err(|e| spawn_failed(e.to_string()))?;
    let pid = child.id() as libc::pid_t;
    let watchdog = Watchdog::start(pid, launch.timeout);
    let (status, usage) = wait4(pid).map_err(|e| spawn_failed(format!("wait4: {e}")))?;
    let wall = start.elapsed();
    let timed_out = watchdog.stop();
    drop(child); // already reaped by wait4
    if timed_out {
        return Err(RunFailure::Timeout {
            after: launch.timeout,
        });
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        let status = if libc::WIFSIGNALED(status) {
            format!("killed by signal {}", libc::WTERMSIG(status))
        } else {
            format!("exited with code {}", libc::WEXITSTATUS(status))
        };
        return Err(RunFailure::Failed {
            status,
            stderr_tail: read_tail(&mut stderr),
        });
    }
    let tv_ns = |tv: libc::timeval| tv.tv_sec as f64 * 1e9 + tv.tv_usec as f64 * 1e3;
    Ok(ProcessRun {
        wall_ns: wall.as_nanos() as f64,
        user_ns: tv_ns(usage.ru_utime),
        sys_ns: tv_ns(usage.ru_stime),
        // Linux reports ru_maxrss in kilobytes.
        max_rss_bytes: (usage.ru_maxrss.max(0) as u64) * 1024,
    })
}

/// Blocks until `pid` exits; returns its wait status and resource usage.
fn wait4(pid: libc::pid_t) -> std::io::Result<(libc::c_int, libc::rusage)> {
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: valid pointers to locals; pid is our own child, not yet reaped.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok((status, usage));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// The last few lines of the captured stderr, lossily decoded.
fn read_tail(file: &mut std::fs::File) -> String {
    let len = file.seek(SeekFrom::End(0)).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(STDERR_TAIL_BYTES)));
    let mut bytes = Vec::new();
    let _ = file.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.trim_end().lines().collect();
    lines[lines.len().saturating_sub(10)..].join("\n")
}

/// A thread that kills process group `pid` unless stopped within the time limit.
struct Watchdog {
    stop: mpsc::Sender<()>,
    fired: std::thread::JoinHandle<bool>,
}

impl Watchdog {
    fn start(pid: libc::pid_t, timeout: Duration) -> Watchdog {
        let (stop, stopped) = mpsc::channel::<()>();
        let fired = std::thread::spawn(move || match stopped.recv_timeout(timeout) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // SAFETY: plain syscall; the group leader is not reaped yet (the main
                // thread is blocked in wait4 until the kill lands), so the id is ours.
                unsafe { libc::killpg(pid, libc::SIGKILL) };
                true
            }
            _ => false,
        });
        Watchdog { stop, fired }
    }

    /// Stops the watchdog; true when it had fired.
    fn stop(self) -> bool {
        let _ = self.stop.send(());
        self.fired.join().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(argv: &[&str], timeout_ms: u64) -> Result<ProcessRun, RunFailure> {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        run_process(Launch {
            argv: &argv,
            cwd: Path::new("."),
            env: &BTreeMap::new(),
            timeout: Duration::from_millis(timeout_ms),
        })
    }

    #[test]
    fn a_successful_run_reports_its_resources() {
        let r = run(&["true"], 10_000).unwrap();
        assert!(r.wall_ns > 0.0);
        assert!(r.max_rss_bytes > 0);
    }

    #[test]
    fn a_non_zero_exit_carries_the_end_of_stderr() {
        let err = run(
            &["sh", "-c", "echo first >&2; echo oops >&2; exit 3"],
            10_000,
        )
        .unwrap_err();
        assert_eq!(
            err,
            RunFailure::Failed {
                status: "exited with code 3".to_string(),
                stderr_tail: "first\noops".to_string()
            }
        );
        assert_eq!(
            err.to_string(),
            "exited with code 3; end of stderr:\nfirst\noops"
        );
    }

    #[test]
    fn a_timeout_kills_the_process_group() {
        // The shell's child `sleep` is in the same group and dies with it; without the
        // group kill the wait would last 5 s and the test would still pass but slowly,
        // so the outcome (Timeout) is what is asserted, not a duration.
        let err = run(&["sh", "-c", "sleep 5; true"], 200).unwrap_err();
        assert_eq!(
            err,
            RunFailure::Timeout {
                after: Duration::from_millis(200)
            }
        );
    }

    #[test]
    fn a_missing_program_is_a_spawn_failure() {
        let err = run(&["/nonexistent/perfgate-test"], 1000).unwrap_err();
        assert!(matches!(err, RunFailure::Spawn { .. }), "{err}");
    }
}
