//! `perfgate merge` as a user runs it, and the promise behind it: gating the merged shards
//! gives the same verdict as gating one file holding the same results.

mod support;

use support::shard::{bless, perfgate, run, split, suite_names, write};

#[test]
fn merged_verdict_of_3_shards_equals_the_verdict_of_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let names = suite_names();
    let baseline = bless(dir.path(), &names);
    // One clear regression and one improvement, so Holm and both directions are exercised.
    let mut full = run(&names, 9, Some(("gelu/100000", 1.3)));
    let fast = run(&names, 9, Some(("matmul/128", 0.7)));
    let i = names.iter().position(|n| n == "matmul/128").unwrap();
    full["benchmarks"][i] = fast["benchmarks"][i].clone();
    let full_path = write(dir.path(), "full.json", &full);
    let shards = split(dir.path(), &full, 3);
    let merged = dir.path().join("merged.json");
    let out = perfgate()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let verdict = |candidate: &std::path::Path, out: &str| {
        let path = dir.path().join(out);
        let o = perfgate()
            .arg("compare")
            .arg(&baseline)
            .arg(candidate)
            .args(["--format", "json", "--out"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "a regression: {o:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        text.replace(&candidate.display().to_string(), "CANDIDATE")
    };
    let whole = verdict(&full_path, "whole.json");
    let sharded = verdict(&merged, "sharded.json");
    assert!(whole.contains("\"regression\"") && whole.contains("\"improvement\""));
    assert_eq!(
        sharded, whole,
        "byte-identical apart from the candidate file name"
    );
}

#[test]
fn merge_writes_one_whole_run_in_suite_order() {
    let dir = tempfile::tempdir().unwrap();
    let names = suite_names();
    let full = run(&names, 1, None);
    let shards = split(dir.path(), &full, 4);
    let merged = dir.path().join("merged.json");
    // Any order of files.
    let out = perfgate()
        .arg("merge")
        .args(shards.iter().rev())
        .arg("--out")
        .arg(&merged)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&merged).unwrap()).unwrap();
    let got: Vec<&str> = value["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(got, names);
    assert!(
        value.get("shard").is_none(),
        "the merged file is a whole run"
    );
    assert_eq!(
        value["benchmarks"][0]["samples_ns"],
        full["benchmarks"][0]["samples_ns"]
    );
}

/// Runs `perfgate merge FILES --out` and returns (exit code, stderr).
fn merge(dir: &std::path::Path, files: &[std::path::PathBuf]) -> (Option<i32>, String) {
    let out = perfgate()
        .arg("merge")
        .args(files)
        .arg("--out")
        .arg(dir.join("merged.json"))
        .output()
        .unwrap();
    assert!(
        !dir.join("merged.json").exists(),
        "nothing written on refusal"
    );
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn merge_refuses_with_exit_2_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let names = suite_names();
    let full = run(&names, 1, None);
    let shards = split(dir.path(), &full, 3);

    let (code, err) = merge(dir.path(), &[shards[0].clone(), shards[2].clone()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("missing shard(s) 2 of 3"), "{err}");

    let (code, err) = merge(
        dir.path(),
        &[
            shards[0].clone(),
            shards[1].clone(),
            shards[1].clone(),
            shards[2].clone(),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("shard 2/3 appears twice"), "{err}");

    let whole = write(dir.path(), "whole.json", &full);
    let (code, err) = merge(dir.path(), &[shards[0].clone(), whole]);
    assert_eq!(code, Some(2));
    assert!(err.contains("whole.json: not a shard"), "{err}");

    // Another split of the same suite: N differs.
    let other = tempfile::tempdir().unwrap();
    let two = split(other.path(), &full, 2);
    let (code, err) = merge(dir.path(), &[shards[0].clone(), two[1].clone()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("but") && err.contains("is a shard of 3"),
        "{err}"
    );

    // Another suite: one benchmark fewer.
    let fewer = run(&names[1..], 1, None);
    let other = tempfile::tempdir().unwrap();
    let theirs = split(other.path(), &fewer, 3);
    let (code, err) = merge(dir.path(), &[shards[0].clone(), theirs[1].clone()]);
    assert_eq!(code, Some(2));
    assert!(err.contains("a shard of another suite"), "{err}");

    // A benchmark in two files.
    let mut dup: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&shards[2]).unwrap()).unwrap();
    let stolen: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&shards[0]).unwrap()).unwrap();
    let taken = stolen["benchmarks"][0].clone();
    let name = taken["name"].as_str().unwrap().to_string();
    dup["benchmarks"].as_array_mut().unwrap().push(taken);
    let dup = write(dir.path(), "dup-3.json", &dup);
    let (code, err) = merge(dir.path(), &[shards[0].clone(), shards[1].clone(), dup]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains(&format!("benchmark {name:?} is in two files")),
        "{err}"
    );

    // Another machine.
    let mut odd: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&shards[1]).unwrap()).unwrap();
    odd["env"]["cpu_model"] = "Other CPU".into();
    let odd = write(dir.path(), "odd-2.json", &odd);
    let (code, err) = merge(dir.path(), &[shards[0].clone(), odd, shards[2].clone()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("odd-2.json: measured on another machine"),
        "{err}"
    );
}

#[test]
fn shard_flag_errors_exit_2_before_measuring() {
    for bad in ["0/3", "4/3", "1/0", "abc", "2"] {
        let out = perfgate()
            .args(["run", "--no-compare", "--shard", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--shard"), "{bad}: {err}");
    }
}
