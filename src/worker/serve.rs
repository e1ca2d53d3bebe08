//! The serving side of the worker protocol (`perfgate worker`): reads requests as JSON
//! lines, measures with the runner's [`Measured`], answers one JSON line per request.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::time::Duration;

use super::protocol::{PROTOCOL_VERSION, Reply, Request};
use crate::runner::{Measured, TimerCost};
use crate::suite::Benchmark;

/// Faults a test can inject into a real worker through `PERFGATE_WORKER_FAULT`
/// (`;`-separated: `protocol=N` announces version N, `crash=NAME` aborts the process when
/// asked to sample NAME, `hang=NAME` stops answering (sleeps for ever) when asked to sample
/// NAME, `hide=NAME` leaves NAME out of the suite list). Never set in normal use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Protocol version to announce instead of [`PROTOCOL_VERSION`].
    pub protocol: Option<u32>,
    /// Benchmark whose sampling aborts the process.
    pub crash_on: Option<String>,
    /// Benchmark whose sampling never answers.
    pub hang_on: Option<String>,
    /// Benchmarks left out of the suite list.
    pub hide: Vec<String>,
}

/// Name of the environment variable holding [`Faults`].
pub const FAULT_ENV: &str = "PERFGATE_WORKER_FAULT";

impl Faults {
    /// Parses the value of `PERFGATE_WORKER_FAULT` (unknown items are ignored).
    pub fn parse(text: &str) -> Faults {
        let mut f = Faults::default();
        for item in text.split(';') {
            match item.split_once('=') {
                Some(("protocol", v)) => f.protocol = v.trim().parse().ok(),
                Some(("crash", v)) => f.crash_on = Some(v.trim().to_string()),
                Some(("hang", v)) => f.hang_on = Some(v.trim().to_string()),
                Some(("hide", v)) => f.hide.push(v.trim().to_string()),
                _ => {}
            }
        }
        f
    }

    /// The faults set in the environment (none when the variable is absent).
    pub fn from_env() -> Faults {
        std::env::var(FAULT_ENV).map_or_else(|_| Faults::default(), |v| Faults::parse(&v))
    }
}

/// Serves requests from `input` until `quit` or end of input. `pinned_core` is reported in
/// the handshake. I/O errors end the session (the driver sees the worker gone).
pub fn serve(
    benches: Vec<Benchmark>,
    pinned_core: Option<usize>,
    faults: &Faults,
    input: impl BufRead,
    mut output: impl Write,
) -> io::Result<()> {
    let benches: Vec<Benchmark> = benches
        .into_iter()
        .filter(|b| !faults.hide.contains(&b.name))
        .collect();
    let timer = TimerCost::measure();
    let mut state: HashMap<String, Measured> = HashMap::new();
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let reply = match serde_json::from_str::<Request>(&line) {
            Err(e) => Reply::Error {
                message: format!("not a request: {e}"),
            },
            Ok(Request::Quit) => {
                write_reply(&mut output, &Reply::Ok)?;
                return Ok(());
            }
            Ok(Request::Hello { .. }) => Reply::Hello {
                protocol: faults.protocol.unwrap_or(PROTOCOL_VERSION),
                perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
                benchmarks: benches.iter().map(|b| b.name.clone()).collect(),
                pinned_core,
            },
            Ok(Request::Setup { bench, seed }) => match benches.iter().find(|b| b.name == bench) {
                None => unknown(&bench),
                Some(b) => {
                    let mut m = Measured::setup(b, seed);
                    // The thread's CPU time would leave out the pool threads' work.
                    if !b.parallel {
                        m.time_cpu();
                    }
                    let reply = failure(&m).unwrap_or(Reply::Ok);
                    state.insert(bench, m);
                    reply
                }
            },
            Ok(Request::Calibrate {
                bench,
                warmup_ms,
                sample_ns,
            }) => match state.get_mut(&bench) {
                None => unknown(&bench),
                Some(m) => {
                    let per_iter_ns = m.warm_up_and_calibrate(
                        Duration::from_millis(warmup_ms),
                        sample_ns as f64,
                        timer.min_sample_ns(),
                    );
                    failure(m).unwrap_or(Reply::Calibrated {
                        iters: m.iters_per_sample,
                        per_iter_ns,
                    })
                }
            },
            Ok(Request::Sample {
                bench,
                warmup_ms,
                iters,
                samples,
            }) => {
                if faults.crash_on.as_deref() == Some(bench.as_str()) {
                    std::process::abort();
                }
                if faults.hang_on.as_deref() == Some(bench.as_str()) {
                    loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    }
                }
                match state.get_mut(&bench) {
                    None => unknown(&bench),
                    Some(m) => sample(m, warmup_ms, iters, samples),
                }
            }
        };
        write_reply(&mut output, &reply)?;
    }
    Ok(())
}

/// Re-warms, then takes `samples` samples of `iters` iterations; replies with only these,
/// and with the measuring thread's CPU time of each when it was read.
fn sample(m: &mut Measured, warmup_ms: u64, iters: u64, samples: u32) -> Reply {
    if iters == 0 || samples == 0 {
        return Reply::Error {
            message: "iters and samples must be at least 1".to_string(),
        };
    }
    if warmup_ms > 0 {
        m.warm_up(Duration::from_millis(warmup_ms));
    }
    let taken = m.samples_ns.len();
    let before = m.allocated;
    m.iters_per_sample = iters;
    m.take_samples(samples, false);
    if let Some(reply) = failure(m) {
        return reply;
    }
    Reply::Samples {
        samples_ns: m.samples_ns[taken..].to_vec(),
        cpu_ns: m
            .cpu_ns
            .as_ref()
            .map_or(Vec::new(), |c| c[taken..].to_vec()),
        alloc_bytes: m.allocated.bytes - before.bytes,
        allocs: m.allocated.count - before.count,
    }
}

/// The error reply of a failed benchmark.
fn failure(m: &Measured) -> Option<Reply> {
    m.error
        .as_ref()
        .map(|e| Reply::Error { message: e.clone() })
}

fn unknown(bench: &str) -> Reply {
    Reply::Error {
        message: format!("unknown benchmark {bench:?} (not set up, or not in this suite)"),
    }
}

fn write_reply(output: &mut impl Write, reply: &Reply) -> io::Result<()> {
    let line = serde_json::to_string(reply).map_err(io::Error::other)?;
    writeln!(output, "{line}")?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::{self, Routine, Work};

    struct Spin(u64);
    impl Routine for Spin {
        fn iterate(&mut self) {
            self.0 = std::hint::black_box(self.0.wrapping_mul(31).wrapping_add(7));
        }
    }

    fn spin_bench(name: &str, parallel: bool) -> Benchmark {
        Benchmark {
            name: name.into(),
            group: "spin".into(),
            description: "test".into(),
            work: Work::None,
            parallel,
            model: None,
            setup: Box::new(|s| Box::new(Spin(s))),
        }
    }

    fn spin() -> Vec<Benchmark> {
        vec![spin_bench("spin/1", false)]
    }

    #[test]
    fn samples_carry_the_threads_cpu_time_unless_the_benchmark_uses_the_pool() {
        let sample = |bench: &str| Request::Sample {
            bench: bench.into(),
            warmup_ms: 0,
            iters: 2000,
            samples: 3,
        };
        let setup = |bench: &str| Request::Setup {
            bench: bench.into(),
            seed: 1,
        };
        let replies = session(
            vec![spin_bench("one", false), spin_bench("pool", true)],
            &Faults::default(),
            &[setup("one"), setup("pool"), sample("one"), sample("pool")],
        );
        match &replies[2] {
            Reply::Samples {
                samples_ns, cpu_ns, ..
            } => {
                assert_eq!(cpu_ns.len(), samples_ns.len());
                assert!(
                    cpu_ns.iter().all(|c| c.is_finite() && *c >= 0.0),
                    "{cpu_ns:?}"
                );
            }
            other => panic!("{other:?}"),
        }
        match &replies[3] {
            Reply::Samples {
                samples_ns, cpu_ns, ..
            } => assert!(samples_ns.len() == 3 && cpu_ns.is_empty(), "{cpu_ns:?}"),
            other => panic!("{other:?}"),
        }
    }

    fn session(benches: Vec<Benchmark>, faults: &Faults, requests: &[Request]) -> Vec<Reply> {
        let input: String = requests
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let mut out = Vec::new();
        serve(benches, Some(3), faults, input.as_bytes(), &mut out).unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn a_session_answers_every_request_in_order() {
        let replies = session(
            spin(),
            &Faults::default(),
            &[
                Request::Hello { protocol: 1 },
                Request::Setup {
                    bench: "spin/1".into(),
                    seed: 1,
                },
                Request::Calibrate {
                    bench: "spin/1".into(),
                    warmup_ms: 1,
                    sample_ns: 100_000,
                },
                Request::Sample {
                    bench: "spin/1".into(),
                    warmup_ms: 1,
                    iters: 50,
                    samples: 3,
                },
                Request::Sample {
                    bench: "nope".into(),
                    warmup_ms: 0,
                    iters: 1,
                    samples: 1,
                },
                Request::Quit,
                Request::Hello { protocol: 1 },
            ],
        );
        assert_eq!(replies.len(), 6, "nothing is answered after quit");
        assert!(
            matches!(&replies[0], Reply::Hello { protocol: PROTOCOL_VERSION, benchmarks, pinned_core: Some(3), .. } if benchmarks == &["spin/1"])
        );
        assert_eq!(replies[1], Reply::Ok);
        assert!(matches!(replies[2], Reply::Calibrated { iters, .. } if iters >= 1));
        match &replies[3] {
            Reply::Samples { samples_ns, .. } => assert_eq!(samples_ns.len(), 3),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&replies[4], Reply::Error { message } if message.contains("nope")));
        assert_eq!(replies[5], Reply::Ok);
    }

    #[test]
    fn faults_change_the_announced_version_and_suite() {
        let faults = Faults::parse("protocol=99;hide=gelu/1000;hang=softmax/2048");
        assert_eq!(faults.protocol, Some(99));
        assert_eq!(faults.hang_on.as_deref(), Some("softmax/2048"));
        let replies = session(
            suite::builtin(),
            &faults,
            &[Request::Hello { protocol: 1 }, Request::Quit],
        );
        match &replies[0] {
            Reply::Hello {
                protocol,
                benchmarks,
                ..
            } => {
                assert_eq!(*protocol, 99);
                assert!(!benchmarks.iter().any(|b| b == "gelu/1000"));
                assert!(benchmarks.iter().any(|b| b == "gelu/100000"));
            }
            other => panic!("{other:?}"),
        }
    }
}
