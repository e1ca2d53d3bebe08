//! Building a baseline from several runs: pooling samples and measuring the run-to-run
//! spread of each gated statistic.

use std::collections::HashSet;

use super::{
    BASELINE_SCHEMA, BaselineBenchmark, BaselineFile, BaselineRun, Fingerprint, Spread, StatSpread,
};
use crate::results::ResultsFile;
use crate::stats::{RunSpread, Sample, Summary, percentile};

/// Why a set of runs cannot be blessed together.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BlessError {
    /// Nothing to bless.
    #[error("no runs to bless")]
    NoRuns,
    /// The runs come from different machines (and `--force` was not given).
    #[error(
        "runs come from different machines: {first} is {first_fp} but {other} is {other_fp} \
         (use --force to merge them anyway)"
    )]
    MixedMachines {
        /// Source of the first run.
        first: String,
        /// Its fingerprint.
        first_fp: String,
        /// Source of the first run that differs.
        other: String,
        /// Its fingerprint.
        other_fp: String,
    },
    /// The runs measured different sets of benchmarks.
    #[error("{first} and {other} measured different benchmarks (first difference: {name:?})")]
    DifferentBenchmarks {
        /// Source of the first run.
        first: String,
        /// Source of the run that differs.
        other: String,
        /// A benchmark present in one and not the other.
        name: String,
    },
    /// No benchmark succeeded in every run.
    #[error("no benchmark succeeded in every run")]
    NothingSucceeded,
    /// A benchmark's samples cannot be summarized (names the benchmark and run).
    #[error("{0}")]
    Invalid(String),
    /// A run holds instruction counts but no timing samples (`--metric instructions`).
    #[error(
        "{file} holds instruction counts only, no timing samples: bless it as an \
         instruction baseline (`perfgate bless --metric instructions --from {file}`)"
    )]
    CountsOnly {
        /// Source of the run.
        file: String,
    },
}

/// Builds a baseline from `runs` (source label, results). Benchmarks that failed in any run
/// are left out and named in the returned warnings.
pub fn from_runs(
    runs: &[(String, ResultsFile)],
    force: bool,
) -> Result<(BaselineFile, Vec<String>), BlessError> {
    let (first_source, first) = runs.first().ok_or(BlessError::NoRuns)?;
    if let Some((source, _)) = runs.iter().find(|(_, r)| counts_only(r)) {
        return Err(BlessError::CountsOnly {
            file: source.clone(),
        });
    }
    let fingerprint = Fingerprint::of(&first.env);
    let names: Vec<&str> = first.benchmarks.iter().map(|b| b.name.as_str()).collect();
    for (source, run) in &runs[1..] {
        let fp = Fingerprint::of(&run.env);
        if fp != fingerprint && !force {
            return Err(BlessError::MixedMachines {
                first: first_source.clone(),
                first_fp: fingerprint.describe(),
                other: source.clone(),
                other_fp: fp.describe(),
            });
        }
        let other: HashSet<&str> = run.benchmarks.iter().map(|b| b.name.as_str()).collect();
        let mine: HashSet<&str> = names.iter().copied().collect();
        if let Some(name) = mine.symmetric_difference(&other).min() {
            return Err(BlessError::DifferentBenchmarks {
                first: first_source.clone(),
                other: source.clone(),
                name: name.to_string(),
            });
        }
    }
    let mut warnings = Vec::new();
    let mut benchmarks = Vec::new();
    for name in names {
        let per_run: Vec<_> = runs
            .iter()
            .map(|(_, r)| {
                r.benchmarks
                    .iter()
                    .find(|b| b.name == name)
                    .expect("checked")
            })
            .collect();
        if let Some(failed) = per_run.iter().find(|b| b.error.is_some()) {
            warnings.push(format!(
                "{name} left out of the baseline: it failed in a run ({})",
                failed.error.as_deref().unwrap_or_default()
            ));
            continue;
        }
        if per_run.iter().any(|b| b.samples_ns.is_empty()) {
            warnings.push(format!(
                "{name} left out of the baseline: a run holds no timing samples for it"
            ));
            continue;
        }
        let max_of = |f: fn(&crate::results::BenchmarkResult) -> Option<f64>| {
            per_run.iter().filter_map(|b| f(b)).reduce(f64::max)
        };
        let samples_ns: Vec<Vec<f64>> = per_run.iter().map(|b| b.samples_ns.clone()).collect();
        let (pooled, spread) = summarize(name, &samples_ns).map_err(BlessError::Invalid)?;
        benchmarks.push(BaselineBenchmark {
            name: name.to_string(),
            group: per_run[0].group.clone(),
            pooled,
            spread,
            alloc_bytes_per_iter: max_of(|b| b.alloc_bytes_per_iter),
            allocs_per_iter: max_of(|b| b.allocs_per_iter),
            samples_ns,
        });
    }
    if benchmarks.is_empty() {
        return Err(BlessError::NothingSucceeded);
    }
    let file = BaselineFile {
        schema: BASELINE_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        fingerprint,
        runs: runs
            .iter()
            .map(|(source, r)| BaselineRun {
                source: source.clone(),
                env: r.env.clone(),
                settings: r.settings.clone(),
            })
            .collect(),
        benchmarks,
    };
    Ok((file, warnings))
}

/// True when a run holds instruction counts and not one timing sample (an instruction-only
/// run, `perfgate run --metric instructions`).
pub fn counts_only(run: &ResultsFile) -> bool {
    run.instructions.is_some() && run.benchmarks.iter().all(|b| b.samples_ns.is_empty())
}

/// Validates per-run samples and computes the pooled summary and the run-to-run spread, so
/// stored figures can never disagree with the samples. Errors name the benchmark and run.
pub(super) fn summarize(name: &str, samples_ns: &[Vec<f64>]) -> Result<(Summary, Spread), String> {
    if samples_ns.is_empty() {
        return Err(format!("benchmark {name:?}: samples_ns holds no run"));
    }
    let mut runs = Vec::with_capacity(samples_ns.len());
    for (i, s) in samples_ns.iter().enumerate() {
        let sample = Sample::new(s.clone())
            .map_err(|e| format!("benchmark {name:?}: samples_ns[{i}]: {e}"))?;
        runs.push(sample);
    }
    let pooled = Sample::new(samples_ns.concat()).expect("runs are valid");
    let spread_of = |q: f64| {
        let per_run_ns: Vec<f64> = runs.iter().map(|s| percentile(s, q)).collect();
        let rel_sd = RunSpread::of(&per_run_ns).ok().map(|s| s.relative_stddev);
        StatSpread { per_run_ns, rel_sd }
    };
    let spread = Spread {
        p10: spread_of(0.10),
        p50: spread_of(0.50),
        p95: spread_of(0.95),
        p99: spread_of(0.99),
    };
    Ok((Summary::of(&pooled), spread))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::BenchmarkResult;

    fn run(cpu: &str, benches: &[(&str, &[f64])]) -> ResultsFile {
        let json = serde_json::json!({
            "env": {"cpu_model": cpu, "logical_cores": 2, "os": "linux x86_64"},
            "benchmarks": benches.iter().map(|(n, s)| serde_json::json!({
                "name": n, "samples_ns": s, "alloc_bytes_per_iter": 64.0
            })).collect::<Vec<_>>(),
        });
        let mut r: ResultsFile = serde_json::from_value(json).unwrap();
        for b in &mut r.benchmarks {
            b.summary = Some(Summary::of(&Sample::new(b.samples_ns.clone()).unwrap()));
        }
        r
    }

    #[test]
    fn pools_samples_and_measures_spread() {
        let runs = vec![
            (
                "a.json".to_string(),
                run("X", &[("k/1", &[10.0, 10.0, 10.0])]),
            ),
            (
                "b.json".to_string(),
                run("X", &[("k/1", &[12.0, 12.0, 12.0])]),
            ),
        ];
        let (base, warnings) = from_runs(&runs, false).unwrap();
        assert!(warnings.is_empty());
        let b = &base.benchmarks[0];
        assert_eq!(b.samples_ns.len(), 2);
        assert_eq!(b.pooled.p50_ns, 11.0);
        assert_eq!(b.spread.p50.per_run_ns, vec![10.0, 12.0]);
        // numpy: np.std([10, 12], ddof=1) / 11 = 0.12856486930664501
        assert!((b.spread.p50.rel_sd.unwrap() - 0.128_564_869_306_645).abs() < 1e-12);
        assert_eq!(b.alloc_bytes_per_iter, Some(64.0));
        assert_eq!(base.runs.len(), 2);
    }

    #[test]
    fn refuses_runs_from_different_machines_unless_forced() {
        let runs = vec![
            ("a.json".to_string(), run("X", &[("k", &[1.0])])),
            ("b.json".to_string(), run("Y", &[("k", &[1.0])])),
        ];
        let err = from_runs(&runs, false).unwrap_err().to_string();
        assert!(err.contains("a.json") && err.contains("b.json"), "{err}");
        assert!(from_runs(&runs, true).is_ok());
    }

    #[test]
    fn refuses_runs_with_different_benchmarks() {
        let runs = vec![
            ("a.json".to_string(), run("X", &[("k", &[1.0])])),
            ("b.json".to_string(), run("X", &[("j", &[1.0])])),
        ];
        assert!(matches!(
            from_runs(&runs, false),
            Err(BlessError::DifferentBenchmarks { .. })
        ));
    }

    #[test]
    fn failed_benchmark_is_left_out_with_a_warning() {
        let mut bad = run("X", &[("k", &[1.0]), ("f", &[1.0])]);
        bad.benchmarks[1] = BenchmarkResult {
            error: Some("panicked".into()),
            samples_ns: vec![],
            summary: None,
            ..bad.benchmarks[1].clone()
        };
        let runs = vec![
            (
                "a.json".to_string(),
                run("X", &[("k", &[1.0]), ("f", &[1.0])]),
            ),
            ("b.json".to_string(), bad),
        ];
        let (base, warnings) = from_runs(&runs, false).unwrap();
        assert_eq!(base.benchmarks.len(), 1);
        assert!(warnings[0].contains("panicked"));
    }
}
