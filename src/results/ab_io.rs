//! Reading A/B results files (`perfgate ab --results-out`) back, validated, so `compare`
//! and `report` can re-derive the paired verdict; and telling them apart from run results.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::ab::{AB_RESULTS_SCHEMA, AbResultsFile, Clock, Presence};
use crate::error::InputError;

/// The `schema` field of any perfgate JSON file, whatever else it holds.
#[derive(Deserialize)]
struct SchemaOnly {
    #[serde(default)]
    schema: Option<String>,
}

/// True when `path` is a readable JSON file whose schema is [`AB_RESULTS_SCHEMA`].
/// Anything else (no file, other JSON, not JSON) is `false`: the caller's own loader then
/// reports what is wrong with it.
pub fn is_ab_results(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    serde_json::from_slice::<SchemaOnly>(&bytes)
        .is_ok_and(|s| s.schema.as_deref() == Some(AB_RESULTS_SCHEMA))
}

/// Reads and validates an A/B results file. Each round's `log_ratio` is recomputed from
/// its two P50s, so the file cannot say one thing in the P50s and another in the ratios.
pub fn load_ab_results(path: &Path) -> Result<AbResultsFile, InputError> {
    let bytes =
        std::fs::read(path).map_err(|e| InputError::file(path, format!("cannot read: {e}")))?;
    parse_ab_results(&bytes, path)
}

/// Parses and validates the bytes of an A/B results file; errors name `path`.
pub fn parse_ab_results(bytes: &[u8], path: &Path) -> Result<AbResultsFile, InputError> {
    let mut file: AbResultsFile = serde_json::from_slice(bytes)
        .map_err(|e| InputError::file(path, format!("not a valid A/B results file: {e}")))?;
    validate(&mut file).map_err(|reason| InputError::file(path, reason))?;
    Ok(file)
}

fn validate(file: &mut AbResultsFile) -> Result<(), String> {
    if file.schema != AB_RESULTS_SCHEMA {
        return Err(format!(
            "unsupported schema {:?} (this perfgate reads {AB_RESULTS_SCHEMA:?})",
            file.schema
        ));
    }
    let mut seen = HashSet::new();
    for b in &mut file.benchmarks {
        if b.name.trim().is_empty() {
            return Err("a benchmark has an empty name".to_string());
        }
        if !seen.insert(b.name.clone()) {
            return Err(format!("duplicate benchmark name {:?}", b.name));
        }
        if b.presence != Presence::Both && !b.rounds.is_empty() {
            return Err(format!(
                "benchmark {:?} is on one side only but has paired rounds",
                b.name
            ));
        }
        let samples = [&b.base, &b.head]
            .into_iter()
            .flat_map(|s| s.samples_ns.iter().chain(&s.cpu_ns));
        if let Some(x) = samples.into_iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
            return Err(format!(
                "benchmark {:?}: sample {x} is not a non-negative number of ns",
                b.name
            ));
        }
        if b.clock == Clock::Cpu && (b.base.cpu_ns.is_empty() || b.head.cpu_ns.is_empty()) {
            return Err(format!(
                "benchmark {:?} is timed by CPU time but a side has no cpu_ns",
                b.name
            ));
        }
        for r in &mut b.rounds {
            let ok = |x: f64| x.is_finite() && x > 0.0;
            if !ok(r.base_p50_ns) || !ok(r.head_p50_ns) {
                return Err(format!(
                    "benchmark {:?}, round {}: P50s must be positive numbers of ns",
                    b.name, r.round
                ));
            }
            r.log_ratio = (r.head_p50_ns / r.base_p50_ns).ln();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
      "schema": "perfgate.ab-results.v1", "perfgate_version": "0.1.0", "env": {},
      "base": {"binary": "old", "perfgate_version": "0.1.0"},
      "head": {"binary": "new", "perfgate_version": "0.1.0"},
      "settings": {"rounds_planned": 2, "rounds_done": 2, "samples_per_visit": 1,
                   "warmup_ms": 1, "rewarm_ms": 1, "sample_ms": 1, "seed": 1},
      "benchmarks": [{"name": "a/1", "presence": "both", "iters_per_sample": 1,
        "base": {"samples_ns": [100, 100], "alloc_bytes": 0, "allocs": 0},
        "head": {"samples_ns": [110, 120], "alloc_bytes": 0, "allocs": 0},
        "rounds": [
          {"round": 0, "base_first": true, "base_p50_ns": 100, "head_p50_ns": 110, "log_ratio": 9},
          {"round": 1, "base_first": false, "base_p50_ns": 100, "head_p50_ns": 120, "log_ratio": 0}
        ]}]
    }"#;

    #[test]
    fn log_ratios_are_recomputed_from_the_p50s() {
        let f = parse_ab_results(MINIMAL.as_bytes(), Path::new("ab.json")).unwrap();
        let ratios: Vec<f64> = f.benchmarks[0].rounds.iter().map(|r| r.log_ratio).collect();
        assert_eq!(ratios, [1.1f64.ln(), 1.2f64.ln()]);
    }

    #[test]
    fn bad_files_name_the_file_and_the_fault() {
        let bad = |text: String, want: &str| {
            let e = parse_ab_results(text.as_bytes(), Path::new("x/ab.json")).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.starts_with("x/ab.json: ") && msg.contains(want),
                "{msg}"
            );
        };
        bad(
            MINIMAL.replace("ab-results.v1", "results.v1"),
            "unsupported schema",
        );
        bad(
            MINIMAL.replace("\"head_p50_ns\": 120", "\"head_p50_ns\": 0"),
            "round 1",
        );
        bad(
            MINIMAL.replace("[110, 120]", "[110, -1]"),
            "not a non-negative",
        );
        bad(
            MINIMAL.replace("\"both\"", "\"base_only\""),
            "one side only",
        );
        bad(
            MINIMAL.replace(
                "\"iters_per_sample\": 1,",
                "\"iters_per_sample\": 1, \"clock\": \"cpu\",",
            ),
            "no cpu_ns",
        );
        bad(
            MINIMAL.replace(
                "\"samples_ns\": [100, 100],",
                "\"samples_ns\": [100, 100], \"cpu_ns\": [1, -1],",
            ),
            "not a non-negative",
        );
        bad("{}".to_string(), "not a valid A/B results file");
    }

    #[test]
    fn ab_files_are_told_apart_from_other_json() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            p
        };
        assert!(is_ab_results(&write("ab.json", MINIMAL)));
        let run = write("run.json", r#"{"schema": "perfgate.results.v1"}"#);
        assert!(!is_ab_results(&run));
        assert!(!is_ab_results(&write("junk.json", "not json")));
        assert!(!is_ab_results(&dir.path().join("absent.json")));
    }
}
