//! `perfgate compare`, and the gating step `perfgate run` shares with it.

use std::path::{Path, PathBuf};

use super::ab_files::CompareFiles;
use super::verdict_out::{BASELINES_DIR, emit, load_thresholds};
use crate::baseline::{self, Fingerprint, load_baseline};
use crate::cli::{CompareCommand, GateArgs};
use crate::gate::{self, BaselineInput, Comparison};
use crate::results::{ResultsFile, load_results};
use crate::verdict::Verdict;

/// Runs `perfgate compare`. Every input is read and validated before anything is written.
/// An A/B results file alone re-derives its paired verdict (`ab_files`).
pub fn run(cmd: CompareCommand) -> anyhow::Result<i32> {
    let (baseline_path, candidate_path) = match super::ab_files::classify(&cmd)? {
        CompareFiles::Ab(path) => {
            return super::ab_files::compare(&path, &cmd.gate, cmd.out.as_deref());
        }
        CompareFiles::Pair(baseline, candidate) => (baseline, candidate),
    };
    let thresholds = load_thresholds(&cmd.gate.thresholds)?;
    let baseline = load_baseline(&baseline_path)?;
    let candidate = load_results(&candidate_path)?;
    let baseline_file = baseline_path.display().to_string();
    let candidate_file = candidate_path.display().to_string();
    let verdict = gate::compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline: &baseline,
            file: &baseline_file,
        },
        candidate: &candidate,
        candidate_file: &candidate_file,
        thresholds: &thresholds,
    })?;
    emit(verdict, &cmd.gate, cmd.out.as_deref())
}

/// Gates `candidate` (read from `candidate_file`, "-" for a fresh run) against the baseline
/// named by `baseline` (a name under baselines/ or a path; `None`: this machine's), prints
/// the verdict in the chosen format, writes it to `verdict_out`, returns the exit code.
pub(crate) fn gate_and_print(
    candidate: &ResultsFile,
    candidate_file: &str,
    baseline: Option<&str>,
    gate: &GateArgs,
    verdict_out: Option<&Path>,
    adjust: impl FnOnce(&mut Verdict) -> anyhow::Result<()>,
) -> anyhow::Result<i32> {
    let thresholds = load_thresholds(&gate.thresholds)?;
    let dir = Path::new(BASELINES_DIR);
    let path = match baseline {
        Some(arg) => baseline::resolve(arg, dir),
        None => this_machine(candidate, dir),
    };
    let expected = path.display().to_string();
    let loaded = match (baseline, path.exists()) {
        (None, false) => None,
        _ => Some(load_baseline(&path)?),
    };
    let input = match &loaded {
        Some(b) => BaselineInput::Loaded {
            baseline: b,
            file: &expected,
        },
        None => BaselineInput::Missing {
            expected: &expected,
        },
    };
    let mut verdict = gate::compare(&Comparison {
        baseline: input,
        candidate,
        candidate_file,
        thresholds: &thresholds,
    })?;
    adjust(&mut verdict)?;
    emit(verdict, gate, verdict_out)
}

/// baselines/<slug of the candidate's machine>.json.
fn this_machine(candidate: &ResultsFile, dir: &Path) -> PathBuf {
    dir.join(format!("{}.json", Fingerprint::of(&candidate.env).slug()))
}
