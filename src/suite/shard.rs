//! Splitting a suite into N shards (`--shard I/N`): deterministic, every benchmark in
//! exactly one shard, balanced by expected cost, and stable when a benchmark is added.
//!
//! The method is consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam
//! 2018) on top of rendezvous hashing. Every benchmark ranks the shards by a hash of
//! (name, shard) — its own, fixed order of preference. Benchmarks are placed one after
//! the other, each on its most preferred shard that still has room under a capacity of
//! `(1 + SLACK) × total cost / N`; when none has room, on the least loaded one. Heavy
//! benchmarks (cost above `HEAVY` × the mean shard load) are placed first, heaviest
//! first, so one long benchmark cannot arrive last and overflow a full shard; the rest
//! are placed in hash order, which does not depend on their cost or on the other names.
//! Adding one benchmark only disturbs the benchmarks that come after it in that order and
//! would have used the room it takes, so almost every benchmark keeps its shard (measured
//! in the tests: at most 2% of a 200-benchmark suite move), while no shard carries more
//! than `1 + SLACK` times the mean load unless a single benchmark is heavier than that.

use std::fmt;
use std::str::FromStr;

/// Room above the mean shard load that a shard may take before a benchmark goes to its
/// next preferred shard. Smaller is better balanced but moves more benchmarks when the
/// suite changes (see the module doc; 0.25 keeps both within the targets).
pub const SLACK: f64 = 0.25;

/// Benchmarks costing more than this fraction of the mean shard load are placed first.
const HEAVY: f64 = 0.25;

/// One shard of N, 1-based: `index` in `1..=count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, 1-based.
    pub index: u32,
    /// How many shards the suite is split into.
    pub count: u32,
}

/// Why a `--shard` value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// Not of the form `I/N` with two whole numbers.
    #[error("{0:?} is not of the form I/N (e.g. 2/4)")]
    Syntax(String),
    /// N is zero.
    #[error("the shard count N must be at least 1 (got {0:?})")]
    ZeroCount(String),
    /// I is 0 or above N.
    #[error("the shard index I must be between 1 and N (got {0:?}; shards are 1-based)")]
    IndexOutOfRange(String),
}

impl FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(text.to_string());
        let (i, n) = text.split_once('/').ok_or_else(syntax)?;
        let number = |s: &str| match s.bytes().all(|b| b.is_ascii_digit()) {
            true => s.parse::<u32>().map_err(|_| syntax()),
            false => Err(syntax()),
        };
        let (index, count) = (number(i.trim())?, number(n.trim())?);
        if count == 0 {
            return Err(ShardError::ZeroCount(text.to_string()));
        }
        if index == 0 || index > count {
            return Err(ShardError::IndexOutOfRange(text.to_string()));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (1-based) of every benchmark, in the order of `names`. `costs[i]` is the
/// expected cost of `names[i]` in any unit (e.g. nanoseconds); benchmarks without one
/// are given the median of the known costs, and with no known cost at all every
/// benchmark counts 1. The result does not depend on the order of `names`.
pub fn assign(names: &[&str], costs: &[Option<f64>], count: u32) -> Vec<u32> {
    assert_eq!(names.len(), costs.len(), "one cost per name");
    let count = count.max(1) as usize;
    let weights = fill_costs(costs);
    let total: f64 = sorted_sum(&weights);
    let mean = total / count as f64;
    let cap = (1.0 + SLACK) * mean;
    let hashes: Vec<u64> = names.iter().map(|n| name_hash(n)).collect();
    let mut order: Vec<usize> = (0..names.len()).collect();
    let heavy = |i: usize| weights[i] > HEAVY * mean;
    order.sort_by(|&a, &b| {
        let class = heavy(b).cmp(&heavy(a));
        let by_cost = match heavy(a) && heavy(b) {
            true => weights[b].total_cmp(&weights[a]),
            false => std::cmp::Ordering::Equal,
        };
        class
            .then(by_cost)
            .then(hashes[a].cmp(&hashes[b]))
            .then(names[a].cmp(names[b]))
    });
    let mut load = vec![0.0_f64; count];
    let mut shard_of = vec![0_u32; names.len()];
    for i in order {
        let ranked = preference(hashes[i], count);
        let w = weights[i];
        let pick = ranked
            .iter()
            .copied()
            .find(|&s| load[s] + w <= cap)
            .unwrap_or_else(|| {
                // No shard has room: the least loaded, ties broken by preference.
                let mut best = ranked[0];
                for &s in &ranked[1..] {
                    if load[s] < load[best] {
                        best = s;
                    }
                }
                best
            });
        load[pick] += w;
        shard_of[i] = pick as u32 + 1;
    }
    shard_of
}

/// The names of the benchmarks that belong to `shard`, in the order of `names`; the
/// function other commands call (`run`, `bless`, `ab`). See [`assign`] for `costs`.
pub fn select_names(names: &[&str], costs: &[Option<f64>], shard: Shard) -> Vec<String> {
    assign(names, costs, shard.count)
        .into_iter()
        .zip(names)
        .filter(|(s, _)| *s == shard.index)
        .map(|(_, n)| n.to_string())
        .collect()
}

/// Digest of the full benchmark list before sharding: FNV-1a (64-bit) of the sorted,
/// de-duplicated names, each followed by a newline, as `fnv1a64:` and 16 hex digits.
/// Shards of one suite carry the same digest, so `merge` can tell suites apart.
pub fn suite_digest(names: &[&str]) -> String {
    let mut sorted: Vec<&str> = names.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut h = FNV_OFFSET;
    for name in sorted {
        h = fnv1a(h, name.as_bytes());
        h = fnv1a(h, b"\n");
    }
    format!("fnv1a64:{h:016x}")
}

/// Costs with the unknown ones filled in (median of the known, or 1 for all).
fn fill_costs(costs: &[Option<f64>]) -> Vec<f64> {
    let mut known: Vec<f64> = costs
        .iter()
        .flatten()
        .copied()
        .filter(|c| c.is_finite() && *c > 0.0)
        .collect();
    known.sort_by(f64::total_cmp);
    let fill = match known.len() {
        0 => return vec![1.0; costs.len()],
        n if n % 2 == 1 => known[n / 2],
        n => 0.5 * (known[n / 2 - 1] + known[n / 2]),
    };
    costs
        .iter()
        .map(|c| match c {
            Some(c) if c.is_finite() && *c > 0.0 => *c,
            _ => fill,
        })
        .collect()
}

/// Sum in ascending order, so the total does not depend on the order of the benchmarks.
fn sorted_sum(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.iter().sum()
}

/// Shards (0-based) in the benchmark's order of preference: highest rendezvous score
/// first.
fn preference(name_hash: u64, count: usize) -> Vec<usize> {
    let mut ranked: Vec<(u64, usize)> = (0..count)
        .map(|s| (mix(name_hash ^ mix(s as u64 + 1)), s))
        .collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    ranked.into_iter().map(|(_, s)| s).collect()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn name_hash(name: &str) -> u64 {
    mix(fnv1a(FNV_OFFSET, name.as_bytes()))
}

/// SplitMix64's finaliser: spreads FNV's weak low bits over the whole word.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests;
