//! Command suites (perfgate.toml) as a user runs them: `list`, `run --no-compare --out`,
//! failing and timed-out commands, a malformed suite file, and `ab --suite` between two
//! commits of a tiny git repository. Tiny commands, few samples; nothing here asserts on
//! timing values.

use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use predicates::str::contains;
use serde_json::Value;

/// perfgate in `dir`, away from GitHub Actions and from any CARGO_TARGET_DIR warning.
fn perfgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("CARGO_TARGET_DIR");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn json(path: &Path) -> Value {
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

const SUITE: &str = r#"
[[bench]]
name = "tiny/true"
command = ["true"]
warmup_runs = 1

[[bench]]
name = "tiny/loop"
command = "i=0; while [ $i -lt 50 ]; do i=$((i+1)); done"
shell = true

[[bench]]
name = "broken"
command = "echo 'cannot open input.dat' >&2; exit 7"
shell = true

[[bench]]
name = "hangs"
command = ["sleep", "30"]
timeout_s = 0.3
"#;

#[test]
fn list_shows_the_command_benchmarks_of_perfgate_toml() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "perfgate.toml", SUITE);
    let out = perfgate(dir.path()).arg("list").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for want in [
        "tiny/true",
        "tiny/loop",
        "while [ $i -lt 50 ]",
        "broken",
        "sleep 30",
        "one run (command)",
    ] {
        assert!(text.contains(want), "{want} missing from:\n{text}");
    }
    assert!(!text.contains("matmul"), "built-in suite listed:\n{text}");
}

#[test]
fn run_measures_each_command_and_fails_only_the_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "perfgate.toml", SUITE);
    perfgate(dir.path())
        .args(["run", "--no-compare", "--samples", "3", "--pin", "none"])
        .args(["--out", "results.json"])
        .assert()
        .success()
        .stderr(contains("suite: perfgate.toml"));
    let r = json(&dir.path().join("results.json"));
    for name in ["tiny/true", "tiny/loop"] {
        let b = bench(&r, name);
        assert!(b["error"].is_null(), "{b}");
        assert_eq!(b["samples_ns"].as_array().unwrap().len(), 3, "{b}");
        assert_eq!(b["iters_per_sample"], 1);
        assert_eq!(b["process"]["max_rss_bytes"].as_array().unwrap().len(), 3);
    }
    let broken = bench(&r, "broken")["error"].as_str().unwrap();
    assert!(
        broken.contains("exited with code 7") && broken.contains("cannot open input.dat"),
        "{broken}"
    );
    let hangs = bench(&r, "hangs")["error"].as_str().unwrap();
    assert!(
        hangs.contains("timed out after 0.300 s")
            && hangs.contains("process group was killed")
            && hangs.contains("timeout_s"),
        "{hangs}"
    );
    assert!(
        bench(&r, "hangs")["samples_ns"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_malformed_suite_file_exits_2_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "perfgate.toml",
        "[[bench]]\nname = \"a\"\ncommand = [\"true\"]\ntimeout_s = \"soon\"\n",
    );
    for args in [
        &["list"][..],
        &["run", "--no-compare", "--pin", "none"],
        &["ab", "--base-dir", "."],
    ] {
        perfgate(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("perfgate.toml: line 4"))
            .stderr(contains("timeout_s"));
    }
    write(dir.path(), "other.toml", "[[bench]]\nname = \"a\"\n");
    perfgate(dir.path())
        .args(["list", "--suite", "other.toml"])
        .assert()
        .code(2)
        .stderr(contains("other.toml"))
        .stderr(contains("missing field `command`"));
}

/// Runs git in `dir`, which must succeed; its stdout.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Std::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A suite whose build and commands log which version of the repository ran them.
const AB_SUITE: &str = r#"
build = ["sh", "build.sh"]

[[bench]]
name = "work"
command = ["sh", "work.sh"]
warmup_runs = 1
"#;

/// Commits version `v` of the tiny project: work.sh loops `n` times.
fn commit_version(repo: &Path, v: &str, n: u32) {
    write(repo, "perfgate.toml", AB_SUITE);
    write(
        repo,
        "build.sh",
        &format!("echo build-{v} >> \"$PERFGATE_TEST_LOG\"\necho {v} > built.txt\n"),
    );
    write(
        repo,
        "work.sh",
        &format!(
            "i=0; while [ $i -lt {n} ]; do i=$((i+1)); done\n\
             echo run-$(cat built.txt) >> \"$PERFGATE_TEST_LOG\"\n"
        ),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", v]);
}

#[test]
fn ab_suite_runs_both_commits_paired_and_removes_the_worktree() {
    let repo = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("log");
    git(repo.path(), &["init", "-q"]);
    commit_version(repo.path(), "v1", 10);
    let base_sha = git(repo.path(), &["rev-parse", "HEAD"]);
    commit_version(repo.path(), "v2", 200);
    let head_sha = git(repo.path(), &["rev-parse", "HEAD"]);
    write(repo.path(), ".git/info/exclude", "built.txt\n*.json\n");
    let out = perfgate(repo.path())
        .env("PERFGATE_TEST_LOG", &log)
        .args(["ab", "--suite", "perfgate.toml", "--base", "HEAD~1"])
        .args(["--rounds", "4", "--samples", "2", "--pin", "none"])
        .args(["--format", "json", "--out", "verdict.json"])
        .args(["--results-out", "ab.json"])
        .assert();
    let code = out.get_output().status.code();
    assert!(matches!(code, Some(0 | 1)), "{:?}", out.get_output());

    // Both sides built once and ran 1 warm-up + 4 rounds × 2 runs, each its own version.
    let text = std::fs::read_to_string(&log).unwrap();
    let count = |w: &str| text.lines().filter(|l| *l == w).count();
    assert_eq!(count("build-v1"), 1, "{text}");
    assert_eq!(count("build-v2"), 1, "{text}");
    assert_eq!((count("run-v1"), count("run-v2")), (9, 9), "{text}");

    let v = json(&repo.path().join("verdict.json"));
    assert!(
        ["pass", "fail"].contains(&v["verdict"].as_str().unwrap()),
        "{v}"
    );
    assert_eq!(v["baseline"]["git_commit"], base_sha.as_str());
    assert_eq!(v["candidate"]["git_commit"], head_sha.as_str());
    assert_eq!(v["candidate"]["runs"], 4);
    let work = bench(&v, "work");
    let status = work["status"].as_str().unwrap();
    assert!(
        ["regression", "improvement", "inconclusive", "unchanged"].contains(&status),
        "{work}"
    );
    let checks = work["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 1, "only the paired timing check: {work}");
    assert!(checks[0]["p_value"].is_number() && checks[0]["ci_low"].is_number());

    let ab = json(&repo.path().join("ab.json"));
    assert_eq!(ab["schema"], "perfgate.ab-results.v3");
    let b = bench(&ab, "work");
    assert_eq!(b["presence"], "both");
    assert_eq!(b["rounds"].as_array().unwrap().len(), 4);
    for side in ["base", "head"] {
        assert_eq!(b[side]["samples_ns"].as_array().unwrap().len(), 8);
        assert_eq!(b[side]["process"]["user_ns"].as_array().unwrap().len(), 8);
    }
    // The temporary worktree is gone.
    let worktrees = git(repo.path(), &["worktree", "list"]);
    assert_eq!(worktrees.lines().count(), 1, "{worktrees}");
}

#[test]
fn a_failing_build_exits_2_with_the_end_of_its_stderr() {
    let head = tempfile::tempdir().unwrap();
    let base = tempfile::tempdir().unwrap();
    let bench = "[[bench]]\nname = \"a\"\ncommand = [\"true\"]\n";
    write(head.path(), "perfgate.toml", bench);
    write(
        base.path(),
        "perfgate.toml",
        &format!(
            "build = \"echo compiling >&2; echo 'error: missing semicolon' >&2; exit 101\"\n{bench}"
        ),
    );
    perfgate(head.path())
        .arg("ab")
        .arg("--base-dir")
        .arg(base.path())
        .args(["--rounds", "2", "--pin", "none"])
        .assert()
        .code(2)
        .stderr(contains("the base's build"))
        .stderr(contains("exited with code 101"))
        .stderr(contains("error: missing semicolon"));
}

#[test]
fn ab_flags_that_do_not_apply_to_a_command_suite_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "perfgate.toml",
        "[[bench]]\nname = \"a\"\ncommand = [\"true\"]\n",
    );
    perfgate(dir.path())
        .args(["ab", "--base-dir", ".", "--sample-ms", "5"])
        .assert()
        .code(2)
        .stderr(contains("--sample-ms"));
    perfgate(dir.path())
        .args(["ab", "--suite", "perfgate.toml", "--base-bin", "x"])
        .assert()
        .code(2)
        .stderr(contains("--base-bin"));
}
