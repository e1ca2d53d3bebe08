//! Everything a person or a tool reads: one file per output format.

pub mod bless_table;
pub mod results_table;
pub mod stdout;
pub mod terminal;
pub mod units;
pub mod verdict_json;
