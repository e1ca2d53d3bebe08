//! `perfgate ab` edge cases as a user meets them: a worker that stops answering, the time
//! budget, `--quick`, and the A/B results file read again by `compare` and `report`. Fake
//! workers are shell wrappers around the real binary (faults through
//! `PERFGATE_WORKER_FAULT`) or a script that never answers. Nothing here asserts on timing
//! values; the hang tests only check that `ab` returns, with the right message.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

mod support;
use support::worker::*;

fn perfgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

/// `perfgate ab --quick` in `dir` between `base` and `head` on `filter`, writing
/// verdict.json and ab.json; `extra` flags appended.
fn ab(dir: &Path, base: &Path, head: &Path, filter: &str, extra: &[&str]) -> Command {
    let mut cmd = perfgate(dir);
    cmd.args(["ab", "--quick", "--pin", "none", "--warmup-ms", "5"])
        .arg("--base-bin")
        .arg(base)
        .arg("--head-bin")
        .arg(head)
        .args(["--filter", filter])
        .args(["--out", "verdict.json", "--results-out", "ab.json"])
        .args(extra);
    cmd
}

fn json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bench<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {v}"))
}

#[test]
fn a_worker_that_stops_answering_is_killed_and_fails_only_its_benchmark() {
    let dir = tempfile::tempdir().unwrap();
    let hangs = faulty(dir.path(), "perfgate-hang", "hang=gelu/1000");
    // 10 s: far above what one quick request takes even on a loaded machine, so only the
    // hanging request reaches it.
    ab(
        dir.path(),
        &hangs,
        &bin(),
        "^(gelu/1000|softmax/2048)$",
        &["--rounds", "3", "--worker-timeout", "10"],
    )
    .assert()
    .code(1);
    let verdict = json(dir.path().join("verdict.json"));
    let gelu = bench(&verdict, "gelu/1000");
    assert_eq!(gelu["status"], "failed");
    let message = gelu["message"].as_str().unwrap();
    for want in [
        "base worker",
        "perfgate-hang",
        "timed out",
        "`sample gelu/1000`",
        "10.0 s",
        "killed",
    ] {
        assert!(message.contains(want), "{want:?} not in {message:?}");
    }
    let softmax = bench(&verdict, "softmax/2048");
    assert_ne!(softmax["status"], "failed", "{softmax}");
    assert_eq!(softmax["checks"][0]["rounds"], 3);
    let results = json(dir.path().join("ab.json"));
    assert_eq!(
        bench(&results, "softmax/2048")["rounds"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(
        verdict["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .contains("base worker died or timed out")),
        "{verdict}"
    );
}

#[test]
fn a_worker_that_never_shakes_hands_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mute = script(dir.path(), "perfgate-mute", "exec sleep 600");
    ab(
        dir.path(),
        &mute,
        &bin(),
        "^gelu/1000$",
        &["--rounds", "2", "--worker-timeout", "2"],
    )
    .assert()
    .code(2)
    .stderr(contains("base: worker"))
    .stderr(contains("perfgate-mute timed out"))
    .stderr(contains("`hello (the handshake)`"))
    .stderr(contains("set by --worker-timeout"));
}

#[test]
fn bad_worker_timeouts_and_budgets_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, value) in [
        ("--worker-timeout", "0"),
        ("--worker-timeout", "-3"),
        ("--worker-timeout", "1e300"),
        ("--time-budget", "0"),
        ("--time-budget", "nan"),
    ] {
        let arg = format!("{flag}={value}");
        ab(dir.path(), &bin(), &bin(), "^gelu/1000$", &[&arg])
            .assert()
            .code(2)
            .stderr(contains(flag));
    }
}

#[test]
fn the_time_budget_stops_at_a_look_and_names_the_rounds_done() {
    let dir = tempfile::tempdir().unwrap();
    // Timing decides nothing with the limit off, so gelu/1000 stays open; looks at 8 and
    // 12 rounds. A budget of 1 ms: the first stage (8 rounds) always runs, the second not.
    std::fs::write(dir.path().join("t.toml"), "[ab]\np50 = \"off\"\n").unwrap();
    ab(
        dir.path(),
        &bin(),
        &bin(),
        "^gelu/1000$",
        &[
            "--rounds",
            "12",
            "--time-budget",
            "0.001",
            "--thresholds",
            "t.toml",
        ],
    )
    .assert()
    .stderr(contains("round 8/12"));
    let results = json(dir.path().join("ab.json"));
    assert_eq!(results["settings"]["rounds_planned"], 12);
    assert_eq!(results["settings"]["rounds_done"], 8);
    assert_eq!(results["settings"]["time_budget_s"], 0.001);
    // The plan as ended: the look at 8 spends what the unreached look at 12 would have.
    let looks = &results["settings"]["looks"];
    assert_eq!(looks["looks"], serde_json::json!([8]));
    assert_eq!(looks["test_weights"], serde_json::json!([1.0]));
    let verdict = json(dir.path().join("verdict.json"));
    assert!(
        verdict["notes"].as_array().unwrap().iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("time budget of 0 s reached after 8 rounds: 1 benchmark still open")),
        "{verdict}"
    );
}

#[test]
fn quick_ab_results_are_reusable_by_compare_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A/A with --quick defaults: at most 16 rounds (looks at 8, 12, 16), 8 pairs of 1 ms
    // samples per visit.
    let first = ab(d, &bin(), &bin(), "^(gelu/1000|softmax/2048)$", &[])
        .assert()
        .get_output()
        .status
        .code();
    let results = json(d.join("ab.json"));
    let s = &results["settings"];
    assert_eq!(
        (
            &s["rounds_planned"],
            &s["samples_per_visit"],
            &s["sample_ms"]
        ),
        (&Value::from(16), &Value::from(8), &Value::from(1))
    );
    let verdict_text = std::fs::read_to_string(d.join("verdict.json")).unwrap();
    let verdict: Value = serde_json::from_str(&verdict_text).unwrap();
    // Each benchmark stops at the look that decided it: its rounds are that look's.
    let taken = bench(&results, "gelu/1000")["rounds"]
        .as_array()
        .unwrap()
        .len();
    assert!([8, 12, 16].contains(&taken), "{taken}");
    assert_eq!(bench(&verdict, "gelu/1000")["checks"][0]["rounds"], taken);

    // compare AB_RESULTS: the same verdict, byte for byte (sides are named by their
    // binaries, not by the file the results were read from), and the same exit code.
    let again = perfgate(d)
        .args([
            "compare",
            "ab.json",
            "--out",
            "again.json",
            "--format",
            "json",
        ])
        .assert()
        .get_output()
        .clone();
    assert_eq!(again.status.code(), first);
    let again_text = std::fs::read_to_string(d.join("again.json")).unwrap();
    assert_eq!(again_text, verdict_text);
    assert_eq!(
        String::from_utf8(again.stdout).unwrap().trim(),
        verdict_text.trim()
    );

    // report AB_RESULTS: the A/B report with the same gate outcome.
    perfgate(d)
        .args([
            "report",
            "ab.json",
            "--markdown",
            "ab.md",
            "--html",
            "ab.html",
        ])
        .assert()
        .code(0);
    let md = std::fs::read_to_string(d.join("ab.md")).unwrap();
    let outcome = match verdict["verdict"].as_str().unwrap() {
        "pass" => "pass",
        _ => "FAIL",
    };
    let headline = verdict["headline"].as_str().unwrap();
    assert!(
        md.contains(&format!("Gate: {outcome} — {headline}")),
        "{md}"
    );
    assert!(
        md.contains("## Paired changes") && md.contains("| gelu/1000 |"),
        "{md}"
    );
    let html = std::fs::read_to_string(d.join("ab.html")).unwrap();
    assert!(html.contains("<svg"));
}

#[test]
fn an_ab_results_file_next_to_another_file_says_how_to_pass_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let ab_json = include_str!("fixtures/ab-results-minimal.json");
    std::fs::write(d.join("ab.json"), ab_json).unwrap();
    let run = r#"{"schema": "perfgate.results.v1", "benchmarks": [{"name": "a/1", "samples_ns": [1, 2, 3]}]}"#;
    std::fs::write(d.join("run.json"), run).unwrap();
    for args in [
        ["compare", "ab.json", "run.json"],
        ["compare", "run.json", "ab.json"],
    ] {
        perfgate(d)
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("ab.json: is an A/B results file"))
            .stderr(contains("perfgate compare ab.json"));
    }
    perfgate(d)
        .args(["compare", "run.json"])
        .assert()
        .code(2)
        .stderr(contains("run.json: is not an A/B results file"))
        .stderr(contains("perfgate compare BASELINE CANDIDATE"));
    perfgate(d)
        .args(["compare", "nothing-here.json"])
        .assert()
        .code(2)
        .stderr(contains("CANDIDATE: missing"));
    perfgate(d)
        .args(["report", "run.json", "--baseline", "ab.json"])
        .assert()
        .code(2)
        .stderr(contains("ab.json: is an A/B results file"))
        .stderr(contains("perfgate report ab.json"));
    perfgate(d)
        .args(["report", "ab.json", "--baseline", "run.json"])
        .assert()
        .code(2)
        .stderr(contains("--baseline: ab.json is an A/B results file"));
    // The minimal fixture alone: compare gates it (10 rounds at +10%: a regression).
    perfgate(d)
        .args(["compare", "ab.json", "--format", "markdown"])
        .assert()
        .code(1)
        .stdout(contains("P50 (10 rounds)"));
}

/// A git repository in `dir` with one commit on branch `trunk` (no `main`).
fn git_repo(dir: &Path) {
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "trunk"]);
    std::fs::write(dir.join("file"), "x").unwrap();
    git(&["add", "file"]);
    git(&["commit", "-q", "-m", "one"]);
}

#[test]
fn a_base_revision_that_cannot_be_resolved_is_a_usage_error_before_any_build() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git_repo(d);
    // No --base: the default needs a merge-base with origin/main or main; there is none.
    perfgate(d)
        .args(["ab", "--quick", "--filter", "^gelu/1000$"])
        .assert()
        .code(2)
        .stderr(contains(
            "--base: no merge-base of HEAD with origin/main or main",
        ));
    perfgate(d)
        .args([
            "ab",
            "--quick",
            "--base",
            "no-such-rev",
            "--filter",
            "^gelu/1000$",
        ])
        .assert()
        .code(2)
        .stderr(contains("--base: \"no-such-rev\" is not a commit"));
    assert!(!d.join("target").exists(), "nothing was built");
}
