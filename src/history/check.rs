//! `history check`: change points of every series, matched against acknowledgements.

use rayon::prelude::*;
use serde::Serialize;

use super::series::{History, SeriesKey};
use crate::stats::changepoint::{ChangePoint, DetectParams, Method, detect};

/// One change point of one series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The series.
    pub series: SeriesKey,
    /// The first commit after the change.
    pub commit: String,
    /// Position of that commit in the series (0-based).
    pub index: usize,
    /// Level before.
    pub level_before: f64,
    /// Level after.
    pub level_after: f64,
    /// Relative change, after / before − 1.
    pub change: f64,
    /// p-value of the split.
    pub pvalue: f64,
    /// Whether the series got worse (every stored metric is lower-is-better).
    pub regression: bool,
    /// Whether `history ack` covers it.
    pub acknowledged: bool,
}

/// The outcome of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckOutcome {
    /// The method used.
    pub method: Method,
    /// Series examined.
    pub series_checked: usize,
    /// Points examined over all series.
    pub points: usize,
    /// Every change point, by series then index.
    pub change_points: Vec<Finding>,
}

impl CheckOutcome {
    /// The regressions no acknowledgement covers: these fail the check.
    pub fn unacknowledged_regressions(&self) -> impl Iterator<Item = &Finding> {
        self.change_points
            .iter()
            .filter(|f| f.regression && !f.acknowledged)
    }
}

/// Runs `method` over every series of `history` (in parallel).
pub fn check(history: &History, method: Method, params: &DetectParams) -> CheckOutcome {
    let per_series: Vec<Vec<Finding>> = history
        .series
        .par_iter()
        .map(|s| {
            detect(&s.values, method, params)
                .into_iter()
                .map(|cp: ChangePoint| {
                    let commit = history.commits[s.commits[cp.index] as usize].commit.clone();
                    let acknowledged = history
                        .acks
                        .iter()
                        .any(|a| a.covers(&commit, &s.key.benchmark));
                    Finding {
                        series: s.key.clone(),
                        commit,
                        index: cp.index,
                        level_before: cp.level_before,
                        level_after: cp.level_after,
                        change: cp.change,
                        pvalue: cp.pvalue,
                        regression: cp.change > 0.0,
                        acknowledged,
                    }
                })
                .collect()
        })
        .collect();
    CheckOutcome {
        method,
        series_checked: history.series.len(),
        points: history.series.iter().map(|s| s.values.len()).sum(),
        change_points: per_series.into_iter().flatten().collect(),
    }
}
