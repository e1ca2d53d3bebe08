//! Re-measuring flagged benchmarks for the confirmation step of `perfgate run`: the current
//! executable is started again (`perfgate run --filter … --no-compare --out FILE`), so the
//! re-measurement happens in a fresh process with a fresh memory layout, later in the same
//! invocation, with the same measuring settings. The decision on the two measurements is
//! `gate::confirm`'s.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::baseline::load_baseline;
use crate::error::InputError;
use crate::gate::confirm::{apply, flagged, with_remeasured};
use crate::gate::{self, BaselineInput, Comparison, Thresholds};
use crate::results::{ResultsFile, load_results};
use crate::verdict::Verdict;

/// Why a re-measurement could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ConfirmError {
    /// The executable could not be started.
    #[error("cannot start {exe} to re-measure: {source}")]
    Spawn {
        /// The executable.
        exe: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The re-measuring run failed.
    #[error("re-measuring failed ({status}): {stderr}")]
    Failed {
        /// Exit status, as text.
        status: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// Its results file could not be read.
    #[error(transparent)]
    Results(#[from] InputError),
}

/// A regular expression matching exactly `names`.
pub fn exact_filter(names: &[String]) -> String {
    let alternatives: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    format!("^(?:{})$", alternatives.join("|"))
}

/// Measures `names` again in a fresh `exe run` process with the measuring flags `flags`
/// (everything but `--filter`, `--out`, `--no-compare` and gating flags), writing its
/// results to `out`, and returns them.
pub fn remeasure(
    exe: &Path,
    flags: &[String],
    names: &[String],
    out: &Path,
) -> Result<ResultsFile, ConfirmError> {
    let output = Command::new(exe)
        .arg("run")
        .args(flags)
        .args(["--no-compare", "--filter", &exact_filter(names), "--out"])
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| ConfirmError::Spawn {
            exe: exe.to_path_buf(),
            source,
        })?;
    if !output.status.success() {
        let text = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        return Err(ConfirmError::Failed {
            status: output.status.to_string(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join(" | "),
        });
    }
    Ok(load_results(out)?)
}

/// How to re-measure: the executable, its measuring flags, and where to keep the samples.
#[derive(Debug, Clone)]
pub struct Remeasure {
    /// The perfgate executable to start (the current one).
    pub exe: PathBuf,
    /// Measuring flags, as for [`remeasure`].
    pub flags: Vec<String>,
    /// Where the re-measured results are kept; `None`: a temporary file, deleted after.
    pub out: Option<PathBuf>,
}

/// The confirmation step: when `verdict` holds timing regressions, re-measures their
/// benchmarks in a fresh process, gates the first run with those samples replaced against
/// the same baseline, and applies the outcome (`gate::confirm::apply`). A verdict without
/// timing regressions, or without a baseline, is left alone.
pub fn confirm_verdict(
    verdict: &mut Verdict,
    first: &ResultsFile,
    how: &Remeasure,
    thresholds: &Thresholds,
) -> anyhow::Result<()> {
    let names = flagged(verdict);
    let Some(side) = verdict.baseline.as_ref().filter(|_| !names.is_empty()) else {
        return Ok(());
    };
    let baseline = load_baseline(Path::new(&side.file))?;
    eprintln!(
        "confirming {} timing regression(s) in a fresh process: {}",
        names.len(),
        names.join(", ")
    );
    let tmp = tempfile::Builder::new()
        .prefix("perfgate-confirm-")
        .suffix(".json")
        .tempfile()?;
    let out = how.out.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    let again = remeasure(&how.exe, &how.flags, &names, &out)?;
    let candidate = with_remeasured(first, &again);
    let file = side.file.clone();
    let second = gate::compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline: &baseline,
            file: &file,
        },
        candidate: &candidate,
        candidate_file: &out.display().to_string(),
        thresholds,
    })?;
    let kept = how.out.as_ref().map(|p| p.display().to_string());
    apply(verdict, &second, &names, kept.as_deref(), thresholds)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_matches_exactly_the_flagged_names() {
        let names = vec!["matmul/64".to_string(), "a.b(c)".to_string()];
        let re = regex::Regex::new(&exact_filter(&names)).unwrap();
        assert!(re.is_match("matmul/64") && re.is_match("a.b(c)"));
        assert!(!re.is_match("matmul/640") && !re.is_match("xmatmul/64"));
        assert!(!re.is_match("aXb(c)"));
    }
}
