//! The decision on synthetic, seeded sample sets (no timing involved).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::*;
use crate::baseline::BaselineFile;
use crate::baseline::from_runs;
use crate::results::ResultsFile;
use crate::verdict::Outcome;

/// 40 samples around `center` with ~1% within-run noise.
fn samples(rng: &mut ChaCha8Rng, center: f64) -> Vec<f64> {
    (0..40)
        .map(|_| {
            let z: f64 = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
            center * (1.0 + 0.02 * z)
        })
        .collect()
}

fn results(cpu: &str, benches: Vec<serde_json::Value>) -> ResultsFile {
    serde_json::from_value(json!({
        "env": {"cpu_model": cpu, "logical_cores": 2, "os": "linux x86_64",
                "cpu": {"vendor": "V", "family": "6", "model": "1", "stepping": "1",
                        "features": ["avx2", "fma"], "l2_kib": 512}},
        "benchmarks": benches,
    }))
    .unwrap()
}

fn bench(name: &str, samples_ns: Vec<f64>, alloc_bytes: f64) -> serde_json::Value {
    json!({"name": name, "samples_ns": samples_ns, "alloc_bytes_per_iter": alloc_bytes,
           "allocs_per_iter": 2.0})
}

/// A baseline of runs of benchmarks `a`, `b`, `c` (run shifts `shifts`), and a
/// candidate whose benchmark `a` is scaled by `factor` and allocates `alloc` bytes.
fn scenario(shifts: &[f64], factor: f64, alloc: f64) -> (BaselineFile, ResultsFile) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let centers = [("a", 1.0e6), ("b", 2.0e4), ("c", 5.0e5)];
    let runs: Vec<(String, ResultsFile)> = shifts
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let benches = centers
                .iter()
                .map(|(n, c)| bench(n, samples(&mut rng, c * s), 1024.0))
                .collect();
            (format!("run-{i}.json"), results("X", benches))
        })
        .collect();
    let (baseline, _) = from_runs(&runs, false).unwrap();
    let candidate = results(
        "X",
        centers
            .iter()
            .map(|(n, c)| {
                let (f, a) = if *n == "a" {
                    (factor, alloc)
                } else {
                    (1.0, 1024.0)
                };
                bench(n, samples(&mut rng, c * 1.002 * f), a)
            })
            .collect(),
    );
    (baseline, candidate)
}

fn verdict_of(baseline: &BaselineFile, candidate: &ResultsFile) -> Verdict {
    let t = Thresholds::default();
    compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline,
            file: "base.json",
        },
        candidate,
        candidate_file: "cand.json",
        thresholds: &t,
    })
    .unwrap()
}

fn status(v: &Verdict, name: &str) -> Status {
    v.benchmarks.iter().find(|b| b.name == name).unwrap().status
}

const QUIET: [f64; 5] = [1.0, 1.004, 0.997, 1.002, 0.999];

#[test]
fn unchanged_code_is_unchanged() {
    let (base, cand) = scenario(&QUIET, 1.0, 1024.0);
    let v = verdict_of(&base, &cand);
    assert!(
        v.benchmarks.iter().all(|b| b.status == Status::Unchanged),
        "{v:#?}"
    );
    assert_eq!(v.verdict, Outcome::Pass);
    assert_eq!(v.headline, "no regressions in 3 benchmarks");
}

#[test]
fn ten_percent_slowdown_is_a_regression_and_nothing_else_is_flagged() {
    let (base, cand) = scenario(&QUIET, 1.10, 1024.0);
    let v = verdict_of(&base, &cand);
    assert_eq!(status(&v, "a"), Status::Regression);
    assert_eq!(status(&v, "b"), Status::Unchanged);
    assert_eq!(status(&v, "c"), Status::Unchanged);
    assert_eq!(v.verdict, Outcome::Fail);
    assert_eq!(v.headline, "1 regression");
    let p10 = &v.benchmarks[0].checks[0];
    assert_eq!(p10.metric, Metric::P10);
    assert!(
        p10.ci_low.unwrap() > 0.05 && p10.ci_high.unwrap() < 0.15,
        "{p10:?}"
    );
}

#[test]
fn ten_percent_speedup_is_an_improvement_never_a_regression() {
    let (base, cand) = scenario(&QUIET, 0.90, 1024.0);
    let v = verdict_of(&base, &cand);
    assert_eq!(status(&v, "a"), Status::Improvement);
    assert_eq!(v.verdict, Outcome::Pass);
    assert_eq!(v.headline, "no regressions in 3 benchmarks, 1 improvement");
}

#[test]
fn high_run_to_run_spread_is_inconclusive_and_says_what_it_could_detect() {
    let spread = [1.0, 1.08, 0.93, 1.05, 0.96];
    let (base, cand) = scenario(&spread, 1.10, 1024.0);
    let v = verdict_of(&base, &cand);
    let a = &v.benchmarks[0];
    assert_eq!(a.status, Status::Inconclusive);
    let detectable = a.checks[0].detectable.unwrap();
    assert!(detectable > 0.2, "{detectable}");
    assert!(
        a.message.as_deref().unwrap().contains("could detect ±"),
        "{a:?}"
    );
    assert_eq!(v.verdict, Outcome::Pass);
    // Without a change beyond the limit it is unchanged, with the same detectable change.
    let (base, cand) = scenario(&spread, 1.0, 1024.0);
    let v = verdict_of(&base, &cand);
    assert_eq!(v.benchmarks[0].status, Status::Unchanged);
    assert!(v.benchmarks[0].checks[0].detectable.unwrap() > 0.2);
}

#[test]
fn allocation_increase_is_a_regression_without_statistics() {
    let (base, cand) = scenario(&QUIET, 1.0, 1025.0);
    let v = verdict_of(&base, &cand);
    let a = &v.benchmarks[0];
    assert_eq!(a.status, Status::Regression);
    let alloc = a
        .checks
        .iter()
        .find(|c| c.metric == Metric::AllocBytes)
        .unwrap();
    assert_eq!(alloc.status, Status::Regression);
    assert_eq!(
        (alloc.p_value, alloc.p_adjusted, alloc.ci_low),
        (None, None, None)
    );
}

#[test]
fn same_input_gives_the_same_verdict() {
    let (base, cand) = scenario(&QUIET, 1.05, 1024.0);
    assert_eq!(verdict_of(&base, &cand), verdict_of(&base, &cand));
}

// Reference (scipy 1.x, statsmodels 0.15):
//   p = [mannwhitneyu(x, y, alternative="two-sided", method="asymptotic").pvalue
//        for x, y in [a, b, c]]
//     = [0.1255302702634152, 0.6650055421020291, 0.012185780355344813]
//   multipletests(p, method="holm")[1]
//     = [0.2510605405268304, 0.6650055421020291, 0.036557341066034435]
#[test]
fn holm_counts_one_test_per_benchmark_over_the_whole_comparison() {
    let base = results(
        "X",
        vec![
            json!({"name": "a", "samples_ns": [10, 11, 12, 13, 14, 15]}),
            json!({"name": "b", "samples_ns": [5, 6, 7, 8]}),
            json!({"name": "c", "samples_ns": [1, 2, 3, 4, 5]}),
        ],
    );
    let cand = results(
        "X",
        vec![
            json!({"name": "a", "samples_ns": [12, 13, 14, 15, 16, 17]}),
            json!({"name": "b", "samples_ns": [5.5, 6.5, 7.5, 8.5]}),
            json!({"name": "c", "samples_ns": [10, 11, 12, 13, 14]}),
        ],
    );
    let (base, _) = from_runs(&[("b.json".into(), base)], false).unwrap();
    let v = verdict_of(&base, &cand);
    let want = [
        (0.125_530_270_263_415_2, 0.251_060_540_526_830_4),
        (0.665_005_542_102_029_1, 0.665_005_542_102_029_1),
        (0.012_185_780_355_344_813, 0.036_557_341_066_034_435),
    ];
    for (b, (p, adj)) in v.benchmarks.iter().zip(want) {
        for check in b.checks.iter().filter(|c| c.p_value.is_some()) {
            assert!((check.p_value.unwrap() - p).abs() < 1e-9 * p, "{b:?}");
            assert!(
                (check.p_adjusted.unwrap() - adj).abs() < 1e-9 * adj,
                "{b:?}"
            );
        }
    }
    assert!(
        v.notes.iter().any(|n| n.contains("single run")),
        "{:?}",
        v.notes
    );
}

#[test]
fn missing_new_and_failed_benchmarks_follow_policy() {
    let (base, mut cand) = scenario(&QUIET, 1.0, 1024.0);
    cand.benchmarks[1].error = Some("panicked: boom".into());
    cand.benchmarks[1].samples_ns.clear();
    let c = cand.benchmarks.remove(2);
    cand.benchmarks.push(BenchmarkResult {
        name: "d".into(),
        ..c
    });
    let v = verdict_of(&base, &cand);
    assert_eq!(status(&v, "b"), Status::Failed);
    assert_eq!(status(&v, "d"), Status::New);
    assert_eq!(status(&v, "c"), Status::Missing);
    assert_eq!(v.verdict, Outcome::Fail);
    assert_eq!(v.headline, "1 failed, 1 missing, 1 new");
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("not measured in this run"))
    );
}

#[test]
fn other_machine_downgrades_timing_regressions_but_keeps_allocation_checks() {
    let (base, mut cand) = scenario(&QUIET, 1.10, 1024.0);
    cand.env.cpu_model = "Y".into();
    let v = verdict_of(&base, &cand);
    assert_eq!(status(&v, "a"), Status::Inconclusive);
    assert!(v.notes[0].starts_with("DIFFERENT MACHINE"), "{:?}", v.notes);
    cand.benchmarks[0].alloc_bytes_per_iter = Some(2048.0);
    assert_eq!(status(&verdict_of(&base, &cand), "a"), Status::Regression);
}

#[test]
fn other_cache_sizes_skip_allocated_bytes_but_allocation_counts_still_gate() {
    let (base, mut cand) = scenario(&QUIET, 1.0, 2048.0);
    cand.env.cpu.as_mut().unwrap().l2_kib = Some(2048);
    let v = verdict_of(&base, &cand);
    let a = &v.benchmarks[0];
    assert!(
        a.checks.iter().all(|c| c.metric != Metric::AllocBytes),
        "{a:?}"
    );
    assert_eq!(a.status, Status::Unchanged);
    assert!(
        v.notes[0].contains("L2: 512 KiB vs 2048 KiB"),
        "{:?}",
        v.notes
    );
    cand.benchmarks[0].allocs_per_iter = Some(3.0);
    assert_eq!(status(&verdict_of(&base, &cand), "a"), Status::Regression);
}

#[test]
fn a_busy_machine_never_reports_a_timing_regression_and_says_why() {
    let (base, mut cand) = scenario(&QUIET, 1.30, 1024.0);
    cand.env.load = Some(crate::results::MachineLoad {
        other_cores_busy: 1.4,
        steal_share: 0.0,
        loadavg_1m: Some(3.9),
    });
    let v = verdict_of(&base, &cand);
    assert_eq!(status(&v, "a"), Status::Inconclusive);
    assert_eq!(v.verdict, Outcome::Pass);
    assert!(
        v.notes[0].starts_with("BUSY MACHINE: other processes used 1.40 of 2 cores"),
        "{:?}",
        v.notes
    );
}

/// Eight benchmarks, 10 blessed runs (bless's default) whose machine speed wanders by ±1.5% together, and a
/// candidate run made on a 1.5% slow moment: `slow` scales the named benchmarks on top.
fn suite_scenario(slow: &[(&str, f64)]) -> (BaselineFile, ResultsFile) {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let speeds = [
        1.0, 1.015, 0.985, 1.01, 0.99, 1.005, 0.995, 1.012, 0.988, 1.0,
    ];
    let own = |rng: &mut ChaCha8Rng| 1.0 + 0.004 * (rng.random::<f64>() - 0.5);
    let runs: Vec<(String, ResultsFile)> = speeds
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let benches = names
                .iter()
                .enumerate()
                .map(|(j, n)| {
                    let center = 1e5 * (j + 1) as f64 * s * own(&mut rng);
                    bench(n, samples(&mut rng, center), 1024.0)
                })
                .collect();
            (format!("run-{i}.json"), results("X", benches))
        })
        .collect();
    let (baseline, _) = from_runs(&runs, false).unwrap();
    let candidate = results(
        "X",
        names
            .iter()
            .enumerate()
            .map(|(j, n)| {
                let extra = slow.iter().find(|(m, _)| m == n).map_or(1.0, |(_, f)| *f);
                let center = 1e5 * (j + 1) as f64 * 1.015 * extra * own(&mut rng);
                bench(n, samples(&mut rng, center), 1024.0)
            })
            .collect(),
    );
    (baseline, candidate)
}

#[test]
fn the_shared_speed_factor_is_divided_out_so_a_slow_moment_is_not_a_regression() {
    let (base, cand) = suite_scenario(&[]);
    let v = verdict_of(&base, &cand);
    assert!(
        v.benchmarks.iter().all(|b| b.status == Status::Unchanged),
        "{v:#?}"
    );
    let (base, cand) = suite_scenario(&[("c", 1.10)]);
    let v = verdict_of(&base, &cand);
    assert_eq!(status(&v, "c"), Status::Regression);
    let others = v.benchmarks.iter().filter(|b| b.name != "c");
    assert!(
        others.clone().all(|b| b.status == Status::Unchanged),
        "{v:#?}"
    );
}

/// Every benchmark of [`suite_scenario`] scaled by `factor`.
fn every_benchmark(factor: f64) -> Vec<(&'static str, f64)> {
    ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .map(|n| (*n, factor))
        .collect()
}

/// A run whose every benchmark is 10% slower looks exactly like a slow host: the
/// committed baseline cannot tell the two apart, so the shift does not hide in the factor
/// (the suite-wide row flags it) but marks the run noisy instead of failing it, and the
/// note sends the user to `perfgate ab` and instruction counts, which can tell them apart.
#[test]
fn a_suite_wide_slowdown_cannot_hide_in_the_shared_factor() {
    let (base, cand) = suite_scenario(&every_benchmark(1.10));
    let v = verdict_of(&base, &cand);
    assert_eq!(
        status(&v, crate::gate::SUITE_WIDE),
        Status::Inconclusive,
        "{v:#?}"
    );
    let note = v
        .notes
        .iter()
        .find(|n| n.starts_with("NOISY RUN"))
        .expect("noted");
    assert!(note.contains("% slower than in the blessed runs"), "{note}");
    assert!(note.contains("perfgate ab") && note.contains("--metric instructions"));
    assert_eq!(v.verdict, Outcome::Pass);
}

/// The same whole-suite slowdown measured on another machine is the machines' difference,
/// not a noisy host: the verdict says DIFFERENT MACHINE, not NOISY RUN.
#[test]
fn another_machines_speed_is_not_called_a_noisy_run() {
    let (base, mut cand) = suite_scenario(&every_benchmark(1.10));
    cand.env.cpu.as_mut().unwrap().family = "7".into();
    let v = verdict_of(&base, &cand);
    assert!(
        v.notes.iter().all(|n| !n.starts_with("NOISY RUN")),
        "{:?}",
        v.notes
    );
    let note = v
        .notes
        .iter()
        .find(|n| n.starts_with("DIFFERENT MACHINE"))
        .expect("noted");
    assert!(
        note.contains("family/model/stepping: 6/1/1 vs 7/1/1"),
        "{note}"
    );
    assert_eq!(v.verdict, Outcome::Pass);
}

#[test]
fn missing_baseline_is_never_a_silent_pass() {
    let (_, cand) = scenario(&QUIET, 1.0, 1024.0);
    let t = Thresholds::default();
    let v = compare(&Comparison {
        baseline: BaselineInput::Missing {
            expected: "baselines/x.json",
        },
        candidate: &cand,
        candidate_file: "-",
        thresholds: &t,
    })
    .unwrap();
    assert_eq!(v.baseline, None);
    assert!(v.notes[0].contains("nothing was compared") && v.notes[0].contains("perfgate bless"));
    assert!(v.headline.starts_with("nothing compared"), "{}", v.headline);
    assert!(v.benchmarks.iter().all(|b| b.status == Status::New));
}
