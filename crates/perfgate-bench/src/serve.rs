//! The serving side of the worker protocol (`perfgate worker`, and a bench binary started
//! by perfgate): reads requests as JSON lines, measures with [`Measured`], answers one JSON
//! line per request.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::time::Duration;

use crate::measure::Measured;
use crate::protocol::{PROTOCOL_VERSION, Reply, Request};
use crate::timer::TimerCost;

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

/// The benchmarks a worker serves: their names, and per benchmark the requests that
/// measure it. The built-in suite keeps every [`Measured`] in a map; a criterion-style bench
/// binary keeps each on its own thread.
pub trait Host {
    /// Names of the benchmarks, in suite order.
    fn benchmarks(&self) -> Vec<String>;
    /// Builds benchmark `bench` (inputs from `seed`); `Ok` or the error reply.
    fn setup(&mut self, bench: &str, seed: u64) -> Reply;
    /// Answers `calibrate` or `sample` for a benchmark set up before.
    fn measure(&mut self, bench: &str, request: Measure) -> Reply;
}

/// A measuring request for one benchmark, with the clock's shortest useful sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// `calibrate`.
    Calibrate {
        /// Warm-up, milliseconds.
        warmup_ms: u64,
        /// Target duration of one sample, nanoseconds.
        sample_ns: u64,
        /// Shortest sample the clock allows, nanoseconds.
        min_sample_ns: f64,
    },
    /// `sample`.
    Sample {
        /// Re-warm-up, milliseconds (0: none).
        warmup_ms: u64,
        /// Iterations per sample.
        iters: u64,
        /// Number of samples.
        samples: u32,
    },
}

/// Answers a [`Measure`] request on `m`.
pub fn answer(m: &mut Measured, request: Measure) -> Reply {
    match request {
        Measure::Calibrate {
            warmup_ms,
            sample_ns,
            min_sample_ns,
        } => {
            let per_iter_ns = m.warm_up_and_calibrate(
                Duration::from_millis(warmup_ms),
                sample_ns as f64,
                min_sample_ns,
            );
            failure(m).unwrap_or(Reply::Calibrated {
                iters: m.iters_per_sample,
                per_iter_ns,
            })
        }
        Measure::Sample {
            warmup_ms,
            iters,
            samples,
        } => sample(m, warmup_ms, iters, samples),
    }
}

/// Builds benchmark `name` from `seed` (`None`: no such benchmark).
pub type SetupFn<'a> = Box<dyn FnMut(&str, u64) -> Option<Measured<'a>> + 'a>;

/// A [`Host`] of in-process benchmarks built by a set-up function, measured on the
/// serving thread.
pub struct LocalHost<'a> {
    names: Vec<String>,
    setup: SetupFn<'a>,
    state: HashMap<String, Measured<'a>>,
}

impl<'a> LocalHost<'a> {
    /// Serves `names`; `setup(name, seed)` builds one (`None`: no such benchmark).
    pub fn new(
        names: Vec<String>,
        setup: impl FnMut(&str, u64) -> Option<Measured<'a>> + 'a,
    ) -> LocalHost<'a> {
        LocalHost {
            names,
            setup: Box::new(setup),
            state: HashMap::new(),
        }
    }
}

impl Host for LocalHost<'_> {
    fn benchmarks(&self) -> Vec<String> {
        self.names.clone()
    }

    fn setup(&mut self, bench: &str, seed: u64) -> Reply {
        if !self.names.iter().any(|n| n == bench) {
            return unknown(bench);
        }
        match (self.setup)(bench, seed) {
            None => unknown(bench),
            Some(m) => {
                let reply = failure(&m).unwrap_or(Reply::Ok);
                self.state.insert(bench.to_string(), m);
                reply
            }
        }
    }

    fn measure(&mut self, bench: &str, request: Measure) -> Reply {
        match self.state.get_mut(bench) {
            None => unknown(bench),
            Some(m) => answer(m, request),
        }
    }
}

/// Serves requests from `input` until `quit` or end of input. `pinned_core` and
/// `version` (the serving program's version) are reported in the handshake. I/O errors
/// end the session (the driver sees the worker gone).
pub fn serve(
    host: &mut dyn Host,
    version: &str,
    pinned_core: Option<usize>,
    faults: &Faults,
    input: impl BufRead,
    mut output: impl Write,
) -> io::Result<()> {
    let names: Vec<String> = host
        .benchmarks()
        .into_iter()
        .filter(|b| !faults.hide.contains(b))
        .collect();
    let timer = TimerCost::measure();
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
                perfgate_version: version.to_string(),
                benchmarks: names.clone(),
                pinned_core,
            },
            Ok(Request::Setup { bench, seed }) => match names.contains(&bench) {
                false => unknown(&bench),
                true => host.setup(&bench, seed),
            },
            Ok(Request::Calibrate {
                bench,
                warmup_ms,
                sample_ns,
            }) => host.measure(
                &bench,
                Measure::Calibrate {
                    warmup_ms,
                    sample_ns,
                    min_sample_ns: timer.min_sample_ns(),
                },
            ),
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
                host.measure(
                    &bench,
                    Measure::Sample {
                        warmup_ms,
                        iters,
                        samples,
                    },
                )
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
pub fn failure(m: &Measured) -> Option<Reply> {
    m.error
        .as_ref()
        .map(|e| Reply::Error { message: e.clone() })
}

/// The error reply for a benchmark that is not served or not set up.
pub fn unknown(bench: &str) -> Reply {
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
    use crate::routine::Routine;
    use crate::timer::CpuClock;

    struct Spin(u64);
    impl Routine for Spin {
        fn iterate(&mut self) {
            self.0 = std::hint::black_box(self.0.wrapping_mul(31).wrapping_add(7));
        }
    }

    /// A host of spinning benchmarks; those named `pool*` do not read the CPU clock.
    fn host(names: &[&str]) -> LocalHost<'static> {
        LocalHost::new(
            names.iter().map(|n| n.to_string()).collect(),
            |name, seed| {
                let mut m = Measured::new(Box::new(Spin(seed)));
                if !name.starts_with("pool") {
                    m.time_cpu(CpuClock::Thread);
                }
                Some(m)
            },
        )
    }

    fn session(names: &[&str], faults: &Faults, requests: &[Request]) -> Vec<Reply> {
        let input: String = requests
            .iter()
            .map(|r| serde_json::to_string(r).unwrap() + "\n")
            .collect();
        let mut out = Vec::new();
        serve(
            &mut host(names),
            "0.1.0",
            Some(3),
            faults,
            input.as_bytes(),
            &mut out,
        )
        .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
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
            &["one", "pool"],
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

    #[test]
    fn a_session_answers_every_request_in_order() {
        let replies = session(
            &["spin/1"],
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
            &["gelu/1000", "gelu/100000"],
            &faults,
            &[
                Request::Hello { protocol: 1 },
                Request::Setup {
                    bench: "gelu/1000".into(),
                    seed: 1,
                },
                Request::Quit,
            ],
        );
        match &replies[0] {
            Reply::Hello {
                protocol,
                benchmarks,
                ..
            } => {
                assert_eq!(*protocol, 99);
                assert_eq!(benchmarks, &["gelu/100000"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&replies[1], Reply::Error { .. }),
            "a hidden benchmark is unknown"
        );
    }
}
