//! A bench binary built with perfgate-bench (examples/harness_demo.rs) as perfgate drives
//! it: the worker protocol spoken conformingly, a panicking benchmark failing only itself,
//! and `list`/`run`/`ab` with `--bench-bin`. Nothing here asserts on timing values.

use std::path::PathBuf;

use assert_cmd::Command;
use perfgate::worker::{ReplyTimeout, WorkerClient, WorkerError};
use predicates::prelude::*;
use predicates::str::contains;

/// The demo bench binary, built by `cargo test` with the package's examples.
fn demo() -> PathBuf {
    let perfgate = assert_cmd::cargo::cargo_bin("perfgate");
    let path = perfgate.parent().unwrap().join("examples/harness_demo");
    assert!(
        path.is_file(),
        "{} is missing: `cargo test` builds it, or `cargo build --example harness_demo`",
        path.display()
    );
    path
}

const ALL: [&str; 5] = [
    "spin/100",
    "alloc/vec/1000",
    "alloc/batched",
    "panics/setup",
    "panics/later",
];

#[test]
fn a_harness_bench_binary_speaks_the_worker_protocol() {
    let mut w = WorkerClient::spawn(&demo(), None, ReplyTimeout::Derived).unwrap();
    assert_eq!(w.benchmarks, ALL, "criterion ids, in registration order");
    assert!(w.perfgate_version.starts_with("perfgate-bench "));
    let good = ["spin/100", "alloc/vec/1000", "alloc/batched"];
    let mut iters = Vec::new();
    for name in good {
        w.setup(name, 42).unwrap();
        let (n, per_iter_ns) = w.calibrate(name, 5, 200_000).unwrap();
        assert!(n >= 1 && per_iter_ns > 0.0, "{name}: {n} {per_iter_ns}");
        iters.push(n);
    }
    // Visits in another order than the set-up, as the paired rounds do.
    for (i, name) in good.iter().enumerate().rev() {
        let s = w.sample(name, 1, iters[i], 3).unwrap();
        assert_eq!(s.samples_ns.len(), 3, "{name}");
        assert_eq!(s.cpu_ns.len(), 3, "{name}: CPU time of every sample");
        match *name {
            "alloc/vec/1000" => {
                assert_eq!(s.allocs, 3 * iters[i], "one allocation per iteration");
                assert_eq!(s.alloc_bytes, 3 * iters[i] * 1000);
            }
            // The batch inputs are made outside the timed stretch: not counted.
            "alloc/batched" => assert_eq!((s.allocs, s.alloc_bytes), (0, 0)),
            _ => assert_eq!(s.allocs, 0),
        }
    }
    match w.setup("panics/setup", 42) {
        Err(WorkerError::Benchmark(m)) => assert!(m.contains("no inputs"), "{m}"),
        other => panic!("{other:?}"),
    }
    w.setup("panics/later", 42).unwrap();
    match w.calibrate("panics/later", 50, 100_000) {
        Err(e @ WorkerError::Benchmark(_)) => assert!(e.to_string().contains("boom"), "{e}"),
        other => panic!("{other:?}"),
    }
    // The worker is still there, and the other benchmarks still measure.
    let s = w.sample("spin/100", 0, iters[0], 2).unwrap();
    assert_eq!(s.samples_ns.len(), 2);
    match w.sample("nope", 0, 1, 1) {
        Err(WorkerError::Benchmark(m)) => assert!(m.contains("nope"), "{m}"),
        other => panic!("{other:?}"),
    }
    w.quit();
}

#[test]
fn standalone_lists_filters_and_fails_only_the_panicking_benchmark() {
    let out = std::process::Command::new(demo())
        .arg("--list")
        .output()
        .unwrap();
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listed, ALL.map(|n| format!("{n}: benchmark\n")).concat());
    let out = std::process::Command::new(demo())
        .args([
            "--bench",
            "--exact",
            "spin/100",
            "--measurement-time",
            "0.05",
        ])
        .args(["--warm-up-time", "0.01", "--sample-size", "5"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{table}");
    assert!(table.contains("P50") && table.contains("P99") && table.contains("allocs/it"));
    assert_eq!(
        table.lines().count(),
        2,
        "header and spin/100 only: {table}"
    );
    let out = std::process::Command::new(demo())
        .args(["panics", "--bench", "--measurement-time", "0.05"])
        .args(["--warm-up-time", "0.01", "--sample-size", "5"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{table}");
    assert!(
        table.contains("panics/setup") && table.contains("no inputs"),
        "{table}"
    );
    assert!(
        table.contains("panics/later") && table.contains("boom"),
        "{table}"
    );
    let out = std::process::Command::new(demo())
        .arg("--frobnicate")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--frobnicate"));
}

#[test]
fn list_and_run_take_a_bench_binary() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("perfgate")
        .unwrap()
        .current_dir(dir.path())
        .args(["list", "--bench-bin"])
        .arg(demo())
        .assert()
        .success()
        .stdout(contains("alloc/vec/1000").and(contains("panics/later")));
    let run = Command::cargo_bin("perfgate")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", "--bench-bin"])
        .arg(demo())
        .args([
            "--filter",
            "^(spin|alloc/vec|panics/later)",
            "--pin",
            "none",
        ])
        .args(["--samples", "4", "--warmup-ms", "5", "--sample-ms", "2"])
        .args(["--no-compare", "--out", "r.json"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&run.get_output().stdout).to_string();
    assert!(out.contains("spin/100"), "{out}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r.json")).unwrap()).unwrap();
    let benches = results["benchmarks"].as_array().unwrap();
    let find = |n: &str| benches.iter().find(|b| b["name"] == n).unwrap();
    assert_eq!(find("spin/100")["samples_ns"].as_array().unwrap().len(), 4);
    assert_eq!(find("alloc/vec/1000")["allocs_per_iter"], 1.0);
    assert!(
        find("panics/later")["error"]
            .as_str()
            .unwrap()
            .contains("boom")
    );
    Command::cargo_bin("perfgate")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", "--bench-bin", "does-not-exist", "--no-compare"])
        .assert()
        .code(2)
        .stderr(contains("--bench-bin"));
}

#[test]
fn ab_pairs_two_bench_binaries() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("perfgate")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["ab", "--quick", "--pin", "none", "--warmup-ms", "5"])
        .arg("--base-bin")
        .arg(demo())
        .arg("--head-bin")
        .arg(demo())
        .args(["--filter", "^spin/100$", "--rounds", "3"])
        .args(["--out", "verdict.json", "--results-out", "ab.json"])
        .assert()
        .stdout(contains("spin/100"));
    let ab: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("ab.json")).unwrap())
            .unwrap();
    let b = &ab["benchmarks"][0];
    assert_eq!(b["name"], "spin/100");
    assert!(b["error"].is_null(), "{b}");
    assert_eq!(b["rounds"].as_array().unwrap().len(), 3);
}
