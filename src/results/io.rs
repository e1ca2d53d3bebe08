//! Reading results files (validated, summaries recomputed from the raw samples) and
//! writing JSON atomically.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::{RESULTS_SCHEMA, ResultsFile};
use crate::error::InputError;
use crate::stats::{Sample, Summary};

/// Reads and validates a results file. Summaries are recomputed from `samples_ns`, so a
/// minimal file (only `name` and `samples_ns` per benchmark) is accepted and stored
/// summaries can never disagree with the samples.
pub fn load_results(path: &Path) -> Result<ResultsFile, InputError> {
    let bytes = crate::error::read_file(path)?;
    parse_results(&bytes, path)
}

/// The `schema` field of a JSON file perfgate wrote (which kind of file it is), `None`
/// when the bytes are not a JSON object with one.
pub fn schema_of(bytes: &[u8]) -> Option<String> {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()?
        .get("schema")?
        .as_str()
        .map(str::to_string)
}

/// Parses and validates the bytes of a results file; errors name `path`.
pub fn parse_results(bytes: &[u8], path: &Path) -> Result<ResultsFile, InputError> {
    let mut file: ResultsFile = serde_json::from_slice(bytes)
        .map_err(|e| InputError::file(path, format!("not a valid results file: {e}")))?;
    validate(&mut file).map_err(|reason| InputError::file(path, reason))?;
    Ok(file)
}

/// Checks schema, names and samples, and recomputes every summary.
fn validate(file: &mut ResultsFile) -> Result<(), String> {
    if file.schema != RESULTS_SCHEMA {
        return Err(format!(
            "unsupported schema {:?} (this perfgate reads {RESULTS_SCHEMA:?})",
            file.schema
        ));
    }
    let mut seen = HashSet::new();
    for bench in &mut file.benchmarks {
        if bench.name.trim().is_empty() {
            return Err("a benchmark has an empty name".to_string());
        }
        if !seen.insert(bench.name.clone()) {
            return Err(format!("duplicate benchmark name {:?}", bench.name));
        }
        if bench.group.is_empty() {
            bench.group = bench.name.split('/').next().unwrap_or_default().to_string();
        }
        let counted_only = bench.instructions_per_iter.is_some() && bench.samples_ns.is_empty();
        if (bench.error.is_some() || counted_only) && bench.samples_ns.is_empty() {
            bench.summary = None;
            continue;
        }
        let sample = Sample::new(bench.samples_ns.clone())
            .map_err(|e| format!("benchmark {:?}: samples_ns: {e}", bench.name))?;
        bench.summary = Some(Summary::of(&sample));
    }
    Ok(())
}

/// Writes `value` as pretty JSON (trailing newline) to `path` atomically: a temporary file
/// in the same directory, flushed to disk, then renamed over `path`. A crash leaves either
/// the old file or the new one, never half of one.
pub fn write_json_atomic<T: Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Writes bytes to `path` atomically (temporary file + rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    // tempfile creates 0600; results, baselines and reports are meant to be shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("setting permissions of {}", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> Result<ResultsFile, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        std::fs::write(&path, text).unwrap();
        load_results(&path)
    }

    #[test]
    fn minimal_file_gets_summaries_recomputed() {
        let f = load_str(r#"{"benchmarks":[{"name":"a/1","samples_ns":[3,1,2]}]}"#).unwrap();
        let b = &f.benchmarks[0];
        assert_eq!(b.group, "a");
        assert_eq!(b.summary.unwrap().p50_ns, 2.0);
    }

    #[test]
    fn stored_summary_is_replaced_by_recomputed_one() {
        let f = load_str(
            r#"{"benchmarks":[{"name":"a","samples_ns":[1,3],"min_ns":0,"max_ns":0,
            "mean_ns":0,"stddev_ns":0,"mad_ns":0,"cv":0,"p50_ns":99,"p95_ns":0,"p99_ns":0}]}"#,
        )
        .unwrap();
        assert_eq!(f.benchmarks[0].summary.unwrap().p50_ns, 2.0);
    }

    #[test]
    fn bad_inputs_name_the_cause() {
        let cases = [
            (
                r#"{"benchmarks":[{"name":"a","samples_ns":[1,2]"#,
                "not a valid results file",
            ),
            (r#"{"schema":"v0","benchmarks":[]}"#, "unsupported schema"),
            (
                r#"{"benchmarks":[{"name":"a","samples_ns":[]}]}"#,
                "no samples",
            ),
            (
                r#"{"benchmarks":[{"name":"a","samples_ns":[-1]}]}"#,
                "negative",
            ),
            (
                r#"{"benchmarks":[{"name":"a","samples_ns":[1]},{"name":"a","samples_ns":[1]}]}"#,
                "duplicate",
            ),
        ];
        for (text, want) in cases {
            let err = load_str(text).unwrap_err().to_string();
            assert!(
                err.contains("r.json") && err.contains(want),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn floats_round_trip_exactly() {
        let text = r#"{"benchmarks":[{"name":"a","samples_ns":[0.1,1234567.891011121,3e-7]}]}"#;
        let f = load_str(text).unwrap();
        let back: ResultsFile = serde_json::from_str(&serde_json::to_string(&f).unwrap()).unwrap();
        assert_eq!(back.benchmarks[0].samples_ns, f.benchmarks[0].samples_ns);
        assert_eq!(back.benchmarks[0].summary, f.benchmarks[0].summary);
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, "old").unwrap();
        write_json_atomic(&path, &vec![1, 2]).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[\n  1,\n  2\n]\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
