use super::*;
use crate::results::{BenchmarkResult, Env, RunSettings, ShardInfo};
use crate::suite::shard::suite_digest;

fn bench(name: &str) -> BenchmarkResult {
    let mut b = BenchmarkResult::failed(name, "g", String::new());
    b.error = None;
    b.samples_ns = vec![1.0, 2.0, 3.0];
    b
}

const SUITE: [&str; 5] = ["a/1", "b/2", "c/3", "d/4", "e/5"];

/// Shard `index` of `count` holding `names` of the five-benchmark suite.
fn shard(index: u32, count: u32, names: &[&str]) -> (String, ResultsFile) {
    let file = ResultsFile {
        schema: crate::results::RESULTS_SCHEMA.into(),
        perfgate_version: "0.1.0".into(),
        env: Env {
            cpu_model: "Test CPU".into(),
            logical_cores: 2,
            os: "linux x86_64".into(),
            git_commit: Some("abc".into()),
            timestamp: format!("2026-01-01T00:00:0{index}Z"),
            ..Env::default()
        },
        settings: Some(RunSettings {
            samples: 3,
            warmup_ms: 10,
            sample_ms: 5,
            schedule: crate::cli::Schedule::Interleaved,
            seed: 42,
            timer_overhead_ns: 30.0 + f64::from(index),
            timer_resolution_ns: 20.0,
            processes: 1,
        }),
        benchmarks: names.iter().map(|n| bench(n)).collect(),
        instructions: None,
        shard: Some(ShardInfo {
            index,
            count,
            suite_digest: suite_digest(&SUITE),
        }),
    };
    (format!("shard-{index}.json"), file)
}

fn three() -> Vec<(String, ResultsFile)> {
    vec![
        shard(2, 3, &["b/2", "e/5"]),
        shard(1, 3, &["d/4"]),
        shard(3, 3, &["c/3", "a/1"]),
    ]
}

fn order() -> Vec<String> {
    SUITE.iter().map(|s| s.to_string()).collect()
}

#[test]
fn merged_file_is_a_whole_run_in_suite_order() {
    let merged = merge_shards(&three(), &order(), false).unwrap();
    let names: Vec<&str> = merged.benchmarks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, SUITE);
    assert_eq!(merged.shard, None);
    // Shard 1 speaks for the run.
    assert_eq!(merged.env.timestamp, "2026-01-01T00:00:01Z");
    assert_eq!(merged.settings.unwrap().timer_overhead_ns, 31.0);
}

#[test]
fn names_outside_the_given_order_follow_by_name() {
    let merged = merge_shards(&three(), &[], false).unwrap();
    let names: Vec<&str> = merged.benchmarks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, SUITE);
}

#[test]
fn a_missing_shard_is_named() {
    let files = vec![shard(1, 4, &["a/1"]), shard(3, 4, &["b/2"])];
    let err = merge_shards(&files, &order(), false).unwrap_err();
    assert_eq!(
        err,
        MergeError::MissingShards {
            indices: vec![2, 4],
            count: 4
        }
    );
    assert_eq!(err.to_string(), "missing shard(s) 2, 4 of 4");
}

#[test]
fn refusals_name_the_files_and_the_cause() {
    let mut cases: Vec<(Vec<(String, ResultsFile)>, &str)> = Vec::new();
    let mut dup = three();
    dup[2].1.benchmarks.push(bench("b/2"));
    cases.push((
        dup,
        "benchmark \"b/2\" is in two files: shard-2.json and shard-3.json",
    ));
    let mut twice = three();
    twice[1] = shard(2, 3, &["d/4"]);
    twice[1].0 = "again.json".into();
    cases.push((
        twice,
        "shard 2/3 appears twice: shard-2.json and again.json",
    ));
    let mut other_n = three();
    other_n[1] = shard(1, 2, &["d/4"]);
    cases.push((
        other_n,
        "shard-1.json: shard 1/2, but shard-2.json is a shard of 3",
    ));
    let mut other_suite = three();
    other_suite[2].1.shard.as_mut().unwrap().suite_digest = suite_digest(&["x"]);
    cases.push((other_suite, "shard-3.json: a shard of another suite"));
    let mut machine = three();
    machine[1].1.env.cpu_model = "Other CPU".into();
    cases.push((
        machine,
        "shard-1.json: measured on another machine (Other CPU",
    ));
    let mut samples = three();
    samples[2].1.settings.as_mut().unwrap().samples = 10;
    cases.push((
        samples,
        "shard-3.json: measured differently from shard-2.json: settings.samples is 10 there, 3",
    ));
    let mut commit = three();
    commit[1].1.env.git_commit = Some("def".into());
    cases.push((commit, "env.git_commit is \"def\" there"));
    let mut unsharded = three();
    unsharded[1].1.shard = None;
    cases.push((unsharded, "shard-1.json: not a shard (no `shard` field)"));
    let mut short = three();
    short[2].1.benchmarks.pop();
    cases.push((
        short,
        "the 3 shards hold 4 benchmarks whose list does not match",
    ));
    for (files, want) in cases {
        let err = merge_shards(&files, &order(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "want {want:?} in {err:?}");
    }
}

#[test]
fn force_merges_shards_of_different_machines() {
    let mut files = three();
    files[0].1.env.cpu_model = "Other CPU".into();
    assert!(merge_shards(&files, &order(), false).is_err());
    let merged = merge_shards(&files, &order(), true).unwrap();
    assert_eq!(merged.env.cpu_model, "Test CPU");
}

#[test]
fn a_field_added_to_the_schema_later_is_compared_too() {
    // E.g. a metric recorded at the top level: the identity comes from the JSON form.
    let mut a = run_identity(&three()[0].1);
    let b = a.clone();
    a.insert("metric".into(), Value::String("instructions".into()));
    let (key, x, y) = compare_identity(&a, &b).unwrap_err();
    assert_eq!(
        (key.as_str(), x.as_str(), y.as_str()),
        ("metric", "\"instructions\"", "null")
    );
}
