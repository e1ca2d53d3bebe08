//! Synthetic scale for sharded suites (issue 13): writes a baseline blessed from 3 runs
//! and the results of one candidate run cut into shard files, for B benchmarks × S samples
//! in N shards, as `perfgate run --shard I/N --out` would. 1% of the benchmarks are made
//! 20% slower and 1% 20% faster, so the PR comment has rows to list. Deterministic (seeded).
//!
//! usage: cargo run --release --example shard_scale -- generate DIR [B] [S] [N]
//!          (defaults: 2000 benchmarks, 100 samples, 8 shards)
//!        cargo run --release --example shard_scale -- comment-size VERDICT.json
//!          (prints the length of the sticky comment in UTF-16 units, limit 65,536)
//!
//! scripts/shard-scale.sh times `perfgate merge`, `compare` and the Markdown on these files.

use std::path::PathBuf;

use anyhow::Context;
use perfgate::baseline::{from_runs, write_baseline};
use perfgate::github::comment::comment_body;
use perfgate::output::markdown::utf16_len;
use perfgate::results::{
    BenchmarkResult, Env, RESULTS_SCHEMA, ResultsFile, ShardInfo, write_json_atomic,
};
use perfgate::suite::shard::{assign, suite_digest};
use perfgate::verdict::Verdict;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => {
            let dir = PathBuf::from(args.get(1).context("generate DIR [B] [S] [N]")?);
            let arg = |i: usize, default: usize| -> anyhow::Result<usize> {
                Ok(args.get(i).map_or(Ok(default), |a| a.parse())?)
            };
            generate(&dir, arg(2, 2000)?, arg(3, 100)?, arg(4, 8)? as u32)
        }
        Some("comment-size") => {
            let path = args.get(1).context("comment-size VERDICT.json")?;
            let verdict: Verdict = serde_json::from_str(&std::fs::read_to_string(path)?)?;
            let body = comment_body(&verdict, "perfgate", Some("https://example.invalid/run"));
            println!("{}", utf16_len(&body));
            Ok(())
        }
        _ => anyhow::bail!("usage: shard_scale generate DIR [B] [S] [N] | comment-size VERDICT"),
    }
}

fn generate(
    dir: &std::path::Path,
    benches: usize,
    samples: usize,
    shards: u32,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let names: Vec<String> = (0..benches).map(|i| format!("synthetic/{i:05}")).collect();
    let base_ns: Vec<f64> = {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        names
            .iter()
            .map(|_| 1e3 * 10f64.powf(rng.random::<f64>() * 4.0))
            .collect()
    };
    let run = |seed: u64, factor: &dyn Fn(usize) -> f64| -> ResultsFile {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let run_speed = 1.0 + 0.01 * (rng.random::<f64>() - 0.5);
        let benchmarks = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let centre = base_ns[i] * run_speed * factor(i);
                let samples_ns = (0..samples)
                    .map(|_| {
                        let noise = 1.0 + 0.02 * (rng.random::<f64>() - 0.5);
                        let outlier = if rng.random_bool(0.03) { 1.3 } else { 1.0 };
                        centre * noise * outlier
                    })
                    .collect();
                let mut b = BenchmarkResult::failed(name, "synthetic", String::new());
                b.error = None;
                b.iters_per_sample = 1;
                b.samples_ns = samples_ns;
                b.alloc_bytes_per_iter = Some(0.0);
                b.allocs_per_iter = Some(0.0);
                b
            })
            .collect();
        // From JSON, so fields added to the schema later keep their defaults.
        let mut file: ResultsFile =
            serde_json::from_value(serde_json::json!({ "benchmarks": [] })).expect("minimal");
        file.schema = RESULTS_SCHEMA.into();
        file.perfgate_version = env!("CARGO_PKG_VERSION").into();
        file.env = Env {
            cpu_model: "Synthetic CPU".into(),
            logical_cores: 2,
            os: "linux x86_64".into(),
            git_commit: Some("0000000".into()),
            timestamp: "2026-01-01T00:00:00Z".into(),
            ..Env::default()
        };
        file.benchmarks = benchmarks;
        file
    };
    let runs: Vec<(String, ResultsFile)> = (1..=3)
        .map(|k| (format!("baseline-run-{k}"), run(k, &|_| 1.0)))
        .collect();
    let (baseline, _) = from_runs(&runs, false)?;
    write_baseline(&dir.join("baseline.json"), &baseline)?;
    let changed = |i: usize| match i % 100 {
        7 => 1.2,
        42 => 0.8,
        _ => 1.0,
    };
    let candidate = run(100, &changed);
    write_json_atomic(&dir.join("full.json"), &candidate)?;
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let shard_of = assign(&refs, &vec![None; refs.len()], shards);
    let digest = suite_digest(&refs);
    for index in 1..=shards {
        let mut part = candidate.clone();
        part.benchmarks.retain(|b| {
            let i = names.binary_search(&b.name).expect("generated name");
            shard_of[i] == index
        });
        part.shard = Some(ShardInfo {
            index,
            count: shards,
            suite_digest: digest.clone(),
        });
        write_json_atomic(&dir.join(format!("shard-{index}.json")), &part)?;
    }
    println!(
        "{benches} benchmarks × {samples} samples: baseline.json (3 runs), full.json, \
         shard-1..{shards}.json in {}",
        dir.display()
    );
    Ok(())
}
