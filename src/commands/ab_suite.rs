//! `perfgate ab` on a command suite (perfgate.toml): the base's checkout (a temporary git
//! worktree of `--base REV`, or `--base-dir PATH`) and the head's (the current directory)
//! each run their suite's `build` once, then every command benchmark runs on both sides,
//! paired and interleaved; the verdict is the same as for the built-in suite.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::cli::AbCommand;
use crate::error::InputError;
use crate::gate::gate_ab;
use crate::results::{AbSide, write_json_atomic};
use crate::runner::{CommandSide, Launch, PairedCommandsConfig, run_paired_commands, run_process};
use crate::suite::commands::{CommandBench, CommandSuite, load_suite, parse_suite};

use super::ab_build::{
    add_worktree, default_base, head_commit, remove_worktree, repo_root, resolve_commit,
};
use super::verdict_out::{emit, load_thresholds};

/// Runs `perfgate ab` for the suite file `suite` (a path as given, relative to the
/// current directory or inside it).
pub fn run(cmd: &AbCommand, suite: &Path) -> anyhow::Result<i32> {
    for (flag, given) in [
        ("--warmup-ms", cmd.warmup_ms.is_some()),
        ("--sample-ms", cmd.sample_ms.is_some()),
    ] {
        if given {
            return Err(InputError::flag(
                flag,
                "does not apply to a command suite (one sample is one run; the suite file's \
                 warmup_runs sets the warm-up)",
            )
            .into());
        }
    }
    let thresholds = load_thresholds(&cmd.gate.thresholds)?;
    let ab = super::ab_config::suite_config(cmd, &thresholds)?;
    let here = std::env::current_dir()?
        .canonicalize()
        .context("cannot resolve the current directory")?;
    let rel = relative_suite(suite, &here)?;
    let head_suite = load_suite(&here.join(&rel))?;
    let mut notes = Vec::new();

    // The base's checkout: a ready directory, or a worktree removed when `_tree` drops.
    let (base_root, base_commit, _tree) = match &cmd.base_dir {
        Some(dir) => {
            let dir = dir
                .canonicalize()
                .map_err(|e| InputError::flag("--base-dir", format!("{}: {e}", dir.display())))?;
            if !dir.is_dir() {
                return Err(InputError::flag(
                    "--base-dir",
                    format!("{} is not a directory", dir.display()),
                )
                .into());
            }
            let commit = head_commit(&dir);
            (dir, commit, None)
        }
        None => {
            let rev = match &cmd.base {
                Some(r) => r.clone(),
                None => default_base(&here)?,
            };
            let tree = BaseWorktree::add(&here, &rev)?;
            // The same place inside the base's checkout as the current directory in the head's.
            let root = repo_root(&here)?;
            let inside = here.strip_prefix(&root).unwrap_or(Path::new(""));
            eprintln!(
                "base {}: git worktree at {}",
                short(&tree.sha),
                tree.path.display()
            );
            (tree.path.join(inside), Some(tree.sha.clone()), Some(tree))
        }
    };
    let base_file = base_root.join(&rel);
    let base_suite = if base_file.is_file() {
        load_suite(&base_file)?
    } else {
        notes.push(format!(
            "the base has no {}: the head's commands ran on both sides",
            rel.display()
        ));
        let bytes = crate::error::read_file(&head_suite.path)?;
        parse_suite(&bytes, &base_file)?
    };
    if std::env::var_os("CARGO_TARGET_DIR").is_some() {
        let note = "CARGO_TARGET_DIR is set: a cargo build of both sides writes into one \
                    target directory, so commands that run the built binary may run the \
                    same one on both sides";
        eprintln!("warning: {note}");
        notes.push(note.to_string());
    }
    build("base", &base_suite)?;
    build("head", &head_suite)?;

    let wanted = |s: CommandSuite| -> Vec<CommandBench> {
        s.benches
            .into_iter()
            .filter(|b| ab.filter.as_ref().is_none_or(|re| re.is_match(&b.name)))
            .collect()
    };
    let base_label = match &cmd.base_dir {
        Some(_) => base_file.display().to_string(),
        None => format!(
            "{} @ {}",
            rel.display(),
            short(base_commit.as_deref().unwrap_or_default())
        ),
    };
    let (base_benches, head_benches) = (wanted(base_suite), wanted(head_suite));
    if base_benches.is_empty() && head_benches.is_empty() {
        return Err(InputError::flag(
            "--filter",
            format!(
                "{:?} matches no benchmark of either side (see `perfgate list`)",
                cmd.filter.as_deref().unwrap_or_default()
            ),
        )
        .into());
    }
    let side = |binary: String, git_commit: Option<String>| AbSide {
        binary,
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        git_commit,
    };
    let config = PairedCommandsConfig {
        stages: ab.stages.clone(),
        samples_per_visit: ab.samples_per_visit,
        core: ab.core,
    };
    let results = run_paired_commands(
        &config,
        CommandSide {
            benches: &base_benches,
            info: side(base_label, base_commit),
        },
        CommandSide {
            benches: &head_benches,
            info: side(rel.display().to_string(), head_commit(&here)),
        },
        notes,
        |line| eprintln!("{line}"),
    );
    if let Some(path) = &cmd.results_out {
        write_json_atomic(path, &results)?;
        eprintln!("A/B results written to {}", path.display());
    }
    let verdict = gate_ab(&results, &thresholds)?;
    emit(verdict, &cmd.gate, cmd.out.as_deref())
}

/// The suite file's path relative to the head's checkout `here`.
fn relative_suite(suite: &Path, here: &Path) -> Result<PathBuf, InputError> {
    let absolute = here.join(suite);
    if !absolute.is_file() {
        return Err(InputError::file(suite, "no such file"));
    }
    let absolute = absolute
        .canonicalize()
        .map_err(|e| InputError::file(suite, e.to_string()))?;
    absolute
        .strip_prefix(here)
        .map(Path::to_path_buf)
        .map_err(|_| {
            InputError::flag(
                "--suite",
                format!(
                    "{} is outside the current directory (the head's checkout), so it has \
                     no place in the base's",
                    suite.display()
                ),
            )
        })
}

/// Runs the suite's `build`, if any, in its directory; a failure stops the run with the
/// end of its stderr.
fn build(side: &str, suite: &CommandSuite) -> anyhow::Result<()> {
    let Some(build) = &suite.build else {
        return Ok(());
    };
    eprintln!(
        "{side}: building ({}) in {}",
        build.description(),
        build.cwd.display()
    );
    let env = BTreeMap::new();
    match run_process(Launch {
        argv: &build.argv,
        cwd: &build.cwd,
        env: &env,
        timeout: build.timeout,
    }) {
        Ok(_) => Ok(()),
        Err(e) => bail!(
            "the {side}'s build `{}` (in {}) failed: {e}",
            build.description(),
            build.cwd.display()
        ),
    }
}

fn short(sha: &str) -> &str {
    &sha[..12.min(sha.len())]
}

/// A temporary git worktree of the base, removed (worktree and directory) when dropped.
struct BaseWorktree {
    /// The repository it belongs to.
    root: PathBuf,
    /// Its directory.
    path: PathBuf,
    /// The commit checked out.
    sha: String,
    /// Holds the temporary parent directory until the worktree is removed.
    _parent: tempfile::TempDir,
}

impl BaseWorktree {
    /// Checks revision `rev` of the repository holding `dir` out in a temporary directory.
    fn add(dir: &Path, rev: &str) -> anyhow::Result<BaseWorktree> {
        let sha = resolve_commit(dir, rev)?;
        let root = repo_root(dir)?;
        let parent = tempfile::Builder::new()
            .prefix("perfgate-ab-")
            .tempdir()
            .context("cannot create a temporary directory for the base's worktree")?;
        let path = parent.path().join(format!("base-{}", short(&sha)));
        add_worktree(&root, &path, &sha)?;
        Ok(BaseWorktree {
            root,
            path,
            sha,
            _parent: parent,
        })
    }
}

impl Drop for BaseWorktree {
    fn drop(&mut self) {
        remove_worktree(&self.root, &self.path);
    }
}
