//! Drives an A/B run: two workers (base and head) pinned to the same core, one working at a
//! time, following [`paired_plan`], with a fresh pair of worker processes every round (see
//! [`fresh_pair`]). Produces the A/B results file.
//!
//! Failures: a benchmark whose set-up or sampling fails on either side is marked failed and
//! left out of later rounds. A worker that dies marks the benchmark it was measuring failed
//! and is restarted (its benchmarks set up again) so the others go on; so does a worker
//! that stops answering (it is killed once the reply limit, [`ReplyTimeout`], passes); after
//! [`MAX_RESTARTS`] restarts of one side, or when a restart fails, every benchmark still
//! running is marked failed with the reason.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::client::{Sampled, WorkerClient, WorkerError};
use super::timeout::ReplyTimeout;
use crate::results::{
    AB_RESULTS_SCHEMA, AbBenchmark, AbResultsFile, AbRound, AbSamples, AbSettings, AbSide, Clock,
    Presence,
};
use crate::runner::{LoadMonitor, PairedSide as Side, RoundBudget, env, paired_plan};
use crate::stats::{Sample, percentile};

/// Restarts allowed per side before the remaining benchmarks are given up.
pub const MAX_RESTARTS: u32 = 3;

/// Validated settings of an A/B run.
#[derive(Debug, Clone)]
pub struct AbConfig {
    /// Rounds to run (fewer when the time budget runs out).
    pub rounds: u32,
    /// Samples per side per visit.
    pub samples_per_visit: u32,
    /// Warm-up of each side before calibration.
    pub warmup: Duration,
    /// Re-warm-up of each side at every visit.
    pub rewarm: Duration,
    /// Target duration of one sample.
    pub sample_target: Duration,
    /// Seed of the schedule and of the inputs.
    pub seed: u64,
    /// Core both workers are pinned to.
    pub core: Option<usize>,
    /// Stop starting rounds when the next one would end after this.
    pub time_budget: Option<Duration>,
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
    // Per benchmark and round: both sides' median CPU time of the visit, when reported.
    let mut cpu_rounds: Vec<Vec<Option<[f64; 2]>>> = vec![Vec::new(); benches.len()];

    // Set-up and calibration: both sides warm up alike; the head's calibration fixes the
    // iteration count for both.
    for &i in &paired {
        for side in [Side::Base, Side::Head] {
            let name = benches[i].name.clone();
            let done = with_worker(&mut workers, side, |w| w.setup(&name, config.seed));
            record(&mut benches[i], side, done);
        }
        for side in [Side::Base, Side::Head] {
            if benches[i].error.is_some() {
                break;
            }
            let name = benches[i].name.clone();
            let (warm, target) = (ms(config.warmup), config.sample_target.as_nanos() as u64);
            let done = with_worker(&mut workers, side, |w| w.calibrate(&name, warm, target));
            if let Some((iters, per_iter_ns)) = record(&mut benches[i], side, done)
                && side == Side::Head
            {
                benches[i].iters_per_sample = iters;
                pace[i] = Pace::of(config, iters, per_iter_ns);
            }
        }
        spawn_missing(
            &mut workers,
            &paths,
            config,
            &mut benches,
            &mut restarts,
            &mut notes,
            Respawn::Died,
        );
    }

    let plan = paired_plan(benches.len(), config.rounds, config.seed);
    let mut clock = RoundBudget::start(config.time_budget);
    let mut rounds_done = 0;
    for (round, visits) in plan.iter().enumerate() {
        if let Some(note) = clock.before_round(round, config.rounds) {
            notes.push(note);
            break;
        }
        progress(&format!("round {}/{}", round + 1, config.rounds));
        if round > 0 {
            fresh_pair(
                round,
                &mut workers,
                &paths,
                config,
                &mut benches,
                &mut restarts,
                &mut notes,
            );
        }
        for visit in visits {
            let b = &benches[visit.bench];
            if b.presence != Presence::Both || b.error.is_some() {
                continue;
            }
            let order = match visit.base_first {
                true => [Side::Base, Side::Head],
                false => [Side::Head, Side::Base],
            };
            let mut medians = [0.0; 2];
            let mut cpu_medians = [None; 2];
            let b = &mut benches[visit.bench];
            for side in order {
                let (name, iters) = (b.name.clone(), b.iters_per_sample);
                let Pace {
                    rewarm_ms: rewarm,
                    samples: k,
                } = pace[visit.bench];
                let done = with_worker(&mut workers, side, |w| w.sample(&name, rewarm, iters, k));
                let Some(s) = record(b, side, done) else {
                    break;
                };
                medians[side as usize] = median(&s.samples_ns);
                cpu_medians[side as usize] = Some(median(&s.cpu_ns)).filter(|&m| m > 0.0);
                let into = match side {
                    Side::Base => &mut b.base,
                    Side::Head => &mut b.head,
                };
                add(into, s);
            }
            if b.error.is_none() {
                let [base_p50_ns, head_p50_ns] = medians;
                if base_p50_ns > 0.0 && head_p50_ns > 0.0 {
                    b.rounds.push(AbRound {
                        round: round as u32,
                        base_first: visit.base_first,
                        base_p50_ns,
                        head_p50_ns,
                        log_ratio: (head_p50_ns / base_p50_ns).ln(),
                    });
                    cpu_rounds[visit.bench].push(match cpu_medians {
                        [Some(base), Some(head)] => Some([base, head]),
                        _ => None,
                    });
                } else {
                    b.error = Some("a visit measured 0 ns per iteration".to_string());
                }
            }
            spawn_missing(
                &mut workers,
                &paths,
                config,
                &mut benches,
                &mut restarts,
                &mut notes,
                Respawn::Died,
            );
        }
        rounds_done = round as u32 + 1;
        clock.after_round();
    }
    for w in workers.into_iter().flatten() {
        w.quit();
    }
    // After the last workers are reaped, so their time counts as ours.
    env.load = monitor.finish(env.logical_cores);
    if config.clock == Clock::Cpu {
        for (b, cpu) in benches.iter_mut().zip(&cpu_rounds) {
            time_rounds_by_cpu(b, cpu);
        }
    }
    Ok(AbResultsFile {
        schema: AB_RESULTS_SCHEMA.to_string(),
        perfgate_version: env!("CARGO_PKG_VERSION").to_string(),
        env,
        base: base_info,
        head: head_info,
        settings: AbSettings {
            rounds_planned: config.rounds,
            rounds_done,
            samples_per_visit: config.samples_per_visit,
            warmup_ms: ms(config.warmup),
            rewarm_ms: ms(config.rewarm),
            sample_ms: ms(config.sample_target),
            seed: config.seed,
            core: config.core,
            time_budget_s: config.time_budget.map(|d| d.as_secs_f64()),
            clock: config.clock,
        },
        notes,
        benchmarks: benches,
    })
}

/// How one benchmark is visited.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pace {
    /// Re-warm-up per side per visit, ms: at least one untimed iteration, since every
    /// round starts in fresh worker processes (1 ms, i.e. exactly one iteration, for
    /// benchmarks whose one iteration is longer than a sample).
    rewarm_ms: u64,
    /// Samples per side per visit: `samples_per_visit`, fewer for benchmarks whose one
    /// iteration is longer than a sample, so a visit lasts about as long as the others'.
    samples: u32,
}

impl Pace {
    fn of(config: &AbConfig, iters: u64, per_iter_ns: f64) -> Pace {
        let target = config.sample_target.as_nanos() as f64;
        if iters > 1 || per_iter_ns <= target {
            return Pace {
                rewarm_ms: ms(config.rewarm),
                samples: config.samples_per_visit,
            };
        }
        let fit = (f64::from(config.samples_per_visit) * target / per_iter_ns).floor();
        Pace {
            rewarm_ms: 1,
            samples: (fit as u32).clamp(1, config.samples_per_visit),
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

/// Re-times `b`'s rounds by CPU time when every round has both sides' CPU medians (`cpu`,
/// parallel to the rounds); otherwise they stay wall time.
fn time_rounds_by_cpu(b: &mut AbBenchmark, cpu: &[Option<[f64; 2]>]) {
    let all: Option<Vec<[f64; 2]>> = cpu.iter().copied().collect();
    let Some(all) = all.filter(|a| !a.is_empty() && a.len() == b.rounds.len()) else {
        return;
    };
    for (r, [base, head]) in b.rounds.iter_mut().zip(all) {
        r.base_p50_ns = base;
        r.head_p50_ns = head;
        r.log_ratio = (head / base).ln();
    }
    b.clock = Clock::Cpu;
}

fn add(into: &mut AbSamples, s: Sampled) {
    // A visit without CPU times makes the side's CPU samples incomplete: drop them.
    match s.cpu_ns.len() == s.samples_ns.len() && into.cpu_ns.len() == into.samples_ns.len() {
        true => into.cpu_ns.extend(s.cpu_ns),
        false => into.cpu_ns.clear(),
    }
    into.samples_ns.extend(s.samples_ns);
    into.alloc_bytes += s.alloc_bytes;
    into.allocs += s.allocs;
}

fn median(x: &[f64]) -> f64 {
    Sample::new(x.to_vec()).map_or(0.0, |s| percentile(&s, 0.5))
}

/// Runs `f` on the side's worker; a missing worker (given up) is an error.
fn with_worker<T>(
    workers: &mut [Option<WorkerClient>; 2],
    side: Side,
    f: impl FnOnce(&mut WorkerClient) -> Result<T, WorkerError>,
) -> Result<T, (Side, WorkerError)> {
    match workers[side as usize].as_mut() {
        Some(w) => f(w).map_err(|e| {
            if e.is_fatal() {
                // Leave it for spawn_missing.
                workers[side as usize] = None;
            }
            (side, e)
        }),
        None => Err((
            side,
            WorkerError::Benchmark("the worker is gone".to_string()),
        )),
    }
}

/// The value, or the benchmark marked failed with the side's error.
fn record<T>(b: &mut AbBenchmark, _side: Side, done: Result<T, (Side, WorkerError)>) -> Option<T> {
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

/// Replaces both workers by fresh processes before a round. A process's memory layout
/// (addresses, physical pages, the allocator's state) shifts a benchmark's time for the
/// whole life of the process: with one pair of long-lived workers running the same binary
/// on both sides, 4 of 8 A/A runs called a "change" of 3–13% (add/1000000, model/*/create;
/// p_adj down to 3e-5, all 20 rounds of one sign). With a new pair every round that shift
/// is drawn afresh per round, so it becomes round-to-round noise the paired test accounts
/// for instead of a bias it cannot see.
///
/// The side started (and set up) first alternates by round (see [`Respawn::order`]), so
/// whatever being the older or the younger process of the pair does to a benchmark falls
/// on both sides equally often.
fn fresh_pair(
    round: usize,
    workers: &mut [Option<WorkerClient>; 2],
    paths: &[PathBuf; 2],
    config: &AbConfig,
    benches: &mut [AbBenchmark],
    restarts: &mut [u32; 2],
    notes: &mut Vec<String>,
) {
    for w in workers.iter_mut().filter_map(Option::take) {
        w.quit();
    }
    let why = Respawn::NewRound(round);
    spawn_missing(workers, paths, config, benches, restarts, notes, why);
}

/// Why [`spawn_missing`] starts workers.
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

/// Starts a worker for each side that has none, while benchmarks are still running and the
/// side was not given up, setting its still-running benchmarks up again, in the order
/// `why` gives. Past [`MAX_RESTARTS`] deaths, or when the start fails, the side is given
/// up.
fn spawn_missing(
    workers: &mut [Option<WorkerClient>; 2],
    paths: &[PathBuf; 2],
    config: &AbConfig,
    benches: &mut [AbBenchmark],
    restarts: &mut [u32; 2],
    notes: &mut Vec<String>,
    why: Respawn,
) {
    let died = why == Respawn::Died;
    for side in why.order() {
        let i = side as usize;
        if workers[i].is_some() || !benches.iter().any(alive) || restarts[i] == u32::MAX {
            continue;
        }
        if died {
            if restarts[i] >= MAX_RESTARTS {
                let why = format!("died {} times", restarts[i] + 1);
                give_up(side, why, benches, restarts, notes);
                continue;
            }
            restarts[i] += 1;
        }
        match respawn(&paths[i], side, config, benches) {
            Ok(w) => {
                if died {
                    notes.push(format!(
                        "the {} worker died or timed out and was restarted",
                        side.name()
                    ));
                }
                workers[i] = Some(w);
            }
            Err(why) => give_up(side, why, benches, restarts, notes),
        }
    }
}

/// A benchmark both sides still measure.
fn alive(b: &AbBenchmark) -> bool {
    b.presence == Presence::Both && b.error.is_none()
}

/// A new worker for `side` with every still-running benchmark set up on it (a benchmark
/// whose set-up fails there is marked failed), or why it could not be started.
fn respawn(
    path: &Path,
    side: Side,
    config: &AbConfig,
    benches: &mut [AbBenchmark],
) -> Result<WorkerClient, String> {
    let mut w =
        WorkerClient::spawn(path, config.core, config.reply_timeout).map_err(|e| e.to_string())?;
    for b in benches.iter_mut().filter(|b| alive(b)) {
        if let Err(e) = w.setup(&b.name, config.seed) {
            b.error = Some(format!("{} failed after a restart: {e}", side.name()));
        }
    }
    Ok(w)
}

/// Gives a side up: every still-running benchmark is marked failed with the reason.
fn give_up(
    side: Side,
    why: String,
    benches: &mut [AbBenchmark],
    restarts: &mut [u32; 2],
    notes: &mut Vec<String>,
) {
    restarts[side as usize] = u32::MAX;
    let message = format!("the {} worker is gone ({why})", side.name());
    for b in benches.iter_mut().filter(|b| alive(b)) {
        b.error = Some(message.clone());
    }
    notes.push(message);
}
