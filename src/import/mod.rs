//! Importers: other benchmark tools' output → a perfgate results file that `compare`,
//! `bless`, `report` and `comment` accept. One file per format behind the [`Importer`]
//! trait; raw samples (per-iteration nanoseconds) are kept wherever the tool wrote them.

pub mod criterion;
mod error;
pub mod google_benchmark;
pub mod hyperfine;
mod json;
pub mod pytest_benchmark;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use criterion::Criterion;
pub use error::ImportError;
pub use google_benchmark::GoogleBenchmark;
pub use hyperfine::Hyperfine;
pub use pytest_benchmark::PytestBenchmark;

use crate::results::{BenchmarkResult, Env, RESULTS_SCHEMA, ResultsFile};
use crate::stats::{Sample, Summary};

/// The formats `perfgate import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// criterion.rs: `target/criterion/<id>/new/{sample,benchmark}.json`.
    Criterion,
    /// hyperfine `--export-json`.
    Hyperfine,
    /// Google Benchmark `--benchmark_format=json` (with `--benchmark_repetitions`).
    GoogleBenchmark,
    /// pytest-benchmark `--benchmark-json`.
    PytestBenchmark,
}

impl ImportFormat {
    /// The importer of this format.
    pub fn importer(self) -> Box<dyn Importer> {
        match self {
            ImportFormat::Criterion => Box::new(Criterion),
            ImportFormat::Hyperfine => Box::new(Hyperfine),
            ImportFormat::GoogleBenchmark => Box::new(GoogleBenchmark),
            ImportFormat::PytestBenchmark => Box::new(PytestBenchmark),
        }
    }
}

/// One foreign format.
pub trait Importer {
    /// The inputs to read for a path the user gave: the path itself by default; a
    /// directory walk for formats that write trees of files.
    fn inputs(&self, path: &Path) -> Result<Vec<PathBuf>, ImportError> {
        Ok(vec![path.to_path_buf()])
    }

    /// Reads one input (each format also has a `parse(bytes, file)` for its files, which
    /// the fuzz targets call).
    fn read(&self, input: &Path) -> Result<Imported, ImportError>;
}

/// What one input holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    /// The benchmarks, in the order the tool wrote them.
    pub benchmarks: Vec<ImportedBenchmark>,
    /// Machine facts the tool recorded itself.
    pub env: EnvHints,
}

/// One imported benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedBenchmark {
    /// Name, as the tool names it.
    pub name: String,
    /// Group (the part of the name before the first `/`, or the tool's own grouping).
    pub group: String,
    /// Per-iteration nanoseconds, one per sample, validated (empty when `error` is set).
    pub samples_ns: Vec<f64>,
    /// Iterations timed together in one sample (a mean when the tool varied it).
    pub iters_per_sample: u64,
    /// Set when the tool reported the benchmark as failed.
    pub error: Option<String>,
}

/// Machine facts a tool recorded (each `None` when it did not).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvHints {
    /// CPU model name.
    pub cpu_model: Option<String>,
    /// Logical cores.
    pub logical_cores: Option<usize>,
    /// Operating system and architecture, e.g. "linux x86_64".
    pub os: Option<String>,
    /// Kernel release.
    pub kernel: Option<String>,
    /// Commit measured.
    pub git_commit: Option<String>,
    /// When the tool ran.
    pub timestamp: Option<String>,
}

/// Everything `perfgate import` produced: the results and notes for the user.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOutcome {
    /// The results file.
    pub results: ResultsFile,
    /// What the user should know (where the environment came from, ...).
    pub notes: Vec<String>,
}

/// Imports every path with `format`; `here` is this machine's environment, used for what
/// the tool did not record.
pub fn import(
    format: ImportFormat,
    paths: &[PathBuf],
    here: Env,
) -> Result<ImportOutcome, ImportError> {
    let importer = format.importer();
    let mut benchmarks: Vec<BenchmarkResult> = Vec::new();
    let mut origin: HashMap<String, String> = HashMap::new();
    let mut hints: Option<EnvHints> = None;
    for path in paths {
        for input in importer.inputs(path)? {
            let file = input.display().to_string();
            let imported = importer.read(&input)?;
            hints.get_or_insert(imported.env);
            for b in imported.benchmarks {
                if let Some(first) = origin.insert(b.name.clone(), file.clone()) {
                    return Err(ImportError::Duplicate {
                        name: b.name,
                        first,
                        second: file,
                    });
                }
                benchmarks.push(to_result(b));
            }
        }
    }
    let (env, notes) = merge_env(hints.unwrap_or_default(), here);
    let results = ResultsFile {
        schema: RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        settings: None,
        benchmarks,
        shard: None,
        instructions: None,
    };
    Ok(ImportOutcome { results, notes })
}

/// Reads a whole file, naming it on failure.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(|e| ImportError::Read {
        file: path.display().to_string(),
        reason: e.to_string(),
    })
}

fn to_result(b: ImportedBenchmark) -> BenchmarkResult {
    let mut result = BenchmarkResult::failed(&b.name, &b.group, String::new());
    result.error = b.error;
    result.iters_per_sample = b.iters_per_sample;
    if result.error.is_none() {
        result.summary = Sample::new(b.samples_ns.clone())
            .ok()
            .map(|s| Summary::of(&s));
        result.samples_ns = b.samples_ns;
    }
    result
}

/// The environment: the tool's own facts where it recorded them, this machine's otherwise,
/// and a note saying which is which.
fn merge_env(hints: EnvHints, here: Env) -> (Env, Vec<String>) {
    let mut from_file = Vec::new();
    let mut from_here = Vec::new();
    let mut pick = |name: &'static str, hint: Option<String>, here: String| match hint {
        Some(v) => {
            from_file.push(name);
            v
        }
        None => {
            from_here.push(name);
            here
        }
    };
    let cpu_model = pick("cpu_model", hints.cpu_model, here.cpu_model);
    let cores = pick(
        "logical_cores",
        hints.logical_cores.map(|n| n.to_string()),
        here.logical_cores.to_string(),
    );
    let os = pick("os", hints.os, here.os);
    let kernel = pick("kernel", hints.kernel, here.kernel);
    let timestamp = pick("timestamp", hints.timestamp, here.timestamp);
    let git_commit = match (hints.git_commit, here.git_commit) {
        (Some(c), _) => Some(pick("git_commit", Some(c), String::new())),
        (None, Some(c)) => Some(pick("git_commit", None, c)),
        (None, None) => None,
    };
    let env = Env {
        cpu_model,
        logical_cores: cores.parse().unwrap_or(here.logical_cores),
        os,
        kernel,
        git_commit,
        timestamp,
        ..here
    };
    let mut parts = Vec::new();
    if !from_here.is_empty() {
        parts.push(format!(
            "{} taken from this machine (the tool did not record them)",
            from_here.join(", ")
        ));
    }
    if !from_file.is_empty() {
        parts.push(format!("{} from the imported file", from_file.join(", ")));
    }
    (env, vec![format!("environment: {}", parts.join("; "))])
}

/// The part of `name` before the first `/` (the whole name when there is none).
fn group_of(name: &str) -> String {
    name.split('/').next().unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests;
