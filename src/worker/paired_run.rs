//! Drives an A/B run: two workers (base and head) pinned to the same core, one working at a
//! time, following [`paired_plan`](crate::runner::paired_plan), with a fresh pair of worker
//! processes every round (see [`fresh_pair`]). Within a visit base and head alternate
//! sample by sample (src/worker/visit.rs). Rounds run in stages up to the looks of the
//! run's [`LookPlan`](crate::stats::LookPlan) ([`run_stages`]); at each look the benchmarks
//! already decided ([`sequential_calls`](crate::stats::sequential_calls)) stop, and the next
//! stage — if the time budget allows it — measures only the ones still open. Produces the
//! A/B results file.
//!
//! Failures: a benchmark whose set-up or sampling fails on either side is marked failed and
//! left out of later rounds. A worker that dies marks the benchmark it was measuring failed
//! and is restarted (its benchmarks set up again) so the others go on; so does a worker
//! that stops answering (it is killed once the reply limit, [`ReplyTimeout`], passes); after
//! [`MAX_RESTARTS`] restarts of one side, or when a restart fails, every benchmark still
//! running is marked failed with the reason.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::client::{WorkerClient, WorkerError};
use super::timeout::ReplyTimeout;
use super::visit::{VisitPlan, take_visit, with_worker};
use crate::results::{
    AB_RESULTS_SCHEMA, AbBenchmark, AbResultsFile, AbRound, AbSamples, AbSettings, AbSide, Clock,
    Pairing, Presence,
};
use crate::runner::{
    LoadMonitor, PairedRounds, PairedSide as Side, PairedVisit, Stages, env, run_stages,
};

/// Restarts allowed per side before the remaining benchmarks are given up.
pub const MAX_RESTARTS: u32 = 3;

/// Validated settings of an A/B run.
#[derive(Debug, Clone)]
pub struct AbConfig {
    /// Rounds, seed, time budget, looks and stopping rule.
    pub stages: Stages,
    /// Pairs of samples (one per side each) per visit.
    pub samples_per_visit: u32,
    /// Warm-up of each side before calibration.
    pub warmup: Duration,
    /// Re-warm-up of each side at every visit.
    pub rewarm: Duration,
    /// Target duration of one sample.
    pub sample_target: Duration,
    /// Core both workers are pinned to.
    pub core: Option<usize>,
    /// Benchmark names to run (already filtered); `None`: everything both suites have.
    pub filter: Option<regex::Regex>,
    /// How long to wait for one reply of a worker before killing it as hung.
    pub reply_timeout: ReplyTimeout,
    /// The clock to time rounds with; CPU time falls back to wall time per benchmark where
    /// a side does not report it.
    pub clock: Clock,
}

/// The two binaries and what is known of them.
#[derive(Debug, Clone)]
pub struct AbBinaries {
    /// The base binary.
    pub base: PathBuf,
    /// The head binary.
    pub head: PathBuf,
    /// Git revision of the base, when known.
    pub base_commit: Option<String>,
    /// Git revision of the head, when known.
    pub head_commit: Option<String>,
}

/// Runs the A/B comparison. Errors only when a worker cannot be started or fails its
/// handshake (no `worker` command, wrong protocol version); later failures are recorded
/// per benchmark.
pub fn run_ab(
    config: &AbConfig,
    bins: &AbBinaries,
    mut progress: impl FnMut(&str),
) -> Result<AbResultsFile, (&'static str, WorkerError)> {
    let mut env = env::collect();
    env.pinned_cores = config.core.into_iter().collect();
    let monitor = LoadMonitor::start();
    let paths = [bins.base.clone(), bins.head.clone()];
    let spawn = |side: Side| {
        WorkerClient::spawn(&paths[side as usize], config.core, config.reply_timeout)
            .map_err(|e| (side.name(), e))
    };
    let mut workers = [Some(spawn(Side::Base)?), Some(spawn(Side::Head)?)];
    let side_info = |w: &WorkerClient, path: &PathBuf, commit: &Option<String>| AbSide {
        binary: path.display().to_string(),
        perfgate_version: w.perfgate_version.clone(),
        git_commit: commit.clone(),
    };
    let base_info = side_info(workers[0].as_ref().unwrap(), &bins.base, &bins.base_commit);
    let head_info = side_info(workers[1].as_ref().unwrap(), &bins.head, &bins.head_commit);
    let wanted = |name: &str| config.filter.as_ref().is_none_or(|re| re.is_match(name));
    let base_names = workers[0].as_ref().unwrap().benchmarks.clone();
    let head_names = workers[1].as_ref().unwrap().benchmarks.clone();
    let mut benches: Vec<AbBenchmark> = head_names
        .iter()
        .filter(|n| wanted(n))
        .map(|n| {
            let presence = match base_names.contains(n) {
                true => Presence::Both,
                false => Presence::HeadOnly,
            };
            empty(n, presence)
        })
        .collect();
    benches.extend(
        base_names
            .iter()
            .filter(|n| wanted(n) && !head_names.contains(n))
            .map(|n| empty(n, Presence::BaseOnly)),
    );
    let paired: Vec<usize> = (0..benches.len())
        .filter(|&i| benches[i].presence == Presence::Both)
        .collect();
    let mut notes = Vec::new();
    let mut restarts = [0u32; 2];
    let mut pace = vec![Pace::of(config, 1, 0.0); benches.len()];
    // Benchmarks still measured: paired and not yet decided at a look.
    let mut open: Vec<bool> = benches
        .iter()
        .map(|b| b.presence == Presence::Both)
        .collect();
    let mut run = Run {
        workers: &mut workers,
        paths: &paths,
        config,
        restarts: &mut restarts,
        notes: &mut notes,
    };

    // Set-up and calibration: both sides warm up alike; the head's calibration fixes the
    // iteration count for both.
    for &i in &paired {
        for side in [Side::Base, Side::Head] {
            let name = benches[i].name.clone();
            let done = with_worker(run.workers, side, |w| w.setup(&name, config.stages.seed));
            record(&mut benches[i], done);
        }
        for side in [Side::Base, Side::Head] {
            if benches[i].error.is_some() {
                break;
            }
            let name = benches[i].name.clone();
            let (warm, target) = (ms(config.warmup), config.sample_target.as_nanos() as u64);
            let done = with_worker(run.workers, side, |w| w.calibrate(&name, warm, target));
            if let Some((iters, per_iter_ns)) = record(&mut benches[i], done)
                && side == Side::Head
            {
                benches[i].iters_per_sample = iters;
                pace[i] = Pace::of(config, iters, per_iter_ns);
            }
        }
        run.spawn_missing(&mut benches, &open, Respawn::Died);
    }

    let mut rounds = SuiteRounds { run, benches, pace };
    let (rounds_done, ended) = run_stages(&config.stages, &mut open, &mut rounds, &mut progress);
    let benches = rounds.benches;
    notes.extend(ended);
    for w in workers.into_iter().flatten() {
        w.quit();
    }
    // After the last workers are reaped, so their time counts as ours.
    env.load = monitor.finish(env.logical_cores);
    Ok(AbResultsFile {
        schema: AB_RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        base: base_info,
        head: head_info,
        settings: AbSettings {
            rounds_planned: config.stages.rounds,
            rounds_done: rounds_done as u32,
            samples_per_visit: config.samples_per_visit,
            warmup_ms: ms(config.warmup),
            rewarm_ms: ms(config.rewarm),
            sample_ms: ms(config.sample_target),
            seed: config.stages.seed,
            core: config.core,
            time_budget_s: config.stages.time_budget.map(|d| d.as_secs_f64()),
            clock: config.clock,
            looks: config.stages.looks.ended_at(rounds_done as u32),
            stop_alpha: config.stages.rule.alpha,
            stop_limit: config.stages.rule.limit,
            pairing: PAIRING,
        },
        notes,
        benchmarks: benches,
    })
}

/// How worker visits (A B B A A B …) are paired: warm with warm, cold with cold.
const PAIRING: Pairing = Pairing::SameState;

/// Adds one visit's samples to `b` and its paired observation as a round. The benchmark's
/// clock is fixed by its first visit (CPU time when both sides reported it for every
/// sample and CPU time was asked for); a later visit without CPU times fails it, so every
/// round of a benchmark has one clock.
fn add_visit(
    b: &mut AbBenchmark,
    round: u32,
    base_first: bool,
    got: [crate::worker::Sampled; 2],
    asked: Clock,
) {
    let [base, head] = got;
    let cpu = asked == Clock::Cpu
        && base.cpu_ns.len() == base.samples_ns.len()
        && head.cpu_ns.len() == head.samples_ns.len();
    if b.rounds.is_empty() {
        b.clock = if cpu { Clock::Cpu } else { Clock::Wall };
    } else if b.clock == Clock::Cpu && !cpu {
        b.error = Some("a side stopped reporting CPU time".to_string());
        return;
    }
    let round = match b.clock {
        Clock::Cpu => AbRound::of_visit(PAIRING, round, base_first, &base.cpu_ns, &head.cpu_ns),
        Clock::Wall => AbRound::of_visit(
            PAIRING,
            round,
            base_first,
            &base.samples_ns,
            &head.samples_ns,
        ),
    };
    for (into, s) in [(&mut b.base, base), (&mut b.head, head)] {
        add(into, s);
    }
    match round {
        Some(r) => b.rounds.push(r),
        None => b.error = Some("a visit measured 0 ns per iteration".to_string()),
    }
}

/// How one benchmark is visited.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pace {
    /// Re-warm-up per side per visit, ms: at least one untimed iteration, since every
    /// round starts in fresh worker processes (1 ms, i.e. exactly one iteration, for
    /// benchmarks whose one iteration is longer than a sample).
    rewarm_ms: u64,
    /// Pairs per visit: `samples_per_visit`, fewer (down to [`MIN_PAIRS`]) for benchmarks
    /// whose one iteration is longer than a sample, so a visit lasts about as long as the
    /// others'.
    pairs: u32,
}

/// Fewest pairs of a visit: the median of the pairs' log-ratios needs a few to resist one
/// pair caught in a slow episode.
const MIN_PAIRS: u32 = 3;

impl Pace {
    fn of(config: &AbConfig, iters: u64, per_iter_ns: f64) -> Pace {
        let target = config.sample_target.as_nanos() as f64;
        let k = config.samples_per_visit;
        if iters > 1 || per_iter_ns <= target {
            return Pace {
                rewarm_ms: ms(config.rewarm),
                pairs: k,
            };
        }
        let fit = (f64::from(k) * target / per_iter_ns).floor();
        Pace {
            rewarm_ms: 1,
            pairs: (fit as u32).clamp(MIN_PAIRS.min(k), k),
        }
    }
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

fn empty(name: &str, presence: Presence) -> AbBenchmark {
    AbBenchmark {
        name: name.to_string(),
        presence,
        error: None,
        iters_per_sample: 0,
        clock: Clock::Wall,
        base: AbSamples::default(),
        head: AbSamples::default(),
        rounds: Vec::new(),
    }
}

fn add(into: &mut AbSamples, s: crate::worker::Sampled) {
    // A visit without CPU times makes the side's CPU samples incomplete: drop them.
    match s.cpu_ns.len() == s.samples_ns.len() && into.cpu_ns.len() == into.samples_ns.len() {
        true => into.cpu_ns.extend(s.cpu_ns),
        false => into.cpu_ns.clear(),
    }
    into.samples_ns.extend(s.samples_ns);
    into.alloc_bytes += s.alloc_bytes;
    into.allocs += s.allocs;
}

/// The value, or the benchmark marked failed with the side's error.
fn record<T>(b: &mut AbBenchmark, done: Result<T, (Side, WorkerError)>) -> Option<T> {
    match done {
        Ok(v) => Some(v),
        Err((side, e)) => {
            if b.error.is_none() {
                b.error = Some(match e {
                    // "base worker … timed out: …, so it was killed"
                    WorkerError::TimedOut { .. } => format!("{} {e}", side.name()),
                    _ if e.is_fatal() => format!("{} worker died: {e}", side.name()),
                    _ => format!("{} failed: {e}", side.name()),
                });
            }
            None
        }
    }
}

/// The built-in suite's side of the staged rounds: the workers, the benchmarks' records
/// and how each is visited.
struct SuiteRounds<'a> {
    run: Run<'a>,
    benches: Vec<AbBenchmark>,
    pace: Vec<Pace>,
}

impl PairedRounds for SuiteRounds<'_> {
    fn benches(&self) -> &[AbBenchmark] {
        &self.benches
    }

    fn start_round(&mut self, round: usize, open: &[bool]) {
        if round > 0 {
            self.run.fresh_pair(round, &mut self.benches, open);
        }
    }

    fn visit(&mut self, round: usize, visit: PairedVisit, open: &[bool]) {
        let b = &mut self.benches[visit.bench];
        let p = self.pace[visit.bench];
        let visit_plan = VisitPlan {
            iters: b.iters_per_sample,
            pairs: p.pairs,
            rewarm_ms: p.rewarm_ms,
            base_first: visit.base_first,
        };
        let name = b.name.clone();
        let taken = take_visit(self.run.workers, &name, visit_plan);
        if let Some(got) = record(b, taken) {
            add_visit(
                b,
                round as u32,
                visit.base_first,
                got,
                self.run.config.clock,
            );
        }
        self.run
            .spawn_missing(&mut self.benches, open, Respawn::Died);
    }
}

/// The workers of a run and what restarting them needs.
struct Run<'a> {
    workers: &'a mut [Option<WorkerClient>; 2],
    paths: &'a [PathBuf; 2],
    config: &'a AbConfig,
    restarts: &'a mut [u32; 2],
    notes: &'a mut Vec<String>,
}

/// Why [`Run::spawn_missing`] starts workers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Respawn {
    /// A worker died or hung: counted against [`MAX_RESTARTS`] and noted.
    Died,
    /// Both were replaced on purpose before this round.
    NewRound(usize),
}

impl Respawn {
    /// The order the sides start in: base first after a death and in even rounds (round 0
    /// is the first pair, started base then head), head first in odd rounds.
    fn order(self) -> [Side; 2] {
        match self {
            Respawn::NewRound(round) if round % 2 == 1 => [Side::Head, Side::Base],
            _ => [Side::Base, Side::Head],
        }
    }
}

impl Run<'_> {
    /// Replaces both workers by fresh processes before a round. A process's memory layout
    /// (addresses, physical pages, the allocator's state) shifts a benchmark's time for
    /// the whole life of the process: with one pair of long-lived workers running the same
    /// binary on both sides, 4 of 8 A/A runs called a "change" of 3–13% (add/1000000,
    /// model/*/create; p_adj down to 3e-5, all 20 rounds of one sign). With a new pair
    /// every round that shift is drawn afresh per round, so it becomes round-to-round
    /// noise the paired test accounts for instead of a bias it cannot see.
    ///
    /// The side started (and set up) first alternates by round (see [`Respawn::order`]),
    /// so whatever being the older or the younger process of the pair does to a benchmark
    /// falls on both sides equally often. Only benchmarks still open are set up.
    fn fresh_pair(&mut self, round: usize, benches: &mut [AbBenchmark], open: &[bool]) {
        for w in self.workers.iter_mut().filter_map(Option::take) {
            w.quit();
        }
        self.spawn_missing(benches, open, Respawn::NewRound(round));
    }

    /// Starts a worker for each side that has none, while open benchmarks are still
    /// running and the side was not given up, setting those benchmarks up again, in the
    /// order `why` gives. Past [`MAX_RESTARTS`] deaths, or when the start fails, the side
    /// is given up.
    fn spawn_missing(&mut self, benches: &mut [AbBenchmark], open: &[bool], why: Respawn) {
        let died = why == Respawn::Died;
        for side in why.order() {
            let i = side as usize;
            let running = (0..benches.len()).any(|j| open[j] && alive(&benches[j]));
            if self.workers[i].is_some() || !running || self.restarts[i] == u32::MAX {
                continue;
            }
            if died {
                if self.restarts[i] >= MAX_RESTARTS {
                    let why = format!("died {} times", self.restarts[i] + 1);
                    self.give_up(side, why, benches, open);
                    continue;
                }
                self.restarts[i] += 1;
            }
            match respawn(&self.paths[i], side, self.config, benches, open) {
                Ok(w) => {
                    if died {
                        self.notes.push(format!(
                            "the {} worker died or timed out and was restarted",
                            side.name()
                        ));
                    }
                    self.workers[i] = Some(w);
                }
                Err(why) => self.give_up(side, why, benches, open),
            }
        }
    }

    /// Gives a side up: every open benchmark still running is marked failed with the
    /// reason.
    fn give_up(&mut self, side: Side, why: String, benches: &mut [AbBenchmark], open: &[bool]) {
        self.restarts[side as usize] = u32::MAX;
        let message = format!("the {} worker is gone ({why})", side.name());
        for (b, _) in benches
            .iter_mut()
            .zip(open)
            .filter(|(b, o)| **o && alive(b))
        {
            b.error = Some(message.clone());
        }
        self.notes.push(message);
    }
}

/// A benchmark both sides still measure.
fn alive(b: &AbBenchmark) -> bool {
    b.presence == Presence::Both && b.error.is_none()
}

/// A new worker for `side` with every open, still-running benchmark set up on it (a
/// benchmark whose set-up fails there is marked failed), or why it could not be started.
fn respawn(
    path: &Path,
    side: Side,
    config: &AbConfig,
    benches: &mut [AbBenchmark],
    open: &[bool],
) -> Result<WorkerClient, String> {
    let mut w =
        WorkerClient::spawn(path, config.core, config.reply_timeout).map_err(|e| e.to_string())?;
    for (b, _) in benches
        .iter_mut()
        .zip(open)
        .filter(|(b, o)| **o && alive(b))
    {
        if let Err(e) = w.setup(&b.name, config.stages.seed) {
            b.error = Some(format!("{} failed after a restart: {e}", side.name()));
        }
    }
    Ok(w)
}
