//! The instruction metric: benchmarks run under valgrind's callgrind, one child process
//! per benchmark, counting only the timed iterations. Counts do not depend on load,
//! frequency or neighbours, so a committed instruction baseline holds on any machine with
//! the same [`InstrFingerprint`].

pub mod baseline;
pub mod callgrind;
pub mod child;
pub mod fingerprint;
mod measure;

use serde::{Deserialize, Serialize};

pub use baseline::{INSTR_BASELINE_SCHEMA, InstrBaseline, InstrBaselineBench};
pub use callgrind::{CallgrindError, CallgrindTotals};
pub use fingerprint::InstrFingerprint;
pub use measure::{
    InstrConfig, InstrError, measure_instructions, measure_instructions_of, merge_into,
    valgrind_version,
};

/// How the instruction counts of a results file were measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstructionRun {
    /// What must match for counts to be comparable.
    pub fingerprint: InstrFingerprint,
    /// Counted iterations per benchmark (after the uncounted warm-up).
    pub iterations: u64,
    /// Uncounted warm-up iterations per benchmark.
    pub warmup_iterations: u64,
    /// Whether callgrind's cache simulation ran (then `est_cycles_per_iter` is filled).
    pub cache_sim: bool,
}
