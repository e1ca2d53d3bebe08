//! A/B results files (`perfgate ab --results-out`) given to `compare` and `report`: such a
//! file holds both sides, so it is read alone and its paired verdict derived again with
//! the same gate `perfgate ab` used. Given where a one-sided file belongs (a baseline, a
//! candidate, `--baseline`), it is refused with a message saying how to pass it.

use std::path::{Path, PathBuf};

use super::verdict_out::{BASELINES_DIR, emit, load_thresholds};
use crate::baseline;
use crate::cli::{CompareCommand, GateArgs};
use crate::error::InputError;
use crate::gate::gate_ab;
use crate::results::{is_ab_results, load_ab_results};
use crate::verdict::Verdict;

/// What `perfgate compare` was given.
#[derive(Debug, Clone, PartialEq)]
pub enum CompareFiles {
    /// One A/B results file.
    Ab(PathBuf),
    /// A baseline (its path) and a candidate results file.
    Pair(PathBuf, PathBuf),
}

/// Sorts out `compare`'s positional arguments.
pub fn classify(cmd: &CompareCommand) -> Result<CompareFiles, InputError> {
    let baseline = baseline::resolve(&cmd.baseline, Path::new(BASELINES_DIR));
    match &cmd.candidate {
        None if is_ab_results(&baseline) => Ok(CompareFiles::Ab(baseline)),
        None if baseline.is_file() => Err(InputError::file(
            &baseline,
            "is not an A/B results file (`perfgate ab --results-out`), so a CANDIDATE \
             results file is needed too: perfgate compare BASELINE CANDIDATE",
        )),
        None => Err(InputError::flag(
            "CANDIDATE",
            format!(
                "missing: perfgate compare BASELINE CANDIDATE (only an A/B results file is \
                 compared alone, and {} is not one: no such file)",
                baseline.display()
            ),
        )),
        Some(candidate) => {
            for path in [&baseline, candidate] {
                if is_ab_results(path) {
                    return Err(one_file_only(path, "compare"));
                }
            }
            Ok(CompareFiles::Pair(baseline, candidate.clone()))
        }
    }
}

/// The error for an A/B results file given next to another file.
pub fn one_file_only(path: &Path, command: &str) -> InputError {
    InputError::file(
        path,
        format!(
            "is an A/B results file (`perfgate ab --results-out`): it holds both the base and \
             the head, so it is given alone: perfgate {command} {}",
            path.display()
        ),
    )
}

/// The paired verdict of the A/B results file at `path`, gated with `thresholds`.
pub fn verdict_of(path: &Path, thresholds: &Path) -> anyhow::Result<Verdict> {
    let ab = load_ab_results(path)?;
    let thresholds = load_thresholds(thresholds)?;
    Ok(gate_ab(&ab, &thresholds)?)
}

/// `perfgate compare AB_RESULTS`: the verdict again, printed and written like `ab`'s.
pub fn compare(path: &Path, gate: &GateArgs, out: Option<&Path>) -> anyhow::Result<i32> {
    let verdict = verdict_of(path, &gate.thresholds)?;
    emit(verdict, gate, out)
}
