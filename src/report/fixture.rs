//! A deterministic, hand-made suite run, baseline and verdict for the report's tests: the
//! suite's real benchmark names with seeded synthetic samples (no timing).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::input::{BaselineBenchmark, BaselineData};
use crate::results::{BenchmarkResult, Env, ModelInfo, ModelMetrics, ResultsFile, Throughput};
use crate::stats::{Sample, Summary, percentile};
use crate::verdict::{
    BenchmarkVerdict, Check, Metric, Outcome, Side, Status, ThresholdsUsed, Verdict,
};

/// Name, P50 (ns), relative noise, work (unit, amount), bytes/iter.
type Spec = (&'static str, f64, f64, Option<(&'static str, f64)>, f64);

/// The suite: names as in the built-in suite, plausible magnitudes.
const SUITE: [Spec; 16] = [
    (
        "matmul/64",
        40_000.0,
        0.02,
        Some(("GFLOP/s", 2.0 * 64.0 * 64.0 * 64.0)),
        0.0,
    ),
    (
        "matmul/128",
        250_000.0,
        0.02,
        Some(("GFLOP/s", 2.0 * 128.0 * 128.0 * 128.0)),
        0.0,
    ),
    (
        "matmul/256",
        1_700_000.0,
        0.03,
        Some(("GFLOP/s", 2.0 * 256.0 * 256.0 * 256.0)),
        0.0,
    ),
    (
        "matmul/512",
        13_000_000.0,
        0.04,
        Some(("GFLOP/s", 2.0 * 512.0 * 512.0 * 512.0)),
        0.0,
    ),
    (
        "matmul_mt/512",
        7_500_000.0,
        0.12,
        Some(("GFLOP/s", 2.0 * 512.0 * 512.0 * 512.0)),
        0.0,
    ),
    ("gelu/1000", 1_500.0, 0.03, Some(("Melem/s", 1_000.0)), 0.0),
    (
        "gelu/100000",
        150_000.0,
        0.03,
        Some(("Melem/s", 100_000.0)),
        0.0,
    ),
    (
        "gelu/1000000",
        1_600_000.0,
        0.03,
        Some(("Melem/s", 1_000_000.0)),
        0.0,
    ),
    (
        "softmax/2048",
        6_000.0,
        0.02,
        Some(("Melem/s", 2_048.0)),
        0.0,
    ),
    (
        "add/1000000",
        450_000.0,
        0.05,
        Some(("Melem/s", 1_000_000.0)),
        0.0,
    ),
    (
        "mul/1000000",
        450_000.0,
        0.05,
        Some(("Melem/s", 1_000_000.0)),
        0.0,
    ),
    (
        "broadcast_add/1000x1000",
        500_000.0,
        0.05,
        Some(("Melem/s", 1_000_000.0)),
        0.0,
    ),
    ("model/small/create", 900_000.0, 0.03, None, 1_882_112.0),
    ("model/medium/create", 7_000_000.0, 0.03, None, 13_817_856.0),
    (
        "model/small/generate",
        4_000_000.0,
        0.02,
        Some(("tok/s", 25.0)),
        0.0,
    ),
    (
        "model/medium/generate",
        23_000_000.0,
        0.02,
        Some(("tok/s", 25.0)),
        0.0,
    ),
];

/// Candidate P50 factor per benchmark vs the baseline (1.0: unchanged code).
fn candidate_factor(name: &str) -> f64 {
    match name {
        "gelu/1000000" => 1.12,
        "matmul_mt/512" => 1.09,
        "softmax/2048" => 0.80,
        _ => 1.0,
    }
}

/// `n` samples around `p50` with relative noise `cv`, a run offset and one slow outlier.
fn samples(rng: &mut ChaCha8Rng, p50: f64, cv: f64, n: usize) -> Vec<f64> {
    let offset = 1.0 + cv * 0.3 * (rng.random::<f64>() - 0.5);
    (0..n)
        .map(|i| {
            // Irwin–Hall: the sum of 4 uniforms is close to normal, sd 1/√3.
            let z = ((0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0) * 3f64.sqrt();
            let outlier = if i == n / 2 { 1.0 + 6.0 * cv } else { 1.0 };
            (p50 * offset * (1.0 + cv * z) * outlier).round()
        })
        .collect()
}

/// The suite's group of a benchmark (`matmul_mt/512` is in `matmul`, add/mul/broadcast_add
/// in `elementwise`).
fn group_of(name: &str) -> &str {
    match name.split('/').next().unwrap() {
        "matmul_mt" => "matmul",
        "add" | "mul" | "broadcast_add" => "elementwise",
        prefix => prefix,
    }
}

fn model_info(name: &str) -> Option<ModelInfo> {
    let small = ModelInfo {
        params: 470_528,
        d_model: 128,
        layers: 2,
        heads: 4,
        context: 64,
        vocab: 512,
    };
    let medium = ModelInfo {
        params: 3_454_464,
        d_model: 256,
        layers: 4,
        heads: 8,
        context: 128,
        vocab: 1024,
    };
    match name.split('/').nth(1) {
        Some("small") => Some(small),
        Some("medium") => Some(medium),
        _ => None,
    }
}

/// One run of the suite with `factor(name)` applied to each benchmark's time.
fn run(seed: u64, factor: fn(&str) -> f64) -> ResultsFile {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let benchmarks = SUITE
        .iter()
        .map(|&(name, p50, cv, work, bytes)| {
            let samples_ns = samples(&mut rng, p50 * factor(name), cv, 20);
            let summary = Summary::of(&Sample::new(samples_ns.clone()).unwrap());
            let throughput = work.map(|(unit, amount)| Throughput {
                value: match unit {
                    "GFLOP/s" => amount / summary.p50_ns,
                    "Melem/s" => amount / summary.p50_ns * 1e3,
                    _ => amount / summary.p50_ns * 1e9,
                },
                unit: unit.to_string(),
            });
            let tokens = work.filter(|w| w.0 == "tok/s").map_or(0, |w| w.1 as u64);
            BenchmarkResult {
                name: name.to_string(),
                group: group_of(name).to_string(),
                error: None,
                iters_per_sample: (30e6 / p50).ceil() as u64,
                samples_ns,
                summary: Some(summary),
                alloc_bytes_per_iter: Some(bytes),
                allocs_per_iter: Some(if bytes > 0.0 { 40.0 } else { 0.0 }),
                peak_bytes: Some(bytes as u64),
                throughput,
                model: model_info(name).map(|model| ModelMetrics {
                    model,
                    tokens,
                    tokens_per_sec: (tokens > 0).then(|| tokens as f64 / summary.p50_ns * 1e9),
                    ms_per_token: (tokens > 0).then(|| summary.p50_ns / 1e6 / tokens as f64),
                    alloc_bytes_per_token: (tokens > 0).then_some(0.0),
                }),
                process: None,
                instructions_per_iter: None,
                est_cycles_per_iter: None,
            }
        })
        .collect();
    ResultsFile {
        schema: crate::results::RESULTS_SCHEMA.to_string(),
        perfgate_version: "0.1.0".to_string(),
        env: Env {
            cpu_model: "Test CPU <2 cores>".to_string(),
            logical_cores: 2,
            os: "linux x86_64".to_string(),
            timestamp: "2026-01-01T00:00:00Z".to_string(),
            ..Env::default()
        },
        settings: None,
        benchmarks,
        shard: None,
        instructions: None,
    }
}

/// The candidate run: gelu/1000000 12% slower, matmul_mt/512 9% slower (noisy),
/// softmax/2048 20% faster, one failed benchmark.
pub fn candidate() -> ResultsFile {
    let mut r = run(7, candidate_factor);
    r.benchmarks.push(BenchmarkResult::failed(
        "softmax/65536",
        "softmax",
        "panicked: index out of bounds".to_string(),
    ));
    let medium = r
        .benchmarks
        .iter_mut()
        .find(|b| b.name == "model/medium/create")
        .unwrap();
    medium.alloc_bytes_per_iter = Some(14_866_432.0);
    r
}

/// A baseline blessed from three runs of unchanged code.
pub fn baseline() -> BaselineData {
    let runs: Vec<ResultsFile> = (1..=3).map(|seed| run(seed, |_| 1.0)).collect();
    let mut data = BaselineData {
        file: "baselines/test-machine.json".to_string(),
        runs: 3,
        ..BaselineData::default()
    };
    for (i, b) in runs[0].benchmarks.iter().enumerate() {
        data.benchmarks.insert(
            b.name.clone(),
            BaselineBenchmark {
                runs_ns: runs
                    .iter()
                    .map(|r| r.benchmarks[i].samples_ns.clone())
                    .collect(),
                alloc_bytes_per_iter: b.alloc_bytes_per_iter,
            },
        );
    }
    data
}

/// The gate's verdict on `candidate` vs `baseline`, built by hand: P50 changes from the
/// data, statuses and intervals as a gate with a 5% limit would plausibly decide.
pub fn verdict(candidate: &ResultsFile, baseline: &BaselineData) -> Verdict {
    let mut benchmarks = Vec::new();
    for b in &candidate.benchmarks {
        let Some(summary) = b.summary else {
            benchmarks.push(BenchmarkVerdict {
                name: b.name.clone(),
                status: Status::Failed,
                message: b.error.clone(),
                checks: Vec::new(),
            });
            continue;
        };
        let base = &baseline.benchmarks[&b.name];
        let base_p50 = percentile(&Sample::new(base.pooled_ns()).unwrap(), 0.5);
        let change = summary.p50_ns / base_p50 - 1.0;
        let (status, half, detectable) = match b.name.as_str() {
            "gelu/1000000" => (Status::Regression, 0.02, Some(0.03)),
            "softmax/2048" => (Status::Improvement, 0.02, Some(0.02)),
            "matmul_mt/512" => (Status::Inconclusive, 0.11, Some(0.14)),
            _ => (Status::Unchanged, 0.02, Some(0.03)),
        };
        let mut checks = vec![Check {
            metric: Metric::P50,
            baseline: base_p50,
            candidate: summary.p50_ns,
            change,
            adjusted_change: None,
            ci_low: Some(change - half),
            ci_high: Some(change + half),
            p_value: Some(0.001),
            p_adjusted: Some(0.01),
            limit: 0.05,
            detectable,
            status,
            rounds: None,
        }];
        let (ab, ac) = (
            base.alloc_bytes_per_iter.unwrap(),
            b.alloc_bytes_per_iter.unwrap(),
        );
        let alloc_status = if ac > ab {
            Status::Regression
        } else {
            Status::Unchanged
        };
        checks.push(Check {
            metric: Metric::AllocBytes,
            baseline: ab,
            candidate: ac,
            change: if ab > 0.0 { ac / ab - 1.0 } else { 0.0 },
            adjusted_change: None,
            ci_low: None,
            ci_high: None,
            p_value: None,
            p_adjusted: None,
            limit: 0.0,
            detectable: None,
            status: alloc_status,
            rounds: None,
        });
        let overall = checks.iter().map(|c| c.status).min().unwrap();
        benchmarks.push(BenchmarkVerdict {
            name: b.name.clone(),
            status: overall,
            message: (overall == Status::Inconclusive)
                .then(|| "noise ±14.0% exceeds the 5% limit".to_string()),
            checks,
        });
    }
    Verdict {
        schema: crate::verdict::VERDICT_SCHEMA.to_string(),
        verdict: Outcome::Fail,
        headline: "2 regressions, 1 inconclusive".to_string(),
        baseline: Some(Side {
            file: baseline.file.clone(),
            env: "Test CPU, 2 cores, linux x86_64".to_string(),
            git_commit: None,
            runs: 3,
        }),
        candidate: Side {
            file: "candidate.json".to_string(),
            env: "Test CPU, 2 cores, linux x86_64".to_string(),
            git_commit: None,
            runs: 1,
        },
        notes: vec!["softmax/65536 failed: panicked: index out of bounds".to_string()],
        thresholds: ThresholdsUsed {
            file: "thresholds.toml".to_string(),
            alpha: 0.05,
            limits: "p50 5%, p95 10%, p99 off".to_string(),
        },
        benchmarks,
    }
}
