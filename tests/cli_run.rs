//! `perfgate run` and `perfgate list` as a user runs them: flags, exit codes, results file.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

fn perfgate() -> Command {
    Command::cargo_bin("perfgate").unwrap()
}

#[test]
fn list_shows_every_kernel_and_model_benchmark() {
    let out = perfgate().arg("list").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for name in [
        "matmul/64",
        "matmul/512",
        "matmul_mt/512",
        "gelu/1000000",
        "softmax/2048",
        "add/1000000",
        "mul/1000000",
        "broadcast_add/1000x1000",
        "model/small/create",
        "model/medium/generate",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
}

#[test]
fn processes_without_samples_for_each_are_a_usage_error() {
    for args in [["--processes", "0"], ["--processes", "41"]] {
        perfgate()
            .args(["run", "--no-compare"])
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("--processes"));
    }
}

#[test]
fn a_run_is_measured_in_two_fresh_processes_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results.json");
    perfgate()
        .args([
            "run",
            "--samples",
            "5",
            "--warmup-ms",
            "5",
            "--sample-ms",
            "2",
        ])
        .args([
            "--no-compare",
            "--filter",
            "^(gelu/1000|matmul/64)$",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains(
            "measuring in process 1 of 2 (3 samples per benchmark)",
        ))
        .stderr(contains(
            "measuring in process 2 of 2 (2 samples per benchmark)",
        ));
    let results = perfgate::results::load_results(&out).unwrap();
    let settings = results.settings.unwrap();
    assert_eq!((settings.samples, settings.processes), (5, 2));
    for b in &results.benchmarks {
        assert_eq!(b.samples_ns.len(), 5, "{}: both processes' samples", b.name);
        assert!(b.error.is_none() && b.iters_per_sample > 0, "{}", b.name);
    }
    // --quick keeps one process.
    perfgate()
        .args([
            "run",
            "--quick",
            "--samples",
            "2",
            "--no-compare",
            "--filter",
            "^gelu/1000$",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("measuring in process").not());
    let settings = perfgate::results::load_results(&out)
        .unwrap()
        .settings
        .unwrap();
    assert_eq!((settings.samples, settings.processes), (2, 1));
}

#[test]
fn zero_samples_is_a_usage_error() {
    perfgate()
        .args(["run", "--samples", "0", "--no-compare"])
        .assert()
        .code(2)
        .stderr(contains("--samples"));
}

#[test]
fn filter_matching_nothing_is_a_usage_error() {
    perfgate()
        .args(["run", "--filter", "no-such-benchmark", "--no-compare"])
        .assert()
        .code(2)
        .stderr(contains("--filter").and(contains("matches no benchmark")));
}

#[test]
fn invalid_filter_regex_is_a_usage_error() {
    perfgate()
        .args(["list", "--filter", "("])
        .assert()
        .code(2)
        .stderr(contains("--filter"));
}

#[test]
fn nonexistent_core_is_a_usage_error() {
    perfgate()
        .args([
            "run",
            "--pin",
            "9999",
            "--filter",
            "^gelu/1000$",
            "--no-compare",
        ])
        .assert()
        .code(2)
        .stderr(contains("core 9999"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    perfgate().args(["run", "--fast"]).assert().code(2);
}

#[test]
fn run_writes_results_with_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results.json");
    perfgate()
        .args([
            "run",
            "--quick",
            "--samples",
            "3",
            "--no-compare",
            "--filter",
        ])
        .args(["^(gelu/1000|matmul/64)$", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("gelu/1000").and(contains("GFLOP/s")));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    for key in ["schema", "perfgate_version", "env", "benchmarks"] {
        assert!(json.get(key).is_some(), "top-level {key} missing");
    }
    for key in [
        "cpu_model",
        "logical_cores",
        "os",
        "kernel",
        "rustc",
        "timestamp",
    ] {
        assert!(json["env"].get(key).is_some(), "env.{key} missing");
    }
    let benches = json["benchmarks"].as_array().unwrap();
    assert_eq!(benches.len(), 2);
    for b in benches {
        for key in [
            "name",
            "group",
            "iters_per_sample",
            "samples_ns",
            "min_ns",
            "max_ns",
            "mean_ns",
            "stddev_ns",
            "p50_ns",
            "p95_ns",
            "p99_ns",
            "alloc_bytes_per_iter",
            "allocs_per_iter",
            "peak_bytes",
            "throughput",
        ] {
            assert!(b.get(key).is_some(), "{}: {key} missing", b["name"]);
        }
        assert_eq!(b["samples_ns"].as_array().unwrap().len(), 3);
    }
    // The file reads back through the validating loader.
    perfgate::results::load_results(&out).unwrap();
}
