//! Merging the results of the shards of one run (`--shard I/N`) into one results file,
//! which then gates like any other (one Holm family over the whole suite).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::ResultsFile;
use crate::baseline::Fingerprint;

/// Why shard results cannot be merged. Every variant names the file(s) at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MergeError {
    /// No file was given.
    #[error("no results files to merge")]
    NoFiles,
    /// A file without shard information (a whole run, or an old file).
    #[error(
        "{file}: not a shard (no `shard` field); merge takes the results of `--shard I/N` runs"
    )]
    NotAShard {
        /// The file.
        file: String,
    },
    /// Shards of different splits (N differs).
    #[error("{file}: shard {index}/{count}, but {first} is a shard of {first_count}")]
    CountMismatch {
        /// The file that disagrees.
        file: String,
        /// Its shard index.
        index: u32,
        /// Its shard count.
        count: u32,
        /// The first file.
        first: String,
        /// The first file's shard count.
        first_count: u32,
    },
    /// Shards of different suites (the digest of the full benchmark list differs).
    #[error(
        "{file}: a shard of another suite (digest {digest}; {first} has {first_digest}): the \
         benchmark lists differ"
    )]
    SuiteMismatch {
        /// The file that disagrees.
        file: String,
        /// Its suite digest.
        digest: String,
        /// The first file.
        first: String,
        /// The first file's suite digest.
        first_digest: String,
    },
    /// The same shard twice.
    #[error("shard {index}/{count} appears twice: {a} and {b}")]
    DuplicateShard {
        /// The shard index.
        index: u32,
        /// The shard count.
        count: u32,
        /// One file.
        a: String,
        /// The other file.
        b: String,
    },
    /// Some shards are absent.
    #[error("missing shard(s) {} of {count}", list(.indices))]
    MissingShards {
        /// The absent shard indices, 1-based.
        indices: Vec<u32>,
        /// The shard count.
        count: u32,
    },
    /// One benchmark in two files.
    #[error("benchmark {name:?} is in two files: {a} and {b}")]
    DuplicateBenchmark {
        /// The benchmark.
        name: String,
        /// One file.
        a: String,
        /// The other file.
        b: String,
    },
    /// Shards measured on machines with different fingerprints.
    #[error(
        "{file}: measured on another machine ({machine}; {first}: {first_machine}); timings \
         of different machines do not belong in one run (--force merges them anyway)"
    )]
    MixedMachines {
        /// The file that disagrees.
        file: String,
        /// Its machine.
        machine: String,
        /// The first file.
        first: String,
        /// The first file's machine.
        first_machine: String,
    },
    /// Shards measured differently: metric, settings, perfgate version or commit.
    #[error(
        "{file}: measured differently from {first}: {key} is {value} there, {first_value} in {first}"
    )]
    MixedRuns {
        /// The file that disagrees.
        file: String,
        /// The differing field, e.g. `settings.samples` or `metric`.
        key: String,
        /// Its value in `file`.
        value: String,
        /// The first file.
        first: String,
        /// Its value in the first file.
        first_value: String,
    },
    /// The shards together do not hold the suite they were cut from.
    #[error(
        "the {count} shards hold {benchmarks} benchmarks whose list does not match the suite \
         digest {digest} (a shard was run on another benchmark selection?)"
    )]
    IncompleteSuite {
        /// The shard count.
        count: u32,
        /// Benchmarks found in all files.
        benchmarks: usize,
        /// The digest the shards carry.
        digest: String,
    },
}

fn list(indices: &[u32]) -> String {
    let parts: Vec<String> = indices.iter().map(u32::to_string).collect();
    parts.join(", ")
}

/// Merges the shard results `files` (label, contents) into one results file: the
/// benchmarks of all shards, ordered by `order` (names in suite order; benchmarks not in
/// it follow by name), and the first shard's environment and settings. Refuses anything
/// that would not make one coherent run; `force` accepts shards from different machines.
pub fn merge_shards(
    files: &[(String, ResultsFile)],
    order: &[String],
    force: bool,
) -> Result<ResultsFile, MergeError> {
    let (first_label, first) = files.first().ok_or(MergeError::NoFiles)?;
    let shard_of = |(label, file): &(String, ResultsFile)| {
        file.shard.clone().ok_or_else(|| MergeError::NotAShard {
            file: label.clone(),
        })
    };
    let first_shard = shard_of(&files[0])?;
    let first_machine = Fingerprint::of(&first.env);
    let first_identity = run_identity(first);
    let mut by_index: HashMap<u32, &str> = HashMap::new();
    for entry in files {
        let (label, file) = entry;
        let shard = shard_of(entry)?;
        if shard.count != first_shard.count {
            return Err(MergeError::CountMismatch {
                file: label.clone(),
                index: shard.index,
                count: shard.count,
                first: first_label.clone(),
                first_count: first_shard.count,
            });
        }
        if shard.suite_digest != first_shard.suite_digest {
            return Err(MergeError::SuiteMismatch {
                file: label.clone(),
                digest: shard.suite_digest,
                first: first_label.clone(),
                first_digest: first_shard.suite_digest,
            });
        }
        if let Some(other) = by_index.insert(shard.index, label) {
            return Err(MergeError::DuplicateShard {
                index: shard.index,
                count: shard.count,
                a: other.to_string(),
                b: label.clone(),
            });
        }
        let machine = Fingerprint::of(&file.env);
        if machine != first_machine && !force {
            return Err(MergeError::MixedMachines {
                file: label.clone(),
                machine: machine.describe(),
                first: first_label.clone(),
                first_machine: first_machine.describe(),
            });
        }
        compare_identity(&first_identity, &run_identity(file)).map_err(|(key, a, b)| {
            MergeError::MixedRuns {
                file: label.clone(),
                key,
                value: b,
                first: first_label.clone(),
                first_value: a,
            }
        })?;
    }
    let missing: Vec<u32> = (1..=first_shard.count)
        .filter(|i| !by_index.contains_key(i))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards {
            indices: missing,
            count: first_shard.count,
        });
    }
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for (label, file) in files {
        for bench in &file.benchmarks {
            if let Some(other) = owner.insert(&bench.name, label) {
                return Err(MergeError::DuplicateBenchmark {
                    name: bench.name.clone(),
                    a: other.to_string(),
                    b: label.clone(),
                });
            }
        }
    }
    let names: Vec<&str> = owner.keys().copied().collect();
    if crate::suite::shard::suite_digest(&names) != first_shard.suite_digest {
        return Err(MergeError::IncompleteSuite {
            count: first_shard.count,
            benchmarks: names.len(),
            digest: first_shard.suite_digest,
        });
    }
    let rank: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let mut benchmarks: Vec<_> = files
        .iter()
        .flat_map(|(_, f)| f.benchmarks.iter().cloned())
        .collect();
    benchmarks.sort_by(|a, b| {
        let key = |n: &str| rank.get(n).copied().unwrap_or(usize::MAX);
        key(&a.name)
            .cmp(&key(&b.name))
            .then_with(|| a.name.cmp(&b.name))
    });
    // The first shard (by index) speaks for the run: its environment and settings.
    let lead = files
        .iter()
        .map(|(_, f)| f)
        .min_by_key(|f| f.shard.as_ref().map_or(0, |s| s.index))
        .unwrap_or(first);
    Ok(ResultsFile {
        schema: lead.schema.clone(),
        perfgate_version: lead.perfgate_version.clone(),
        env: lead.env.clone(),
        settings: lead.settings.clone(),
        benchmarks,
        shard: None,
    })
}

/// What must agree between shards of one run: every top-level field except the
/// benchmarks, the environment (checked by fingerprint) and the shard; the settings
/// except the clock measurements each process makes for itself; and the git commit.
/// Taken from the JSON form, so fields added later (e.g. the metric) are compared too.
fn run_identity(file: &ResultsFile) -> Map<String, Value> {
    // `..` keeps fields added to ResultsFile later in the comparison.
    let shell = ResultsFile {
        benchmarks: Vec::new(),
        ..file.clone()
    };
    let mut map = match serde_json::to_value(&shell) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for key in ["benchmarks", "env", "shard"] {
        map.remove(key);
    }
    if let Some(Value::Object(settings)) = map.remove("settings") {
        for (key, value) in settings {
            if !key.starts_with("timer_") {
                map.insert(format!("settings.{key}"), value);
            }
        }
    }
    let commit = file
        .env
        .git_commit
        .clone()
        .map_or(Value::Null, Value::String);
    map.insert("env.git_commit".into(), commit);
    map
}

/// The first key on which two identities differ, with both values.
fn compare_identity(
    a: &Map<String, Value>,
    b: &Map<String, Value>,
) -> Result<(), (String, String, String)> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (x, y) = (
            a.get(key).unwrap_or(&Value::Null),
            b.get(key).unwrap_or(&Value::Null),
        );
        if x != y {
            return Err((key.clone(), x.to_string(), y.to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
