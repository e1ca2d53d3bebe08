//! A dry run of perfgate-sharded.yml's final job (merge → compare → comment) against a local
//! stand-in for the GitHub API (wiremock, as in github_comment.rs): the first push creates
//! one comment, the second push updates that same comment in place.

mod support;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::shard::{bless, perfgate, run, split, suite_names};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_FAKE0123456789abcdefSECRET";
const LIST: &str = "/repos/octo/repo/issues/7/comments";
const MARKER: &str = "<!-- perfgate:perfgate -->";

fn comment(id: u64, body: &str) -> Value {
    json!({
        "id": id,
        "body": body,
        "html_url": format!("https://github.com/octo/repo/pull/7#issuecomment-{id}"),
    })
}

/// The merge-and-gate job's steps for one push: the shard artifacts in `shards/`,
/// `perfgate merge`, `perfgate compare` (exit code kept), `perfgate comment`.
fn gate_job(dir: &Path, baseline: &Path, shards: &[PathBuf], api: &str) -> i32 {
    let results = dir.join("results.json");
    let verdict = dir.join("verdict.json");
    let out = perfgate()
        .arg("merge")
        .args(shards)
        .arg("--out")
        .arg(&results)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "merge: {out:?}");
    let gate = perfgate()
        .arg("compare")
        .arg(baseline)
        .arg(&results)
        .arg("--out")
        .arg(&verdict)
        .output()
        .unwrap();
    let code = gate.status.code().unwrap();
    assert!(code == 0 || code == 1, "compare: {gate:?}");
    let out = perfgate()
        .env("GITHUB_TOKEN", TOKEN)
        .env("GITHUB_API_URL", api)
        .env("GITHUB_REPOSITORY", "octo/repo")
        .arg("comment")
        .arg(&verdict)
        .args([
            "--pr",
            "7",
            "--report-url",
            "https://github.com/octo/repo/actions/runs/1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "comment: {out:?}");
    code
}

#[test]
fn sharded_gate_job_creates_one_comment_then_updates_it_in_place() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let dir = tempfile::tempdir().unwrap();
    let names = suite_names();
    let baseline = bless(dir.path(), &names);

    // First push: no comment yet → one POST.
    rt.block_on(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server),
    );
    rt.block_on(
        Mock::given(method("POST"))
            .and(path(LIST))
            .respond_with(ResponseTemplate::new(201).set_body_json(comment(99, "x")))
            .expect(1)
            .mount(&server),
    );
    let push1 = tempfile::tempdir().unwrap();
    let shards = split(push1.path(), &run(&names, 11, None), 3);
    let code = gate_job(push1.path(), &baseline, &shards, &server.uri());
    assert_eq!(code, 0);
    let first = rt.block_on(server.received_requests()).unwrap();
    let methods: Vec<String> = first.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "POST"]);
    let body: Value = serde_json::from_slice(&first[1].body).unwrap();
    let body = body["body"].as_str().unwrap().to_string();
    assert!(body.starts_with(MARKER), "{body}");
    assert!(
        body.contains(&format!("in {} benchmarks", names.len())),
        "{body}"
    );

    // Second push (a regression now): the listing holds the comment → one PATCH, no POST.
    rt.block_on(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([comment(5, "unrelated"), comment(99, &body)])),
            )
            .mount(&server),
    );
    rt.block_on(
        Mock::given(method("PATCH"))
            .and(path("/repos/octo/repo/issues/comments/99"))
            .respond_with(ResponseTemplate::new(200).set_body_json(comment(99, "y")))
            .expect(1)
            .mount(&server),
    );
    let push2 = tempfile::tempdir().unwrap();
    let shards = split(
        push2.path(),
        &run(&names, 12, Some(("gelu/100000", 1.3))),
        3,
    );
    let code = gate_job(push2.path(), &baseline, &shards, &server.uri());
    assert_eq!(code, 1, "the regression fails the gate");
    let all = rt.block_on(server.received_requests()).unwrap();
    let methods: Vec<String> = all.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "POST", "GET", "PATCH"]);
    let patched: Value = serde_json::from_slice(&all[3].body).unwrap();
    let patched = patched["body"].as_str().unwrap();
    assert!(patched.starts_with(MARKER));
    assert!(patched.contains("gelu/100000") && patched.contains("regression"));
    assert_ne!(patched, body);
    // wiremock checks the `expect`ed counts (one POST, one PATCH) when the server drops.
}
