//! The order samples are taken in. Interleaved: randomized rounds, each visiting every
//! benchmark for a few samples, so slow drift of the machine spreads over all benchmarks
//! (randomized multiple interleaved trials, Abedi & Brecht, ICPE 2017). Sequential: all
//! samples of one benchmark, then the next.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::cli::Schedule;

/// Samples taken per visit of a benchmark in interleaved mode.
pub const SAMPLES_PER_VISIT: u32 = 5;

/// One visit: take `samples` samples of benchmark `bench`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    /// Index of the benchmark in the run's list.
    pub bench: usize,
    /// Samples to take in this visit.
    pub samples: u32,
}

/// The visits of a run of `benches` benchmarks with `samples` samples each.
pub fn plan(benches: usize, samples: u32, schedule: Schedule, seed: u64) -> Vec<Visit> {
    match schedule {
        Schedule::Sequential => (0..benches).map(|bench| Visit { bench, samples }).collect(),
        Schedule::Interleaved => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut visits = Vec::new();
            let mut left = samples;
            while left > 0 {
                let take = left.min(SAMPLES_PER_VISIT);
                let mut order: Vec<usize> = (0..benches).collect();
                order.shuffle(&mut rng);
                visits.extend(order.into_iter().map(|bench| Visit {
                    bench,
                    samples: take,
                }));
                left -= take;
            }
            visits
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples_per_bench(visits: &[Visit], benches: usize) -> Vec<u32> {
        let mut n = vec![0; benches];
        for v in visits {
            n[v.bench] += v.samples;
        }
        n
    }

    #[test]
    fn every_benchmark_gets_all_its_samples() {
        for schedule in [Schedule::Interleaved, Schedule::Sequential] {
            let visits = plan(4, 12, schedule, 7);
            assert_eq!(samples_per_bench(&visits, 4), vec![12; 4]);
        }
    }

    #[test]
    fn interleaved_rounds_are_shuffled_and_seeded() {
        let a = plan(6, 20, Schedule::Interleaved, 1);
        assert_eq!(a, plan(6, 20, Schedule::Interleaved, 1));
        assert_ne!(a, plan(6, 20, Schedule::Interleaved, 2));
        // Four rounds of six visits, each round a permutation of all benchmarks.
        assert_eq!(a.len(), 24);
        for round in a.chunks(6) {
            let mut ids: Vec<usize> = round.iter().map(|v| v.bench).collect();
            ids.sort_unstable();
            assert_eq!(ids, (0..6).collect::<Vec<_>>());
        }
    }

    #[test]
    fn sequential_keeps_suite_order() {
        let v = plan(3, 10, Schedule::Sequential, 0);
        assert_eq!(v.iter().map(|v| v.bench).collect::<Vec<_>>(), vec![0, 1, 2]);
    }
}
