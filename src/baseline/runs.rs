//! A baseline's blessed runs as results files again, so `bless --from` can take a baseline
//! and add runs measured later (a baseline of runs from several sittings holds the host's
//! drift over hours, which runs of one sitting cannot show).

use super::{BaselineFile, BaselineRun};
use crate::results::{BenchmarkResult, RESULTS_SCHEMA, ResultsFile};
use crate::stats::{Sample, Summary};

/// One results file per blessed run of `baseline` (read from `file`), named by the run's
/// original source (or `file#run-N` when it was a fresh run of `bless`). Per-run
/// allocation figures are not kept in a baseline: each run gets the baseline's (the
/// largest of its runs), so re-blessing keeps them. Benchmarks whose samples do not form a
/// valid sample set are left out of that run (a loaded baseline has none).
pub fn blessed_runs(baseline: &BaselineFile, file: &str) -> Vec<(String, ResultsFile)> {
    baseline
        .runs
        .iter()
        .enumerate()
        .map(|(i, run)| (source_of(run, file, i), run_file(baseline, run, i)))
        .collect()
}

fn source_of(run: &BaselineRun, file: &str, i: usize) -> String {
    match run.source.as_str() {
        "-" | "" => format!("{file}#run-{}", i + 1),
        s => s.to_string(),
    }
}

fn run_file(baseline: &BaselineFile, run: &BaselineRun, i: usize) -> ResultsFile {
    let benchmarks = baseline
        .benchmarks
        .iter()
        .filter_map(|b| {
            let samples = b.samples_ns.get(i)?.clone();
            let summary = Summary::of(&Sample::new(samples.clone()).ok()?);
            Some(BenchmarkResult {
                error: None,
                samples_ns: samples,
                summary: Some(summary),
                alloc_bytes_per_iter: b.alloc_bytes_per_iter,
                allocs_per_iter: b.allocs_per_iter,
                // Every other field is not kept in a baseline: absent, as in a failed entry.
                ..BenchmarkResult::failed(&b.name, &b.group, String::new())
            })
        })
        .collect();
    ResultsFile {
        schema: RESULTS_SCHEMA.to_string(),
        perfgate_version: baseline.perfgate_version.clone(),
        env: run.env.clone(),
        settings: run.settings.clone(),
        benchmarks,
        shard: None,
        instructions: None,
    }
}
