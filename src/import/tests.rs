//! Unit tests of the importers on small hand-written inputs (the real tools' output is
//! tested in tests/cli_import.rs).

use std::path::PathBuf;

use super::*;

#[test]
fn hyperfine_seconds_become_nanoseconds() {
    let text = br#"{"results":[{"command":"sleep 0.1","median":2,"times":[0.5,1.5,2.5]}]}"#;
    let got = hyperfine::parse(text, "h.json").unwrap();
    assert_eq!(got.benchmarks[0].name, "sleep 0.1");
    assert_eq!(got.benchmarks[0].samples_ns, vec![0.5e9, 1.5e9, 2.5e9]);
    assert_eq!(got.benchmarks[0].iters_per_sample, 1);
}

#[test]
fn google_benchmark_skips_aggregates_and_honours_time_unit() {
    let text = br#"{"context":{"num_cpus":8,"date":"2024-01-01T00:00:00+00:00"},"benchmarks":[
        {"name":"BM_a/8","run_name":"BM_a/8","run_type":"iteration","iterations":10,"real_time":2,"time_unit":"us"},
        {"name":"BM_a/8","run_name":"BM_a/8","run_type":"iteration","iterations":10,"real_time":4,"time_unit":"us"},
        {"name":"BM_a/8_mean","run_name":"BM_a/8","run_type":"aggregate","aggregate_name":"mean","real_time":3,"time_unit":"us"},
        {"name":"BM_b","iterations":1,"real_time":1.5,"time_unit":"ms"},
        {"name":"BM_b_median","aggregate_name":"median","real_time":1.5,"time_unit":"ms"},
        {"name":"BM_c","run_type":"iteration","error_occurred":true,"error_message":"no input"}
    ]}"#;
    let got = google_benchmark::parse(text, "g.json").unwrap();
    let names: Vec<&str> = got.benchmarks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["BM_a/8", "BM_b", "BM_c"]);
    assert_eq!(got.benchmarks[0].samples_ns, vec![2000.0, 4000.0]);
    assert_eq!(got.benchmarks[0].group, "BM_a");
    assert_eq!(got.benchmarks[0].iters_per_sample, 10);
    assert_eq!(got.benchmarks[1].samples_ns, vec![1.5e6]);
    assert!(
        got.benchmarks[2]
            .error
            .as_deref()
            .unwrap()
            .contains("no input")
    );
    assert_eq!(got.env.logical_cores, Some(8));
}

#[test]
fn pytest_benchmark_keeps_machine_info_and_data() {
    let text = br#"{"machine_info":{"system":"Linux","machine":"x86_64","release":"6.1",
        "cpu":{"brand_raw":"CPU Y","count":4}},"commit_info":{"id":"abc","dirty":true},
        "datetime":"2024-01-01T00:00:00","benchmarks":[{"name":"test_a","fullname":"t.py::test_a",
        "group":null,"stats":{"data":[1e-6,3e-6],"iterations":7}}]}"#;
    let got = pytest_benchmark::parse(text, "p.json").unwrap();
    let b = &got.benchmarks[0];
    assert_eq!(
        (b.name.as_str(), b.group.as_str()),
        ("t.py::test_a", "t.py")
    );
    assert_eq!(b.samples_ns, vec![1000.0, 3000.0]);
    assert_eq!(b.iters_per_sample, 7);
    assert_eq!(got.env.os.as_deref(), Some("linux x86_64"));
    assert_eq!(got.env.git_commit.as_deref(), Some("abc-dirty"));
    assert_eq!(got.env.cpu_model.as_deref(), Some("CPU Y"));
}

#[test]
fn criterion_divides_times_by_iterations() {
    let got = criterion::parse_sample(br#"{"iters":[2.0,4.0],"times":[10.0,12.0]}"#, "s").unwrap();
    assert_eq!(got.samples_ns, vec![5.0, 3.0]);
    assert_eq!(got.mean_iters, 3);
    let id = br#"{"group_id":"g","function_id":"f","full_id":"g/f"}"#;
    assert_eq!(
        criterion::parse_benchmark_id(id, "b").unwrap(),
        ("g/f".to_string(), "g".to_string())
    );
}

#[test]
fn errors_name_the_field_path() {
    let err = hyperfine::parse(
        br#"{"results":[{"command":"a","times":[1,null]}]}"#,
        "h.json",
    )
    .unwrap_err();
    assert!(
        matches!(&err, ImportError::Field { field, .. } if field == "results[0].times[1]"),
        "{err}"
    );
    let err = hyperfine::parse(br#"{"benchmarks":[]}"#, "h.json").unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("h.json: field (top level): missing field `results`")
            && text.contains("is this hyperfine --export-json output?"),
        "{text}"
    );
    let err = hyperfine::parse(br#"{"results":[]} trailing"#, "h.json").unwrap_err();
    assert!(matches!(err, ImportError::NotJson { .. }), "{err}");
    // Seconds so large that nanoseconds overflow to infinity are caught, not propagated.
    let err = hyperfine::parse(
        br#"{"results":[{"command":"a","times":[1e300]}]}"#,
        "h.json",
    )
    .unwrap_err();
    assert!(err.to_string().contains("results[0].times[0]"), "{err}");
}

fn here() -> Env {
    Env {
        cpu_model: "Here CPU".to_string(),
        logical_cores: 2,
        os: "linux x86_64".to_string(),
        kernel: "6.0".to_string(),
        timestamp: "now".to_string(),
        ..Env::default()
    }
}

#[test]
fn environment_comes_from_this_machine_where_the_tool_recorded_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.json");
    std::fs::write(&path, r#"{"results":[{"command":"a","times":[1]}]}"#).unwrap();
    let out = import(ImportFormat::Hyperfine, &[path], here()).unwrap();
    assert_eq!(out.results.env.cpu_model, "Here CPU");
    assert_eq!(
        out.notes,
        [
            "environment: cpu_model, logical_cores, os, kernel, timestamp taken from this \
          machine (the tool did not record them)"
        ]
    );
    let b = &out.results.benchmarks[0];
    assert_eq!(b.summary.unwrap().p50_ns, 1e9);
}

#[test]
fn the_same_name_in_two_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = ["a.json", "b.json"]
        .iter()
        .map(|f| {
            let p = dir.path().join(f);
            std::fs::write(&p, r#"{"results":[{"command":"x","times":[1]}]}"#).unwrap();
            p
        })
        .collect();
    let err = import(ImportFormat::Hyperfine, &paths, here()).unwrap_err();
    assert!(
        matches!(&err, ImportError::Duplicate { name, .. } if name == "x"),
        "{err}"
    );
}
