//! `perfgate ab --metric instructions|all`: both binaries counted under callgrind, each as
//! `<bin> run --metric instructions --no-compare --out FILE` (a stable interface of every
//! perfgate that counts instructions), the base's counts read as an instruction baseline
//! and the head's gated against it — deterministic, so one count per side is enough.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::gate::Thresholds;
use crate::gate::instructions::{instruction_checks, instruction_verdict, merge_instructions};
use crate::instructions::InstrBaseline;
use crate::results::{ResultsFile, load_results};
use crate::verdict::{BenchmarkVerdict, Status, Verdict};
use crate::worker::AbBinaries;

/// Lines of a failed count's stderr shown in the error.
const STDERR_TAIL_LINES: usize = 5;

/// The counts of both sides: the base's as an instruction baseline, the head's as results.
struct Counted {
    base: InstrBaseline,
    head: ResultsFile,
    notes: Vec<String>,
}

/// `--metric instructions`: the verdict of the head's counts against the base's, for the
/// benchmarks `filter` selects (all without one).
pub fn verdict(
    bins: &AbBinaries,
    filter: Option<&str>,
    seed: u64,
    t: &Thresholds,
) -> anyhow::Result<Verdict> {
    let counted = count_both(bins, filter, seed)?;
    let base_file = format!("base {}", bins.base.display());
    let head_file = format!("head {}", bins.head.display());
    let mut v = instruction_verdict(&counted.base, &base_file, &counted.head, &head_file, t)?;
    v.notes.extend(counted.notes);
    Ok(v)
}

/// `--metric all`: counts every benchmark the paired timing flagged (regression or
/// improvement) or left undecided (inconclusive) in both binaries and reads the two
/// metrics together, as `run --metric all` does: a flag whose instruction count did not
/// move says "timing only (instructions unchanged)" — the sign of code layout, or of a cost
/// instructions cannot see (cache misses, memory) — an inconclusive benchmark whose count
/// moved beyond the `instructions` limit is decided by it ("decided by the instruction
/// count"), and an instruction regression fails. Nothing flagged or open: nothing counted.
pub fn explain_flags(
    verdict: &mut Verdict,
    bins: &AbBinaries,
    seed: u64,
    t: &Thresholds,
) -> anyhow::Result<()> {
    let Some(filter) = flagged_filter(&verdict.benchmarks) else {
        verdict.notes.push(
            "--metric all: the timing flagged nothing and left nothing open, so no \
             instructions were counted"
                .into(),
        );
        return Ok(());
    };
    let counted = count_both(bins, Some(&filter), seed)?;
    verdict.notes.extend(counted.notes);
    let found = instruction_checks(&counted.base, "base", &counted.head, t)?;
    merge_instructions(verdict, found, &t.defaults);
    Ok(())
}

/// A `--filter` matching exactly the benchmarks called a regression or an improvement or
/// left inconclusive, `None` when there are none.
fn flagged_filter(benches: &[BenchmarkVerdict]) -> Option<String> {
    let flagged: Vec<String> = benches
        .iter()
        .filter(|b| {
            matches!(
                b.status,
                Status::Regression | Status::Improvement | Status::Inconclusive
            )
        })
        .map(|b| regex::escape(&b.name))
        .collect();
    (!flagged.is_empty()).then(|| format!("^(?:{})$", flagged.join("|")))
}

/// Counts the base, then the head (each child uses every core, so one side at a time).
fn count_both(bins: &AbBinaries, filter: Option<&str>, seed: u64) -> anyhow::Result<Counted> {
    let dir = tempfile::tempdir()?;
    eprintln!("counting instructions under callgrind: base, then head");
    let base = count(&bins.base, "base", filter, seed, dir.path())?;
    let head = count(&bins.head, "head", filter, seed, dir.path())?;
    let mut base = InstrBaseline::from_results(&base)
        .ok_or_else(|| anyhow::anyhow!("base: its results hold no instruction counts"))?;
    let mut notes = Vec::new();
    if let Some(run) = &head.instructions {
        // Same machine, same valgrind: what still differs (a toolchain bump) is part of
        // the change under test, so the counts are compared anyway.
        let differences = base.fingerprint().differences(&run.fingerprint);
        if !differences.is_empty() {
            notes.push(format!(
                "base and head were counted with different {}: their counts are compared \
                 anyway, the difference is part of the change",
                differences.join("; ")
            ));
            base.run.fingerprint = run.fingerprint.clone();
        }
    }
    Ok(Counted { base, head, notes })
}

/// `<bin> run --metric instructions --no-compare` in `dir` (so no suite file or
/// thresholds of the user's working directory apply), its results file read back.
fn count(
    bin: &Path,
    side: &str,
    filter: Option<&str>,
    seed: u64,
    dir: &Path,
) -> anyhow::Result<ResultsFile> {
    let out: PathBuf = dir.join(format!("{side}.json"));
    // It runs in `dir`: a relative path given on the command line must not move with it.
    let bin = std::path::absolute(bin)?;
    // A bench binary built with perfgate-bench is counted by this perfgate.
    let mut cmd = match crate::userbench::is_bench_bin(&bin) {
        true => {
            let mut c = Command::new(std::env::current_exe()?);
            c.arg("run").arg("--bench-bin").arg(&bin);
            c
        }
        false => {
            let mut c = Command::new(&bin);
            c.arg("run");
            c
        }
    };
    cmd.current_dir(dir)
        .args(["--metric", "instructions", "--no-compare", "--seed"])
        .arg(seed.to_string())
        .arg("--out")
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(f) = filter {
        cmd.args(["--filter", f]);
    }
    let output = cmd
        .output()
        .map_err(|e| anyhow::anyhow!("{side}: cannot run {}: {e}", bin.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        let tail = lines[lines.len().saturating_sub(STDERR_TAIL_LINES)..].join("\n");
        anyhow::bail!(
            "{side}: {} could not count instructions ({}; a perfgate older than \
             `run --metric instructions` cannot):\n{tail}",
            bin.display(),
            output.status
        );
    }
    Ok(load_results(&out)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn benches(list: &[(&str, Status)]) -> Vec<BenchmarkVerdict> {
        list.iter()
            .map(|(name, status)| BenchmarkVerdict {
                name: name.to_string(),
                status: *status,
                message: None,
                checks: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn the_filter_matches_exactly_the_flagged_and_open_benchmarks() {
        let v = benches(&[
            ("gelu/1000", Status::Regression),
            ("gelu/10000", Status::Unchanged),
            ("a.b+c/1", Status::Improvement),
            ("axb+c/1", Status::Inconclusive),
            ("softmax/2048", Status::Failed),
        ]);
        let filter = flagged_filter(&v).unwrap();
        let re = regex::Regex::new(&filter).unwrap();
        let matched: Vec<&str> = v
            .iter()
            .map(|b| b.name.as_str())
            .filter(|n| re.is_match(n))
            .collect();
        assert_eq!(matched, ["gelu/1000", "a.b+c/1", "axb+c/1"]);
    }

    #[test]
    fn nothing_flagged_gives_no_filter() {
        let v = benches(&[("gelu/1000", Status::Unchanged), ("x/1", Status::New)]);
        assert_eq!(flagged_filter(&v), None);
    }
}
