//! `perfgate merge`: join the results files of the shards of one run into one results
//! file, which `compare`, `report` and `comment` then read like any other.

use crate::cli::MergeCommand;
use crate::error::{EXIT_PASS, InputError};
use crate::results::{ResultsFile, load_results, merge_shards, write_json_atomic};

/// Runs `perfgate merge`. Every file is read and every check made before anything is
/// written; any refusal (duplicates, a missing shard, another suite, N, machine or
/// setting) exits 2 with the reason.
pub fn run(cmd: MergeCommand) -> anyhow::Result<i32> {
    let files: Vec<(String, ResultsFile)> = cmd
        .files
        .iter()
        .map(|p| Ok((p.display().to_string(), load_results(p)?)))
        .collect::<Result<_, InputError>>()?;
    // The built-in suite's order; benchmarks of other suites follow by name.
    let order: Vec<String> = crate::suite::builtin()
        .into_iter()
        .map(|b| b.name)
        .collect();
    let merged = merge_shards(&files, &order, cmd.force)
        .map_err(|e| InputError::flag("merge", e.to_string()))?;
    write_json_atomic(&cmd.out, &merged)?;
    eprintln!(
        "merged {} shard(s), {} benchmark(s), into {}",
        files.len(),
        merged.benchmarks.len(),
        cmd.out.display()
    );
    Ok(EXIT_PASS)
}
