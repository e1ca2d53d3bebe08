//! The store: round trip, duplicates, a newer format, corrupt files, concurrent adds.

use std::collections::BTreeMap;

use super::*;

fn record(commit: &str, time: &str, p50: f64) -> RunRecord {
    let mut benchmarks = BTreeMap::new();
    benchmarks.insert(
        "gelu/1000".to_string(),
        Points {
            p10_ns: Some(p50 * 0.98),
            p50_ns: Some(p50),
            instructions: Some(12_345.0),
            ..Points::default()
        },
    );
    RunRecord {
        schema: HISTORY_SCHEMA.to_string(),
        commit: commit.to_string(),
        time: time.to_string(),
        machine: "authenticamd-f25m17-2c".into(),
        instr_machine: Some("instructions-linux-x86_64".into()),
        perfgate_version: "0.1.0".into(),
        benchmarks,
    }
}

fn all_runs(store: &Store) -> Vec<RunRecord> {
    let mut out = Vec::new();
    store.for_each_run(|r| out.push(r)).unwrap();
    out
}

#[test]
fn runs_round_trip_and_series_follow_commit_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    store
        .add(&record("bbb2", "2026-01-02T00:00:00Z", 110.0))
        .unwrap();
    store
        .add(&record("aaa1", "2026-01-01T00:00:00Z", 100.0))
        .unwrap();
    let mut runs = all_runs(&store);
    runs.sort_by(|a, b| a.commit.cmp(&b.commit));
    assert_eq!(runs[0], record("aaa1", "2026-01-01T00:00:00Z", 100.0));
    let h = History::load(&store).unwrap();
    let commits: Vec<&str> = h.commits.iter().map(|c| c.commit.as_str()).collect();
    assert_eq!(commits, ["aaa1", "bbb2"]);
    let p50 = h.series.iter().find(|s| s.key.metric == "p50_ns").unwrap();
    assert_eq!(p50.values, [100.0, 110.0]);
    let instr = h
        .series
        .iter()
        .find(|s| s.key.metric == "instructions")
        .unwrap();
    assert_eq!(instr.key.machine, "instructions-linux-x86_64");
}

#[test]
fn adding_the_same_run_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let r = record("aaa1", "2026-01-01T00:00:00Z", 100.0);
    let Added::New(path) = store.add(&r).unwrap() else {
        panic!("first add is new")
    };
    let before = std::fs::read(&path).unwrap();
    assert_eq!(store.add(&r).unwrap(), Added::AlreadyPresent(path.clone()));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(all_runs(&store).len(), 1);
}

#[test]
fn two_runs_of_one_commit_become_their_median() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for v in [100.0, 104.0, 101.0] {
        store
            .add(&record("aaa1", "2026-01-01T00:00:00Z", v))
            .unwrap();
    }
    let h = History::load(&store).unwrap();
    let p50 = h.series.iter().find(|s| s.key.metric == "p50_ns").unwrap();
    assert_eq!(p50.values, [101.0]);
}

#[test]
fn a_newer_store_is_refused_naming_the_file_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let Added::New(path) = store
        .add(&record("aaa1", "2026-01-01T00:00:00Z", 1.0))
        .unwrap()
    else {
        panic!()
    };
    let newer = r#"{"schema":"perfgate.history.v2","commit":"aaa1","whatever":[1,2]}"#;
    std::fs::write(&path, newer).unwrap();
    let err = History::load(&store).unwrap_err();
    assert!(matches!(err, HistoryError::Newer { .. }), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert!(err.to_string().contains("newer perfgate"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), newer);
}

#[test]
fn a_corrupt_file_is_refused_naming_the_file_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let r = record("aaa1", "2026-01-01T00:00:00Z", 1.0);
    let Added::New(path) = store.add(&r).unwrap() else {
        panic!()
    };
    std::fs::write(&path, "{\"schema\":\"perfgate.history.v1\",\"commit\":").unwrap();
    let err = History::load(&store).unwrap_err();
    assert!(matches!(err, HistoryError::Corrupt { .. }), "{err}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    // Adding the same run again must not repair (rewrite) the damaged file.
    assert!(matches!(store.add(&r), Err(HistoryError::Corrupt { .. })));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .ends_with("\"commit\":")
    );
}

#[test]
fn concurrent_adds_of_different_commits_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    std::thread::scope(|s| {
        for t in 0..8 {
            let store = store.clone();
            s.spawn(move || {
                for i in 0..10 {
                    let commit = format!("c{t}x{i}");
                    store
                        .add(&record(&commit, "2026-01-01T00:00:00Z", 1.0))
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(History::load(&store).unwrap().commits.len(), 80);
}

#[test]
fn acks_cover_commit_prefixes_and_optionally_one_benchmark() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    store.ack("abc123", Some("gelu/1000")).unwrap();
    assert!(matches!(
        store.ack("abc123", Some("gelu/1000")).unwrap(),
        Added::AlreadyPresent(_)
    ));
    store.ack("def", None).unwrap();
    let acks = store.acks().unwrap();
    assert_eq!(acks.len(), 2);
    let covered = |c: &str, b: &str| acks.iter().any(|a| a.covers(c, b));
    assert!(covered("abc123ffff", "gelu/1000"));
    assert!(!covered("abc123ffff", "matmul/64"));
    assert!(covered("def999", "matmul/64"));
    assert!(!covered("ab", "gelu/1000"));
}

#[test]
fn a_commit_that_is_no_file_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let err = store
        .add(&record("../x", "2026-01-01T00:00:00Z", 1.0))
        .unwrap_err();
    assert!(matches!(err, HistoryError::Invalid(_)), "{err}");
}

#[test]
fn otava_csv_is_read_in_file_order_with_missing_cells_filled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.csv");
    std::fs::write(
        &path,
        "time,commit,metric1,metric2\n2024.01.02 3:00:00 +0100,aaa1,,10.5\n\
         2024.01.01 3:00:00 +0100,aaa0,7,\n2024.01.03 3:00:00 +0100,aaa2,8,11\n",
    )
    .unwrap();
    let h = read_otava_csv(&path).unwrap();
    assert_eq!(h.commits[0].commit, "aaa1");
    assert_eq!(h.series[0].key.benchmark, "metric1");
    assert_eq!(h.series[0].values, [7.0, 7.0, 8.0]);
    assert_eq!(h.series[1].values, [10.5, 10.5, 11.0]);
    std::fs::write(&path, "time,m\n1,x\n").unwrap();
    let err = read_otava_csv(&path).unwrap_err().to_string();
    assert!(err.contains("s.csv") && err.contains("line 2"), "{err}");
}
