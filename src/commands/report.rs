//! `perfgate report`: read the results (and the baseline, gated with the thresholds), build
//! the report, write the Markdown (stdout by default) and the HTML page.

use std::collections::BTreeMap;
use std::path::Path;

use super::verdict_out::{BASELINES_DIR, load_thresholds};
use crate::baseline::{self, load_baseline};
use crate::cli::ReportCommand;
use crate::error::EXIT_PASS;
use crate::error::InputError;
use crate::gate::{self, BaselineInput, Comparison, gate_ab};
use crate::output::stdout;
use crate::report::{self, BaselineData, ReportInput};
use crate::results::{is_ab_results, load_ab_results, load_results, write_atomic};

/// Runs `perfgate report`. Every input is read and the whole report rendered before
/// anything is written. Exits 0: a report describes, it does not gate.
/// An A/B results file gets the A/B report (`ab_files`).
pub fn run(cmd: ReportCommand) -> anyhow::Result<i32> {
    if is_ab_results(&cmd.results) {
        return ab_report(&cmd);
    }
    if let Some(arg) = &cmd.baseline {
        let path = baseline::resolve(arg, Path::new(BASELINES_DIR));
        if is_ab_results(&path) {
            return Err(super::ab_files::one_file_only(&path, "report").into());
        }
    }
    let results = load_results(&cmd.results)?;
    let results_file = cmd.results.display().to_string();
    let thresholds = load_thresholds(&cmd.thresholds)?;
    let mut limits = BTreeMap::new();
    for b in &results.benchmarks {
        limits.insert(b.name.clone(), thresholds.for_benchmark(&b.name)?);
    }
    let (baseline, verdict) = match &cmd.baseline {
        Some(arg) => {
            let path = baseline::resolve(arg, Path::new(BASELINES_DIR));
            let loaded = load_baseline(&path)?;
            let file = path.display().to_string();
            let verdict = gate::compare(&Comparison {
                baseline: BaselineInput::Loaded {
                    baseline: &loaded,
                    file: &file,
                },
                candidate: &results,
                candidate_file: &results_file,
                thresholds: &thresholds,
            })?;
            (
                Some(BaselineData::from_baseline(file, &loaded)),
                Some(verdict),
            )
        }
        None => (None, None),
    };
    let input = ReportInput {
        results: &results,
        results_file,
        baseline: baseline.as_ref(),
        verdict: verdict.as_ref(),
        limits,
    };
    let markdown = report::markdown(&input);
    let html = cmd
        .html
        .as_ref()
        .map(|_| report::html(&input))
        .transpose()?;
    write_report(&cmd, &markdown, html.as_deref())
}

/// Writes the rendered report where `cmd` says (HTML only when rendered); exits 0.
pub(super) fn write_report(
    cmd: &ReportCommand,
    markdown: &str,
    html: Option<&str>,
) -> anyhow::Result<i32> {
    if let (Some(path), Some(page)) = (&cmd.html, html) {
        write_atomic(path, page.as_bytes())?;
        eprintln!("HTML report written to {}", path.display());
    }
    match &cmd.markdown {
        Some(path) => {
            write_atomic(path, markdown.as_bytes())?;
            eprintln!("Markdown report written to {}", path.display());
        }
        None => stdout::print(markdown.trim_end())?,
    }
    Ok(EXIT_PASS)
}

/// `perfgate report AB_RESULTS`: the A/B report (Markdown, and HTML with `--html`).
fn ab_report(cmd: &ReportCommand) -> anyhow::Result<i32> {
    if cmd.baseline.is_some() {
        return Err(InputError::flag(
            "--baseline",
            format!(
                "{} is an A/B results file: it carries its own base, so no baseline is given \
                 with it (perfgate report {})",
                cmd.results.display(),
                cmd.results.display()
            ),
        )
        .into());
    }
    let ab = load_ab_results(&cmd.results)?;
    let thresholds = load_thresholds(&cmd.thresholds)?;
    let verdict = gate_ab(&ab, &thresholds)?;
    let input = crate::report::AbReportInput {
        ab: &ab,
        file: cmd.results.display().to_string(),
        verdict: &verdict,
    };
    let markdown = crate::report::ab_markdown(&input);
    let html = match &cmd.html {
        Some(_) => Some(crate::report::ab_html(&input)?),
        None => None,
    };
    write_report(cmd, &markdown, html.as_deref())
}
