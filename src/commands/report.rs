//! `perfgate report`: read the results (and the baseline), build the report, write the
//! Markdown (stdout by default) and the HTML page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::ReportCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::report::{self, BaselineData, ReportInput};
use crate::results::{load_results, write_atomic};

/// Runs `perfgate report`.
pub fn run(cmd: ReportCommand) -> anyhow::Result<i32> {
    let results = load_results(&cmd.results)?;
    let baseline = match &cmd.baseline {
        Some(arg) => {
            let path = resolve_baseline(arg)?;
            let file = load_results(&path)?;
            Some(BaselineData::from_results(
                path.display().to_string(),
                &file,
            ))
        }
        None => None,
    };
    let input = ReportInput {
        results: &results,
        results_file: cmd.results.display().to_string(),
        baseline: baseline.as_ref(),
        verdict: None,
        p50_limits: BTreeMap::new(),
    };
    // Render everything before writing anything: a failure leaves no half-written output.
    let markdown = report::markdown(&input);
    let html = cmd
        .html
        .as_ref()
        .map(|_| report::html(&input))
        .transpose()?;
    if let (Some(path), Some(page)) = (&cmd.html, &html) {
        write_atomic(path, page.as_bytes())?;
        eprintln!("HTML report written to {}", path.display());
    }
    match &cmd.markdown {
        Some(path) => {
            write_atomic(path, markdown.as_bytes())?;
            eprintln!("Markdown report written to {}", path.display());
        }
        None => print!("{markdown}"),
    }
    Ok(EXIT_PASS)
}

/// `--baseline NAME|PATH`: an existing path, else `baselines/NAME.json`.
fn resolve_baseline(arg: &str) -> Result<PathBuf, InputError> {
    let path = Path::new(arg);
    if path.exists() {
        return Ok(path.to_path_buf());
    }
    let named = Path::new("baselines").join(format!("{arg}.json"));
    if named.exists() {
        return Ok(named);
    }
    Err(InputError::flag(
        "--baseline",
        format!(
            "{arg:?} is neither a file nor a baseline name ({} does not exist)",
            named.display()
        ),
    ))
}
