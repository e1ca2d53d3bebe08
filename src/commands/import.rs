//! `perfgate import`: another tool's output → a perfgate results file.

use crate::cli::ImportCommand;
use crate::error::EXIT_PASS;
use crate::import::import;
use crate::output::results_table;
use crate::output::stdout::print;
use crate::results::write_json_atomic;
use crate::runner::collect_env;

/// Runs `perfgate import`.
pub fn run(cmd: ImportCommand) -> anyhow::Result<i32> {
    let outcome = import(cmd.format, &cmd.paths, collect_env())?;
    print(&results_table::render(&outcome.results))?;
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    write_json_atomic(&cmd.out, &outcome.results)?;
    eprintln!(
        "{} benchmarks imported; results written to {}",
        outcome.results.benchmarks.len(),
        cmd.out.display()
    );
    Ok(EXIT_PASS)
}
