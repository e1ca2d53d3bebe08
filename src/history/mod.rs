//! History on main: a store of per-commit results (one file per run, git-friendly), the
//! series it holds, change-point checks over them, and Otava CSV input.

mod check;
mod csv;
mod ops;
mod record;
mod series;
mod store;

#[cfg(test)]
mod tests;

pub use check::{CheckOutcome, Finding, check};
pub use csv::read_otava_csv;
pub use ops::{add_results, load_history};
pub use record::{HISTORY_SCHEMA, Metric, Points, RunRecord, machine_class};
pub use series::{CommitInfo, History, Series, SeriesKey};
pub use store::{AckRecord, Added, HistoryError, Store};
