//! Change-point detection over a series of per-commit values: `otava` (an exact port of
//! Apache Otava 0.8's `compute_change_points`) and `robust` (the default: a rank scan on
//! the log scale). Both report, per change point, its index, the level before and after,
//! and a p-value.

mod edivisive;
mod numpy;
pub mod otava;
pub mod robust;

#[cfg(test)]
mod tests;

pub use otava::{OtavaChangePoint, OtavaOptions, compute_change_points};
pub use robust::{RobustChangePoint, RobustOptions};

/// Which detector to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Rank scan on the log scale (default): robust to slow points, incremental.
    Robust,
    /// Apache Otava 0.8's E-divisive means with a Student-t test, reproduced exactly.
    Otava,
}

/// Parameters shared by both methods (each method's defaults fill what is not given).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DetectParams {
    /// Window length (otava: `window_len`; robust: points per side).
    pub window: Option<usize>,
    /// Largest accepted p-value.
    pub max_pvalue: Option<f64>,
    /// Smallest accepted relative change.
    pub min_magnitude: Option<f64>,
}

/// A change point in method-independent form.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ChangePoint {
    /// Index of the first point after the change.
    pub index: usize,
    /// Level before (otava: mean; robust: median of the window).
    pub level_before: f64,
    /// Level after.
    pub level_after: f64,
    /// Relative change, after / before − 1.
    pub change: f64,
    /// p-value of the split.
    pub pvalue: f64,
}

/// Runs `method` over `series` with `params`.
pub fn detect(series: &[f64], method: Method, params: &DetectParams) -> Vec<ChangePoint> {
    let rel = |before: f64, after: f64| {
        if before == 0.0 {
            0.0
        } else {
            after / before - 1.0
        }
    };
    match method {
        Method::Otava => {
            let d = OtavaOptions::default();
            let opts = OtavaOptions {
                window_len: params.window.unwrap_or(d.window_len),
                max_pvalue: params.max_pvalue.unwrap_or(d.max_pvalue),
                min_magnitude: params.min_magnitude.unwrap_or(d.min_magnitude),
            };
            compute_change_points(series, &opts)
                .into_iter()
                .map(|c| ChangePoint {
                    index: c.index,
                    level_before: c.mean_before,
                    level_after: c.mean_after,
                    change: c.forward_rel_change(),
                    pvalue: c.pvalue,
                })
                .collect()
        }
        Method::Robust => {
            let d = RobustOptions::default();
            let opts = RobustOptions {
                window: params.window.unwrap_or(d.window),
                max_pvalue: params.max_pvalue.unwrap_or(d.max_pvalue),
                min_magnitude: params.min_magnitude.unwrap_or(d.min_magnitude),
                ..d
            };
            robust::detect(series, &opts)
                .into_iter()
                .map(|c| ChangePoint {
                    index: c.index,
                    level_before: c.level_before,
                    level_after: c.level_after,
                    change: rel(c.level_before, c.level_after),
                    pvalue: c.pvalue,
                })
                .collect()
        }
    }
}
