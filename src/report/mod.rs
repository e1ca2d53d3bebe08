//! `perfgate report`: reports people read, built from a results file (and a baseline with
//! the gate's verdict): Profile, Comparison, Models, Kernels and Variability, as Markdown
//! and as one self-contained HTML page with charts.
//!
//! Sections build a format-neutral document (`doc`) from the data; `markdown` and `html`
//! render it, so both formats always say the same thing.

mod charts;
mod comparison;
mod doc;
mod escape;
pub mod history;
mod html;
mod input;
mod kernels;
mod markdown;
mod models;
mod noise;
mod profile;
mod variability;

pub use charts::ChartError;
pub use input::{BaselineBenchmark, BaselineData, ReportInput};

use doc::Section;

/// The style sheet of perfgate's HTML pages (shared by the history trend report).
pub fn html_css() -> &'static str {
    html::CSS
}

/// Title of every report.
const TITLE: &str = "perfgate report";

/// All sections, in reading order.
fn sections(input: &ReportInput) -> Vec<Section> {
    vec![
        profile::section(input),
        comparison::section(input),
        models::section(input),
        kernels::section(input),
        variability::section(input),
    ]
}

/// Lines under the title: what was measured, where, when.
fn intro(input: &ReportInput) -> Vec<String> {
    let env = &input.results.env;
    let mut lines = vec![format!("Results: {}", input.results_file)];
    if let (Some(v), Some(b)) = (input.verdict, input.baseline) {
        let outcome = match v.verdict {
            crate::verdict::Outcome::Pass => "pass",
            crate::verdict::Outcome::Fail => "FAIL",
        };
        lines.push(format!(
            "Gate: {outcome} — {} (baseline {})",
            v.headline, b.file
        ));
    }
    if !env.cpu_model.is_empty() || env.logical_cores > 0 {
        lines.push(format!(
            "Machine: {}, {} logical cores, {}",
            if env.cpu_model.is_empty() {
                "unknown CPU"
            } else {
                &env.cpu_model
            },
            env.logical_cores,
            if env.os.is_empty() {
                "unknown OS"
            } else {
                &env.os
            }
        ));
    }
    if !env.timestamp.is_empty() {
        let commit = env
            .git_commit
            .as_deref()
            .map_or(String::new(), |c| format!(", commit {c}"));
        lines.push(format!("Measured: {}{commit}", env.timestamp));
    }
    if let Some(s) = &input.results.settings {
        lines.push(format!(
            "Settings: {} samples per benchmark, {} ms warm-up, {} ms per sample, seed {}",
            s.samples, s.warmup_ms, s.sample_ms, s.seed
        ));
    }
    lines
}

/// The report as Markdown.
pub fn markdown(input: &ReportInput) -> String {
    markdown::render(TITLE, &intro(input), &sections(input))
}

/// The report as a self-contained HTML page with charts.
pub fn html(input: &ReportInput) -> Result<String, ChartError> {
    html::render(TITLE, &intro(input), &sections(input))
}

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

mod ab;
pub use ab::{AbReportInput, ab_html, ab_markdown};
