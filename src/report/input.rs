//! What a report is made from: one results file, and optionally a baseline and the gate's
//! verdict on the results against it.

use std::collections::BTreeMap;

use crate::baseline::BaselineFile;
use crate::gate::Limits;
use crate::results::ResultsFile;
use crate::verdict::Verdict;

/// Everything the sections read. Built by `perfgate report`; tests build it by hand.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The run the report is about (the candidate).
    pub results: &'a ResultsFile,
    /// Where `results` was read from, as shown to the reader.
    pub results_file: String,
    /// The baseline's raw data, when one was given.
    pub baseline: Option<&'a BaselineData>,
    /// The gate's verdict of `results` against `baseline`.
    pub verdict: Option<&'a Verdict>,
    /// The thresholds that apply to each benchmark of `results` (absent: unknown).
    pub limits: BTreeMap<String, Limits>,
}

/// The baseline as the report needs it: every blessed run's raw samples per benchmark.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaselineData {
    /// Where the baseline was read from.
    pub file: String,
    /// Number of runs the baseline rests on.
    pub runs: usize,
    /// Per benchmark name.
    pub benchmarks: BTreeMap<String, BaselineBenchmark>,
}

/// One benchmark of the baseline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BaselineBenchmark {
    /// Per-iteration samples (ns) of each blessed run, in run order.
    pub runs_ns: Vec<Vec<f64>>,
    /// Heap bytes allocated per iteration, when measured.
    pub alloc_bytes_per_iter: Option<f64>,
}

impl BaselineBenchmark {
    /// All runs' samples pooled, in run order.
    pub fn pooled_ns(&self) -> Vec<f64> {
        self.runs_ns.iter().flatten().copied().collect()
    }
}

impl BaselineData {
    /// The report's view of a loaded baseline file (or of a results file loaded as one).
    pub fn from_baseline(file: impl Into<String>, baseline: &BaselineFile) -> BaselineData {
        let benchmarks = baseline
            .benchmarks
            .iter()
            .map(|b| {
                let bench = BaselineBenchmark {
                    runs_ns: b.samples_ns.clone(),
                    alloc_bytes_per_iter: b.alloc_bytes_per_iter,
                };
                (b.name.clone(), bench)
            })
            .collect();
        BaselineData {
            file: file.into(),
            runs: baseline.runs.len(),
            benchmarks,
        }
    }
}
