//! `perfgate compare` and `perfgate bless` as a user runs them, on hand-made files:
//! exit codes, verdict output, baseline files, and bad input (deterministic, no timing).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

fn perfgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir);
    cmd
}

/// 40 samples around `center` with ~1% noise, seeded.
fn samples(seed: u64, center: f64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..40)
        .map(|_| center * (1.0 + 0.02 * (rng.random::<f64>() + rng.random::<f64>() - 1.0)))
        .collect()
}

/// A results file with benchmarks `a` and `b`; `a` scaled by `factor`.
fn results(dir: &Path, file: &str, seed: u64, factor: f64, cpu: &str) -> PathBuf {
    let value = json!({
        "schema": "perfgate.results.v1",
        "env": {"cpu_model": cpu, "logical_cores": 2, "os": "linux x86_64"},
        "benchmarks": [
            {"name": "a", "samples_ns": samples(seed, 1.0e6 * factor), "allocs_per_iter": 0.0},
            {"name": "b", "samples_ns": samples(seed + 100, 5.0e4), "allocs_per_iter": 3.0},
        ],
    });
    let path = dir.join(file);
    std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
    path
}

/// A directory with a baseline blessed from three runs, named `ci`.
fn blessed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        results(dir.path(), &format!("run-{i}.json"), i, 1.0, "CPU X");
    }
    perfgate(dir.path())
        .args([
            "bless",
            "--name",
            "ci",
            "--from",
            "run-0.json",
            "run-1.json",
            "run-2.json",
        ])
        .assert()
        .success();
    dir
}

#[test]
fn unchanged_candidate_passes_with_exit_0() {
    let dir = blessed();
    results(dir.path(), "cand.json", 10, 1.0, "CPU X");
    perfgate(dir.path())
        .args(["compare", "ci", "cand.json"])
        .assert()
        .code(0)
        .stdout(contains("PASS: no regressions in 2 benchmarks"));
}

#[test]
fn ten_percent_slowdown_fails_with_exit_1_and_writes_the_verdict() {
    let dir = blessed();
    results(dir.path(), "cand.json", 10, 1.10, "CPU X");
    perfgate(dir.path())
        .args([
            "compare",
            "baselines/ci.json",
            "cand.json",
            "--out",
            "v.json",
        ])
        .assert()
        .code(1)
        .stdout(contains("FAIL: 1 regression").and(contains("regression")));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("v.json")).unwrap()).unwrap();
    assert_eq!(v["verdict"], "fail");
    let a = &v["benchmarks"][0];
    assert_eq!(
        (a["name"].as_str(), a["status"].as_str()),
        (Some("a"), Some("regression"))
    );
    let check = &a["checks"][0];
    for key in [
        "metric",
        "baseline",
        "candidate",
        "change",
        "ci_low",
        "ci_high",
        "p_value",
    ] {
        assert!(!check[key].is_null(), "{key} in {check}");
    }
    assert!(!check["p_adjusted"].is_null() && !check["limit"].is_null());
    assert_eq!(check["status"], "regression");
}

#[test]
fn json_and_markdown_formats_print_the_verdict() {
    let dir = blessed();
    results(dir.path(), "cand.json", 10, 0.90, "CPU X");
    let out = perfgate(dir.path())
        .args(["compare", "ci", "cand.json", "--format", "json"])
        .assert()
        .code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["benchmarks"][0]["status"], "improvement");
    perfgate(dir.path())
        .args(["compare", "ci", "cand.json", "--format", "markdown"])
        .assert()
        .code(0)
        .stdout(contains("1 improvement").and(contains("| Benchmark |")));
}

#[test]
fn missing_default_thresholds_file_uses_built_in_defaults_and_says_so() {
    let dir = blessed();
    results(dir.path(), "cand.json", 10, 1.0, "CPU X");
    perfgate(dir.path())
        .args(["compare", "ci", "cand.json"])
        .assert()
        .code(0)
        .stdout(contains("built-in defaults (thresholds.toml not found)"));
    perfgate(dir.path())
        .args(["compare", "ci", "cand.json", "--thresholds", "nope.toml"])
        .assert()
        .code(2)
        .stderr(contains("nope.toml").and(contains("cannot read")));
}

#[test]
fn invalid_thresholds_exit_2_naming_file_line_and_key() {
    let dir = blessed();
    results(dir.path(), "cand.json", 10, 1.0, "CPU X");
    std::fs::write(
        dir.path().join("t.toml"),
        "[defaults]\np50 = \"5%\"\np59 = \"1%\"\n",
    )
    .unwrap();
    perfgate(dir.path())
        .args([
            "compare",
            "ci",
            "cand.json",
            "--thresholds",
            "t.toml",
            "--out",
            "v.json",
        ])
        .assert()
        .code(2)
        .stderr(
            contains("t.toml")
                .and(contains("line 3"))
                .and(contains("p59")),
        );
    assert!(!dir.path().join("v.json").exists());
}

#[test]
fn bad_candidate_files_exit_2_with_file_and_cause_and_write_nothing() {
    let dir = blessed();
    let cases = [
        (
            "trunc.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1,2"#,
            "not a valid results file",
        ),
        (
            "schema.json",
            r#"{"schema":"perfgate.results.v7","benchmarks":[]}"#,
            "unsupported schema",
        ),
        (
            "empty.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[]}]}"#,
            "no samples",
        ),
        (
            "neg.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1,-2]}]}"#,
            "negative",
        ),
        (
            "nan.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1,NaN]}]}"#,
            "not a valid results file",
        ),
        (
            "inf.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1,1e999]}]}"#,
            "not a valid results file",
        ),
        (
            "dup.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1]},{"name":"a","samples_ns":[2]}]}"#,
            "duplicate",
        ),
    ];
    for (file, text, cause) in cases {
        std::fs::write(dir.path().join(file), text).unwrap();
        perfgate(dir.path())
            .args(["compare", "ci", file, "--out", "v.json"])
            .assert()
            .code(2)
            .stderr(contains(file).and(contains(cause)));
        assert!(!dir.path().join("v.json").exists(), "{file}");
    }
    perfgate(dir.path())
        .args(["compare", "ci", "absent.json"])
        .assert()
        .code(2)
        .stderr(contains("absent.json").and(contains("cannot read")));
    perfgate(dir.path())
        .args(["compare", "nosuch", "run-0.json"])
        .assert()
        .code(2)
        .stderr(contains("baselines/nosuch.json"));
}

#[test]
fn minimal_hand_made_files_are_enough_to_compare() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.json"),
        r#"{"benchmarks":[{"name":"x","samples_ns":[10,11,12,10,11]}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("c.json"),
        r#"{"benchmarks":[{"name":"x","samples_ns":[10,12,11,11,10]}]}"#,
    )
    .unwrap();
    perfgate(dir.path())
        .args(["compare", "b.json", "c.json"])
        .assert()
        .code(0)
        .stdout(contains("single run"));
}

#[test]
fn bless_is_byte_identical_for_the_same_input_and_shows_old_to_new() {
    let dir = blessed();
    let path = dir.path().join("baselines/ci.json");
    let first = std::fs::read(&path).unwrap();
    perfgate(dir.path())
        .args([
            "bless",
            "--name",
            "ci",
            "--from",
            "run-0.json",
            "run-1.json",
            "run-2.json",
        ])
        .assert()
        .success()
        .stdout(contains("old P10").and(contains("+0.0%")));
    assert_eq!(std::fs::read(&path).unwrap(), first);
    let text = String::from_utf8(first).unwrap();
    assert!(text.contains("\"schema\": \"perfgate.baseline.v1\""));
    assert_eq!(
        std::fs::read_dir(dir.path().join("baselines"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn bless_refuses_runs_of_different_machines_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    results(dir.path(), "x.json", 1, 1.0, "CPU X");
    results(dir.path(), "y.json", 2, 1.0, "CPU Y");
    perfgate(dir.path())
        .args(["bless", "--name", "m", "--from", "x.json", "y.json"])
        .assert()
        .code(2)
        .stderr(
            contains("x.json")
                .and(contains("y.json"))
                .and(contains("--force")),
        );
    assert!(!dir.path().join("baselines").exists());
    perfgate(dir.path())
        .args([
            "bless", "--name", "m", "--from", "x.json", "y.json", "--force",
        ])
        .assert()
        .success();
    assert!(dir.path().join("baselines/m.json").exists());
}

#[test]
fn bless_default_name_is_the_machine_slug() {
    let dir = tempfile::tempdir().unwrap();
    results(dir.path(), "x.json", 1, 1.0, "AMD EPYC 7B13");
    perfgate(dir.path())
        .args(["bless", "--from", "x.json"])
        .assert()
        .code(2)
        .stderr(contains("at least 3").and(contains("--force")));
    assert!(
        !dir.path().join("baselines").exists(),
        "refused: nothing written"
    );
    perfgate(dir.path())
        .args(["bless", "--from", "x.json", "--force"])
        .assert()
        .success()
        .stderr(contains("blessing despite"));
    assert!(
        dir.path()
            .join("baselines/linux-x86_64-2cpu-amd-epyc-7b13.json")
            .exists()
    );
}

#[test]
fn bless_refuses_to_replace_a_stronger_baseline_with_fewer_runs() {
    let dir = tempfile::tempdir().unwrap();
    for (i, f) in ["a.json", "b.json", "c.json", "d.json"].iter().enumerate() {
        results(dir.path(), f, 10, 1.0 + 0.001 * i as f64, "CPU X");
    }
    perfgate(dir.path())
        .args([
            "bless", "--name", "m", "--from", "a.json", "b.json", "c.json", "d.json",
        ])
        .assert()
        .success();
    let before = std::fs::read(dir.path().join("baselines/m.json")).unwrap();
    perfgate(dir.path())
        .args([
            "bless", "--name", "m", "--from", "a.json", "b.json", "c.json",
        ])
        .assert()
        .code(2)
        .stderr(contains("stronger baseline (4 runs").and(contains("with 3 runs")));
    let after = std::fs::read(dir.path().join("baselines/m.json")).unwrap();
    assert_eq!(before, after, "the old baseline is untouched");
}

/// Sets `env.timestamp` of a results file.
fn stamp(path: &Path, timestamp: &str) {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["env"]["timestamp"] = json!(timestamp);
    std::fs::write(path, serde_json::to_string(&v).unwrap()).unwrap();
}

#[test]
fn bless_from_a_baseline_extends_it_with_later_runs() {
    let dir = blessed();
    results(dir.path(), "later-1.json", 7, 1.0, "CPU X");
    results(dir.path(), "later-2.json", 8, 1.0, "CPU X");
    perfgate(dir.path())
        .args([
            "bless",
            "--name",
            "more",
            "--from",
            "baselines/ci.json",
            "later-1.json",
            "later-2.json",
        ])
        .assert()
        .success();
    let read = |f: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(f)).unwrap()).unwrap()
    };
    let (old, new) = (read("baselines/ci.json"), read("baselines/more.json"));
    let sources: Vec<&str> = new["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "run-0.json",
            "run-1.json",
            "run-2.json",
            "later-1.json",
            "later-2.json"
        ]
    );
    for (i, bench) in ["a", "b"].iter().enumerate() {
        let runs = new["benchmarks"][i]["samples_ns"].as_array().unwrap();
        assert_eq!(new["benchmarks"][i]["name"], json!(bench));
        assert_eq!(runs.len(), 5);
        assert_eq!(
            runs[..3],
            old["benchmarks"][i]["samples_ns"].as_array().unwrap()[..]
        );
        assert_eq!(
            runs[3],
            json!(samples(7 + 100 * i as u64, [1.0e6, 5.0e4][i]))
        );
    }
    // The allocation figures survive the round trip through the baseline.
    assert_eq!(new["benchmarks"][1]["allocs_per_iter"], json!(3.0));
}

#[test]
fn bless_warns_about_one_sitting_and_keeps_drift_across_sittings() {
    let dir = tempfile::tempdir().unwrap();
    let times = [
        "2026-12-04T10:00:00Z",
        "2026-12-04T10:01:00Z",
        "2026-12-04T10:02:00Z",
    ];
    for (i, t) in times.iter().enumerate() {
        stamp(
            &results(dir.path(), &format!("s{i}.json"), i as u64, 1.0, "CPU X"),
            t,
        );
    }
    perfgate(dir.path())
        .args([
            "bless", "--name", "one", "--from", "s0.json", "s1.json", "s2.json",
        ])
        .assert()
        .success()
        .stderr(
            contains("within 2 minute(s), one sitting")
                .and(contains("measured within 2 minute(s)")),
        );
    // Three sittings hours apart whose machine speed differs by 12% (six benchmarks, all
    // slower at once: the shared factor needs six): one sitting would be refused ("the runs
    // disagree"); across sittings it is the drift the baseline must hold.
    let sittings = [("09:00", 1.0), ("11:00", 1.12), ("13:00", 1.05)];
    let mut files = Vec::new();
    for (i, (t, f)) in sittings.iter().enumerate() {
        let benches: Vec<serde_json::Value> = (0..6u64)
            .map(|j| json!({"name": format!("k/{j}"), "samples_ns": samples(30 * i as u64 + j, 1.0e5 * f)}))
            .collect();
        let v = json!({
            "schema": "perfgate.results.v1",
            "env": {"cpu_model": "CPU X", "logical_cores": 2, "os": "linux x86_64",
                    "timestamp": format!("2026-12-04T{t}:00Z")},
            "benchmarks": benches,
        });
        let name = format!("t{i}.json");
        std::fs::write(dir.path().join(&name), serde_json::to_string(&v).unwrap()).unwrap();
        files.push(name);
    }
    perfgate(dir.path())
        .args(["bless", "--name", "spread", "--from"])
        .args(&files)
        .assert()
        .success()
        .stderr(
            contains("across 4.0 hours")
                .and(contains("one sitting").not())
                .and(contains("measured over 4.0 hours")),
        );
    for f in &files {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(f)).unwrap()).unwrap();
        v["env"]["timestamp"] = json!("2026-12-04T09:00:00Z");
        std::fs::write(dir.path().join(f), serde_json::to_string(&v).unwrap()).unwrap();
    }
    perfgate(dir.path())
        .args(["bless", "--name", "refused", "--from"])
        .args(&files)
        .assert()
        .code(2)
        .stderr(contains("the runs disagree"));
}

#[test]
fn other_machine_baseline_is_called_out_loudly() {
    let dir = blessed();
    results(dir.path(), "cand.json", 10, 1.10, "CPU Z");
    perfgate(dir.path())
        .args(["compare", "ci", "cand.json"])
        .assert()
        .code(0)
        .stdout(contains("DIFFERENT MACHINE").and(contains("inconclusive")));
}
