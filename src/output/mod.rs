//! Everything a person or a tool reads: one file per output format.

pub mod bless_table;
pub mod github_actions;
pub mod instructions_table;
pub mod markdown;
pub mod model_comparison;
pub mod results_table;
pub mod stdout;
pub mod terminal;
pub mod units;
pub mod verdict_json;
