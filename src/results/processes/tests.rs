use super::*;
use crate::results::{Env, ModelInfo, ModelMetrics, RunSettings, Throughput};

/// A process's run of "m/1" (a model benchmark producing 4 tokens, 1e9 units of work per
/// iteration) with `samples`, `iters` per sample and `allocs` allocations of 100 bytes per
/// iteration.
fn part(samples: &[f64], iters: u64, allocs: f64, busy: f64) -> ResultsFile {
    let sample = Sample::new(samples.to_vec()).unwrap();
    let summary = Summary::of(&sample);
    let p50 = summary.p50_ns;
    let mut b = BenchmarkResult::failed("m/1", "m", String::new());
    b.error = None;
    b.iters_per_sample = iters;
    b.samples_ns = samples.to_vec();
    b.summary = Some(summary);
    b.alloc_bytes_per_iter = Some(100.0 * allocs);
    b.allocs_per_iter = Some(allocs);
    b.peak_bytes = Some(1000 * iters);
    b.throughput = Some(Throughput {
        value: 1e9 / p50,
        unit: "GFLOP/s".into(),
    });
    b.model = Some(ModelMetrics {
        model: ModelInfo {
            params: 10,
            d_model: 2,
            layers: 1,
            heads: 1,
            vocab: 5,
            context: 8,
        },
        tokens: 4,
        tokens_per_sec: Some(4.0 / p50 * 1e9),
        ms_per_token: Some(p50 / 1e6 / 4.0),
        alloc_bytes_per_token: Some(100.0 * allocs / 4.0),
    });
    let mut failed = BenchmarkResult::failed("f/1", "f", "boom".into());
    if busy > 0.5 {
        // Fails only in the busy process.
        failed.error = Some("boom".into());
    } else {
        failed.error = None;
        failed.samples_ns = vec![1.0, 2.0];
        failed.iters_per_sample = 1;
    }
    ResultsFile {
        schema: crate::results::RESULTS_SCHEMA.into(),
        perfgate_version: "0.1.0".into(),
        env: Env {
            load: Some(MachineLoad {
                other_cores_busy: busy,
                steal_share: 0.0,
                loadavg_1m: Some(busy),
            }),
            ..Env::default()
        },
        settings: Some(RunSettings {
            samples: samples.len() as u32,
            warmup_ms: 10,
            sample_ms: 5,
            schedule: crate::cli::Schedule::Interleaved,
            seed: 42,
            timer_overhead_ns: 30.0,
            timer_resolution_ns: 20.0,
            processes: 1,
        }),
        benchmarks: vec![b, failed],
        shard: None,
        instructions: None,
    }
}

#[test]
fn samples_follow_each_other_and_derived_figures_cover_all() {
    let a = part(&[100.0, 110.0, 120.0], 10, 1.0, 0.0);
    let b = part(&[200.0, 210.0], 30, 3.0, 1.0);
    let joined = join_processes(vec![a, b]).unwrap();
    let m = &joined.benchmarks[0];
    assert_eq!(m.samples_ns, [100.0, 110.0, 120.0, 200.0, 210.0]);
    let summary = m.summary.as_ref().unwrap();
    assert_eq!(summary.p50_ns, 120.0, "median of all five samples");
    // 30 timed iterations at 1 allocation, 60 at 3: (30 + 180) / 90.
    assert!((m.allocs_per_iter.unwrap() - 210.0 / 90.0).abs() < 1e-12);
    assert!((m.alloc_bytes_per_iter.unwrap() - 100.0 * 210.0 / 90.0).abs() < 1e-9);
    assert_eq!(m.iters_per_sample, 18, "90 iterations over 5 samples");
    assert_eq!(m.peak_bytes, Some(30_000));
    // Rates and times at the joined median, as the runner computes them.
    assert!((m.throughput.as_ref().unwrap().value - 1e9 / 120.0).abs() < 1e-6);
    let model = m.model.as_ref().unwrap();
    assert!((model.tokens_per_sec.unwrap() - 4.0 / 120.0 * 1e9).abs() < 1e-3);
    assert!((model.ms_per_token.unwrap() - 120.0 / 1e6 / 4.0).abs() < 1e-15);
    assert!((model.alloc_bytes_per_token.unwrap() - 100.0 * 210.0 / 90.0 / 4.0).abs() < 1e-9);
    // A benchmark that failed in one process failed, and says where.
    let f = &joined.benchmarks[1];
    assert!(f.samples_ns.is_empty());
    assert_eq!(f.error.as_deref(), Some("in process 2 of 2: boom"));
    let settings = joined.settings.unwrap();
    assert_eq!((settings.samples, settings.processes), (5, 2));
    let load = joined.env.load.unwrap();
    assert_eq!((load.other_cores_busy, load.loadavg_1m), (0.5, Some(1.0)));
}

#[test]
fn parts_of_other_benchmarks_are_refused() {
    let a = part(&[1.0], 1, 0.0, 0.0);
    let mut b = part(&[1.0], 1, 0.0, 0.0);
    b.benchmarks.pop();
    assert!(matches!(
        join_processes(vec![a, b]),
        Err(JoinError::Mismatch { part: 2, .. })
    ));
    assert_eq!(join_processes(Vec::new()), Err(JoinError::NoParts));
}

#[test]
fn the_schema_reads_files_without_the_field_as_one_process() {
    let file = part(&[1.0, 2.0], 1, 0.0, 0.0);
    let text = serde_json::to_string(&file).unwrap();
    assert!(!text.contains("processes"), "1 is not written");
    let back: ResultsFile = serde_json::from_str(&text).unwrap();
    assert_eq!(back.settings.unwrap().processes, 1);
    let two = join_processes(vec![file.clone(), file]).unwrap();
    let text = serde_json::to_string(&two).unwrap();
    assert!(text.contains("\"processes\":2"));
}
