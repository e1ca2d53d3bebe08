//! `perfgate comment` and `github::post_verdict` against a local HTTP server standing in for
//! the GitHub API (wiremock). No test talks to the real GitHub.

mod support;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use perfgate::github::retry::RetryPolicy;
use perfgate::github::{CommentSettings, GitHubEnv, NotPosted, Posted, Token, post_verdict};
use perfgate::output::markdown::utf16_len;
use perfgate::verdict::Verdict;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_FAKE0123456789abcdefSECRET";
const LIST: &str = "/repos/octo/repo/issues/7/comments";
const MARKER: &str = "<!-- perfgate:perfgate -->";

/// A mock GitHub, served from its own thread; `rt` drives the setup calls.
struct Github {
    rt: tokio::runtime::Runtime,
    server: MockServer,
}

impl Github {
    fn start() -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = rt.block_on(MockServer::start());
        Github { rt, server }
    }

    fn mount(&self, mock: Mock) {
        self.rt.block_on(mock.mount(&self.server));
    }

    /// Requests received, as (method, path?query, Authorization, body JSON).
    fn requests(&self) -> Vec<(String, String, String, Value)> {
        let received = self.rt.block_on(self.server.received_requests()).unwrap();
        received
            .into_iter()
            .map(|r| {
                let target = match r.url.query() {
                    Some(q) => format!("{}?{q}", r.url.path()),
                    None => r.url.path().to_string(),
                };
                let auth = r
                    .headers
                    .get("authorization")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                let body = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                (r.method.to_string(), target, auth, body)
            })
            .collect()
    }

    fn env(&self) -> GitHubEnv {
        GitHubEnv {
            token: Token::new(TOKEN),
            repository: Some("octo/repo".into()),
            event_path: None,
            api_url: Some(self.server.uri()),
        }
    }
}

fn comment(id: u64, body: &str) -> Value {
    json!({
        "id": id,
        "body": body,
        "html_url": format!("https://github.com/octo/repo/pull/7#issuecomment-{id}"),
        "user": {"login": "someone"}
    })
}

fn created(id: u64) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(comment(id, "x"))
}

fn write_verdict(dir: &Path, verdict: &Verdict) -> std::path::PathBuf {
    let file = dir.join("verdict.json");
    std::fs::write(&file, serde_json::to_string_pretty(verdict).unwrap()).unwrap();
    file
}

/// `perfgate comment` with a clean GitHub environment pointing at `api`.
fn perfgate_comment(api: &str, verdict: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    for var in [
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_EVENT_PATH",
        "GITHUB_REPOSITORY",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_API_URL", api)
        .env("GITHUB_REPOSITORY", "octo/repo")
        .arg("comment")
        .arg(verdict)
        .args(["--pr", "7"]);
    cmd
}

fn fast_retries() -> CommentSettings {
    CommentSettings {
        retry: RetryPolicy {
            max_attempts: 3,
            max_wait: Duration::from_secs(5),
            backoff: Duration::from_millis(10),
        },
        pr: Some(7),
        ..CommentSettings::default()
    }
}

#[test]
fn create_path_posts_marker_and_table_with_bearer_token() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([comment(1, "LGTM")]))),
    );
    gh.mount(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(created(99))
            .expect(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());

    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .contains("created the PR comment https://github.com/octo/repo/pull/7#issuecomment-99")
    );

    let requests = gh.requests();
    assert_eq!(requests.len(), 2);
    let (m, target, auth, _) = &requests[0];
    assert_eq!(
        (m.as_str(), target.as_str()),
        ("GET", "/repos/octo/repo/issues/7/comments?per_page=100")
    );
    assert_eq!(auth, &format!("Bearer {TOKEN}"));
    let (m, target, auth, body) = &requests[1];
    assert_eq!((m.as_str(), target.as_str()), ("POST", LIST));
    assert_eq!(auth, &format!("Bearer {TOKEN}"));
    let text = body["body"].as_str().unwrap();
    assert!(text.starts_with(&format!("{MARKER}\n### ❌ 2 regressions")));
    assert!(
        text.contains("| Benchmark | Stat | Baseline | Candidate | Change | 95% CI | Verdict |")
    );
    assert!(text.contains("| <code>gelu/1M</code> | P50 | 1.25 ms | 1.38 ms | +10.1% |"));
}

#[test]
fn update_path_finds_the_marked_comment_on_page_two() {
    let gh = Github::start();
    let page2 = format!("{}{LIST}?per_page=100&page=2", gh.server.uri());
    gh.mount(
        Mock::given(method("GET"))
            .and(path(LIST))
            .and(query_param("page", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([
                comment(41, "unrelated"),
                comment(42, &format!("{MARKER}\n### old verdict")),
            ])))
            .with_priority(1),
    );
    gh.mount(
        Mock::given(method("GET")).and(path(LIST)).respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([
                    comment(1, "first"),
                    comment(2, "<!-- perfgate:other -->\nx")
                ]))
                .insert_header(
                    "link",
                    format!("<{page2}>; rel=\"next\", <{page2}>; rel=\"last\""),
                ),
        ),
    );
    gh.mount(
        Mock::given(method("PATCH"))
            .and(path("/repos/octo/repo/issues/comments/42"))
            .and(header("authorization", format!("Bearer {TOKEN}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(comment(42, "new")))
            .expect(1),
    );
    gh.mount(
        Mock::given(method("POST"))
            .respond_with(created(1))
            .expect(0),
    );
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::all_unchanged(3));

    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("updated the PR comment"));
    let requests = gh.requests();
    let methods: Vec<_> = requests.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(methods, ["GET", "GET", "PATCH"]);
    assert_eq!(
        requests[1].1,
        "/repos/octo/repo/issues/7/comments?per_page=100&page=2"
    );
    assert!(
        requests[2].3["body"]
            .as_str()
            .unwrap()
            .contains("### ✅ no regressions in 3 benchmarks")
    );
}

#[test]
fn rerun_with_the_same_verdict_leaves_the_comment_alone() {
    let gh = Github::start();
    let verdict = support::github::all_unchanged(2);
    let body = perfgate::github::comment::comment_body(&verdict, "perfgate", None);
    gh.mount(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([comment(5, &body)]))),
    );
    let posted = post_verdict(&verdict, &fast_retries(), &gh.env())
        .unwrap()
        .unwrap();
    assert!(matches!(posted, Posted::Unchanged { .. }));
    assert_eq!(gh.requests().len(), 1, "no write when nothing changed");
}

#[test]
fn fork_pr_403_is_a_warning_and_exit_code_stays_zero() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    gh.mount(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(
                ResponseTemplate::new(403)
                    .set_body_json(json!({"message": "Resource not accessible by integration"})),
            )
            .expect(2),
    );
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());

    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: not posting the PR comment"),
        "{stderr}"
    );
    assert!(stderr.contains("Resource not accessible by integration"));
    assert!(stderr.contains("workflow_run"));

    // Inside GitHub Actions the warning is an annotation.
    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("::warning title=perfgate%3A PR comment not posted::"),
        "{stdout}"
    );
}

#[test]
fn fork_pr_403_through_the_library_is_not_posted_forbidden() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    gh.mount(
        Mock::given(method("POST")).respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"message": "Resource not accessible by integration"})),
        ),
    );
    let result = post_verdict(&support::github::mixed(), &fast_retries(), &gh.env()).unwrap();
    assert!(
        matches!(result, Err(NotPosted::Forbidden { pr: 7, .. })),
        "{result:?}"
    );
}

#[test]
fn rate_limited_429_is_retried_after_retry_after_then_succeeds() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    gh.mount(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "1")
                    .set_body_json(json!({"message": "secondary rate limit"})),
            )
            .up_to_n_times(1)
            .with_priority(1),
    );
    gh.mount(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(created(3)),
    );
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());

    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("created the PR comment"));
    let posts = gh.requests().iter().filter(|r| r.0 == "POST").count();
    assert_eq!(posts, 2, "one 429, one retry");
}

#[test]
fn server_errors_are_retried_a_bounded_number_of_times_then_reported() {
    let gh = Github::start();
    gh.mount(Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)));
    let result = post_verdict(&support::github::mixed(), &fast_retries(), &gh.env()).unwrap();
    let err = result.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("gave up") && message.contains("after 3 attempt(s)"),
        "{message}"
    );
    assert!(message.contains("HTTP 502"), "{message}");
    assert_eq!(gh.requests().len(), 3);
}

#[test]
fn exhausted_rate_limit_with_a_long_reset_gives_up_at_once() {
    let gh = Github::start();
    let reset = chrono::Utc::now().timestamp() + 3600;
    gh.mount(
        Mock::given(method("GET")).respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", reset.to_string().as_str())
                .set_body_json(json!({"message": "API rate limit exceeded"})),
        ),
    );
    let message = post_verdict(&support::github::mixed(), &fast_retries(), &gh.env())
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(message.contains("API rate limit exceeded"), "{message}");
    assert!(
        message.contains("longer than the 5 s perfgate waits"),
        "{message}"
    );
    assert_eq!(gh.requests().len(), 1);
}

#[test]
fn comment_is_capped_at_65536_characters_with_whole_tables() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    gh.mount(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(created(8)),
    );
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::all_unchanged(5000));

    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let requests = gh.requests();
    let body = requests[1].3["body"].as_str().unwrap();
    assert!(utf16_len(body) <= 65_536, "{} characters", utf16_len(body));
    assert!(body.starts_with(MARKER));
    assert!(body.contains("shortened to fit GitHub's"));
    assert!(!body.contains("<details>"));
    // Nothing changed: the 5000 unchanged benchmarks are counted, not listed.
    assert!(
        body.contains("✅ 5000 unchanged benchmark(s) not listed here"),
        "{body}"
    );
    assert!(!body.lines().any(|l| l.starts_with('|')), "no table rows");
}

#[test]
fn token_never_appears_in_output_even_with_trace_logging() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    gh.mount(Mock::given(method("POST")).respond_with(
        ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
    ));
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());

    for actions in ["true", "false"] {
        let out = perfgate_comment(&gh.server.uri(), &verdict)
            .env("GITHUB_ACTIONS", actions)
            .env("RUST_LOG", "trace")
            .arg("-vvv")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            all.contains("Bad credentials"),
            "the failure is reported: {all}"
        );
        assert!(!all.contains(TOKEN), "token leaked: {all}");
        assert!(!all.contains("FAKE0123"), "part of the token leaked: {all}");
    }
    // Debug output of everything that holds the token.
    let env = gh.env();
    let debug = format!(
        "{env:?} {:?}",
        perfgate::github::context::resolve(None, Some(7), &env)
    );
    assert!(debug.contains("***") && !debug.contains(TOKEN), "{debug}");
}

#[test]
fn missing_token_skips_with_a_warning_and_sends_nothing() {
    let gh = Github::start();
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());
    let out = perfgate_comment(&gh.server.uri(), &verdict)
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no GITHUB_TOKEN"));
    assert!(gh.requests().is_empty());
}

#[test]
fn push_build_without_pr_skips_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());
    let event = dir.path().join("event.json");
    std::fs::write(&event, r#"{"ref": "refs/heads/main"}"#).unwrap();
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    let out = cmd
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_REPOSITORY", "octo/repo")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .env_remove("GITHUB_ACTIONS")
        .arg("comment")
        .arg(&verdict)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no pull request"));
}

#[test]
fn bad_repo_flag_and_bad_verdict_file_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let verdict = write_verdict(dir.path(), &support::github::mixed());
    let out = perfgate_comment("http://127.0.0.1:9", &verdict)
        .args(["--repo", "not-a-repo"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--repo"));

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"schema\": ").unwrap();
    let out = perfgate_comment("http://127.0.0.1:9", &broken)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("broken.json") && stderr.contains("not a valid verdict file"),
        "{stderr}"
    );

    let out = perfgate_comment("http://127.0.0.1:9", &dir.path().join("missing.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.json: cannot read"));
}

#[test]
fn enterprise_api_root_with_a_path_prefix_is_used_for_every_request() {
    let gh = Github::start();
    let prefixed = format!("/api/v3{LIST}");
    gh.mount(
        Mock::given(method("GET"))
            .and(path(prefixed.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    gh.mount(
        Mock::given(method("POST"))
            .and(path(prefixed.as_str()))
            .and(header("authorization", format!("Bearer {TOKEN}")))
            .respond_with(created(11))
            .expect(1),
    );
    let mut env = gh.env();
    env.api_url = Some(format!("{}/api/v3/", gh.server.uri()));
    let posted = post_verdict(&support::github::mixed(), &fast_retries(), &env)
        .unwrap()
        .unwrap();
    assert!(matches!(posted, Posted::Created { .. }), "{posted:?}");
}
