//! Computing the intervals on several threads gives the same bits as one at a time, and
//! the whole verdict is byte-identical whatever the number of threads.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::*;
use crate::baseline::{BaselineFile, from_runs};
use crate::gate::timing::TIMING;
use crate::gate::{BaselineInput, Comparison, Thresholds, compare};
use crate::results::ResultsFile;

fn results(benches: Vec<serde_json::Value>) -> ResultsFile {
    serde_json::from_value(json!({
        "env": {"cpu_model": "X", "logical_cores": 2, "os": "linux x86_64"},
        "benchmarks": benches,
    }))
    .unwrap()
}

/// 60 benchmarks, 5 blessed runs and a candidate, 50 samples each with a slow tail; every
/// 10th benchmark of the candidate 30% slower, every 10th (offset 5) 30% faster.
fn suite() -> (BaselineFile, ResultsFile) {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let centers: Vec<f64> = (0..60).map(|i| 1e4 * (1.0 + i as f64)).collect();
    let mut run = |factor: &dyn Fn(usize) -> f64| {
        let benches = centers
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let samples: Vec<f64> = (0..50)
                    .map(|_| {
                        let tail = if rng.random_bool(0.05) { 1.3 } else { 1.0 };
                        c * factor(i) * tail * (1.0 + 0.02 * rng.random::<f64>())
                    })
                    .collect();
                json!({"name": format!("b/{i:02}"), "samples_ns": samples})
            })
            .collect();
        results(benches)
    };
    let runs: Vec<(String, ResultsFile)> = (0..5)
        .map(|k| (format!("run-{k}.json"), run(&|_| 1.0)))
        .collect();
    let (baseline, _) = from_runs(&runs, false).unwrap();
    let candidate = run(&|i| match i % 10 {
        0 => 1.3,
        5 => 0.7,
        _ => 1.0,
    });
    (baseline, candidate)
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

#[test]
fn intervals_on_many_threads_equal_intervals_one_at_a_time() {
    let (baseline, candidate) = suite();
    let t = Thresholds::default();
    let matched: Vec<Matched> = candidate
        .benchmarks
        .iter()
        .enumerate()
        .map(|(i, cand)| Matched {
            verdict_index: i,
            limits: t.defaults,
            base: &baseline.benchmarks[i],
            cand,
        })
        .collect();
    let refs: Vec<&Matched> = matched.iter().collect();
    let s = TimingSettings {
        resamples: 500,
        seed: 42,
        suite_limits: t.defaults,
    };
    for (metric, q) in TIMING {
        let one_at_a_time: Vec<Option<ChangeInterval>> = refs
            .iter()
            .map(|m| within_run_ci(m, metric, q, &s))
            .collect();
        assert!(one_at_a_time.iter().all(Option::is_some));
        for threads in [1, 2, 4] {
            let parallel = pool(threads).install(|| within_run_cis(&refs, metric, q, &s));
            assert_eq!(parallel, one_at_a_time, "{metric:?} on {threads} threads");
        }
    }
}

#[test]
fn verdict_json_is_byte_identical_on_one_thread_and_on_four() {
    let (baseline, candidate) = suite();
    let t = Thresholds::default();
    let verdict_json = || {
        let v = compare(&Comparison {
            baseline: BaselineInput::Loaded {
                baseline: &baseline,
                file: "base.json",
            },
            candidate: &candidate,
            candidate_file: "cand.json",
            thresholds: &t,
        })
        .unwrap();
        serde_json::to_string_pretty(&v).unwrap()
    };
    let sequential = pool(1).install(verdict_json);
    let parallel = pool(4).install(verdict_json);
    assert!(sequential.contains("\"regression\"") && sequential.contains("\"improvement\""));
    assert_eq!(parallel, sequential);
}
