//! Everything a person or a tool reads: one file per output format.

pub mod results_table;
pub mod stdout;
pub mod units;
