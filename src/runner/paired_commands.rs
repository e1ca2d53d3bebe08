//! A/B of a command suite (`perfgate ab --suite`): every command benchmark runs in the
//! base's checkout and in the head's, interleaved by [`paired_plan`] (rounds; benchmarks
//! in a random order per round; base/head order balanced per benchmark). A sample is one
//! run of the command as a process, as in [`run_commands`](super::run_commands); a visit
//! takes the same number of runs on each side, alternating one run per side (the visit's
//! first side first); run i of each side form a pair, and the visit's paired observation
//! is the median of the pairs' log-ratios. Rounds run in stages up to the looks of the
//! plan; at each look the benchmarks already decided stop (as in `perfgate ab`,
//! src/stats/sequential.rs). Produces the A/B results file that `gate_ab` decides on.

use crate::results::{
    AB_RESULTS_SCHEMA, AbBenchmark, AbResultsFile, AbRound, AbSamples, AbSettings, AbSide, Clock,
    Pairing, Presence, ProcessMetrics,
};
use crate::suite::commands::CommandBench;

use super::commands::{State, hook, pin_here, take_samples};
use super::{PairedRounds, PairedSide as Side, PairedVisit, Stages, env, run_stages};

/// Validated settings of an A/B run of a command suite.
#[derive(Debug, Clone)]
pub struct PairedCommandsConfig {
    /// Rounds, seed, time budget, looks and stopping rule.
    pub stages: Stages,
    /// Runs per side per visit.
    pub samples_per_visit: u32,
    /// Core the driver, and so every command, is pinned to.
    pub core: Option<usize>,
}

/// One side of the run: its benchmarks (already filtered) and how it is described.
#[derive(Debug, Clone)]
pub struct CommandSide<'a> {
    /// The side's command benchmarks, with working directories inside its checkout.
    pub benches: &'a [CommandBench],
    /// How the side is shown in the results and the verdict.
    pub info: AbSide,
}

/// Runs the paired comparison of `base` and `head`. Benchmarks are matched by name: the
/// head's order, then the ones only the base has. A command that fails or times out on
/// either side marks that benchmark failed (with the side, the cause and the end of its
/// stderr) and leaves it out of later rounds; the others go on.
pub fn run_paired_commands(
    config: &PairedCommandsConfig,
    base: CommandSide<'_>,
    head: CommandSide<'_>,
    notes: Vec<String>,
    mut progress: impl FnMut(&str),
) -> AbResultsFile {
    let mut env = env::collect();
    env.pinned_cores = pin_here(config.core);
    let monitor = super::load::LoadMonitor::start();
    let find = |benches: &[CommandBench], name: &str| benches.iter().position(|b| b.name == name);
    // Per benchmark of the run: its index on each side.
    let mut pairs: Vec<(String, [Option<usize>; 2])> = head
        .benches
        .iter()
        .enumerate()
        .map(|(h, b)| (b.name.clone(), [find(base.benches, &b.name), Some(h)]))
        .collect();
    pairs.extend(
        base.benches
            .iter()
            .enumerate()
            .filter(|(_, b)| find(head.benches, &b.name).is_none())
            .map(|(i, b)| (b.name.clone(), [Some(i), None])),
    );
    let states: Vec<[State; 2]> = pairs.iter().map(|_| Default::default()).collect();
    let benches: Vec<AbBenchmark> = pairs
        .iter()
        .map(|(name, at)| empty(name, presence(at)))
        .collect();
    let mut notes = notes;
    let mut open: Vec<bool> = pairs
        .iter()
        .map(|(_, at)| presence(at) == Presence::Both)
        .collect();
    let mut run = CommandRounds {
        benches,
        states,
        pairs: &pairs,
        sides: [base.benches, head.benches],
        samples_per_visit: config.samples_per_visit,
    };
    let (rounds_done, ended) = run_stages(&config.stages, &mut open, &mut run, &mut progress);
    notes.extend(ended);
    let CommandRounds {
        mut benches,
        states,
        sides,
        ..
    } = run;
    env.load = monitor.finish(env.logical_cores);
    for ((b, state), (_, at)) in benches.iter_mut().zip(&states).zip(&pairs) {
        for side in [Side::Base, Side::Head] {
            let i = side as usize;
            let Some(at) = at[i] else { continue };
            let bench = &sides[i][at];
            if let (true, Some(cleanup)) = (state[i].started, &bench.cleanup)
                && let Err(e) = hook(bench, "cleanup", cleanup)
                && b.error.is_none()
            {
                b.error = Some(format!("{}: {e}", side.name()));
            }
        }
        b.base = samples(&state[0]);
        b.head = samples(&state[1]);
    }
    AbResultsFile {
        schema: AB_RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        base: base.info,
        head: head.info,
        settings: AbSettings {
            rounds_planned: config.stages.rounds,
            rounds_done: rounds_done as u32,
            samples_per_visit: config.samples_per_visit,
            warmup_ms: 0,
            rewarm_ms: 0,
            sample_ms: 0,
            seed: config.stages.seed,
            core: config.core,
            time_budget_s: config.stages.time_budget.map(|d| d.as_secs_f64()),
            clock: Clock::Wall,
            looks: config.stages.looks.ended_at(rounds_done as u32),
            stop_alpha: config.stages.rule.alpha,
            stop_limit: config.stages.rule.limit,
            pairing: Pairing::Index,
        },
        notes,
        benchmarks: benches,
    }
}

/// A command suite's side of the staged rounds.
struct CommandRounds<'a> {
    benches: Vec<AbBenchmark>,
    states: Vec<[State; 2]>,
    /// Per benchmark of the run: its index on each side.
    pairs: &'a [(String, [Option<usize>; 2])],
    sides: [&'a [CommandBench]; 2],
    samples_per_visit: u32,
}

impl PairedRounds for CommandRounds<'_> {
    fn benches(&self) -> &[AbBenchmark] {
        &self.benches
    }

    fn start_round(&mut self, _round: usize, _open: &[bool]) {}

    fn visit(&mut self, round: usize, visit: PairedVisit, _open: &[bool]) {
        let (b, state) = (
            &mut self.benches[visit.bench],
            &mut self.states[visit.bench],
        );
        let [Some(at_base), Some(at_head)] = self.pairs[visit.bench].1 else {
            return;
        };
        let order = match visit.base_first {
            true => [Side::Base, Side::Head],
            false => [Side::Head, Side::Base],
        };
        let at = [at_base, at_head];
        let taken = [state[0].runs.len(), state[1].runs.len()];
        // One run per side in turn (A B A B …), so a slow spell of the machine shorter than
        // a visit falls on both sides rather than on one side's block of runs; run i of
        // each side form a pair.
        'visit: for _ in 0..self.samples_per_visit {
            for side in order {
                let i = side as usize;
                if let Err(e) = take_samples(&self.sides[i][at[i]], &mut state[i], 1) {
                    b.error = Some(format!("{}: {e}", side.name()));
                    break 'visit;
                }
            }
        }
        if b.error.is_some() {
            return;
        }
        let walls = |i: usize| -> Vec<f64> {
            state[i].runs[taken[i]..]
                .iter()
                .map(|r| r.wall_ns)
                .collect()
        };
        match AbRound::of_visit(
            Pairing::Index,
            round as u32,
            visit.base_first,
            &walls(0),
            &walls(1),
        ) {
            Some(r) => b.rounds.push(r),
            None => b.error = Some("a visit measured 0 ns".to_string()),
        }
        // The samples so far, so the look sees them as the file will.
        b.base.samples_ns = walls_of(&state[0]);
        b.head.samples_ns = walls_of(&state[1]);
    }
}

fn presence(at: &[Option<usize>; 2]) -> Presence {
    match at {
        [Some(_), Some(_)] => Presence::Both,
        [Some(_), None] => Presence::BaseOnly,
        _ => Presence::HeadOnly,
    }
}

fn empty(name: &str, presence: Presence) -> AbBenchmark {
    AbBenchmark {
        name: name.to_string(),
        presence,
        error: None,
        // One sample is one run of the command.
        iters_per_sample: 1,
        clock: Clock::Wall,
        base: AbSamples::default(),
        head: AbSamples::default(),
        rounds: Vec::new(),
    }
}

/// A side's runs as A/B samples, with the process metrics of each run.
fn samples(state: &State) -> AbSamples {
    let runs = &state.runs;
    AbSamples {
        samples_ns: runs.iter().map(|r| r.wall_ns).collect(),
        cpu_ns: Vec::new(),
        alloc_bytes: 0,
        allocs: 0,
        process: Some(ProcessMetrics {
            user_ns: runs.iter().map(|r| r.user_ns).collect(),
            sys_ns: runs.iter().map(|r| r.sys_ns).collect(),
            max_rss_bytes: runs.iter().map(|r| r.max_rss_bytes).collect(),
        }),
    }
}

fn walls_of(state: &State) -> Vec<f64> {
    state.runs.iter().map(|r| r.wall_ns).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use crate::stats::{LookPlan, StopRule};

    use super::*;

    fn bench(name: &str, dir: &Path, line: &str) -> CommandBench {
        CommandBench {
            name: name.to_string(),
            group: name.to_string(),
            argv: vec!["sh".into(), "-c".into(), line.to_string()],
            setup: Some("echo setup >> log".into()),
            prepare: None,
            cleanup: Some("echo cleanup >> log".into()),
            cwd: dir.to_path_buf(),
            env: BTreeMap::new(),
            warmup_runs: 1,
            timeout: Duration::from_secs(30),
        }
    }

    fn info(name: &str) -> AbSide {
        AbSide {
            binary: name.to_string(),
            perfgate_version: "test".to_string(),
            git_commit: None,
        }
    }

    fn config(rounds: u32) -> PairedCommandsConfig {
        PairedCommandsConfig {
            stages: Stages {
                rounds,
                seed: 5,
                time_budget: None,
                looks: LookPlan::default_for(rounds),
                rule: StopRule {
                    alpha: 0.01,
                    limit: Some(0.02),
                },
            },
            samples_per_visit: 2,
            core: None,
        }
    }

    fn lines(path: PathBuf) -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Runs `base` against `head` with `config`, passing `notes` through.
    fn paired(
        config: &PairedCommandsConfig,
        base: &[CommandBench],
        head: &[CommandBench],
        notes: Vec<String>,
    ) -> AbResultsFile {
        let side = |benches, name| CommandSide {
            benches,
            info: info(name),
        };
        run_paired_commands(
            config,
            side(base, "base"),
            side(head, "head"),
            notes,
            |_| {},
        )
    }

    #[test]
    fn each_side_runs_in_its_own_directory_with_paired_rounds() {
        let (b, h) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let base = [
            bench("both", b.path(), "echo run >> runs"),
            bench("gone", b.path(), "true"),
        ];
        let head = [
            bench("new", h.path(), "true"),
            bench("both", h.path(), "echo run >> runs"),
        ];
        let r = paired(&config(4), &base, &head, vec!["a note".into()]);
        let names: Vec<(&str, Presence)> = r
            .benchmarks
            .iter()
            .map(|b| (b.name.as_str(), b.presence))
            .collect();
        assert_eq!(
            names,
            [
                ("new", Presence::HeadOnly),
                ("both", Presence::Both),
                ("gone", Presence::BaseOnly)
            ]
        );
        let both = &r.benchmarks[1];
        assert!(both.error.is_none(), "{:?}", both.error);
        assert_eq!(both.rounds.len(), 4);
        assert_eq!(
            both.rounds.iter().filter(|r| r.base_first).count(),
            2,
            "base-first balanced"
        );
        for side in [&both.base, &both.head] {
            assert_eq!(side.samples_ns.len(), 8);
            assert_eq!(side.process.as_ref().unwrap().user_ns.len(), 8);
        }
        // 1 warm-up + 4 rounds × 2 runs on each side, each in its own directory; set-up
        // and clean-up once per side. Benchmarks on one side only are not run.
        for dir in [b.path(), h.path()] {
            assert_eq!(lines(dir.join("runs")).len(), 9);
            assert_eq!(lines(dir.join("log")), ["setup", "cleanup"]);
        }
        assert_eq!(r.settings.rounds_done, 4);
        assert_eq!(r.notes, ["a note"]);
        assert!(r.benchmarks[0].rounds.is_empty() && r.benchmarks[2].rounds.is_empty());
    }

    #[test]
    fn a_visit_alternates_one_run_per_side_starting_with_the_visits_first_side() {
        let (b, h, log) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let order = log.path().join("order");
        let side = |dir: &Path, name: &str| CommandBench {
            warmup_runs: 0,
            ..bench("x", dir, &format!("echo {name} >> '{}'", order.display()))
        };
        let (base, head) = ([side(b.path(), "base")], [side(h.path(), "head")]);
        let r = paired(
            &PairedCommandsConfig {
                samples_per_visit: 3,
                ..config(4)
            },
            &base,
            &head,
            Vec::new(),
        );
        let expected: Vec<&str> = r.benchmarks[0]
            .rounds
            .iter()
            .flat_map(|round| match round.base_first {
                true => ["base", "head", "base", "head", "base", "head"],
                false => ["head", "base", "head", "base", "head", "base"],
            })
            .collect();
        assert_eq!(expected.len(), 24, "4 rounds of 3 runs per side");
        assert_eq!(lines(order), expected);
    }

    #[test]
    fn a_failing_side_marks_only_that_benchmark_failed() {
        let (b, h) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let base = [
            bench("ok", b.path(), "true"),
            bench("breaks", b.path(), "true"),
        ];
        let head = [
            bench("ok", h.path(), "true"),
            bench("breaks", h.path(), "echo head broke it >&2; exit 4"),
        ];
        let r = paired(&config(3), &base, &head, Vec::new());
        assert!(r.benchmarks[0].error.is_none());
        assert_eq!(r.benchmarks[0].rounds.len(), 3);
        let err = r.benchmarks[1].error.as_deref().unwrap();
        assert!(
            err.starts_with("head: warm-up run exited with code 4")
                && err.contains("head broke it"),
            "{err}"
        );
        assert!(r.benchmarks[1].rounds.is_empty());
        // The failing side's clean-up still ran (its set-up had), as did "ok"'s.
        let mut log = lines(h.path().join("log"));
        log.sort();
        assert_eq!(log, ["cleanup", "cleanup", "setup", "setup"]);
    }
}
