//! The noisy-run rule on synthetic runs built from the noise measured on the 2-core VM
//! (shared/FIELD-NOTES.md, first sitting): within-run robust CV 1.1–3.8% with a right tail
//! (the slowest sample 1.14–1.43× the median), a shared run factor of sd ~1.2%, per
//! benchmark run-to-run sd ~1% and three benchmarks that wander by 5–12%.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::*;
use crate::baseline::from_runs;
use crate::stats::speed_factors;

const BENCHES: usize = 18;

/// Per-benchmark run-to-run sd (log units): three wanderers, the rest ~1%.
fn own_sd(b: usize) -> f64 {
    match b {
        4 => 0.12,
        16 => 0.075,
        10 => 0.05,
        _ => 0.01,
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Irwin–Hall with 12 terms: mean 0, sd 1.
    (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0
}

/// How the run's samples are disturbed.
#[derive(Clone, Copy)]
struct Run {
    /// Shared log factor of the whole run.
    factor: f64,
    /// Share of samples that fall in a slow episode of the host.
    slow_share: f64,
    /// Size of a slow episode (multiplier).
    slow: f64,
    /// Benchmark made slower by a code change, and by how much.
    changed: Option<(usize, f64)>,
}

fn quiet(rng: &mut ChaCha8Rng) -> Run {
    Run {
        factor: 0.012 * normal(rng),
        slow_share: 0.0,
        slow: 1.0,
        changed: None,
    }
}

fn run(rng: &mut ChaCha8Rng, r: Run) -> ResultsFile {
    let benches: Vec<serde_json::Value> = (0..BENCHES)
        .map(|b| {
            let center = 1.0e4 * (1.0 + b as f64) * (r.factor + own_sd(b) * normal(rng)).exp();
            let change = r.changed.filter(|c| c.0 == b).map_or(1.0, |c| c.1);
            let cv = 0.011 + 0.0015 * (b % 12) as f64;
            let samples: Vec<f64> = (0..40)
                .map(|_| {
                    let mut x = center * change * (1.0 + cv * normal(rng));
                    // The right tail of a quiet run: ~5% of samples 10–40% slower.
                    if rng.random::<f64>() < 0.05 {
                        x *= 1.1 + 0.3 * rng.random::<f64>();
                    }
                    if rng.random::<f64>() < r.slow_share {
                        x *= r.slow;
                    }
                    x
                })
                .collect();
            json!({"name": format!("bench/{b}"), "samples_ns": samples})
        })
        .collect();
    serde_json::from_value(json!({"benchmarks": benches})).unwrap()
}

fn baseline(rng: &mut ChaCha8Rng, k: usize) -> BaselineFile {
    let runs: Vec<(String, ResultsFile)> = (0..k)
        .map(|i| {
            let q = quiet(rng);
            (format!("run-{i}"), run(rng, q))
        })
        .collect();
    from_runs(&runs, false).unwrap().0
}

/// The suite-wide P10 factor test, as the gate makes it.
fn factor_test(base: &BaselineFile, cand: &ResultsFile) -> Option<Prediction> {
    let logs: Vec<Vec<f64>> = base
        .benchmarks
        .iter()
        .map(|b| b.spread.p10.per_run_ns.iter().map(|v| v.ln()).collect())
        .collect();
    let cand_logs: Vec<f64> = cand
        .benchmarks
        .iter()
        .map(|b| {
            let s = Sample::new(b.samples_ns.clone()).unwrap();
            percentile(&s, 0.10).ln()
        })
        .collect();
    let f = speed_factors(&logs, &cand_logs)?;
    prediction_test(&f.per_run, f.candidate, 0.005_f64.ln_1p()).ok()
}

fn reason(base: &BaselineFile, cand: &ResultsFile) -> Option<String> {
    noisy_reason(
        dispersion(base, cand).as_ref(),
        factor_test(base, cand).as_ref(),
    )
}

#[test]
fn quiet_runs_of_a_quiet_machine_are_not_marked() {
    let mut rng = ChaCha8Rng::seed_from_u64(25);
    let mut marked = 0;
    let trials = 200;
    for _ in 0..trials / 20 {
        let base = baseline(&mut rng, 10);
        for _ in 0..20 {
            let q = quiet(&mut rng);
            if reason(&base, &run(&mut rng, q)).is_some() {
                marked += 1;
            }
        }
    }
    // Nominal rates: 0.1% (dispersion) + 1% (factor, two-sided); allow 3 of 200.
    assert!(marked <= 3, "{marked} of {trials} quiet runs marked noisy");
}

#[test]
fn a_code_change_in_a_few_benchmarks_does_not_mark_the_run() {
    let mut rng = ChaCha8Rng::seed_from_u64(26);
    let base = baseline(&mut rng, 10);
    for change in [1.10, 1.5, 0.7] {
        let mut r = quiet(&mut rng);
        r.factor = 0.0;
        r.changed = Some((3, change));
        assert_eq!(reason(&base, &run(&mut rng, r)), None, "×{change}");
    }
}

#[test]
fn slow_episodes_over_much_of_the_run_mark_it_and_say_so() {
    let mut rng = ChaCha8Rng::seed_from_u64(27);
    let base = baseline(&mut rng, 10);
    let mut r = quiet(&mut rng);
    r.factor = 0.0;
    r.slow_share = 0.6;
    r.slow = 1.3;
    let why = reason(&base, &run(&mut rng, r)).expect("marked");
    assert!(why.contains("slow episodes"), "{why}");
    let note = noisy_note(&why);
    assert!(note.starts_with("NOISY RUN: "), "{note}");
    assert!(note.contains("perfgate ab") && note.contains("--metric instructions"));
}

#[test]
fn a_whole_run_far_slower_than_every_blessed_run_is_marked() {
    let mut rng = ChaCha8Rng::seed_from_u64(28);
    let base = baseline(&mut rng, 10);
    let mut r = quiet(&mut rng);
    r.factor = 0.15_f64.ln_1p();
    let why = reason(&base, &run(&mut rng, r)).expect("marked");
    assert!(why.contains("slower than in the blessed runs"), "{why}");
}

#[test]
fn too_few_benchmarks_give_no_dispersion_figure() {
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let base = baseline(&mut rng, 3);
    let q = quiet(&mut rng);
    let mut cand = run(&mut rng, q);
    cand.benchmarks.truncate(MIN_BENCHMARKS - 1);
    assert_eq!(dispersion(&base, &cand), None);
}

#[test]
fn against_a_single_run_only_a_large_excess_marks_the_run() {
    let mut rng = ChaCha8Rng::seed_from_u64(30);
    let base = baseline(&mut rng, 1);
    let q = quiet(&mut rng);
    let d = dispersion(&base, &run(&mut rng, q)).unwrap();
    assert_eq!(noisy_reason(Some(&d), None), None);
    let mut r = quiet(&mut rng);
    r.slow_share = 0.6;
    r.slow = 1.3;
    let d = dispersion(&base, &run(&mut rng, r)).unwrap();
    assert!(noisy_reason(Some(&d), None).is_some());
}
