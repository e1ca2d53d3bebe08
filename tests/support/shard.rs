//! Synthetic results files for the shard tests: seeded samples, written as JSON the way
//! `perfgate run --out` (and `--shard I/N`) writes them.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use perfgate::suite::shard::{assign, suite_digest};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

/// The built-in suite's names, in suite order.
pub fn suite_names() -> Vec<String> {
    perfgate::suite::builtin()
        .into_iter()
        .map(|b| b.name)
        .collect()
}

/// One run: 30 samples per benchmark around 10 µs · (index + 1), 2% noise, `factor`
/// applied to the benchmark named `changed`.
pub fn run(names: &[String], seed: u64, changed: Option<(&str, f64)>) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let benchmarks: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let factor = match changed {
                Some((n, f)) if n == name => f,
                _ => 1.0,
            };
            let centre = 1e4 * (i + 1) as f64 * factor;
            let samples: Vec<f64> = (0..30)
                .map(|_| centre * (1.0 + 0.02 * (rng.random::<f64>() - 0.5)))
                .collect();
            json!({
                "name": name,
                "samples_ns": samples,
                "alloc_bytes_per_iter": 0.0,
                "allocs_per_iter": 0.0,
            })
        })
        .collect();
    json!({
        "schema": "perfgate.results.v1",
        "perfgate_version": "0.1.0",
        "env": {
            "cpu_model": "Test CPU",
            "logical_cores": 2,
            "os": "linux x86_64",
            "git_commit": "abc1234",
            "timestamp": "2026-01-01T00:00:00Z",
        },
        "benchmarks": benchmarks,
    })
}

/// Writes `value` as JSON to `dir/name`.
pub fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

/// Cuts a whole run into `count` shard files (shard-I.json), split as `--shard I/count`
/// would split the suite (no costs known: by count).
pub fn split(dir: &Path, full: &Value, count: u32) -> Vec<PathBuf> {
    let benches = full["benchmarks"].as_array().unwrap();
    let names: Vec<&str> = benches
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    let shard_of = assign(&names, &vec![None; names.len()], count);
    let digest = suite_digest(&names);
    (1..=count)
        .map(|index| {
            let mut part = full.clone();
            let kept: Vec<Value> = benches
                .iter()
                .zip(&shard_of)
                .filter(|(_, s)| **s == index)
                .map(|(b, _)| b.clone())
                .collect();
            part["benchmarks"] = Value::Array(kept);
            part["shard"] = json!({"index": index, "count": count, "suite_digest": digest});
            write(dir, &format!("shard-{index}.json"), &part)
        })
        .collect()
}

/// Blesses `dir/baseline.json` from three seeded runs of `names`.
pub fn bless(dir: &Path, names: &[String]) -> PathBuf {
    let runs: Vec<PathBuf> = (1..=3)
        .map(|k| write(dir, &format!("base-{k}.json"), &run(names, k, None)))
        .collect();
    let out = perfgate()
        .args(["bless", "--name", "baseline", "--dir"])
        .arg(dir)
        .arg("--from")
        .args(&runs)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    dir.join("baseline.json")
}

/// The binary with a clean GitHub environment.
pub fn perfgate() -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    for var in [
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_EVENT_PATH",
        "GITHUB_REPOSITORY",
        "GITHUB_TOKEN",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd
}
