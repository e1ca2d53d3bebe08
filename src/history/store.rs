//! The history store: a directory of small JSON files, one per run and one per
//! acknowledgement, each named by its commit and a digest of its content.
//!
//! Why this layout: files are only ever created, never modified, so two concurrent `add`s
//! (or two branches appending in git) touch different paths and never conflict; adding
//! the same run again produces the same name and content and is a no-op; a crash leaves
//! a file or none (temporary file + rename). No server, no database, no lock.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::record::{HISTORY_SCHEMA, RunRecord, SCHEMA_PREFIX, SCHEMA_VERSION, digest};

/// Why the store cannot be read or written. All are input errors (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// A file was written by a newer perfgate.
    #[error("{}: written by a newer perfgate (schema {schema:?}; this perfgate reads {HISTORY_SCHEMA:?}); left untouched", path.display())]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema.
        schema: String,
    },
    /// A file cannot be parsed or holds impossible values.
    #[error("{}: corrupt history file: {reason}; left untouched", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The file system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// An argument cannot be used (a commit that is no file name, a missing commit).
    #[error("{0}")]
    Invalid(String),
}

/// An acknowledged change: a regression at `commit` (in `benchmark`, or all) is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AckRecord {
    /// [`HISTORY_SCHEMA`].
    pub schema: String,
    /// The commit (a prefix of the change point's commit matches).
    pub commit: String,
    /// The benchmark; absent: every benchmark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
}

impl AckRecord {
    /// Whether this acknowledgement covers a change point at `commit` in `benchmark`.
    pub fn covers(&self, commit: &str, benchmark: &str) -> bool {
        commit.starts_with(&self.commit) && self.benchmark.as_deref().is_none_or(|b| b == benchmark)
    }
}

/// What `add` did with one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new file was written.
    New(PathBuf),
    /// The same run was already stored; nothing changed.
    AlreadyPresent(PathBuf),
}

/// A history store rooted at a directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// Checks that `commit` can be part of a file name: 1–100 of `[0-9A-Za-z._-]`, no leading dot.
fn check_commit(commit: &str) -> Result<(), HistoryError> {
    let ok = !commit.is_empty()
        && commit.len() <= 100
        && !commit.starts_with('.')
        && commit
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if ok {
        Ok(())
    } else {
        Err(HistoryError::Invalid(format!(
            "commit {commit:?}: expected 1-100 characters of [0-9A-Za-z._-]"
        )))
    }
}

/// Parses one history file, telling a newer schema from corruption.
fn parse<T: serde::de::DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T, HistoryError> {
    #[derive(Deserialize)]
    struct Probe {
        schema: String,
    }
    let newer = |schema: &str| {
        schema
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|v| v.parse::<u32>().ok())
            .is_some_and(|v| v > SCHEMA_VERSION)
    };
    match serde_json::from_slice::<Probe>(bytes) {
        Ok(p) if newer(&p.schema) => {
            return Err(HistoryError::Newer {
                path: path.to_path_buf(),
                schema: p.schema,
            });
        }
        Ok(p) if p.schema != HISTORY_SCHEMA => {
            return Err(HistoryError::Corrupt {
                path: path.to_path_buf(),
                reason: format!("unknown schema {:?}", p.schema),
            });
        }
        _ => {}
    }
    serde_json::from_slice(bytes).map_err(|e| HistoryError::Corrupt {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

/// Creates `path` with `bytes` unless it exists: temporary file + no-clobber rename.
/// Returns false when a file was already there (which is then compared, never replaced).
fn create_new(path: &Path, bytes: &[u8]) -> Result<bool, HistoryError> {
    let io = |source| HistoryError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().expect("store paths have a parent");
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(io)?;
    }
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            let existing = std::fs::read(path).map_err(io)?;
            if existing == bytes {
                Ok(false)
            } else {
                Err(HistoryError::Corrupt {
                    path: path.to_path_buf(),
                    reason: "exists with other content than its name promises".into(),
                })
            }
        }
        Err(e) => Err(io(e.error)),
    }
}

impl Store {
    /// The store at `root` (created on the first `add`).
    pub fn new(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn shard(&self, kind: &str, commit: &str) -> PathBuf {
        let prefix: String = commit.chars().take(2).collect();
        self.root.join(kind).join(prefix.to_lowercase())
    }

    /// Adds one run; the same run twice is a no-op.
    pub fn add(&self, record: &RunRecord) -> Result<Added, HistoryError> {
        check_commit(&record.commit)?;
        let mut bytes = serde_json::to_vec(record).expect("records serialise");
        bytes.push(b'\n');
        let name = format!("{}-{}.json", record.commit, digest(&bytes));
        let path = self.shard("runs", &record.commit).join(name);
        Ok(if create_new(&path, &bytes)? {
            Added::New(path)
        } else {
            Added::AlreadyPresent(path)
        })
    }

    /// Records an acknowledgement; the same one twice is a no-op.
    pub fn ack(&self, commit: &str, benchmark: Option<&str>) -> Result<Added, HistoryError> {
        check_commit(commit)?;
        let ack = AckRecord {
            schema: HISTORY_SCHEMA.to_string(),
            commit: commit.to_string(),
            benchmark: benchmark.map(str::to_string),
        };
        let mut bytes = serde_json::to_vec(&ack).expect("acks serialise");
        bytes.push(b'\n');
        let path = self
            .shard("acks", commit)
            .join(format!("{commit}-{}.json", digest(&bytes)));
        Ok(if create_new(&path, &bytes)? {
            Added::New(path)
        } else {
            Added::AlreadyPresent(path)
        })
    }

    /// The `*.json` files under `root/kind/*/`, sorted.
    fn files(&self, kind: &str) -> Result<Vec<PathBuf>, HistoryError> {
        let dir = self.root.join(kind);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| HistoryError::Io { path, source }
        };
        let mut out = Vec::new();
        if !dir.exists() {
            return Ok(out);
        }
        for shard in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let shard = shard.map_err(io(&dir))?.path();
            if !shard.is_dir() {
                continue;
            }
            for f in std::fs::read_dir(&shard).map_err(io(&shard))? {
                let f = f.map_err(io(&shard))?.path();
                if f.extension().is_some_and(|e| e == "json") {
                    out.push(f);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Visits every run, in chunks read in parallel; the first bad file stops the visit.
    pub fn for_each_run(&self, mut visit: impl FnMut(RunRecord)) -> Result<usize, HistoryError> {
        let files = self.files("runs")?;
        for chunk in files.chunks(512) {
            let parsed: Vec<Result<RunRecord, HistoryError>> = chunk
                .par_iter()
                .map(|path| {
                    let bytes = std::fs::read(path).map_err(|source| HistoryError::Io {
                        path: path.clone(),
                        source,
                    })?;
                    parse(path, &bytes)
                })
                .collect();
            for record in parsed {
                visit(record?);
            }
        }
        Ok(files.len())
    }

    /// Every acknowledgement.
    pub fn acks(&self) -> Result<Vec<AckRecord>, HistoryError> {
        self.files("acks")?
            .iter()
            .map(|path| {
                let bytes = std::fs::read(path).map_err(|source| HistoryError::Io {
                    path: path.clone(),
                    source,
                })?;
                parse(path, &bytes)
            })
            .collect()
    }
}
