//! Baselines: the blessed runs a candidate is compared against (baselines/NAME.json).
//! Raw samples of every blessed run are kept, so every number can be recomputed.

mod build;
mod fingerprint;
mod io;
mod json_format;
mod quality;
mod runs;
mod schema;

pub use build::{BlessError, counts_only, from_runs};
pub use fingerprint::Fingerprint;
pub use io::{for_machine, load_baseline, parse_baseline, resolve, to_pretty_json, write_baseline};
pub use quality::{
    MAX_FACTOR_RANGE, MIN_RUNS, ONE_SITTING_S, bless_problems, bless_warnings, span_s,
};
pub use runs::blessed_runs;
pub use schema::{
    BASELINE_SCHEMA, BaselineBenchmark, BaselineFile, BaselineRun, Spread, StatSpread,
};
