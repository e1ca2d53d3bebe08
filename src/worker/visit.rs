//! One visit of an A/B round with fine alternation: both workers are alive and set up, and
//! base and head take one short sample each in turn (`sample` requests of one sample, no
//! re-warm-up after the first, the same iteration count on both sides), so the idle worker
//! blocks on its stdin while the other measures. The order of the pairs alternates too —
//! A B, B A, A B, … (A B B A A B …) — so neither side is always first within a pair.
//! A slow episode of the host (20–350 ms, FIELD-NOTES) then hits both members of most
//! pairs, and the median of the log-ratios does not see the rest. The samples are paired
//! warm with warm and cold with cold ([`crate::results::Pairing::SameState`]).

use super::client::{Sampled, WorkerClient, WorkerError};
use crate::results::base_first_in_pair;
use crate::runner::PairedSide as Side;

/// How one visit is taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct VisitPlan {
    /// Iterations per sample, the same on both sides.
    pub iters: u64,
    /// Pairs of samples (one per side each).
    pub pairs: u32,
    /// Re-warm-up of each side before its first sample of the visit, ms.
    pub rewarm_ms: u64,
    /// True when base is measured first in the first pair.
    pub base_first: bool,
}

/// Takes one visit of `bench`: both sides' samples in pair order (sample i of each side is
/// pair i). The error names the side whose worker failed.
pub(super) fn take_visit(
    workers: &mut [Option<WorkerClient>; 2],
    bench: &str,
    plan: VisitPlan,
) -> Result<[Sampled; 2], (Side, WorkerError)> {
    let mut got = [empty(), empty()];
    let mut warmed = [false; 2];
    for j in 0..plan.pairs {
        let order = match base_first_in_pair(plan.base_first, j as usize) {
            true => [Side::Base, Side::Head],
            false => [Side::Head, Side::Base],
        };
        for side in order {
            let i = side as usize;
            let warm = if warmed[i] { 0 } else { plan.rewarm_ms };
            warmed[i] = true;
            let s = with_worker(workers, side, |w| w.sample(bench, warm, plan.iters, 1))?;
            add(&mut got[i], s);
        }
    }
    Ok(got)
}

fn empty() -> Sampled {
    Sampled {
        samples_ns: Vec::new(),
        cpu_ns: Vec::new(),
        alloc_bytes: 0,
        allocs: 0,
    }
}

/// Appends one reply; a reply without CPU times leaves the side's CPU times incomplete,
/// so they are dropped.
fn add(into: &mut Sampled, s: Sampled) {
    let complete = into.cpu_ns.len() == into.samples_ns.len();
    match complete && s.cpu_ns.len() == s.samples_ns.len() {
        true => into.cpu_ns.extend(s.cpu_ns),
        false => into.cpu_ns.clear(),
    }
    if !complete {
        into.cpu_ns.clear();
    }
    into.samples_ns.extend(s.samples_ns);
    into.alloc_bytes += s.alloc_bytes;
    into.allocs += s.allocs;
}

/// Runs `f` on the side's worker; a missing worker (given up) is an error.
pub(super) fn with_worker<T>(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_without_cpu_times_drops_the_sides_cpu_times() {
        let reply = |cpu: Vec<f64>| Sampled {
            samples_ns: vec![1.0],
            cpu_ns: cpu,
            alloc_bytes: 2,
            allocs: 1,
        };
        let mut s = empty();
        add(&mut s, reply(vec![0.9]));
        add(&mut s, reply(vec![0.8]));
        assert_eq!(s.cpu_ns, [0.9, 0.8]);
        add(&mut s, reply(Vec::new()));
        add(&mut s, reply(vec![0.7]));
        assert!(s.cpu_ns.is_empty());
        assert_eq!((s.samples_ns.len(), s.alloc_bytes, s.allocs), (4, 8, 4));
    }
}
