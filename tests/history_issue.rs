//! `perfgate history check --issue` against a local stand-in for the GitHub API
//! (wiremock): the history issue is created on an unacknowledged regression, updated when
//! one is open (found by its marker), and not created when there is nothing to report.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_FAKE0123456789abcdefSECRET";
const ISSUES: &str = "/repos/octo/repo/issues";
const MARKER: &str = "<!-- perfgate-history -->";

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

    /// (method, path, body JSON) of every request received.
    fn requests(&self) -> Vec<(String, String, Value)> {
        let received = self.rt.block_on(self.server.received_requests()).unwrap();
        received
            .into_iter()
            .map(|r| {
                let body = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                (r.method.to_string(), r.url.path().to_string(), body)
            })
            .collect()
    }
}

/// A store of 60 commits; with `step`, gelu/1000 is 10% slower from commit 30 on.
fn store(dir: &Path, step: bool) -> PathBuf {
    let store = dir.join("store");
    let runs: Vec<PathBuf> = (0..60)
        .map(|i| {
            let wiggle = 1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0) / 2.0;
            let level = if step && i >= 30 { 1.1 } else { 1.0 };
            let samples: Vec<f64> = (0..5).map(|k| 1000.0 * level * wiggle + k as f64).collect();
            let results = json!({
                "env": {"git_commit": format!("c{i:03}"), "timestamp": format!("2026-01-01T01:{:02}:00Z", i),
                        "cpu_model": "AMD EPYC", "logical_cores": 2},
                "benchmarks": [{"name": "gelu/1000", "samples_ns": samples}]
            });
            let p = dir.join(format!("run-{i}.json"));
            std::fs::write(&p, results.to_string()).unwrap();
            p
        })
        .collect();
    Command::cargo_bin("perfgate")
        .unwrap()
        .args(["history", "add", "--store"])
        .arg(&store)
        .args(&runs)
        .assert()
        .code(0);
    store
}

fn check_with_issue(api: &str, store: &Path) -> std::process::Output {
    Command::cargo_bin("perfgate")
        .unwrap()
        .env_remove("GITHUB_EVENT_PATH")
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_API_URL", api)
        .env("GITHUB_REPOSITORY", "octo/repo")
        .args(["history", "check", "--issue", "--store"])
        .arg(store)
        .output()
        .unwrap()
}

fn issue(number: u64, body: &str, pr: bool) -> Value {
    let mut v = json!({"number": number, "title": "t", "body": body,
                       "html_url": format!("https://github.com/octo/repo/issues/{number}")});
    if pr {
        v["pull_request"] = json!({"url": "x"});
    }
    v
}

#[test]
fn an_unacknowledged_regression_opens_the_issue_with_the_marker() {
    let gh = Github::start();
    gh.mount(Mock::given(method("GET")).and(path(ISSUES)).respond_with(
        // A pull request whose body has the marker must not be taken for the issue.
        ResponseTemplate::new(200).set_body_json(json!([
            issue(3, "unrelated", false),
            issue(4, MARKER, true)
        ])),
    ));
    gh.mount(
        Mock::given(method("POST"))
            .and(path(ISSUES))
            .respond_with(ResponseTemplate::new(201).set_body_json(issue(9, "x", false)))
            .expect(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = check_with_issue(&gh.server.uri(), &store(dir.path(), true));
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("opened the history issue: https://github.com/octo/repo/issues/9"),
        "{err}"
    );
    assert!(!err.contains(TOKEN) && !String::from_utf8_lossy(&out.stdout).contains(TOKEN));
    let reqs = gh.requests();
    let (m, p, body) = &reqs[1];
    assert_eq!((m.as_str(), p.as_str()), ("POST", ISSUES));
    assert!(body["body"].as_str().unwrap().starts_with(MARKER));
    assert!(body["body"].as_str().unwrap().contains("`c030`"));
    assert_eq!(
        body["title"],
        "perfgate history: 2 unacknowledged regression(s) on main"
    );
}

#[test]
fn an_open_marked_issue_is_updated_not_duplicated() {
    let gh = Github::start();
    gh.mount(Mock::given(method("GET")).and(path(ISSUES)).respond_with(
        ResponseTemplate::new(200).set_body_json(json!([issue(
            12,
            &format!("{MARKER}\nold"),
            false
        )])),
    ));
    gh.mount(
        Mock::given(method("PATCH"))
            .and(path(format!("{ISSUES}/12")))
            .respond_with(ResponseTemplate::new(200).set_body_json(issue(12, "x", false)))
            .expect(1),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = check_with_issue(&gh.server.uri(), &store(dir.path(), true));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("updated the history issue"));
    assert!(gh.requests().iter().all(|(m, _, _)| m != "POST"));
}

#[test]
fn nothing_to_report_creates_no_issue() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .and(path(ISSUES))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([]))),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = check_with_issue(&gh.server.uri(), &store(dir.path(), false));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(gh.requests().len(), 1);
}

#[test]
fn github_unavailable_is_a_warning_and_the_exit_code_stands() {
    let gh = Github::start();
    gh.mount(
        Mock::given(method("GET"))
            .and(path(ISSUES))
            .respond_with(ResponseTemplate::new(404)),
    );
    let dir = tempfile::tempdir().unwrap();
    let out = check_with_issue(&gh.server.uri(), &store(dir.path(), true));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning:"));
}
