//! Every kind of file perfgate writes (timing results of one and of two processes,
//! instruction-only results, A/B results, merged shards, imported results, timing and
//! instruction baselines, verdicts),
//! fed to `bless --from`, `compare`, `merge` and `report`: never a panic, always exit 0, 1
//! or 2, and an exit 2 names the cause. Plus the defects of issue 25, each where it bit:
//! `bless --from` an instruction-only file, `compare` with instruction files, and a
//! single-run baseline that must catch a 1.5× slowdown. All files are synthetic (no
//! measuring), so the whole file runs in a few seconds.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

const NAMES: [&str; 8] = [
    "gelu/1000",
    "gelu/100000",
    "matmul/64",
    "matmul/256",
    "softmax/2048",
    "add/1000000",
    "mul/1000000",
    "model/small/forward",
];

fn perfgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir).env_remove("GITHUB_ACTIONS");
    cmd
}

fn env() -> Value {
    json!({"cpu_model": "Test CPU", "logical_cores": 2, "os": "linux x86_64",
           "cpu": {"vendor": "V", "family": "25", "model": "1", "stepping": "1",
                   "features": ["avx2", "fma"], "l2_kib": 512}})
}

/// A timing results file: 40 samples per benchmark, deterministic ±0.5% wiggle (seeded by
/// `seed`), `slow` scaled by `factor`.
fn timing(seed: u64, slow: &str, factor: f64) -> Value {
    let benches: Vec<Value> = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let scale = if *n == slow { factor } else { 1.0 };
            let samples: Vec<f64> = (0..40u64)
                .map(|j| {
                    let wiggle = ((j * 7919 + seed * 104_729 + i as u64 * 31) % 101) as f64;
                    1.0e4 * (i + 1) as f64 * scale * (1.0 + (wiggle - 50.0) / 10_000.0)
                })
                .collect();
            json!({"name": n, "samples_ns": samples, "alloc_bytes_per_iter": 0.0,
                   "allocs_per_iter": 0.0})
        })
        .collect();
    json!({"schema": "perfgate.results.v1", "env": env(), "benchmarks": benches})
}

fn instr_run() -> Value {
    json!({"fingerprint": {"os_arch": "linux x86_64", "cpu_features": ["avx2"],
                           "cache_bytes": [32768, 524288], "valgrind": "valgrind-3.19.0",
                           "rustc": "rustc 1.90.0", "libc": "ldd 2.36"},
           "iterations": 3, "warmup_iterations": 1, "cache_sim": false})
}

/// An instruction-only results file (`run --metric instructions --out`).
fn instructions(scale: f64) -> Value {
    let benches: Vec<Value> = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| {
            json!({"name": n, "samples_ns": [],
                   "instructions_per_iter": 1.0e5 * (i + 1) as f64 * scale})
        })
        .collect();
    json!({"schema": "perfgate.results.v1", "env": env(), "benchmarks": benches,
           "instructions": instr_run()})
}

fn shard(index: u32, names: &[&str]) -> Value {
    let mut v = timing(u64::from(index), "", 1.0);
    let benches: Vec<Value> = v["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| names.contains(&b["name"].as_str().unwrap()))
        .cloned()
        .collect();
    v["benchmarks"] = benches.into();
    let digest = perfgate::suite::shard::suite_digest(&NAMES);
    v["shard"] = json!({"index": index, "count": 2, "suite_digest": digest});
    v
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).unwrap()).unwrap();
    p
}

/// Writes every kind of file into `dir`; returns (label, file name) pairs.
fn every_kind(dir: &Path) -> Vec<(&'static str, String)> {
    for i in 1..=3 {
        write(dir, &format!("t{i}.json"), &timing(i, "", 1.0));
    }
    write(dir, "instr.json", &instructions(1.0));
    // A run measured in two fresh processes (`--processes 2`, the default of `run`).
    let mut two = timing(4, "", 1.0);
    two["settings"] = json!({"samples": 40, "warmup_ms": 300, "sample_ms": 30,
                             "schedule": "interleaved", "seed": 42, "timer_overhead_ns": 28.0,
                             "timer_resolution_ns": 20.0, "processes": 2});
    write(dir, "two.json", &two);
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ab-results-minimal.json"),
        dir.join("ab.json"),
    )
    .unwrap();
    write(dir, "s1.json", &shard(1, &NAMES[..4]));
    write(dir, "s2.json", &shard(2, &NAMES[4..]));
    perfgate(dir)
        .args(["merge", "s1.json", "s2.json", "--out", "merged.json"])
        .assert()
        .code(0);
    perfgate(dir)
        .args(["import", "hyperfine"])
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/import/hyperfine/hyperfine.json"),
        )
        .args(["--out", "imported.json"])
        .assert()
        .code(0);
    perfgate(dir)
        .args([
            "bless", "--from", "t1.json", "t2.json", "t3.json", "--dir", ".",
        ])
        .args(["--name", "timing-base"])
        .assert()
        .code(0);
    perfgate(dir)
        .args([
            "bless",
            "--from",
            "instr.json",
            "--dir",
            ".",
            "--name",
            "instr-base",
        ])
        .assert()
        .code(0);
    perfgate(dir)
        .args([
            "compare",
            "timing-base.json",
            "t1.json",
            "--out",
            "verdict.json",
        ])
        .assert()
        .code(0);
    std::fs::write(dir.join("empty.json"), "").unwrap();
    std::fs::write(dir.join("garbage.json"), "{\"benchmarks\": 3").unwrap();
    vec![
        ("timing results", "t1.json".into()),
        ("two-process results", "two.json".into()),
        ("instruction results", "instr.json".into()),
        ("A/B results", "ab.json".into()),
        ("a shard", "s1.json".into()),
        ("merged shards", "merged.json".into()),
        ("imported", "imported.json".into()),
        ("timing baseline", "timing-base.json".into()),
        ("instruction baseline", "instr-base.json".into()),
        ("verdict", "verdict.json".into()),
        ("empty file", "empty.json".into()),
        ("broken JSON", "garbage.json".into()),
        ("missing file", "no-such-file.json".into()),
    ]
}

/// Runs `args` in `dir`: exit 0, 1 or 2 (never a panic's 101), and a message on stderr
/// with exit 2.
fn no_panic(dir: &Path, args: &[&str], what: &str) {
    let out = perfgate(dir).args(args).output().unwrap();
    let code = out.status.code();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(code, Some(0..=2)),
        "{what}: perfgate {} exited {code:?}: {stderr}",
        args.join(" ")
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    if code == Some(2) {
        assert!(
            stderr.to_lowercase().contains("error"),
            "{what}: exit 2 without a message"
        );
    }
}

#[test]
fn every_subcommand_takes_every_kind_of_file_without_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (what, f) in every_kind(dir) {
        let f = f.as_str();
        let bless_dir = format!("bless-{}", what.replace(['/', ' '], "-"));
        no_panic(dir, &["bless", "--from", f, "--dir", &bless_dir], what);
        no_panic(dir, &["compare", f], what);
        no_panic(dir, &["compare", f, "t2.json"], what);
        no_panic(dir, &["compare", "timing-base.json", f], what);
        no_panic(dir, &["compare", "instr-base.json", f], what);
        no_panic(dir, &["merge", f, "s2.json", "--out", "m.json"], what);
        no_panic(dir, &["report", f], what);
        no_panic(dir, &["report", "t2.json", "--baseline", f], what);
    }
}

#[test]
fn bless_from_an_instruction_only_file_blesses_an_instruction_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "instr.json", &instructions(1.0));
    perfgate(dir)
        .args([
            "bless",
            "--from",
            "instr.json",
            "--dir",
            ".",
            "--name",
            "ib",
        ])
        .assert()
        .code(0);
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ib.json")).unwrap()).unwrap();
    assert_eq!(base["schema"], "perfgate.instructions.v1");
    assert_eq!(base["benchmarks"].as_array().unwrap().len(), NAMES.len());
}

#[test]
fn bless_from_instruction_and_timing_files_together_exits_2_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "t1.json", &timing(1, "", 1.0));
    write(dir, "instr.json", &instructions(1.0));
    let out = perfgate(dir)
        .args(["bless", "--from", "t1.json", "instr.json", "--dir", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("instr.json") && stderr.contains("instruction counts only"),
        "{stderr}"
    );
}

#[test]
fn compare_gates_instruction_files_like_run_metric_instructions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "instr.json", &instructions(1.0));
    write(dir, "instr-more.json", &instructions(1.02));
    perfgate(dir)
        .args([
            "bless",
            "--from",
            "instr.json",
            "--dir",
            ".",
            "--name",
            "ib",
        ])
        .assert()
        .code(0);
    // Instruction baseline against counted runs: unchanged passes, +2% fails (limit 1%).
    perfgate(dir)
        .args(["compare", "ib.json", "instr.json"])
        .assert()
        .code(0);
    let out = perfgate(dir)
        .args(["compare", "ib.json", "instr-more.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("instructions +2.00%"));
    // Two instruction-only results files compare as counts too.
    perfgate(dir)
        .args(["compare", "instr.json", "instr-more.json"])
        .assert()
        .code(1);
    // A timing results file against an instruction baseline: exit 2 naming it.
    write(dir, "t1.json", &timing(1, "", 1.0));
    let out = perfgate(dir)
        .args(["compare", "ib.json", "t1.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("t1.json"));
}

#[test]
fn a_single_run_baseline_catches_a_one_and_a_half_times_slowdown() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "one-run.json", &timing(1, "", 1.0));
    write(dir, "copy.json", &timing(1, "", 1.0));
    write(dir, "other.json", &timing(2, "", 1.0));
    write(dir, "slow.json", &timing(2, "matmul/256", 1.5));
    let out = perfgate(dir)
        .args(["compare", "one-run.json", "slow.json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("single-run rule"), "{stdout}");
    assert!(stdout.contains("SINGLE-RUN RULE"), "{stdout}");
    for unchanged in ["copy.json", "other.json"] {
        perfgate(dir)
            .args(["compare", "one-run.json", unchanged])
            .assert()
            .code(0);
    }
}

#[test]
fn bless_metric_all_extends_a_timing_baseline_and_counts_from_the_run_that_has_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for i in 1..=3 {
        write(dir, &format!("t{i}.json"), &timing(i, "", 1.0));
    }
    perfgate(dir)
        .args(["bless", "--from", "t1.json", "t2.json", "t3.json"])
        .args(["--dir", ".", "--name", "tb"])
        .assert()
        .code(0);
    // `run --metric all --out`: timings and counts in one file.
    let mut both = timing(4, "", 1.0);
    let counts = instructions(1.0);
    for (b, c) in both["benchmarks"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(counts["benchmarks"].as_array().unwrap())
    {
        b["instructions_per_iter"] = c["instructions_per_iter"].clone();
    }
    both["instructions"] = instr_run();
    write(dir, "both.json", &both);
    perfgate(dir)
        .args(["bless", "--metric", "all", "--from", "tb.json", "both.json"])
        .args(["--dir", ".", "--name", "tb4"])
        .assert()
        .code(0);
    let read = |f: &str| -> Value {
        serde_json::from_slice(&std::fs::read(dir.join(f)).unwrap()).unwrap()
    };
    assert_eq!(read("tb4.json")["runs"].as_array().unwrap().len(), 4);
    let instr: Vec<Value> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| serde_json::from_slice::<Value>(&std::fs::read(&p).ok()?).ok())
        .filter(|v| v["schema"] == "perfgate.instructions.v1")
        .collect();
    assert_eq!(instr.len(), 1, "one instruction baseline, from both.json");
    assert_eq!(
        instr[0]["benchmarks"].as_array().unwrap().len(),
        NAMES.len()
    );
}
