//! What a comparison is given: the baseline (or the fact that there is none), the
//! candidate run and the thresholds.

use super::Thresholds;
use crate::baseline::BaselineFile;
use crate::results::ResultsFile;

/// The baseline side of a comparison.
#[derive(Debug, Clone, Copy)]
pub enum BaselineInput<'a> {
    /// A loaded baseline and the file it came from.
    Loaded {
        /// The baseline.
        baseline: &'a BaselineFile,
        /// Its file, as shown to people.
        file: &'a str,
    },
    /// No baseline exists yet; `expected` is the file that was looked for.
    Missing {
        /// The path a baseline for this machine would have.
        expected: &'a str,
    },
}

/// One comparison to make.
#[derive(Debug, Clone, Copy)]
pub struct Comparison<'a> {
    /// The baseline, or the fact that there is none.
    pub baseline: BaselineInput<'a>,
    /// The candidate run.
    pub candidate: &'a ResultsFile,
    /// The candidate's file ("-" for a fresh run not written to disk).
    pub candidate_file: &'a str,
    /// The thresholds to apply.
    pub thresholds: &'a Thresholds,
}
