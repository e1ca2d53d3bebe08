//! Simulated A/B series for the sequential stopping rule: per benchmark and round a
//! log-ratio with heavy-tailed noise (Student t with 3 degrees of freedom) and +35% bursts
//! (a round in which one side caught one of the host's slow episodes), so its false-alarm
//! rate and its power can be checked without a machine. `cargo test` runs a reduced size;
//! `examples/ab_sequential_sim.rs` (scripts/ab-sequential-sim.sh) the full one.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::sequential::{Call, LookPlan, StopRule, sequential_calls};

/// Per-round noise scale (fraction) of each simulated benchmark: 18, from 0.3% to 5%,
/// the spread of per-round log-ratios seen on the 2-core host (FIELD-NOTES).
pub const SIM_SCALES: [f64; 18] = [
    0.003, 0.004, 0.005, 0.005, 0.006, 0.008, 0.008, 0.01, 0.01, 0.012, 0.015, 0.015, 0.02, 0.025,
    0.03, 0.035, 0.04, 0.05,
];

/// What a simulation is asked to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimSettings {
    /// Number of simulated A/B runs.
    pub series: usize,
    /// Maximum rounds (the look plan is [`LookPlan::default_for`] of it).
    pub max_rounds: u32,
    /// Chance that a round is hit by a burst on one side (±ln 1.35, random sign).
    pub burst_rate: f64,
    /// True change of benchmark 0 (log scale; 0 for A/A).
    pub shift_first: f64,
    /// Seed of the noise.
    pub seed: u64,
}

/// Counts over the simulated runs.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SimCounts {
    /// Runs that flagged anything among the benchmarks with no true change.
    pub false_alarm_runs: usize,
    /// Runs in which benchmark 0 was called a regression.
    pub first_caught: usize,
    /// Benchmark checks (no true change) called unchanged.
    pub unchanged: usize,
    /// Benchmark checks with no true change.
    pub null_checks: usize,
    /// Rounds spent over all benchmarks and runs (each stops at its deciding look).
    pub rounds_spent: usize,
}

/// Runs the simulation with `rule` over the 18 benchmarks of [`SIM_SCALES`].
pub fn simulate(s: SimSettings, rule: StopRule) -> SimCounts {
    let plan = LookPlan::default_for(s.max_rounds);
    let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
    let mut counts = SimCounts::default();
    for _ in 0..s.series {
        let series: Vec<Vec<f64>> = SIM_SCALES
            .iter()
            .enumerate()
            .map(|(j, &scale)| {
                let shift = if j == 0 { s.shift_first } else { 0.0 };
                (0..s.max_rounds)
                    .map(|_| shift + scale * student_t3(&mut rng) + burst(&mut rng, s.burst_rate))
                    .collect()
            })
            .collect();
        let views: Vec<Option<&[f64]>> = series.iter().map(|x| Some(x.as_slice())).collect();
        let calls = sequential_calls(&views, &plan, rule);
        let mut alarm = false;
        for (j, looked) in calls.iter().enumerate() {
            let looked = looked.expect("every series reaches every look");
            counts.rounds_spent += looked.rounds;
            let flagged = matches!(looked.call, Call::Regression | Call::Improvement);
            if j == 0 && s.shift_first != 0.0 {
                counts.first_caught += usize::from(looked.call == Call::Regression);
                continue;
            }
            alarm |= flagged;
            counts.null_checks += 1;
            counts.unchanged += usize::from(looked.call == Call::Unchanged);
        }
        counts.false_alarm_runs += usize::from(alarm);
    }
    counts
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A Student t draw with 3 degrees of freedom, scaled to unit variance (its variance is 3).
fn student_t3(rng: &mut ChaCha8Rng) -> f64 {
    let z = normal(rng);
    let chi2: f64 = (0..3).map(|_| normal(rng).powi(2)).sum();
    z / (chi2 / 3.0).sqrt() / 3f64.sqrt()
}

/// ±ln 1.35 with probability `rate`, else 0.
fn burst(rng: &mut ChaCha8Rng, rate: f64) -> f64 {
    if rng.random::<f64>() >= rate {
        return 0.0;
    }
    let sign = if rng.random::<bool>() { 1.0 } else { -1.0 };
    sign * 1.35f64.ln()
}
