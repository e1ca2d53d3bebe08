//! Serde structs of the A/B results JSON (`perfgate ab --results-out`): the raw samples of
//! both sides per benchmark and the per-round paired observations, so every number of an
//! A/B verdict can be recomputed.

use serde::{Deserialize, Serialize};

use super::schema::{Env, ProcessMetrics};

/// Schema version of A/B results files.
pub const AB_RESULTS_SCHEMA: &str = "perfgate.ab-results.v1";

/// One `perfgate ab` run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbResultsFile {
    /// Schema version, [`AB_RESULTS_SCHEMA`].
    pub schema: String,
    /// Version of the perfgate that drove the run.
    pub perfgate_version: String,
    /// The machine (measured by the driver before the workers started).
    pub env: Env,
    /// The base side.
    pub base: AbSide,
    /// The head side.
    pub head: AbSide,
    /// How the run was measured.
    pub settings: AbSettings,
    /// Things that went wrong or were cut short, in plain words.
    #[serde(default)]
    pub notes: Vec<String>,
    /// One entry per benchmark: the head's suite order, then benchmarks only in the base.
    pub benchmarks: Vec<AbBenchmark>,
}

/// One side (binary) of an A/B run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbSide {
    /// The binary that ran as the worker (command suites: the suite file that ran).
    pub binary: String,
    /// Its perfgate version (from the handshake).
    pub perfgate_version: String,
    /// The git revision it was built from, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
}

/// Settings of an A/B run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbSettings {
    /// Rounds asked for.
    pub rounds_planned: u32,
    /// Rounds completed (fewer when the time budget ran out).
    pub rounds_done: u32,
    /// Samples per side per visit.
    pub samples_per_visit: u32,
    /// Warm-up before calibration, milliseconds.
    pub warmup_ms: u64,
    /// Re-warm-up of a side before its samples in every visit, milliseconds.
    pub rewarm_ms: u64,
    /// Target duration of one sample, milliseconds.
    pub sample_ms: u64,
    /// Seed of the schedule and the benchmark inputs.
    pub seed: u64,
    /// Core both workers were pinned to (`None`: not pinned).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core: Option<usize>,
    /// Time budget in seconds, when one was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_budget_s: Option<f64>,
    /// The clock asked for (`--clock`); each benchmark's `clock` says which one it got.
    #[serde(default)]
    pub clock: Clock,
}

/// Which clock an A/B benchmark's rounds are timed with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Wall time of each sample.
    #[default]
    Wall,
    /// CPU time of the worker's measuring thread in each sample: the time it ran, without
    /// the time it waited while another process had the core.
    Cpu,
}

/// Where a benchmark exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// In both suites: measured as a pair.
    Both,
    /// Only in the base's suite (removed by the change).
    BaseOnly,
    /// Only in the head's suite (added by the change).
    HeadOnly,
}

/// One benchmark of an A/B run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbBenchmark {
    /// Benchmark name.
    pub name: String,
    /// Which suites have it.
    pub presence: Presence,
    /// Why it failed (a side's set-up or sampling panicked, or its worker died).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Iterations per sample, the same on both sides.
    pub iters_per_sample: u64,
    /// The clock of `rounds` (CPU time only when every visit of both sides reported it).
    #[serde(default)]
    pub clock: Clock,
    /// The base's samples.
    pub base: AbSamples,
    /// The head's samples.
    pub head: AbSamples,
    /// One paired observation per completed round, in round order.
    pub rounds: Vec<AbRound>,
}

/// Everything one side measured of one benchmark.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AbSamples {
    /// Per-iteration nanoseconds of each sample, in the order taken.
    pub samples_ns: Vec<f64>,
    /// Per-iteration CPU nanoseconds of the worker's measuring thread in each sample,
    /// parallel to `samples_ns`; empty when not reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpu_ns: Vec<f64>,
    /// Heap bytes allocated during all timed iterations.
    pub alloc_bytes: u64,
    /// Heap allocations during all timed iterations.
    pub allocs: u64,
    /// Command benchmarks (perfgate.toml): user/system time and max RSS of each run, in
    /// the order of `samples_ns`; their allocations are not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<ProcessMetrics>,
}

impl AbSamples {
    /// The samples of `clock`, ns per iteration.
    pub fn timed(&self, clock: Clock) -> &[f64] {
        match clock {
            Clock::Wall => &self.samples_ns,
            Clock::Cpu => &self.cpu_ns,
        }
    }

    /// Heap bytes per iteration, when anything was sampled.
    pub fn alloc_bytes_per_iter(&self, iters_per_sample: u64) -> Option<f64> {
        let iters = self.samples_ns.len() as u64 * iters_per_sample;
        (iters > 0).then(|| self.alloc_bytes as f64 / iters as f64)
    }

    /// Heap allocations per iteration, when anything was sampled.
    pub fn allocs_per_iter(&self, iters_per_sample: u64) -> Option<f64> {
        let iters = self.samples_ns.len() as u64 * iters_per_sample;
        (iters > 0).then(|| self.allocs as f64 / iters as f64)
    }
}

/// One visit of one round: the paired observation, timed with the benchmark's `clock`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbRound {
    /// Round number, from 0.
    pub round: u32,
    /// True when base was measured first in this visit.
    pub base_first: bool,
    /// Median of the base's samples of this visit, ns per iteration.
    pub base_p50_ns: f64,
    /// Median of the head's samples of this visit, ns per iteration.
    pub head_p50_ns: f64,
    /// ln(head_p50_ns / base_p50_ns).
    pub log_ratio: f64,
}
