//! Combining a first verdict with its confirmation, on seeded synthetic runs.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::*;
use crate::baseline::{BaselineFile, from_runs};
use crate::gate::{BaselineInput, Comparison, compare};

const NAMES: [&str; 8] = ["a", "b", "c", "d", "e", "f", "g", "h"];

/// One run: 40 samples per benchmark with ~1% noise, benchmark `slow` scaled by `factor`,
/// benchmark "h" allocating `h_bytes`.
fn run(rng: &mut ChaCha8Rng, slow: &str, factor: f64, h_bytes: f64) -> ResultsFile {
    let benches: Vec<serde_json::Value> = NAMES
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let center = 1.0e4 * (i + 1) as f64 * if *n == slow { factor } else { 1.0 };
            let samples: Vec<f64> = (0..40)
                .map(|_| center * (1.0 + 0.01 * (rng.random::<f64>() - 0.5)))
                .collect();
            let bytes = if *n == "h" { h_bytes } else { 64.0 };
            json!({"name": n, "samples_ns": samples, "alloc_bytes_per_iter": bytes,
                   "allocs_per_iter": bytes / 64.0})
        })
        .collect();
    serde_json::from_value(json!({"benchmarks": benches})).unwrap()
}

fn baseline(rng: &mut ChaCha8Rng) -> BaselineFile {
    let runs: Vec<(String, ResultsFile)> = (0..10)
        .map(|i| (format!("run-{i}"), run(rng, "", 1.0, 64.0)))
        .collect();
    from_runs(&runs, false).unwrap().0
}

fn gate(base: &BaselineFile, cand: &ResultsFile, t: &Thresholds) -> Verdict {
    compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline: base,
            file: "base.json",
        },
        candidate: cand,
        candidate_file: "cand.json",
        thresholds: t,
    })
    .unwrap()
}

fn status_of<'a>(v: &'a Verdict, name: &str) -> &'a BenchmarkVerdict {
    v.benchmarks.iter().find(|b| b.name == name).unwrap()
}

#[test]
fn a_regression_the_confirmation_agrees_with_fails() {
    let t = Thresholds::default();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let base = baseline(&mut rng);
    let first = run(&mut rng, "c", 1.20, 64.0);
    let mut v = gate(&base, &first, &t);
    assert_eq!(v.verdict, Outcome::Fail);
    let names = flagged(&v);
    assert_eq!(names, vec!["c".to_string()]);
    let again = with_remeasured(&first, &run(&mut rng, "c", 1.19, 64.0));
    let second = gate(&base, &again, &t);
    apply(&mut v, &second, &names, Some("run.confirm.json"), &t).unwrap();
    assert_eq!(v.verdict, Outcome::Fail);
    let c = status_of(&v, "c");
    assert_eq!(c.status, Status::Regression);
    let msg = c.message.as_deref().unwrap();
    assert!(
        msg.contains("first run") && msg.contains("fresh process"),
        "{msg}"
    );
    assert!(
        msg.ends_with("confirmed") && !msg.ends_with("not confirmed"),
        "{msg}"
    );
    let note = v.notes.last().unwrap();
    assert!(note.starts_with("CONFIRMATION") && note.contains("run.confirm.json"));
}

#[test]
fn a_regression_the_confirmation_does_not_see_passes_as_inconclusive() {
    let t = Thresholds::default();
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let base = baseline(&mut rng);
    let first = run(&mut rng, "c", 1.20, 64.0);
    let mut v = gate(&base, &first, &t);
    let names = flagged(&v);
    let again = with_remeasured(&first, &run(&mut rng, "c", 1.0, 64.0));
    let second = gate(&base, &again, &t);
    apply(&mut v, &second, &names, None, &t).unwrap();
    assert_eq!(v.verdict, Outcome::Pass, "{:?}", v.headline);
    let c = status_of(&v, "c");
    assert_eq!(c.status, Status::Inconclusive);
    assert!(c.message.as_deref().unwrap().ends_with("not confirmed"));
    assert!(v.headline.contains("inconclusive"), "{}", v.headline);
}

#[test]
fn an_allocation_regression_is_not_cleared_by_the_timing_confirmation() {
    let t = Thresholds::default();
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let base = baseline(&mut rng);
    let first = run(&mut rng, "h", 1.20, 128.0);
    let mut v = gate(&base, &first, &t);
    let names = flagged(&v);
    assert_eq!(names, vec!["h".to_string()]);
    let again = with_remeasured(&first, &run(&mut rng, "h", 1.0, 128.0));
    let second = gate(&base, &again, &t);
    apply(&mut v, &second, &names, None, &t).unwrap();
    assert_eq!(status_of(&v, "h").status, Status::Regression);
    assert_eq!(v.verdict, Outcome::Fail);
}

#[test]
fn nothing_is_flagged_without_a_timing_regression() {
    let t = Thresholds::default();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let base = baseline(&mut rng);
    let v = gate(&base, &run(&mut rng, "", 1.0, 64.0), &t);
    assert_eq!(v.verdict, Outcome::Pass);
    assert!(flagged(&v).is_empty());
}
