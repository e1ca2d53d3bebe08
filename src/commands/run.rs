//! `perfgate run`: measure the suite, print the results, gate against the baseline.

use crate::cli::RunCommand;
use crate::error::EXIT_PASS;
use crate::model::ModelComparison;
use crate::output::stdout::print;
use crate::output::{model_comparison, results_table};
use crate::results::write_json_atomic;

use super::measure;

/// Runs `perfgate run`.
pub fn run(cmd: RunCommand) -> anyhow::Result<i32> {
    let plan = measure::plan_costed(&cmd.measure, cmd.baseline.as_deref())?;
    let results = measure::measure(&plan);
    print(&results_table::render(&results))?;
    if let Some(models) = ModelComparison::from_results(&results) {
        print(&model_comparison::render(&models))?;
    }
    if let Some(out) = &cmd.out {
        write_json_atomic(out, &results)?;
        eprintln!("results written to {}", out.display());
    }
    if cmd.no_compare {
        return Ok(EXIT_PASS);
    }
    let candidate_file = cmd
        .out
        .as_ref()
        .map_or("-".to_string(), |p| p.display().to_string());
    super::compare::gate_and_print(
        &results,
        &candidate_file,
        cmd.baseline.as_deref(),
        &cmd.gate,
        cmd.verdict_out.as_deref(),
    )
}
