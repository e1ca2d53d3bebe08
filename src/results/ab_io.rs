//! Reading A/B results files (`perfgate ab --results-out`) back, validated, so `compare`
//! and `report` can re-derive the paired verdict; and telling them apart from run results.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::ab::{AB_RESULTS_SCHEMA, AB_RESULTS_SCHEMA_V2, AbResultsFile, Clock, Pairing, Presence};
use crate::error::InputError;

/// The `schema` field of any perfgate JSON file, whatever else it holds.
#[derive(Deserialize)]
struct SchemaOnly {
    #[serde(default)]
    schema: Option<String>,
}

/// Schema prefix of every version of A/B results files.
const AB_SCHEMA_PREFIX: &str = "perfgate.ab-results.";

/// True when `path` is a readable JSON file whose schema is an A/B results schema (any
/// version: an older one is then refused by [`load_ab_results`] with the reason).
/// Anything else (no file, other JSON, not JSON) is `false`: the caller's own loader then
/// reports what is wrong with it.
pub fn is_ab_results(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    serde_json::from_slice::<SchemaOnly>(&bytes)
        .is_ok_and(|s| s.schema.is_some_and(|s| s.starts_with(AB_SCHEMA_PREFIX)))
}

/// Reads and validates an A/B results file. Each round's figures are recomputed from its
/// pairs of samples, so the file cannot say one thing in the samples and another in the
/// rounds.
pub fn load_ab_results(path: &Path) -> Result<AbResultsFile, InputError> {
    let bytes = crate::error::read_file(path)?;
    parse_ab_results(&bytes, path)
}

/// Parses and validates the bytes of an A/B results file; errors name `path`.
pub fn parse_ab_results(bytes: &[u8], path: &Path) -> Result<AbResultsFile, InputError> {
    if let Ok(SchemaOnly {
        schema: Some(schema),
    }) = serde_json::from_slice::<SchemaOnly>(bytes)
        && schema.starts_with(AB_SCHEMA_PREFIX)
        && schema != AB_RESULTS_SCHEMA
        && schema != AB_RESULTS_SCHEMA_V2
    {
        return Err(InputError::file(
            path,
            format!(
                "written by another perfgate (schema {schema:?}; this one reads \
                 {AB_RESULTS_SCHEMA:?}): version 1 files hold blocks of samples per side and \
                 fixed rounds, which the sequential paired rule cannot re-derive; run `perfgate \
                 ab` again, or read it with the perfgate that wrote it"
            ),
        ));
    }
    let mut file: AbResultsFile = serde_json::from_slice(bytes)
        .map_err(|e| InputError::file(path, format!("not a valid A/B results file: {e}")))?;
    validate(&mut file).map_err(|reason| InputError::file(path, reason))?;
    Ok(file)
}

fn validate(file: &mut AbResultsFile) -> Result<(), String> {
    if file.schema == AB_RESULTS_SCHEMA_V2 {
        if file.settings.pairing != Pairing::Index {
            return Err(format!(
                "schema {AB_RESULTS_SCHEMA_V2:?} pairs samples by index, but settings.pairing \
                 says otherwise"
            ));
        }
    } else if file.schema != AB_RESULTS_SCHEMA {
        return Err(format!(
            "unsupported schema {:?} (this perfgate reads {AB_RESULTS_SCHEMA:?} and \
             {AB_RESULTS_SCHEMA_V2:?})",
            file.schema
        ));
    }
    if let Some(fault) = file.settings.looks.fault() {
        return Err(format!("settings.looks: {fault}"));
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
        b.derive_rounds(file.settings.pairing)
            .map_err(|e| format!("benchmark {:?}, {e}", b.name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
      "schema": "perfgate.ab-results.v2", "perfgate_version": "0.1.0", "env": {},
      "base": {"binary": "old", "perfgate_version": "0.1.0"},
      "head": {"binary": "new", "perfgate_version": "0.1.0"},
      "settings": {"rounds_planned": 2, "rounds_done": 2, "samples_per_visit": 2,
                   "warmup_ms": 1, "rewarm_ms": 1, "sample_ms": 1, "seed": 1,
                   "looks": {"looks": [2], "test_weights": [1.0], "ci_weights": [1.0]},
                   "stop_alpha": 0.01, "stop_limit": 0.02},
      "benchmarks": [{"name": "a/1", "presence": "both", "iters_per_sample": 1,
        "base": {"samples_ns": [100, 100, 100], "alloc_bytes": 0, "allocs": 0},
        "head": {"samples_ns": [110, 120, 130], "alloc_bytes": 0, "allocs": 0},
        "rounds": [
          {"round": 0, "base_first": true, "pairs": 1, "base_p50_ns": 1, "head_p50_ns": 9, "log_ratio": 9},
          {"round": 1, "base_first": false, "pairs": 2, "base_p50_ns": 100, "head_p50_ns": 120, "log_ratio": 0}
        ]}]
    }"#;

    #[test]
    fn rounds_are_recomputed_from_their_pairs() {
        let f = parse_ab_results(MINIMAL.as_bytes(), Path::new("ab.json")).unwrap();
        let r = &f.benchmarks[0].rounds;
        assert_eq!(r[0].log_ratio, 1.1f64.ln());
        assert_eq!((r[0].base_p50_ns, r[0].head_p50_ns), (100.0, 110.0));
        // Two pairs: the median of their log-ratios is their mean.
        assert_eq!(r[1].log_ratio, (1.2f64.ln() + 1.3f64.ln()) / 2.0);
        assert_eq!(r[1].head_p50_ns, 125.0);
    }

    #[test]
    fn version_3_pairs_as_its_settings_say_and_version_2_by_index() {
        let v3 = MINIMAL.replace("ab-results.v2", "ab-results.v3").replace(
            "\"stop_limit\": 0.02}",
            "\"stop_limit\": 0.02, \"pairing\": \"same_state\"}",
        );
        let f = parse_ab_results(v3.as_bytes(), Path::new("ab.json")).unwrap();
        // Round 1 was taken B0 A0 | A1 B1: B1 (130) follows A1 and is cold, alone in its
        // state; the warm ones pair as (B0 120, A0 100).
        assert_eq!(f.benchmarks[0].rounds[1].log_ratio, 1.2f64.ln());
        let v3_by_index = MINIMAL.replace("ab-results.v2", "ab-results.v3");
        let f = parse_ab_results(v3_by_index.as_bytes(), Path::new("ab.json")).unwrap();
        assert_eq!(
            f.benchmarks[0].rounds[1].log_ratio,
            (1.2f64.ln() + 1.3f64.ln()) / 2.0
        );
        let v2_claiming_more = v3.replace("ab-results.v3", "ab-results.v2");
        let e = parse_ab_results(v2_claiming_more.as_bytes(), Path::new("ab.json")).unwrap_err();
        assert!(e.to_string().contains("pairs samples by index"), "{e}");
    }

    #[test]
    fn an_older_ab_file_is_refused_with_the_reason() {
        let old = MINIMAL.replace("ab-results.v2", "ab-results.v1");
        let e = parse_ab_results(old.as_bytes(), Path::new("old.json")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.starts_with("old.json: written by another perfgate")
                && msg.contains("run `perfgate ab` again"),
            "{msg}"
        );
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
            MINIMAL.replace("ab-results.v2", "results.v2"),
            "unsupported schema",
        );
        bad(
            MINIMAL.replace("[110, 120, 130]", "[110, 120, 0]"),
            "round 1",
        );
        bad(MINIMAL.replace("\"pairs\": 2", "\"pairs\": 3"), "round 1");
        bad(
            MINIMAL.replace("\"looks\": [2]", "\"looks\": [0]"),
            "settings.looks",
        );
        bad(
            MINIMAL.replace("[110, 120, 130]", "[110, -1, 130]"),
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
                "\"samples_ns\": [100, 100, 100],",
                "\"samples_ns\": [100, 100, 100], \"cpu_ns\": [1, -1, 1],",
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
        let old = write("old.json", r#"{"schema": "perfgate.ab-results.v1"}"#);
        assert!(
            is_ab_results(&old),
            "refused by the loader, with the reason"
        );
        assert!(!is_ab_results(&write("junk.json", "not json")));
        assert!(!is_ab_results(&dir.path().join("absent.json")));
    }
}
