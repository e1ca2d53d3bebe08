//! The action as a new user meets it: in a fresh project (a shell-command project and a
//! small Cargo crate, each a git repository), `perfgate init` writes the workflow; the
//! workflow's perfgate step is then run as the runner would run the composite action —
//! action.yml's own `run:` lines and `env:` mappings, the inputs from the workflow's
//! `with:` — against the local GitHub API stand-in (wiremock). Unchanged code: exit 0 and
//! one comment created. A slowed command: exit 1 and the same comment updated in place.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::{Value, json};
use support::action::{Runner, commit_all, git, perfgate_step};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST: &str = "/repos/octo/repo/issues/7/comments";
const MARKER: &str = "<!-- perfgate:perfgate -->";

fn comment(id: u64, body: &str) -> Value {
    json!({"id": id, "body": body, "html_url": format!("https://github.com/octo/repo/pull/7#issuecomment-{id}")})
}

/// `perfgate init ARGS` in `dir`; returns what it printed.
fn init(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("perfgate")
        .unwrap()
        .arg("init")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The project's thresholds, made tolerant for a test on a shared host: the A/B limit at
/// 50%, so only a real 5× slowdown (not noise) can be a regression.
fn tolerant_thresholds(dir: &Path) {
    let file = dir.join("thresholds.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("p50 = \"2%\""), "{text}");
    std::fs::write(&file, text.replacen("p50 = \"2%\"", "p50 = \"50%\"", 1)).unwrap();
}

/// Two pushes of a pull request through the workflow's perfgate step: `unchanged` (a
/// commit that does not touch the measured code) must pass and create the comment;
/// `slow` (applied to the project, then committed) must fail with 1 and update it.
fn two_pushes(project: &Path, slow: impl FnOnce(&Path)) {
    let workflow = std::fs::read_to_string(project.join(".github/workflows/perfgate.yml")).unwrap();
    assert!(workflow.lines().count() <= 25, "{workflow}");
    let (uses, with) = perfgate_step(&workflow);
    assert!(uses.ends_with("perfgate@v1"), "{uses}");
    tolerant_thresholds(project);
    let base = commit_all(project, "base");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
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

    // First push: a change that does not touch the measured commands.
    std::fs::write(project.join("NOTES.md"), "notes\n").unwrap();
    commit_all(project, "unchanged code");
    let runs = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(runs.path().join("1")).unwrap();
    let runner = Runner::new(project, &runs.path().join("1"), &server.uri());
    assert_eq!(runner.action(&with, &base), 0, "unchanged code passes");
    assert_eq!(runner.output("exit-code").as_deref(), Some("0"));
    let summary = std::fs::read_to_string(&runner.summary_file).unwrap();
    assert!(
        summary.contains("perfgate"),
        "step summary written: {summary}"
    );
    let first = rt.block_on(server.received_requests()).unwrap();
    let methods: Vec<String> = first.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(methods, ["GET", "POST"]);
    let body: Value = serde_json::from_slice(&first[1].body).unwrap();
    let body = body["body"].as_str().unwrap().to_string();
    assert!(body.starts_with(MARKER), "{body}");

    // Second push: a slower command.
    rt.block_on(
        Mock::given(method("GET"))
            .and(path(LIST))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!([comment(5, "other"), comment(99, &body)])),
            )
            .mount(&server),
    );
    rt.block_on(
        Mock::given(method("PATCH"))
            .and(path_regex("^/repos/octo/repo/issues/comments/99$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(comment(99, "y")))
            .expect(1)
            .mount(&server),
    );
    slow(project);
    commit_all(project, "slower");
    std::fs::create_dir_all(runs.path().join("2")).unwrap();
    let runner = Runner::new(project, &runs.path().join("2"), &server.uri());
    assert_eq!(
        runner.action(&with, &base),
        1,
        "a slowed command fails the job"
    );
    let all = rt.block_on(server.received_requests()).unwrap();
    let methods: Vec<String> = all.iter().map(|r| r.method.to_string()).collect();
    assert_eq!(
        methods,
        ["GET", "POST", "GET", "PATCH"],
        "one comment, updated in place"
    );
    let patched: Value = serde_json::from_slice(&all[3].body).unwrap();
    let patched = patched["body"].as_str().unwrap();
    assert!(
        patched.starts_with(MARKER) && patched.contains("regression"),
        "{patched}"
    );
}

#[test]
fn shell_command_project_init_then_action_passes_unchanged_and_fails_slowed() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    git(&project, &["init", "-q", "-b", "main"]);
    std::fs::write(project.join("work.sh"), "sleep 0.01\n").unwrap();
    let printed = init(
        &project,
        &["--command", "sleep 0.01", "--command", "sh work.sh"],
    );
    for file in [
        "perfgate.toml",
        "thresholds.toml",
        ".github/workflows/perfgate.yml",
    ] {
        assert!(printed.contains(&format!("wrote {file}")), "{printed}");
    }
    two_pushes(&project, |p| {
        std::fs::write(p.join("work.sh"), "sleep 0.05\n").unwrap()
    });
}

#[test]
fn cargo_crate_init_then_action_passes_unchanged_and_fails_slowed() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("tiny");
    std::fs::create_dir_all(project.join("src")).unwrap();
    git(&project, &["init", "-q", "-b", "main"]);
    let manifest = "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
    std::fs::write(project.join("Cargo.toml"), manifest).unwrap();
    let main = |ms: u64| {
        format!("fn main() {{ std::thread::sleep(std::time::Duration::from_millis({ms})); }}\n")
    };
    std::fs::write(project.join("src/main.rs"), main(10)).unwrap();
    std::fs::write(project.join(".gitignore"), "/target\n").unwrap();
    let printed = init(&project, &[]);
    assert!(printed.contains("./target/release/tiny"), "{printed}");
    two_pushes(&project, |p| {
        std::fs::write(p.join("src/main.rs"), main(50)).unwrap()
    });
}

#[test]
fn init_refuses_to_overwrite_without_force_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), &[]);
    let out = Command::cargo_bin("perfgate")
        .unwrap()
        .args(["init", "--command", "true"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("perfgate.toml: already exists; pass --force"),
        "{err}"
    );
    init(dir.path(), &["--force", "--command", "true"]);
}

#[test]
fn bad_action_inputs_exit_2_with_an_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let runner = Runner::new(dir.path(), dir.path(), "http://127.0.0.1:9");
    for (key, value, says) in [
        ("mode", "fast", "mode must be ab, baseline or instructions"),
        ("comment", "yes", "COMMENT must be true or false"),
        ("cargo-bench", "parse", "set mode: baseline"),
        ("suite", "missing.toml", "suite: missing.toml not found"),
    ] {
        let with = BTreeMap::from([(key.to_string(), value.to_string())]);
        let (env, run) = support::action::action_step("Gate");
        let mut inputs = support::action::action_defaults();
        inputs.extend(with);
        let env: BTreeMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.clone(), support::action::evaluate(v, &inputs, "abc", "")))
            .collect();
        let (code, text) = runner.run(&run, &env);
        assert_eq!(code, 2, "{key}: {value}");
        assert!(
            text.contains("::error title=perfgate action::") && text.contains(says),
            "{text}"
        );
    }
}

#[test]
fn install_checks_the_release_checksum_and_refuses_a_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("stage");
    std::fs::create_dir(&fake).unwrap();
    std::fs::write(fake.join("perfgate"), "#!/bin/sh\necho perfgate 9.9.9\n").unwrap();
    std::process::Command::new("chmod")
        .args(["+x"])
        .arg(fake.join("perfgate"))
        .status()
        .unwrap();
    let archive = dir.path().join("a.tar.gz");
    let ok = std::process::Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(&fake)
        .arg(".")
        .status()
        .unwrap();
    assert!(ok.success());
    let bytes = std::fs::read(&archive).unwrap();
    let sum = std::process::Command::new("sha256sum")
        .arg(&archive)
        .output()
        .unwrap();
    let sum = String::from_utf8(sum.stdout).unwrap();
    let sum = sum.split_whitespace().next().unwrap().to_string();

    for (checksum, expect) in [(sum.clone(), 0), ("0".repeat(64), 2)] {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let server = rt.block_on(MockServer::start());
        rt.block_on(
            Mock::given(path_regex(r"^/v9\.9\.9/perfgate-.*\.tar\.gz$"))
                .respond_with(ResponseTemplate::new(200).set_body_bytes(bytes.clone()))
                .mount(&server),
        );
        rt.block_on(
            Mock::given(path_regex(r"^/v9\.9\.9/perfgate-.*\.tar\.gz\.sha256$"))
                .respond_with(
                    ResponseTemplate::new(200).set_body_string(format!("{checksum}  x.tar.gz\n")),
                )
                .with_priority(1)
                .mount(&server),
        );
        let runs = tempfile::tempdir().unwrap();
        let mut runner = Runner::new(dir.path(), runs.path(), "http://127.0.0.1:9");
        runner
            .env
            .push(("PERFGATE_RELEASE_URL".into(), server.uri()));
        let (_, run) = support::action::action_step("Install perfgate");
        let env = BTreeMap::from([("INPUT_VERSION".to_string(), "v9.9.9".to_string())]);
        let (code, text) = runner.run(&run, &env);
        assert_eq!(code, expect, "{text}");
        if expect == 0 {
            let bin = runner.output("bin").unwrap();
            assert!(bin.ends_with("/perfgate"), "{bin}");
            assert!(text.contains("perfgate 9.9.9"), "{text}");
        } else {
            assert!(text.contains("does not match the release's"), "{text}");
            assert_eq!(runner.output("bin"), None);
        }
    }
}
