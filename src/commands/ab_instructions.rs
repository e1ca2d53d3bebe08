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
use crate::runner::exact_filter;
use crate::verdict::{BenchmarkVerdict, Status, Verdict, headline_check};
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

/// `--metric all`: counts, in both binaries, every benchmark whose timing cannot vouch for
/// the `instructions` limit — flagged (regression or improvement), left undecided
/// (inconclusive), or called unchanged with an interval that still reaches beyond
/// ±`instructions` (timing's "unchanged" means within its own, wider limit, so a +1.5%
/// change can sit inside it) — and reads the two metrics together, as `run --metric all`
/// does: a flag whose instruction count did not move says "timing only (instructions
/// unchanged)" — the sign of code layout, or of a cost instructions cannot see (cache
/// misses, memory) — an inconclusive benchmark whose count moved beyond the limit is
/// decided by it ("decided by the instruction count"), and an instruction regression
/// fails. Nothing to count: nothing counted.
pub fn explain_flags(
    verdict: &mut Verdict,
    bins: &AbBinaries,
    seed: u64,
    t: &Thresholds,
) -> anyhow::Result<()> {
    let Some(filter) = to_count(&verdict.benchmarks, t)? else {
        verdict.notes.push(
            "--metric all: the timing flagged nothing, left nothing open and bounded every \
             change within the instruction limit, so no instructions were counted"
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

/// A `--filter` matching exactly the benchmarks to count (see [`explain_flags`]), `None`
/// when there are none.
fn to_count(benches: &[BenchmarkVerdict], t: &Thresholds) -> anyhow::Result<Option<String>> {
    let mut chosen = Vec::new();
    for b in benches {
        let count = match b.status {
            Status::Regression | Status::Improvement | Status::Inconclusive => true,
            Status::Unchanged => match (
                t.for_benchmark(&b.name)?.instructions,
                headline_check(&b.checks),
            ) {
                (Some(limit), Some(c)) => {
                    c.ci_low.is_none_or(|lo| lo < -limit) || c.ci_high.is_none_or(|hi| hi > limit)
                }
                _ => false,
            },
            _ => false,
        };
        if count {
            chosen.push(b.name.clone());
        }
    }
    Ok((!chosen.is_empty()).then(|| exact_filter(&chosen)))
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
    use crate::gate::decide::deterministic_check;
    use crate::verdict::{Check, Metric};

    /// A paired timing check of a change with the 95% interval [lo, hi].
    fn timing(lo: f64, hi: f64) -> Check {
        Check {
            ci_low: Some(lo),
            ci_high: Some(hi),
            ..deterministic_check(Metric::P50, 100.0, 100.0, 0.02)
        }
    }

    fn benches(list: &[(&str, Status, Option<Check>)]) -> Vec<BenchmarkVerdict> {
        list.iter()
            .map(|(name, status, check)| BenchmarkVerdict {
                name: name.to_string(),
                status: *status,
                message: None,
                checks: check.iter().cloned().collect(),
            })
            .collect()
    }

    fn counted(v: &[BenchmarkVerdict], t: &Thresholds) -> Vec<String> {
        let Some(filter) = to_count(v, t).unwrap() else {
            return Vec::new();
        };
        let re = regex::Regex::new(&filter).unwrap();
        v.iter()
            .map(|b| b.name.clone())
            .filter(|n| re.is_match(n))
            .collect()
    }

    #[test]
    fn flagged_open_and_loosely_bounded_benchmarks_are_counted() {
        let v = benches(&[
            ("gelu/1000", Status::Regression, None),
            ("gelu/10000", Status::Unchanged, Some(timing(-0.008, 0.009))),
            (
                "gelu/100000",
                Status::Unchanged,
                Some(timing(-0.004, 0.015)),
            ),
            (
                "gelu/1000000",
                Status::Unchanged,
                Some(timing(-0.012, 0.003)),
            ),
            ("a.b+c/1", Status::Improvement, None),
            ("axb+c/1", Status::Inconclusive, None),
            ("softmax/2048", Status::Failed, None),
        ]);
        // Default instruction limit 1%: ±0.9% is bounded by timing, +1.5% and -1.2% are not.
        assert_eq!(
            counted(&v, &Thresholds::default()),
            [
                "gelu/1000",
                "gelu/100000",
                "gelu/1000000",
                "a.b+c/1",
                "axb+c/1"
            ]
        );
    }

    #[test]
    fn nothing_to_count_gives_no_filter() {
        let v = benches(&[
            ("gelu/1000", Status::Unchanged, Some(timing(-0.005, 0.005))),
            ("x/1", Status::New, None),
        ]);
        assert!(counted(&v, &Thresholds::default()).is_empty());
        // With the instruction limit off, a loose interval is not a reason to count.
        let off = Thresholds::parse(
            "[defaults]\ninstructions = \"off\"\n",
            std::path::Path::new("t.toml"),
        )
        .unwrap();
        let wide = benches(&[("gelu/1000", Status::Unchanged, Some(timing(-0.019, 0.019)))]);
        assert!(counted(&wide, &off).is_empty());
        assert_eq!(counted(&wide, &Thresholds::default()), ["gelu/1000"]);
    }
}
