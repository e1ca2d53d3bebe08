//! Synthetic scale for the history (issue 27): writes a store of C commits × B benchmarks
//! (p10, p50 and allocation counts per benchmark, 1.5% noise, 8% slow points, a +5% step in
//! every 20th benchmark at commit C/2) and one more results file for timing
//! `perfgate history add` of a single commit. Deterministic (seeded).
//!
//! usage: cargo run --release --example history_scale -- DIR [C] [B]   (defaults 10000 200)
//!        → DIR/store/ and DIR/next.json
//!
//! scripts/history-scale.sh times `history check` and `history add` on them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use perfgate::history::{HISTORY_SCHEMA, Points, RunRecord, Store};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

fn value(rng: &mut ChaCha8Rng, base: f64) -> f64 {
    let z: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0;
    let slow = if rng.random::<f64>() < 0.08 {
        1.0 + rng.random_range(0.05..0.35)
    } else {
        1.0
    };
    base * (0.015 * z).exp() * slow
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().context("usage: history_scale DIR [C] [B]")?);
    let commits: usize = args.get(1).map_or(Ok(10_000), |a| a.parse())?;
    let benches: usize = args.get(2).map_or(Ok(200), |a| a.parse())?;
    let store = Store::new(dir.join("store"));
    (0..commits)
        .into_par_iter()
        .try_for_each(|c| -> anyhow::Result<()> {
            let mut rng = ChaCha8Rng::seed_from_u64(c as u64);
            let mut benchmarks = BTreeMap::new();
            for b in 0..benches {
                let step = if b % 20 == 0 && c >= commits / 2 {
                    1.05
                } else {
                    1.0
                };
                let base = 1000.0 * (1 + b) as f64 * step;
                let p50 = value(&mut rng, base);
                benchmarks.insert(
                    format!("group{}/bench{b}", b % 10),
                    Points {
                        p10_ns: Some(p50 * 0.97),
                        p50_ns: Some(p50),
                        alloc_bytes: Some(4096.0),
                        allocs: Some(3.0),
                        ..Points::default()
                    },
                );
            }
            let secs = 1_700_000_000 + 600 * c as i64;
            let time = chrono::DateTime::from_timestamp(secs, 0)
                .context("time")?
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            store.add(&RunRecord {
                schema: HISTORY_SCHEMA.to_string(),
                commit: format!("{:040x}", c as u128 * 0x9e37_79b9_7f4a_7c15),
                time,
                machine: "authenticamd-f25m17-2c".into(),
                instr_machine: None,
                perfgate_version: "0.1.0".into(),
                benchmarks,
            })?;
            Ok(())
        })?;
    // One more run, as a results file.
    let mut rng = ChaCha8Rng::seed_from_u64(u64::MAX);
    let benchmarks: Vec<serde_json::Value> = (0..benches)
        .map(|b| {
            let samples: Vec<f64> = (0..40)
                .map(|_| value(&mut rng, 1000.0 * (1 + b) as f64))
                .collect();
            serde_json::json!({"name": format!("group{}/bench{b}", b % 10), "samples_ns": samples})
        })
        .collect();
    let next = serde_json::json!({
        "schema": "perfgate.results.v1",
        "env": {"git_commit": "ffffffffffffffffffffffffffffffffffffffff", "timestamp": "2030-01-01T00:00:00Z",
                "cpu_model": "AMD EPYC", "logical_cores": 2},
        "benchmarks": benchmarks,
    });
    std::fs::write(dir.join("next.json"), serde_json::to_vec(&next)?)?;
    eprintln!(
        "wrote {} commits × {benches} benchmarks to {}",
        commits,
        dir.join("store").display()
    );
    Ok(())
}
