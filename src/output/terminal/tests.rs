use super::*;
use crate::verdict::{Side, ThresholdsUsed, VERDICT_SCHEMA};

fn check(metric: Metric, base: f64, cand: f64, status: Status) -> Check {
    Check {
        metric,
        baseline: base,
        candidate: cand,
        change: cand / base - 1.0,
        adjusted_change: None,
        ci_low: Some(cand / base - 1.02),
        ci_high: Some(cand / base - 0.98),
        p_value: Some(1e-6),
        p_adjusted: Some(3e-6),
        limit: 0.05,
        detectable: Some(0.05),
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
        name: name.into(),
        status,
        message: message.map(String::from),
        checks,
    }
}

fn sample_verdict() -> Verdict {
    Verdict {
        schema: VERDICT_SCHEMA.into(),
        verdict: Outcome::Fail,
        headline: "1 regression, 1 inconclusive, 1 improvement".into(),
        baseline: Some(Side {
            file: "baselines/linux-x86_64-2cpu-amd-epyc-7b13.json".into(),
            env: "AMD EPYC 7B13, 2 cores, linux x86_64".into(),
            git_commit: None,
            runs: 3,
        }),
        candidate: Side {
            file: "-".into(),
            env: "AMD EPYC 7B13, 2 cores, linux x86_64".into(),
            git_commit: None,
            runs: 1,
        },
        notes: vec!["not measured in this run but present in the baseline: gelu/4096".into()],
        thresholds: ThresholdsUsed {
            file: "thresholds.toml".into(),
            alpha: 0.05,
            limits: "p50 5%, p95 10%, p99 off".into(),
        },
        benchmarks: vec![
            bench(
                "add/1024",
                Status::Unchanged,
                None,
                vec![check(Metric::P50, 812.0, 815.0, Status::Unchanged)],
            ),
            bench(
                "model/small/generate",
                Status::Inconclusive,
                Some(
                    "P50 +3.0%: run-to-run noise too large for the 5% limit; could only detect changes beyond ±8.2%",
                ),
                vec![check(Metric::P50, 3.2e7, 3.296e7, Status::Inconclusive)],
            ),
            bench(
                "gelu/4096",
                Status::Missing,
                Some("in the baseline but not measured in this run"),
                vec![],
            ),
            bench(
                "matmul/256",
                Status::Regression,
                Some("P50 +12.0% (limit 5%, detectable ±5%, p_adj 3.00e-6)"),
                vec![check(Metric::P50, 1.5e6, 1.68e6, Status::Regression)],
            ),
            bench(
                "softmax/1024",
                Status::Improvement,
                Some("P50 -10.0% (limit 5%, detectable ±5%, p_adj 3.00e-6)"),
                vec![check(Metric::P50, 4.0e4, 3.6e4, Status::Improvement)],
            ),
        ],
    }
}

#[test]
fn verdict_table_puts_regressions_first_then_improvements() {
    insta::assert_snapshot!(render(&sample_verdict(), false));
}

#[test]
fn colored_table_marks_regressions_red() {
    let text = render(&sample_verdict(), true);
    assert!(text.contains("\u{1b}[38;5;9m regression"), "{text:?}");
    assert!(text.contains("\u{1b}[38;5;10m improvement"), "{text:?}");
}
