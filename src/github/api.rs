//! The few GitHub REST calls perfgate makes, through octocrab (auth, API root, TLS,
//! timeouts) with perfgate's own bounded retry loop on top, because the loop needs the
//! status and rate-limit headers of every answer and a cap on how long it waits.

use std::time::Duration;

use octocrab::Octocrab;

use super::context::Target;
use super::retry::{Next, RateHeaders, RetryPolicy};

/// Longest time one request may take before it counts as a timeout (and is retried).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// An HTTP method this client uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Read.
    Get,
    /// Create.
    Post,
    /// Update.
    Patch,
}

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The body, JSON.
    pub body: String,
    /// The `rel="next"` URL of the `Link` header, for paginated listings.
    pub next_page: Option<String>,
}

/// A request that did not succeed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// GitHub answered with an error status retrying cannot fix.
    #[error("GitHub answered HTTP {status} to {method:?} {url}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The method of the request.
        method: Method,
        /// The request's path or URL.
        url: String,
        /// GitHub's `message`, or the start of the body.
        message: String,
    },
    /// Retries were used up (rate limit, server errors, timeouts).
    #[error("gave up on {method:?} {url} after {attempts} attempt(s): {last}")]
    GaveUp {
        /// The method of the request.
        method: Method,
        /// The request's path or URL.
        url: String,
        /// Attempts made.
        attempts: u32,
        /// What went wrong the last time.
        last: String,
    },
    /// The client could not be set up.
    #[error("cannot set up the GitHub client: {0}")]
    Client(String),
}

/// A GitHub API client for one target.
pub struct Api {
    crab: Octocrab,
    policy: RetryPolicy,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Api {
    /// A client for `target`'s API root, authenticated with its token.
    pub fn new(target: &Target, policy: RetryPolicy) -> Result<Api, ApiError> {
        let crab = Octocrab::builder()
            .personal_token(target.token.expose().to_string())
            .add_retry_config(octocrab::service::middleware::retry::RetryConfig::None)
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(30)))
            .base_uri(target.api_url.as_str())
            .map_err(|e| ApiError::Client(e.to_string()))?
            .build()
            .map_err(|e| ApiError::Client(e.to_string()))?;
        Ok(Api { crab, policy })
    }

    /// Sends one request (a path under the API root, or a full URL from a `Link` header),
    /// retrying as the policy says.
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Reply, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (next, last) = match self.once(method, url, body).await {
                Ok(Answer::Done(reply)) => return Ok(reply),
                Ok(Answer::Failed {
                    status,
                    headers,
                    message,
                }) => {
                    let now = chrono::Utc::now().timestamp();
                    let next = self.policy.after_status(status, &headers, attempt, now);
                    if next == Next::Final {
                        return Err(ApiError::Status {
                            status,
                            method,
                            url: url.to_string(),
                            message,
                        });
                    }
                    (next, format!("HTTP {status}: {message}"))
                }
                Err(transport) => (self.policy.after_transport_error(attempt), transport),
            };
            match next {
                Next::Wait(wait) => {
                    tracing::warn!("{method:?} {url}: {last}; retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                }
                Next::TooLong(wait) => {
                    let last = format!(
                        "{last} (GitHub asks to wait {} s, longer than the {} s perfgate waits)",
                        wait.as_secs(),
                        self.policy.max_wait.as_secs()
                    );
                    return Err(ApiError::GaveUp {
                        method,
                        url: url.to_string(),
                        attempts: attempt,
                        last,
                    });
                }
                Next::Final | Next::Exhausted => {
                    return Err(ApiError::GaveUp {
                        method,
                        url: url.to_string(),
                        attempts: attempt,
                        last,
                    });
                }
            }
        }
    }

    /// One attempt. `Err`: a transport error or timeout, as text.
    async fn once(
        &self,
        method: Method,
        url: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<Answer, String> {
        let request = async {
            match method {
                Method::Get => self.crab._get(url).await,
                Method::Post => self.crab._post(url, body).await,
                Method::Patch => self.crab._patch(url, body).await,
            }
        };
        let response = match tokio::time::timeout(REQUEST_TIMEOUT, request).await {
            Err(_) => return Err(format!("no answer within {} s", REQUEST_TIMEOUT.as_secs())),
            Ok(Err(e)) => return Err(format!("request failed: {e}")),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let headers = RateHeaders {
            retry_after: header("retry-after"),
            remaining: header("x-ratelimit-remaining"),
            reset: header("x-ratelimit-reset"),
        };
        let next_page = header("link").as_deref().and_then(next_link);
        let text = self
            .crab
            .body_to_string(response)
            .await
            .map_err(|e| format!("reading the answer failed: {e}"))?;
        if (200..300).contains(&status) {
            Ok(Answer::Done(Reply {
                body: text,
                next_page,
            }))
        } else {
            Ok(Answer::Failed {
                status,
                headers,
                message: error_message(&text),
            })
        }
    }
}

/// The outcome of one attempt that reached the server.
enum Answer {
    Done(Reply),
    Failed {
        status: u16,
        headers: RateHeaders,
        message: String,
    },
}

/// GitHub's `message` from an error body, or the start of the body.
fn error_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| body.chars().take(200).collect::<String>())
}

/// The `rel="next"` target of a `Link` header.
fn next_link(link: &str) -> Option<String> {
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| matches!(p.trim(), "rel=\"next\"" | "rel=next"));
        is_next.then(|| {
            url.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_is_found_among_other_relations() {
        let link = "<https://api.github.com/repositories/1/issues/2/comments?page=3>; rel=\"next\", \
                    <https://api.github.com/repositories/1/issues/2/comments?page=5>; rel=\"last\"";
        assert_eq!(
            next_link(link).as_deref(),
            Some("https://api.github.com/repositories/1/issues/2/comments?page=3")
        );
        assert_eq!(next_link("<https://x/?page=1>; rel=\"prev\""), None);
    }

    #[test]
    fn error_message_prefers_githubs_message() {
        assert_eq!(
            error_message(r#"{"message":"Resource not accessible by integration"}"#),
            "Resource not accessible by integration"
        );
        assert_eq!(error_message("oops"), "oops");
    }
}
