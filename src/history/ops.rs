//! What the `history` commands do, as library calls: add results files, load a history
//! (store or Otava CSV) with a benchmark filter.

use std::path::{Path, PathBuf};

use super::record::RunRecord;
use super::series::History;
use super::store::{Added, HistoryError, Store};
use crate::results::load_results;

/// Adds each results file as one run; `commit` / `time` override the files' own.
pub fn add_results(
    store: &Store,
    paths: &[PathBuf],
    commit: Option<&str>,
    time: Option<&str>,
) -> Result<Vec<Added>, HistoryError> {
    if let Some(t) = time {
        chrono::DateTime::parse_from_rfc3339(t)
            .map_err(|e| HistoryError::Invalid(format!("--time {t:?}: not RFC 3339: {e}")))?;
    }
    // Validate every file before writing any, so a bad argument adds nothing.
    let mut records = Vec::with_capacity(paths.len());
    for path in paths {
        let results = load_results(path).map_err(|e| HistoryError::Invalid(e.to_string()))?;
        let commit = commit
            .map(str::to_string)
            .or_else(|| results.env.git_commit.clone())
            .ok_or_else(|| invalid(path, "no env.git_commit; pass --commit"))?;
        let time = time
            .map(str::to_string)
            .or_else(|| Some(results.env.timestamp.clone()).filter(|t| !t.is_empty()))
            .ok_or_else(|| invalid(path, "no env.timestamp; pass --time"))?;
        let record = RunRecord::from_results(&results, &commit, &time);
        if record.benchmarks.is_empty() {
            return Err(invalid(path, "no benchmark with samples or counts to add"));
        }
        records.push(record);
    }
    records.iter().map(|r| store.add(r)).collect()
}

fn invalid(path: &Path, reason: &str) -> HistoryError {
    HistoryError::Invalid(format!("{}: {reason}", path.display()))
}

/// The history of the store, or of an Otava CSV file when `csv` is given, keeping only
/// benchmarks matching `filter`.
pub fn load_history(
    store: &Path,
    csv: Option<&Path>,
    filter: Option<&regex::Regex>,
) -> anyhow::Result<History> {
    let mut history = match csv {
        Some(path) => super::csv::read_otava_csv(path)?,
        None => {
            if !store.is_dir() {
                anyhow::bail!(
                    "{}: no history store here (run `perfgate history add` first)",
                    store.display()
                );
            }
            History::load(&Store::new(store))?
        }
    };
    if let Some(re) = filter {
        history.series.retain(|s| re.is_match(&s.key.benchmark));
    }
    Ok(history)
}
