//! Measuring in a fresh process: the current executable is started again (`perfgate run
//! --filter … --no-compare --out FILE`) with the same measuring flags. A process's memory
//! layout can shift a benchmark for its whole life, so a run is measured in several fresh
//! processes (`--processes`), and the confirmation step re-measures in one more.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::InputError;
use crate::results::{ResultsFile, load_results};

/// Why a measurement in a fresh process could not be made.
#[derive(Debug, thiserror::Error)]
pub enum FreshRunError {
    /// The executable could not be started.
    #[error("cannot start {exe} to measure in a fresh process: {source}")]
    Spawn {
        /// The executable.
        exe: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The measuring run failed.
    #[error("measuring in a fresh process failed ({status}): {stderr}")]
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

/// Measures `names` in a fresh `exe run` process with the measuring flags `flags`
/// (everything but `--filter`, `--out`, `--no-compare` and gating flags), writing its
/// results to `out`, and returns them.
pub fn measure_in_fresh_process(
    exe: &Path,
    flags: &[String],
    names: &[String],
    out: &Path,
) -> Result<ResultsFile, FreshRunError> {
    let output = Command::new(exe)
        .arg("run")
        .args(flags)
        .args(["--no-compare", "--filter", &exact_filter(names), "--out"])
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| FreshRunError::Spawn {
            exe: exe.to_path_buf(),
            source,
        })?;
    if !output.status.success() {
        let text = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        return Err(FreshRunError::Failed {
            status: output.status.to_string(),
            stderr: tail.into_iter().rev().collect::<Vec<_>>().join(" | "),
        });
    }
    Ok(load_results(out)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_matches_exactly_the_given_names() {
        let names = vec!["matmul/64".to_string(), "a.b(c)".to_string()];
        let re = regex::Regex::new(&exact_filter(&names)).unwrap();
        assert!(re.is_match("matmul/64") && re.is_match("a.b(c)"));
        assert!(!re.is_match("matmul/640") && !re.is_match("xmatmul/64"));
        assert!(!re.is_match("aXb(c)"));
    }
}
