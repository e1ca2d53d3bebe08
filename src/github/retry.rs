//! When to try a GitHub request again: rate limits (429, or 403 with
//! `x-ratelimit-remaining: 0` or `retry-after`), server errors (5xx) and transport errors
//! (including timeouts) are retried a bounded number of times, waiting as long as GitHub
//! asks (`retry-after`, `x-ratelimit-reset`) but never longer than a cap.

use std::time::Duration;

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub max_attempts: u32,
    /// Longest single wait; a rate limit that asks for more is given up at once.
    pub max_wait: Duration,
    /// First wait when GitHub gives no hint; doubled on every further attempt.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_wait: Duration::from_secs(60),
            backoff: Duration::from_secs(2),
        }
    }
}

/// The headers that matter for retrying, as the server sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateHeaders {
    /// `retry-after`, seconds.
    pub retry_after: Option<String>,
    /// `x-ratelimit-remaining`.
    pub remaining: Option<String>,
    /// `x-ratelimit-reset`, Unix seconds.
    pub reset: Option<String>,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The answer is final (success, or an error retrying cannot fix).
    Final,
    /// Retrying would help but the attempts are used up.
    Exhausted,
    /// Wait this long, then try again.
    Wait(Duration),
    /// A retry would help but the server asks for a longer wait than the cap.
    TooLong(Duration),
}

impl RetryPolicy {
    /// Decides after an HTTP answer. `attempt` counts from 1; `now_unix` is the current time.
    pub fn after_status(
        &self,
        status: u16,
        headers: &RateHeaders,
        attempt: u32,
        now_unix: i64,
    ) -> Next {
        let seconds = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
        let retry_after = seconds(&headers.retry_after);
        let exhausted = seconds(&headers.remaining) == Some(0);
        let rate_limited = status == 429 || (status == 403 && (exhausted || retry_after.is_some()));
        if !rate_limited && !(500..600).contains(&status) {
            return Next::Final;
        }
        let asked = retry_after.or_else(|| {
            exhausted
                .then(|| seconds(&headers.reset).map(|reset| reset - now_unix))
                .flatten()
        });
        let wait = match asked {
            Some(secs) => Duration::from_secs(secs.max(1) as u64),
            None => self.backoff_for(attempt),
        };
        self.bounded(wait, attempt)
    }

    /// Decides after a transport error or a timeout.
    pub fn after_transport_error(&self, attempt: u32) -> Next {
        self.bounded(self.backoff_for(attempt), attempt)
    }

    fn backoff_for(&self, attempt: u32) -> Duration {
        self.backoff
            .saturating_mul(1 << attempt.saturating_sub(1).min(16))
            .min(self.max_wait)
    }

    fn bounded(&self, wait: Duration, attempt: u32) -> Next {
        if attempt >= self.max_attempts {
            Next::Exhausted
        } else if wait > self.max_wait {
            Next::TooLong(wait)
        } else {
            Next::Wait(wait)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn headers(
        retry_after: Option<&str>,
        remaining: Option<&str>,
        reset: Option<i64>,
    ) -> RateHeaders {
        RateHeaders {
            retry_after: retry_after.map(str::to_string),
            remaining: remaining.map(str::to_string),
            reset: reset.map(|r| r.to_string()),
        }
    }

    #[test]
    fn success_and_client_errors_are_not_retried() {
        let p = RetryPolicy::default();
        for status in [200, 201, 401, 404, 422] {
            assert_eq!(
                p.after_status(status, &RateHeaders::default(), 1, NOW),
                Next::Final
            );
        }
    }

    #[test]
    fn plain_403_is_a_permission_error_not_a_rate_limit() {
        let p = RetryPolicy::default();
        let h = headers(None, Some("4999"), Some(NOW + 60));
        assert_eq!(p.after_status(403, &h, 1, NOW), Next::Final);
    }

    #[test]
    fn retry_after_is_honoured() {
        let p = RetryPolicy::default();
        let h = headers(Some("7"), None, None);
        assert_eq!(
            p.after_status(429, &h, 1, NOW),
            Next::Wait(Duration::from_secs(7))
        );
        assert_eq!(
            p.after_status(403, &h, 1, NOW),
            Next::Wait(Duration::from_secs(7))
        );
    }

    #[test]
    fn exhausted_primary_rate_limit_waits_until_reset() {
        let p = RetryPolicy::default();
        let h = headers(None, Some("0"), Some(NOW + 30));
        assert_eq!(
            p.after_status(403, &h, 1, NOW),
            Next::Wait(Duration::from_secs(30))
        );
    }

    #[test]
    fn a_wait_longer_than_the_cap_gives_up_at_once() {
        let p = RetryPolicy::default();
        let h = headers(None, Some("0"), Some(NOW + 3600));
        assert_eq!(
            p.after_status(403, &h, 1, NOW),
            Next::TooLong(Duration::from_secs(3600))
        );
    }

    #[test]
    fn server_errors_back_off_exponentially_and_stop_after_max_attempts() {
        let p = RetryPolicy::default();
        let none = RateHeaders::default();
        assert_eq!(
            p.after_status(502, &none, 1, NOW),
            Next::Wait(Duration::from_secs(2))
        );
        assert_eq!(
            p.after_status(502, &none, 2, NOW),
            Next::Wait(Duration::from_secs(4))
        );
        assert_eq!(
            p.after_status(502, &none, 3, NOW),
            Next::Wait(Duration::from_secs(8))
        );
        assert_eq!(p.after_status(502, &none, 4, NOW), Next::Exhausted);
        assert_eq!(
            p.after_transport_error(1),
            Next::Wait(Duration::from_secs(2))
        );
        assert_eq!(p.after_transport_error(4), Next::Exhausted);
    }
}
