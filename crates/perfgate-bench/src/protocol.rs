//! The worker protocol: JSON lines over stdin (requests) and stdout (replies), one reply per
//! request, in order. The serde enums are the wire format; [`PROTOCOL_VERSION`] changes
//! whenever a message changes shape or meaning.
//!
//! A session: `hello` (versions and the suite) → `setup` per benchmark → `calibrate` once
//! per benchmark (on one side; the same iteration count is then given to both) → any
//! number of `sample` → `quit`.

use serde::{Deserialize, Serialize};

/// Version of the protocol spoken by this perfgate.
pub const PROTOCOL_VERSION: u32 = 1;

/// What the driver asks a worker to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "snake_case")]
pub enum Request {
    /// Opens the session; the worker answers with [`Reply::Hello`] whatever the version.
    Hello {
        /// The driver's protocol version.
        protocol: u32,
    },
    /// Builds benchmark `bench`'s routine (inputs from `seed`).
    Setup {
        /// Benchmark name.
        bench: String,
        /// Seed of the inputs.
        seed: u64,
    },
    /// Warms `bench` up for `warmup_ms` and sizes a sample to last about `sample_ns`.
    Calibrate {
        /// Benchmark name.
        bench: String,
        /// Warm-up, milliseconds.
        warmup_ms: u64,
        /// Target duration of one sample, nanoseconds.
        sample_ns: u64,
    },
    /// Re-warms `bench` for `warmup_ms` (at least one iteration; 0: no re-warm-up at all),
    /// then takes `samples` samples of `iters` iterations.
    Sample {
        /// Benchmark name.
        bench: String,
        /// Re-warm-up before sampling, milliseconds (0: none).
        warmup_ms: u64,
        /// Iterations per sample (the same on both sides).
        iters: u64,
        /// Number of samples.
        samples: u32,
    },
    /// Ends the session; the worker exits 0 after replying.
    Quit,
}

/// What a worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    /// Answer to `hello`.
    Hello {
        /// The worker's protocol version.
        protocol: u32,
        /// The worker's perfgate version.
        perfgate_version: String,
        /// Names of the benchmarks it can run, in suite order.
        benchmarks: Vec<String>,
        /// Core the worker pinned itself to, if any.
        pinned_core: Option<usize>,
    },
    /// `setup` or `quit` done.
    Ok,
    /// Answer to `calibrate`.
    Calibrated {
        /// Iterations per sample.
        iters: u64,
        /// Mean nanoseconds per iteration during the warm-up.
        per_iter_ns: f64,
    },
    /// Answer to `sample`.
    Samples {
        /// Per-iteration nanoseconds of each sample, in the order taken.
        samples_ns: Vec<f64>,
        /// Per-iteration CPU nanoseconds of the measuring thread in each sample (time it
        /// ran, not time it waited for the core), parallel to `samples_ns`. Empty for a
        /// benchmark that uses the rayon pool (its work runs on other threads) and from
        /// workers older than this field (it is optional: the version stays 1).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cpu_ns: Vec<f64>,
        /// Heap bytes allocated during the timed iterations.
        alloc_bytes: u64,
        /// Heap allocations during the timed iterations.
        allocs: u64,
    },
    /// The request failed (unknown benchmark, a panic in the benchmark, a bad line).
    Error {
        /// What went wrong.
        message: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_is_tagged_json() {
        let line = serde_json::to_string(&Request::Sample {
            bench: "gelu/1000".into(),
            warmup_ms: 5,
            iters: 12,
            samples: 3,
        })
        .unwrap();
        assert_eq!(
            line,
            r#"{"cmd":"sample","bench":"gelu/1000","warmup_ms":5,"iters":12,"samples":3}"#
        );
        let reply: Reply =
            serde_json::from_str(r#"{"reply":"calibrated","iters":7,"per_iter_ns":2.5}"#).unwrap();
        assert_eq!(
            reply,
            Reply::Calibrated {
                iters: 7,
                per_iter_ns: 2.5
            }
        );
        // A worker older than `cpu_ns` still speaks version 1.
        let old: Reply = serde_json::from_str(
            r#"{"reply":"samples","samples_ns":[1.5],"alloc_bytes":0,"allocs":0}"#,
        )
        .unwrap();
        assert!(matches!(old, Reply::Samples { cpu_ns, .. } if cpu_ns.is_empty()));
        let quit: Request = serde_json::from_str(r#"{"cmd":"quit"}"#).unwrap();
        assert_eq!(quit, Request::Quit);
    }
}
