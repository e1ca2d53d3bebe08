//! The driving side of the worker protocol: spawns `BINARY worker --pin CORE`, checks the
//! handshake, and turns requests into typed answers. The worker's stderr goes to a
//! temporary file, so a dead worker's last words end up in the error message. Replies are
//! read by a thread and waited for with a limit ([`ReplyTimeout`]): a worker that stops
//! answering is killed and reported, it never hangs the driver.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};

use super::protocol::{PROTOCOL_VERSION, Reply, Request};
use super::timeout::{ReplyTimeout, describe};

/// What can go wrong talking to a worker.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The binary could not be started.
    #[error("cannot start {binary}: {source}")]
    Spawn {
        /// The binary.
        binary: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The binary exited at the handshake and said it knows no `worker` subcommand.
    #[error(
        "{binary} has no `worker` subcommand (an older perfgate, from before `perfgate ab`): \
         build the base from a commit that has it, or compare with `perfgate run`/`compare`. \
         It said: {stderr}"
    )]
    NoWorkerCommand {
        /// The binary.
        binary: PathBuf,
        /// What it printed on stderr.
        stderr: String,
    },
    /// The worker speaks another protocol version.
    #[error(
        "{binary} speaks worker protocol {theirs}, this perfgate speaks {ours}: build both \
         sides from perfgate versions with the same protocol"
    )]
    Version {
        /// The binary.
        binary: PathBuf,
        /// Its version.
        theirs: u32,
        /// Ours.
        ours: u32,
    },
    /// The worker exited or closed its output.
    #[error("worker {binary} died ({status}){stderr}")]
    Died {
        /// The binary.
        binary: PathBuf,
        /// Exit status, as text.
        status: String,
        /// The end of its stderr, prefixed with ": " when there is any.
        stderr: String,
    },
    /// The worker answered something that is not the expected reply.
    #[error("worker {binary} broke the protocol: {message}")]
    Protocol {
        /// The binary.
        binary: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// The worker is alive but the benchmark failed (panicked, unknown).
    #[error("{0}")]
    Benchmark(String),
    /// The worker did not answer within the limit; it was killed.
    #[error(
        "worker {binary} timed out: no reply to `{request}` within {limit_s:.1} s ({how}), \
         so it was killed{stderr}"
    )]
    TimedOut {
        /// The binary.
        binary: PathBuf,
        /// The request left unanswered, in a few words.
        request: String,
        /// The limit that was reached, seconds.
        limit_s: f64,
        /// Where the limit comes from.
        how: &'static str,
        /// The end of its stderr, prefixed with ": " when there is any.
        stderr: String,
    },
}

impl WorkerError {
    /// True when the worker process is gone (it must be restarted to go on).
    pub fn is_fatal(&self) -> bool {
        !matches!(self, WorkerError::Benchmark(_))
    }
}

/// Samples of one `sample` request.
#[derive(Debug, Clone, PartialEq)]
pub struct Sampled {
    /// Per-iteration nanoseconds of each sample.
    pub samples_ns: Vec<f64>,
    /// Per-iteration CPU nanoseconds of the worker's measuring thread in each sample;
    /// empty when the worker did not report them (see [`Reply::Samples`]).
    pub cpu_ns: Vec<f64>,
    /// Heap bytes allocated during the timed iterations.
    pub alloc_bytes: u64,
    /// Heap allocations during the timed iterations.
    pub allocs: u64,
}

/// A running worker process after a successful handshake.
pub struct WorkerClient {
    binary: PathBuf,
    child: Child,
    stdin: ChildStdin,
    /// Lines of the worker's stdout, read by a thread; closed when the output ends.
    replies: Receiver<String>,
    stderr: std::fs::File,
    /// The reply limit per request.
    timeout: ReplyTimeout,
    /// This worker's calibration per benchmark (ns per iteration), for the reply limit.
    per_iter_ns: HashMap<String, f64>,
    /// The worker's perfgate version.
    pub perfgate_version: String,
    /// The benchmarks the worker can run.
    pub benchmarks: Vec<String>,
    /// The core the worker pinned itself to.
    pub pinned_core: Option<usize>,
}

impl WorkerClient {
    /// Starts `binary worker` (pinned to `core` when given) and does the handshake; every
    /// reply is waited for at most as long as `timeout` allows.
    pub fn spawn(
        binary: &Path,
        core: Option<usize>,
        timeout: ReplyTimeout,
    ) -> Result<WorkerClient, WorkerError> {
        let stderr = tempfile::tempfile().map_err(|source| WorkerError::Spawn {
            binary: binary.to_path_buf(),
            source,
        })?;
        let err_handle = stderr.try_clone().map_err(|source| WorkerError::Spawn {
            binary: binary.to_path_buf(),
            source,
        })?;
        let pin = core.map_or("none".to_string(), |c| c.to_string());
        let mut child = Command::new(binary)
            .args(["worker", "--pin", &pin])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(err_handle))
            .spawn()
            .map_err(|source| WorkerError::Spawn {
                binary: binary.to_path_buf(),
                source,
            })?;
        let stdin = child.stdin.take().expect("piped stdin");
        let replies = match read_lines(child.stdout.take().expect("piped stdout")) {
            Ok(rx) => rx,
            Err(source) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(WorkerError::Spawn {
                    binary: binary.to_path_buf(),
                    source,
                });
            }
        };
        let mut client = WorkerClient {
            binary: binary.to_path_buf(),
            child,
            stdin,
            replies,
            stderr,
            timeout,
            per_iter_ns: HashMap::new(),
            perfgate_version: String::new(),
            benchmarks: Vec::new(),
            pinned_core: None,
        };
        let hello = client.request(&Request::Hello {
            protocol: PROTOCOL_VERSION,
        });
        match hello {
            Ok(Reply::Hello {
                protocol,
                perfgate_version,
                benchmarks,
                pinned_core,
            }) => {
                if protocol != PROTOCOL_VERSION {
                    client.kill();
                    return Err(WorkerError::Version {
                        binary: binary.to_path_buf(),
                        theirs: protocol,
                        ours: PROTOCOL_VERSION,
                    });
                }
                client.perfgate_version = perfgate_version;
                client.benchmarks = benchmarks;
                client.pinned_core = pinned_core;
                Ok(client)
            }
            Ok(other) => Err(client.unexpected("hello", &other)),
            Err(WorkerError::Died { stderr, .. }) if stderr.contains("unrecognized subcommand") => {
                Err(WorkerError::NoWorkerCommand {
                    binary: binary.to_path_buf(),
                    stderr: stderr.trim_start_matches(": ").to_string(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Builds benchmark `bench`'s routine from `seed`.
    pub fn setup(&mut self, bench: &str, seed: u64) -> Result<(), WorkerError> {
        let req = Request::Setup {
            bench: bench.to_string(),
            seed,
        };
        match self.request(&req)? {
            Reply::Ok => Ok(()),
            other => Err(self.unexpected("setup", &other)),
        }
    }

    /// Warms `bench` up; returns the iterations per sample for a `sample_ns` sample and
    /// the mean nanoseconds per iteration.
    pub fn calibrate(
        &mut self,
        bench: &str,
        warmup_ms: u64,
        sample_ns: u64,
    ) -> Result<(u64, f64), WorkerError> {
        let req = Request::Calibrate {
            bench: bench.to_string(),
            warmup_ms,
            sample_ns,
        };
        match self.request(&req)? {
            Reply::Calibrated { iters, per_iter_ns } if iters > 0 => {
                self.per_iter_ns.insert(bench.to_string(), per_iter_ns);
                Ok((iters, per_iter_ns))
            }
            other => Err(self.unexpected("calibrate", &other)),
        }
    }

    /// Re-warms `bench` and takes `samples` samples of `iters` iterations.
    pub fn sample(
        &mut self,
        bench: &str,
        warmup_ms: u64,
        iters: u64,
        samples: u32,
    ) -> Result<Sampled, WorkerError> {
        let req = Request::Sample {
            bench: bench.to_string(),
            warmup_ms,
            iters,
            samples,
        };
        match self.request(&req)? {
            Reply::Samples {
                samples_ns,
                cpu_ns,
                alloc_bytes,
                allocs,
            } if samples_ns.len() == samples as usize
                && (cpu_ns.is_empty() || cpu_ns.len() == samples_ns.len())
                && samples_ns
                    .iter()
                    .chain(&cpu_ns)
                    .all(|x| x.is_finite() && *x >= 0.0) =>
            {
                Ok(Sampled {
                    samples_ns,
                    cpu_ns,
                    alloc_bytes,
                    allocs,
                })
            }
            other => Err(self.unexpected("sample", &other)),
        }
    }

    /// Ends the session politely and waits for the process.
    pub fn quit(mut self) {
        let _ = self.request(&Request::Quit);
        let _ = self.child.wait();
    }

    /// Kills the process (after a failure).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends one request and waits for its reply (at most the reply limit; past it the
    /// worker is killed: [`WorkerError::TimedOut`]); `Reply::Error` becomes
    /// [`WorkerError::Benchmark`].
    fn request(&mut self, req: &Request) -> Result<Reply, WorkerError> {
        let line = serde_json::to_string(req).expect("requests serialize");
        if writeln!(self.stdin, "{line}")
            .and_then(|()| self.stdin.flush())
            .is_err()
        {
            return Err(self.died());
        }
        let per_iter_ns = match req {
            Request::Sample { bench, .. } | Request::Calibrate { bench, .. } => {
                self.per_iter_ns.get(bench).copied()
            }
            _ => None,
        };
        let limit = self.timeout.limit(req, per_iter_ns);
        let answer = match self.replies.recv_timeout(limit) {
            Ok(answer) => answer,
            Err(RecvTimeoutError::Disconnected) => return Err(self.died()),
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                return Err(WorkerError::TimedOut {
                    binary: self.binary.clone(),
                    request: describe(req),
                    limit_s: limit.as_secs_f64(),
                    how: self.timeout.origin(),
                    stderr: self.stderr_tail(),
                });
            }
        };
        match serde_json::from_str::<Reply>(&answer) {
            Ok(Reply::Error { message }) => Err(WorkerError::Benchmark(message)),
            Ok(reply) => Ok(reply),
            Err(e) => Err(WorkerError::Protocol {
                binary: self.binary.clone(),
                message: format!("unreadable reply {:?}: {e}", answer.trim_end()),
            }),
        }
    }

    /// The error for a worker whose output ended: waits for it and reads its stderr.
    fn died(&mut self) -> WorkerError {
        let _ = self.child.kill();
        let status = self
            .child
            .wait()
            .map_or_else(|e| format!("status unknown: {e}"), |s| s.to_string());
        WorkerError::Died {
            binary: self.binary.clone(),
            status,
            stderr: self.stderr_tail(),
        }
    }

    /// The last 600 characters of the worker's stderr, prefixed with ": " (empty if none).
    fn stderr_tail(&mut self) -> String {
        let mut text = String::new();
        let _ = self.stderr.rewind();
        let _ = self.stderr.read_to_string(&mut text);
        let text = text.trim();
        let chars: Vec<char> = text.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(600)..].iter().collect();
        if tail.is_empty() {
            String::new()
        } else {
            format!(": {tail}")
        }
    }

    fn unexpected(&self, what: &str, reply: &Reply) -> WorkerError {
        WorkerError::Protocol {
            binary: self.binary.clone(),
            message: format!("unexpected answer to {what}: {reply:?}"),
        }
    }
}

/// Reads `stdout` line by line on a thread; the channel closes when the output ends (the
/// worker exited or was killed) or a line cannot be read.
fn read_lines(stdout: ChildStdout) -> std::io::Result<Receiver<String>> {
    let (tx, rx) = channel();
    std::thread::Builder::new()
        .name("perfgate-worker-replies".to_string())
        .spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                match reader.read_line(&mut line) {
                    Ok(n) if n > 0 => {
                        if tx.send(line).is_err() {
                            return;
                        }
                    }
                    _ => return,
                }
            }
        })?;
    Ok(rx)
}

impl Drop for WorkerClient {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}
