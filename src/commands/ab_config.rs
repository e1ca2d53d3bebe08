//! The measuring settings of `perfgate ab`, validated from its flags (shared by the
//! built-in suite and command suites).

use std::time::Duration;

use super::measure::filter_regex;
use crate::cli::{AbCommand, ClockChoice};
use crate::error::InputError;
use crate::results::Clock;
use crate::runner::{Pin, resolve_pin};
use crate::worker::{AbConfig, ReplyTimeout};

/// Validates the measuring flags.
pub fn config(cmd: &AbCommand) -> Result<AbConfig, InputError> {
    let (rounds, samples, sample_ms, warmup_ms, rewarm_ms) = match cmd.quick {
        true => (14, 2, 5, 50, 2),
        false => (20, 3, 10, 200, 5),
    };
    let positive = |v: Option<u64>, default: u64, flag: &str| match v.unwrap_or(default) {
        0 => Err(InputError::flag(flag, "must be at least 1")),
        n => Ok(n),
    };
    let rounds = positive(cmd.rounds.map(u64::from), rounds, "--rounds")? as u32;
    let samples = positive(cmd.samples.map(u64::from), samples, "--samples")? as u32;
    let sample_ms = positive(cmd.sample_ms, sample_ms, "--sample-ms")?;
    let time_budget = cmd
        .time_budget
        .map(|s| match Duration::try_from_secs_f64(s) {
            Ok(d) if s > 0.0 => Ok(d),
            _ => Err(InputError::flag(
                "--time-budget",
                "must be a positive number of seconds",
            )),
        })
        .transpose()?;
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
        rounds,
        samples_per_visit: samples,
        warmup: Duration::from_millis(cmd.warmup_ms.unwrap_or(warmup_ms)),
        rewarm: Duration::from_millis(rewarm_ms),
        sample_target: Duration::from_millis(sample_ms),
        seed: cmd.seed,
        core: resolve_pin(Pin::parse(&cmd.pin)?)?,
        time_budget,
        filter,
        reply_timeout,
        clock: match cmd.clock {
            ClockChoice::Cpu => Clock::Cpu,
            ClockChoice::Wall => Clock::Wall,
        },
    })
}
