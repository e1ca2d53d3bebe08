//! The gate: thresholds.toml, the per-check decision and the whole comparison of a
//! candidate run against a baseline, producing a [`crate::verdict::Verdict`].

mod compare;
pub mod confirm;
pub mod decide;
mod input;
pub mod instructions;
mod limits;
pub mod noise;
pub mod noisy_run;
pub mod paired;
mod summary;
mod thresholds;
mod timing;
mod within_run;

pub use compare::compare;
pub use input::{BaselineInput, Comparison};
pub use limits::{
    InconclusivePolicy, Limits, MachinePolicy, MissingPolicy, NewPolicy, TimingPolicy,
    describe_percent, parse_percent,
};
pub use paired::{ab_calls, gate_ab, status_of, stop_rule};
pub use summary::{SUITE_WIDE, headline};
pub use thresholds::Thresholds;
