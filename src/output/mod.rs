//! Everything a person or a tool reads: one file per output format.

pub mod github_actions;
pub mod markdown;
pub mod results_table;
pub mod stdout;
pub mod units;
