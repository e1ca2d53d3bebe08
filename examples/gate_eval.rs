//! Gate quality, measured on real runs (issue 4, "Gate quality"). Reads DIR/run-1.json …
//! run-R.json (from scripts/gate-eval.sh), blesses a baseline from the first 3 runs (or K from FIRST) and
//! compares every later run against it with the real gate:
//!
//! - A/A: share of candidate runs in which anything is flagged (regression, improvement,
//!   failed), plus how many benchmarks came out inconclusive;
//! - ×1.10 injected into one benchmark at a time: share flagged as regression, and share
//!   of those comparisons in which anything else was flagged;
//! - ×1.05 for benchmarks whose run-to-run noise of P50 (over all R runs) is below 1.5%;
//! - ×0.90: share reported as improvement, and the number reported as regression (must be 0).
//!
//! usage: cargo run --example gate_eval -- DIR [thresholds.toml] [FIRST] [K]
//!   FIRST: number of the first blessed run (default 1); K runs from FIRST on are blessed
//!   (default 3) and every later run is a candidate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use perfgate::baseline::{BaselineFile, from_runs};
use perfgate::gate::{BaselineInput, Comparison, Thresholds, compare};
use perfgate::results::{ResultsFile, load_results};
use perfgate::stats::RunSpread;
use perfgate::verdict::{Status, Verdict};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .context("usage: gate_eval DIR [thresholds.toml]")?,
    );
    let thresholds = match args.get(1) {
        Some(p) => Thresholds::load(Path::new(p))?,
        None => Thresholds::load(Path::new("thresholds.toml"))?,
    };
    let first: usize = args.get(2).map_or(Ok(1), |f| f.parse())?;
    let blessed: usize = args.get(3).map_or(Ok(3), |k| k.parse())?;
    anyhow::ensure!(first >= 1, "FIRST counts from 1");
    let all = load_runs(&dir)?;
    let runs = all.get(first - 1..).unwrap_or_default();
    anyhow::ensure!(
        runs.len() > blessed,
        "need more than {blessed} runs, found {}",
        runs.len()
    );
    let (baseline, _) = from_runs(&runs[..blessed], false)?;
    let candidates: Vec<&ResultsFile> = runs[blessed..].iter().map(|(_, r)| r).collect();
    let names: Vec<String> = baseline.benchmarks.iter().map(|b| b.name.clone()).collect();
    let noise = run_to_run_noise(runs);
    println!(
        "{} runs in {}: baseline from runs {first}-{}, {} candidate runs; thresholds: {} ({})",
        all.len(),
        dir.display(),
        first + blessed - 1,
        candidates.len(),
        thresholds.file,
        thresholds.defaults.describe()
    );

    let gate = |cand: &ResultsFile| verdict(&baseline, cand, &thresholds);
    // A/A.
    let mut aa_flagged = 0;
    let mut aa_failed = 0;
    let mut inconclusive: BTreeMap<&str, usize> = BTreeMap::new();
    for cand in &candidates {
        let v = gate(cand)?;
        aa_failed += usize::from(v.verdict == perfgate::verdict::Outcome::Fail);
        let flagged: Vec<String> = v
            .benchmarks
            .iter()
            .filter(|b| is_flag(b.status))
            .map(|b| {
                format!(
                    "{} {:?} {}",
                    b.name,
                    b.status,
                    b.message.as_deref().unwrap_or("")
                )
            })
            .collect();
        if !flagged.is_empty() {
            aa_flagged += 1;
            println!("  A/A flagged: {}", flagged.join("; "));
        }
        for b in v
            .benchmarks
            .iter()
            .filter(|b| b.status == Status::Inconclusive)
        {
            *inconclusive.entry(names_ref(&names, &b.name)).or_default() += 1;
        }
    }
    println!(
        "A/A: {aa_flagged}/{} candidate runs with anything flagged ({:.1}%)",
        candidates.len(),
        pct(aa_flagged, candidates.len())
    );
    println!(
        "A/A: {aa_failed}/{} candidate runs whose verdict fails (exit 1) ({:.1}%)",
        candidates.len(),
        pct(aa_failed, candidates.len())
    );
    for (name, n) in &inconclusive {
        println!(
            "  inconclusive in A/A: {name} in {n}/{} runs",
            candidates.len()
        );
    }

    // Injected changes, one benchmark at a time.
    println!("\nbenchmark                    noise  ×1.10      ×1.05      ×0.90 (improvement)");
    let mut totals = Totals::default();
    for name in &names {
        let quiet = noise.get(name).is_some_and(|&n| n < 0.015);
        let mut row = [0usize; 3];
        for cand in &candidates {
            for (i, factor) in [1.10, 1.05, 0.90].into_iter().enumerate() {
                if i == 1 && !quiet {
                    continue;
                }
                let v = gate(&scaled(cand, name, factor))?;
                let target = v
                    .benchmarks
                    .iter()
                    .find(|b| &b.name == name)
                    .unwrap()
                    .status;
                let others = v
                    .benchmarks
                    .iter()
                    .any(|b| &b.name != name && is_flag(b.status));
                let hit = match i {
                    2 => target == Status::Improvement,
                    _ => target == Status::Regression,
                };
                row[i] += usize::from(hit);
                totals.add(i, hit, others, i == 2 && target == Status::Regression);
            }
        }
        let n = candidates.len();
        let five = if quiet {
            format!("{:>2}/{n}", row[1])
        } else {
            "   -  ".to_string()
        };
        println!(
            "{name:28} {:>4.1}%  {:>2}/{n}      {five}      {:>2}/{n}",
            noise.get(name).copied().unwrap_or(f64::NAN) * 100.0,
            row[0],
            row[2]
        );
    }
    totals.print();
    Ok(())
}

fn names_ref<'a>(names: &'a [String], name: &str) -> &'a str {
    names
        .iter()
        .find(|n| *n == name)
        .map_or("?", |n| n.as_str())
}

fn is_flag(status: Status) -> bool {
    matches!(
        status,
        Status::Regression | Status::Improvement | Status::Failed
    )
}

fn pct(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        n as f64 / of as f64 * 100.0
    }
}

#[derive(Default)]
struct Totals {
    cases: [usize; 3],
    hits: [usize; 3],
    others: [usize; 3],
    improvement_as_regression: usize,
}

impl Totals {
    fn add(&mut self, i: usize, hit: bool, others: bool, wrong_way: bool) {
        self.cases[i] += 1;
        self.hits[i] += usize::from(hit);
        self.others[i] += usize::from(others);
        self.improvement_as_regression += usize::from(wrong_way);
    }

    fn print(&self) {
        let labels = [
            "×1.10 flagged as regression",
            "×1.05 flagged (noise < 1.5%)",
            "×0.90 reported as improvement",
        ];
        for (i, label) in labels.iter().enumerate() {
            println!(
                "{label}: {}/{} ({:.1}%); comparisons with anything else flagged: {}/{} ({:.1}%)",
                self.hits[i],
                self.cases[i],
                pct(self.hits[i], self.cases[i]),
                self.others[i],
                self.cases[i],
                pct(self.others[i], self.cases[i])
            );
        }
        println!(
            "×0.90 reported as regression: {}",
            self.improvement_as_regression
        );
    }
}

fn verdict(baseline: &BaselineFile, cand: &ResultsFile, t: &Thresholds) -> anyhow::Result<Verdict> {
    Ok(compare(&Comparison {
        baseline: BaselineInput::Loaded {
            baseline,
            file: "eval-baseline",
        },
        candidate: cand,
        candidate_file: "eval-candidate",
        thresholds: t,
    })?)
}

/// `cand` with every sample of benchmark `name` multiplied by `factor`.
fn scaled(cand: &ResultsFile, name: &str, factor: f64) -> ResultsFile {
    let mut out = cand.clone();
    for b in out.benchmarks.iter_mut().filter(|b| b.name == name) {
        b.samples_ns.iter_mut().for_each(|s| *s *= factor);
    }
    out
}

/// Relative standard deviation of each benchmark's P50 across all runs.
fn run_to_run_noise(runs: &[(String, ResultsFile)]) -> BTreeMap<String, f64> {
    let mut p50: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (_, r) in runs {
        for b in &r.benchmarks {
            if let Some(s) = &b.summary {
                p50.entry(b.name.clone()).or_default().push(s.p50_ns);
            }
        }
    }
    p50.into_iter()
        .filter_map(|(n, v)| RunSpread::of(&v).ok().map(|s| (n, s.relative_stddev)))
        .collect()
}

fn load_runs(dir: &Path) -> anyhow::Result<Vec<(String, ResultsFile)>> {
    let mut runs = Vec::new();
    for i in 1.. {
        let path = dir.join(format!("run-{i}.json"));
        if !path.exists() {
            break;
        }
        runs.push((path.display().to_string(), load_results(&path)?));
    }
    Ok(runs)
}
