//! Serving the worker protocol from a bench binary (`BINARY worker --pin CORE`, as
//! `perfgate ab` and `perfgate run --bench-bin` start it). The driver sets up every
//! benchmark and then visits them in any order, so each benchmark lives on its own thread:
//! the thread runs the groups until it reaches its benchmark, and inside the benchmark's
//! `iter` call answers the measuring requests sent to it, one at a time (the other threads
//! wait, so allocation counts and CPU time stay the benchmark's own).

use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::context::{Driver, Mode, Reached};
use super::pin::pin_current_thread;
use super::{EXIT_USAGE, Group, list, run_mode};
use crate::alloc::count_this_thread;
use crate::measure::Measured;
use crate::protocol::Reply;
use crate::routine::Routine;
use crate::serve::{Faults, Host, Measure, answer, serve, unknown};
use crate::timer::CpuClock;

/// Stack of a benchmark thread (benches may recurse deeply, as on a main thread).
const STACK_BYTES: usize = 64 << 20;

/// Serves the protocol on stdin/stdout, benchmark threads pinned to `core` (`none`: not
/// pinned). Returns the exit code.
pub fn run(groups: &[Group], core: &str) -> i32 {
    let core = match core {
        "none" => None,
        id => match id.parse::<usize>() {
            Ok(c) => Some(c),
            Err(_) => {
                eprintln!("error: --pin: expected a core id or none, got {id:?}");
                return EXIT_USAGE;
            }
        },
    };
    // This thread only relays requests; a benchmark thread's counts are its own.
    count_this_thread(false);
    let pinned = core.filter(|&c| pin_current_thread(c));
    if let Some(c) = core
        && pinned.is_none()
    {
        eprintln!("warning: could not pin to core {c}; running unpinned");
    }
    let mut host = ThreadHost {
        groups: groups.to_vec(),
        names: list(groups),
        core: pinned,
        threads: HashMap::new(),
    };
    let stdin = std::io::stdin().lock();
    let stdout = std::io::stdout().lock();
    let version = concat!("perfgate-bench ", env!("CARGO_PKG_VERSION"));
    match serve(
        &mut host,
        version,
        pinned,
        &Faults::from_env(),
        stdin,
        stdout,
    ) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: worker I/O: {e}");
            1
        }
    }
}

/// One benchmark's thread: requests in, replies out.
struct BenchThread {
    requests: Sender<Measure>,
    replies: Receiver<Reply>,
    handle: JoinHandle<()>,
}

/// A [`Host`] keeping each benchmark on its own thread.
struct ThreadHost {
    groups: Vec<Group>,
    names: Vec<String>,
    core: Option<usize>,
    threads: HashMap<String, BenchThread>,
}

impl ThreadHost {
    fn stop(&mut self, bench: &str) {
        if let Some(t) = self.threads.remove(bench) {
            drop(t.requests);
            let _ = t.handle.join();
        }
    }
}

impl Drop for ThreadHost {
    fn drop(&mut self) {
        let names: Vec<String> = self.threads.keys().cloned().collect();
        for name in names {
            self.stop(&name);
        }
    }
}

impl Host for ThreadHost {
    fn benchmarks(&self) -> Vec<String> {
        self.names.clone()
    }

    fn setup(&mut self, bench: &str, _seed: u64) -> Reply {
        self.stop(bench);
        let (req_tx, req_rx) = channel();
        let (rep_tx, rep_rx) = channel();
        let groups = self.groups.clone();
        let core = self.core;
        let target = bench.to_string();
        let spawned = std::thread::Builder::new()
            .name(format!("bench {bench}"))
            .stack_size(STACK_BYTES)
            .spawn(move || {
                // Counted only while answering its own requests (see `Server::drive`).
                count_this_thread(false);
                if let Some(c) = core {
                    pin_current_thread(c);
                }
                let server = Server {
                    target: target.clone(),
                    requests: req_rx,
                    replies: rep_tx,
                    replied: false,
                    done: false,
                };
                let server = run_mode(&groups, server);
                if !server.replied {
                    let _ = server.replies.send(Reply::Error {
                        message: format!(
                            "benchmark {target:?} was not reached: its group panicked first \
                             (see the worker's stderr)"
                        ),
                    });
                }
            });
        let handle = match spawned {
            Ok(h) => h,
            Err(e) => {
                return Reply::Error {
                    message: format!("cannot start the thread of {bench:?}: {e}"),
                };
            }
        };
        let reply = rep_rx.recv().unwrap_or_else(|_| gone(bench));
        self.threads.insert(
            bench.to_string(),
            BenchThread {
                requests: req_tx,
                replies: rep_rx,
                handle,
            },
        );
        reply
    }

    fn measure(&mut self, bench: &str, request: Measure) -> Reply {
        let Some(t) = self.threads.get(bench) else {
            return unknown(bench);
        };
        if t.requests.send(request).is_err() {
            return gone(bench);
        }
        t.replies.recv().unwrap_or_else(|_| gone(bench))
    }
}

fn gone(bench: &str) -> Reply {
    Reply::Error {
        message: format!("benchmark {bench:?} failed (its closure ended or panicked)"),
    }
}

/// The mode of a benchmark thread: skips every benchmark but its own, and serves that one.
struct Server {
    target: String,
    requests: Receiver<Measure>,
    replies: Sender<Reply>,
    replied: bool,
    done: bool,
}

impl Mode for Server {
    fn wants(&mut self, id: &str) -> bool {
        !self.done && id == self.target
    }

    fn driver(&mut self) -> &mut dyn Driver {
        self
    }

    fn finished(&mut self, _id: &str, called_iter: bool, panic: Option<String>) {
        self.done = true;
        if self.replied {
            return;
        }
        let message = match (panic, called_iter) {
            (Some(p), _) => format!("set-up {p}"),
            (None, _) => "the benchmark did not call an iter method".to_string(),
        };
        self.replied = true;
        let _ = self.replies.send(Reply::Error { message });
    }
}

impl Driver for Server {
    fn drive(&mut self, _reached: &Reached<'_>, routine: &mut dyn Routine) {
        if self.done || self.replied {
            return;
        }
        let mut m = Measured::new(Box::new(routine));
        // The process clock also counts threads the benchmark starts; the other benchmark
        // threads are blocked meanwhile.
        m.time_cpu(CpuClock::Process);
        self.replied = true;
        if self.replies.send(Reply::Ok).is_err() {
            return;
        }
        while let Ok(request) = self.requests.recv() {
            // Counted while measuring: the benchmark's allocations on this thread (and on
            // threads it starts) are its own; the receive and send around are not.
            count_this_thread(true);
            let reply = answer(&mut m, request);
            count_this_thread(false);
            if self.replies.send(reply).is_err() {
                break;
            }
        }
        self.done = true;
    }
}
