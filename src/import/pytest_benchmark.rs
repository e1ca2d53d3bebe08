//! pytest-benchmark `--benchmark-json`: `benchmarks[].stats.data` holds one per-iteration
//! time per round, in seconds; `machine_info` and `commit_info` describe the machine.

use std::path::Path;

use serde::Deserialize;

use super::json::{from_json, samples};
use super::{EnvHints, ImportError, Imported, ImportedBenchmark, Importer, read_bytes};

/// Reads pytest-benchmark's JSON.
pub struct PytestBenchmark;

const EXPECTED: &str = "pytest-benchmark --benchmark-json output";

/// The part of pytest-benchmark's JSON that perfgate reads.
#[derive(Deserialize)]
struct Export {
    benchmarks: Vec<Bench>,
    #[serde(default)]
    machine_info: Option<MachineInfo>,
    #[serde(default)]
    commit_info: Option<CommitInfo>,
    #[serde(default)]
    datetime: Option<String>,
}

/// One benchmark.
#[derive(Deserialize)]
struct Bench {
    name: String,
    #[serde(default)]
    fullname: Option<String>,
    #[serde(default)]
    group: Option<String>,
    stats: Stats,
}

/// Its statistics; `data` is there unless the run used `--benchmark-disable-gc`-era
/// versions that dropped it, in which case the field error says so.
#[derive(Deserialize)]
struct Stats {
    data: Vec<f64>,
    #[serde(default)]
    iterations: Option<u64>,
}

#[derive(Deserialize)]
struct MachineInfo {
    #[serde(default)]
    machine: Option<String>,
    #[serde(default)]
    release: Option<String>,
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    cpu: Option<Cpu>,
}

#[derive(Deserialize)]
struct Cpu {
    #[serde(default)]
    brand_raw: Option<String>,
    #[serde(default)]
    count: Option<usize>,
}

#[derive(Deserialize)]
struct CommitInfo {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    dirty: Option<bool>,
}

impl Importer for PytestBenchmark {
    fn read(&self, input: &Path) -> Result<Imported, ImportError> {
        parse(&read_bytes(input)?, &input.display().to_string())
    }
}

/// Parses the bytes of a pytest-benchmark JSON file; `file` names it in errors.
pub fn parse(bytes: &[u8], file: &str) -> Result<Imported, ImportError> {
    let export: Export = from_json(bytes, file, EXPECTED)?;
    if export.benchmarks.is_empty() {
        return Err(ImportError::Empty {
            file: file.to_string(),
            what: "`benchmarks` is empty".to_string(),
        });
    }
    let mut benchmarks = Vec::new();
    for (i, b) in export.benchmarks.into_iter().enumerate() {
        let name = b
            .fullname
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(b.name);
        if name.trim().is_empty() {
            return Err(ImportError::field(
                file,
                format!("benchmarks[{i}].name"),
                "empty",
            ));
        }
        let group = b
            .group
            .unwrap_or_else(|| name.split("::").next().unwrap_or(&name).to_string());
        let ns = b.stats.data.iter().map(|s| s * 1e9).collect();
        benchmarks.push(ImportedBenchmark {
            samples_ns: samples(ns, file, &format!("benchmarks[{i}].stats.data"))?,
            iters_per_sample: b.stats.iterations.unwrap_or(1),
            name,
            group,
            error: None,
        });
    }
    let machine = export.machine_info;
    let cpu = machine.as_ref().and_then(|m| m.cpu.as_ref());
    let os = machine
        .as_ref()
        .and_then(|m| match (&m.system, &m.machine) {
            (Some(s), Some(a)) => Some(format!("{} {}", s.to_lowercase(), a)),
            _ => None,
        });
    let git_commit = export.commit_info.and_then(|c| {
        let id = c.id.filter(|id| !id.is_empty() && id != "unversioned")?;
        Some(match c.dirty {
            Some(true) => format!("{id}-dirty"),
            _ => id,
        })
    });
    let env = EnvHints {
        cpu_model: cpu.and_then(|c| c.brand_raw.clone()),
        logical_cores: cpu.and_then(|c| c.count),
        os,
        kernel: machine.and_then(|m| m.release),
        git_commit,
        timestamp: export.datetime,
    };
    Ok(Imported { benchmarks, env })
}
