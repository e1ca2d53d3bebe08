//! Hand-built verdicts shared by the GitHub tests.

use perfgate::verdict::{
    BenchmarkVerdict, Check, Metric, Outcome, Side, Status, ThresholdsUsed, VERDICT_SCHEMA, Verdict,
};

/// A timing check with everything filled in.
pub fn timing(
    metric: Metric,
    base_ns: f64,
    change: f64,
    ci: (f64, f64),
    p: f64,
    status: Status,
) -> Check {
    Check {
        metric,
        baseline: base_ns,
        candidate: base_ns * (1.0 + change),
        change,
        adjusted_change: None,
        ci_low: Some(ci.0),
        ci_high: Some(ci.1),
        p_value: Some(p),
        p_adjusted: Some((p * 12.0).min(1.0)),
        limit: match metric {
            Metric::P50 => 0.05,
            _ => 0.10,
        },
        detectable: None,
        status,
        rounds: None,
    }
}

/// An allocation check.
pub fn alloc(metric: Metric, base: f64, cand: f64, status: Status) -> Check {
    Check {
        metric,
        baseline: base,
        candidate: cand,
        change: if base == 0.0 { 0.0 } else { cand / base - 1.0 },
        adjusted_change: None,
        ci_low: None,
        ci_high: None,
        p_value: None,
        p_adjusted: None,
        limit: 0.0,
        detectable: None,
        status,
        rounds: None,
    }
}

fn bench(
    name: &str,
    status: Status,
    message: Option<&str>,
    checks: Vec<Check>,
) -> BenchmarkVerdict {
    BenchmarkVerdict {
        name: name.to_string(),
        status,
        message: message.map(str::to_string),
        checks,
    }
}

fn sides() -> (Side, Side) {
    let baseline = Side {
        file: "baselines/linux-x86_64-2c.json".into(),
        env: "AMD EPYC 7B13, 2 cores, linux x86_64".into(),
        git_commit: Some("0123abc".into()),
        runs: 3,
    };
    let candidate = Side {
        file: "results.json".into(),
        env: "AMD EPYC 7B13, 2 cores, linux x86_64".into(),
        git_commit: Some("4567def".into()),
        runs: 1,
    };
    (baseline, candidate)
}

fn thresholds() -> ThresholdsUsed {
    ThresholdsUsed {
        file: "thresholds.toml".into(),
        alpha: 0.05,
        limits: "p50 5%, p95 10%, p99 off; allocations +0".into(),
    }
}

/// A failing verdict with one benchmark of every kind, in suite order (not display order).
pub fn mixed() -> Verdict {
    let (baseline, candidate) = sides();
    let unchanged = |name: &str, ns: f64| {
        bench(
            name,
            Status::Unchanged,
            None,
            vec![
                timing(
                    Metric::P50,
                    ns,
                    0.004,
                    (-0.01, 0.018),
                    0.41,
                    Status::Unchanged,
                ),
                timing(
                    Metric::P95,
                    ns * 1.1,
                    -0.02,
                    (-0.05, 0.01),
                    0.33,
                    Status::Unchanged,
                ),
                alloc(Metric::AllocBytes, 4096.0, 4096.0, Status::Unchanged),
            ],
        )
    };
    let mut inconclusive = timing(
        Metric::P50,
        812.0,
        0.061,
        (-0.04, 0.17),
        0.09,
        Status::Inconclusive,
    );
    inconclusive.detectable = Some(0.123);
    Verdict {
        schema: VERDICT_SCHEMA.to_string(),
        verdict: Outcome::Fail,
        headline: "2 regressions, 1 inconclusive".into(),
        baseline: Some(baseline),
        candidate,
        notes: vec!["benchmark `kernels/old` is in the baseline but was not run".into()],
        thresholds: thresholds(),
        benchmarks: vec![
            unchanged("matmul/256", 3_470_000.0),
            bench(
                "gelu/1M",
                Status::Regression,
                None,
                vec![
                    timing(
                        Metric::P50,
                        1_250_000.0,
                        0.101,
                        (0.082, 0.12),
                        1.2e-9,
                        Status::Regression,
                    ),
                    timing(
                        Metric::P95,
                        1_400_000.0,
                        0.09,
                        (0.05, 0.13),
                        2.0e-6,
                        Status::Unchanged,
                    ),
                ],
            ),
            bench(
                "softmax/4096",
                Status::Inconclusive,
                Some("run-to-run noise (±12.3%) exceeds the 5% limit"),
                vec![inconclusive],
            ),
            bench(
                "model/small/generate",
                Status::Improvement,
                None,
                vec![timing(
                    Metric::P50,
                    48_000_000.0,
                    -0.18,
                    (-0.2, -0.16),
                    3.0e-12,
                    Status::Improvement,
                )],
            ),
            bench(
                "model/small/create",
                Status::Regression,
                None,
                vec![
                    timing(
                        Metric::P50,
                        9_100_000.0,
                        0.01,
                        (-0.01, 0.03),
                        0.5,
                        Status::Unchanged,
                    ),
                    alloc(
                        Metric::AllocBytes,
                        30_806_016.0,
                        31_000_000.0,
                        Status::Regression,
                    ),
                    alloc(Metric::Allocs, 120.0, 121.0, Status::Regression),
                ],
            ),
            bench(
                "elementwise/add|mul `x` <b>@team</b>",
                Status::New,
                None,
                vec![],
            ),
            bench(
                "kernels/old",
                Status::Missing,
                Some("in the baseline but not in the candidate"),
                vec![],
            ),
        ],
    }
}

/// A passing verdict with `n` unchanged benchmarks.
pub fn all_unchanged(n: usize) -> Verdict {
    let (baseline, candidate) = sides();
    Verdict {
        schema: VERDICT_SCHEMA.to_string(),
        verdict: Outcome::Pass,
        headline: format!("no regressions in {n} benchmarks"),
        baseline: Some(baseline),
        candidate,
        notes: vec![],
        thresholds: thresholds(),
        benchmarks: (0..n)
            .map(|i| {
                bench(
                    &format!("matmul/{}", 64 + i),
                    Status::Unchanged,
                    None,
                    vec![
                        timing(
                            Metric::P50,
                            1000.0 + i as f64,
                            0.002,
                            (-0.01, 0.014),
                            0.6,
                            Status::Unchanged,
                        ),
                        timing(
                            Metric::P95,
                            1100.0 + i as f64,
                            0.003,
                            (-0.02, 0.02),
                            0.7,
                            Status::Unchanged,
                        ),
                    ],
                )
            })
            .collect(),
    }
}

/// Nothing compared: no baseline for this machine.
pub fn no_baseline() -> Verdict {
    let (_, candidate) = sides();
    Verdict {
        schema: VERDICT_SCHEMA.to_string(),
        verdict: Outcome::Pass,
        headline: "nothing compared: no baseline".into(),
        baseline: None,
        candidate,
        notes: vec![],
        thresholds: thresholds(),
        benchmarks: vec![
            bench("matmul/256", Status::New, None, vec![]),
            bench("gelu/1M", Status::New, None, vec![]),
        ],
    }
}

/// A machine-mismatch verdict: timing checks skipped, allocations still gated.
pub fn machine_mismatch() -> Verdict {
    let mut v = all_unchanged(2);
    v.notes = vec![
        "machine mismatch: the baseline was measured on AMD EPYC 7B13 (2 cores), this run on Intel Xeon 8375C (4 cores); timing checks are advisory".into(),
    ];
    v.candidate.env = "Intel Xeon 8375C, 4 cores, linux x86_64".into();
    v
}
