//! The measuring settings of `perfgate ab`, validated from its flags (shared by the
//! built-in suite and command suites).

use std::time::Duration;

use super::measure::filter_regex;
use crate::cli::{AbCommand, ClockChoice};
use crate::error::InputError;
use crate::gate::{Thresholds, stop_rule};
use crate::results::Clock;
use crate::runner::{Pin, Stages, resolve_pin};
use crate::stats::LookPlan;
use crate::worker::{AbConfig, ReplyTimeout};

/// Validates the measuring flags; the stopping rule comes from the thresholds' `[ab]`.
/// Defaults: at most 28 rounds (16 with `--quick`), 12 pairs of 1 ms samples per visit (8),
/// and a time budget for the rounds of 55 s (26 s: about 26 s of wall time for the full
/// suite on a 2-core Zen 4 VM, where a 20 s budget left 85% of A/A checks inconclusive and
/// 26 s leaves 76%). The full suite must reach the look at 16 rounds: with 18 benchmarks at
/// alpha 0.01 the exact signed-rank test cannot call a change before it. With 16 pairs and 45 s runs ended at 12 rounds and a +10% gelu head was called
/// in 0 of 2 runs; with 12 pairs and 55 s they reach 16 rounds (+10% and +3% caught).
pub fn config(cmd: &AbCommand, t: &Thresholds) -> Result<AbConfig, InputError> {
    let (rounds, samples, sample_ms, warmup_ms, rewarm_ms, budget_s) = match cmd.quick {
        true => (16, 8, 1, 50, 2, 26.0),
        false => (28, 12, 1, 200, 5, 55.0),
    };
    let positive = |v: Option<u64>, default: u64, flag: &str| match v.unwrap_or(default) {
        0 => Err(InputError::flag(flag, "must be at least 1")),
        n => Ok(n),
    };
    let rounds = positive(cmd.rounds.map(u64::from), rounds, "--rounds")? as u32;
    let samples = positive(cmd.samples.map(u64::from), samples, "--samples")? as u32;
    let sample_ms = positive(cmd.sample_ms, sample_ms, "--sample-ms")?;
    let time_budget = match Duration::try_from_secs_f64(cmd.time_budget.unwrap_or(budget_s)) {
        Ok(d) if !d.is_zero() => Some(d),
        _ => {
            return Err(InputError::flag(
                "--time-budget",
                "must be a positive number of seconds",
            ));
        }
    };
    let reply_timeout = match cmd.worker_timeout {
        None => ReplyTimeout::Derived,
        Some(s) => match Duration::try_from_secs_f64(s) {
            Ok(d) if s > 0.0 => ReplyTimeout::Fixed(d),
            _ => {
                return Err(InputError::flag(
                    "--worker-timeout",
                    "must be a positive number of seconds",
                ));
            }
        },
    };
    let filter = filter_regex(cmd.filter.as_deref())?;
    Ok(AbConfig {
        stages: Stages {
            rounds,
            seed: cmd.seed,
            time_budget,
            looks: LookPlan::default_for(rounds),
            rule: stop_rule(t),
        },
        samples_per_visit: samples,
        warmup: Duration::from_millis(cmd.warmup_ms.unwrap_or(warmup_ms)),
        rewarm: Duration::from_millis(rewarm_ms),
        sample_target: Duration::from_millis(sample_ms),
        core: resolve_pin(Pin::parse(&cmd.pin)?)?,
        filter,
        reply_timeout,
        clock: match cmd.clock {
            ClockChoice::Cpu => Clock::Cpu,
            ClockChoice::Wall => Clock::Wall,
        },
    })
}

/// The settings for a command suite: as [`config`], but a sample is one run of a command
/// (often far longer than a millisecond), so the defaults are those of before — 3 runs per
/// side per visit (2 with `--quick`), at most 20 rounds (14) — and no time budget unless
/// `--time-budget` is given.
pub fn suite_config(cmd: &AbCommand, t: &Thresholds) -> Result<AbConfig, InputError> {
    let mut c = config(cmd, t)?;
    if cmd.samples.is_none() {
        c.samples_per_visit = if cmd.quick { 2 } else { 3 };
    }
    if cmd.rounds.is_none() {
        c.stages.rounds = if cmd.quick { 14 } else { 20 };
        c.stages.looks = LookPlan::default_for(c.stages.rounds);
    }
    if cmd.time_budget.is_none() {
        c.stages.time_budget = None;
    }
    Ok(c)
}
