//! Serde structs of the A/B results JSON (`perfgate ab --results-out`): the raw samples of
//! both sides per benchmark, in the order taken, and the per-round paired observations
//! derived from them, so every number of an A/B verdict can be recomputed.
//!
//! Version 2: within a visit base and head alternate sample by sample, so sample i of the
//! base and sample i of the head form a pair (taken one right after the other); a round
//! holds `pairs` consecutive pairs, and its observation is the median of their log-ratios.
//! The look plan and the stopping rule of the run are in the settings.

use serde::{Deserialize, Serialize};

use super::schema::{Env, ProcessMetrics};
use crate::stats::LookPlan;

/// Schema version of A/B results files.
pub const AB_RESULTS_SCHEMA: &str = "perfgate.ab-results.v2";

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
    /// Samples per side per visit, i.e. pairs per visit (fewer for benchmarks whose one
    /// iteration is longer than a sample; each round says how many it has).
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
    /// The looks (round counts at which benchmarks were decided and stopped) and how the
    /// false-alarm rate and the intervals' miss rate were spent over them.
    pub looks: LookPlan,
    /// The family-wise alpha the run stopped benchmarks with (`[ab] alpha`).
    pub stop_alpha: f64,
    /// The limit the run stopped benchmarks with (`[ab] p50`; `None`: off).
    #[serde(default)]
    pub stop_limit: Option<f64>,
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
/// Its pairs are the next `pairs` samples of both sides after the previous rounds' ones;
/// the three figures are derived from them (and recomputed when the file is read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbRound {
    /// Round number, from 0.
    pub round: u32,
    /// True when base was measured first in the visit's first pair (the pairs then
    /// alternate: base-first, head-first, … — A B B A A B …).
    pub base_first: bool,
    /// Number of (base, head) sample pairs of this visit.
    pub pairs: u32,
    /// Median of the base's samples of this visit, ns per iteration.
    pub base_p50_ns: f64,
    /// Median of the head's samples of this visit, ns per iteration.
    pub head_p50_ns: f64,
    /// Median over the visit's pairs of ln(head sample / base sample).
    pub log_ratio: f64,
}

impl AbRound {
    /// The round of `pairs` pairs given the visit's samples of both sides (parallel, in
    /// pair order); `None` when a sample is not a positive number of ns.
    pub fn of_pairs(round: u32, base_first: bool, base: &[f64], head: &[f64]) -> Option<AbRound> {
        let ok = |x: &f64| x.is_finite() && *x > 0.0;
        if base.len() != head.len() || base.is_empty() || !base.iter().chain(head).all(ok) {
            return None;
        }
        let ratios: Vec<f64> = base.iter().zip(head).map(|(b, h)| (h / b).ln()).collect();
        Some(AbRound {
            round,
            base_first,
            pairs: base.len() as u32,
            base_p50_ns: median(base),
            head_p50_ns: median(head),
            log_ratio: median(&ratios),
        })
    }
}

/// Median of finite values (log-ratios may be negative), as numpy's
/// `quantile(x, 0.5, method="linear")`; `x` is not empty.
fn median(x: &[f64]) -> f64 {
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * 0.5;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

impl AbBenchmark {
    /// Recomputes every round's figures from the samples of the benchmark's clock; the
    /// error names the first round whose pairs are missing or not positive.
    pub fn derive_rounds(&mut self) -> Result<(), String> {
        let (base, head) = (self.base.timed(self.clock), self.head.timed(self.clock));
        let mut at = 0usize;
        for r in &mut self.rounds {
            let end = at + r.pairs as usize;
            let derived = (end <= base.len() && end <= head.len())
                .then(|| AbRound::of_pairs(r.round, r.base_first, &base[at..end], &head[at..end]))
                .flatten();
            *r = derived.ok_or_else(|| {
                format!(
                    "round {}: its {} pairs are not positive samples of both sides (samples \
                     {at}..{end})",
                    r.round, r.pairs
                )
            })?;
            at = end;
        }
        Ok(())
    }
}

/// Each benchmark's per-round log-ratios, the series the stopping rule looks at: `None`
/// for a benchmark on one side only. The driver decides with it while running and the
/// gate again from the file, so both see the same series.
pub fn paired_series(benches: &[AbBenchmark]) -> Vec<Option<Vec<f64>>> {
    benches
        .iter()
        .map(|b| {
            (b.presence == Presence::Both).then(|| b.rounds.iter().map(|r| r.log_ratio).collect())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_round_is_the_median_of_its_pairs_log_ratios_which_may_be_negative() {
        // numpy: np.median(np.log([90/100, 105/100, 99/100, 120/100])) = 0.0193699141579653
        let r = AbRound::of_pairs(3, true, &[100.0; 4], &[90.0, 105.0, 99.0, 120.0]).unwrap();
        let want = ((0.99f64).ln() + (1.05f64).ln()) / 2.0;
        assert!((r.log_ratio - want).abs() < 1e-15, "{}", r.log_ratio);
        assert_eq!((r.pairs, r.base_p50_ns, r.head_p50_ns), (4, 100.0, 102.0));
        assert!(AbRound::of_pairs(0, true, &[1.0], &[0.0]).is_none());
        assert!(AbRound::of_pairs(0, true, &[1.0, 2.0], &[1.0]).is_none());
    }
}
