//! `perfgate ab --metric instructions|all` as a user runs it: the real binary counted under
//! callgrind on both sides, a head wrapper whose results say 5% more instructions, a base
//! that cannot count, and the flag combinations that are usage errors. The tests that need
//! valgrind print a message and return when it is not installed (`.ci/run` installs it).

use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

mod support;
use support::worker::*;

/// True, after saying so, when valgrind is not installed and the calling test cannot run.
fn no_valgrind() -> bool {
    let missing = !std::process::Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if missing {
        println!("skipped: valgrind is not installed (apt-get install valgrind)");
    }
    missing
}

/// `perfgate ab --metric METRIC` on gelu/1000 in `dir`, verdict to verdict.json.
fn ab(dir: &Path, metric: &str, base: &Path, head: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["ab", "--metric", metric, "--quick", "--pin", "none"])
        .args(["--warmup-ms", "5", "--filter", "^gelu/1000$"])
        .arg("--base-bin")
        .arg(base)
        .arg("--head-bin")
        .arg(head)
        .args(["--out", "verdict.json"]);
    cmd
}

fn gelu(dir: &Path) -> Value {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("verdict.json")).unwrap()).unwrap();
    v["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == "gelu/1000")
        .cloned()
        .unwrap_or_else(|| panic!("gelu/1000 not in {v}"))
}

#[test]
fn the_same_binary_on_both_sides_counts_the_same_instructions() {
    if no_valgrind() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    ab(dir.path(), "instructions", &bin(), &bin())
        .assert()
        .code(0);
    let g = gelu(dir.path());
    assert_eq!(g["status"], "unchanged", "{g}");
    let check = &g["checks"][0];
    assert_eq!(check["metric"], "instructions");
    assert_eq!(check["change"], 0.0);
    assert!(check["baseline"].as_f64().unwrap() > 1000.0, "{check}");
}

#[test]
fn a_head_with_five_percent_more_instructions_fails() {
    if no_valgrind() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The real counts of gelu/1000, and a copy that says 5% more per iteration.
    let real = dir.path().join("real.json");
    Command::cargo_bin("perfgate")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", "--metric", "instructions", "--no-compare"])
        .args(["--filter", "^gelu/1000$", "--out"])
        .arg(&real)
        .assert()
        .code(0);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&real).unwrap()).unwrap();
    let b = &mut v["benchmarks"][0];
    let counted = b["instructions_per_iter"].as_f64().unwrap();
    b["instructions_per_iter"] = (counted * 1.05).into();
    let more = dir.path().join("more.json");
    std::fs::write(&more, v.to_string()).unwrap();
    // A head whose `run --out FILE` writes those counts.
    let body = format!(
        "while [ $# -gt 0 ]; do\n  if [ \"$1\" = --out ]; then cp '{}' \"$2\"; exit 0; fi\n  shift\ndone\nexit 2",
        more.display()
    );
    script(dir.path(), "perfgate-head", &body);
    // Relative to the working directory, as a user types it.
    ab(
        dir.path(),
        "instructions",
        &bin(),
        Path::new("perfgate-head"),
    )
    .assert()
    .code(1);
    let g = gelu(dir.path());
    assert_eq!(g["status"], "regression", "{g}");
    let change = g["checks"][0]["change"].as_f64().unwrap();
    assert!((change - 0.05).abs() < 1e-9, "{change}");
}

#[test]
fn a_base_that_cannot_count_is_an_input_error_naming_the_side() {
    if no_valgrind() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let old = script(
        dir.path(),
        "perfgate-old",
        "echo \"error: unexpected argument '--metric' found\" >&2\nexit 2",
    );
    ab(dir.path(), "instructions", &old, &bin())
        .assert()
        .code(2)
        .stderr(contains("base: "))
        .stderr(contains("could not count instructions"))
        .stderr(contains("unexpected argument '--metric'"));
}

#[test]
fn all_counts_nothing_when_the_timing_decides_everything_unchanged() {
    if no_valgrind() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // 5 rounds: the smallest two-sided signed-rank p is 1/16, so nothing can be flagged;
    // with 50% limits the interval always lies inside them, so nothing is left open and
    // every change is bounded within the instruction limit (an inconclusive benchmark, or
    // an unchanged one whose interval reaches past ±instructions, would be counted).
    std::fs::write(
        dir.path().join("t.toml"),
        "[defaults]\ninstructions = \"50%\"\n[ab]\np50 = \"50%\"\n",
    )
    .unwrap();
    ab(dir.path(), "all", &bin(), &bin())
        .args(["--rounds", "5", "--thresholds", "t.toml"])
        .assert()
        .code(0)
        .stdout(contains(
            "the timing flagged nothing, left nothing open and bounded every change",
        ));
    let g = gelu(dir.path());
    assert_eq!(g["status"], "unchanged", "{g}");
}

#[test]
fn instruction_counts_have_no_paired_rounds_to_write() {
    let dir = tempfile::tempdir().unwrap();
    ab(dir.path(), "instructions", &bin(), &bin())
        .args(["--results-out", "ab.json"])
        .assert()
        .code(2)
        .stderr(contains("--results-out"));
}

#[test]
fn a_command_suite_is_timed_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("perfgate.toml"),
        "[[bench]]\nname = \"cmd/true\"\ncommand = [\"true\"]\n",
    )
    .unwrap();
    Command::cargo_bin("perfgate")
        .unwrap()
        .current_dir(dir.path())
        .args(["ab", "--metric", "all", "--base-dir", "."])
        .assert()
        .code(2)
        .stderr(contains("--metric"))
        .stderr(contains("timed only"));
}
