//! `perfgate ab` as a user runs it, with the real binary as both sides (A/A) and shell
//! wrappers around it that inject faults through `PERFGATE_WORKER_FAULT`, or imitate an
//! old perfgate without a `worker` subcommand. Nothing here asserts on timing values.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use perfgate::results::{AbRound, Pairing};
use predicates::str::contains;
use serde_json::Value;

mod support;
use support::worker::*;

/// `perfgate ab --quick` in `dir` between `base` and `head`, rounds and filter given.
fn ab(dir: &Path, base: &Path, head: &Path, filter: &str, rounds: &str) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["ab", "--quick", "--pin", "none", "--warmup-ms", "5"])
        .arg("--base-bin")
        .arg(base)
        .arg("--head-bin")
        .arg(head)
        .args(["--filter", filter, "--rounds", rounds])
        .args(["--out", "verdict.json", "--results-out", "ab.json"]);
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
fn a_a_on_one_benchmark_passes_with_every_round_paired_and_balanced() {
    let dir = tempfile::tempdir().unwrap();
    // 5 rounds: the smallest two-sided signed-rank p is 1/16, so A/A cannot be called a
    // regression whatever the machine does; the structure is what is checked.
    ab(dir.path(), &bin(), &bin(), "^gelu/1000$", "5")
        .assert()
        .code(0);
    let verdict = json(dir.path().join("verdict.json"));
    assert_eq!(verdict["verdict"], "pass");
    let gelu = bench(&verdict, "gelu/1000");
    assert_ne!(gelu["status"], "failed");
    let metrics: Vec<&str> = gelu["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["metric"].as_str().unwrap())
        .collect();
    assert_eq!(metrics, ["p50", "alloc_bytes", "allocs"]);
    let p50 = &gelu["checks"][0];
    assert!(p50["ci_low"].is_number() && p50["p_adjusted"].is_number());
    assert_eq!(verdict["baseline"]["runs"], 5);

    let results = json(dir.path().join("ab.json"));
    assert_eq!(results["schema"], "perfgate.ab-results.v3");
    assert_eq!(results["settings"]["rounds_done"], 5);
    let r = bench(&results, "gelu/1000");
    let rounds = r["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 5);
    let base_first = rounds.iter().filter(|x| x["base_first"] == true).count();
    assert!(base_first == 2 || base_first == 3, "{base_first}");
    // --quick: 8 pairs of samples per visit, every sample of both sides kept in order.
    assert_eq!(r["base"]["samples_ns"].as_array().unwrap().len(), 40);
    assert_eq!(r["head"]["samples_ns"].as_array().unwrap().len(), 40);
    assert!(r["iters_per_sample"].as_u64().unwrap() >= 1);

    // Timed by the workers' thread CPU time: each round's observation is the median of
    // the log-ratios of that visit's CPU samples paired warm with warm and cold with cold,
    // and the verdict says so.
    assert_eq!(r["clock"], "cpu");
    let cpu = |side: &str| -> Vec<f64> {
        let v = r[side]["cpu_ns"].as_array().unwrap();
        v.iter().map(|x| x.as_f64().unwrap()).collect()
    };
    let (base_cpu, head_cpu) = (cpu("base"), cpu("head"));
    assert_eq!((base_cpu.len(), head_cpu.len()), (40, 40));
    let close = |a: &Value, b: f64| (a.as_f64().unwrap() - b).abs() <= 1e-9 * b.abs().max(1e-9);
    // The rounds are the visits' samples in the file, paired as the settings say (the rule
    // itself is tested on hand-made samples in src/results/ab.rs).
    assert_eq!(results["settings"]["pairing"], "same_state");
    for (i, round) in rounds.iter().enumerate() {
        assert_eq!(round["pairs"], 8);
        let at = 8 * i..8 * i + 8;
        let base_first = round["base_first"].as_bool().unwrap();
        let want = AbRound::of_visit(
            Pairing::SameState,
            i as u32,
            base_first,
            &base_cpu[at.clone()],
            &head_cpu[at],
        )
        .unwrap();
        assert!(close(&round["log_ratio"], want.log_ratio), "{round}");
        assert!(close(&round["base_p50_ns"], want.base_p50_ns));
        assert!(close(&round["head_p50_ns"], want.head_p50_ns));
    }
    let notes = verdict["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("timed by CPU time")),
        "{notes:?}"
    );
}

#[test]
fn a_base_that_reports_no_cpu_time_is_compared_by_wall_time() {
    let dir = tempfile::tempdir().unwrap();
    // A base as old perfgates answer: its sample replies carry no `cpu_ns`.
    let body = format!(
        "'{}' \"$@\" | sed -u 's/\"cpu_ns\":\\[[^]]*\\],//'",
        bin().display()
    );
    let old = script(dir.path(), "old-base", &body);
    ab(dir.path(), &old, &bin(), "^gelu/1000$", "3")
        .assert()
        .code(0);
    let results = json(dir.path().join("ab.json"));
    let r = bench(&results, "gelu/1000");
    assert_eq!(r["clock"], "wall");
    assert!(r["base"].get("cpu_ns").is_none(), "{r}");
    assert_eq!(r["head"]["cpu_ns"].as_array().unwrap().len(), 24);
    let round = &r["rounds"][0];
    let mut base_wall: Vec<f64> = r["base"]["samples_ns"].as_array().unwrap()[..8]
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    base_wall.sort_by(f64::total_cmp);
    assert!(
        (round["base_p50_ns"].as_f64().unwrap() - (base_wall[3] + base_wall[4]) / 2.0).abs() < 1e-6
    );
    let verdict = json(dir.path().join("verdict.json"));
    let notes = verdict["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("timed by wall time: no benchmark")),
        "{notes:?}"
    );
}

#[test]
fn a_base_without_a_worker_command_is_named_as_an_old_perfgate() {
    let dir = tempfile::tempdir().unwrap();
    let old = script(
        dir.path(),
        "old-perfgate",
        "echo \"error: unrecognized subcommand 'worker'\" >&2; exit 2",
    );
    ab(dir.path(), &old, &bin(), "^gelu/1000$", "2")
        .assert()
        .code(2)
        .stderr(contains("has no `worker` subcommand"))
        .stderr(contains("old-perfgate"));
}

#[test]
fn a_worker_of_another_protocol_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = faulty(dir.path(), "perfgate-v99", "protocol=99");
    ab(dir.path(), &bin(), &other, "^gelu/1000$", "2")
        .assert()
        .code(2)
        .stderr(contains("head:"))
        .stderr(contains("speaks worker protocol 99"));
}

#[test]
fn a_crashing_worker_fails_only_the_benchmark_it_was_measuring() {
    let dir = tempfile::tempdir().unwrap();
    let crashes = faulty(dir.path(), "perfgate-crash", "crash=gelu/1000");
    ab(
        dir.path(),
        &crashes,
        &bin(),
        "^(gelu/1000|softmax/2048)$",
        "3",
    )
    .assert()
    .code(1);
    let verdict = json(dir.path().join("verdict.json"));
    let gelu = bench(&verdict, "gelu/1000");
    assert_eq!(gelu["status"], "failed");
    assert!(
        gelu["message"]
            .as_str()
            .unwrap()
            .contains("base worker died"),
        "{gelu}"
    );
    let softmax = bench(&verdict, "softmax/2048");
    assert_ne!(softmax["status"], "failed", "{softmax}");
    let results = json(dir.path().join("ab.json"));
    assert_eq!(
        bench(&results, "softmax/2048")["rounds"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(
        verdict["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("restarted")),
        "{verdict}"
    );
}

#[test]
fn benchmarks_on_one_side_only_are_missing_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let base = faulty(dir.path(), "perfgate-old-suite", "hide=softmax/2048");
    let head = faulty(dir.path(), "perfgate-new-suite", "hide=gelu/1000");
    ab(dir.path(), &base, &head, "^(gelu/1000|softmax/2048)$", "2")
        .assert()
        .code(1);
    let verdict = json(dir.path().join("verdict.json"));
    assert_eq!(bench(&verdict, "gelu/1000")["status"], "missing");
    assert_eq!(bench(&verdict, "softmax/2048")["status"], "new");
}

#[test]
fn bad_flags_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    ab(dir.path(), &bin(), &bin(), "^nothing$", "2")
        .assert()
        .code(2)
        .stderr(contains("--filter"));
    ab(dir.path(), &bin(), &bin(), "^gelu/1000$", "0")
        .assert()
        .code(2)
        .stderr(contains("--rounds"));
    ab(
        dir.path(),
        Path::new("/nonexistent/perfgate"),
        &bin(),
        "x",
        "2",
    )
    .assert()
    .code(2)
    .stderr(contains("--base-bin"));
}

#[test]
fn every_round_runs_in_a_fresh_pair_of_workers_started_in_alternating_order() {
    let dir = tempfile::tempdir().unwrap();
    let logged = |side: &str| {
        let body = format!(
            "echo \"$@\" >> '{d}/starts-{side}'\necho \"{side} $1\" >> '{d}/starts'\nexec '{}' \"$@\"",
            bin().display(),
            d = dir.path().display(),
        );
        script(dir.path(), &format!("perfgate-{side}"), &body)
    };
    let (base, head) = (logged("base"), logged("head"));
    ab(dir.path(), &base, &head, "^gelu/1000$", "4")
        .assert()
        .code(0);
    for side in ["base", "head"] {
        let starts = std::fs::read_to_string(dir.path().join(format!("starts-{side}"))).unwrap();
        let workers = starts.lines().filter(|l| l.starts_with("worker")).count();
        assert_eq!(workers, 4, "{side}: one worker process per round\n{starts}");
    }
    let results = json(dir.path().join("ab.json"));
    let rounds = bench(&results, "gelu/1000")["rounds"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(rounds, 4);
    // Rounds 0 and 2 start the base first, rounds 1 and 3 the head.
    let starts = std::fs::read_to_string(dir.path().join("starts")).unwrap();
    let order: Vec<&str> = starts
        .lines()
        .filter_map(|l| l.strip_suffix(" worker"))
        .collect();
    let expected = [
        "base", "head", "head", "base", "base", "head", "head", "base",
    ];
    assert_eq!(order, expected, "{starts}");
}
