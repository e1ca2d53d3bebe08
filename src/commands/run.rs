//! `perfgate run`: measure the suite, print the results, gate against the baseline.

use crate::cli::{MetricChoice, RunCommand};
use crate::confirm::{Remeasure, confirm_verdict};
use crate::error::EXIT_PASS;
use crate::model::ModelComparison;
use crate::output::stdout::print;
use crate::output::{instructions_table, model_comparison, results_table};
use crate::results::{ResultsFile, write_json_atomic};
use crate::verdict::Verdict;

use super::measure::Plan;
use super::verdict_out::load_thresholds;
use super::{instructions, measure};

/// Runs `perfgate run`.
pub fn run(cmd: RunCommand) -> anyhow::Result<i32> {
    let plan = measure::plan_costed(&cmd.measure, cmd.baseline.as_deref())?;
    let metric = cmd.instr.metric;
    instructions::config(&cmd.instr, plan.config.seed)?;
    let results = match metric {
        MetricChoice::Instructions => instructions::count(&plan, &cmd.instr, None)?,
        MetricChoice::Time | MetricChoice::All => {
            let timed = measure::measure(&plan)?;
            print(&results_table::render(&timed))?;
            if let Some(models) = ModelComparison::from_results(&timed) {
                print(&model_comparison::render(&models))?;
            }
            match metric {
                MetricChoice::All => instructions::count(&plan, &cmd.instr, Some(timed))?,
                _ => timed,
            }
        }
    };
    if let Some(table) = instructions_table::render(&results) {
        print(&table)?;
    }
    if let Some(out) = &cmd.out {
        write_json_atomic(out, &results)?;
        eprintln!("results written to {}", out.display());
    }
    if cmd.no_compare {
        return Ok(EXIT_PASS);
    }
    let candidate_file = cmd
        .out
        .as_ref()
        .map_or("-".to_string(), |p| p.display().to_string());
    let instr_baseline = cmd.instructions_baseline.as_deref();
    match metric {
        MetricChoice::Instructions => instructions::gate_only(
            &results,
            &candidate_file,
            instr_baseline,
            &cmd.gate,
            cmd.verdict_out.as_deref(),
        ),
        MetricChoice::Time => super::compare::gate_and_print(
            &results,
            &candidate_file,
            cmd.baseline.as_deref(),
            &cmd.gate,
            cmd.verdict_out.as_deref(),
            |v| confirm(v, &results, &cmd, &plan),
        ),
        MetricChoice::All => super::compare::gate_and_print(
            &results,
            &candidate_file,
            cmd.baseline.as_deref(),
            &cmd.gate,
            cmd.verdict_out.as_deref(),
            |v| {
                instructions::adjust(&results, instr_baseline, &cmd.gate)(v)?;
                confirm(v, &results, &cmd, &plan)
            },
        ),
    }
}

/// The confirmation step (unless `--no-confirm`): timing regressions re-measured in a fresh
/// `perfgate run` with the same measuring settings; the re-measured samples are kept next
/// to `--out` (FILE.confirm.json) when it is given.
fn confirm(
    verdict: &mut Verdict,
    results: &ResultsFile,
    cmd: &RunCommand,
    plan: &Plan,
) -> anyhow::Result<()> {
    if cmd.no_confirm {
        return Ok(());
    }
    let how = Remeasure {
        exe: std::env::current_exe()?,
        flags: plan.fresh_run_flags(plan.config.samples, plan.processes),
        out: cmd.out.as_ref().map(|p| p.with_extension("confirm.json")),
    };
    let thresholds = load_thresholds(&cmd.gate.thresholds)?;
    confirm_verdict(verdict, results, &how, &thresholds)
}
