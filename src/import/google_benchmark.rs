//! Google Benchmark `--benchmark_format=json`: every non-aggregate entry of `benchmarks`
//! (`run_type` "iteration") is one repetition and becomes one sample (`real_time`, per
//! iteration, in `time_unit`); aggregates (`_mean`, `_median`, ...) are skipped.

use std::path::Path;

use serde::Deserialize;

use super::json::from_json;
use super::{EnvHints, ImportError, Imported, ImportedBenchmark, Importer, group_of, read_bytes};

/// Reads Google Benchmark's JSON.
pub struct GoogleBenchmark;

const EXPECTED: &str = "Google Benchmark --benchmark_format=json output";

/// The part of Google Benchmark's JSON that perfgate reads.
#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    context: Option<Context>,
    benchmarks: Vec<Entry>,
}

#[derive(Deserialize)]
struct Context {
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    num_cpus: Option<usize>,
}

/// One entry: a repetition or an aggregate.
#[derive(Deserialize)]
struct Entry {
    name: String,
    #[serde(default)]
    run_name: Option<String>,
    #[serde(default)]
    run_type: Option<String>,
    #[serde(default)]
    aggregate_name: Option<String>,
    #[serde(default)]
    iterations: Option<u64>,
    #[serde(default)]
    real_time: Option<f64>,
    #[serde(default)]
    time_unit: Option<String>,
    #[serde(default)]
    error_occurred: Option<bool>,
    #[serde(default)]
    error_message: Option<String>,
}

impl Importer for GoogleBenchmark {
    fn read(&self, input: &Path) -> Result<Imported, ImportError> {
        parse(&read_bytes(input)?, &input.display().to_string())
    }
}

/// Nanoseconds per `time_unit`.
fn ns_per(unit: &str) -> Option<f64> {
    match unit {
        "ns" => Some(1.0),
        "us" => Some(1e3),
        "ms" => Some(1e6),
        "s" => Some(1e9),
        _ => None,
    }
}

/// Parses the bytes of a Google Benchmark JSON file; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, ImportError> {
    let export: Export = from_json(bytes, file, EXPECTED)?;
    let mut benchmarks: Vec<ImportedBenchmark> = Vec::new();
    for (i, e) in export.benchmarks.into_iter().enumerate() {
        let aggregate = e.run_type.as_deref() == Some("aggregate")
            || (e.run_type.is_none() && e.aggregate_name.is_some());
        if aggregate {
            continue;
        }
        let name = e.run_name.unwrap_or(e.name);
        if name.trim().is_empty() {
            return Err(ImportError::field(
                file,
                format!("benchmarks[{i}].name"),
                "empty",
            ));
        }
        let index = match benchmarks.iter().position(|b| b.name == name) {
            Some(index) => index,
            None => {
                benchmarks.push(ImportedBenchmark {
                    group: group_of(&name),
                    name,
                    samples_ns: Vec::new(),
                    iters_per_sample: e.iterations.unwrap_or(0),
                    error: None,
                });
                benchmarks.len() - 1
            }
        };
        let bench = &mut benchmarks[index];
        if e.error_occurred == Some(true) {
            bench.error = Some(format!(
                "Google Benchmark reported an error: {}",
                e.error_message.as_deref().unwrap_or("(no message)")
            ));
            continue;
        }
        let unit = e.time_unit.as_deref().unwrap_or("ns");
        let Some(scale) = ns_per(unit) else {
            return Err(ImportError::field(
                file,
                format!("benchmarks[{i}].time_unit"),
                format!("unknown unit {unit:?} (expected ns, us, ms or s)"),
            ));
        };
        let Some(real_time) = e.real_time else {
            return Err(ImportError::field(
                file,
                format!("benchmarks[{i}]"),
                "missing field `real_time`",
            ));
        };
        let ns = real_time * scale;
        if !ns.is_finite() || ns < 0.0 {
            return Err(ImportError::field(
                file,
                format!("benchmarks[{i}].real_time"),
                format!("not a duration ({real_time} {unit})"),
            ));
        }
        bench.samples_ns.push(ns);
    }
    if benchmarks.is_empty() {
        return Err(ImportError::Empty {
            file: file.to_string(),
            what: "`benchmarks` holds no repetition (run_type \"iteration\")".to_string(),
        });
    }
    for bench in benchmarks.iter_mut().filter(|b| b.error.is_some()) {
        bench.samples_ns.clear();
    }
    let context = export.context;
    let env = EnvHints {
        logical_cores: context.as_ref().and_then(|c| c.num_cpus),
        timestamp: context.and_then(|c| c.date),
        ..EnvHints::default()
    };
    Ok(Imported { benchmarks, env })
}
