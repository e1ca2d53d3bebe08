//! The base side of `perfgate ab`: which revision, and its release binary. The revision is
//! checked out in a git worktree (target/perfgate-ab/base-<sha>) and built with
//! `cargo build --release` into one reused target directory (target/perfgate-ab/target);
//! the binary is kept as target/perfgate-ab/bin/perfgate-<sha>, so a second A/B run on the
//! same base builds nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// Runs git with `args` in `dir`; its trimmed stdout, or `None` when it fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The default base: the merge-base of HEAD with origin/main, else with main.
pub fn default_base(repo: &Path) -> anyhow::Result<String> {
    for upstream in ["origin/main", "main"] {
        if let Some(sha) = git(repo, &["merge-base", "HEAD", upstream]) {
            return Ok(sha);
        }
    }
    bail!(
        "--base: no merge-base of HEAD with origin/main or main in {} (fetch with history, \
         or give --base REV or --base-bin PATH)",
        repo.display()
    )
}

/// The release binary of revision `rev` (a commit, branch or tag) of the repository at
/// `repo`, building it when it is not there yet. Returns the binary and the full SHA.
pub fn base_binary(repo: &Path, rev: &str) -> anyhow::Result<(PathBuf, String)> {
    let spec = format!("{rev}^{{commit}}");
    let Some(sha) = git(repo, &["rev-parse", "--verify", "--quiet", &spec]) else {
        bail!(
            "--base: {rev:?} is not a commit of the repository at {}",
            repo.display()
        );
    };
    let root = git(repo, &["rev-parse", "--show-toplevel"])
        .map(PathBuf::from)
        .context("--base: not inside a git repository")?;
    let work = root.join("target").join("perfgate-ab");
    let short = &sha[..12.min(sha.len())];
    let bin = work.join("bin").join(format!("perfgate-{short}"));
    if bin.is_file() {
        eprintln!("base {short}: reusing {}", bin.display());
        return Ok((bin, sha));
    }
    let tree = work.join(format!("base-{short}"));
    if !tree.join("Cargo.toml").is_file() {
        let _ = std::fs::remove_dir_all(&tree);
        let _ = git(&root, &["worktree", "prune"]);
        let added = Command::new("git")
            .args(["worktree", "add", "--detach"])
            .arg(&tree)
            .arg(&sha)
            .current_dir(&root)
            .stdout(Stdio::null())
            .status()
            .context("cannot run git worktree add")?;
        if !added.success() {
            bail!("git worktree add {} {sha} failed", tree.display());
        }
    }
    let target = work.join("target");
    eprintln!("base {short}: cargo build --release in {}", tree.display());
    let built = Command::new("cargo")
        .args(["build", "--release", "--bin", "perfgate"])
        .env("CARGO_TARGET_DIR", &target)
        .current_dir(&tree)
        .stdout(Stdio::inherit())
        .status()
        .context("cannot run cargo")?;
    if !built.success() {
        bail!(
            "building the base {short} failed (cargo build --release in {})",
            tree.display()
        );
    }
    std::fs::create_dir_all(bin.parent().expect("bin has a parent"))?;
    let fresh = target.join("release").join("perfgate");
    // Copy under a temporary name, then rename: a half-copied binary is never reused.
    let partial = bin.with_extension("partial");
    std::fs::copy(&fresh, &partial)
        .with_context(|| format!("cannot copy {} to {}", fresh.display(), partial.display()))?;
    std::fs::rename(&partial, &bin)?;
    Ok((bin, sha))
}
