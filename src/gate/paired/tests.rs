use super::*;
use crate::results::{
    AB_RESULTS_SCHEMA, AbRound, AbSamples, AbSettings, AbSide, Clock, Env, Pairing,
};
use crate::stats::LookPlan;

/// Synthetic rounds: base 1000 ns, head 1000·(1+shift)·(1 + small deterministic noise).
fn bench(name: &str, shift: f64, rounds: u32) -> AbBenchmark {
    let noise = |r: u32| ((r * 7919 % 23) as f64 - 11.0) / 11.0 * 0.004;
    let rounds: Vec<AbRound> = (0..rounds)
        .map(|r| {
            let head = 1000.0 * (1.0 + shift) * (1.0 + noise(r));
            AbRound {
                round: r,
                base_first: r % 2 == 0,
                pairs: 1,
                base_p50_ns: 1000.0,
                head_p50_ns: head,
                log_ratio: (head / 1000.0).ln(),
            }
        })
        .collect();
    let side = |p50: &dyn Fn(&AbRound) -> f64| AbSamples {
        samples_ns: rounds.iter().map(p50).collect(),
        cpu_ns: Vec::new(),
        alloc_bytes: 0,
        allocs: 0,
        process: None,
    };
    AbBenchmark {
        name: name.to_string(),
        presence: Presence::Both,
        error: None,
        iters_per_sample: 10,
        clock: Clock::Wall,
        base: side(&|r| r.base_p50_ns),
        head: side(&|r| r.head_p50_ns),
        rounds,
    }
}

/// A file of a fixed-rounds run: one look, at the most rounds any benchmark has.
fn file(benchmarks: Vec<AbBenchmark>) -> AbResultsFile {
    let most = benchmarks.iter().map(|b| b.rounds.len()).max().unwrap_or(0);
    let single = LookPlan {
        looks: vec![most.max(1) as u32],
        test_weights: vec![1.0],
        ci_weights: vec![1.0],
    };
    file_looks(benchmarks, single)
}

/// A file whose run looked at `looks`.
fn file_looks(benchmarks: Vec<AbBenchmark>, looks: LookPlan) -> AbResultsFile {
    let side = |b: &str| AbSide {
        binary: b.to_string(),
        perfgate_version: "0.1.0".to_string(),
        git_commit: None,
    };
    AbResultsFile {
        schema: AB_RESULTS_SCHEMA.to_string(),
        perfgate_version: "0.1.0".to_string(),
        env: Env::default(),
        base: side("base"),
        head: side("head"),
        settings: AbSettings {
            rounds_planned: 20,
            rounds_done: 20,
            samples_per_visit: 3,
            warmup_ms: 1,
            rewarm_ms: 1,
            sample_ms: 1,
            seed: 1,
            core: None,
            time_budget_s: None,
            clock: Clock::Wall,
            stop_alpha: 0.01,
            stop_limit: Some(0.02),
            looks,
            pairing: Pairing::Index,
        },
        notes: Vec::new(),
        benchmarks,
    }
}

fn status_of(v: &Verdict, name: &str) -> Status {
    v.benchmarks.iter().find(|b| b.name == name).unwrap().status
}

#[test]
fn a_ten_percent_slower_head_is_a_regression_and_the_rest_pass() {
    let v = gate_ab(
        &file(vec![
            bench("a/1", 0.0, 20),
            bench("b/1", 0.10, 20),
            bench("c/1", -0.10, 20),
        ]),
        &Thresholds::default(),
    )
    .unwrap();
    assert_eq!(status_of(&v, "a/1"), Status::Unchanged);
    assert_eq!(status_of(&v, "b/1"), Status::Regression);
    assert_eq!(status_of(&v, "c/1"), Status::Improvement);
    assert_eq!(v.verdict, Outcome::Fail);
    let b = v.benchmarks.iter().find(|b| b.name == "b/1").unwrap();
    let check = &b.checks[0];
    assert_eq!(check.metric, Metric::P50);
    assert!(check.ci_low.unwrap() > 0.0 && check.p_adjusted.unwrap() < 0.05);
    assert!(b.message.as_deref().unwrap().contains("20 rounds"));
    assert_eq!(v.baseline.as_ref().unwrap().runs, 20);
}

#[test]
fn a_change_within_the_limit_is_unchanged_and_a_wide_interval_is_inconclusive() {
    let v = gate_ab(
        &file(vec![bench("small/1", 0.005, 20)]),
        &Thresholds::default(),
    )
    .unwrap();
    assert_eq!(status_of(&v, "small/1"), Status::Unchanged);
    assert_eq!(v.verdict, Outcome::Pass);
    // 5 rounds: the smallest two-sided p is 1/16, never significant.
    let few = gate_ab(&file(vec![bench("few/1", 0.05, 5)]), &Thresholds::default()).unwrap();
    assert_eq!(status_of(&few, "few/1"), Status::Inconclusive);
    assert_eq!(few.verdict, Outcome::Pass);
}

#[test]
fn missing_new_and_failed_benchmarks_are_reported() {
    let mut gone = bench("gone/1", 0.0, 0);
    gone.presence = Presence::BaseOnly;
    let mut added = bench("added/1", 0.0, 0);
    added.presence = Presence::HeadOnly;
    let mut broken = bench("broken/1", 0.0, 3);
    broken.error = Some("base worker died: boom".to_string());
    let v = gate_ab(
        &file(vec![gone, added, broken, bench("ok/1", 0.0, 20)]),
        &Thresholds::default(),
    )
    .unwrap();
    assert_eq!(status_of(&v, "gone/1"), Status::Missing);
    assert_eq!(status_of(&v, "added/1"), Status::New);
    assert_eq!(status_of(&v, "broken/1"), Status::Failed);
    assert_eq!(status_of(&v, "ok/1"), Status::Unchanged);
    assert_eq!(v.verdict, Outcome::Fail);
    assert!(
        v.notes.iter().any(|n| n.contains("gone/1")),
        "{:?}",
        v.notes
    );
}

#[test]
fn allocations_are_compared_directly() {
    let mut more = bench("alloc/1", 0.0, 20);
    more.head.alloc_bytes = 6400; // 20 samples × 10 iterations: 32 bytes per iteration vs 0
    let v = gate_ab(&file(vec![more]), &Thresholds::default()).unwrap();
    assert_eq!(status_of(&v, "alloc/1"), Status::Regression);
    let check = &v.benchmarks[0].checks[1];
    assert_eq!(check.metric, Metric::AllocBytes);
}

#[test]
fn ab_limit_comes_from_thresholds() {
    let t = Thresholds::parse("[ab]\np50 = \"20%\"\n", std::path::Path::new("t.toml")).unwrap();
    assert_eq!(t.ab_p50, Some(0.2));
    let v = gate_ab(&file(vec![bench("b/1", 0.10, 20)]), &t).unwrap();
    assert_eq!(status_of(&v, "b/1"), Status::Unchanged);
    let err = Thresholds::parse("[ab]\np51 = \"2%\"\n", std::path::Path::new("t.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("t.toml") && err.contains("p51"), "{err}");
    assert_eq!(Thresholds::default().ab_p50, Some(0.02));
}

#[test]
fn the_timing_check_records_its_paired_rounds_and_the_json_carries_them() {
    let two_looks = LookPlan {
        looks: vec![7, 12],
        test_weights: vec![0.5, 0.5],
        ci_weights: vec![0.5, 0.5],
    };
    let v = gate_ab(
        &file_looks(
            vec![bench("a/1", 0.0, 7), bench("b/1", 0.10, 12)],
            two_looks,
        ),
        &Thresholds::default(),
    )
    .unwrap();
    // a/1 is decided at the first look, b/1 (2/2^7 · 2 / 0.5 > 0.01) only at the second.
    let rounds = |name: &str| {
        let b = v.benchmarks.iter().find(|b| b.name == name).unwrap();
        b.checks
            .iter()
            .map(|c| (c.metric, c.rounds))
            .collect::<Vec<_>>()
    };
    // Timing checks rest on the rounds; allocation checks are direct counts.
    assert_eq!(
        rounds("a/1"),
        [
            (Metric::P50, Some(7)),
            (Metric::AllocBytes, None),
            (Metric::Allocs, None)
        ]
    );
    assert_eq!(rounds("b/1")[0], (Metric::P50, Some(12)));
    let markdown = crate::output::markdown::render(&v);
    assert!(
        markdown.contains("| <code>a/1</code> | P50 (7 rounds) |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| <code>a/1</code> | alloc bytes |"),
        "{markdown}"
    );
    let json = serde_json::to_value(&v).unwrap();
    let checks = &json["benchmarks"][0]["checks"];
    assert_eq!(checks[0]["rounds"], 7);
    assert!(checks[1].get("rounds").is_none(), "{checks}");
    // Old verdict files without the field still load.
    let mut old = checks[0].clone();
    old.as_object_mut().unwrap().remove("rounds");
    let check: Check = serde_json::from_value(old).unwrap();
    assert_eq!(check.rounds, None);
}

#[test]
fn a_busy_machine_is_named_in_a_note_and_the_verdict_stands() {
    let mut ab = file(vec![bench("a/1", 0.0, 20), bench("b/1", 0.10, 20)]);
    ab.env.logical_cores = 2;
    ab.env.load = Some(crate::results::MachineLoad {
        other_cores_busy: 1.45,
        steal_share: 0.0,
        loadavg_1m: Some(3.4),
    });
    let v = gate_ab(&ab, &Thresholds::default()).unwrap();
    let note = v.notes.iter().find(|n| n.starts_with("BUSY MACHINE"));
    assert!(
        note.is_some_and(|n| n.contains("other processes used 1.45 of 2 cores")),
        "{:?}",
        v.notes
    );
    assert_eq!(status_of(&v, "b/1"), Status::Regression);

    ab.env.load = Some(crate::results::MachineLoad {
        other_cores_busy: 0.02,
        steal_share: 0.0,
        loadavg_1m: Some(0.3),
    });
    let quiet = gate_ab(&ab, &Thresholds::default()).unwrap();
    assert!(!quiet.notes.iter().any(|n| n.starts_with("BUSY")));
}

/// `bench` re-timed by CPU time: its rounds are the CPU medians, 80% of the wall ones.
fn cpu_bench(name: &str, shift: f64) -> AbBenchmark {
    let mut b = bench(name, shift, 20);
    for side in [&mut b.base, &mut b.head] {
        side.cpu_ns = side.samples_ns.iter().map(|w| 0.8 * w).collect();
    }
    for r in &mut b.rounds {
        r.base_p50_ns *= 0.8;
        r.head_p50_ns *= 0.8;
    }
    b.clock = Clock::Cpu;
    b
}

#[test]
fn cpu_timed_benchmarks_show_cpu_p50s_and_the_note_names_the_wall_timed_ones() {
    let mut ab = file(vec![cpu_bench("a/1", 0.10), bench("pool/1", 0.0, 20)]);
    ab.settings.clock = Clock::Cpu;
    let v = gate_ab(&ab, &Thresholds::default()).unwrap();
    assert_eq!(status_of(&v, "a/1"), Status::Regression);
    let check = &v.benchmarks[0].checks[0];
    assert!((check.baseline - 800.0).abs() < 1e-9, "{check:?}");
    let note = v.notes.iter().find(|n| n.starts_with("timed by CPU time"));
    assert!(
        note.is_some_and(|n| n.ends_with("except by wall time: pool/1 (they use the rayon pool, or a side did not report CPU time)")),
        "{:?}",
        v.notes
    );

    let mut all_wall = file(vec![bench("a/1", 0.0, 20)]);
    all_wall.settings.clock = Clock::Cpu;
    let v = gate_ab(&all_wall, &Thresholds::default()).unwrap();
    assert!(
        v.notes
            .iter()
            .any(|n| n.starts_with("timed by wall time: no benchmark"))
    );
    let wall_asked = gate_ab(&file(vec![bench("a/1", 0.0, 20)]), &Thresholds::default()).unwrap();
    assert!(!wall_asked.notes.iter().any(|n| n.starts_with("timed by")));
}

/// `bench` with round `r`'s head just below the base: the round of smallest |log-ratio|
/// (rank 1) disagrees with the others.
fn one_tiny_disagreement(name: &str, shift: f64, rounds: u32) -> AbBenchmark {
    let mut b = bench(name, shift, rounds);
    let r = &mut b.rounds[0];
    r.head_p50_ns = 999.99;
    r.log_ratio = (r.head_p50_ns / r.base_p50_ns).ln();
    b
}

#[test]
fn at_the_default_alpha_quick_rounds_can_call_a_change_over_a_full_suite() {
    // 18 benchmarks as in the built-in suite: Holm's first step is alpha/18. One +10%
    // benchmark whose smallest round disagrees: exact Wilcoxon p = 4/2^12 = 0.00098 with
    // 12 rounds (above 0.01/18, not significant), 4/2^14 = 0.00024 with the 14 rounds of
    // `ab --quick` (significant).
    let suite = |rounds: u32| {
        let mut benches = vec![one_tiny_disagreement("slow/1", 0.10, rounds)];
        benches.extend((1..18).map(|i| bench(&format!("same/{i}"), 0.0, rounds)));
        gate_ab(&file(benches), &Thresholds::default()).unwrap()
    };
    assert_eq!(Thresholds::default().ab_alpha, 0.01);
    assert_eq!(status_of(&suite(12), "slow/1"), Status::Inconclusive);
    assert_eq!(status_of(&suite(14), "slow/1"), Status::Regression);
}

#[test]
fn a_sequential_run_is_decided_per_benchmark_at_the_look_its_rounds_reached() {
    // As a run of at most 28 rounds leaves them: quiet/1 stopped unchanged at the first
    // look (8 rounds), slow/1 (+5%) called at 16 rounds, wide/1 open to the end.
    let mut wide = bench("wide/1", 0.0, 28);
    for (i, r) in wide.rounds.iter_mut().enumerate() {
        r.log_ratio = if i % 2 == 0 { 0.04 } else { -0.035 };
    }
    let ab = file_looks(
        vec![bench("quiet/1", 0.0, 8), bench("slow/1", 0.05, 16), wide],
        LookPlan::default_for(28),
    );
    let v = gate_ab(&ab, &Thresholds::default()).unwrap();
    let get = |name: &str| v.benchmarks.iter().find(|b| b.name == name).unwrap();
    let quiet = get("quiet/1");
    assert_eq!(
        (quiet.status, quiet.checks[0].rounds),
        (Status::Unchanged, Some(8))
    );
    let m = quiet.message.as_deref().unwrap();
    assert!(
        m.contains("99.2% CI") && m.contains("8 rounds, look 1 of 6") && m.contains("detectable ±"),
        "{m}"
    );
    let slow = get("slow/1");
    assert_eq!(
        (slow.status, slow.checks[0].rounds),
        (Status::Regression, Some(16))
    );
    let wide = get("wide/1");
    assert_eq!(
        (wide.status, wide.checks[0].rounds),
        (Status::Inconclusive, Some(28))
    );
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("looks at rounds 8, 12, 16, 20, 24, 28")),
        "{:?}",
        v.notes
    );
    // Gated with another alpha than the run stopped with: said so.
    let t = Thresholds::parse("[ab]\nalpha = 0.05\n", std::path::Path::new("t.toml")).unwrap();
    let other = gate_ab(&ab, &t).unwrap();
    assert!(
        other
            .notes
            .iter()
            .any(|n| n.starts_with("the run stopped benchmarks by alpha 0.01"))
    );
}
