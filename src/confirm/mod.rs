//! Re-measuring flagged benchmarks for the confirmation step of `perfgate run`, in a fresh
//! process (`runner::measure_in_fresh_process`) with a fresh memory layout, later in the
//! same invocation, with the same measuring settings. The decision on the two measurements
//! is `gate::confirm`'s.

use std::path::{Path, PathBuf};

use crate::baseline::load_baseline;
use crate::gate::confirm::{apply, flagged, with_remeasured};
use crate::gate::{self, BaselineInput, Comparison, Thresholds};
use crate::results::ResultsFile;
use crate::runner::measure_in_fresh_process;
use crate::verdict::Verdict;

/// How to re-measure: the executable, its measuring flags, and where to keep the samples.
#[derive(Debug, Clone)]
pub struct Remeasure {
    /// The perfgate executable to start (the current one).
    pub exe: PathBuf,
    /// Measuring flags, as for [`measure_in_fresh_process`].
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
    let again = measure_in_fresh_process(&how.exe, &how.flags, &names, &out)?;
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
