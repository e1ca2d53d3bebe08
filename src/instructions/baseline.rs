//! The instruction baseline file (`perfgate.instructions.v1`): instructions per iteration
//! of every benchmark and the fingerprint they hold for. Kept apart from the timing
//! baseline: one is blessed per machine, the other holds on every machine whose
//! fingerprint matches, and both are re-blessed at different times.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{InstrFingerprint, InstructionRun};
use crate::error::InputError;
use crate::results::{ResultsFile, write_json_atomic};

/// Schema version written to and required of instruction baselines.
pub const INSTR_BASELINE_SCHEMA: &str = "perfgate.instructions.v1";

/// A blessed instruction baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrBaseline {
    /// Schema version, [`INSTR_BASELINE_SCHEMA`].
    pub schema: String,
    /// Version of perfgate that blessed.
    pub perfgate_version: String,
    /// Git commit of the blessed tree, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git_commit: Option<String>,
    /// How the counts were measured, with the fingerprint they hold for.
    pub run: InstructionRun,
    /// One entry per benchmark that was counted, in suite order.
    pub benchmarks: Vec<InstrBaselineBench>,
}

/// One benchmark of an instruction baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrBaselineBench {
    /// Benchmark name, e.g. `gelu/1000`.
    pub name: String,
    /// Instructions per iteration.
    pub instructions_per_iter: f64,
    /// Estimated cycles per iteration, when the cache simulation ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub est_cycles_per_iter: Option<f64>,
}

impl InstrBaseline {
    /// The baseline made of a results file with instruction counts; failed benchmarks are
    /// left out. `None` when the file holds no instruction measurement.
    pub fn from_results(results: &ResultsFile) -> Option<InstrBaseline> {
        let run = results.instructions.clone()?;
        let benchmarks = results
            .benchmarks
            .iter()
            .filter(|b| b.error.is_none())
            .filter_map(|b| {
                Some(InstrBaselineBench {
                    name: b.name.clone(),
                    instructions_per_iter: b.instructions_per_iter?,
                    est_cycles_per_iter: b.est_cycles_per_iter,
                })
            })
            .collect();
        Some(InstrBaseline {
            schema: INSTR_BASELINE_SCHEMA.to_string(),
            perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
            git_commit: results.env.git_commit.clone(),
            run,
            benchmarks,
        })
    }

    /// The fingerprint the counts hold for.
    pub fn fingerprint(&self) -> &InstrFingerprint {
        &self.run.fingerprint
    }
}

/// Reads and validates an instruction baseline (schema, unique names, finite counts ≥ 0).
pub fn load_instr_baseline(path: &Path) -> Result<InstrBaseline, InputError> {
    let text = crate::error::read_text(path)?;
    let file: InstrBaseline = serde_json::from_str(&text)
        .map_err(|e| InputError::file(path, format!("not a valid instruction baseline: {e}")))?;
    if file.schema != INSTR_BASELINE_SCHEMA {
        return Err(InputError::file(
            path,
            format!(
                "unsupported schema {:?} (this perfgate reads {INSTR_BASELINE_SCHEMA:?})",
                file.schema
            ),
        ));
    }
    let mut seen = HashSet::new();
    for b in &file.benchmarks {
        if !seen.insert(b.name.as_str()) {
            return Err(InputError::file(
                path,
                format!("duplicate benchmark {:?}", b.name),
            ));
        }
        if !(b.instructions_per_iter.is_finite() && b.instructions_per_iter >= 0.0) {
            return Err(InputError::file(
                path,
                format!("benchmark {:?}: instructions_per_iter must be ≥ 0", b.name),
            ));
        }
    }
    Ok(file)
}

/// Writes an instruction baseline atomically.
pub fn write_instr_baseline(path: &Path, baseline: &InstrBaseline) -> anyhow::Result<()> {
    write_json_atomic(path, baseline)
}
