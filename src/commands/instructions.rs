//! `--metric instructions|all` for `run` and `bless`: counting under callgrind, the
//! instruction-only results file, and gating against the instruction baseline.

use std::path::{Path, PathBuf};

use super::measure::{self, Plan};
use super::verdict_out::{BASELINES_DIR, emit, load_thresholds};
use crate::baseline;
use crate::cli::{BlessCommand, GateArgs, InstrArgs};
use crate::error::{EXIT_PASS, InputError};
use crate::gate::instructions::{instruction_checks, instruction_verdict, merge_instructions};
use crate::gate::{self, BaselineInput, Comparison};
use crate::instructions::InstrBaseline;
use crate::instructions::baseline::{load_instr_baseline, write_instr_baseline};
use crate::instructions::{
    InstrConfig, InstrFingerprint, measure_instructions, measure_instructions_of, merge_into,
};
use crate::results::{RESULTS_SCHEMA, ResultsFile, parse_results, schema_of};
use crate::verdict::Verdict;

/// Validates the instruction flags.
pub fn config(args: &InstrArgs, seed: u64) -> Result<InstrConfig, InputError> {
    if args.instr_iters == 0 {
        return Err(InputError::flag("--instr-iters", "must be at least 1"));
    }
    Ok(InstrConfig {
        iterations: args.instr_iters,
        warmup: 1,
        seed,
        cache_sim: args.cache_sim,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
    })
}

/// Counts instructions of the planned benchmarks and puts them into `results` (a fresh,
/// instruction-only results file when `None`).
pub fn count(
    plan: &Plan,
    args: &InstrArgs,
    results: Option<ResultsFile>,
) -> anyhow::Result<ResultsFile> {
    let cfg = config(args, plan.config.seed)?;
    let measured = match &plan.bench_bin {
        Some(bin) => measure_instructions_of(bin, &plan.benches, &cfg)?,
        None => measure_instructions(&plan.benches, &cfg)?,
    };
    let mut results = results.unwrap_or_else(|| ResultsFile {
        schema: RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env: crate::runner::collect_env(),
        settings: None,
        benchmarks: Vec::new(),
        shard: plan.shard.clone(),
        instructions: None,
    });
    merge_into(&mut results, measured, &plan.benches);
    Ok(results)
}

/// The instruction baseline `arg` names (a name under baselines/ or a path), or the default
/// for the candidate's fingerprint.
fn baseline_path(arg: Option<&str>, candidate: &ResultsFile) -> PathBuf {
    let dir = Path::new(BASELINES_DIR);
    match (arg, &candidate.instructions) {
        (Some(arg), _) => baseline::resolve(arg, dir),
        (None, Some(run)) => dir.join(format!("{}.json", run.fingerprint.slug())),
        (None, None) => dir.join("instructions.json"),
    }
}

/// Default name of an instruction baseline for `fp`.
pub fn default_name(fp: &InstrFingerprint) -> String {
    fp.slug()
}

/// Gates an instruction-only run against its instruction baseline and prints the verdict.
pub fn gate_only(
    candidate: &ResultsFile,
    candidate_file: &str,
    arg: Option<&str>,
    gate_args: &GateArgs,
    verdict_out: Option<&Path>,
) -> anyhow::Result<i32> {
    let thresholds = load_thresholds(&gate_args.thresholds)?;
    let path = baseline_path(arg, candidate);
    let file = path.display().to_string();
    let verdict = if arg.is_none() && !path.exists() {
        let mut v = gate::compare(&Comparison {
            baseline: BaselineInput::Missing { expected: &file },
            candidate,
            candidate_file,
            thresholds: &thresholds,
        })?;
        v.notes = vec![no_baseline_note(&file)];
        v
    } else {
        let base = load_instr_baseline(&path)?;
        instruction_verdict(&base, &file, candidate, candidate_file, &thresholds)?
    };
    emit(verdict, gate_args, verdict_out)
}

/// For `--metric all`: adds the instruction checks to the timing verdict.
pub fn adjust(
    candidate: &ResultsFile,
    arg: Option<&str>,
    gate_args: &GateArgs,
) -> impl FnOnce(&mut Verdict) -> anyhow::Result<()> {
    move |verdict: &mut Verdict| {
        let thresholds = load_thresholds(&gate_args.thresholds)?;
        let path = baseline_path(arg, candidate);
        let file = path.display().to_string();
        if arg.is_none() && !path.exists() {
            verdict.notes.push(no_baseline_note(&file));
            return Ok(());
        }
        let base = load_instr_baseline(&path)?;
        let found = instruction_checks(&base, &file, candidate, &thresholds)?;
        merge_instructions(verdict, found, &thresholds.defaults);
        Ok(())
    }
}

fn no_baseline_note(file: &str) -> String {
    format!(
        "NO INSTRUCTION BASELINE: instruction counts were not compared ({file} does not \
         exist). Bless one with `perfgate bless --metric instructions` and commit it."
    )
}

/// `perfgate bless --metric instructions`: one counted run (counts are deterministic, so one
/// is enough) or the first `--from` file with counts, written to baselines/NAME.json
/// (default name from the instruction fingerprint, e.g. `instructions-linux-x86_64`).
pub fn bless(cmd: &BlessCommand, name: Option<&str>) -> anyhow::Result<i32> {
    let results = if cmd.from.is_empty() {
        let plan = measure::plan(&cmd.measure)?;
        count(&plan, &cmd.instr, None)?
    } else {
        let mut with_counts = None;
        for path in &cmd.from {
            // A timing baseline among them (`bless --metric all --from baselines/X.json …`)
            // holds no counts: its runs went into the timing baseline.
            let bytes = crate::error::read_file(path)?;
            if schema_of(&bytes).as_deref() == Some(baseline::BASELINE_SCHEMA) {
                continue;
            }
            let r = parse_results(&bytes, path)?;
            if r.instructions.is_some() {
                with_counts = Some(r);
                break;
            }
        }
        with_counts.ok_or_else(|| {
            InputError::flag(
                "--from",
                "no file holds instruction counts (measure them with `perfgate run --metric \
                 instructions --out FILE`)",
            )
        })?
    };
    let failed: Vec<&str> = results
        .benchmarks
        .iter()
        .filter(|b| b.error.is_some())
        .map(|b| b.name.as_str())
        .collect();
    if !failed.is_empty() {
        eprintln!(
            "warning: not in the instruction baseline (failed under valgrind): {}",
            failed.join(", ")
        );
    }
    let base = InstrBaseline::from_results(&results).expect("the results hold counts");
    let name = name.map_or_else(|| default_name(base.fingerprint()), str::to_string);
    let path = cmd.dir.join(format!("{name}.json"));
    let old = path
        .exists()
        .then(|| load_instr_baseline(&path).ok())
        .flatten();
    write_instr_baseline(&path, &base)?;
    for b in &base.benchmarks {
        let before = old
            .as_ref()
            .and_then(|o| o.benchmarks.iter().find(|x| x.name == b.name))
            .map_or("new".to_string(), |x| {
                format!("{:.0}", x.instructions_per_iter)
            });
        println!(
            "{:<28} {before:>14} → {:.0}",
            b.name, b.instructions_per_iter
        );
    }
    eprintln!(
        "blessed {} ({} benchmarks, {})",
        path.display(),
        base.benchmarks.len(),
        base.fingerprint().valgrind
    );
    Ok(EXIT_PASS)
}
