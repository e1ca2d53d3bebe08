//! `--shard I/N`: validating the flag and cutting the selected suite into its shard, with
//! expected costs from the committed baseline. Shared by `run`, `bless` (and `ab`).

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::Duration;

use crate::baseline::{self, BaselineFile, Fingerprint, load_baseline};
use crate::error::InputError;
use crate::results::ShardInfo;
use crate::runner::RunConfig;
use crate::suite::Benchmark;
use crate::suite::shard::{Shard, select_names, suite_digest};

use super::verdict_out::BASELINES_DIR;

/// Parses `--shard I/N` (exit 2 for 0/N, I > N, N = 0 or anything that is not I/N).
pub fn parse(text: &str) -> Result<Shard, InputError> {
    text.parse()
        .map_err(|e: crate::suite::shard::ShardError| InputError::flag("--shard", e.to_string()))
}

/// Keeps the benchmarks of `shard` (in suite order) and the shard record for the results.
/// Costs come from `baseline` (a name under baselines/ or a path; `None`: this machine's
/// baseline when one exists): warm-up plus samples × max(P50, sample time).
pub fn select(
    benches: Vec<Benchmark>,
    shard: Shard,
    config: &RunConfig,
    baseline: Option<&str>,
) -> Result<(Vec<Benchmark>, Option<ShardInfo>), InputError> {
    let names: Vec<&str> = benches.iter().map(|b| b.name.as_str()).collect();
    let loaded = cost_baseline(baseline)?;
    let costs = expected_costs_ns(&names, loaded.as_ref(), config);
    let digest = suite_digest(&names);
    let total = names.len();
    let keep: HashSet<String> = select_names(&names, &costs, shard).into_iter().collect();
    let picked: Vec<Benchmark> = benches
        .into_iter()
        .filter(|b| keep.contains(&b.name))
        .collect();
    if picked.is_empty() {
        eprintln!(
            "warning: shard {shard} of {total} benchmark(s) is empty; more shards than benchmarks?"
        );
    } else {
        eprintln!("shard {shard}: {} of {total} benchmark(s)", picked.len());
    }
    let info = ShardInfo {
        index: shard.index,
        count: shard.count,
        suite_digest: digest,
    };
    Ok((picked, Some(info)))
}

/// Expected wall time of each benchmark in a run, nanoseconds, where the baseline has it:
/// warm-up + samples × max(P50, target sample time) (each sample times a batch of at least
/// the target time). `None` for benchmarks the baseline does not hold.
pub fn expected_costs_ns(
    names: &[&str],
    baseline: Option<&BaselineFile>,
    config: &RunConfig,
) -> Vec<Option<f64>> {
    let Some(baseline) = baseline else {
        return vec![None; names.len()];
    };
    let ns = |d: Duration| d.as_nanos() as f64;
    let by_name: HashMap<&str, _> = baseline
        .benchmarks
        .iter()
        .map(|b| (b.name.as_str(), b))
        .collect();
    names
        .iter()
        .map(|name| {
            let b = by_name.get(name)?;
            let per_sample = b.pooled.p50_ns.max(ns(config.sample_target));
            Some(ns(config.warmup) + f64::from(config.samples) * per_sample)
        })
        .collect()
}

/// The baseline to take costs from: the one named, else this machine's if it exists. An
/// explicitly named baseline must load (exit 2 otherwise); this machine's is optional.
fn cost_baseline(baseline: Option<&str>) -> Result<Option<BaselineFile>, InputError> {
    let dir = Path::new(BASELINES_DIR);
    match baseline {
        Some(arg) => {
            let path = baseline::resolve(arg, dir);
            match path.exists() {
                // `run` reports a missing named baseline itself when it compares.
                false => Ok(None),
                true => load_baseline(&path).map(Some),
            }
        }
        None => {
            let env = crate::runner::collect_env();
            let path = baseline::for_machine(&Fingerprint::of(&env), dir);
            Ok(load_baseline(&path).ok())
        }
    }
}
