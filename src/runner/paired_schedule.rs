//! The order of an A/B run: rounds; in each round every benchmark is visited once, in a
//! random order; within a visit base and head are measured one after the other, in an
//! order that is balanced per benchmark: rounds 2k and 2k+1 have opposite orders (which
//! one comes first is random), so base-first and head-first differ by at most one at any
//! round count — also when a time budget cuts the run short. [`run_stages`] drives the
//! rounds in stages up to each look, for the built-in suite's workers and for command
//! suites alike.

use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::results::{AbBenchmark, paired_series};
use crate::stats::{LookPlan, StopRule, sequential_calls};

/// One visit of an A/B round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairedVisit {
    /// Index of the benchmark in the run's list.
    pub bench: usize,
    /// True when base is measured before head in this visit.
    pub base_first: bool,
}

/// A side of an A/B run; its value indexes per-side arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairedSide {
    /// The base of the change.
    Base = 0,
    /// The head of the change.
    Head = 1,
}

impl PairedSide {
    /// "base" or "head".
    pub fn name(self) -> &'static str {
        match self {
            PairedSide::Base => "base",
            PairedSide::Head => "head",
        }
    }
}

/// The rounds of an A/B run of `benches` benchmarks, `rounds` rounds, seeded.
pub fn paired_plan(benches: usize, rounds: u32, seed: u64) -> Vec<Vec<PairedVisit>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut first_of_pair = vec![false; benches];
    (0..rounds)
        .map(|round| {
            let mut order: Vec<usize> = (0..benches).collect();
            order.shuffle(&mut rng);
            order
                .into_iter()
                .map(|bench| {
                    let base_first = if round % 2 == 0 {
                        first_of_pair[bench] = rng.random::<bool>();
                        first_of_pair[bench]
                    } else {
                        !first_of_pair[bench]
                    };
                    PairedVisit { bench, base_first }
                })
                .collect()
        })
        .collect()
}

/// The time budget of an A/B run, spent in stages (the rounds up to the next look): before
/// each stage after the first, whether it would end past the budget, estimated from the
/// benchmarks still open — each at its mean visit time so far — plus the last round's
/// own cost (new worker processes, set-up).
#[derive(Debug)]
pub struct StageBudget {
    budget: Option<Duration>,
    start: Instant,
    /// Per benchmark: total visit time so far and number of visits.
    visits: Vec<(Duration, u32)>,
    round_start: Instant,
    round_visits: Duration,
    overhead: Duration,
}

impl StageBudget {
    /// Starts the clock for `benches` benchmarks; `None` is no budget.
    pub fn start(budget: Option<Duration>, benches: usize) -> Self {
        let now = Instant::now();
        StageBudget {
            budget,
            start: now,
            visits: vec![(Duration::ZERO, 0); benches],
            round_start: now,
            round_visits: Duration::ZERO,
            overhead: Duration::ZERO,
        }
    }

    /// Called as a round's visits start (after [`PairedRounds::start_round`], so the
    /// estimate leaves out the start of a round's fresh worker processes: the measured
    /// figures of docs/evaluation.md were taken with it so).
    pub fn round_started(&mut self) {
        self.round_start = Instant::now();
        self.round_visits = Duration::ZERO;
    }

    /// Records that one visit of benchmark `bench` took `took`.
    pub fn visited(&mut self, bench: usize, took: Duration) {
        let v = &mut self.visits[bench];
        v.0 += took;
        v.1 += 1;
        self.round_visits += took;
    }

    /// Called after a round: what it cost besides its visits.
    pub fn round_ended(&mut self) {
        self.overhead = self.round_start.elapsed().saturating_sub(self.round_visits);
    }

    /// Before a stage of `rounds` rounds of the `open` benchmarks, `done` rounds into the
    /// run: the note to add and stop with when it would end past the budget, else `None`.
    pub fn before_stage(&self, rounds: usize, open: &[usize], done: usize) -> Option<String> {
        let budget = self.budget?;
        let per_round: Duration = self.overhead
            + open
                .iter()
                .map(|&b| match self.visits[b] {
                    (_, 0) => Duration::ZERO,
                    (total, n) => total / n,
                })
                .sum::<Duration>();
        let expected = per_round * rounds as u32;
        (self.start.elapsed() + expected > budget).then(|| {
            format!(
                "time budget of {:.0} s reached after {done} rounds: {} benchmark{} still \
                 open (the next {rounds} rounds would take about {:.0} s)",
                budget.as_secs_f64(),
                open.len(),
                if open.len() == 1 { "" } else { "s" },
                expected.as_secs_f64()
            )
        })
    }
}

/// Settings of the staged rounds of a paired run.
#[derive(Debug, Clone)]
pub struct Stages {
    /// Most rounds a benchmark can take (its last look; the plan's length).
    pub rounds: u32,
    /// Seed of the plan (and, for the built-in suite, of the benchmarks' inputs).
    pub seed: u64,
    /// Start no stage (the rounds up to the next look) expected to end after this.
    pub time_budget: Option<Duration>,
    /// The looks and their spending ([`LookPlan::default_for`] of `rounds` by default).
    pub looks: LookPlan,
    /// The stopping rule (`[ab] alpha` and `[ab] p50` of the thresholds).
    pub rule: StopRule,
}

/// What the staged rounds need from a paired run (the built-in suite's workers, or a
/// command suite's processes).
pub trait PairedRounds {
    /// The benchmarks' records as they stand: rounds so far, samples, errors.
    fn benches(&self) -> &[AbBenchmark];
    /// Before round `round` (0-based), with the benchmarks still open.
    fn start_round(&mut self, round: usize, open: &[bool]);
    /// One visit of an open benchmark that has not failed.
    fn visit(&mut self, round: usize, visit: PairedVisit, open: &[bool]);
}

/// Runs the rounds of [`paired_plan`] in stages up to each look of `s.looks`. At each look
/// the benchmarks decided there (src/stats/sequential.rs) stop; before a stage after the
/// first, the run ends when [`StageBudget`] expects the stage to end past the budget. `open`
/// holds the benchmarks to measure (paired ones) and is updated as they stop. Returns the
/// rounds done and the budget's note when the budget ended the run.
pub fn run_stages(
    s: &Stages,
    open: &mut [bool],
    run: &mut impl PairedRounds,
    progress: &mut impl FnMut(&str),
) -> (usize, Option<String>) {
    let n = open.len();
    let plan = paired_plan(n, s.rounds, s.seed);
    let mut budget = StageBudget::start(s.time_budget, n);
    let mut rounds_done = 0usize;
    for (k, &look) in s.looks.looks.iter().enumerate() {
        let look = (look as usize).min(plan.len());
        let still: Vec<usize> = (0..n)
            .filter(|&i| open[i] && run.benches()[i].error.is_none())
            .collect();
        if still.is_empty() {
            break;
        }
        if k > 0
            && let Some(note) = budget.before_stage(look - rounds_done, &still, rounds_done)
        {
            return (rounds_done, Some(note));
        }
        for (round, visits) in plan.iter().enumerate().take(look).skip(rounds_done) {
            progress(&format!(
                "round {}/{} ({} benchmarks open)",
                round + 1,
                s.rounds,
                still.len()
            ));
            run.start_round(round, open);
            budget.round_started();
            for &visit in visits {
                if !open[visit.bench] || run.benches()[visit.bench].error.is_some() {
                    continue;
                }
                let started = Instant::now();
                run.visit(round, visit, open);
                budget.visited(visit.bench, started.elapsed());
            }
            rounds_done = round + 1;
            budget.round_ended();
        }
        // The look: every benchmark decided here stops.
        let series = paired_series(run.benches());
        let views: Vec<Option<&[f64]>> = series.iter().map(|s| s.as_deref()).collect();
        for (i, looked) in sequential_calls(&views, &s.looks, s.rule)
            .iter()
            .enumerate()
        {
            if looked.is_some_and(|l| l.look == k && l.call.decided()) {
                open[i] = false;
            }
        }
    }
    (rounds_done, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_benchmark_gets_every_round_once() {
        let plan = paired_plan(5, 9, 3);
        assert_eq!(plan.len(), 9);
        for round in &plan {
            let mut benches: Vec<usize> = round.iter().map(|v| v.bench).collect();
            benches.sort_unstable();
            assert_eq!(benches, [0, 1, 2, 3, 4]);
        }
    }

    #[test]
    fn base_and_head_order_is_balanced_at_every_cut() {
        let plan = paired_plan(4, 20, 11);
        for cut in 1..=plan.len() {
            for bench in 0..4 {
                let base_first = plan[..cut]
                    .iter()
                    .flatten()
                    .filter(|v| v.bench == bench && v.base_first)
                    .count();
                let head_first = cut - base_first;
                assert!(
                    base_first.abs_diff(head_first) <= 1,
                    "cut {cut} bench {bench}"
                );
                if cut == 20 {
                    assert_eq!(base_first, 10);
                }
            }
        }
    }

    #[test]
    fn order_is_randomized_and_seeded() {
        let a = paired_plan(6, 10, 1);
        assert_eq!(a, paired_plan(6, 10, 1));
        assert_ne!(a, paired_plan(6, 10, 2));
        let first: Vec<usize> = a.iter().map(|r| r[0].bench).collect();
        assert!(first.iter().any(|&b| b != first[0]), "{first:?}");
    }

    #[test]
    fn a_stage_that_would_overrun_the_budget_is_not_started_and_named() {
        let none = StageBudget::start(None, 2);
        assert_eq!(none.before_stage(4, &[0, 1], 8), None);
        let mut b = StageBudget::start(Some(Duration::from_secs(3600)), 2);
        b.round_started();
        b.visited(0, Duration::from_secs(100));
        b.visited(1, Duration::from_secs(1));
        b.round_ended();
        assert_eq!(b.before_stage(4, &[0, 1], 8), None, "404 s fit in an hour");
        let tight = StageBudget {
            budget: Some(Duration::from_secs(10)),
            ..b
        };
        assert_eq!(tight.before_stage(4, &[1], 8), None);
        assert_eq!(
            tight.before_stage(4, &[0, 1], 8).as_deref(),
            Some(
                "time budget of 10 s reached after 8 rounds: 2 benchmarks still open (the \
                 next 4 rounds would take about 404 s)"
            )
        );
    }
}
