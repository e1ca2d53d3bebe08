use super::*;
use crate::instructions::{InstrBaselineBench, InstrFingerprint, InstructionRun};
use crate::results::BenchmarkResult;

fn fp() -> InstrFingerprint {
    InstrFingerprint {
        os_arch: "linux x86_64".into(),
        cpu_features: vec!["avx2".into(), "fma".into()],
        cache_bytes: vec![32768, 524288, 33554432],
        valgrind: "valgrind-3.19.0".into(),
        rustc: "rustc 1.88.0".into(),
        libc: "glibc 2.36".into(),
    }
}

fn run(fingerprint: InstrFingerprint) -> InstructionRun {
    InstructionRun {
        fingerprint,
        iterations: 2,
        warmup_iterations: 1,
        cache_sim: false,
    }
}

fn baseline(benches: &[(&str, f64)]) -> InstrBaseline {
    InstrBaseline {
        schema: crate::instructions::INSTR_BASELINE_SCHEMA.into(),
        perfgate_version: "0.1.0".into(),
        git_commit: None,
        run: run(fp()),
        benchmarks: benches
            .iter()
            .map(|(n, ir)| InstrBaselineBench {
                name: n.to_string(),
                instructions_per_iter: *ir,
                est_cycles_per_iter: None,
            })
            .collect(),
    }
}

fn candidate(fingerprint: InstrFingerprint, benches: &[(&str, Option<f64>)]) -> ResultsFile {
    ResultsFile {
        schema: crate::results::RESULTS_SCHEMA.into(),
        perfgate_version: "0.1.0".into(),
        env: Default::default(),
        settings: None,
        shard: None,
        benchmarks: benches
            .iter()
            .map(|(n, ir)| {
                let mut b = BenchmarkResult::failed(n, "g", String::new());
                b.error = match ir {
                    Some(_) => None,
                    None => Some("failed under valgrind (exit 3): panicked".into()),
                };
                b.instructions_per_iter = *ir;
                b
            })
            .collect(),
        instructions: Some(run(fingerprint)),
    }
}

#[test]
fn instruction_check_is_deterministic_against_the_limit() {
    assert_eq!(
        instruction_check(1_000_000.0, 1_009_999.0, 0.01).status,
        Status::Unchanged
    );
    assert_eq!(
        instruction_check(1_000_000.0, 1_010_001.0, 0.01).status,
        Status::Regression
    );
    assert_eq!(
        instruction_check(1_000_000.0, 980_000.0, 0.01).status,
        Status::Improvement
    );
    let c = instruction_check(2_000.0, 2_000.0, 0.0);
    assert_eq!(
        (c.status, c.change, c.p_value),
        (Status::Unchanged, 0.0, None)
    );
    assert_eq!(c.metric, Metric::Instructions);
}

#[test]
fn one_percent_more_work_fails_the_gate_and_unchanged_code_passes() {
    let t = Thresholds::default();
    let base = baseline(&[("gelu/1000", 100_000.0), ("softmax/2048", 50_000.0)]);
    let same = candidate(
        fp(),
        &[
            ("gelu/1000", Some(100_000.0)),
            ("softmax/2048", Some(50_010.0)),
        ],
    );
    let v = instruction_verdict(&base, "b.json", &same, "-", &t).unwrap();
    assert_eq!(v.verdict, Outcome::Pass, "{v:#?}");
    assert_eq!(v.headline, "no regressions in 2 benchmarks");
    let more = candidate(
        fp(),
        &[
            ("gelu/1000", Some(101_500.0)),
            ("softmax/2048", Some(50_000.0)),
        ],
    );
    let v = instruction_verdict(&base, "b.json", &more, "-", &t).unwrap();
    assert_eq!(v.verdict, Outcome::Fail);
    assert_eq!(v.benchmarks[0].status, Status::Regression);
    assert_eq!(
        v.benchmarks[0].message.as_deref(),
        Some("instructions +1.50% (limit 1%)")
    );
    assert_eq!(v.thresholds.limits, "instructions 1%");
}

#[test]
fn fingerprint_mismatch_skips_the_checks_and_names_the_fields() {
    let t = Thresholds::default();
    let base = baseline(&[("gelu/1000", 100_000.0)]);
    let mut other = fp();
    other.cpu_features.push("avx512f".into());
    other.rustc = "rustc 1.90.0".into();
    let cand = candidate(other, &[("gelu/1000", Some(200_000.0))]);
    let v = instruction_verdict(&base, "b.json", &cand, "-", &t).unwrap();
    assert_eq!(v.verdict, Outcome::Pass);
    assert!(v.benchmarks[0].checks.is_empty());
    let note = &v.notes[0];
    assert!(
        note.starts_with("DIFFERENT INSTRUCTION FINGERPRINT"),
        "{note}"
    );
    assert!(
        note.contains("cpu_features: avx2 fma → avx2 fma avx512f"),
        "{note}"
    );
    assert!(
        note.contains("rustc: rustc 1.88.0 → rustc 1.90.0"),
        "{note}"
    );
    assert!(!note.contains("valgrind:"), "{note}");
}

#[test]
fn failed_new_and_missing_benchmarks_are_reported() {
    let t = Thresholds::default();
    let base = baseline(&[("a/1", 10.0), ("b/1", 10.0), ("gone/1", 10.0)]);
    let cand = candidate(
        fp(),
        &[("a/1", None), ("b/1", Some(10.0)), ("new/1", Some(5.0))],
    );
    let v = instruction_verdict(&base, "b.json", &cand, "-", &t).unwrap();
    let statuses: Vec<(&str, Status)> = v
        .benchmarks
        .iter()
        .map(|b| (b.name.as_str(), b.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("a/1", Status::Failed),
            ("b/1", Status::Unchanged),
            ("new/1", Status::New),
            ("gone/1", Status::Missing)
        ]
    );
    assert_eq!(v.verdict, Outcome::Fail);
}

#[test]
fn a_rule_can_switch_instruction_checks_off() {
    let t = Thresholds::parse(
        "[defaults]\ninstructions = \"1%\"\n[[rule]]\nmatch = \"matmul_mt/*\"\ninstructions = \"off\"\n",
        std::path::Path::new("t.toml"),
    )
    .unwrap();
    let base = baseline(&[("matmul_mt/512", 100.0), ("matmul/64", 100.0)]);
    let cand = candidate(
        fp(),
        &[("matmul_mt/512", Some(150.0)), ("matmul/64", Some(150.0))],
    );
    let found = instruction_checks(&base, "b.json", &cand, &t).unwrap();
    let names: Vec<&str> = found.checks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["matmul/64"]);
}

fn timing_verdict(status: Status, change: f64) -> Verdict {
    let check = Check {
        metric: Metric::P50,
        baseline: 100.0,
        candidate: 100.0 * (1.0 + change),
        change,
        adjusted_change: None,
        ci_low: None,
        ci_high: None,
        p_value: Some(1e-6),
        p_adjusted: Some(1e-6),
        limit: 0.05,
        detectable: Some(0.05),
        status,
        rounds: None,
    };
    Verdict {
        schema: crate::verdict::VERDICT_SCHEMA.into(),
        verdict: if status == Status::Regression {
            Outcome::Fail
        } else {
            Outcome::Pass
        },
        headline: String::new(),
        baseline: Some(Side {
            file: "t.json".into(),
            env: String::new(),
            git_commit: None,
            runs: 5,
        }),
        candidate: Side {
            file: "-".into(),
            env: String::new(),
            git_commit: None,
            runs: 1,
        },
        notes: Vec::new(),
        thresholds: crate::verdict::ThresholdsUsed {
            file: "thresholds.toml".into(),
            alpha: 0.05,
            limits: "p50 5%".into(),
        },
        benchmarks: vec![BenchmarkVerdict {
            name: "gelu/1000".into(),
            status,
            message: (status == Status::Regression).then(|| "P50 +12.0% (limit 5%)".into()),
            checks: vec![check],
        }],
    }
}

#[test]
fn timing_regression_with_unchanged_instructions_is_marked_timing_only() {
    let mut v = timing_verdict(Status::Regression, 0.12);
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 1000.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut v, found, &Limits::DEFAULT);
    let b = &v.benchmarks[0];
    assert_eq!(b.status, Status::Regression);
    assert_eq!(
        b.message.as_deref(),
        Some("P50 +12.0% (limit 5%) — timing only (instructions unchanged)")
    );
    assert_eq!(b.checks.len(), 2);
    assert_eq!(v.thresholds.limits, "p50 5%, instructions 1%");
}

#[test]
fn timing_regression_with_more_instructions_says_both() {
    let mut v = timing_verdict(Status::Regression, 0.12);
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 1100.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut v, found, &Limits::DEFAULT);
    assert_eq!(v.verdict, Outcome::Fail);
    assert_eq!(
        v.benchmarks[0].message.as_deref(),
        Some("P50 +12.0% (limit 5%) — instructions +10.00% (limit 1%) too")
    );
}

#[test]
fn timing_improvement_with_unchanged_instructions_is_marked_timing_only() {
    let mut v = timing_verdict(Status::Improvement, -0.12);
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 1004.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut v, found, &Limits::DEFAULT);
    let b = &v.benchmarks[0];
    assert_eq!(b.status, Status::Improvement);
    assert_eq!(
        b.message.as_deref(),
        Some("timing only (instructions unchanged)")
    );
    assert_eq!(v.verdict, Outcome::Pass);
}

#[test]
fn instruction_regression_shows_the_timing_change_beside_it() {
    let mut v = timing_verdict(Status::Unchanged, 0.02);
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 1030.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut v, found, &Limits::DEFAULT);
    assert_eq!(v.verdict, Outcome::Fail);
    assert_eq!(v.headline, "1 regression");
    assert_eq!(
        v.benchmarks[0].message.as_deref(),
        Some("instructions +3.00% (limit 1%); timing P50 +2.0% beside it")
    );
}

#[test]
fn an_inconclusive_timing_is_decided_by_a_count_beyond_the_limit_and_labelled() {
    let mut v = timing_verdict(Status::Inconclusive, 0.018);
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 1020.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut v, found, &Limits::DEFAULT);
    assert_eq!(v.verdict, Outcome::Fail);
    assert_eq!(v.benchmarks[0].status, Status::Regression);
    assert_eq!(
        v.benchmarks[0].message.as_deref(),
        Some(
            "decided by the instruction count: instructions +2.00% (limit 1%); timing P50 \
             +1.8% (inconclusive) beside it"
        )
    );

    let mut faster = timing_verdict(Status::Inconclusive, -0.01);
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 950.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut faster, found, &Limits::DEFAULT);
    assert_eq!(faster.benchmarks[0].status, Status::Improvement);
    assert_eq!(faster.verdict, Outcome::Pass);

    // A count that did not move leaves it inconclusive, and says so.
    let mut same = timing_verdict(Status::Inconclusive, 0.01);
    same.benchmarks[0].message = Some("paired change +1.0%".into());
    let found = InstrChecks {
        checks: vec![("gelu/1000".into(), instruction_check(1000.0, 1000.0, 0.01))],
        notes: Vec::new(),
    };
    merge_instructions(&mut same, found, &Limits::DEFAULT);
    assert_eq!(same.benchmarks[0].status, Status::Inconclusive);
    assert_eq!(
        same.benchmarks[0].message.as_deref(),
        Some("paired change +1.0% — instructions +0.00% (limit 1%): unchanged")
    );
}
