//! The gate: thresholds.toml, the per-check decision and the whole comparison of a
//! candidate run against a baseline, producing a [`crate::verdict::Verdict`].

mod limits;
mod thresholds;

pub use limits::{
    InconclusivePolicy, Limits, MachinePolicy, MissingPolicy, NewPolicy, describe_percent,
    parse_percent,
};
pub use thresholds::Thresholds;
