//! hyperfine `--export-json`: `results[].command` names a benchmark (the `--command-name`
//! when one was given), `results[].times` holds one wall time per run, in seconds.

use std::path::Path;

use serde::Deserialize;

use super::json::{from_json, samples};
use super::{ImportError, Imported, ImportedBenchmark, Importer, read_bytes};

/// Reads hyperfine's JSON export.
pub struct Hyperfine;

const EXPECTED: &str = "hyperfine --export-json output";

/// The part of hyperfine's export that perfgate reads.
#[derive(Deserialize)]
struct Export {
    results: Vec<Command>,
}

/// One benchmarked command.
#[derive(Deserialize)]
struct Command {
    command: String,
    times: Vec<f64>,
}

impl Importer for Hyperfine {
    fn read(&self, input: &Path) -> Result<Imported, ImportError> {
        parse(&read_bytes(input)?, &input.display().to_string())
    }
}

/// Parses the bytes of a hyperfine export; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, ImportError> {
    let export: Export = from_json(bytes, file, EXPECTED)?;
    if export.results.is_empty() {
        return Err(ImportError::Empty {
            file: file.to_string(),
            what: "`results` is empty".to_string(),
        });
    }
    let mut benchmarks = Vec::new();
    for (i, cmd) in export.results.into_iter().enumerate() {
        if cmd.command.trim().is_empty() {
            return Err(ImportError::field(
                file,
                format!("results[{i}].command"),
                "empty",
            ));
        }
        let ns = cmd.times.iter().map(|s| s * 1e9).collect();
        benchmarks.push(ImportedBenchmark {
            name: cmd.command,
            group: "hyperfine".to_string(),
            samples_ns: samples(ns, file, &format!("results[{i}].times"))?,
            iters_per_sample: 1,
            error: None,
        });
    }
    Ok(Imported {
        benchmarks,
        env: Default::default(),
    })
}
