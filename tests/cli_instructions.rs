//! `perfgate run --metric instructions` and `perfgate bless --metric instructions` as a
//! user runs them: valgrind missing, a real count under callgrind, and the gate against an
//! instruction baseline. The tests that need valgrind print a message and return when it is
//! not installed (`.ci/run` installs it).

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

fn perfgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir);
    cmd
}

fn have_valgrind() -> bool {
    std::process::Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn valgrind_missing_exits_2_with_an_install_hint() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty-path");
    std::fs::create_dir(&empty).unwrap();
    perfgate(dir.path())
        .env("PATH", &empty)
        .args(["run", "--metric", "instructions", "--filter", "^gelu/1000$"])
        .assert()
        .code(2)
        .stderr(contains(
            "valgrind not found: install it, e.g. `apt-get install valgrind`",
        ));
}

#[test]
fn zero_counted_iterations_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    perfgate(dir.path())
        .args(["run", "--metric", "instructions", "--instr-iters", "0"])
        .assert()
        .code(2)
        .stderr(contains("--instr-iters"));
}

#[test]
fn instructions_of_gelu_1000_are_counted_blessed_and_gated() {
    if !have_valgrind() {
        println!("skipped: valgrind is not installed (apt-get install valgrind)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("r.json");
    perfgate(dir.path())
        .args([
            "run",
            "--metric",
            "instructions",
            "--filter",
            "^gelu/1000$",
            "--no-compare",
        ])
        .arg("--out")
        .arg(&results)
        .assert()
        .success()
        .stdout(contains("instructions/iter"));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    let b = &r["benchmarks"][0];
    assert_eq!(b["name"], "gelu/1000");
    assert!(b["samples_ns"].as_array().unwrap().is_empty());
    // 1000 GELUs: several instructions per element, far fewer than a scalar libm loop.
    let ir = b["instructions_per_iter"].as_f64().unwrap();
    assert!((1_000.0..1_000_000.0).contains(&ir), "{ir}");
    let fp = &r["instructions"]["fingerprint"];
    assert!(
        fp["valgrind"].as_str().unwrap().starts_with("valgrind-"),
        "{fp}"
    );

    // Bless it, then gate the same counts: unchanged, exit 0.
    perfgate(dir.path())
        .args([
            "bless",
            "--metric",
            "instructions",
            "--name",
            "instr",
            "--from",
        ])
        .arg(&results)
        .assert()
        .success();
    let blessed = dir.path().join("baselines/instr.json");
    perfgate(dir.path())
        .args(["run", "--metric", "instructions", "--filter", "^gelu/1000$"])
        .arg("--instructions-baseline")
        .arg(&blessed)
        .assert()
        .code(0)
        .stdout(contains("no regressions in 1 benchmark"));

    // A baseline that counted 2% fewer instructions: the run is a regression, exit 1.
    let mut base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&blessed).unwrap()).unwrap();
    base["benchmarks"][0]["instructions_per_iter"] = (ir / 1.02).into();
    let cheaper = dir.path().join("cheaper.json");
    std::fs::write(&cheaper, base.to_string()).unwrap();
    perfgate(dir.path())
        .args(["run", "--metric", "instructions", "--filter", "^gelu/1000$"])
        .arg("--instructions-baseline")
        .arg(&cheaper)
        .assert()
        .code(1)
        .stdout(contains("instructions +2.00% (limit 1%)"));

    // Another fingerprint: the checks are skipped and the note names the field.
    base["run"]["fingerprint"]["valgrind"] = "valgrind-9.9.9".into();
    let other = dir.path().join("other.json");
    std::fs::write(&other, base.to_string()).unwrap();
    perfgate(dir.path())
        .args(["run", "--metric", "instructions", "--filter", "^gelu/1000$"])
        .arg("--instructions-baseline")
        .arg(&other)
        .assert()
        .code(0)
        .stdout(contains("DIFFERENT INSTRUCTION FINGERPRINT"))
        .stdout(contains("valgrind: valgrind-9.9.9 →"));
}
