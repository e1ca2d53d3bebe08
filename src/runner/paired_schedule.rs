//! The order of an A/B run: rounds; in each round every benchmark is visited once, in a
//! random order; within a visit base and head are measured one after the other, in an
//! order that is balanced per benchmark: rounds 2k and 2k+1 have opposite orders (which
//! one comes first is random), so base-first and head-first differ by at most one at any
//! round count — also when a time budget cuts the run short.

use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

/// The time budget of an A/B run: before each round after the first, whether the next
/// round (assumed as slow as the slowest so far) would end past the budget.
#[derive(Debug)]
pub struct RoundBudget {
    budget: Option<Duration>,
    start: Instant,
    slowest: Duration,
    round_start: Instant,
}

impl RoundBudget {
    /// Starts the clock; `None` is no budget.
    pub fn start(budget: Option<Duration>) -> Self {
        let now = Instant::now();
        RoundBudget {
            budget,
            start: now,
            slowest: Duration::ZERO,
            round_start: now,
        }
    }

    /// Called before round `round` (0-based) of `rounds`: the note to add and stop with
    /// when the budget is reached, else `None` (and the round's clock starts).
    pub fn before_round(&mut self, round: usize, rounds: u32) -> Option<String> {
        if let Some(budget) = self.budget
            && round > 0
            && self.start.elapsed() + self.slowest > budget
        {
            return Some(format!(
                "time budget of {:.0} s reached: {round} of {rounds} rounds done",
                budget.as_secs_f64()
            ));
        }
        self.round_start = Instant::now();
        None
    }

    /// Called after a round: remembers how long it took.
    pub fn after_round(&mut self) {
        self.slowest = self.slowest.max(self.round_start.elapsed());
    }
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
    fn the_budget_never_stops_the_first_round_and_names_the_rounds_done() {
        let mut none = RoundBudget::start(None);
        assert_eq!(none.before_round(3, 5), None);
        let mut spent = RoundBudget::start(Some(Duration::ZERO));
        assert_eq!(spent.before_round(0, 5), None);
        spent.after_round();
        assert_eq!(
            spent.before_round(1, 5).as_deref(),
            Some("time budget of 0 s reached: 1 of 5 rounds done")
        );
    }
}
