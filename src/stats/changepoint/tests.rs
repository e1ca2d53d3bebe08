//! The Otava port against apache-otava 0.8.0's own output, and the robust method on
//! synthetic series with this host's noise.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

use super::*;

#[derive(Deserialize)]
struct Reference {
    otava_version: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    window_len: usize,
    max_pvalue: f64,
    min_magnitude: f64,
    series: Vec<f64>,
    change_points: Vec<RefPoint>,
}

#[derive(Deserialize)]
struct RefPoint {
    index: usize,
    pvalue: f64,
    mean_before: f64,
    mean_after: f64,
    std_before: f64,
    std_after: f64,
}

// Written by scripts/otava-reference.py with apache-otava 0.8.0 (see its docstring).
const REFERENCE: &str = include_str!("../../../tests/fixtures/history/otava_reference.json");

#[test]
fn otava_port_matches_apache_otava_0_8_indices_and_pvalues() {
    let reference: Reference = serde_json::from_str(REFERENCE).unwrap();
    assert_eq!(reference.otava_version, "0.8.0");
    assert!(reference.cases.len() >= 20);
    for case in &reference.cases {
        let opts = OtavaOptions {
            window_len: case.window_len,
            max_pvalue: case.max_pvalue,
            min_magnitude: case.min_magnitude,
        };
        let got = compute_change_points(&case.series, &opts);
        let got_idx: Vec<usize> = got.iter().map(|c| c.index).collect();
        let want_idx: Vec<usize> = case.change_points.iter().map(|c| c.index).collect();
        assert_eq!(got_idx, want_idx, "{}: indices", case.name);
        for (g, w) in got.iter().zip(&case.change_points) {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
            assert!(
                (g.pvalue - w.pvalue).abs() <= 1e-6,
                "{}: p {} vs {}",
                case.name,
                g.pvalue,
                w.pvalue
            );
            assert!(
                close(g.mean_before, w.mean_before),
                "{}: mean before",
                case.name
            );
            assert!(
                close(g.mean_after, w.mean_after),
                "{}: mean after",
                case.name
            );
            assert!(
                close(g.std_before, w.std_before),
                "{}: std before",
                case.name
            );
            assert!(close(g.std_after, w.std_after), "{}: std after", case.name);
        }
    }
}

/// Log-normal noise (sd `sd`) around 100 with `slow_share` of points slowed by 5–35%.
fn host_noise(rng: &mut ChaCha8Rng, n: usize, sd: f64, slow_share: f64) -> Vec<f64> {
    (0..n)
        .map(|_| {
            // Sum of 12 uniforms − 6: a cheap, seeded, near-normal deviate.
            let z: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0;
            let mut v = 100.0 * (sd * z).exp();
            if rng.random::<f64>() < slow_share {
                v *= 1.0 + rng.random_range(0.05..0.35);
            }
            v
        })
        .collect()
}

#[test]
fn robust_ignores_a_lone_slow_point_and_finds_nothing_in_pure_noise() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut total = 0;
    for _ in 0..20 {
        let mut s = host_noise(&mut rng, 200, 0.015, 0.08);
        s[100] *= 1.35;
        total += robust::detect(&s, &RobustOptions::default()).len();
    }
    assert_eq!(total, 0, "4,000 unchanged points gave change points");
}

#[test]
fn robust_places_a_five_percent_step_within_five_commits() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut placed = 0;
    for trial in 0..40 {
        let mut s = host_noise(&mut rng, 160, 0.015, 0.08);
        let at = 40 + trial * 2;
        for v in &mut s[at..] {
            *v *= 1.05;
        }
        let cps = robust::detect(&s, &RobustOptions::default());
        assert_eq!(cps.len(), 1, "trial {trial}: {cps:?}");
        let change = cps[0].level_after / cps[0].level_before - 1.0;
        assert!(
            (0.03..0.07).contains(&change),
            "trial {trial}: change {change}"
        );
        placed += usize::from(cps[0].index.abs_diff(at) <= 5);
    }
    // Slow points near the step can pull the split a few commits off; 38 of 40 is the floor.
    assert!(placed >= 38, "{placed} of 40 placed within 5 commits");
}

#[test]
fn robust_reports_a_ramp_of_ten_one_percent_commits_as_a_regression() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut s = host_noise(&mut rng, 140, 0.01, 0.08);
    for (i, v) in s.iter_mut().enumerate().skip(60) {
        *v *= 1.01f64.powi((i - 59).min(10) as i32);
    }
    let cps = detect(&s, Method::Robust, &DetectParams::default());
    assert!(!cps.is_empty());
    assert!(cps.iter().all(|c| (58..=75).contains(&c.index)), "{cps:?}");
    assert!(cps.iter().any(|c| c.change > 0.02), "{cps:?}");
}

#[test]
fn robust_does_not_move_an_old_change_point_when_points_are_appended() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut s = host_noise(&mut rng, 300, 0.015, 0.08);
    for v in &mut s[100..] {
        *v *= 1.06;
    }
    let opts = RobustOptions::default();
    let at_200 = robust::detect(&s[..200], &opts);
    let at_300 = robust::detect(&s, &opts);
    assert_eq!(at_200.len(), 1);
    assert_eq!(at_300[0].index, at_200[0].index);
}

#[test]
fn robust_finds_an_exact_instruction_count_step() {
    let mut s = vec![1_000_000.0; 40];
    s.extend(vec![1_030_000.0; 30]);
    let cps = robust::detect(&s, &RobustOptions::default());
    assert_eq!(cps.iter().map(|c| c.index).collect::<Vec<_>>(), vec![40]);
    assert_eq!(cps[0].level_after, 1_030_000.0);
}
