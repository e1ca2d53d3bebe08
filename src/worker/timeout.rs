//! How long the driver waits for one reply of a worker before it calls the worker hung and
//! kills it. By default the limit is derived from what the request asks for — 10× its
//! expected duration plus 30 s, generous enough that only a worker that stopped answering
//! reaches it, even on a loaded CI runner — and `perfgate ab --worker-timeout SECONDS`
//! replaces it by one fixed limit for every request.

use std::time::Duration;

use super::protocol::Request;

/// Factor on a request's expected duration in the derived limit.
pub const TIMEOUT_FACTOR: u32 = 10;
/// Fixed slack added to the derived limit (start-up, set-up, a loaded machine).
pub const TIMEOUT_SLACK: Duration = Duration::from_secs(30);

/// The per-request reply limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplyTimeout {
    /// [`TIMEOUT_FACTOR`] × the request's expected duration + [`TIMEOUT_SLACK`].
    #[default]
    Derived,
    /// The same limit for every request (`--worker-timeout`).
    Fixed(Duration),
}

impl ReplyTimeout {
    /// The limit for `req`; `per_iter_ns` is the worker's own calibration of the request's
    /// benchmark (ns per iteration), when it has one.
    pub fn limit(self, req: &Request, per_iter_ns: Option<f64>) -> Duration {
        match self {
            ReplyTimeout::Fixed(d) => d,
            ReplyTimeout::Derived => expected(req, per_iter_ns)
                .saturating_mul(TIMEOUT_FACTOR)
                .saturating_add(TIMEOUT_SLACK),
        }
    }
}

impl ReplyTimeout {
    /// Where the limit comes from, for messages.
    pub fn origin(self) -> &'static str {
        match self {
            ReplyTimeout::Derived => {
                "10× the request's expected time + 30 s; --worker-timeout SECONDS sets another"
            }
            ReplyTimeout::Fixed(_) => "set by --worker-timeout",
        }
    }
}

/// How long `req` should take: warm-ups and samples it asks for. Hello, set-up and quit
/// are expected to be instant (the slack covers them).
pub fn expected(req: &Request, per_iter_ns: Option<f64>) -> Duration {
    let per_iter = per_iter_ns
        .filter(|x| x.is_finite() && *x > 0.0)
        .unwrap_or(0.0);
    let ns = match req {
        Request::Hello { .. } | Request::Setup { .. } | Request::Quit => 0.0,
        // Warm-up for warmup_ms (at least one iteration).
        Request::Calibrate { warmup_ms, .. } => *warmup_ms as f64 * 1e6 + per_iter,
        // Re-warm-up (at least one iteration when asked for), then the samples.
        Request::Sample {
            warmup_ms,
            iters,
            samples,
            ..
        } => {
            let rewarm = match warmup_ms {
                0 => 0.0,
                ms => *ms as f64 * 1e6 + per_iter,
            };
            rewarm + f64::from(*samples) * *iters as f64 * per_iter
        }
    };
    Duration::from_secs_f64((ns / 1e9).min(1e9))
}

/// The request in a few words, for messages: "sample gelu/1000".
pub fn describe(req: &Request) -> String {
    match req {
        Request::Hello { .. } => "hello (the handshake)".to_string(),
        Request::Setup { bench, .. } => format!("setup {bench}"),
        Request::Calibrate { bench, .. } => format!("calibrate {bench}"),
        Request::Sample { bench, .. } => format!("sample {bench}"),
        Request::Quit => "quit".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(warmup_ms: u64, iters: u64, samples: u32) -> Request {
        Request::Sample {
            bench: "b".into(),
            warmup_ms,
            iters,
            samples,
        }
    }

    #[test]
    fn derived_limit_is_ten_times_the_expected_time_plus_thirty_seconds() {
        // 5 ms re-warm-up + one 2 ms iteration + 3 samples × 100 iterations × 2 ms = 607 ms.
        let req = sample(5, 100, 3);
        assert_eq!(expected(&req, Some(2e6)), Duration::from_nanos(607_000_000));
        assert_eq!(
            ReplyTimeout::Derived.limit(&req, Some(2e6)),
            Duration::from_millis(6_070) + Duration::from_secs(30)
        );
        // No re-warm-up: samples only.
        assert_eq!(
            expected(&sample(0, 10, 2), Some(1e6)),
            Duration::from_millis(20)
        );
        let calibrate = Request::Calibrate {
            bench: "b".into(),
            warmup_ms: 200,
            sample_ns: 10_000_000,
        };
        assert_eq!(
            ReplyTimeout::Derived.limit(&calibrate, None),
            Duration::from_secs(32)
        );
        assert_eq!(
            ReplyTimeout::Derived.limit(&Request::Quit, None),
            TIMEOUT_SLACK
        );
    }

    #[test]
    fn an_unknown_or_absurd_calibration_counts_as_nothing() {
        for bad in [None, Some(f64::NAN), Some(-1.0), Some(f64::INFINITY)] {
            assert_eq!(expected(&sample(0, 10, 2), bad), Duration::ZERO);
        }
        // An enormous expectation saturates instead of panicking.
        let huge = expected(&sample(0, u64::MAX, u32::MAX), Some(1e300));
        assert!(ReplyTimeout::Derived.limit(&sample(0, 1, 1), Some(1e300)) >= huge);
    }

    #[test]
    fn a_fixed_limit_applies_to_every_request() {
        let fixed = ReplyTimeout::Fixed(Duration::from_secs(2));
        assert_eq!(
            fixed.limit(&sample(5, 1_000, 3), Some(1e9)),
            Duration::from_secs(2)
        );
        assert_eq!(fixed.limit(&Request::Quit, None), Duration::from_secs(2));
        assert_eq!(describe(&sample(0, 1, 1)), "sample b");
    }
}
