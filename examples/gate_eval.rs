//! Gate quality, measured on real runs (issue 10). Reads DIR/run-1.json … run-R.json (from
//! scripts/gate-eval.sh) and, for every K-run subset of the runs as a baseline (blessed
//! with the real `from_runs`), compares every other run against it with the real gate:
//!
//! - A/A: share of comparisons in which anything is flagged (regression, improvement,
//!   failed, the suite-wide check included) and share whose verdict fails; share of timing
//!   checks that say "unchanged" rather than "inconclusive";
//! - ×1.10 injected into one benchmark at a time (every sample of that benchmark in the
//!   candidate), for every benchmark: share flagged as regression, and share with anything
//!   else flagged, listed with the run-to-run spread (max/min − 1 over all R runs) of the
//!   gated statistic (P10 when `p10` is on, else P50); the total is also given for the
//!   benchmarks whose spread is below 3%. Injection uses every STEP-th baseline subset
//!   (about 40 subsets) to bound the run time.
//! - per benchmark: median within-run CV and robust CV (1.4826·MAD/median), run-to-run P50
//!   and P10 spread (max/min − 1).
//!
//! With many runs, at most 252 baseline subsets are used, spread over all of them.
//!
//! usage: cargo run --example gate_eval -- DIR [thresholds.toml] [K]
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use perfgate::baseline::{BaselineFile, from_runs};
use perfgate::gate::{BaselineInput, Comparison, Thresholds, compare};
use perfgate::results::{ResultsFile, load_results};
use perfgate::stats::{Sample, percentile};
use perfgate::verdict::{Outcome, Status, Verdict};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.first()
            .context("usage: gate_eval DIR [thresholds.toml] [K]")?,
    );
    let thresholds = Thresholds::load(Path::new(args.get(1).map_or("thresholds.toml", |s| s)))?;
    let k: usize = args.get(2).map_or(Ok(5), |k| k.parse())?;
    let runs = load_runs(&dir)?;
    anyhow::ensure!(
        runs.len() > k,
        "need more than {k} runs, found {}",
        runs.len()
    );
    let subsets = spread_pick(combinations(runs.len(), k), MAX_SUBSETS);
    let step = (subsets.len() / 40).max(1);
    let p50_spread = spreads(&runs, 0.5);
    let p10_spread = spreads(&runs, 0.1);
    let (gated, spreads) = if thresholds.defaults.p10.is_some() {
        ("P10", &p10_spread)
    } else {
        ("P50", &p50_spread)
    };
    println!(
        "{} runs in {}: {} baselines of {k} runs, each against the {} other runs; thresholds: {} ({})",
        runs.len(),
        dir.display(),
        subsets.len(),
        runs.len() - k,
        thresholds.file,
        thresholds.defaults.describe()
    );
    print_noise(&runs, &p50_spread, &p10_spread);

    let mut aa = Tally::default();
    let mut flagged_by: BTreeMap<String, usize> = BTreeMap::new();
    let mut injected: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for (si, subset) in subsets.iter().enumerate() {
        let blessed: Vec<(String, ResultsFile)> = subset.iter().map(|&i| runs[i].clone()).collect();
        let (baseline, _) = from_runs(&blessed, false)?;
        for (_, (_, cand)) in runs.iter().enumerate().filter(|(i, _)| !subset.contains(i)) {
            let v = verdict(&baseline, cand, &thresholds)?;
            aa.add(&v);
            for b in v.benchmarks.iter().filter(|b| is_flag(b.status)) {
                *flagged_by.entry(b.name.clone()).or_default() += 1;
            }
            if si % step != 0 {
                continue;
            }
            for name in spreads.keys() {
                let v = verdict(&baseline, &scaled(cand, name, 1.10), &thresholds)?;
                let hit = v
                    .benchmarks
                    .iter()
                    .any(|b| &b.name == name && b.status == Status::Regression);
                let others = v
                    .benchmarks
                    .iter()
                    .any(|b| &b.name != name && is_flag(b.status));
                let e = injected.entry(name.clone()).or_default();
                *e = (e.0 + usize::from(hit), e.1 + 1, e.2 + usize::from(others));
            }
        }
    }
    aa.print();
    for (name, n) in &flagged_by {
        println!("  flagged in A/A: {name} {n} times");
    }
    println!("\n×1.10 injected into one benchmark ({gated} spread = its run-to-run max/min − 1):");
    let (mut hits, mut cases, mut others) = (0, 0, 0);
    let (mut all_hits, mut all_cases) = (0, 0);
    for (name, (h, n, o)) in &injected {
        let spread = spreads[name];
        println!(
            "  {name:28} {gated} spread {:>6.2}%  caught {h}/{n} ({:.1}%), anything else flagged {o}/{n}",
            spread * 100.0,
            pct(*h, *n)
        );
        (all_hits, all_cases) = (all_hits + h, all_cases + n);
        if spread < 0.03 {
            (hits, cases, others) = (hits + h, cases + n, others + o);
        }
    }
    println!(
        "×1.10 caught where the {gated} spread < 3%: {hits}/{cases} ({:.1}%); comparisons with anything else flagged: {others}/{cases}",
        pct(hits, cases)
    );
    println!(
        "×1.10 caught, all benchmarks: {all_hits}/{all_cases} ({:.1}%)",
        pct(all_hits, all_cases)
    );
    Ok(())
}

/// A/A counters.
#[derive(Default)]
struct Tally {
    compares: usize,
    flagged: usize,
    failed: usize,
    unchanged_checks: usize,
    inconclusive_checks: usize,
    timing_checks: usize,
}

impl Tally {
    fn add(&mut self, v: &Verdict) {
        self.compares += 1;
        self.flagged += usize::from(v.benchmarks.iter().any(|b| is_flag(b.status)));
        self.failed += usize::from(v.verdict == Outcome::Fail);
        for c in v
            .benchmarks
            .iter()
            .flat_map(|b| &b.checks)
            .filter(|c| c.p_value.is_some() || c.detectable.is_some())
        {
            self.timing_checks += 1;
            self.unchanged_checks += usize::from(c.status == Status::Unchanged);
            self.inconclusive_checks += usize::from(c.status == Status::Inconclusive);
        }
    }

    fn print(&self) {
        println!(
            "A/A: {}/{} comparisons with anything flagged ({:.2}%), {}/{} verdicts fail (exit 1) ({:.2}%)",
            self.flagged,
            self.compares,
            pct(self.flagged, self.compares),
            self.failed,
            self.compares,
            pct(self.failed, self.compares)
        );
        println!(
            "A/A timing checks: {}/{} unchanged ({:.1}%), {} inconclusive ({:.1}%)",
            self.unchanged_checks,
            self.timing_checks,
            pct(self.unchanged_checks, self.timing_checks),
            self.inconclusive_checks,
            pct(self.inconclusive_checks, self.timing_checks)
        );
    }
}

/// Most baseline subsets evaluated (C(20, 10) would be 184,756).
const MAX_SUBSETS: usize = 252;

/// At most `max` of `all`, picked at indices `i·7919 mod n` (7919 is prime), so they spread
/// over the lexicographic order; all of them when there are few enough.
fn spread_pick(all: Vec<Vec<usize>>, max: usize) -> Vec<Vec<usize>> {
    let n = all.len();
    if n <= max || n.is_multiple_of(7919) {
        return all;
    }
    (0..max).map(|i| all[i * 7919 % n].clone()).collect()
}

/// Every `k`-subset of `0..n`, in lexicographic order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        out.push(idx.clone());
        let Some(i) = (0..k).rev().find(|&i| idx[i] != i + n - k) else {
            return out;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// Run-to-run spread (max/min − 1) of quantile `q` of every benchmark over all runs.
fn spreads(runs: &[(String, ResultsFile)], q: f64) -> BTreeMap<String, f64> {
    let mut per_run: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (_, r) in runs {
        for b in &r.benchmarks {
            if let Ok(s) = Sample::new(b.samples_ns.clone()) {
                per_run
                    .entry(b.name.clone())
                    .or_default()
                    .push(percentile(&s, q));
            }
        }
    }
    per_run
        .into_iter()
        .map(|(n, v)| {
            let (lo, hi) = v
                .iter()
                .fold((f64::INFINITY, 0.0f64), |(l, h), x| (l.min(*x), h.max(*x)));
            (n, hi / lo - 1.0)
        })
        .collect()
}

/// Median over runs of each benchmark's within-run CV and robust CV, and its P50 and P10
/// spreads.
fn print_noise(
    runs: &[(String, ResultsFile)],
    p50: &BTreeMap<String, f64>,
    p10: &BTreeMap<String, f64>,
) {
    println!(
        "\nbenchmark                    CV(median)  robust CV  P50 spread  P10 spread (max/min)"
    );
    let names: Vec<String> = runs[0]
        .1
        .benchmarks
        .iter()
        .map(|b| b.name.clone())
        .collect();
    for name in names {
        let (mut cv, mut rcv) = (Vec::new(), Vec::new());
        for (_, r) in runs {
            if let Some(s) = r
                .benchmarks
                .iter()
                .find(|b| b.name == name)
                .and_then(|b| b.summary.as_ref())
            {
                cv.push(s.cv);
                rcv.push(1.4826 * s.mad_ns / s.p50_ns);
            }
        }
        println!(
            "{name:28} {:>8.2}%  {:>8.2}%  {:>9.2}%  {:>9.2}%",
            median(cv) * 100.0,
            median(rcv) * 100.0,
            p50.get(&name).copied().unwrap_or(f64::NAN) * 100.0,
            p10.get(&name).copied().unwrap_or(f64::NAN) * 100.0
        );
    }
    println!();
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
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
