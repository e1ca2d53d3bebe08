//! Profile: where one run's time and allocations go.

use super::doc::{Block, Section, Table};
use super::input::ReportInput;
use crate::output::units::{bytes, duration, three_digits};
use crate::results::BenchmarkResult;

/// Rows shown in the hot-path and allocator tables.
const TOP: usize = 10;

/// Builds the Profile section.
pub fn section(input: &ReportInput) -> Section {
    let all = &input.results.benchmarks;
    let ok: Vec<&BenchmarkResult> = all.iter().filter(|b| b.summary.is_some()).collect();
    let failed: Vec<&BenchmarkResult> = all.iter().filter(|b| b.summary.is_none()).collect();
    let mut blocks = vec![Block::Text(format!(
        "{} benchmarks in {}: {} measured, {} failed.",
        all.len(),
        input.results_file,
        ok.len(),
        failed.len()
    ))];
    blocks.push(Block::Table(totals(&ok)));
    blocks.push(Block::Subheading("Hot paths".to_string()));
    blocks.push(Block::Text(format!(
        "Benchmarks by median time per iteration and their share of one pass of the suite \
         (top {} of {}).",
        TOP.min(ok.len()),
        ok.len()
    )));
    blocks.push(Block::Table(hot_paths(&ok)));
    blocks.push(Block::Subheading("Top allocators".to_string()));
    blocks.extend(allocators(&ok));
    if !failed.is_empty() {
        blocks.push(Block::Subheading("Failed benchmarks".to_string()));
        blocks.push(Block::List(
            failed
                .iter()
                .map(|b| format!("{}: {}", b.name, b.error.as_deref().unwrap_or("no samples")))
                .collect(),
        ));
    }
    Section {
        id: "profile",
        title: "Profile".to_string(),
        blocks,
    }
}

/// P50 of a measured benchmark.
fn p50(b: &BenchmarkResult) -> f64 {
    b.summary.map_or(0.0, |s| s.p50_ns)
}

/// Timed iterations a benchmark ran (0 when `iters_per_sample` is unknown).
fn timed_iterations(b: &BenchmarkResult) -> f64 {
    b.samples_ns.len() as f64 * b.iters_per_sample as f64
}

/// The totals table, each figure with its definition.
fn totals(ok: &[&BenchmarkResult]) -> Table {
    let mut t = Table::new(&["total", "value", "definition"], 1);
    t.right = vec![1];
    let pass_ns: f64 = ok.iter().map(|b| p50(b)).sum();
    t.row(vec![
        "runtime, one pass".to_string(),
        duration(pass_ns),
        "sum over benchmarks of the median time of one iteration".to_string(),
    ]);
    if ok.iter().all(|b| b.iters_per_sample > 0) {
        let timed_ns: f64 = ok
            .iter()
            .map(|b| b.samples_ns.iter().sum::<f64>() * b.iters_per_sample as f64)
            .sum();
        t.row(vec![
            "runtime, timed sampling".to_string(),
            duration(timed_ns),
            "sum over samples of time per iteration × iterations per sample (no warm-up)"
                .to_string(),
        ]);
    }
    let measured: Vec<_> = ok
        .iter()
        .filter(|b| b.alloc_bytes_per_iter.is_some())
        .collect();
    if !measured.is_empty() {
        let per_pass: f64 = measured.iter().filter_map(|b| b.alloc_bytes_per_iter).sum();
        t.row(vec![
            "allocated, one pass".to_string(),
            bytes(per_pass),
            "sum over benchmarks of heap bytes allocated per iteration".to_string(),
        ]);
        if measured.iter().all(|b| b.iters_per_sample > 0) {
            let during: f64 = measured
                .iter()
                .map(|b| b.alloc_bytes_per_iter.unwrap_or(0.0) * timed_iterations(b))
                .sum();
            t.row(vec![
                "allocated, timed sampling".to_string(),
                bytes(during),
                "bytes per iteration × timed iterations, summed".to_string(),
            ]);
        }
    }
    t
}

/// The hot-path table: benchmarks by P50, with share and cumulative share of one pass.
fn hot_paths(ok: &[&BenchmarkResult]) -> Table {
    let mut sorted = ok.to_vec();
    sorted.sort_by(|a, b| p50(b).total_cmp(&p50(a)).then(a.name.cmp(&b.name)));
    let total: f64 = sorted.iter().map(|b| p50(b)).sum();
    let mut t = Table::new(
        &[
            "#",
            "benchmark",
            "P50 / iter",
            "P95 / iter",
            "share",
            "cumulative",
        ],
        2,
    );
    t.right.insert(0, 0);
    let mut cumulative = 0.0;
    for (i, b) in sorted.iter().take(TOP).enumerate() {
        let s = b.summary.expect("measured benchmarks have a summary");
        cumulative += s.p50_ns;
        t.row(vec![
            (i + 1).to_string(),
            b.name.clone(),
            duration(s.p50_ns),
            duration(s.p95_ns),
            percent(s.p50_ns, total),
            percent(cumulative, total),
        ]);
    }
    t
}

/// `part` as a percentage of `whole` ("–" when the whole is zero).
pub(super) fn percent(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.1}%", part / whole * 100.0)
    } else {
        "–".to_string()
    }
}

/// The allocator table, or a sentence when nothing allocates.
fn allocators(ok: &[&BenchmarkResult]) -> Vec<Block> {
    let mut allocating: Vec<_> = ok
        .iter()
        .filter(|b| b.alloc_bytes_per_iter.is_some_and(|a| a > 0.0))
        .collect();
    if allocating.is_empty() {
        let text = if ok.iter().any(|b| b.alloc_bytes_per_iter.is_some()) {
            "No benchmark allocates on the heap in its timed iterations."
        } else {
            "The results file has no allocation figures."
        };
        return vec![Block::Text(text.to_string())];
    }
    let bytes_of = |b: &BenchmarkResult| b.alloc_bytes_per_iter.unwrap_or(0.0);
    allocating.sort_by(|a, b| {
        bytes_of(b)
            .total_cmp(&bytes_of(a))
            .then(a.name.cmp(&b.name))
    });
    let total: f64 = allocating.iter().map(|b| bytes_of(b)).sum();
    let mut t = Table::new(
        &[
            "#",
            "benchmark",
            "bytes / iter",
            "allocs / iter",
            "share",
            "peak live",
        ],
        2,
    );
    t.right.insert(0, 0);
    for (i, b) in allocating.iter().take(TOP).enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            b.name.clone(),
            bytes(bytes_of(b)),
            b.allocs_per_iter.map_or("–".to_string(), three_digits),
            percent(bytes_of(b), total),
            b.peak_bytes.map_or("–".to_string(), |p| bytes(p as f64)),
        ]);
    }
    let zero = ok.len() - allocating.len();
    vec![
        Block::Table(t),
        Block::Text(format!(
            "{} of {} benchmarks allocate in their timed iterations; {zero} allocate nothing.",
            allocating.len(),
            ok.len()
        )),
    ]
}
