//! criterion.rs: `target/criterion/<id>/new/sample.json` holds, per sample, the iteration
//! count (`iters`) and the total time of those iterations in nanoseconds (`times`);
//! `benchmark.json` next to it holds the name (`full_id`). A sample becomes
//! `times[i] / iters[i]` nanoseconds per iteration, as criterion computes it itself.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::json::{from_json, samples};
use super::{ImportError, Imported, ImportedBenchmark, Importer, read_bytes};

/// Reads criterion's `new/` directories.
pub struct Criterion;

/// criterion's `sample.json`.
#[derive(Deserialize)]
struct SampleFile {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// criterion's `benchmark.json`.
#[derive(Deserialize)]
struct BenchmarkId {
    group_id: String,
    full_id: String,
}

/// Per-iteration nanoseconds of each sample, and the mean iteration count per sample.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionSample {
    /// `times[i] / iters[i]`, validated.
    pub samples_ns: Vec<f64>,
    /// Mean of `iters`, rounded (criterion varies the count from sample to sample).
    pub mean_iters: u64,
}

/// Parses a `sample.json`; `file` names it in errors.
pub fn parse_sample(bytes: &[u8], file: &str) -> Result<CriterionSample, ImportError> {
    let expected = "criterion's new/sample.json";
    let s: SampleFile = from_json(bytes, file, expected)?;
    if s.iters.len() != s.times.len() {
        return Err(ImportError::field(
            file,
            "iters",
            format!(
                "{} counts for {} times (criterion writes one of each per sample)",
                s.iters.len(),
                s.times.len()
            ),
        ));
    }
    for (i, &n) in s.iters.iter().enumerate() {
        if !(n.is_finite() && n >= 1.0) {
            return Err(ImportError::field(
                file,
                format!("iters[{i}]"),
                format!("{n} is not an iteration count"),
            ));
        }
    }
    let per_iter = s.times.iter().zip(&s.iters).map(|(t, n)| t / n).collect();
    let samples_ns = samples(per_iter, file, "times")?;
    let mean_iters = (s.iters.iter().sum::<f64>() / s.iters.len() as f64).round() as u64;
    Ok(CriterionSample {
        samples_ns,
        mean_iters,
    })
}

/// Parses a `benchmark.json` into (full name, group); `file` names it in errors.
pub fn parse_benchmark_id(bytes: &[u8], file: &str) -> Result<(String, String), ImportError> {
    let id: BenchmarkId = from_json(bytes, file, "criterion's new/benchmark.json")?;
    if id.full_id.trim().is_empty() {
        return Err(ImportError::field(file, "full_id", "empty"));
    }
    Ok((id.full_id, id.group_id))
}

impl Importer for Criterion {
    /// A `sample.json`, a `<id>/new` or `<id>` directory, or a tree such as
    /// `target/criterion` walked for every `new/sample.json`.
    fn inputs(&self, path: &Path) -> Result<Vec<PathBuf>, ImportError> {
        let meta = std::fs::metadata(path).map_err(|e| ImportError::Read {
            file: path.display().to_string(),
            reason: e.to_string(),
        })?;
        if meta.is_file() {
            return Ok(vec![path.to_path_buf()]);
        }
        for direct in [
            path.join("sample.json"),
            path.join("new").join("sample.json"),
        ] {
            if direct.is_file() {
                return Ok(vec![direct]);
            }
        }
        let mut found = Vec::new();
        let mut stack = vec![path.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| ImportError::Read {
                file: dir.display().to_string(),
                reason: e.to_string(),
            })?;
            for entry in entries.flatten() {
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let p = entry.path();
                if kind.is_dir() {
                    // criterion's HTML reports live in `report/`; nothing to read there.
                    if entry.file_name() != "report" {
                        stack.push(p);
                    }
                } else if kind.is_file()
                    && entry.file_name() == "sample.json"
                    && dir.file_name().is_some_and(|n| n == "new")
                {
                    found.push(p);
                }
            }
        }
        if found.is_empty() {
            return Err(ImportError::Empty {
                file: path.display().to_string(),
                what: "no <id>/new/sample.json below it; is this target/criterion?".to_string(),
            });
        }
        found.sort();
        Ok(found)
    }

    /// Reads `sample.json` and the `benchmark.json` next to it.
    fn read(&self, input: &Path) -> Result<Imported, ImportError> {
        let sample = parse_sample(&read_bytes(input)?, &input.display().to_string())?;
        let id_path = input.with_file_name("benchmark.json");
        let (name, group) =
            parse_benchmark_id(&read_bytes(&id_path)?, &id_path.display().to_string())?;
        Ok(Imported {
            benchmarks: vec![ImportedBenchmark {
                name,
                group,
                samples_ns: sample.samples_ns,
                iters_per_sample: sample.mean_iters,
                error: None,
            }],
            env: Default::default(),
        })
    }
}
