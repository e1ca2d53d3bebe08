//! The base side of `perfgate ab`: which revision, and its release binary. The revision is
//! checked out in a git worktree (target/perfgate-ab/base-<sha>) and built with
//! `cargo build --release` into one reused target directory (target/perfgate-ab/target);
//! the binary is kept as target/perfgate-ab/bin/perfgate-<sha>, so a second A/B run on the
//! same base builds nothing. The git helpers (revision, worktree add/remove) also serve
//! `perfgate ab --suite`, whose base worktree is temporary (src/commands/ab_suite.rs).

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

/// The full SHA of revision `rev` (a commit, branch or tag) of the repository at `repo`.
pub fn resolve_commit(repo: &Path, rev: &str) -> anyhow::Result<String> {
    let spec = format!("{rev}^{{commit}}");
    match git(repo, &["rev-parse", "--verify", "--quiet", &spec]) {
        Some(sha) => Ok(sha),
        None => bail!(
            "--base: {rev:?} is not a commit of the repository at {}",
            repo.display()
        ),
    }
}

/// The top-level directory of the repository holding `dir`.
pub fn repo_root(dir: &Path) -> anyhow::Result<PathBuf> {
    git(dir, &["rev-parse", "--show-toplevel"])
        .map(PathBuf::from)
        .context("--base: not inside a git repository")
}

/// The commit checked out at `dir`, when it is in a git repository.
pub fn head_commit(dir: &Path) -> Option<String> {
    git(dir, &["rev-parse", "HEAD"])
}

/// Checks commit `sha` out, detached, in a new worktree at `tree` of the repository at
/// `root` (a stale directory there is removed first).
pub fn add_worktree(root: &Path, tree: &Path, sha: &str) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(tree);
    let _ = git(root, &["worktree", "prune"]);
    let added = Command::new("git")
        .args(["worktree", "add", "--detach"])
        .arg(tree)
        .arg(sha)
        .current_dir(root)
        .stdout(Stdio::null())
        .status()
        .context("cannot run git worktree add")?;
    if !added.success() {
        bail!("git worktree add {} {sha} failed", tree.display());
    }
    Ok(())
}

/// Removes the worktree at `tree` of the repository at `root`, and its directory.
pub fn remove_worktree(root: &Path, tree: &Path) {
    let tree_arg = tree.display().to_string();
    if git(root, &["worktree", "remove", "--force", &tree_arg]).is_none() {
        let _ = std::fs::remove_dir_all(tree);
        let _ = git(root, &["worktree", "prune"]);
    }
}

/// The release binary of revision `rev` (a commit, branch or tag) of the repository at
/// `repo`, building it when it is not there yet. Returns the binary and the full SHA.
pub fn base_binary(repo: &Path, rev: &str) -> anyhow::Result<(PathBuf, String)> {
    let sha = resolve_commit(repo, rev)?;
    let root = repo_root(repo)?;
    let work = root.join("target").join("perfgate-ab");
    let short = &sha[..12.min(sha.len())];
    let bin = work.join("bin").join(format!("perfgate-{short}"));
    if bin.is_file() {
        eprintln!("base {short}: reusing {}", bin.display());
        return Ok((bin, sha));
    }
    let tree = work.join(format!("base-{short}"));
    if !tree.join("Cargo.toml").is_file() {
        add_worktree(&root, &tree, &sha)?;
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

/// The bench target `name` (built with perfgate-bench) of revision `rev`, as
/// [`base_binary`] builds perfgate: in a worktree of the base, into the shared target
/// directory, kept as target/perfgate-ab/bin/bench-NAME-<sha>. The package is the one at
/// the same place in the base as `dir` is in the head's repository.
pub fn base_bench_binary(dir: &Path, rev: &str, name: &str) -> anyhow::Result<(PathBuf, String)> {
    let sha = resolve_commit(dir, rev)?;
    let root = repo_root(dir)?;
    let here = std::path::absolute(dir)?;
    let inside = here
        .strip_prefix(&root)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let work = root.join("target").join("perfgate-ab");
    let short = &sha[..12.min(sha.len())];
    let bin = work.join("bin").join(format!("bench-{name}-{short}"));
    if bin.is_file() {
        eprintln!("base {short}: reusing {}", bin.display());
        return Ok((bin, sha));
    }
    let tree = work.join(format!("base-{short}"));
    if !tree.join(".git").exists() {
        add_worktree(&root, &tree, &sha)?;
    }
    let package = tree.join(&inside);
    eprintln!(
        "base {short}: cargo bench --no-run --bench {name} in {}",
        package.display()
    );
    let fresh = crate::userbench::cargo::build_bench(&package, name, Some(&work.join("target")))?;
    std::fs::create_dir_all(bin.parent().expect("bin has a parent"))?;
    let partial = bin.with_extension("partial");
    std::fs::copy(&fresh, &partial)
        .with_context(|| format!("cannot copy {} to {}", fresh.display(), partial.display()))?;
    std::fs::rename(&partial, &bin)?;
    Ok((bin, sha))
}
