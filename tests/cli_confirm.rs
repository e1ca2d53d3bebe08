//! Confirm before failing, end to end: a timing regression is re-measured by starting the
//! perfgate binary again (`run --filter … --no-compare --out FILE`), the re-measured samples
//! are kept in FILE, and the verdict names both measurements. The re-measurement is a tiny
//! real run of gelu/1000 (10 samples of 2 ms); the baseline claims it takes 10 ns, so the
//! regression is confirmed whatever the host is doing.

use std::path::Path;

use perfgate::baseline::load_baseline;
use perfgate::confirm::{Remeasure, confirm_verdict};
use perfgate::gate::{BaselineInput, Comparison, Thresholds, compare};
use perfgate::results::load_results;
use perfgate::verdict::{Outcome, Status};

fn write(dir: &Path, name: &str, samples: &str) -> String {
    let p = dir.join(name);
    let text = format!(r#"{{"benchmarks":[{{"name":"gelu/1000","samples_ns":{samples}}}]}}"#);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn a_flagged_benchmark_is_remeasured_in_a_fresh_process_and_both_measurements_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let base_file = write(tmp.path(), "base.json", "[10, 10, 11, 10, 10, 12]");
    let cand_file = write(tmp.path(), "cand.json", "[9000, 9100, 9050, 9000, 9020]");
    let baseline = load_baseline(Path::new(&base_file)).unwrap();
    let first = load_results(Path::new(&cand_file)).unwrap();
    let t = Thresholds::default();
    let mut verdict = compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline: &baseline,
            file: &base_file,
        },
        candidate: &first,
        candidate_file: &cand_file,
        thresholds: &t,
    })
    .unwrap();
    assert_eq!(verdict.verdict, Outcome::Fail);
    let kept = tmp.path().join("cand.confirm.json");
    let how = Remeasure {
        exe: assert_cmd::cargo::cargo_bin("perfgate"),
        flags: [
            "--samples",
            "10",
            "--sample-ms",
            "2",
            "--warmup-ms",
            "5",
            "--pin",
            "none",
        ]
        .map(String::from)
        .to_vec(),
        out: Some(kept.clone()),
    };
    confirm_verdict(&mut verdict, &first, &how, &t).unwrap();
    assert_eq!(verdict.verdict, Outcome::Fail, "{verdict:#?}");
    let gelu = &verdict.benchmarks[0];
    assert_eq!(gelu.status, Status::Regression);
    let msg = gelu.message.as_deref().unwrap();
    assert!(msg.contains("re-measured in a fresh process"), "{msg}");
    assert!(msg.ends_with(": confirmed"), "{msg}");
    let again = load_results(&kept).unwrap();
    assert_eq!(again.benchmarks.len(), 1);
    assert_eq!(again.benchmarks[0].name, "gelu/1000");
    assert_eq!(again.benchmarks[0].samples_ns.len(), 10);
    let note = verdict.notes.last().unwrap();
    assert!(
        note.contains("CONFIRMATION") && note.contains("cand.confirm.json"),
        "{note}"
    );
}
