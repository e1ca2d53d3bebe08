//! Serde structs of the A/B results JSON (`perfgate ab --results-out`): the raw samples of
//! both sides per benchmark, in the order taken, and the per-round paired observations
//! derived from them, so every number of an A/B verdict can be recomputed.
//!
//! Version 3: within a visit base and head alternate sample by sample (A B B A A B …), so
//! sample i of the base and sample i of the head are taken one right after the other; a
//! round holds `pairs` consecutive pairs, and its observation is the median of log-ratios
//! of samples paired as `settings.pairing` says. Version 2 files (the same, paired by
//! index) are read as such. The look plan and the stopping rule of the run are in the
//! settings.

use serde::{Deserialize, Serialize};

use super::schema::{Env, ProcessMetrics};
use crate::stats::LookPlan;

/// Schema version of A/B results files.
pub const AB_RESULTS_SCHEMA: &str = "perfgate.ab-results.v3";

/// The previous schema version, still read: its rounds are paired by index.
pub const AB_RESULTS_SCHEMA_V2: &str = "perfgate.ab-results.v2";

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
    /// How a visit's samples are paired into log-ratios (version 2 files: by index).
    #[serde(default)]
    pub pairing: Pairing,
}

/// How the samples of a visit are paired into the log-ratios whose median is the round's
/// observation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pairing {
    /// Sample i of the base with sample i of the head: command suites (each run a fresh
    /// process, A B A B …) and files of schema version 2.
    #[default]
    Index,
    /// Worker visits, taken A B B A A B …: a sample is *warm* when its own side ran right
    /// before it (or it is its side's first of the visit, just re-warmed) and *cold* when
    /// the other side ran right before it and may have evicted its data from the caches
    /// (memory-bound kernels measured 22–36% slower on a 2-core Zen 4 VM). Each sample is paired with
    /// the next sample of the other side in the same state, so no log-ratio compares a
    /// cold sample with a warm one.
    SameState,
}

/// True when base comes first in pair `j` of a visit whose first pair is `base_first`: the
/// order alternates pair by pair (A B, B A, A B, …).
pub fn base_first_in_pair(base_first: bool, j: usize) -> bool {
    base_first ^ (j % 2 == 1)
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
    /// alternate: base-first, head-first, … — A B B A A B …; command suites: A B A B …).
    pub base_first: bool,
    /// Number of (base, head) sample pairs of this visit.
    pub pairs: u32,
    /// Median of the base's samples of this visit, ns per iteration.
    pub base_p50_ns: f64,
    /// Median of the head's samples of this visit, ns per iteration.
    pub head_p50_ns: f64,
    /// Median of ln(head sample / base sample) over the visit's samples paired as the
    /// run's [`Pairing`] says.
    pub log_ratio: f64,
}

impl AbRound {
    /// The round of `pairs` pairs given the visit's samples of both sides (parallel, in
    /// pair order), paired by `pairing`; `None` when a sample is not a positive number of
    /// ns.
    pub fn of_visit(
        pairing: Pairing,
        round: u32,
        base_first: bool,
        base: &[f64],
        head: &[f64],
    ) -> Option<AbRound> {
        let ok = |x: &f64| x.is_finite() && *x > 0.0;
        if base.len() != head.len() || base.is_empty() || !base.iter().chain(head).all(ok) {
            return None;
        }
        let ratios: Vec<f64> = match pairing {
            Pairing::Index => base.iter().zip(head).map(|(b, h)| (h / b).ln()).collect(),
            Pairing::SameState => same_state_ratios(base_first, base, head),
        };
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

/// The log-ratios of a visit taken A B B A A B … (see [`Pairing::SameState`]): walking the
/// samples in the order taken, each is paired with the previous sample in its state
/// (warm or cold) when that one is of the other side.
fn same_state_ratios(base_first: bool, base: &[f64], head: &[f64]) -> Vec<f64> {
    let mut ratios = Vec::with_capacity(base.len());
    let mut seen = [false; 2];
    let mut previous_side = None;
    // The last sample seen in each state (0 cold, 1 warm): (side, value); side 0 base.
    let mut last: [Option<(usize, f64)>; 2] = [None, None];
    for j in 0..base.len() {
        let order = match base_first_in_pair(base_first, j) {
            true => [0, 1],
            false => [1, 0],
        };
        for side in order {
            let x = [base[j], head[j]][side];
            let state = usize::from(!seen[side] || previous_side == Some(side));
            if let Some((other, y)) = last[state]
                && other != side
            {
                let (b, h) = if side == 1 { (y, x) } else { (x, y) };
                ratios.push((h / b).ln());
            }
            last[state] = Some((side, x));
            seen[side] = true;
            previous_side = Some(side);
        }
    }
    ratios
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
    /// Recomputes every round's figures from the samples of the benchmark's clock, paired
    /// by `pairing`; the error names the first round whose pairs are missing or not
    /// positive.
    pub fn derive_rounds(&mut self, pairing: Pairing) -> Result<(), String> {
        let (base, head) = (self.base.timed(self.clock), self.head.timed(self.clock));
        let mut at = 0usize;
        for r in &mut self.rounds {
            let end = at + r.pairs as usize;
            let derived = (end <= base.len() && end <= head.len())
                .then(|| {
                    let (b, h) = (&base[at..end], &head[at..end]);
                    AbRound::of_visit(pairing, r.round, r.base_first, b, h)
                })
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
        let of =
            |base: &[f64], head: &[f64]| AbRound::of_visit(Pairing::Index, 3, true, base, head);
        let r = of(&[100.0; 4], &[90.0, 105.0, 99.0, 120.0]).unwrap();
        let want = ((0.99f64).ln() + (1.05f64).ln()) / 2.0;
        assert!((r.log_ratio - want).abs() < 1e-15, "{}", r.log_ratio);
        assert_eq!((r.pairs, r.base_p50_ns, r.head_p50_ns), (4, 100.0, 102.0));
        assert!(of(&[1.0], &[0.0]).is_none());
        assert!(of(&[1.0, 2.0], &[1.0]).is_none());
    }

    #[test]
    fn pairs_alternate_their_order_a_b_b_a() {
        let firsts: Vec<bool> = (0..4).map(|j| base_first_in_pair(true, j)).collect();
        assert_eq!(firsts, [true, false, true, false]);
        assert!(!base_first_in_pair(false, 0) && base_first_in_pair(false, 1));
    }

    #[test]
    fn same_state_pairing_never_compares_a_cold_sample_with_a_warm_one() {
        // Taken A0 B0 | B1 A1 | A2 B2 | B3 A3: warm (own side just ran, or first of the
        // side) A0 B0 B1 A2 B3; cold A1 B2 A3. Warm samples 100 (base) and 101 (head), cold
        // 150 and 153: by index every pair mixes the states from pair 1 on.
        let base = [100.0, 150.0, 100.0, 150.0];
        let head = [101.0, 101.0, 153.0, 101.0];
        let r = AbRound::of_visit(Pairing::SameState, 0, true, &base, &head).unwrap();
        // Warm pairs (A0,B0) (B1,A2) (A2,B3): ln 1.01 each; cold (A1,B2) (B2,A3): ln 1.02.
        let want = 1.01f64.ln();
        assert!((r.log_ratio - want).abs() < 1e-15, "{}", r.log_ratio);
        let ratios = same_state_ratios(true, &base, &head);
        assert_eq!(ratios.len(), 5);
        assert_eq!(
            ratios
                .iter()
                .filter(|x| (**x - 1.02f64.ln()).abs() < 1e-12)
                .count(),
            2
        );
        let by_index = AbRound::of_visit(Pairing::Index, 0, true, &base, &head).unwrap();
        assert!(by_index.log_ratio < -0.1, "{}", by_index.log_ratio);
        // Head first: B0 A0 | A1 B1: warm B0 A0 A1, cold B1.
        assert_eq!(
            same_state_ratios(false, &[10.0, 10.0], &[11.0, 30.0]),
            [1.1f64.ln()]
        );
        // One pair: both just re-warmed.
        assert_eq!(same_state_ratios(true, &[10.0], &[12.0]), [1.2f64.ln()]);
    }
}
