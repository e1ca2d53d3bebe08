//! Reading baselines (a baseline file or a single results file), resolving baseline names,
//! and writing baselines deterministically and atomically.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::build::{from_runs, summarize};
use super::json_format::CompactArrays;
use super::{BASELINE_SCHEMA, BaselineFile, Fingerprint};
use crate::error::InputError;
use crate::results::{RESULTS_SCHEMA, parse_results, write_atomic};

/// The file a `--baseline NAME|PATH` argument means: a path when it names an existing file,
/// contains a path separator or ends in `.json`; otherwise `DIR/NAME.json`.
pub fn resolve(arg: &str, dir: &Path) -> PathBuf {
    let path = Path::new(arg);
    if path.is_file() || arg.contains(['/', '\\']) || arg.ends_with(".json") {
        path.to_path_buf()
    } else {
        dir.join(format!("{arg}.json"))
    }
}

/// This machine's baseline in `dir`: `SLUG.json` ([`Fingerprint::slug`]); when there is none,
/// one of the same coarse class — `COARSE.json` (as perfgate named baselines before family
/// and model were part of the name), else a `COARSE-f<family>m<model>.json`, this CPU
/// family's first — whose comparison names what differs in a DIFFERENT MACHINE note; else
/// `SLUG.json`, missing.
pub fn for_machine(fp: &Fingerprint, dir: &Path) -> PathBuf {
    let exact = dir.join(format!("{}.json", fp.slug()));
    if exact.is_file() {
        return exact;
    }
    let coarse = fp.coarse_slug();
    let legacy = dir.join(format!("{coarse}.json"));
    if legacy.is_file() {
        return legacy;
    }
    let prefix = format!("{coarse}-f");
    let family = fp.cpu.as_ref().map(|id| id.family.trim().to_string());
    let mut same_class: Vec<(bool, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            let (f, m) = name
                .strip_prefix(&prefix)?
                .strip_suffix(".json")?
                .split_once('m')?;
            let alnum = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
            (alnum(f) && alnum(m)).then(|| (family.as_deref() != Some(f), p.clone()))
        })
        .collect();
    same_class.sort();
    same_class.into_iter().next().map_or(exact, |(_, p)| p)
}

/// Reads and validates a baseline. A results file (`perfgate run --out`, or a minimal
/// hand-made one) is accepted too, as a baseline of one run whose run-to-run spread is
/// unknown. Pooled summaries and spreads are recomputed from the raw samples.
pub fn load_baseline(path: &Path) -> Result<BaselineFile, InputError> {
    let bytes = crate::error::read_file(path)?;
    parse_baseline(&bytes, path)
}

/// Parses and validates the bytes of a baseline (or results) file; errors name `path`.
pub fn parse_baseline(bytes: &[u8], path: &Path) -> Result<BaselineFile, InputError> {
    let err = |reason: String| InputError::file(path, reason);
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| err(format!("not valid JSON: {e}")))?;
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(BASELINE_SCHEMA) => {
            let mut file: BaselineFile = serde_json::from_value(value)
                .map_err(|e| err(format!("not a valid baseline file: {e}")))?;
            validate(&mut file).map_err(err)?;
            Ok(file)
        }
        None | Some(RESULTS_SCHEMA) => {
            let results = parse_results(bytes, path)?;
            let runs = [(path.display().to_string(), results)];
            let (file, _) = from_runs(&runs, false).map_err(|e| err(e.to_string()))?;
            Ok(file)
        }
        Some(other) => Err(err(format!(
            "unsupported schema {other:?} (this perfgate reads {BASELINE_SCHEMA:?} and \
             {RESULTS_SCHEMA:?})"
        ))),
    }
}

fn validate(file: &mut BaselineFile) -> Result<(), String> {
    if file.runs.is_empty() {
        return Err("the baseline holds no run".to_string());
    }
    let mut seen = HashSet::new();
    for bench in &mut file.benchmarks {
        if bench.name.trim().is_empty() {
            return Err("a benchmark has an empty name".to_string());
        }
        if !seen.insert(bench.name.clone()) {
            return Err(format!("duplicate benchmark name {:?}", bench.name));
        }
        if bench.samples_ns.len() != file.runs.len() {
            return Err(format!(
                "benchmark {:?}: samples_ns holds {} runs but the baseline has {}",
                bench.name,
                bench.samples_ns.len(),
                file.runs.len()
            ));
        }
        (bench.pooled, bench.spread) = summarize(&bench.name, &bench.samples_ns)?;
        if bench.group.is_empty() {
            bench.group = bench.name.split('/').next().unwrap_or_default().to_string();
        }
    }
    Ok(())
}

/// The baseline as written to disk: pretty JSON, number arrays on one line, trailing
/// newline. Same input → byte-identical text.
pub fn to_pretty_json(file: &BaselineFile) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, CompactArrays::default());
    file.serialize(&mut ser)
        .expect("a baseline always serializes");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the baseline atomically: a crash mid-write leaves the old file.
pub fn write_baseline(path: &Path, file: &BaselineFile) -> anyhow::Result<()> {
    write_atomic(path, to_pretty_json(file).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn results_file_loads_as_a_one_run_baseline() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "r.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1,2,3]}]}"#,
        );
        let base = load_baseline(&p).unwrap();
        assert_eq!(base.runs.len(), 1);
        assert_eq!(base.benchmarks[0].pooled.p50_ns, 2.0);
        assert_eq!(base.benchmarks[0].spread.p50.rel_sd, None);
    }

    #[test]
    fn written_baseline_reads_back_identically_and_is_byte_stable() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "r.json",
            r#"{"benchmarks":[{"name":"a","samples_ns":[1.25,2,3e-3]}]}"#,
        );
        let base = load_baseline(&p).unwrap();
        let out = dir.path().join("b.json");
        write_baseline(&out, &base).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(
            text.contains("\"samples_ns\": [\n        [1.25, 2.0, 0.003]\n      ]"),
            "{text}"
        );
        let again = load_baseline(&out).unwrap();
        assert_eq!(again, base);
        assert_eq!(to_pretty_json(&again), text);
    }

    #[test]
    fn bad_baselines_name_file_and_cause() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("{\"schema\":", "not valid JSON"),
            (r#"{"schema":"perfgate.baseline.v9"}"#, "unsupported schema"),
            (
                r#"{"schema":"perfgate.baseline.v1"}"#,
                "not a valid baseline file",
            ),
            (
                r#"{"benchmarks":[{"name":"a","samples_ns":[]}]}"#,
                "no samples",
            ),
        ];
        for (text, want) in cases {
            let p = write(dir.path(), "bad.json", text);
            let e = load_baseline(&p).unwrap_err().to_string();
            assert!(e.contains("bad.json") && e.contains(want), "{text}: {e}");
        }
        let e = load_baseline(&dir.path().join("nope.json"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("nope.json") && e.contains("cannot read"), "{e}");
    }

    #[test]
    fn this_machines_baseline_is_the_exact_class_then_the_coarse_one() {
        let dir = tempfile::tempdir().unwrap();
        let env = crate::results::Env {
            cpu_model: "AMD EPYC".into(),
            logical_cores: 2,
            os: "linux x86_64".into(),
            cpu: Some(crate::results::CpuId {
                family: "23".into(),
                model: "1".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let fp = Fingerprint::of(&env);
        let d = dir.path();
        let name = |p: PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            name(for_machine(&fp, d)),
            "linux-x86_64-2cpu-amd-epyc-f23m1.json"
        );
        write(d, "linux-x86_64-2cpu-amd-epyc-fancy.json", "{}");
        write(d, "linux-x86_64-2cpu-amd-epyc-f17m1.json", "{}");
        assert_eq!(
            name(for_machine(&fp, d)),
            "linux-x86_64-2cpu-amd-epyc-f17m1.json",
            "another family of the same class, not an unrelated name"
        );
        write(d, "linux-x86_64-2cpu-amd-epyc-f23m49.json", "{}");
        assert_eq!(
            name(for_machine(&fp, d)),
            "linux-x86_64-2cpu-amd-epyc-f23m49.json",
            "this CPU family's first"
        );
        write(d, "linux-x86_64-2cpu-amd-epyc.json", "{}");
        assert_eq!(name(for_machine(&fp, d)), "linux-x86_64-2cpu-amd-epyc.json");
        write(d, "linux-x86_64-2cpu-amd-epyc-f23m1.json", "{}");
        assert_eq!(
            name(for_machine(&fp, d)),
            "linux-x86_64-2cpu-amd-epyc-f23m1.json"
        );
    }

    #[test]
    fn names_resolve_under_the_directory_and_paths_stay_paths() {
        let dir = Path::new("baselines");
        assert_eq!(resolve("ci", dir), PathBuf::from("baselines/ci.json"));
        assert_eq!(resolve("x/ci.json", dir), PathBuf::from("x/ci.json"));
        assert_eq!(resolve("ci.json", dir), PathBuf::from("ci.json"));
    }
}
