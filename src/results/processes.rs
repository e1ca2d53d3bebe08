//! Joining the runs of one measurement's fresh processes (`--processes N`) into one results
//! file: each benchmark's samples are the processes' samples one after the other, and every
//! figure derived from them (summary, per-iteration allocations, throughput, model figures)
//! is recomputed over all of them.

use super::{BenchmarkResult, MachineLoad, ResultsFile};
use crate::stats::{Sample, Summary};

/// Why the processes' runs cannot be joined (a programming error of the caller: the parts
/// are measured by the same invocation with the same benchmark list).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JoinError {
    /// No part was given.
    #[error("no process runs to join")]
    NoParts,
    /// A part measured other benchmarks than the first.
    #[error("process {part} measured {found:?} where process 1 measured {expected:?}")]
    Mismatch {
        /// The part, 1-based.
        part: usize,
        /// Its benchmark names.
        found: Vec<String>,
        /// The first part's.
        expected: Vec<String>,
    },
}

/// Joins the runs of the processes of one measurement, in the order they ran.
pub fn join_processes(parts: Vec<ResultsFile>) -> Result<ResultsFile, JoinError> {
    let names =
        |r: &ResultsFile| -> Vec<String> { r.benchmarks.iter().map(|b| b.name.clone()).collect() };
    let first = parts.first().ok_or(JoinError::NoParts)?;
    let expected = names(first);
    for (i, part) in parts.iter().enumerate().skip(1) {
        if names(part) != expected {
            return Err(JoinError::Mismatch {
                part: i + 1,
                found: names(part),
                expected,
            });
        }
    }
    let count = parts.len();
    let benchmarks = (0..expected.len())
        .map(|b| join_benchmark(parts.iter().map(|p| &p.benchmarks[b]).collect()))
        .collect();
    let load = joined_load(&parts);
    let samples = parts
        .iter()
        .filter_map(|p| p.settings.as_ref().map(|s| s.samples))
        .sum();
    let mut joined = parts.into_iter().next().expect("checked above");
    joined.env.load = load;
    if let Some(s) = joined.settings.as_mut() {
        s.samples = samples;
        s.processes = count as u32;
    }
    joined.benchmarks = benchmarks;
    Ok(joined)
}

/// The machine's load over the whole measurement: the mean of the processes' (they took
/// about equally long), the load average at the end of the last.
fn joined_load(parts: &[ResultsFile]) -> Option<MachineLoad> {
    let loads: Vec<&MachineLoad> = parts.iter().filter_map(|p| p.env.load.as_ref()).collect();
    if loads.len() != parts.len() {
        return None;
    }
    let mean =
        |f: fn(&MachineLoad) -> f64| loads.iter().map(|l| f(l)).sum::<f64>() / loads.len() as f64;
    Some(MachineLoad {
        other_cores_busy: mean(|l| l.other_cores_busy),
        steal_share: mean(|l| l.steal_share),
        loadavg_1m: loads.last().and_then(|l| l.loadavg_1m),
    })
}

/// One benchmark over all processes; failed when it failed in any.
fn join_benchmark(parts: Vec<&BenchmarkResult>) -> BenchmarkResult {
    let first = parts[0];
    if let Some((i, failed)) = parts.iter().enumerate().find(|(_, p)| p.error.is_some()) {
        let error = failed.error.clone().unwrap_or_default();
        return BenchmarkResult::failed(
            &first.name,
            &first.group,
            format!("in process {} of {}: {error}", i + 1, parts.len()),
        );
    }
    let samples_ns: Vec<f64> = parts.iter().flat_map(|p| p.samples_ns.clone()).collect();
    let summary = match Sample::new(samples_ns.clone()) {
        Ok(s) => Summary::of(&s),
        Err(e) => {
            return BenchmarkResult::failed(
                &first.name,
                &first.group,
                format!("no usable samples: {e}"),
            );
        }
    };
    // Timed iterations of each process, to weigh its per-iteration figures.
    let iters: Vec<f64> = parts
        .iter()
        .map(|p| p.samples_ns.len() as f64 * p.iters_per_sample as f64)
        .collect();
    let total: f64 = iters.iter().sum();
    let per_iter = |f: fn(&BenchmarkResult) -> Option<f64>| -> Option<f64> {
        let values: Option<Vec<f64>> = parts.iter().map(|p| f(p)).collect();
        let values = values?;
        (total > 0.0).then(|| values.iter().zip(&iters).map(|(v, n)| v * n).sum::<f64>() / total)
    };
    let alloc_bytes = per_iter(|p| p.alloc_bytes_per_iter);
    // Figures taken at the median scale with it: rates by old/new, times by new/old.
    let first_p50 = first.summary.as_ref().map(|s| s.p50_ns);
    let p50 = summary.p50_ns;
    let rate = |v: f64| first_p50.map_or(v, |old| v * old / p50);
    let throughput = first.throughput.clone().map(|mut t| {
        t.value = rate(t.value);
        t
    });
    let model = first.model.clone().map(|mut m| {
        m.tokens_per_sec = m.tokens_per_sec.map(rate);
        m.ms_per_token = (m.tokens > 0).then(|| p50 / 1e6 / m.tokens as f64);
        m.alloc_bytes_per_token = alloc_bytes
            .filter(|_| m.tokens > 0)
            .map(|a| a / m.tokens as f64);
        m
    });
    BenchmarkResult {
        name: first.name.clone(),
        group: first.group.clone(),
        error: None,
        iters_per_sample: (total / samples_ns.len() as f64).round() as u64,
        samples_ns,
        summary: Some(summary),
        alloc_bytes_per_iter: alloc_bytes,
        allocs_per_iter: per_iter(|p| p.allocs_per_iter),
        peak_bytes: parts.iter().filter_map(|p| p.peak_bytes).max(),
        throughput,
        model,
        process: None,
        instructions_per_iter: None,
        est_cycles_per_iter: None,
    }
}

#[cfg(test)]
#[path = "processes/tests.rs"]
mod tests;
