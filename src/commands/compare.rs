//! `perfgate compare`, and the gating step `perfgate run` shares with it.

use std::path::{Path, PathBuf};

use super::ab_files::CompareFiles;
use super::verdict_out::{BASELINES_DIR, emit, load_thresholds};
use crate::baseline::{self, Fingerprint, counts_only, load_baseline};
use crate::cli::{CompareCommand, GateArgs};
use crate::error::InputError;
use crate::gate::instructions::instruction_verdict;
use crate::gate::{self, BaselineInput, Comparison};
use crate::instructions::InstrBaseline;
use crate::instructions::baseline::{INSTR_BASELINE_SCHEMA, load_instr_baseline};
use crate::results::{RESULTS_SCHEMA, ResultsFile, load_results, parse_results, schema_of};
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
    let candidate = load_results(&candidate_path)?;
    let baseline_file = baseline_path.display().to_string();
    let candidate_file = candidate_path.display().to_string();
    if let Some(instr) = instruction_side(&baseline_path, &candidate_path, &candidate)? {
        let verdict = instruction_verdict(
            &instr,
            &baseline_file,
            &candidate,
            &candidate_file,
            &thresholds,
        )?;
        return emit(verdict, &cmd.gate, cmd.out.as_deref());
    }
    let baseline = load_baseline(&baseline_path)?;
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

/// The instruction baseline to gate against, when the comparison is about instruction
/// counts: an instruction baseline (`perfgate.instructions.v1`), or an instruction-only
/// results file on the baseline side. A timing baseline against an instruction-only
/// candidate (or the reverse) is an input error naming the file that cannot be used.
fn instruction_side(
    baseline_path: &Path,
    candidate_path: &Path,
    candidate: &ResultsFile,
) -> Result<Option<InstrBaseline>, InputError> {
    let bytes = crate::error::read_file(baseline_path)?;
    let instr = match schema_of(&bytes).as_deref() {
        Some(INSTR_BASELINE_SCHEMA) => Some(load_instr_baseline(baseline_path)?),
        None | Some(RESULTS_SCHEMA) => {
            let results = parse_results(&bytes, baseline_path)?;
            match counts_only(&results) {
                true => InstrBaseline::from_results(&results),
                false => None,
            }
        }
        Some(_) => None,
    };
    match (&instr, &candidate.instructions) {
        (Some(_), None) => Err(InputError::file(
            candidate_path,
            "holds no instruction counts, so it cannot be gated against an instruction \
             baseline (count them with `perfgate run --metric instructions --out FILE`)",
        )),
        (None, Some(_)) if counts_only(candidate) => Err(InputError::file(
            candidate_path,
            format!(
                "holds instruction counts only, no timing samples, so it cannot be gated \
                 against the timing baseline {}: give an instruction baseline \
                 (`perfgate bless --metric instructions`) or an instruction-only results file",
                baseline_path.display()
            ),
        )),
        _ => Ok(instr),
    }
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

/// The baseline of the candidate's machine class in `dir` ([`baseline::for_machine`]).
fn this_machine(candidate: &ResultsFile, dir: &Path) -> PathBuf {
    baseline::for_machine(&Fingerprint::of(&candidate.env), dir)
}
