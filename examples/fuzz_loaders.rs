//! Seeded property-based fuzzing of every file perfgate reads: results, baselines,
//! thresholds.toml, the suite file (perfgate.toml) and the four import formats. Each input
//! is a mutation of a real seed file (byte flips, insertions, deletions, splices, extreme
//! numbers, and structure-aware edits of the JSON/TOML tree); the property is that the
//! loader returns Ok or Err and never panics. The same entry points are libFuzzer targets
//! in fuzz/ (scripts/fuzz.sh).
//!
//! usage: cargo run --release --example fuzz_loaders -- [--runs N] [--seed S] [--target NAME]
//! Exit 1 (and the panicking inputs written to fuzz-panic-<target>-<i>.bin) on any panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use perfgate::gate::Thresholds;
use perfgate::import::{criterion, google_benchmark, hyperfine, pytest_benchmark};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A loader under test: name, the parse-from-bytes entry point, its seed files.
struct Target {
    name: &'static str,
    parse: fn(&[u8]) -> bool,
    seeds: Vec<Vec<u8>>,
}

fn targets() -> Vec<Target> {
    let seeds = |files: &[&'static str]| files.iter().map(|s| s.as_bytes().to_vec()).collect();
    vec![
        Target {
            name: "results",
            parse: |b| perfgate::results::parse_results(b, Path::new("r.json")).is_ok(),
            seeds: seeds(&[
                SMALL_RESULTS,
                include_str!("../tests/fixtures/fuzz/results.json"),
            ]),
        },
        Target {
            name: "baseline",
            parse: |b| perfgate::baseline::parse_baseline(b, Path::new("b.json")).is_ok(),
            seeds: seeds(&[
                include_str!("../tests/fixtures/fuzz/baseline.json"),
                SMALL_RESULTS,
            ]),
        },
        Target {
            name: "thresholds",
            parse: |b| {
                std::str::from_utf8(b)
                    .is_ok_and(|text| Thresholds::parse(text, Path::new("thresholds.toml")).is_ok())
            },
            seeds: seeds(&[include_str!("../thresholds.toml")]),
        },
        Target {
            name: "suite",
            parse: |b| {
                perfgate::suite::commands::parse_suite(b, Path::new("perfgate.toml")).is_ok()
            },
            seeds: seeds(&[include_str!("commands/perfgate.toml")]),
        },
        Target {
            name: "hyperfine",
            parse: |b| hyperfine::parse(b, "h.json").is_ok(),
            seeds: seeds(&[include_str!(
                "../tests/fixtures/import/hyperfine/hyperfine.json"
            )]),
        },
        Target {
            name: "google-benchmark",
            parse: |b| google_benchmark::parse(b, "g.json").is_ok(),
            seeds: seeds(&[include_str!(
                "../tests/fixtures/import/google-benchmark/gbench.json"
            )]),
        },
        Target {
            name: "pytest-benchmark",
            parse: |b| pytest_benchmark::parse(b, "p.json").is_ok(),
            seeds: seeds(&[include_str!(
                "../tests/fixtures/import/pytest-benchmark/pytest-benchmark.json"
            )]),
        },
        Target {
            name: "criterion-sample",
            parse: |b| criterion::parse_sample(b, "sample.json").is_ok(),
            seeds: seeds(&[include_str!(
                "../tests/fixtures/import/criterion/criterion/fib/15/new/sample.json"
            )]),
        },
        Target {
            name: "criterion-benchmark",
            parse: |b| criterion::parse_benchmark_id(b, "benchmark.json").is_ok(),
            seeds: seeds(&[include_str!(
                "../tests/fixtures/import/criterion/criterion/fib/15/new/benchmark.json"
            )]),
        },
    ]
}

const SMALL_RESULTS: &str = r#"{"schema":"perfgate.results.v1","env":{"cpu_model":"X","logical_cores":2},
"benchmarks":[{"name":"a/1","samples_ns":[1.5,2,3]},{"name":"b","error":"boom","samples_ns":[]},
{"name":"m","samples_ns":[10,11],"alloc_bytes_per_iter":3,"model":{"params":5,"d_model":2,"layers":1,
"heads":1,"context":4,"vocab":3},"tokens":2,"process":{"user_ns":[1,2],"sys_ns":[0,0],"max_rss_bytes":[1,2]}}]}"#;

/// Bytes that matter to JSON and TOML parsers, and numbers at the edges.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "=",
    "\n",
    "[[",
    "]]",
    "-",
    ".",
    "e",
    "0",
    "1e308",
    "-1e308",
    "1e-320",
    "-0",
    "-1",
    "NaN",
    "inf",
    "18446744073709551616",
    "9999999999999999999",
    "null",
    "true",
    "\"\"",
    "\\u0000",
    "\u{feff}",
    "#",
    "'''",
];

/// One mutation of `input`, possibly spliced with `other`.
fn mutate(rng: &mut ChaCha8Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let edits = 1 + rng.random_range(0..4);
    for _ in 0..edits {
        let len = out.len();
        let at = if len == 0 {
            0
        } else {
            rng.random_range(0..len)
        };
        match rng.random_range(0..9) {
            0 if len > 0 => out[at] ^= 1 << rng.random_range(0..8),
            1 if len > 0 => out[at] = rng.random(),
            2 => {
                let t = TOKENS[rng.random_range(0..TOKENS.len())].as_bytes();
                out.splice(at..at, t.iter().copied());
            }
            3 if len > 0 => {
                let end = (at + rng.random_range(1..64)).min(len);
                out.drain(at..end);
            }
            4 if len > 0 => {
                let end = (at + rng.random_range(1..256)).min(len);
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk);
            }
            5 => out.truncate(at),
            6 if !other.is_empty() => {
                let from = rng.random_range(0..other.len());
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            7 => out = structured(rng, &out),
            _ => {
                // Replace a number with an extreme one.
                if let Some(start) = (at..len).find(|&i| out[i].is_ascii_digit()) {
                    let end = (start..len)
                        .find(|&i| !(out[i].is_ascii_digit() || b".eE+-".contains(&out[i])))
                        .unwrap_or(len);
                    let t = TOKENS[14 + rng.random_range(0..10)].as_bytes();
                    out.splice(start..end, t.iter().copied());
                }
            }
        }
    }
    out
}

/// A structure-aware edit: parse as JSON, change one node, serialize (unchanged bytes when
/// the input is not JSON).
fn structured(rng: &mut ChaCha8Rng, input: &[u8]) -> Vec<u8> {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(input) else {
        return input.to_vec();
    };
    // Pick a random path (as a JSON pointer), walking the tree read-only.
    let mut pointer = String::new();
    let mut here = &value;
    for _ in 0..rng.random_range(0..6) {
        let step = match here {
            serde_json::Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(rng.random_range(0..m.len())).unwrap();
                Some((k.replace('~', "~0").replace('/', "~1"), &m[k]))
            }
            serde_json::Value::Array(a) if !a.is_empty() => {
                let i = rng.random_range(0..a.len());
                Some((i.to_string(), &a[i]))
            }
            _ => None,
        };
        let Some((key, next)) = step else { break };
        pointer.push('/');
        pointer.push_str(&key);
        here = next;
    }
    let node = value.pointer_mut(&pointer).unwrap();
    let replacement = match rng.random_range(0..8) {
        0 => serde_json::Value::Null,
        1 => serde_json::json!(-1.0),
        2 => serde_json::json!(0),
        3 => serde_json::json!(1e308),
        4 => serde_json::json!(""),
        5 => serde_json::json!([]),
        6 => serde_json::json!({}),
        _ => {
            // Remove a key or element, or duplicate one.
            match node {
                serde_json::Value::Object(m) if !m.is_empty() => {
                    let k = m.keys().nth(rng.random_range(0..m.len())).cloned().unwrap();
                    m.remove(&k);
                }
                serde_json::Value::Array(a) if !a.is_empty() => {
                    let i = rng.random_range(0..a.len());
                    if rng.random() {
                        a.remove(i);
                    } else {
                        let dup = a[i].clone();
                        a.push(dup);
                    }
                }
                _ => {}
            }
            return serde_json::to_vec(&value).unwrap();
        }
    };
    *node = replacement;
    serde_json::to_vec(&value).unwrap()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: u64 = flag("--runs").map_or(10_000, |v| v.parse().expect("--runs N"));
    let seed: u64 = flag("--seed").map_or(1, |v| v.parse().expect("--seed S"));
    let only = flag("--target");
    // Panics are what is counted; keep their messages off the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let mut total_panics = 0;
    for target in targets() {
        if only.as_deref().is_some_and(|o| o != target.name) {
            continue;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // A growing corpus: a share of the mutated inputs that still load is kept and mutated
        // further, so the validation behind the parser is reached, not only the parser.
        let mut corpus = target.seeds.clone();
        let mut panics = 0;
        let mut accepted = 0u64;
        let mut loaded = 0u64;
        let start = std::time::Instant::now();
        for i in 0..runs {
            let input = if rng.random_range(0..50) == 0 {
                let n = rng.random_range(0..512);
                (0..n).map(|_| rng.random()).collect()
            } else {
                let a = &corpus[rng.random_range(0..corpus.len())];
                let b = &corpus[rng.random_range(0..corpus.len())];
                mutate(&mut rng, a, b)
            };
            let parse = target.parse;
            let outcome = catch_unwind(AssertUnwindSafe(|| parse(&input)));
            let loaded_ok = matches!(outcome, Ok(true));
            loaded += u64::from(loaded_ok);
            if outcome.is_err() {
                panics += 1;
                let file = format!("fuzz-panic-{}-{i}.bin", target.name);
                std::fs::write(&file, &input).expect("writing the panicking input");
                eprintln!("PANIC in {} on input {i}, written to {file}", target.name);
            } else if loaded_ok && corpus.len() < 256 && rng.random_range(0..4) == 0 {
                accepted += 1;
                corpus.push(input);
            }
        }
        println!(
            "{:<20} {runs} inputs, {panics} panics, {loaded} loaded without error, {:.1} s \
             (seed {seed}, corpus grew by {accepted})",
            target.name,
            start.elapsed().as_secs_f64()
        );
        total_panics += panics;
    }
    if total_panics > 0 {
        std::process::exit(1);
    }
}
