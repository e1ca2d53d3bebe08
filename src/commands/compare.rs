//! `perfgate compare`, and the gating step `perfgate run` shares with it.

use std::path::Path;

use crate::cli::{CompareCommand, GateArgs};
use crate::results::ResultsFile;

/// Runs `perfgate compare`.
pub fn run(_cmd: CompareCommand) -> anyhow::Result<i32> {
    anyhow::bail!("perfgate compare is not built yet")
}

/// Gates `candidate` (read from `candidate_file`, "-" for a fresh run) against the baseline
/// named by `baseline` (a name under baselines/ or a path; `None`: this machine's), prints
/// the verdict in the chosen format, writes it to `verdict_out`, returns the exit code.
pub(crate) fn gate_and_print(
    _candidate: &ResultsFile,
    _candidate_file: &str,
    _baseline: Option<&str>,
    _gate: &GateArgs,
    _verdict_out: Option<&Path>,
) -> anyhow::Result<i32> {
    anyhow::bail!("gating is not built yet (use --no-compare)")
}
