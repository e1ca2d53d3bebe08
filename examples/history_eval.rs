//! Change-point evaluation (issue 27): the robust method against Otava on series built
//! from this machine's real run-to-run noise.
//!
//! From a directory of results files of unchanged code (`perfgate run --no-compare --out
//! DIR/run-N.json`, ≥ 15 of them), each benchmark's per-run P10 and P50 form a pool. A
//! series of LEN commits resamples a pool (seeded); a step of +3%, +5% or +10% is inserted
//! at a random commit. Reported per method: the share of steps found within 5 commits of
//! where they were inserted (a change point of the right sign), and false change points per
//! 1,000 points of unchanged series. `--synthetic` uses the field notes' noise instead
//! (1.5% log-normal, 8% of points slowed by 5–35%).
//!
//! usage: cargo run --release --example history_eval -- (DIR | --synthetic) [TRIALS] [LEN] [SEED]
//!        (defaults: 40 trials per pool and step, 100 commits, seed 27)

use std::path::PathBuf;

use anyhow::{Context, bail};
use perfgate::results::load_results;
use perfgate::stats::changepoint::{DetectParams, Method, detect};
use perfgate::stats::{Sample, Summary, percentile};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const STEPS: [f64; 3] = [0.03, 0.05, 0.10];
const METHODS: [Method; 2] = [Method::Robust, Method::Otava];

/// Per benchmark × statistic, the per-run values.
fn pools_from_dir(dir: &PathBuf) -> anyhow::Result<Vec<(String, Vec<f64>)>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.len() < 15 {
        bail!(
            "{}: {} results files, need at least 15",
            dir.display(),
            files.len()
        );
    }
    let mut pools: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for f in &files {
        let r = load_results(f)?;
        for b in &r.benchmarks {
            if let Ok(s) = Sample::new(b.samples_ns.clone()) {
                pools
                    .entry(format!("{} p10", b.name))
                    .or_default()
                    .push(percentile(&s, 0.10));
                pools
                    .entry(format!("{} p50", b.name))
                    .or_default()
                    .push(percentile(&s, 0.50));
            }
            if let Some(i) = b.instructions_per_iter {
                pools
                    .entry(format!("{} instructions", b.name))
                    .or_default()
                    .push(i);
            }
        }
    }
    Ok(pools.into_iter().filter(|(_, v)| v.len() >= 15).collect())
}

/// The field notes' noise: 1.5% log-normal sd, 8% of points slowed by 5–35%.
fn synthetic_pools(rng: &mut ChaCha8Rng) -> Vec<(String, Vec<f64>)> {
    (0..18)
        .map(|k| {
            let v = (0..200)
                .map(|_| {
                    let z: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0;
                    let slow = if rng.random::<f64>() < 0.08 {
                        1.0 + rng.random_range(0.05..0.35)
                    } else {
                        1.0
                    };
                    1000.0 * (0.015 * z).exp() * slow
                })
                .collect();
            (format!("synthetic/{k}"), v)
        })
        .collect()
}

/// Robust standard deviation of ln(x) in percent: 1.4826 × the median absolute deviation
/// (`Summary::mad_ns`; taken of ln(x / min), which is ≥ 0 and has the same MAD).
fn robust_sd(pool: &[f64]) -> f64 {
    let min = pool.iter().copied().fold(f64::INFINITY, f64::min);
    Sample::new(pool.iter().map(|v| (v / min).ln()).collect())
        .map_or(f64::NAN, |s| 100.0 * 1.4826 * Summary::of(&s).mad_ns)
}

fn resample(rng: &mut ChaCha8Rng, pool: &[f64], len: usize) -> Vec<f64> {
    (0..len)
        .map(|_| pool[rng.random_range(0..pool.len())])
        .collect()
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let src = args
        .first()
        .context("usage: history_eval (DIR | --synthetic) [TRIALS] [LEN] [SEED]")?;
    let num =
        |i: usize, d: u64| -> anyhow::Result<u64> { Ok(args.get(i).map_or(Ok(d), |a| a.parse())?) };
    let (trials, len, seed) = (num(1, 40)? as usize, num(2, 100)? as usize, num(3, 27)?);
    if len < 40 {
        bail!("LEN must be at least 40");
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pools = if src == "--synthetic" {
        synthetic_pools(&mut rng)
    } else {
        pools_from_dir(&PathBuf::from(src))?
    };
    if pools.is_empty() {
        bail!("no benchmark with at least 15 runs");
    }
    let params = DetectParams::default();
    // found[method][step], false_cps[method], points
    let mut found = [[0usize; 3]; 2];
    let mut false_cps = [0usize; 2];
    // name, robust sd of ln (%), false change points per method, +5% found per method
    let mut per_pool: Vec<(String, f64, [usize; 2], [usize; 2])> = Vec::new();
    let (mut steps_total, mut null_points) = (0usize, 0usize);
    for (name, pool) in &pools {
        let mut pool_false = [0usize; 2];
        let mut pool_found5 = [0usize; 2];
        for _ in 0..trials {
            let null = resample(&mut rng, pool, len);
            null_points += len;
            for (m, method) in METHODS.iter().enumerate() {
                let n = detect(&null, *method, &params).len();
                false_cps[m] += n;
                pool_false[m] += n;
            }
            for (k, step) in STEPS.iter().enumerate() {
                let mut s = resample(&mut rng, pool, len);
                let at = rng.random_range(10..len - 10);
                for v in &mut s[at..] {
                    *v *= 1.0 + step;
                }
                for (m, method) in METHODS.iter().enumerate() {
                    let hit = detect(&s, *method, &params)
                        .iter()
                        .any(|c| c.index.abs_diff(at) <= 5 && c.change > 0.0);
                    found[m][k] += usize::from(hit);
                    if k == 1 {
                        pool_found5[m] += usize::from(hit);
                    }
                }
            }
            steps_total += 1;
        }
        per_pool.push((name.clone(), robust_sd(pool), pool_false, pool_found5));
    }
    println!(
        "{} series pools ({}), {trials} trials each, {len} commits per series, seed {seed}",
        pools.len(),
        if src == "--synthetic" {
            "synthetic".to_string()
        } else {
            format!("from {src}")
        }
    );
    println!(
        "| method | +3% found | +5% found | +10% found | false change points / 1,000 points |"
    );
    println!("|---|--:|--:|--:|--:|");
    for (m, method) in METHODS.iter().enumerate() {
        let share = |k: usize| 100.0 * found[m][k] as f64 / steps_total as f64;
        println!(
            "| {method:?} | {:.1}% | {:.1}% | {:.1}% | {:.2} |",
            share(0),
            share(1),
            share(2),
            1000.0 * false_cps[m] as f64 / null_points as f64
        );
    }
    println!(
        "\nper pool: run-to-run spread (robust sd of ln, %); +5% steps found (robust, otava) \
         of {trials}; false change points (robust, otava) over {} points:",
        trials * len
    );
    for (name, sd, f, hit) in &per_pool {
        println!(
            "  {name}: sd {sd:.1}%, +5% found {}, {}; false {}, {}",
            hit[0], hit[1], f[0], f[1]
        );
    }
    for limit in [1.0, 2.0] {
        let quiet: Vec<_> = per_pool.iter().filter(|p| p.1 <= limit).collect();
        let share = |m: usize| {
            100.0 * quiet.iter().map(|p| p.3[m]).sum::<usize>() as f64
                / (quiet.len() * trials).max(1) as f64
        };
        println!(
            "pools with spread <= {limit}% ({} of {}): +5% found robust {:.1}%, otava {:.1}%",
            quiet.len(),
            per_pool.len(),
            share(0),
            share(1)
        );
    }
    Ok(())
}
