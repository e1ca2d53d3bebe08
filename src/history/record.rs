//! One stored run: the per-benchmark points a results file contributes to the history.
//! The serde struct is the file format (`runs/<aa>/<commit>-<digest>.json`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::results::ResultsFile;
use crate::stats::{Sample, percentile};

/// Schema written to and required of every history file.
pub const HISTORY_SCHEMA: &str = "perfgate.history.v1";
/// The schema family; a higher version after this prefix is a newer perfgate's store.
pub(crate) const SCHEMA_PREFIX: &str = "perfgate.history.v";
/// The version this perfgate writes and reads.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// One run of one commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// [`HISTORY_SCHEMA`].
    pub schema: String,
    /// The measured commit (full or abbreviated hash, as given).
    pub commit: String,
    /// When the run started, RFC 3339 UTC; orders the commits of a series.
    pub time: String,
    /// Machine class of the timing metrics (CPU vendor, family, model, cores).
    pub machine: String,
    /// Machine class of the instruction counts (the instruction fingerprint's slug).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instr_machine: Option<String>,
    /// perfgate version that measured.
    #[serde(default)]
    pub perfgate_version: String,
    /// Per benchmark, the figures measured.
    pub benchmarks: BTreeMap<String, Points>,
}

/// The figures of one benchmark in one run; absent ones were not measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Points {
    /// 10th percentile of the per-iteration time, nanoseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p10_ns: Option<f64>,
    /// Median per-iteration time, nanoseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p50_ns: Option<f64>,
    /// Instructions per iteration (callgrind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<f64>,
    /// Heap bytes allocated per iteration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alloc_bytes: Option<f64>,
    /// Heap allocations per iteration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocs: Option<f64>,
}

/// A metric of a series; every one of them is lower-is-better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// [`Points::p10_ns`].
    P10Ns,
    /// [`Points::p50_ns`].
    P50Ns,
    /// [`Points::instructions`].
    Instructions,
    /// [`Points::alloc_bytes`].
    AllocBytes,
    /// [`Points::allocs`].
    Allocs,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 5] = [
        Metric::P10Ns,
        Metric::P50Ns,
        Metric::Instructions,
        Metric::AllocBytes,
        Metric::Allocs,
    ];

    /// The name used in files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Metric::P10Ns => "p10_ns",
            Metric::P50Ns => "p50_ns",
            Metric::Instructions => "instructions",
            Metric::AllocBytes => "alloc_bytes",
            Metric::Allocs => "allocs",
        }
    }

    /// This metric's value in `points`.
    pub fn of(self, points: &Points) -> Option<f64> {
        match self {
            Metric::P10Ns => points.p10_ns,
            Metric::P50Ns => points.p50_ns,
            Metric::Instructions => points.instructions,
            Metric::AllocBytes => points.alloc_bytes,
            Metric::Allocs => points.allocs,
        }
    }
}

/// Lower-case, `-`-joined alphanumeric words of `text` ("unknown" when none).
fn slug(text: &str) -> String {
    let s = text
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() { "unknown".into() } else { s }
}

/// The machine class of a results file's timing figures: CPU vendor, family and model and
/// the core count (or the CPU model name when the CPU identity was not recorded).
pub fn machine_class(results: &ResultsFile) -> String {
    let env = &results.env;
    let cpu = match &env.cpu {
        Some(id) if !id.vendor.is_empty() => format!("{}-f{}m{}", id.vendor, id.family, id.model),
        _ => env.cpu_model.clone(),
    };
    format!("{}-{}c", slug(&cpu), env.logical_cores)
}

impl RunRecord {
    /// The record of `results`, measured at `commit` and `time`.
    pub fn from_results(results: &ResultsFile, commit: &str, time: &str) -> RunRecord {
        let mut benchmarks = BTreeMap::new();
        for bench in &results.benchmarks {
            let timed = Sample::new(bench.samples_ns.clone()).ok();
            let points = Points {
                p10_ns: timed.as_ref().map(|s| percentile(s, 0.10)),
                p50_ns: timed.as_ref().map(|s| percentile(s, 0.50)),
                instructions: bench.instructions_per_iter,
                alloc_bytes: timed.as_ref().and(bench.alloc_bytes_per_iter),
                allocs: timed.as_ref().and(bench.allocs_per_iter),
            };
            if points != Points::default() {
                benchmarks.insert(bench.name.clone(), points);
            }
        }
        RunRecord {
            schema: HISTORY_SCHEMA.to_string(),
            commit: commit.to_string(),
            time: time.to_string(),
            machine: machine_class(results),
            instr_machine: results.instructions.as_ref().map(|i| i.fingerprint.slug()),
            perfgate_version: results.perfgate_version.clone(),
            benchmarks,
        }
    }

    /// The machine class a metric's series belongs to in this record.
    pub fn machine_of(&self, metric: Metric) -> &str {
        match (metric, &self.instr_machine) {
            (Metric::Instructions, Some(m)) => m,
            _ => &self.machine,
        }
    }
}

/// 64-bit FNV-1a of `bytes`, as 16 hex digits: names files by their content.
pub(crate) fn digest(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}
