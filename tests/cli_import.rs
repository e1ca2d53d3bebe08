//! `perfgate import` on real output of the real tools (tests/fixtures/import/, see its
//! README for the commands that produced it): the imported P50 equals the median the tool
//! reports itself, the file is accepted by compare and bless, and malformed or foreign
//! files exit 2 naming the file and the field.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use perfgate::results::{ResultsFile, load_results};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(rel)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn perfgate(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("perfgate").unwrap();
    cmd.current_dir(dir);
    cmd
}

/// Imports `paths` with `format` into a fresh directory; returns it and the loaded file.
fn import(format: &str, paths: &[PathBuf]) -> (tempfile::TempDir, ResultsFile) {
    let dir = tempfile::tempdir().unwrap();
    perfgate(dir.path())
        .arg("import")
        .arg(format)
        .args(paths)
        .args(["--out", "imported.json"])
        .assert()
        .code(0)
        .stderr(contains("note: environment: "));
    let results = load_results(&dir.path().join("imported.json")).unwrap();
    (dir, results)
}

fn p50(results: &ResultsFile, name: &str) -> f64 {
    let b = results.benchmarks.iter().find(|b| b.name == name);
    b.unwrap_or_else(|| panic!("{name} not imported"))
        .summary
        .unwrap()
        .p50_ns
}

/// Relative difference. The tools report seconds (or µs), perfgate nanoseconds: converting
/// each sample and the tool's median rounds once each, so "equal" means within 1e-12.
fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

#[test]
fn hyperfine_p50_is_hyperfines_median() {
    let path = fixture("hyperfine/hyperfine.json");
    let (_dir, results) = import("hyperfine", std::slice::from_ref(&path));
    let tool = json(&path);
    let tool_results = tool["results"].as_array().unwrap();
    assert_eq!(results.benchmarks.len(), tool_results.len());
    for r in tool_results {
        let name = r["command"].as_str().unwrap();
        let median_ns = r["median"].as_f64().unwrap() * 1e9;
        assert!(rel(p50(&results, name), median_ns) < 1e-12, "{name}");
        let b = results.benchmarks.iter().find(|b| b.name == name).unwrap();
        assert_eq!(b.samples_ns.len(), r["times"].as_array().unwrap().len());
    }
}

#[test]
fn google_benchmark_p50_is_the_median_aggregate() {
    let path = fixture("google-benchmark/gbench.json");
    let (_dir, results) = import("google-benchmark", std::slice::from_ref(&path));
    let tool = json(&path);
    let medians: Vec<&Value> = tool["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["aggregate_name"] == "median")
        .collect();
    // Aggregates are not benchmarks: one imported benchmark per median aggregate.
    assert_eq!(results.benchmarks.len(), medians.len());
    for m in medians {
        let name = m["run_name"].as_str().unwrap();
        let scale = match m["time_unit"].as_str().unwrap() {
            "ns" => 1.0,
            "us" => 1e3,
            unit => panic!("fixture uses {unit}"),
        };
        let median_ns = m["real_time"].as_f64().unwrap() * scale;
        assert!(rel(p50(&results, name), median_ns) < 1e-12, "{name}");
        let b = results.benchmarks.iter().find(|b| b.name == name).unwrap();
        assert_eq!(
            b.samples_ns.len() as u64,
            m["repetitions"].as_u64().unwrap()
        );
    }
    // The fixture has a benchmark timed in microseconds, so the unit conversion is exercised.
    assert!(
        tool["benchmarks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["time_unit"] == "us")
    );
}

#[test]
fn pytest_benchmark_p50_is_stats_median() {
    let path = fixture("pytest-benchmark/pytest-benchmark.json");
    let (_dir, results) = import("pytest-benchmark", std::slice::from_ref(&path));
    let tool = json(&path);
    for b in tool["benchmarks"].as_array().unwrap() {
        let name = b["fullname"].as_str().unwrap();
        let median_ns = b["stats"]["median"].as_f64().unwrap() * 1e9;
        assert!(rel(p50(&results, name), median_ns) < 1e-12, "{name}");
    }
    // pytest-benchmark records the machine; the importer keeps what it recorded.
    assert_eq!(
        results.env.cpu_model,
        tool["machine_info"]["cpu"]["brand_raw"]
    );
}

#[test]
fn criterion_p50_is_criterions_median_estimate() {
    // The whole tree, as a user passes target/criterion.
    let root = fixture("criterion/criterion");
    let (_dir, results) = import("criterion", std::slice::from_ref(&root));
    assert_eq!(results.benchmarks.len(), 2);
    for id in ["15", "20"] {
        let new = root.join("fib").join(id).join("new");
        let median = json(&new.join("estimates.json"))["median"]["point_estimate"]
            .as_f64()
            .unwrap();
        let name = format!("fib/{id}");
        assert!(rel(p50(&results, &name), median) < 0.01, "{name}");
        assert_eq!(
            results
                .benchmarks
                .iter()
                .find(|b| b.name == name)
                .unwrap()
                .group,
            "fib"
        );
    }
    // One benchmark's directory works too.
    let (_dir, one) = import("criterion", &[root.join("fib/20")]);
    assert_eq!(one.benchmarks.len(), 1);
    assert_eq!(one.benchmarks[0].name, "fib/20");
}

#[test]
fn imported_results_are_accepted_by_compare_and_bless() {
    let (dir, _) = import("hyperfine", &[fixture("hyperfine/hyperfine.json")]);
    perfgate(dir.path())
        .args(["compare", "imported.json", "imported.json"])
        .args(["--format", "json"])
        .assert()
        .code(0);
    for i in 0..3 {
        std::fs::copy(
            dir.path().join("imported.json"),
            dir.path().join(format!("run-{i}.json")),
        )
        .unwrap();
    }
    perfgate(dir.path())
        .args(["bless", "--name", "tool", "--dir", "b", "--from"])
        .args(["run-0.json", "run-1.json", "run-2.json"])
        .assert()
        .code(0);
    assert!(dir.path().join("b/tool.json").is_file());
}

/// Runs an import of `text` (written to `name`) that must fail; returns stderr.
fn import_fails(format: &str, name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    let out = perfgate(dir.path())
        .args(["import", format, name, "--out", "out.json"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(!dir.path().join("out.json").exists(), "nothing is written");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn malformed_files_exit_2_naming_file_and_field() {
    let cases = [
        (
            "hyperfine",
            r#"{"results":[{"command":"a","times":[0.1,"x"]}]}"#,
            "results[0].times[1]",
        ),
        (
            "hyperfine",
            r#"{"results":[{"command":"a","times":[0.1,-0.2]}]}"#,
            "results[0].times[1]",
        ),
        (
            "hyperfine",
            r#"{"results":[{"command":"a"}]}"#,
            "missing field `times`",
        ),
        (
            "hyperfine",
            r#"{"results":[{"command":"a","times":[0.1]"#,
            "invalid JSON",
        ),
        (
            "pytest-benchmark",
            r#"{"benchmarks":[{"name":"t","stats":{}}]}"#,
            "missing field `data`",
        ),
        (
            "pytest-benchmark",
            r#"{"benchmarks":[{"name":"t","stats":{"data":[]}}]}"#,
            "benchmarks[0].stats.data",
        ),
        (
            "google-benchmark",
            r#"{"benchmarks":[{"name":"b","real_time":1,"time_unit":"fortnights"}]}"#,
            "benchmarks[0].time_unit",
        ),
        (
            "google-benchmark",
            r#"{"benchmarks":[{"name":"b","real_time":-1}]}"#,
            "benchmarks[0].real_time",
        ),
        ("criterion", r#"{"iters":[1,2],"times":[5]}"#, "iters"),
        ("criterion", r#"{"iters":[0],"times":[5]}"#, "iters[0]"),
    ];
    for (format, text, field) in cases {
        let err = import_fails(format, "in.json", text);
        assert!(
            err.contains("in.json") && err.contains(field),
            "{format} {text}: {err}"
        );
    }
}

#[test]
fn a_foreign_file_says_which_tool_output_was_expected() {
    let hyperfine = std::fs::read_to_string(fixture("hyperfine/hyperfine.json")).unwrap();
    let err = import_fails("google-benchmark", "hf.json", &hyperfine);
    assert!(
        err.contains("hf.json")
            && err.contains("missing field `benchmarks`")
            && err.contains("Google Benchmark"),
        "{err}"
    );
    let gbench = std::fs::read_to_string(fixture("google-benchmark/gbench.json")).unwrap();
    let err = import_fails("pytest-benchmark", "gb.json", &gbench);
    // Google Benchmark's entries have no `stats`: the field is named with its path.
    assert!(
        err.contains("gb.json") && err.contains("benchmarks[0]"),
        "{err}"
    );
}

#[test]
fn criterion_without_benchmark_json_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("target/criterion/g/f/new");
    std::fs::create_dir_all(&new).unwrap();
    std::fs::write(new.join("sample.json"), r#"{"iters":[1],"times":[5]}"#).unwrap();
    perfgate(dir.path())
        .args(["import", "criterion", "target/criterion", "--out", "o.json"])
        .assert()
        .code(2)
        .stderr(contains("benchmark.json").and(contains("cannot read")));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    perfgate(dir.path())
        .args(["import", "criterion", "empty", "--out", "o.json"])
        .assert()
        .code(2)
        .stderr(contains("empty: no benchmarks found"));
}
