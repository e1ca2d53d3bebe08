//! The gate: thresholds.toml, the per-check decision and the whole comparison of a
//! candidate run against a baseline, producing a [`crate::verdict::Verdict`].

mod compare;
pub mod decide;
mod limits;
pub mod noise;
mod parallel;
mod summary;
mod thresholds;

pub use compare::{BaselineInput, Comparison, compare};
pub use limits::{
    InconclusivePolicy, Limits, MachinePolicy, MissingPolicy, NewPolicy, describe_percent,
    parse_percent,
};
pub use summary::headline;
pub use thresholds::Thresholds;
